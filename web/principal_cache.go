package web

import (
	"context"
	"sync"

	"partnercenter/internal/access"
	"partnercenter/internal/identity"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
)

// signedIn is what a request knows of its signed-in user: the user, its
// principal and its tenant (nil for vendor staff and customers).
type signedIn struct {
	user      *identity.User
	principal *access.Principal
	tenant    *partner.Partner
}

// principalCache keeps each signed-in user's principal with the
// authorization stamp it was computed under. The stamp is read with the
// session on every request (identity.AuthzStamp, one query), so a cached
// principal is used only while nothing it depends on has changed: a
// disabled member, a changed role or a signed-out session is seen on the
// very next request, on every server. The cache only saves recomputing.
type principalCache struct {
	mu sync.Mutex
	m  map[int64]cachedPrincipal
}

type cachedPrincipal struct {
	stamp string
	v     signedIn
}

// maxCachedPrincipals bounds the cache; when full it starts over.
const maxCachedPrincipals = 20_000

func (c *principalCache) get(uid int64, stamp string) (signedIn, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[uid]
	if !ok || stamp == "" || e.stamp != stamp {
		return signedIn{}, false
	}
	return e.v, true
}

func (c *principalCache) put(uid int64, stamp string, v signedIn) {
	if stamp == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxCachedPrincipals {
		c.m = map[int64]cachedPrincipal{}
	}
	c.m[uid] = cachedPrincipal{stamp: stamp, v: v}
}

// signedInUser is the active user uid with its principal and tenant, from
// the cache while stamp (read with the session) is unchanged, else loaded
// and cached. A deleted or disabled user is nil. The user is a copy: a
// request may not change what the next one reads. The principal and
// tenant are shared and read-only.
func (s *Services) signedInUser(ctx context.Context, uid int64, stamp string) (*signedIn, error) {
	if v, ok := s.principals.get(uid, stamp); ok {
		u := *v.user
		v.user = &u
		return &v, nil
	}
	u, err := s.Users.ByID(ctx, uid)
	if apperr.Is(err, apperr.KindNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if u.Status != identity.StatusActive {
		return nil, nil
	}
	p, tenant, err := s.principalOfUser(ctx, u)
	if err != nil {
		return nil, err
	}
	s.principals.put(uid, stamp, signedIn{user: u, principal: p, tenant: tenant})
	cp := *u
	return &signedIn{user: &cp, principal: p, tenant: tenant}, nil
}

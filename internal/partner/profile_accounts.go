package partner

import (
	"context"
	"time"

	"partnercenter/internal/access"
	"partnercenter/internal/identity"
	"partnercenter/internal/platform/apperr"
)

// EntityAccount is one partner account of the same legal entity: accounts
// whose licence states the same unified social credit code (seed 003
// §6.1.1 账号信息, glossary 同一法人主体).
type EntityAccount struct {
	ID           int64
	Name         string
	Status       string
	JoinedHCPNAt *time.Time
	Identities   []IdentityJoin
	// MainLogin is the account's main login name (the account name the
	// seed's list shows).
	MainLogin string
	// Current marks the signed-in tenant.
	Current bool
	// EntityMain marks the legal entity's main account. The seeds show a
	// 主账号 flag without saying how it is chosen; we take the account
	// that joined HCPN first (ties: the oldest created).
	EntityMain bool
}

// IdentityJoin is a program or path the account joined, and when.
type IdentityJoin struct {
	Identity string
	JoinedAt time.Time
}

// AccountInfo is 基本信息 > 账号信息 of the signed-in tenant.
type AccountInfo struct {
	Partner    *Partner
	MainLogin  string // login name of the tenant's main account
	MainName   string
	Identities []IdentityJoin
	Accounts   []EntityAccount // same legal entity, this one included
}

// AccountInfo gathers the account page of the actor's tenant. Other
// accounts of the legal entity show only their name, programs, join time
// and status: never their users or data.
func (s Profiles) AccountInfo(ctx context.Context, actor *access.Principal) (_ *AccountInfo, err error) {
	defer apperr.Wrap(&err, "partner.AccountInfo")
	pid, err := actor.Tenant()
	if err != nil {
		return nil, err
	}
	g := s.DB.WithContext(ctx)
	p, err := Store{DB: s.DB}.Get(ctx, pid)
	if err != nil {
		return nil, err
	}
	info := &AccountInfo{Partner: p}
	var accounts []Partner
	if err := g.Where("credit_code = ?", p.CreditCode).
		Order("joined_hcpn_at ASC NULLS LAST, created_at ASC, id ASC").Limit(50).Find(&accounts).Error; err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(accounts))
	for _, acc := range accounts {
		ids = append(ids, acc.ID)
	}
	var joins []Identity
	if err := g.Where("partner_id IN ?", ids).Order("joined_at, identity").Find(&joins).Error; err != nil {
		return nil, err
	}
	byPartner := map[int64][]IdentityJoin{}
	for _, j := range joins {
		byPartner[j.PartnerID] = append(byPartner[j.PartnerID], IdentityJoin{Identity: j.Identity, JoinedAt: j.JoinedAt})
	}
	info.Identities = byPartner[p.ID]
	mains, err := identity.Users{DB: s.DB}.MainAccounts(ctx, append(ids, p.ID))
	if err != nil {
		return nil, err
	}
	mainOf := map[int64]string{}
	for pid, m := range mains {
		mainOf[pid] = m.LoginName
	}
	if m := mains[p.ID]; m != nil {
		info.MainLogin, info.MainName = m.LoginName, m.DisplayName
	}
	mainMarked := false
	for _, acc := range accounts {
		ea := EntityAccount{ID: acc.ID, Name: acc.Name, Status: acc.Status, JoinedHCPNAt: acc.JoinedHCPNAt,
			Identities: byPartner[acc.ID], MainLogin: mainOf[acc.ID], Current: acc.ID == p.ID}
		if !mainMarked && acc.JoinedHCPNAt != nil {
			ea.EntityMain, mainMarked = true, true
		}
		info.Accounts = append(info.Accounts, ea)
	}
	return info, nil
}

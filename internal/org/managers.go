package org

import (
	"context"

	"partnercenter/internal/access"
	"partnercenter/internal/identity"
	"partnercenter/internal/platform/apperr"
)

// Customer managers are the tenant's members holding the preset 客户经理
// role (seed 003 §7.1.4): whom customers may be assigned to. org owns who
// holds which role (user_roles); identity owns the users. customer asks
// here rather than reading either table. Inside a transaction, build
// Members{DB: tx}.

// CustomerManagers lists the tenant's active members holding the preset
// 客户经理 role, oldest first.
func (s Members) CustomerManagers(ctx context.Context, partnerID int64) (_ []identity.User, err error) {
	defer apperr.Wrap(&err, "org.CustomerManagers(%d)", partnerID)
	members, err := identity.Users{DB: s.DB}.ActiveMembers(ctx, partnerID)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(members))
	for i, m := range members {
		ids[i] = m.ID
	}
	holders, err := s.holdingPreset(ctx, ids, access.PresetCustomerManagerKey)
	if err != nil {
		return nil, err
	}
	out := []identity.User{}
	for _, m := range members {
		if holders[m.ID] {
			out = append(out, m)
		}
	}
	return out, nil
}

// IsCustomerManager reports whether userID is an active member of the
// tenant holding the preset 客户经理 role.
func (s Members) IsCustomerManager(ctx context.Context, partnerID, userID int64) (_ bool, err error) {
	defer apperr.Wrap(&err, "org.IsCustomerManager(%d, %d)", partnerID, userID)
	users, err := identity.Users{DB: s.DB}.ByIDs(ctx, []int64{userID})
	if err != nil {
		return false, err
	}
	u := users[userID]
	if u == nil || u.Kind != identity.KindPartner || u.TenantID() != partnerID || u.Status != identity.StatusActive {
		return false, nil
	}
	holders, err := s.holdingPreset(ctx, []int64{userID}, access.PresetCustomerManagerKey)
	return holders[userID], err
}

// holdingPreset is the set of users among ids who hold the preset role.
func (s Members) holdingPreset(ctx context.Context, ids []int64, preset string) (map[int64]bool, error) {
	out := map[int64]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	var holders []int64
	if err := s.DB.WithContext(ctx).Raw(`SELECT DISTINCT ur.user_id FROM user_roles ur JOIN roles r ON r.id = ur.role_id
		WHERE ur.user_id IN ? AND r.preset = ?`, ids, preset).Scan(&holders).Error; err != nil {
		return nil, err
	}
	for _, id := range holders {
		out[id] = true
	}
	return out, nil
}

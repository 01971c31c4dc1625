package identity

import (
	"context"

	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
)

// The reads below answer other packages' questions about users (issue 8,
// "Tables have owners": identity owns users, the others ask it). Each
// takes a batch of ids where the caller has a list, so a page costs one
// query per batch, never one per row. Run them on a transaction by
// building Users{DB: tx}.

// Names answers the display name of each user (its login name when it has
// none), by id; ids of no user are absent from the map.
func (s Users) Names(ctx context.Context, ids []int64) (_ map[int64]string, err error) {
	defer apperr.Wrap(&err, "identity.Names(%d ids)", len(ids))
	return db.Labels(ctx, s.DB, &User{}, "COALESCE(NULLIF(display_name, ''), login_name)", ids)
}

// ByIDs loads the users with these ids, by id; ids of no user are absent
// from the map.
func (s Users) ByIDs(ctx context.Context, ids []int64) (_ map[int64]*User, err error) {
	defer apperr.Wrap(&err, "identity.ByIDs(%d ids)", len(ids))
	out := map[int64]*User{}
	ids = db.IDs(ids)
	if len(ids) == 0 {
		return out, nil
	}
	var users []User
	if err := s.DB.WithContext(ctx).Where("id IN ?", ids).Find(&users).Error; err != nil {
		return nil, err
	}
	for i := range users {
		out[users[i].ID] = &users[i]
	}
	return out, nil
}

// MainAccountID is the user id of a partner's main account, or 0 when it
// has none.
func (s Users) MainAccountID(ctx context.Context, partnerID int64) (_ int64, err error) {
	defer apperr.Wrap(&err, "identity.MainAccountID(%d)", partnerID)
	var ids []int64
	if err := s.DB.WithContext(ctx).Model(&User{}).Where("partner_id = ? AND is_main", partnerID).
		Limit(1).Pluck("id", &ids).Error; err != nil || len(ids) == 0 {
		return 0, err
	}
	return ids[0], nil
}

// MainAccounts loads the main account of each partner, by partner id;
// partners without one are absent from the map.
func (s Users) MainAccounts(ctx context.Context, partnerIDs []int64) (_ map[int64]*User, err error) {
	defer apperr.Wrap(&err, "identity.MainAccounts(%d ids)", len(partnerIDs))
	out := map[int64]*User{}
	partnerIDs = db.IDs(partnerIDs)
	if len(partnerIDs) == 0 {
		return out, nil
	}
	var users []User
	if err := s.DB.WithContext(ctx).Where("partner_id IN ? AND is_main", partnerIDs).Find(&users).Error; err != nil {
		return nil, err
	}
	for i := range users {
		out[users[i].TenantID()] = &users[i]
	}
	return out, nil
}

// MemberCounts counts the users (main account and members, any status) of
// each partner, by partner id; partners without users are absent.
func (s Users) MemberCounts(ctx context.Context, partnerIDs []int64) (_ map[int64]int64, err error) {
	defer apperr.Wrap(&err, "identity.MemberCounts(%d ids)", len(partnerIDs))
	out := map[int64]int64{}
	partnerIDs = db.IDs(partnerIDs)
	if len(partnerIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		PartnerID int64
		N         int64
	}
	if err := s.DB.WithContext(ctx).Model(&User{}).Select("partner_id, count(*) AS n").
		Where("partner_id IN ?", partnerIDs).Group("partner_id").Scan(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.PartnerID] = r.N
	}
	return out, nil
}

// ActiveMembers lists the active partner users (main account included) of
// a tenant, oldest first.
func (s Users) ActiveMembers(ctx context.Context, partnerID int64) (_ []User, err error) {
	defer apperr.Wrap(&err, "identity.ActiveMembers(%d)", partnerID)
	var out []User
	err = s.DB.WithContext(ctx).Where("partner_id = ? AND kind = ? AND status = ?", partnerID, KindPartner, StatusActive).
		Order("created_at, id").Find(&out).Error
	return out, err
}

// MembersNamed lists the ids of the partners' members (disabled ones too:
// they may have managed customers) whose display or login name contains
// name, case-insensitively — the 客户经理姓名 filters of the lists (a master
// distributor's lists name its resellers' managers too).
func (s Users) MembersNamed(ctx context.Context, partnerIDs []int64, name string) (_ []int64, err error) {
	defer apperr.Wrap(&err, "identity.MembersNamed(%v)", partnerIDs)
	like := db.Contains(name)
	var out []int64
	err = s.DB.WithContext(ctx).Model(&User{}).Where("partner_id IN ? AND kind = ? AND (display_name ILIKE ? OR login_name ILIKE ?)",
		partnerIDs, KindPartner, like, like).Order("id").Pluck("id", &out).Error
	return out, err
}

// Supervised lists every member of the tenant below supervisorID in the
// supervision tree (R57: the managers it supervises, the ones they
// supervise, and so on).
func (s Users) Supervised(ctx context.Context, supervisorID, partnerID int64) (_ []int64, err error) {
	defer apperr.Wrap(&err, "identity.Supervised(%d, %d)", supervisorID, partnerID)
	var out []int64
	err = s.DB.WithContext(ctx).Raw(supervisedSQL, supervisorID, partnerID).Scan(&out).Error
	return out, err
}

const supervisedSQL = `WITH RECURSIVE below(id) AS (
		SELECT id FROM users WHERE supervisor_id = ? AND partner_id = ?
		UNION SELECT u.id FROM users u JOIN below b ON u.supervisor_id = b.id
	) SELECT id FROM below`

// CustomerAccountID is the id of a customer console account with this
// email (case-insensitive), or 0 when there is none.
func (s Users) CustomerAccountID(ctx context.Context, email string) (_ int64, err error) {
	defer apperr.Wrap(&err, "identity.CustomerAccountID")
	var ids []int64
	if err := s.DB.WithContext(ctx).Model(&User{}).Where("kind = ? AND lower(email) = lower(?)", KindCustomer, email).
		Limit(1).Pluck("id", &ids).Error; err != nil || len(ids) == 0 {
		return 0, err
	}
	return ids[0], nil
}

// ActiveEcoManagers lists the active vendor ecosystem managers by display
// name.
func (s Users) ActiveEcoManagers(ctx context.Context) (_ []User, err error) {
	defer apperr.Wrap(&err, "identity.ActiveEcoManagers")
	var out []User
	err = s.DB.WithContext(ctx).Where("kind = ? AND vendor_role = ? AND status = ?", KindVendor, VendorEcoManager, StatusActive).
		Order("display_name, id").Find(&out).Error
	return out, err
}

// ActiveStaff lists the active vendor staff holding one of the roles, by
// display name.
func (s Users) ActiveStaff(ctx context.Context, roles ...string) (_ []User, err error) {
	defer apperr.Wrap(&err, "identity.ActiveStaff")
	var out []User
	err = s.DB.WithContext(ctx).Where("kind = ? AND vendor_role IN ? AND status = ?", KindVendor, roles, StatusActive).
		Order("display_name, id").Find(&out).Error
	return out, err
}

// ReviewerPool is the ecosystem managers who review the onboarding of
// companies without an ecosystem manager, by id: the active ones the
// vendor administrator marked as onboarding reviewers, or every active
// ecosystem manager when none is marked.
func (s Users) ReviewerPool(ctx context.Context) (_ []int64, err error) {
	defer apperr.Wrap(&err, "identity.ReviewerPool")
	var out []int64
	err = s.DB.WithContext(ctx).Model(&User{}).
		Where("kind = ? AND vendor_role = ? AND status = ?", KindVendor, VendorEcoManager, StatusActive).
		Where(`onboarding_reviewer OR NOT EXISTS (SELECT 1 FROM users r
		       WHERE r.onboarding_reviewer AND r.status = 'active' AND r.vendor_role = 'eco_manager')`).
		Order("id").Pluck("id", &out).Error
	return out, err
}

// ActiveEcoManager reports an active vendor ecosystem manager (one who may
// review applications and look after partners).
func (u *User) ActiveEcoManager() bool {
	return u.Kind == KindVendor && u.VendorRoleName() == VendorEcoManager && u.Status == StatusActive
}

// Supervises reports whether the user supervises customer managers
// (客户经理主管, R57: another member's supervisor_id is it).
func (s Users) Supervises(ctx context.Context, userID int64) (_ bool, err error) {
	defer apperr.Wrap(&err, "identity.Supervises(%d)", userID)
	var n int64
	err = s.DB.WithContext(ctx).Model(&User{}).Where("supervisor_id = ?", userID).Limit(1).Count(&n).Error
	return n > 0, err
}

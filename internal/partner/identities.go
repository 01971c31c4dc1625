package partner

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"partnercenter/internal/platform/apperr"
)

// The writes below keep partner_identities, the set of programs and
// paths a partner holds now, which access reads for the default items
// and menus (seed 003 §7.1.1, §12.1.9.17). The program and path packages
// own the memberships themselves and call these in the same transaction
// (s.DB is that transaction), so the two never disagree. A change of the
// set changes every member's authorization stamp: menus follow on the
// next request.

// IdentitiesOf lists a partner's identities in a stable order.
func (s Store) IdentitiesOf(ctx context.Context, partnerID int64) (_ []string, err error) {
	defer apperr.Wrap(&err, "partner.IdentitiesOf(%d)", partnerID)
	ids := []string{}
	err = s.DB.WithContext(ctx).Model(&Identity{}).Where("partner_id = ?", partnerID).
		Order("identity").Pluck("identity", &ids).Error
	return ids, err
}

// AddIdentity gives a partner an identity (joined at at); holding it
// already changes nothing.
func (s Store) AddIdentity(ctx context.Context, partnerID int64, identity string, at time.Time) (err error) {
	defer apperr.Wrap(&err, "partner.AddIdentity(%d, %s)", partnerID, identity)
	return s.DB.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).
		Create(&Identity{PartnerID: partnerID, Identity: identity, JoinedAt: at.UTC()}).Error
}

// RemoveIdentity takes an identity away; not holding it changes nothing.
func (s Store) RemoveIdentity(ctx context.Context, partnerID int64, identity string) (err error) {
	defer apperr.Wrap(&err, "partner.RemoveIdentity(%d, %s)", partnerID, identity)
	return s.DB.WithContext(ctx).Where("partner_id = ? AND identity = ?", partnerID, identity).Delete(&Identity{}).Error
}

// SetParent links a cloud reseller to its master distributor. The link
// never changes (R74, seed 003 §5.3.5): a partner that has a parent
// already is refused with ErrParentFixed, whoever the parent is.
func (s Store) SetParent(ctx context.Context, partnerID, parentID int64, at time.Time) (err error) {
	defer apperr.Wrap(&err, "partner.SetParent(%d, %d)", partnerID, parentID)
	res := s.DB.WithContext(ctx).Model(&Partner{}).Where("id = ? AND parent_partner_id IS NULL AND id <> ?", partnerID, parentID).
		Updates(map[string]any{"parent_partner_id": parentID, "updated_at": at.UTC()})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return apperr.Conflict(ErrParentFixed)
	}
	return nil
}

// ErrParentFixed is the refusal of a second master distributor (the
// inferred wording of §5.3.5–5.3.6, build-plan 1.C).
const ErrParentFixed = "program.err.parent_fixed"

// SameEntityWith lists the other active partner accounts of a partner's
// legal entity (same credit code) that hold an identity, by id (§5.1.3:
// one solution-provider account per legal entity).
func (s Store) SameEntityWith(ctx context.Context, partnerID int64, identity string) (_ []Partner, err error) {
	defer apperr.Wrap(&err, "partner.SameEntityWith(%d, %s)", partnerID, identity)
	var out []Partner
	err = s.DB.WithContext(ctx).
		Where(`credit_code = (SELECT credit_code FROM partners WHERE id = ?) AND id <> ? AND status = ?`, partnerID, partnerID, StatusActive).
		Where("EXISTS (SELECT 1 FROM partner_identities pi WHERE pi.partner_id = partners.id AND pi.identity = ?)", identity).
		Order("id").Find(&out).Error
	return out, err
}

package partner

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm/clause"

	"partnercenter/internal/identity"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
)

// The reads below answer other packages' questions about partners (issue
// 8, "Tables have owners": partner owns partners, the others ask it). A
// list asks for a batch of ids at once: one query per batch, never one
// per row. Inside a transaction, build Store{DB: tx}.

// Names answers each partner's name, by id; ids of no partner are absent
// from the map.
func (s Store) Names(ctx context.Context, ids []int64) (_ map[int64]string, err error) {
	defer apperr.Wrap(&err, "partner.Names(%d ids)", len(ids))
	return db.Labels(ctx, s.DB, &Partner{}, "name", ids)
}

// Name is one partner's name, or "" when there is no such partner.
func (s Store) Name(ctx context.Context, id int64) (string, error) {
	names, err := s.Names(ctx, []int64{id})
	return names[id], err
}

// Exists reports whether there is a partner with this id.
func (s Store) Exists(ctx context.Context, id int64) (_ bool, err error) {
	defer apperr.Wrap(&err, "partner.Exists(%d)", id)
	var n int64
	err = s.DB.WithContext(ctx).Model(&Partner{}).Where("id = ?", id).Count(&n).Error
	return n > 0, err
}

// Lock takes a row lock on a partner until the end of the caller's
// transaction (s.DB is that transaction), serializing work on one tenant:
// strength "UPDATE" or "NO KEY UPDATE" (the latter does not block rows
// inserted with a foreign key to the partner). No such partner is
// apperr.NotFound.
func (s Store) Lock(ctx context.Context, id int64, strength string) (err error) {
	defer apperr.Wrap(&err, "partner.Lock(%d)", id)
	if strength != "UPDATE" && strength != "NO KEY UPDATE" {
		return apperr.Invalid("error.bad_request")
	}
	var ids []int64
	if err := s.DB.WithContext(ctx).Model(&Partner{}).Clauses(clause.Locking{Strength: strength}).
		Where("id = ?", id).Pluck("id", &ids).Error; err != nil {
		return err
	}
	if len(ids) == 0 {
		return apperr.NotFound()
	}
	return nil
}

// ResellerIDs lists the cloud resellers of a master distributor (R64:
// partners whose parent is masterID), by id.
func (s Store) ResellerIDs(ctx context.Context, masterID int64) (_ []int64, err error) {
	defer apperr.Wrap(&err, "partner.ResellerIDs(%d)", masterID)
	var ids []int64
	err = s.DB.WithContext(ctx).Model(&Partner{}).Where("parent_partner_id = ?", masterID).Order("id").Pluck("id", &ids).Error
	return ids, err
}

// HasResellers reports whether a partner is master distributor of any
// cloud reseller.
func (s Store) HasResellers(ctx context.Context, masterID int64) (_ bool, err error) {
	defer apperr.Wrap(&err, "partner.HasResellers(%d)", masterID)
	var n int64
	err = s.DB.WithContext(ctx).Model(&Partner{}).Where("parent_partner_id = ?", masterID).Limit(1).Count(&n).Error
	return n > 0, err
}

// LookedAfterBy lists the partners an ecosystem manager is responsible
// for, by id.
func (s Store) LookedAfterBy(ctx context.Context, ecoManagerID int64) (_ []int64, err error) {
	defer apperr.Wrap(&err, "partner.LookedAfterBy(%d)", ecoManagerID)
	var ids []int64
	err = s.DB.WithContext(ctx).Model(&Partner{}).Where("eco_manager_id = ?", ecoManagerID).Order("id").Pluck("id", &ids).Error
	return ids, err
}

// Count counts every partner.
func (s Store) Count(ctx context.Context) (_ int64, err error) {
	defer apperr.Wrap(&err, "partner.Count")
	var n int64
	err = s.DB.WithContext(ctx).Model(&Partner{}).Count(&n).Error
	return n, err
}

// CountByEcoManager counts the partners each ecosystem manager is
// responsible for, by manager id; managers with none are absent.
func (s Store) CountByEcoManager(ctx context.Context, managerIDs []int64) (_ map[int64]int64, err error) {
	defer apperr.Wrap(&err, "partner.CountByEcoManager(%d ids)", len(managerIDs))
	out := map[int64]int64{}
	managerIDs = db.IDs(managerIDs)
	if len(managerIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		EcoManagerID int64
		N            int64
	}
	if err := s.DB.WithContext(ctx).Model(&Partner{}).Select("eco_manager_id, count(*) AS n").
		Where("eco_manager_id IN ?", managerIDs).Group("eco_manager_id").Scan(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.EcoManagerID] = r.N
	}
	return out, nil
}

// EcoManager is the partner's ecosystem manager when it is an active
// ecosystem manager (the one to review its applications), or 0: no such
// partner, none assigned, or one disabled or no longer in that role.
func (s Store) EcoManager(ctx context.Context, partnerID int64) (_ int64, err error) {
	defer apperr.Wrap(&err, "partner.EcoManager(%d)", partnerID)
	var rows []struct{ EcoManagerID *int64 }
	if err := s.DB.WithContext(ctx).Model(&Partner{}).Select("eco_manager_id").Where("id = ?", partnerID).Scan(&rows).Error; err != nil {
		return 0, err
	}
	if len(rows) == 0 || rows[0].EcoManagerID == nil {
		return 0, nil
	}
	eco := *rows[0].EcoManagerID
	users, err := identity.Users{DB: s.DB}.ByIDs(ctx, []int64{eco})
	if err != nil {
		return 0, err
	}
	if u := users[eco]; u != nil && u.ActiveEcoManager() {
		return u.ID, nil
	}
	return 0, nil
}

// Option is a partner in vendor staff's partner picker.
type Option struct {
	ID         int64
	Name       string
	CreditCode string
	ParentName string // its master distributor's name, for a cloud reseller
}

// Options lists up to 100 partners whose name contains q or whose credit
// code or id equals it (every partner for an empty q), by name; selected
// (when not 0) is always included, first when it does not match.
func (s Store) Options(ctx context.Context, q string, selected int64) (_ []Option, err error) {
	defer apperr.Wrap(&err, "partner.Options")
	g := s.DB.WithContext(ctx).Table("partners p").
		Select("p.id, p.name, p.credit_code, COALESCE(pp.name, '') AS parent_name").
		Joins("LEFT JOIN partners pp ON pp.id = p.parent_partner_id")
	if q = strings.TrimSpace(q); q != "" {
		like := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(strings.ToLower(q)) + "%"
		g = g.Where("(lower(p.name) LIKE ? OR p.credit_code = ? OR p.id = ?)", like, strings.ToUpper(q), selected)
	}
	var out []Option
	if err := g.Order("p.name, p.id").Limit(100).Scan(&out).Error; err != nil {
		return nil, err
	}
	for _, o := range out {
		if o.ID == selected {
			return out, nil
		}
	}
	if selected != 0 {
		var one []Option
		if err := s.DB.WithContext(ctx).Table("partners p").Select("p.id, p.name, p.credit_code, '' AS parent_name").
			Where("p.id = ?", selected).Scan(&one).Error; err != nil {
			return nil, err
		}
		out = append(one, out...)
	}
	return out, nil
}

// SigningEntityChangedAt is when the partner's signing entity became
// 华为云计算 (§12.1.9.4): nil while it is 华为软件, and for no such partner.
func (s Store) SigningEntityChangedAt(ctx context.Context, id int64) (_ *time.Time, err error) {
	defer apperr.Wrap(&err, "partner.SigningEntityChangedAt(%d)", id)
	var rows []struct{ SigningEntityChangedAt *time.Time }
	err = s.DB.WithContext(ctx).Model(&Partner{}).Select("signing_entity_changed_at").Where("id = ?", id).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	return rows[0].SigningEntityChangedAt, nil
}

// SigningEntityChanges is SigningEntityChangedAt for several partners at
// once: partners whose entity never changed (or that do not exist) are
// absent.
func (s Store) SigningEntityChanges(ctx context.Context, ids []int64) (_ map[int64]time.Time, err error) {
	defer apperr.Wrap(&err, "partner.SigningEntityChanges(%d)", len(ids))
	out := map[int64]time.Time{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID                     int64
		SigningEntityChangedAt time.Time
	}
	if err := s.DB.WithContext(ctx).Model(&Partner{}).Select("id, signing_entity_changed_at").
		Where("id IN ? AND signing_entity_changed_at IS NOT NULL", ids).Scan(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.ID] = r.SigningEntityChangedAt
	}
	return out, nil
}

// SetPCEWhitelisted sets the flag; it reports whether it changed.
func (s Store) SetPCEWhitelisted(ctx context.Context, id int64, on bool) (_ bool, err error) {
	defer apperr.Wrap(&err, "partner.SetPCEWhitelisted(%d)", id)
	res := s.DB.WithContext(ctx).Model(&Partner{}).Where("id = ? AND pce_whitelisted <> ?", id, on).Update("pce_whitelisted", on)
	return res.RowsAffected == 1, res.Error
}

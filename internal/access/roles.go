package access

import (
	"context"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/audit"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
)

// PresetCustomerManagerKey is roles.preset of the fixed 客户经理 role
// (seed 003 §7.1.4). The role is one global row (partner_id NULL) that
// every tenant may assign; its items are PresetCustomerManager.
const PresetCustomerManagerKey = "customer_manager"

// MaxRolesPerMember is how many roles one member may hold: "一个业务员最多
// 只能有3个角色" (seed 003 §12.1.9.3).
const MaxRolesPerMember = 3

// Limits of a role's fields (the roles table checks them too).
const (
	MaxRoleNameLen        = 64
	MaxRoleDescriptionLen = 200
)

// Role is a row of roles: a tenant's custom role, or the preset 客户经理
// role (Preset set, PartnerID nil).
type Role struct {
	ID          int64
	PartnerID   *int64
	Preset      *string
	Name        string
	Description string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// TableName maps Role to roles.
func (Role) TableName() string { return "roles" }

// IsPreset reports the fixed 客户经理 role.
func (r *Role) IsPreset() bool { return r.Preset != nil }

// RoleDetail is a role with its items and how many members of the tenant
// hold it.
type RoleDetail struct {
	Role
	Items   []Item
	Members int64
}

// RoleInput is what the role editor submits.
type RoleInput struct {
	Name        string
	Description string
	Items       []string
}

// roleSnapshot is what the audit trail keeps of a role.
type roleSnapshot struct {
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Items       []string `json:"items"`
}

func snapshotOf(name, desc string, items []Item) roleSnapshot {
	s := roleSnapshot{Name: name, Description: desc, Items: []string{}}
	for _, it := range items {
		s.Items = append(s.Items, string(it))
	}
	return s
}

// NormalizeItems turns submitted item ids into a sorted, de-duplicated
// set. Anything that is not a grantable partner action item (vendor items,
// MainOnly items such as 修改公司信息, menu or page nodes, unknown ids) is
// refused: a role can only hold what the role editor offers.
func NormalizeItems(raw []string) ([]Item, error) {
	seen := map[Item]bool{}
	out := []Item{}
	for _, s := range raw {
		it := Item(strings.TrimSpace(s))
		if it == "" || seen[it] {
			continue
		}
		if !Grantable(it) {
			return nil, apperr.FieldError("items", "org.roles.err.item_not_grantable")
		}
		seen[it] = true
		out = append(out, it)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out, nil
}

// CanGrant reports whether actor may put these items in a role or give
// them to a member: the main account may grant everything grantable; a
// member holding a management item may grant only items it holds itself,
// so org.members.manage or org.roles.manage never lead to more rights than
// the actor has. Items in already (the role's or member's current items)
// may stay.
func CanGrant(actor *Principal, items []Item, already map[Item]bool) bool {
	if actor == nil {
		return false
	}
	for _, it := range items {
		if !Grantable(it) {
			return false
		}
		if actor.IsMain || already[it] {
			continue
		}
		if !actor.Items[it] {
			return false
		}
	}
	return true
}

// RoleItems returns the items of a role: the fixed set for the preset
// role, the role_items rows otherwise (only grantable ones count).
func RoleItems(ctx context.Context, g *gorm.DB, r *Role) ([]Item, error) {
	if r.IsPreset() {
		return append([]Item(nil), PresetCustomerManager...), nil
	}
	var raw []string
	if err := g.WithContext(ctx).Table("role_items").Where("role_id = ?", r.ID).Order("item").
		Pluck("item", &raw).Error; err != nil {
		return nil, err
	}
	out := make([]Item, 0, len(raw))
	for _, s := range raw {
		if Grantable(Item(s)) {
			out = append(out, Item(s))
		}
	}
	return out, nil
}

// Roles manages a tenant's roles. Every method takes the acting partner
// member first (Principal.Tenant: anyone else is refused) and never
// touches another tenant's rows; another tenant's role is
// apperr.NotFound.
type Roles struct {
	DB    *gorm.DB
	Clock clock.Clock
}

// Assignable lists the roles a member of the actor's tenant may be
// given: the preset 客户经理 role first, then the tenant's custom roles
// by name.
func (s Roles) Assignable(ctx context.Context, actor *Principal) (_ []Role, err error) {
	defer apperr.Wrap(&err, "access.Assignable")
	partnerID, err := actor.Tenant()
	if err != nil {
		return nil, err
	}
	return s.assignable(ctx, partnerID)
}

func (s Roles) assignable(ctx context.Context, partnerID int64) ([]Role, error) {
	var rs []Role
	err := s.DB.WithContext(ctx).Where("partner_id = ? OR preset IS NOT NULL", partnerID).
		Order("preset IS NULL, lower(name), id").Find(&rs).Error
	return rs, err
}

// List returns the preset role and the actor's tenant's custom roles
// with their items and member counts (members of this tenant only).
func (s Roles) List(ctx context.Context, actor *Principal) (_ []RoleDetail, err error) {
	defer apperr.Wrap(&err, "access.List")
	partnerID, err := actor.Tenant()
	if err != nil {
		return nil, err
	}
	rs, err := s.assignable(ctx, partnerID)
	if err != nil {
		return nil, err
	}
	counts, err := s.memberCounts(ctx, partnerID)
	if err != nil {
		return nil, err
	}
	items, err := roleItemsOf(ctx, s.DB, rs)
	if err != nil {
		return nil, err
	}
	out := make([]RoleDetail, 0, len(rs))
	for i := range rs {
		out = append(out, RoleDetail{Role: rs[i], Items: items[rs[i].ID], Members: counts[rs[i].ID]})
	}
	return out, nil
}

// roleItemsOf is RoleItems of many roles in one read.
func roleItemsOf(ctx context.Context, g *gorm.DB, rs []Role) (map[int64][]Item, error) {
	out := map[int64][]Item{}
	var ids []int64
	for i := range rs {
		if rs[i].IsPreset() {
			out[rs[i].ID] = append([]Item(nil), PresetCustomerManager...)
		} else {
			ids = append(ids, rs[i].ID)
			out[rs[i].ID] = []Item{}
		}
	}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		RoleID int64
		Item   string
	}
	if err := g.WithContext(ctx).Table("role_items").Where("role_id IN ?", ids).Order("role_id, item").
		Select("role_id, item").Scan(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		if Grantable(Item(r.Item)) {
			out[r.RoleID] = append(out[r.RoleID], Item(r.Item))
		}
	}
	return out, nil
}

func (s Roles) memberCounts(ctx context.Context, partnerID int64) (map[int64]int64, error) {
	var rows []struct {
		RoleID int64
		N      int64
	}
	err := s.DB.WithContext(ctx).Raw(`
		SELECT ur.role_id, count(*) AS n
		FROM user_roles ur JOIN users u ON u.id = ur.user_id
		WHERE u.partner_id = ?
		GROUP BY ur.role_id`, partnerID).Scan(&rows).Error
	m := map[int64]int64{}
	for _, r := range rows {
		m[r.RoleID] = r.N
	}
	return m, err
}

// Get returns one role of the actor's tenant (or the preset role) with
// its items and member count.
func (s Roles) Get(ctx context.Context, actor *Principal, id int64) (_ *RoleDetail, err error) {
	defer apperr.Wrap(&err, "access.Get(%d)", id)
	partnerID, err := actor.Tenant()
	if err != nil {
		return nil, err
	}
	r, err := s.find(ctx, s.DB, partnerID, id, false)
	if err != nil {
		return nil, err
	}
	items, err := RoleItems(ctx, s.DB, r)
	if err != nil {
		return nil, err
	}
	counts, err := s.memberCounts(ctx, partnerID)
	if err != nil {
		return nil, err
	}
	return &RoleDetail{Role: *r, Items: items, Members: counts[r.ID]}, nil
}

func (s Roles) find(ctx context.Context, g *gorm.DB, partnerID, id int64, lock bool) (*Role, error) {
	var r Role
	q := g.WithContext(ctx).Where("id = ? AND (partner_id = ? OR preset IS NOT NULL)", id, partnerID)
	if lock {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	err := q.First(&r).Error
	if db.IsNotFound(err) {
		return nil, apperr.NotFound()
	}
	return &r, err
}

// Defaults returns the items every member of the actor's tenant holds
// without a role (seed 003 §7.1.1, table 7-1).
func (s Roles) Defaults(ctx context.Context, actor *Principal) (_ []Item, err error) {
	defer apperr.Wrap(&err, "access.Defaults")
	partnerID, err := actor.Tenant()
	if err != nil {
		return nil, err
	}
	var ids []string
	if err := s.DB.WithContext(ctx).Table("partner_identities").Where("partner_id = ?", partnerID).
		Pluck("identity", &ids).Error; err != nil {
		return nil, err
	}
	return DefaultItems(ids), nil
}

func (s Roles) validate(ctx context.Context, g *gorm.DB, partnerID, selfID int64, in *RoleInput) ([]Item, error) {
	in.Name = strings.TrimSpace(in.Name)
	in.Description = strings.TrimSpace(in.Description)
	f := apperr.Fields{}
	switch n := utf8.RuneCountInString(in.Name); {
	case n == 0:
		f.Add("name", "org.roles.err.name_required")
	case n > MaxRoleNameLen:
		f.Add("name", "org.roles.err.name_too_long")
	}
	if utf8.RuneCountInString(in.Description) > MaxRoleDescriptionLen {
		f.Add("description", "org.roles.err.description_too_long")
	}
	items, err := NormalizeItems(in.Items)
	if err != nil {
		f.Add("items", "org.roles.err.item_not_grantable")
	} else if len(items) == 0 {
		f.Add("items", "org.roles.err.items_required")
	}
	if _, taken := f["name"]; !taken && in.Name != "" {
		// The preset role's name is reserved, and names are unique per
		// tenant regardless of case.
		var n int64
		if err := g.WithContext(ctx).Model(&Role{}).
			Where("lower(name) = lower(?) AND (partner_id = ? OR preset IS NOT NULL) AND id <> ?", in.Name, partnerID, selfID).
			Count(&n).Error; err != nil {
			return nil, err
		}
		if n > 0 {
			f.Add("name", "org.roles.err.name_taken")
		}
	}
	return items, f.Err()
}

// Create adds a custom role to the actor's tenant.
func (s Roles) Create(ctx context.Context, actor *Principal, in RoleInput) (_ int64, err error) {
	defer apperr.Wrap(&err, "access.Create")
	pid, err := actor.Tenant()
	if err != nil {
		return 0, err
	}
	var id int64
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		items, err := s.validate(ctx, tx, pid, 0, &in)
		if err != nil {
			return err
		}
		if !CanGrant(actor, items, nil) {
			return apperr.FieldError("items", "org.roles.err.exceeds_own")
		}
		now := s.Clock.Now()
		r := Role{PartnerID: &pid, Name: in.Name, Description: in.Description, CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(&r).Error; err != nil {
			if _, ok := db.IsUniqueViolation(err); ok {
				return apperr.FieldError("name", "org.roles.err.name_taken")
			}
			return err
		}
		id = r.ID
		if err := writeItems(tx, r.ID, items); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pid, Action: "org.role.create", ObjectType: "role",
			ObjectID: r.ID, After: snapshotOf(r.Name, r.Description, items)})
	})
	return id, err
}

func writeItems(tx *gorm.DB, roleID int64, items []Item) error {
	if err := tx.Exec(`DELETE FROM role_items WHERE role_id = ?`, roleID).Error; err != nil {
		return err
	}
	for _, it := range items {
		if err := tx.Exec(`INSERT INTO role_items (role_id, item) VALUES (?, ?)`, roleID, string(it)).Error; err != nil {
			return err
		}
	}
	return nil
}

// Update changes a custom role's name, description and items. The preset
// 客户经理 role is fixed (seed 003 §7.1.4). Members holding the role get
// the new items on their next request (Load reads roles per request).
func (s Roles) Update(ctx context.Context, actor *Principal, id int64, in RoleInput) (err error) {
	defer apperr.Wrap(&err, "access.Update(%d)", id)
	pid, err := actor.Tenant()
	if err != nil {
		return err
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		r, err := s.find(ctx, tx, pid, id, true)
		if err != nil {
			return err
		}
		if r.IsPreset() {
			return apperr.Conflict("org.roles.err.preset_fixed")
		}
		items, err := s.validate(ctx, tx, pid, r.ID, &in)
		if err != nil {
			return err
		}
		old, err := RoleItems(ctx, tx, r)
		if err != nil {
			return err
		}
		had := map[Item]bool{}
		for _, it := range old {
			had[it] = true
		}
		if !CanGrant(actor, items, had) {
			return apperr.FieldError("items", "org.roles.err.exceeds_own")
		}
		before := snapshotOf(r.Name, r.Description, old)
		now := s.Clock.Now()
		res := tx.Model(&Role{}).Where("id = ? AND partner_id = ?", r.ID, pid).
			Updates(map[string]any{"name": in.Name, "description": in.Description, "updated_at": now})
		if res.Error != nil {
			if _, ok := db.IsUniqueViolation(res.Error); ok {
				return apperr.FieldError("name", "org.roles.err.name_taken")
			}
			return res.Error
		}
		if err := writeItems(tx, r.ID, items); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pid, Action: "org.role.update", ObjectType: "role",
			ObjectID: r.ID, Before: before, After: snapshotOf(in.Name, in.Description, items)})
	})
}

// Delete removes a custom role. A role that members still hold is not
// deleted: the admin first takes it away from them, so nobody loses
// rights by surprise.
func (s Roles) Delete(ctx context.Context, actor *Principal, id int64) (err error) {
	defer apperr.Wrap(&err, "access.Delete(%d)", id)
	pid, err := actor.Tenant()
	if err != nil {
		return err
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		r, err := s.find(ctx, tx, pid, id, true)
		if err != nil {
			return err
		}
		if r.IsPreset() {
			return apperr.Conflict("org.roles.err.preset_fixed")
		}
		var holders int64
		if err := tx.Table("user_roles").Where("role_id = ?", r.ID).Count(&holders).Error; err != nil {
			return err
		}
		if holders > 0 {
			return apperr.Conflict("org.roles.err.in_use", map[string]any{"Count": holders})
		}
		items, err := RoleItems(ctx, tx, r)
		if err != nil {
			return err
		}
		if err := tx.Where("id = ? AND partner_id = ?", r.ID, pid).Delete(&Role{}).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: s.Clock.Now(), PartnerID: pid, Action: "org.role.delete", ObjectType: "role",
			ObjectID: r.ID, Before: snapshotOf(r.Name, r.Description, items)})
	})
}

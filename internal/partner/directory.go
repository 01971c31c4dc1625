package partner

import (
	"context"
	"strings"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/identity"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
)

// DirectoryFilter filters the vendor's partner list.
type DirectoryFilter struct {
	Query    string // name or credit code
	Status   string
	Identity string
	Sort     string // name, joined, status
	Desc     bool
	Page     int
	PerPage  int
}

// DirectoryRow is one partner in the vendor's list.
type DirectoryRow struct {
	Partner
	Identities     string // comma-separated identity keys
	EcoManagerName string
	MainLogin      string
	Members        int64
	ParentName     string
}

// Directory is the vendor staff's view of partners.
type Directory struct {
	DB    *gorm.DB
	Clock clock.Clock
}

// seesAll reports a vendor staff member who sees (and assigns) every
// partner: the vendor administrator, or whoever holds the assignment.
func seesAll(p *access.Principal) bool {
	return p.VendorRole == "vendor_admin" || p.Can(access.VendorPartnersAssign)
}

// scope is the partners the vendor staff member may see: all of them for
// the vendor administrator, the ones it is responsible for for an
// ecosystem manager. Anyone but vendor staff is refused.
func (d Directory) scope(ctx context.Context, p *access.Principal) (*gorm.DB, error) {
	uid, err := p.Staff()
	if err != nil {
		return nil, err
	}
	q := d.DB.Table("partners p")
	if !seesAll(p) {
		q = q.Where("p.eco_manager_id = ?", uid)
	}
	return q.WithContext(ctx), nil
}

// Seen narrows q, whose partner id column is col, to the partners the
// vendor staff member may see (Directory's own scope): every partner for
// whoever sees all, else the ones it looks after. Anyone but vendor staff
// is refused.
func (d Directory) Seen(p *access.Principal, q *gorm.DB, col string) (*gorm.DB, error) {
	uid, err := p.Staff()
	if err != nil {
		return nil, err
	}
	if seesAll(p) {
		return q, nil
	}
	return q.Where(col+" IN (?)", d.DB.Table("partners").Select("id").Where("eco_manager_id = ?", uid)), nil
}

// Choice is a partner in a form's partner select.
type Choice struct {
	ID   int64
	Name string
}

// Choices are the active partners the vendor staff member may see, by
// name, for a form's select: one query, without the directory's counts.
func (d Directory) Choices(ctx context.Context, p *access.Principal) (_ []Choice, err error) {
	defer apperr.Wrap(&err, "partner.Choices")
	q, err := d.Seen(p, d.DB.WithContext(ctx).Table("partners p"), "p.id")
	if err != nil {
		return nil, err
	}
	var out []Choice
	err = q.Where("p.status = ?", StatusActive).Select("p.id, p.name").Order("p.name, p.id").Scan(&out).Error
	return out, err
}

const directoryColumns = `p.*,
		(SELECT string_agg(i.identity, ',' ORDER BY i.identity) FROM partner_identities i WHERE i.partner_id = p.id) AS identities,
		(SELECT pp.name FROM partners pp WHERE pp.id = p.parent_partner_id) AS parent_name`

// withUsers fills the rows' columns that come from users (identity owns
// them): the ecosystem manager's name, the main account's login and the
// number of users, three queries for the whole page.
func withUsers(ctx context.Context, g *gorm.DB, rows []DirectoryRow) error {
	if len(rows) == 0 {
		return nil
	}
	var ids, managers []int64
	for _, r := range rows {
		ids = append(ids, r.ID)
		if r.EcoManagerID != nil {
			managers = append(managers, *r.EcoManagerID)
		}
	}
	users := identity.Users{DB: g}
	names, err := users.Names(ctx, managers)
	if err != nil {
		return err
	}
	mains, err := users.MainAccounts(ctx, ids)
	if err != nil {
		return err
	}
	counts, err := users.MemberCounts(ctx, ids)
	if err != nil {
		return err
	}
	for i := range rows {
		r := &rows[i]
		if r.EcoManagerID != nil {
			r.EcoManagerName = names[*r.EcoManagerID]
		}
		if m := mains[r.ID]; m != nil {
			r.MainLogin = m.LoginName
		}
		r.Members = counts[r.ID]
	}
	return nil
}

var directorySorts = map[string]string{"name": "p.name", "joined": "p.joined_hcpn_at", "status": "p.status", "created": "p.created_at"}

// List returns one page of partners visible to the actor and the total.
func (d Directory) List(ctx context.Context, p *access.Principal, f DirectoryFilter) (_ []DirectoryRow, _ int64, err error) {
	defer apperr.Wrap(&err, "partner.List")
	q, err := d.scope(ctx, p)
	if err != nil {
		return nil, 0, err
	}
	if s := strings.TrimSpace(f.Query); s != "" {
		like := "%" + strings.ToLower(s) + "%"
		q = q.Where("(lower(p.name) LIKE ? OR p.credit_code LIKE ?)", like, strings.ToUpper(like))
	}
	if f.Status != "" {
		q = q.Where("p.status = ?", f.Status)
	}
	if f.Identity != "" {
		q = q.Where("EXISTS (SELECT 1 FROM partner_identities i WHERE i.partner_id = p.id AND i.identity = ?)", f.Identity)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	order, ok := directorySorts[f.Sort]
	if !ok {
		order = "p.created_at"
		f.Desc = true
	}
	if f.Desc {
		order += " DESC NULLS LAST"
	}
	var rows []DirectoryRow
	if err := q.Select(directoryColumns).
		Order(order + ", p.id").Limit(f.PerPage).Offset((f.Page - 1) * f.PerPage).Scan(&rows).Error; err != nil {
		return nil, 0, err
	}
	if err := withUsers(ctx, d.DB, rows); err != nil {
		return nil, 0, err
	}
	return rows, total, nil
}

// Get returns one partner visible to the actor; any other is not found.
func (d Directory) Get(ctx context.Context, p *access.Principal, id int64) (_ *DirectoryRow, err error) {
	defer apperr.Wrap(&err, "partner.Get(%d)", id)
	q, err := d.scope(ctx, p)
	if err != nil {
		return nil, err
	}
	var row DirectoryRow
	err = q.Where("p.id = ?", id).Select(directoryColumns).Take(&row).Error
	if db.IsNotFound(err) {
		return nil, apperr.NotFound()
	}
	if err != nil {
		return nil, err
	}
	one := []DirectoryRow{row}
	if err := withUsers(ctx, d.DB, one); err != nil {
		return nil, err
	}
	return &one[0], nil
}

// EcoManager is a vendor ecosystem manager available for assignment.
type EcoManager struct {
	ID          int64
	LoginName   string
	DisplayName string
	Partners    int64
}

// EcoManagers lists the active ecosystem managers by name with how many
// partners each has.
func (d Directory) EcoManagers(ctx context.Context) (_ []EcoManager, err error) {
	defer apperr.Wrap(&err, "partner.EcoManagers")
	users, err := identity.Users{DB: d.DB}.ActiveEcoManagers(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(users))
	for i, u := range users {
		ids[i] = u.ID
	}
	counts, err := Store{DB: d.DB}.CountByEcoManager(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]EcoManager, len(users))
	for i, u := range users {
		out[i] = EcoManager{ID: u.ID, LoginName: u.LoginName, DisplayName: u.DisplayName, Partners: counts[u.ID]}
	}
	return out, nil
}

// AssignEcoManager makes an ecosystem manager responsible for a partner:
// only vendor staff who see every partner (the vendor administrator) may.
func (d Directory) AssignEcoManager(ctx context.Context, actor *access.Principal, partnerID, managerID int64) (err error) {
	defer apperr.Wrap(&err, "partner.AssignEcoManager(%d, %d)", partnerID, managerID)
	if _, err := actor.Staff(); err != nil {
		return err
	}
	if !seesAll(actor) {
		return apperr.Forbidden()
	}
	return db.WithTx(ctx, d.DB, func(tx *gorm.DB) error {
		var p Partner
		if err := tx.Clauses(lockForUpdate()).First(&p, partnerID).Error; err != nil {
			if db.IsNotFound(err) {
				return apperr.NotFound()
			}
			return err
		}
		managers, err := identity.Users{DB: tx}.ByIDs(ctx, []int64{managerID})
		if err != nil {
			return err
		}
		if m := managers[managerID]; m == nil || !m.ActiveEcoManager() {
			return apperr.FieldError("eco_manager_id", "vendor.partners.err.no_such_manager")
		}
		before := p.EcoManagerID
		if err := tx.Model(&Partner{}).Where("id = ?", p.ID).Updates(map[string]any{"eco_manager_id": managerID, "updated_at": d.Clock.Now().UTC()}).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{PartnerID: p.ID, Action: "partner.eco_manager.assign", ObjectType: "partner", ObjectID: p.ID,
			Before: map[string]any{"eco_manager_id": before}, After: map[string]any{"eco_manager_id": managerID}})
	})
}

package partner

import (
	"context"
	"strings"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
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

const directoryColumns = `p.*,
		(SELECT string_agg(i.identity, ',' ORDER BY i.identity) FROM partner_identities i WHERE i.partner_id = p.id) AS identities,
		(SELECT COALESCE(NULLIF(u.display_name, ''), u.login_name) FROM users u WHERE u.id = p.eco_manager_id) AS eco_manager_name,
		(SELECT u.login_name FROM users u WHERE u.partner_id = p.id AND u.is_main) AS main_login,
		(SELECT count(*) FROM users u WHERE u.partner_id = p.id) AS members,
		(SELECT pp.name FROM partners pp WHERE pp.id = p.parent_partner_id) AS parent_name`

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
	err = q.Select(directoryColumns).
		Order(order + ", p.id").Limit(f.PerPage).Offset((f.Page - 1) * f.PerPage).Scan(&rows).Error
	return rows, total, err
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
	return &row, err
}

// EcoManager is a vendor ecosystem manager available for assignment.
type EcoManager struct {
	ID          int64
	LoginName   string
	DisplayName string
	Partners    int64
}

// EcoManagers lists the ecosystem managers with how many partners each has.
func (d Directory) EcoManagers(ctx context.Context) (_ []EcoManager, err error) {
	defer apperr.Wrap(&err, "partner.EcoManagers")
	var out []EcoManager
	err = d.DB.WithContext(ctx).Raw(`SELECT u.id, u.login_name, u.display_name,
		(SELECT count(*) FROM partners p WHERE p.eco_manager_id = u.id) AS partners
		FROM users u WHERE u.kind = 'vendor' AND u.vendor_role = 'eco_manager' AND u.status = 'active'
		ORDER BY u.display_name, u.id`).Scan(&out).Error
	return out, err
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
		var n int64
		if err := tx.Table("users").Where("id = ? AND kind = 'vendor' AND vendor_role = 'eco_manager' AND status = 'active'", managerID).
			Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
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

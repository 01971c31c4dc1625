package opportunity

import (
	"context"
	"strings"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
)

// PerPage is a list page's default size.
const PerPage = 20

// Filter narrows a list: a state, a keyword (number or customer), a page.
type Filter struct {
	Status string
	Q      string
	Page   int
	Per    int
}

func (f *Filter) apply(q *gorm.DB) *gorm.DB {
	for _, st := range States {
		if f.Status == st {
			q = q.Where("o.status = ?", st)
		}
	}
	if kw := strings.TrimSpace(f.Q); kw != "" {
		like := db.Contains(kw)
		q = q.Where("(o.no ILIKE ? OR o.customer_name ILIKE ?)", like, like)
	}
	if f.Page <= 0 {
		f.Page = 1
	}
	if f.Per <= 0 || f.Per > 100 {
		f.Per = PerPage
	}
	return q
}

// Row is a list row; PartnerName is filled on the vendor's list.
type Row struct {
	Opportunity
	PartnerName string
}

// List is one page of the actor's tenant's POs (共享给华为), newest first.
func (s Service) List(ctx context.Context, p *access.Principal, f Filter) (_ []Row, total int64, err error) {
	defer apperr.Wrap(&err, "opportunity.List")
	pid, err := p.Tenant()
	if err != nil {
		return nil, 0, err
	}
	q := f.apply(s.DB.WithContext(ctx).Table("opportunities o").Where("o.partner_id = ?", pid))
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var out []Row
	err = q.Select("o.*").Order("o.created_at DESC, o.id DESC").Limit(f.Per).Offset((f.Page - 1) * f.Per).Scan(&out).Error
	return out, total, err
}

// Get reads one of the actor's tenant's POs (another's is 404).
func (s Service) Get(ctx context.Context, p *access.Principal, id int64) (_ *Opportunity, err error) {
	defer apperr.Wrap(&err, "opportunity.Get(%d)", id)
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	var o Opportunity
	if err := s.DB.WithContext(ctx).Where("id = ? AND partner_id = ?", id, pid).First(&o).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, apperr.NotFound()
		}
		return nil, err
	}
	return &o, nil
}

// VendorList is the POs of the partners the staff member may see (the
// vendor administrator: all; an ecosystem manager: its partners'), in
// review first, then newest.
func (s Service) VendorList(ctx context.Context, p *access.Principal, f Filter) (_ []Row, total int64, err error) {
	defer apperr.Wrap(&err, "opportunity.VendorList")
	uid, err := p.Staff()
	if err != nil {
		return nil, 0, err
	}
	q := s.DB.WithContext(ctx).Table("opportunities o").Joins("JOIN partners p ON p.id = o.partner_id").Where("o.status <> ?", StateDraft)
	if p.VendorRole != "vendor_admin" {
		q = q.Where("p.eco_manager_id = ?", uid)
	}
	q = f.apply(q)
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var out []Row
	err = q.Select("o.*, p.name AS partner_name").Order("o.status = 'in_review' DESC, o.submitted_at DESC, o.id DESC").
		Limit(f.Per).Offset((f.Page - 1) * f.Per).Scan(&out).Error
	return out, total, err
}

// Review is a PO on the reviewer's page with the earlier valid
// opportunities of its customer.
type Review struct {
	Opportunity
	PartnerName string
	Earlier     []Earlier
}

// VendorGet reads a PO for its reviewer (another partner's is 404; a
// draft is the partner's own).
func (s Service) VendorGet(ctx context.Context, p *access.Principal, id int64) (_ *Review, err error) {
	defer apperr.Wrap(&err, "opportunity.VendorGet(%d)", id)
	if _, err := p.Staff(); err != nil {
		return nil, err
	}
	var o Opportunity
	if err := s.DB.WithContext(ctx).Where("id = ? AND status <> ?", id, StateDraft).First(&o).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, apperr.NotFound()
		}
		return nil, err
	}
	row, err := partner.Directory{DB: s.DB}.Get(ctx, p, o.PartnerID)
	if err != nil {
		return nil, err
	}
	r := &Review{Opportunity: o, PartnerName: row.Name}
	r.Earlier, err = earlier(ctx, s.DB, &o)
	return r, err
}

package opportunity

import (
	"context"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
)

// PerPage is a list page's default size.
const PerPage = 20

// Filter narrows a PO or HO list: a state, a keyword (number or
// customer), a page.
type Filter struct {
	Status string
	Q      string
	Page   int
	Per    int
}

// apply narrows q over the table aliased a (o: POs, h: HOs) whose states
// are states.
func (f *Filter) apply(q *gorm.DB, a string, states []string) *gorm.DB {
	if slices.Contains(states, f.Status) {
		q = q.Where(a+".status = ?", f.Status)
	}
	if kw := strings.TrimSpace(f.Q); kw != "" {
		like := db.Contains(kw)
		q = q.Where("("+a+".no ILIKE ? OR "+a+".customer_name ILIKE ?)", like, like)
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
	q := f.apply(s.DB.WithContext(ctx).Table("opportunities o").Where("o.partner_id = ?", pid), "o", States)
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
//
// Its total is capped at db.MaxCount (capped reports more).
func (s Service) VendorList(ctx context.Context, p *access.Principal, f Filter) (_ []Row, total int64, capped bool, err error) {
	defer apperr.Wrap(&err, "opportunity.VendorList")
	uid, err := p.Staff()
	if err != nil {
		return nil, 0, false, err
	}
	q := s.DB.WithContext(ctx).Table("opportunities o")
	if p.VendorRole != "vendor_admin" {
		// The manager's partners' POs, fetched by partner first (OFFSET 0
		// keeps the planner from walking a whole state's index in submit
		// order instead, which reads most of the table when the manager's
		// partners submitted long ago: docs/PERFORMANCE.md).
		ids, err := (partner.Store{DB: s.DB}).LookedAfterBy(ctx, uid)
		if err != nil {
			return nil, 0, false, err
		}
		if len(ids) == 0 {
			return nil, 0, false, nil
		}
		q = s.DB.WithContext(ctx).Table("(SELECT * FROM opportunities WHERE partner_id IN ? OFFSET 0) o", ids)
	}
	q = q.Joins("JOIN partners p ON p.id = o.partner_id").Where("o.status <> ?", StateDraft)
	q = f.apply(q, "o", States)
	if total, capped, err = db.CappedCount(q); err != nil {
		return nil, 0, false, err
	}
	// In review first when every state is listed; one state's page comes
	// in submit order straight from opportunities_review_idx.
	order := "o.submitted_at DESC, o.id DESC"
	if f.Status == "" {
		order = "o.status = 'in_review' DESC, " + order
	}
	var out []Row
	err = q.Select("o.*, p.name AS partner_name").Order(order).Limit(f.Per).Offset((f.Page - 1) * f.Per).Scan(&out).Error
	return out, total, capped, err
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
	r.Earlier, err = earlier(ctx, s.DB, &o, s.now())
	return r, err
}

// HORow is an HO list row; PartnerName is filled on the vendor's list.
type HORow struct {
	HO
	PartnerName string
}

// HOList is one page of the actor's tenant's HOs (由华为共享): 待接受 first
// (soonest due), then newest.
func (s Service) HOList(ctx context.Context, p *access.Principal, f Filter) (_ []HORow, total int64, err error) {
	defer apperr.Wrap(&err, "opportunity.HOList")
	pid, err := p.Tenant()
	if err != nil {
		return nil, 0, err
	}
	q := f.apply(s.DB.WithContext(ctx).Table("ho_opportunities h").Where("h.partner_id = ?", pid), "h", HOStates)
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var out []HORow
	err = q.Select("h.*").Order("h.status = 'pending' DESC, CASE WHEN h.status = 'pending' THEN h.due_at END, h.shared_at DESC, h.id DESC").
		Limit(f.Per).Offset((f.Page - 1) * f.Per).Scan(&out).Error
	return out, total, err
}

// HOGet reads one of the actor's tenant's HOs (another's is 404).
func (s Service) HOGet(ctx context.Context, p *access.Principal, id int64) (_ *HO, err error) {
	defer apperr.Wrap(&err, "opportunity.HOGet(%d)", id)
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	var h HO
	if err := s.DB.WithContext(ctx).Where("id = ? AND partner_id = ?", id, pid).First(&h).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, apperr.NotFound()
		}
		return nil, err
	}
	return &h, nil
}

// VendorHOList is the HOs shared with the partners the staff member may
// see (the vendor administrator: all; an ecosystem manager: its
// partners'), 待接受 first, then newest.
func (s Service) VendorHOList(ctx context.Context, p *access.Principal, f Filter) (_ []HORow, total int64, err error) {
	defer apperr.Wrap(&err, "opportunity.VendorHOList")
	uid, err := p.Staff()
	if err != nil {
		return nil, 0, err
	}
	q := s.DB.WithContext(ctx).Table("ho_opportunities h").Joins("JOIN partners p ON p.id = h.partner_id")
	if p.VendorRole != "vendor_admin" {
		q = q.Where("p.eco_manager_id = ?", uid)
	}
	q = f.apply(q, "h", HOStates)
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var out []HORow
	err = q.Select("h.*, p.name AS partner_name").Order("h.status = 'pending' DESC, h.shared_at DESC, h.id DESC").
		Limit(f.Per).Offset((f.Page - 1) * f.Per).Scan(&out).Error
	return out, total, err
}

// VendorHOGet reads an HO for vendor staff who may see its partner
// (another partner's is 404).
func (s Service) VendorHOGet(ctx context.Context, p *access.Principal, id int64) (_ *HORow, err error) {
	defer apperr.Wrap(&err, "opportunity.VendorHOGet(%d)", id)
	if _, err := p.Staff(); err != nil {
		return nil, err
	}
	var h HO
	if err := s.DB.WithContext(ctx).Where("id = ?", id).First(&h).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, apperr.NotFound()
		}
		return nil, err
	}
	row, err := partner.Directory{DB: s.DB}.Get(ctx, p, h.PartnerID)
	if err != nil {
		return nil, err
	}
	return &HORow{HO: h, PartnerName: row.Name}, nil
}

// Winner is what a partner learns of the earlier opportunity its PO was
// refused for (【机会点重复】): whether it was shared by the vendor or
// submitted by a partner (which one is not said unless it is its own),
// and since when it is valid.
type Winner struct {
	HO        bool
	Same      bool
	No        string // the own PO's number only
	ValidFrom time.Time
}

// WinnerOf is the earliest valid opportunity of a PO's customer, for a PO
// of the actor's tenant closed as a duplicate (nil otherwise).
func (s Service) WinnerOf(ctx context.Context, p *access.Principal, o *Opportunity) (_ *Winner, err error) {
	defer apperr.Wrap(&err, "opportunity.WinnerOf(%d)", o.ID)
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	if o.PartnerID != pid || o.Status != StateDuplicate {
		return nil, nil
	}
	es, err := earlier(ctx, s.DB, o, s.now())
	if err != nil || len(es) == 0 {
		return nil, err
	}
	w := &Winner{HO: es[0].HO, Same: es[0].Same, ValidFrom: es[0].ValidFrom}
	if w.Same {
		w.No = es[0].No
	}
	return w, nil
}

package fh

import (
	"context"
	"sort"

	"github.com/shopspring/decimal"

	"partnercenter/internal/access"
	"partnercenter/internal/partner"
	"partnercenter/internal/paths"
	"partnercenter/internal/people"
	"partnercenter/internal/platform/apperr"
)

// PersonRow is a funded person with its name and this month's line.
type PersonRow struct {
	Person
	Name   string
	Tenant string
	Amount decimal.Decimal // baseline × 100% × coefficient, for the page
}

// Page is the partner's FH page.
type Page struct {
	Program    *Program
	Persons    []PersonRow
	Candidates []people.SpecialistPerson // specialists not yet funded
	Months     []Month
	Lines      map[int64][]Line
	Payments   []Payment
	Payable    []string // quarters with three approved months and no payment
}

// PageOf reads the tenant's FH page.
func (s Service) PageOf(ctx context.Context, p *access.Principal) (_ *Page, err error) {
	defer apperr.Wrap(&err, "fh.PageOf")
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	g := s.DB
	out := &Page{Lines: map[int64][]Line{}}
	if out.Program, err = program(ctx, g, pid, Service2024, false); err != nil || out.Program == nil {
		return out, err
	}
	sps, err := people.Specialists(ctx, g, pid, paths.PathService)
	if err != nil {
		return nil, err
	}
	var persons []Person
	if err := g.WithContext(ctx).Where("program_id = ? AND active", out.Program.ID).Order("id").Find(&persons).Error; err != nil {
		return nil, err
	}
	funded := map[int64]bool{}
	byID := map[int64]people.SpecialistPerson{}
	for _, sp := range sps {
		byID[sp.PersonID] = sp
	}
	for _, ps := range persons {
		funded[ps.PersonID] = true
		sp := byID[ps.PersonID]
		out.Persons = append(out.Persons, PersonRow{Person: ps, Name: sp.Name, Tenant: sp.Tenant, Amount: LineAmount(ps.Role, ps.City)})
	}
	for _, sp := range sps {
		if !funded[sp.PersonID] {
			out.Candidates = append(out.Candidates, sp)
		}
	}
	if err := g.WithContext(ctx).Where("program_id = ?", out.Program.ID).Order("month DESC, id DESC").Limit(36).Find(&out.Months).Error; err != nil {
		return nil, err
	}
	ids := make([]int64, len(out.Months))
	for i, m := range out.Months {
		ids[i] = m.ID
	}
	var lines []Line
	if len(ids) > 0 {
		if err := g.WithContext(ctx).Where("month_id IN ?", ids).Order("id").Find(&lines).Error; err != nil {
			return nil, err
		}
	}
	for _, l := range lines {
		out.Lines[l.MonthID] = append(out.Lines[l.MonthID], l)
	}
	if err := g.WithContext(ctx).Where("program_id = ?", out.Program.ID).Order("quarter DESC").Find(&out.Payments).Error; err != nil {
		return nil, err
	}
	approved := map[string]int{}
	for _, m := range out.Months {
		if m.Status == MonthApproved && m.PaymentID == nil {
			approved[QuarterOf(m.Month)]++
		}
	}
	for q, n := range approved {
		if n == 3 {
			out.Payable = append(out.Payable, q)
		}
	}
	sort.Strings(out.Payable)
	return out, nil
}

// ProgramRow is a programme on the vendor's page.
type ProgramRow struct {
	Program
	PartnerName string
}

// Programs lists the FH programmes of the partners the staff member may
// see.
func (s Service) Programs(ctx context.Context, p *access.Principal) (_ []ProgramRow, err error) {
	defer apperr.Wrap(&err, "fh.Programs")
	if _, err := p.Staff(); err != nil {
		return nil, err
	}
	q := s.DB.WithContext(ctx).Table("fh_programs f").Joins("JOIN partners pt ON pt.id = f.partner_id")
	if p.VendorRole != "vendor_admin" {
		mine, err := (partner.Store{DB: s.DB}).LookedAfterBy(ctx, p.UserID)
		if err != nil {
			return nil, err
		}
		q = q.Where("f.partner_id IN ?", append(mine, 0))
	}
	var out []ProgramRow
	err = q.Select("f.*, pt.name AS partner_name").Order("f.invited_at DESC").Limit(200).Scan(&out).Error
	return out, err
}

// PaymentRow is a quarter on vendor finance's desk.
type PaymentRow struct {
	Payment
	PartnerName string
}

// Desk lists the quarters to pay, then the paid ones.
func (s Service) Desk(ctx context.Context, p *access.Principal) (_ []PaymentRow, err error) {
	defer apperr.Wrap(&err, "fh.Desk")
	if _, err := p.Staff(); err != nil {
		return nil, err
	}
	var out []PaymentRow
	err = s.DB.WithContext(ctx).Table("fh_payments f").Joins("JOIN partners pt ON pt.id = f.partner_id").
		Select("f.*, pt.name AS partner_name").Order("(f.status = 'submitted') DESC, f.created_at DESC").Limit(200).Scan(&out).Error
	return out, err
}

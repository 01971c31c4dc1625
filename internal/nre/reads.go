package nre

import (
	"context"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
)

// Row is an NRE with its solution's and partner's names.
type Row struct {
	Application
	SolutionName string
	Programme    string
	PartnerName  string
}

// Solutions lists the tenant's ecosystem special solutions.
func (s Service) Solutions(ctx context.Context, p *access.Principal) (_ []Solution, err error) {
	defer apperr.Wrap(&err, "nre.Solutions")
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	var out []Solution
	err = s.DB.WithContext(ctx).Where("partner_id = ?", pid).Order("created_at DESC, id DESC").Limit(100).Find(&out).Error
	return out, err
}

// SolutionOf reads one of the tenant's solutions (another's is 404).
func (s Service) SolutionOf(ctx context.Context, p *access.Principal, id int64) (_ *Solution, err error) {
	defer apperr.Wrap(&err, "nre.SolutionOf(%d)", id)
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	var sol Solution
	if err := s.DB.WithContext(ctx).Where("id = ? AND partner_id = ?", id, pid).Take(&sol).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, apperr.NotFound()
		}
		return nil, err
	}
	return &sol, nil
}

func (s Service) rows(ctx context.Context, scope func(*gorm.DB) (*gorm.DB, error)) ([]Row, error) {
	q, err := scope(s.DB.WithContext(ctx).Table("nre_applications a"))
	if err != nil {
		return nil, err
	}
	var out []Row
	err = q.Joins("JOIN nre_solutions so ON so.id = a.solution_id").Joins("JOIN partners pt ON pt.id = a.partner_id").
		Select("a.*, so.name AS solution_name, so.programme, pt.name AS partner_name").Order("a.updated_at DESC, a.id DESC").
		Limit(200).Scan(&out).Error
	return out, err
}

// Applications lists the tenant's NREs, newest first.
func (s Service) Applications(ctx context.Context, p *access.Principal) (_ []Row, err error) {
	defer apperr.Wrap(&err, "nre.Applications")
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	return s.rows(ctx, func(q *gorm.DB) (*gorm.DB, error) { return q.Where("a.partner_id = ?", pid), nil })
}

// Detail is an NRE's page: the NRE, its solution and its milestones.
type Detail struct {
	Row
	Milestones []Milestone
}

// InForce says the agreement is in force (协议生效 or completed): its
// amount and milestones are shown.
func (d *Detail) InForce() bool { return d.Status == Effective || d.Status == Completed }

// Acceptable says a milestone's acceptance may be applied for now: the NRE
// in force and every earlier milestone accepted (the order ApplyAcceptance
// enforces, nre.err.order).
func (d *Detail) Acceptable(m Milestone) bool {
	if d.Status != Effective || m.Status != MilestonePending {
		return false
	}
	for _, e := range d.Milestones {
		if e.Seq < m.Seq && (e.Status == MilestonePending || e.Status == MilestoneAccepting) {
			return false
		}
	}
	return true
}

// DetailOf reads one of the tenant's NREs (another's is 404).
func (s Service) DetailOf(ctx context.Context, p *access.Principal, id int64) (_ *Detail, err error) {
	defer apperr.Wrap(&err, "nre.DetailOf(%d)", id)
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	rows, err := s.rows(ctx, func(q *gorm.DB) (*gorm.DB, error) { return q.Where("a.id = ? AND a.partner_id = ?", id, pid), nil })
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, apperr.NotFound()
	}
	d := &Detail{Row: rows[0]}
	err = s.DB.WithContext(ctx).Where("nre_id = ?", id).Order("seq").Find(&d.Milestones).Error
	return d, err
}

// SolutionRow is a solution on the vendor's page with its partner and
// its live NRE's state.
type SolutionRow struct {
	Solution
	PartnerName string
	NreStatus   *string
}

// VendorPage is the vendor's NRE page: the solutions and NREs of the
// partners the staff member may see, and the milestones of their NREs.
type VendorPage struct {
	Solutions  []SolutionRow
	Apps       []Row
	Milestones map[int64][]Milestone
}

// Vendor reads the vendor's NRE page (the ecosystem manager's partners,
// or all for the vendor administrator).
func (s Service) Vendor(ctx context.Context, p *access.Principal) (_ *VendorPage, err error) {
	defer apperr.Wrap(&err, "nre.Vendor")
	out := &VendorPage{Milestones: map[int64][]Milestone{}}
	seen := func(q *gorm.DB) (*gorm.DB, error) { return (partner.Directory{DB: s.DB}).Seen(p, q, "a.partner_id") }
	q, err := seen(s.DB.WithContext(ctx).Table("nre_solutions a"))
	if err != nil {
		return nil, err
	}
	q = q.Joins("JOIN partners pt ON pt.id = a.partner_id").
		Select(`a.*, pt.name AS partner_name, (SELECT n.status FROM nre_applications n WHERE n.solution_id = a.id
			AND n.status NOT IN ('rejected', 'withdrawn') LIMIT 1) AS nre_status`).Order("a.updated_at DESC").Limit(200)
	if err := q.Scan(&out.Solutions).Error; err != nil {
		return nil, err
	}
	if out.Apps, err = s.rows(ctx, seen); err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(out.Apps))
	for _, a := range out.Apps {
		ids = append(ids, a.ID)
	}
	var ms []Milestone
	if len(ids) > 0 {
		if err := s.DB.WithContext(ctx).Where("nre_id IN ?", ids).Order("nre_id, seq").Find(&ms).Error; err != nil {
			return nil, err
		}
	}
	for _, m := range ms {
		out.Milestones[m.NreID] = append(out.Milestones[m.NreID], m)
	}
	return out, nil
}

// MilestoneRow is a milestone on vendor finance's desk.
type MilestoneRow struct {
	Milestone
	NreNo       string
	PartnerName string
	Solution    string
}

// Desk lists the accepted milestones to pay, then the paid ones.
func (s Service) Desk(ctx context.Context, p *access.Principal) (_ []MilestoneRow, err error) {
	defer apperr.Wrap(&err, "nre.Desk")
	if _, err := p.Staff(); err != nil {
		return nil, err
	}
	var out []MilestoneRow
	err = s.DB.WithContext(ctx).Table("nre_milestones m").Joins("JOIN nre_applications a ON a.id = m.nre_id").
		Joins("JOIN nre_solutions so ON so.id = a.solution_id").Joins("JOIN partners pt ON pt.id = a.partner_id").
		Where("m.status IN ?", []string{MilestoneAccepted, MilestonePaid}).
		Select("m.*, a.no AS nre_no, pt.name AS partner_name, so.name AS solution").
		Order("(m.status = 'accepted') DESC, m.paid_at DESC NULLS LAST, m.id").Limit(200).Scan(&out).Error
	return out, err
}

// MilestoneNRE is the NRE of one of the tenant's milestones (another
// tenant's is 404), to come back to its page.
func (s Service) MilestoneNRE(ctx context.Context, p *access.Principal, milestoneID int64) (_ int64, err error) {
	defer apperr.Wrap(&err, "nre.MilestoneNRE(%d)", milestoneID)
	pid, err := p.Tenant()
	if err != nil {
		return 0, err
	}
	var ids []int64
	if err := s.DB.WithContext(ctx).Table("nre_milestones m").Joins("JOIN nre_applications a ON a.id = m.nre_id").
		Where("m.id = ? AND a.partner_id = ?", milestoneID, pid).Pluck("a.id", &ids).Error; err != nil {
		return 0, err
	}
	if len(ids) == 0 {
		return 0, apperr.NotFound()
	}
	return ids[0], nil
}

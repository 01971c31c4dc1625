package fh

import (
	"context"
	"slices"
	"sort"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/partner"
	"partnercenter/internal/paths"
	"partnercenter/internal/people"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
)

// PersonRow is a funded person with its name and this month's line.
type PersonRow struct {
	Person
	Name   string
	Tenant string
	Amount decimal.Decimal // baseline × 100% × coefficient, for the page
}

// Page is the partner's FH page of a variant.
type Page struct {
	Variant    string
	Program    *Program
	Persons    []PersonRow
	Candidates []people.SpecialistPerson // specialists not yet funded
	Months     []Month
	Lines      map[int64][]Line
	Payments   []Payment
	Payable    []string // quarters that can be applied for and have no payment

	// 2025: the scenarios with the partner's certified engineers and
	// tiers (to apply), and the appraisals passed.
	Scenarios  []ScenarioCheck
	Stage      string // the partner's stage on the variant's path, "" when none
	Tier       int16  // an invited 2025 programme: its scenario's tier now, signed with the agreement
	Appraisals []AppraisalRow

	// SI: the SI specialists with the conditions they meet, and their
	// gradings.
	Experts  []ExpertRow
	Gradings []GradingRow
	// LP: the LP specialists with their lecturer certificates, and how many
	// are certified.
	Lecturers          []LecturerRow
	CertifiedLecturers int
}

// CanApplySI says the partner may apply itself for the SI programme: a
// differentiated (先进云) SI partner (§10.6.3.2). Apply checks the same.
func (pg *Page) CanApplySI() bool { return pg.Stage == paths.StageDiff }

// CanApply says the partner may apply itself for a scenario (condition 2
// of §10.6.2.2): role-certified or differentiated on the service path,
// the scenario's tier set, its five certified engineers there. Apply
// checks the same.
func (pg *Page) CanApply(sc ScenarioCheck) bool {
	return sc.Engineers >= EngineersNeeded && sc.Tier > 0 && (pg.Stage == paths.StageRole || pg.Stage == paths.StageDiff)
}

// ScenarioCheck is a scenario on the partner's 2025 application.
type ScenarioCheck struct {
	Scenario  string
	Tier      int16 // 0 when the vendor has not set it
	Engineers int
}

// AppraisalRow is a passed appraisal with its person and standard, and
// the month whose live line pays it (nil while unpaid).
type AppraisalRow struct {
	Appraisal
	Name         string
	StandardName string
	PaidMonth    *time.Time
}

// PageOf reads the tenant's FH page of a variant.
func (s Service) PageOf(ctx context.Context, p *access.Principal, variant string) (_ *Page, err error) {
	defer apperr.Wrap(&err, "fh.PageOf")
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	if !slices.Contains(Variants, variant) {
		return nil, apperr.NotFound()
	}
	g := s.DB
	out := &Page{Variant: variant, Lines: map[int64][]Line{}}
	if out.Program, err = program(ctx, g, pid, variant, false); err != nil {
		return nil, err
	}
	if out.Program == nil || out.Program.Status == ProgramRejected || out.Program.Status == ProgramEnded {
		if err := s.applyChecks(ctx, pid, out); err != nil {
			return nil, err
		}
	}
	if out.Program != nil && out.Program.Status == ProgramInvited && out.Program.Scenario != nil {
		if out.Tier, err = tierOf(ctx, g, *out.Program.Scenario); err != nil {
			return nil, err
		}
	}
	if out.Program == nil || out.Program.JoinedAt == nil {
		return out, nil
	}
	switch variant {
	case SIPresales:
		if err := s.experts(ctx, pid, out); err != nil {
			return nil, err
		}
	case LPLecturer:
		if err := s.lecturers(ctx, pid, out); err != nil {
			return nil, err
		}
	case Capability2025:
		if err := g.WithContext(ctx).Table("fh_appraisals a").Joins("JOIN fh_standards s ON s.id = a.standard_id").Joins("JOIN users u ON u.id = a.person_id").
			Where("a.program_id = ?", out.Program.ID).Select("a.*, u.display_name AS name, s.name AS standard_name, " + paidMonth).
			Order("a.passed_on DESC, a.id DESC").Limit(200).Scan(&out.Appraisals).Error; err != nil {
			return nil, err
		}
	default:
		if err := s.fundedPersons(ctx, pid, out); err != nil {
			return nil, err
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
	byQuarter := map[string][]Month{}
	for _, m := range out.Months {
		if m.Status == MonthApproved || m.Status == MonthSubmitted {
			byQuarter[QuarterOf(m.Month)] = append(byQuarter[QuarterOf(m.Month)], m)
		}
	}
	paid := map[string]bool{}
	for _, pay := range out.Payments {
		paid[pay.Quarter] = true
	}
	today := clock.ChinaDate(s.now())
	for q, ms := range byQuarter {
		months, _ := quarterMonths(q)
		if !paid[q] && payable(out.Program, months, ms, today) == nil {
			out.Payable = append(out.Payable, q)
		}
	}
	sort.Strings(out.Payable)
	return out, nil
}

// paidMonth selects an appraisal's month paid by a live line (NULL while
// unpaid), for a query over fh_appraisals a.
const paidMonth = `(SELECT l.month FROM fh_line_appraisals la JOIN fh_lines l ON l.id = la.line_id WHERE la.appraisal_id = a.id AND la.live) AS paid_month`

// fundedPersons fills a 2024 page's funded persons and the specialists
// that may be added.
func (s Service) fundedPersons(ctx context.Context, pid int64, out *Page) error {
	sps, err := people.Specialists(ctx, s.DB, pid, paths.PathService)
	if err != nil {
		return err
	}
	var persons []Person
	if err := s.DB.WithContext(ctx).Where("program_id = ? AND active", out.Program.ID).Order("id").Find(&persons).Error; err != nil {
		return err
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
	return nil
}

// applyChecks fills what the page shows before a programme: the partner's
// stage on the variant's path, and for 2025 the scenarios with the tier
// the vendor set and the partner's certified engineers of each.
func (s Service) applyChecks(ctx context.Context, pid int64, out *Page) error {
	live, err := paths.LiveOf(ctx, s.DB, pid)
	if err != nil {
		return err
	}
	if live != nil && live.Path == PathOf(out.Variant) {
		out.Stage = live.Stage
	}
	if out.Variant != Capability2025 {
		return nil
	}
	var tiers []ScenarioTier
	if err := s.DB.WithContext(ctx).Find(&tiers).Error; err != nil {
		return err
	}
	qualified := map[string]int{}
	if out.Stage != "" {
		if qualified, err = Qualified(ctx, s.DB, pid, clock.ChinaDate(s.now())); err != nil {
			return err
		}
	}
	for _, sc := range Scenarios {
		c := ScenarioCheck{Scenario: sc, Engineers: qualified[sc]}
		for _, t := range tiers {
			if t.Scenario == sc {
				c.Tier = t.Tier
			}
		}
		out.Scenarios = append(out.Scenarios, c)
	}
	return nil
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
	q, err := s.seen(p, s.DB.WithContext(ctx).Table("fh_programs f"), "f.partner_id")
	if err != nil {
		return nil, err
	}
	q = q.Joins("JOIN partners pt ON pt.id = f.partner_id")
	var out []ProgramRow
	err = q.Select("f.*, pt.name AS partner_name").Order("f.invited_at DESC").Limit(200).Scan(&out).Error
	return out, err
}

// PaymentRow is a quarter on vendor finance's desk.
type PaymentRow struct {
	Payment
	PartnerName string
	Variant     string
}

// Desk lists the quarters to pay, then the paid ones.
func (s Service) Desk(ctx context.Context, p *access.Principal) (_ []PaymentRow, err error) {
	defer apperr.Wrap(&err, "fh.Desk")
	if _, err := p.Staff(); err != nil {
		return nil, err
	}
	var out []PaymentRow
	err = s.DB.WithContext(ctx).Table("fh_payments f").Joins("JOIN partners pt ON pt.id = f.partner_id").
		Joins("JOIN fh_programs pr ON pr.id = f.program_id").
		Select("f.*, pt.name AS partner_name, pr.variant").Order("(f.status = 'submitted') DESC, f.created_at DESC").Limit(200).Scan(&out).Error
	return out, err
}

// CapabilityAdmin is the vendor's page of the 2025 capability building:
// the scenarios' tiers, their standards, and the joined programmes of the
// partners the staff member may see with their specialists and passed
// appraisals.
type CapabilityAdmin struct {
	Tiers      map[string]int16
	Standards  []Standard
	Programs   []CapabilityProgram
	Appraisals []VendorAppraisal
}

// CapabilityProgram is a joined 2025 programme with the persons an
// appraisal can be recorded for.
type CapabilityProgram struct {
	ProgramRow
	Specialists []people.SpecialistPerson
}

// VendorAppraisal is an appraisal on the vendor's page.
type VendorAppraisal struct {
	AppraisalRow
	PartnerName string
}

// Capability reads the vendor's 2025 page.
func (s Service) Capability(ctx context.Context, p *access.Principal) (_ *CapabilityAdmin, err error) {
	defer apperr.Wrap(&err, "fh.Capability")
	if _, err := p.Staff(); err != nil {
		return nil, err
	}
	out := &CapabilityAdmin{Tiers: map[string]int16{}}
	var tiers []ScenarioTier
	if err := s.DB.WithContext(ctx).Find(&tiers).Error; err != nil {
		return nil, err
	}
	for _, t := range tiers {
		out.Tiers[t.Scenario] = t.Tier
	}
	if err := s.DB.WithContext(ctx).Order("active DESC, scenario, name").Find(&out.Standards).Error; err != nil {
		return nil, err
	}
	q, err := s.seen(p, s.DB.WithContext(ctx).Table("fh_programs f"), "f.partner_id")
	if err != nil {
		return nil, err
	}
	q = q.Joins("JOIN partners pt ON pt.id = f.partner_id").Where("f.variant = ? AND f.status = ?", Capability2025, ProgramJoined)
	var progs []ProgramRow
	if err := q.Select("f.*, pt.name AS partner_name").Order("pt.name").Limit(100).Scan(&progs).Error; err != nil {
		return nil, err
	}
	ids := make([]int64, len(progs))
	for i, pr := range progs {
		ids[i] = pr.PartnerID
	}
	sps, err := people.SpecialistsOf(ctx, s.DB, ids, paths.PathService)
	if err != nil {
		return nil, err
	}
	for _, pr := range progs {
		out.Programs = append(out.Programs, CapabilityProgram{ProgramRow: pr, Specialists: sps[pr.PartnerID]})
	}
	aq, err := s.seen(p, s.DB.WithContext(ctx).Table("fh_appraisals a"), "a.partner_id")
	if err != nil {
		return nil, err
	}
	err = aq.Joins("JOIN fh_standards s ON s.id = a.standard_id").Joins("JOIN users u ON u.id = a.person_id").
		Joins("JOIN partners pt ON pt.id = a.partner_id").Select("a.*, u.display_name AS name, s.name AS standard_name, pt.name AS partner_name, " + paidMonth).
		Order("a.created_at DESC, a.id DESC").Limit(100).Scan(&out.Appraisals).Error
	return out, err
}

// seen narrows q to the partners the staff member may see.
func (s Service) seen(p *access.Principal, q *gorm.DB, col string) (*gorm.DB, error) {
	return (partner.Directory{DB: s.DB}).Seen(p, q, col)
}

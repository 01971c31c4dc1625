package fh

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/paths"
	"partnercenter/internal/people"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
	"partnercenter/internal/platform/money"
)

// Levels of an SI presales solution expert (§10.6.3.7).
const (
	LevelSenior    = "senior"    // 高级售前解决方案专家
	LevelPrincipal = "principal" // 资深售前解决方案专家
)

// Levels lists them.
var Levels = []string{LevelSenior, LevelPrincipal}

// PresalesBaselines are the levels' monthly baselines (§10.6.3.8, N70).
var PresalesBaselines = map[string]decimal.Decimal{LevelSenior: decimal.NewFromInt(30000), LevelPrincipal: decimal.NewFromInt(50000)}

// PresalesMonths is the fixed number of months an SI incentive pays
// (§10.6.3.8: 月数（固定值4）).
const PresalesMonths = 4

// ProjectScale is the least Huawei Cloud cash a level's project brought,
// by currency (§10.6.3.7: 高级 ≥ 30万人民币/5万美金, 资深 ≥ 200万/30万).
var ProjectScale = map[string]map[string]decimal.Decimal{
	LevelSenior:    {"CNY": decimal.NewFromInt(300000), "USD": decimal.NewFromInt(50000)},
	LevelPrincipal: {"CNY": decimal.NewFromInt(2000000), "USD": decimal.NewFromInt(300000)},
}

// Currencies of a project's cash.
var Currencies = []string{"CNY", "USD"}

// MaxGradings is how many incentives an expert may have (§10.6.3.5).
const MaxGradings = 2

// SpecialistMonths is how long a person must have been an SI project
// specialist (§10.6.3.5: 大于等于3个月).
const SpecialistMonths = 3

// ProjectWindow is the most months a public-cloud project's cash is
// counted over, from its start month to the application month
// (§10.6.3.7: 不超过12个月).
const ProjectWindow = 12

// presalesCerts are the certificates an expert holds (§10.6.3.5): the
// HCSP of the business track and one of the architecture certificates.
var (
	presalesBusiness = certRule{types: []string{"HCSP"}, direction: "基于华为云构建客户的业务体系"}
	presalesArch     = []certRule{
		{types: []string{"HCCDP", "HCCDE"}, direction: "Solution Architectures"},
		{types: []string{"HCIP", "HCIE"}, direction: "Cloud Service Solutions Architect"},
	}
	// presalesExam: holding either proves the 资深 written exam (§10.6.3.7).
	presalesExam = []certRule{
		{types: []string{"HCIE"}, direction: "Cloud Service Solutions Architect"},
		{types: []string{"HCCDE"}, direction: "Solution Architectures"},
	}
)

// certRule is a certificate of one of types in a direction.
type certRule struct {
	types     []string
	direction string
}

// holders are the persons among ids holding a valid certificate of one of
// the rules on day.
func holders(ctx context.Context, g *gorm.DB, ids []int64, day time.Time, rules ...certRule) (map[int64]bool, error) {
	out := map[int64]bool{}
	for _, r := range rules {
		held, err := people.HeldDirections(ctx, g, ids, r.types, day)
		if err != nil {
			return nil, err
		}
		for id, dirs := range held {
			if slices.Contains(dirs, strings.ToLower(r.direction)) {
				out[id] = true
			}
		}
	}
	return out, nil
}

// presalesCertified are the persons among ids holding the expert's
// certificates on day.
func presalesCertified(ctx context.Context, g *gorm.DB, ids []int64, day time.Time) (map[int64]bool, error) {
	business, err := holders(ctx, g, ids, day, presalesBusiness)
	if err != nil {
		return nil, err
	}
	arch, err := holders(ctx, g, ids, day, presalesArch...)
	if err != nil {
		return nil, err
	}
	out := map[int64]bool{}
	for id := range business {
		out[id] = arch[id]
	}
	return out, nil
}

// Grading is a row of fh_gradings: the ecosystem manager's grading of an
// expert with the project proving it.
type Grading struct {
	ID          int64
	ProgramID   int64
	PartnerID   int64
	PersonID    int64
	Seq         int16
	Level       string
	ProjectCode string
	ProjectName string
	Customer    string
	Currency    string
	Cash        decimal.Decimal
	StartMonth  time.Time
	WrittenExam bool
	GradedOn    time.Time
	RecordedBy  *int64
	CreatedAt   time.Time
}

// TableName maps Grading to fh_gradings.
func (Grading) TableName() string { return "fh_gradings" }

// GradingInput is the ecosystem manager's grading form.
type GradingInput struct {
	ProgramID, PersonID                                 int64
	Level, ProjectCode, ProjectName, Customer, Currency string
	Cash, StartMonth, GradedOn                          string
	WrittenExam                                         bool
}

// parse checks the form's fields.
func (in *GradingInput) parse(today time.Time) (g Grading, _ error) {
	f := apperr.Fields{}
	g = Grading{ProgramID: in.ProgramID, PersonID: in.PersonID, Level: in.Level, ProjectCode: strings.TrimSpace(in.ProjectCode),
		ProjectName: strings.TrimSpace(in.ProjectName), Customer: strings.TrimSpace(in.Customer), Currency: in.Currency, WrittenExam: in.WrittenExam}
	if in.ProgramID == 0 || in.PersonID == 0 {
		f.Add("person_id", "fh.err.not_specialist")
	}
	if !slices.Contains(Levels, g.Level) {
		f.Add("level", "fh.err.level")
	}
	if n := len(g.ProjectCode); n == 0 || n > 40 || strings.ContainsAny(g.ProjectCode, " \t") {
		f.Add("project_code", "fh.err.project_code")
	}
	if n := utf8.RuneCountInString(g.ProjectName); n == 0 || n > 100 {
		f.Add("project_name", "fh.err.project_name")
	}
	if n := utf8.RuneCountInString(g.Customer); n == 0 || n > 100 {
		f.Add("customer", "fh.err.customer")
	}
	if !slices.Contains(Currencies, g.Currency) {
		f.Add("currency", "fh.err.currency")
	}
	cash, err := money.Parse(in.Cash, money.Amount)
	if err != nil {
		f.Add("cash", money.Key(err))
	}
	g.Cash = cash
	start, serr := time.Parse("2006-01", strings.TrimSpace(in.StartMonth))
	graded, gerr := time.Parse(time.DateOnly, strings.TrimSpace(in.GradedOn))
	switch {
	case gerr != nil:
		f.Add("graded_on", "fh.err.date")
	case graded.After(today):
		f.Add("graded_on", "fh.err.future_date")
	}
	switch {
	case serr != nil:
		f.Add("start_month", "fh.err.month")
	case gerr == nil && (start.After(graded) || !start.AddDate(0, ProjectWindow, 0).After(graded)):
		f.Add("start_month", "fh.err.project_window")
	}
	g.StartMonth, g.GradedOn = start, graded
	return g, f.Err()
}

// RecordGrading records an expert's grading (vendor staff who see the
// partner; §10.6.3.6: 联系您的生态经理，完成售前解决方案专家定级和能力评估):
// an SI project specialist of a joined programme for three months or
// more, holding the certificates; at most two gradings per expert; the
// project's cash at the level's scale, a 资深 with the written exam, and
// after a first 资深 a second project of the 资深 scale; a project proves
// one grading only (§10.6.3.5–10.6.3.7).
func (s Service) RecordGrading(ctx context.Context, p *access.Principal, in GradingInput) (err error) {
	defer apperr.Wrap(&err, "fh.RecordGrading(%d)", in.ProgramID)
	uid, err := p.Staff()
	if err != nil {
		return err
	}
	now := s.now()
	g, err := in.parse(clock.ChinaDate(now))
	if err != nil {
		return err
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		pr, err := seenProgram(ctx, tx, p, g.ProgramID, SIPresales, false)
		if err != nil {
			return err
		}
		if pr.Status != ProgramJoined {
			return apperr.Conflict("fh.err.not_joined")
		}
		if g.GradedOn.Before(clock.ChinaDate(*pr.JoinedAt)) {
			return apperr.FieldError("graded_on", "fh.err.before_join_date")
		}
		sps, err := people.Specialists(ctx, tx, pr.PartnerID, paths.PathSI)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(sps, func(sp people.SpecialistPerson) bool { return sp.PersonID == g.PersonID })
		if i < 0 {
			return apperr.FieldError("person_id", "fh.err.not_specialist")
		}
		if clock.ChinaDate(sps[i].Since).AddDate(0, SpecialistMonths, 0).After(g.GradedOn) {
			return apperr.FieldError("person_id", "fh.err.specialist_months")
		}
		certified, err := presalesCertified(ctx, tx, []int64{g.PersonID}, g.GradedOn)
		if err != nil {
			return err
		}
		if !certified[g.PersonID] {
			return apperr.FieldError("person_id", "fh.err.presales_certs")
		}
		// The expert's lock serialises its gradings: two at most, whichever
		// partner or manager records them.
		if err := people.LockPerson(ctx, tx, g.PersonID); err != nil {
			return err
		}
		var before []Grading
		if err := tx.WithContext(ctx).Where("person_id = ?", g.PersonID).Order("seq").Find(&before).Error; err != nil {
			return err
		}
		if len(before) >= MaxGradings {
			return apperr.FieldError("person_id", "fh.err.graded_twice")
		}
		if g.Cash.LessThan(ProjectScale[g.Level][g.Currency]) {
			return apperr.FieldError("cash", "fh.err.project_scale."+g.Level)
		}
		if len(before) == 1 && before[0].Level == LevelPrincipal && g.Cash.LessThan(ProjectScale[LevelPrincipal][g.Currency]) {
			return apperr.FieldError("cash", "fh.err.second_project")
		}
		if g.Level == LevelPrincipal && !g.WrittenExam {
			exam, err := holders(ctx, tx, []int64{g.PersonID}, g.GradedOn, presalesExam...)
			if err != nil {
				return err
			}
			if !exam[g.PersonID] {
				return apperr.FieldError("written_exam", "fh.err.written_exam")
			}
			g.WrittenExam = true
		}
		g.PartnerID, g.Seq, g.RecordedBy, g.CreatedAt = pr.PartnerID, int16(len(before)+1), &uid, now
		if err := tx.WithContext(ctx).Create(&g).Error; err != nil {
			if name, ok := db.IsUniqueViolation(err); ok {
				if name == "fh_gradings_project_key" {
					return apperr.FieldError("project_code", "fh.err.project_used")
				}
				return apperr.FieldError("person_id", "fh.err.graded_twice")
			}
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pr.PartnerID, Action: "fh.grading", ObjectType: "fh_grading", ObjectID: g.ID,
			After: map[string]any{"person": sps[i].Name, "fh_level": g.Level, "project_code": g.ProjectCode, "cash": g.Currency + " " + g.Cash.StringFixed(2),
				"graded_on": g.GradedOn.Format(time.DateOnly)}})
	})
}

// presalesLines are an SI month's lines (§10.6.3.8, N70): per expert still
// an SI specialist holding the certificates, the earliest grading by the
// month's end not paid by a live month — 4 × the level's baseline × 100%.
func presalesLines(ctx context.Context, tx *gorm.DB, pr *Program, m, today time.Time, specialists map[int64]people.SpecialistPerson) ([]monthLine, error) {
	var gs []Grading
	if err := tx.WithContext(ctx).Where("program_id = ? AND graded_on < ?", pr.ID, m.AddDate(0, 1, 0)).
		Where("NOT EXISTS (SELECT 1 FROM fh_lines l WHERE l.grading_id = fh_gradings.id AND l.live)").
		Order("person_id, seq").Find(&gs).Error; err != nil {
		return nil, err
	}
	elsewhere, err := inOtherFH(ctx, tx, m)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(gs))
	for i, g := range gs {
		ids[i] = g.PersonID
	}
	certified, err := presalesCertified(ctx, tx, ids, today)
	if err != nil {
		return nil, err
	}
	var out []monthLine
	for _, g := range gs {
		sp, ok := specialists[g.PersonID]
		if !ok || elsewhere[g.PersonID] || !certified[g.PersonID] || slices.ContainsFunc(out, func(l monthLine) bool { return l.PersonID == g.PersonID }) {
			continue
		}
		base := PresalesBaselines[g.Level]
		out = append(out, monthLine{Line: Line{PersonID: g.PersonID, Month: m, Name: sp.Name, Role: g.Level, Baseline: base,
			Coefficient: decimal.NewFromInt(1), Units: PresalesMonths, Amount: base.Mul(decimal.NewFromInt(PresalesMonths)), GradingID: &g.ID, Live: true},
			project: g.ProjectCode + " " + g.ProjectName})
	}
	return out, nil
}

// ExpertRow is an SI project specialist on the partner's page with the
// conditions of §10.6.3.5 it meets today.
type ExpertRow struct {
	people.SpecialistPerson
	Months    bool // a specialist for three months or more
	Certified bool // holds the certificates
	Gradings  int  // of MaxGradings
}

// GradingRow is a grading with its expert's name and the month whose live
// line pays it (nil while unpaid).
type GradingRow struct {
	Grading
	Name      string
	PaidMonth *time.Time
}

// paidGrading selects a grading's month paid by a live line, for a query
// over fh_gradings g.
const paidGrading = `(SELECT l.month FROM fh_lines l WHERE l.grading_id = g.id AND l.live) AS paid_month`

// experts fills a joined SI page's experts and gradings.
func (s Service) experts(ctx context.Context, pid int64, out *Page) error {
	today := clock.ChinaDate(s.now())
	sps, err := people.Specialists(ctx, s.DB, pid, paths.PathSI)
	if err != nil {
		return err
	}
	ids := make([]int64, len(sps))
	for i, sp := range sps {
		ids[i] = sp.PersonID
	}
	certified, err := presalesCertified(ctx, s.DB, ids, today)
	if err != nil {
		return err
	}
	if err := s.DB.WithContext(ctx).Table("fh_gradings g").Joins("JOIN users u ON u.id = g.person_id").Where("g.program_id = ?", out.Program.ID).
		Select("g.*, u.display_name AS name, " + paidGrading).Order("g.graded_on DESC, g.id DESC").Limit(200).Scan(&out.Gradings).Error; err != nil {
		return err
	}
	var counts []struct {
		PersonID int64
		N        int
	}
	if len(ids) > 0 {
		if err := s.DB.WithContext(ctx).Model(&Grading{}).Where("person_id IN ?", ids).Select("person_id, count(*) AS n").Group("person_id").
			Scan(&counts).Error; err != nil {
			return err
		}
	}
	for _, sp := range sps {
		row := ExpertRow{SpecialistPerson: sp, Certified: certified[sp.PersonID],
			Months: !clock.ChinaDate(sp.Since).AddDate(0, SpecialistMonths, 0).After(today)}
		for _, c := range counts {
			if c.PersonID == sp.PersonID {
				row.Gradings = c.N
			}
		}
		out.Experts = append(out.Experts, row)
	}
	return nil
}

// PresalesAdmin is the vendor's page of the SI presales programme: the
// joined programmes of the partners the staff member may see with their
// SI specialists, and the gradings recorded.
type PresalesAdmin struct {
	Programs []PresalesProgram
	Gradings []VendorGrading
}

// PresalesProgram is a joined SI programme with the persons a grading can
// be recorded for.
type PresalesProgram struct {
	ProgramRow
	Specialists []people.SpecialistPerson
}

// VendorGrading is a grading on the vendor's page.
type VendorGrading struct {
	GradingRow
	PartnerName string
}

// Presales reads the vendor's SI page.
func (s Service) Presales(ctx context.Context, p *access.Principal) (_ *PresalesAdmin, err error) {
	defer apperr.Wrap(&err, "fh.Presales")
	if _, err := p.Staff(); err != nil {
		return nil, err
	}
	out := &PresalesAdmin{}
	q, err := s.seen(p, s.DB.WithContext(ctx).Table("fh_programs f"), "f.partner_id")
	if err != nil {
		return nil, err
	}
	var progs []ProgramRow
	if err := q.Joins("JOIN partners pt ON pt.id = f.partner_id").Where("f.variant = ? AND f.status = ?", SIPresales, ProgramJoined).
		Select("f.*, pt.name AS partner_name").Order("pt.name").Limit(100).Scan(&progs).Error; err != nil {
		return nil, err
	}
	ids := make([]int64, len(progs))
	for i, pr := range progs {
		ids[i] = pr.PartnerID
	}
	sps, err := people.SpecialistsOf(ctx, s.DB, ids, paths.PathSI)
	if err != nil {
		return nil, err
	}
	for _, pr := range progs {
		out.Programs = append(out.Programs, PresalesProgram{ProgramRow: pr, Specialists: sps[pr.PartnerID]})
	}
	gq, err := s.seen(p, s.DB.WithContext(ctx).Table("fh_gradings g"), "g.partner_id")
	if err != nil {
		return nil, err
	}
	err = gq.Joins("JOIN users u ON u.id = g.person_id").Joins("JOIN partners pt ON pt.id = g.partner_id").
		Select("g.*, u.display_name AS name, pt.name AS partner_name, " + paidGrading).Order("g.created_at DESC, g.id DESC").Limit(100).
		Scan(&out.Gradings).Error
	return out, err
}

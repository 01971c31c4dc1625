package fh

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/audit"
	"partnercenter/internal/files"
	"partnercenter/internal/ledger"
	"partnercenter/internal/notify"
	"partnercenter/internal/partner"
	"partnercenter/internal/paths"
	"partnercenter/internal/people"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
	"partnercenter/internal/platform/money"
)

// Variants of FH.
const (
	Service2024    = "service_2024"    // 服务伙伴-专家服务专职人员激励 (2024, §10.6.1)
	Capability2025 = "capability_2025" // 服务伙伴-专家能力构建激励 (2025, §10.6.2)
	SIPresales     = "si_presales"     // 数字化转型咨询与系统集成伙伴-售前解决方案专家激励 (§10.6.3)
	LPLecturer     = "lp_lecturer"     // 学习与赋能伙伴-讲师养成基金/讲师专职投入基金 (§10.6.4)
)

// Variants lists them, the page's tabs.
var Variants = []string{Service2024, Capability2025, SIPresales, LPLecturer}

// PathOf is the path whose project specialists a variant funds.
func PathOf(variant string) string {
	switch variant {
	case SIPresales:
		return paths.PathSI
	case LPLecturer:
		return paths.PathLearning
	}
	return paths.PathService
}

// PagePath is the partner's FH page at a variant's tab.
func PagePath(variant string) string { return "/benefits/fh?variant=" + variant }

// ApprovalMonth is the approval type of a month's application.
const ApprovalMonth = "fh_month"

// Roles and their monthly baselines (N57).
var Baselines = map[string]decimal.Decimal{
	"expert":            decimal.NewFromInt(50000), // 服务专家
	"senior_engineer":   decimal.NewFromInt(30000), // 高级服务工程师
	"senior_consultant": decimal.NewFromInt(80000), // 高级顾问
}

// Roles lists them in the seed's order.
var Roles = []string{"expert", "senior_engineer", "senior_consultant"}

// Cities of coefficient 1.2, and the other provincial capitals (1.0);
// any other city is 0.9 (N58).
var (
	TopCities = []string{"北京", "广州", "深圳", "上海", "南京", "杭州", "成都", "福州", "济南", "长沙", "重庆", "武汉", "西安", "郑州"}
	Capitals  = []string{"天津", "石家庄", "太原", "呼和浩特", "沈阳", "长春", "哈尔滨", "合肥", "南昌", "南宁", "海口", "贵阳", "昆明", "拉萨",
		"兰州", "西宁", "银川", "乌鲁木齐"}
)

// Coefficient is a work city's regional coefficient: the city named at
// the start of the text ("深圳", "深圳市南山区", "广东省深圳市").
func Coefficient(city string) decimal.Decimal {
	c := strings.TrimSpace(city)
	for _, prefix := range []string{"中国", "广东省", "江苏省", "浙江省", "四川省", "福建省", "山东省", "湖南省", "湖北省", "陕西省", "河南省"} {
		c = strings.TrimPrefix(c, prefix)
	}
	starts := func(names []string) bool {
		return slices.ContainsFunc(names, func(n string) bool { return strings.HasPrefix(c, n) })
	}
	switch {
	case starts(TopCities):
		return decimal.RequireFromString("1.2")
	case starts(Capitals):
		return decimal.NewFromInt(1)
	}
	return decimal.RequireFromString("0.9")
}

// LineAmount is a person's month: baseline × 100% × coefficient, half-up
// to the fen.
func LineAmount(role, city string) decimal.Decimal {
	return Baselines[role].Mul(Coefficient(city)).Round(2)
}

// States.
const (
	ProgramApplied  = "applied"  // 2025: the partner's application to join, in review
	ProgramRejected = "rejected" // 2025: the application was rejected; the partner may apply again
	ProgramInvited  = "invited"  // invited, or the application approved: the agreement to sign
	ProgramJoined   = "joined"
	ProgramEnded    = "ended"

	MonthSubmitted = "submitted"
	MonthApproved  = "approved"
	MonthRejected  = "rejected"
	MonthWithdrawn = "withdrawn"

	PaymentSubmitted = "submitted"
	PaymentPaid      = "paid"
)

// MonthStates lists a month's states.
var MonthStates = []string{MonthSubmitted, MonthApproved, MonthRejected, MonthWithdrawn}

// Program is a row of fh_programs.
type Program struct {
	ID        int64
	PartnerID int64
	Variant   string
	Status    string
	InvitedBy *int64
	InvitedAt time.Time
	JoinedBy  *int64
	JoinedAt  *time.Time
	EndedBy   *int64
	EndedAt   *time.Time
	EndReason *string
	// Scenario is a 2025 programme's capability-building scenario; Tier
	// the scenario's tier when the agreement was signed.
	Scenario      *string
	Tier          *int16
	ApplicationID *int64
	// MonthlyLimit is an LP programme's 月度地区限额, set by vendor staff.
	MonthlyLimit *decimal.Decimal
}

// TableName maps Program to fh_programs.
func (Program) TableName() string { return "fh_programs" }

// Person is a row of fh_persons.
type Person struct {
	ID        int64
	ProgramID int64
	PersonID  int64
	Role      string
	City      string
	Active    bool
	UpdatedAt time.Time
}

// TableName maps Person to fh_persons.
func (Person) TableName() string { return "fh_persons" }

// Month is a row of fh_months.
type Month struct {
	ID            int64
	ProgramID     int64
	PartnerID     int64
	Month         time.Time
	Status        string
	Amount        decimal.Decimal
	ApplicationID *int64
	PaymentID     *int64
	CreatedBy     *int64
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// TableName maps Month to fh_months.
func (Month) TableName() string { return "fh_months" }

// Line is a row of fh_lines.
type Line struct {
	ID          int64
	MonthID     int64
	PersonID    int64
	Month       time.Time
	Name        string
	Role        string
	Baseline    decimal.Decimal
	City        string
	Coefficient decimal.Decimal
	Units       int
	Amount      decimal.Decimal
	Live        bool
	// GradingID is the SI grading an SI line pays; ClassDays and
	// Satisfaction an LP dedicated-fund line's month.
	GradingID    *int64
	ClassDays    *decimal.Decimal
	Satisfaction *decimal.Decimal
}

// TableName maps Line to fh_lines.
func (Line) TableName() string { return "fh_lines" }

// Payment is a row of fh_payments.
type Payment struct {
	ID          int64
	ProgramID   int64
	PartnerID   int64
	Quarter     string
	Amount      decimal.Decimal
	Status      string
	PaymentRef  string
	DecisionKey string
	PaidBy      *int64
	PaidAt      *time.Time
	CreatedBy   *int64
	CreatedAt   time.Time
}

// TableName maps Payment to fh_payments.
func (Payment) TableName() string { return "fh_payments" }

// Service is FH. Every method takes the acting principal first.
type Service struct {
	DB    *gorm.DB
	Clock clock.Clock
}

func (s Service) now() time.Time { return s.Clock.Now().UTC() }

// Compliance are the four points a partner accepts (§10.6.2.10; catalog
// keys).
var Compliance = []string{"fh.compliance.1", "fh.compliance.2", "fh.compliance.3", "fh.compliance.4"}

// Invite invites a partner the staff member may see to a variant (a 2025
// programme to one scenario). A 2025 application rejected before is
// replaced by the invitation.
func (s Service) Invite(ctx context.Context, p *access.Principal, partnerID int64, variant, scenario string) (err error) {
	defer apperr.Wrap(&err, "fh.Invite(%d)", partnerID)
	uid, err := p.Staff()
	if err != nil {
		return err
	}
	if partnerID == 0 {
		return apperr.FieldError("partner_id", "fh.err.partner")
	}
	var sc *string
	switch variant {
	case Service2024, SIPresales, LPLecturer:
	case Capability2025:
		if !slices.Contains(Scenarios, scenario) {
			return apperr.FieldError("scenario", "fh.err.scenario")
		}
		sc = &scenario
	default:
		return apperr.FieldError("variant", "fh.err.variant")
	}
	now := s.now()
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		if _, err := (partner.Directory{DB: tx}).Get(ctx, p, partnerID); err != nil {
			return err
		}
		if err := tx.WithContext(ctx).Where("partner_id = ? AND variant = ? AND status = ?", partnerID, variant, ProgramRejected).
			Delete(&Program{}).Error; err != nil {
			return err
		}
		pr := Program{PartnerID: partnerID, Variant: variant, Scenario: sc, Status: ProgramInvited, InvitedBy: &uid, InvitedAt: now}
		res := tx.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&pr)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return apperr.Conflict("fh.err.invited")
		}
		if err := notify.SendToMain(ctx, tx, notify.Note{Partner: partnerID, Subject: "fh.msg.invited.subject", Body: "fh.msg.invited.body",
			Params: map[string]any{"VariantKey": "fh.variant." + variant}, Link: PagePath(variant), At: now}); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: partnerID, Action: "fh.invite", ObjectType: "fh_program", ObjectID: pr.ID,
			After: map[string]any{"variant": variant, "scenario": scenario, "status": ProgramInvited}})
	})
}

// program reads the tenant's programme of a variant (nil when none);
// lock takes it FOR UPDATE.
func program(ctx context.Context, g *gorm.DB, partnerID int64, variant string, lock bool) (*Program, error) {
	q := g.WithContext(ctx)
	if lock {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var ps []Program
	// The live programme; an ended one is kept beside a newer one.
	if err := q.Where("partner_id = ? AND variant = ?", partnerID, variant).Order("status = 'ended', id DESC").Limit(1).Find(&ps).Error; err != nil || len(ps) == 0 {
		return nil, err
	}
	return &ps[0], nil
}

// seenProgram reads a programme (of variant, when not "") of a partner the
// staff member may see, else 404; lock takes it FOR UPDATE.
func seenProgram(ctx context.Context, tx *gorm.DB, p *access.Principal, id int64, variant string, lock bool) (*Program, error) {
	q := tx.WithContext(ctx).Where("id = ?", id)
	if variant != "" {
		q = q.Where("variant = ?", variant)
	}
	if lock {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var pr Program
	if err := q.Take(&pr).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, apperr.NotFound()
		}
		return nil, err
	}
	if _, err := (partner.Directory{DB: tx}).Get(ctx, p, pr.PartnerID); err != nil {
		return nil, err
	}
	return &pr, nil
}

// Join is the main account's acceptance of an invitation with every
// compliance point ticked.
func (s Service) Join(ctx context.Context, p *access.Principal, variant string, ticked []string) (err error) {
	defer apperr.Wrap(&err, "fh.Join")
	pid, err := p.Tenant()
	if err != nil {
		return err
	}
	if !p.IsMain {
		return apperr.Forbidden()
	}
	for _, c := range Compliance {
		if !slices.Contains(ticked, c) {
			return apperr.FieldError("compliance", "fh.err.compliance")
		}
	}
	now := s.now()
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		pr, err := program(ctx, tx, pid, variant, true)
		if err != nil {
			return err
		}
		if pr == nil {
			return apperr.Conflict("fh.err.not_invited")
		}
		if pr.Status != ProgramInvited {
			return apperr.Conflict("fh.err.state")
		}
		upd := map[string]any{"status": ProgramJoined, "joined_by": p.UserID, "joined_at": now}
		after := map[string]any{"status": ProgramJoined}
		if pr.Scenario != nil {
			tier, err := tierOf(ctx, tx, *pr.Scenario)
			if err != nil {
				return err
			}
			if tier == 0 {
				return apperr.Conflict("fh.err.no_tier")
			}
			upd["tier"] = tier
			after["fh_tier"] = tier
		}
		if pr.Variant == LPLecturer && pr.MonthlyLimit == nil {
			return apperr.Conflict("fh.err.no_limit")
		}
		if err := tx.WithContext(ctx).Model(pr).Updates(upd).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pid, Action: "fh.join", ObjectType: "fh_program", ObjectID: pr.ID,
			Before: map[string]any{"status": ProgramInvited}, After: after})
	})
}

// PersonInput is a funded person's row.
type PersonInput struct {
	PersonID   int64
	Role, City string
}

// SavePerson adds or updates a funded person (main account): an approved
// project specialist of the service path linked to the partner.
func (s Service) SavePerson(ctx context.Context, p *access.Principal, in PersonInput) (err error) {
	defer apperr.Wrap(&err, "fh.SavePerson(%d)", in.PersonID)
	pid, err := p.Tenant()
	if err != nil {
		return err
	}
	if !p.IsMain {
		return apperr.Forbidden()
	}
	f := apperr.Fields{}
	if _, ok := Baselines[in.Role]; !ok {
		f.Add("role", "fh.err.role")
	}
	in.City = strings.TrimSpace(in.City)
	if n := utf8.RuneCountInString(in.City); n == 0 || n > 20 {
		f.Add("city", "fh.err.city")
	}
	if err := f.Err(); err != nil {
		return err
	}
	now := s.now()
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		pr, err := program(ctx, tx, pid, Service2024, true)
		if err != nil {
			return err
		}
		if pr == nil || pr.Status != ProgramJoined {
			return apperr.Conflict("fh.err.not_joined")
		}
		sps, err := people.Specialists(ctx, tx, pid, paths.PathService)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(sps, func(sp people.SpecialistPerson) bool { return sp.PersonID == in.PersonID }) {
			return apperr.FieldError("person_id", "fh.err.not_specialist")
		}
		row := Person{ProgramID: pr.ID, PersonID: in.PersonID, Role: in.Role, City: in.City, Active: true, UpdatedAt: now}
		if err := tx.WithContext(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "program_id"}, {Name: "person_id"}},
			DoUpdates: clause.AssignmentColumns([]string{"role", "city", "active", "updated_at"})}).Create(&row).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pid, Action: "fh.person", ObjectType: "fh_person", ObjectID: in.PersonID,
			After: map[string]any{"role": in.Role, "city": in.City}})
	})
}

// RemovePerson takes a person off the programme (main account).
func (s Service) RemovePerson(ctx context.Context, p *access.Principal, personID int64) (err error) {
	defer apperr.Wrap(&err, "fh.RemovePerson(%d)", personID)
	pid, err := p.Tenant()
	if err != nil {
		return err
	}
	if !p.IsMain {
		return apperr.Forbidden()
	}
	now := s.now()
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		pr, err := program(ctx, tx, pid, Service2024, false)
		if err != nil {
			return err
		}
		if pr == nil {
			return apperr.NotFound()
		}
		res := tx.WithContext(ctx).Model(&Person{}).Where("program_id = ? AND person_id = ?", pr.ID, personID).
			Updates(map[string]any{"active": false, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return apperr.NotFound()
		}
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pid, Action: "fh.person_removed", ObjectType: "fh_person", ObjectID: personID})
	})
}

// ErrOneFH refuses a person already in an FH for the month (§10.6.1.7).
const ErrOneFH = "fh.err.one_fh"

// LinePayload is a line in the approval's payload.
type LinePayload struct {
	Name        string `json:"name"`
	Role        string `json:"role"`
	City        string `json:"city"`
	Baseline    string `json:"baseline"`
	Coefficient string `json:"coefficient"`
	Units       int    `json:"units,omitempty"`
	Amount      string `json:"amount"`
	// A 2025 line: the standards passed, each paid the tier amount.
	Standards []string `json:"standards,omitempty"`
	// An SI line: the grading's project; an LP dedicated line: the month's
	// class-days and satisfaction.
	Project      string `json:"project,omitempty"`
	ClassDays    string `json:"class_days,omitempty"`
	Satisfaction string `json:"satisfaction,omitempty"`
}

// MonthPayload is the fh_month approval's payload.
type MonthPayload struct {
	Variant string        `json:"variant,omitempty"`
	MonthID int64         `json:"month_id"`
	Month   string        `json:"month"`
	Amount  string        `json:"amount"`
	Lines   []LinePayload `json:"lines"`
}

// MonthInput is a month's application.
type MonthInput struct {
	Variant, Month string
	// Lecturers are an LP month's rows.
	Lecturers []LecturerInput
	// Materials are the persons' proofs (§10.6.4.5: 在职证明, 社保证明,
	// the delivery's acceptance documents), attached to the application;
	// an LP month needs them.
	Materials []files.Upload
}

// MaxMaterials is how many files a month's application may attach.
const MaxMaterials = 10

// noLines is the refusal of a month with nothing to pay, by variant.
var noLines = map[string]string{Service2024: "fh.err.no_persons", Capability2025: "fh.err.no_standards", SIPresales: "fh.err.no_gradings",
	LPLecturer: "fh.err.no_lecturers"}

// SubmitMonth generates and submits a month's details (main account):
// one application per programme and month, of a month already begun;
// each person still an approved project specialist of the variant's path
// and in no other FH that month. A 2024 month funds every active person;
// a 2025 month pays the standards passed by the month's end and not paid
// before; an SI month the gradings not paid before; an LP month the funds
// chosen for its lecturers.
func (s Service) SubmitMonth(ctx context.Context, p *access.Principal, in MonthInput) (_ *Month, err error) {
	defer apperr.Wrap(&err, "fh.SubmitMonth(%s, %s)", in.Variant, in.Month)
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	if !p.IsMain {
		return nil, apperr.Forbidden()
	}
	variant := in.Variant
	m, perr := time.Parse("2006-01", strings.TrimSpace(in.Month))
	now := s.now()
	today := clock.ChinaDate(now)
	if perr != nil {
		return nil, apperr.FieldError("month", "fh.err.month")
	}
	if m.After(today) {
		return nil, apperr.FieldError("month", "fh.err.future_month")
	}
	switch {
	case len(in.Materials) > MaxMaterials:
		return nil, apperr.FieldError("files", "fh.err.materials_max")
	case variant == LPLecturer && len(in.Materials) == 0:
		return nil, apperr.FieldError("files", "fh.err.materials")
	}
	var out *Month
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		pr, err := program(ctx, tx, pid, variant, true)
		if err != nil {
			return err
		}
		if pr == nil || pr.Status != ProgramJoined {
			return apperr.Conflict("fh.err.not_joined")
		}
		if pr.JoinedAt != nil && m.Before(time.Date(pr.JoinedAt.In(clock.China).Year(), pr.JoinedAt.In(clock.China).Month(), 1, 0, 0, 0, 0, time.UTC)) {
			return apperr.FieldError("month", "fh.err.before_join")
		}
		var applied int64
		if err := tx.WithContext(ctx).Model(&Payment{}).Where("program_id = ? AND quarter = ?", pr.ID, QuarterOf(m)).Count(&applied).Error; err != nil {
			return err
		}
		if applied > 0 {
			return apperr.FieldError("month", "fh.err.month_quarter_paid")
		}
		var open int64
		if err := tx.WithContext(ctx).Model(&Month{}).Where("program_id = ? AND month = ? AND status IN ?", pr.ID, m,
			[]string{MonthSubmitted, MonthApproved}).Count(&open).Error; err != nil {
			return err
		}
		if open > 0 {
			return apperr.Conflict("fh.err.month_taken")
		}
		sps, err := people.Specialists(ctx, tx, pid, PathOf(variant))
		if err != nil {
			return err
		}
		byID := map[int64]people.SpecialistPerson{}
		for _, sp := range sps {
			if !sp.Since.After(m.AddDate(0, 1, 0)) { // a specialist of the path in the month
				byID[sp.PersonID] = sp
			}
		}
		var lines []monthLine
		switch variant {
		case Capability2025:
			lines, err = capabilityLines(ctx, tx, pr, m, byID)
		case SIPresales:
			lines, err = presalesLines(ctx, tx, pr, m, today, byID)
		case LPLecturer:
			lines, err = lecturerLines(ctx, tx, pr, m, today, byID, in.Lecturers)
		default:
			lines, err = serviceLines(ctx, tx, pr, m, byID)
		}
		if err != nil {
			return err
		}
		if len(lines) == 0 {
			return apperr.Conflict(noLines[variant])
		}
		row := &Month{ProgramID: pr.ID, PartnerID: pid, Month: m, Status: MonthSubmitted, CreatedBy: &p.UserID, CreatedAt: now, UpdatedAt: now}
		for _, l := range lines {
			row.Amount = row.Amount.Add(l.Amount)
		}
		if err := tx.WithContext(ctx).Create(row).Error; err != nil {
			return err
		}
		pl := MonthPayload{Variant: variant, MonthID: row.ID, Month: m.Format("2006-01"), Amount: row.Amount.StringFixed(2)}
		for i := range lines {
			l := &lines[i]
			l.MonthID = row.ID
			if err := tx.WithContext(ctx).Create(&l.Line).Error; err != nil {
				if name, ok := db.IsUniqueViolation(err); ok {
					return apperr.Conflict(lineTaken[name])
				}
				return err
			}
			for _, a := range l.appraisals {
				if err := tx.WithContext(ctx).Create(&LineAppraisal{LineID: l.ID, AppraisalID: a.ID, Live: true}).Error; err != nil {
					if _, ok := db.IsUniqueViolation(err); ok {
						return apperr.Conflict("fh.err.standard_paid")
					}
					return err
				}
			}
			pl.Lines = append(pl.Lines, l.payload())
		}
		fileIDs, err := files.SaveDocuments(ctx, tx, pid, p.UserID, now, in.Materials)
		if err != nil {
			return err
		}
		app, err := (approval.Engine{DB: tx, Clock: s.Clock}).SubmitNew(ctx, tx, p, approval.New{Type: ApprovalMonth,
			Title: "FH " + pl.Month, Payload: pl, FileIDs: fileIDs})
		if err != nil {
			return err
		}
		if err := tx.WithContext(ctx).Model(row).Update("application_id", app.ID).Error; err != nil {
			return err
		}
		row.ApplicationID = &app.ID
		out = row
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pid, Action: "fh.month", ObjectType: "fh_month", ObjectID: row.ID,
			After: map[string]any{"month": pl.Month, "amount": row.Amount, "persons": len(lines)}})
	})
	return out, err
}

// lineTaken is the refusal of a line a unique index refused: the person in
// another FH that month (§10.6.1.7, N74), an SI grading paid meanwhile, a
// lecturer's cultivation fund paid meanwhile.
var lineTaken = map[string]string{"fh_lines_person_month_key": ErrOneFH, "fh_lines_grading_key": "fh.err.grading_paid",
	"fh_lines_cultivation_key": "fh.err.cultivated"}

// QuarterOf is a month's quarter code (2026Q3).
func QuarterOf(m time.Time) string { return fmt.Sprintf("%dQ%d", m.Year(), (int(m.Month())-1)/3+1) }

// quarterMonths are a quarter code's three months.
func quarterMonths(q string) ([]time.Time, error) {
	var y, n int
	if _, err := fmt.Sscanf(q, "%dQ%d", &y, &n); err != nil || n < 1 || n > 4 || y < 2020 || y > 2100 || fmt.Sprintf("%dQ%d", y, n) != q {
		return nil, apperr.FieldError("quarter", "fh.err.quarter")
	}
	first := time.Date(y, time.Month((n-1)*3+1), 1, 0, 0, 0, 0, time.UTC)
	return []time.Time{first, first.AddDate(0, 1, 0), first.AddDate(0, 2, 0)}, nil
}

// ApplyPayment is the quarter's payment application (main account), once
// per programme and quarter: for 2024 all three months approved
// (§10.6.1.4–10.6.1.5); for 2025 the quarter over, none of its months in
// review and one approved at least.
func (s Service) ApplyPayment(ctx context.Context, p *access.Principal, variant, quarter string) (_ *Payment, err error) {
	defer apperr.Wrap(&err, "fh.ApplyPayment(%s, %s)", variant, quarter)
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	if !p.IsMain {
		return nil, apperr.Forbidden()
	}
	months, err := quarterMonths(strings.TrimSpace(quarter))
	if err != nil {
		return nil, err
	}
	quarter = QuarterOf(months[0]) // the canonical spelling
	now := s.now()
	var out *Payment
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		pr, err := program(ctx, tx, pid, variant, true)
		if err != nil {
			return err
		}
		if pr == nil || pr.JoinedAt == nil {
			return apperr.Conflict("fh.err.not_joined")
		}
		var all []Month
		if err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("program_id = ? AND month IN ? AND status IN ?",
			pr.ID, months, []string{MonthSubmitted, MonthApproved}).Find(&all).Error; err != nil {
			return err
		}
		if err := payable(pr, months, all, clock.ChinaDate(now)); err != nil {
			return err
		}
		var ms []Month
		for _, m := range all {
			if m.Status == MonthApproved {
				ms = append(ms, m)
			}
		}
		pay := &Payment{ProgramID: pr.ID, PartnerID: pid, Quarter: quarter, Status: PaymentSubmitted, CreatedBy: &p.UserID, CreatedAt: now}
		for _, m := range ms {
			if m.PaymentID != nil {
				return apperr.Conflict("fh.err.quarter_paid")
			}
			pay.Amount = pay.Amount.Add(m.Amount)
		}
		if err := tx.WithContext(ctx).Create(pay).Error; err != nil {
			if _, ok := db.IsUniqueViolation(err); ok {
				return apperr.Conflict("fh.err.quarter_paid")
			}
			return err
		}
		if err := tx.WithContext(ctx).Model(&Month{}).Where("program_id = ? AND month IN ? AND status = ?", pr.ID, months, MonthApproved).
			Update("payment_id", pay.ID).Error; err != nil {
			return err
		}
		out = pay
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pid, Action: "fh.payment", ObjectType: "fh_payment", ObjectID: pay.ID,
			After: map[string]any{"quarter": quarter, "amount": pay.Amount}})
	})
	return out, err
}

// Pay is vendor finance's 付款完成 of a quarter by bank transfer with its
// reference; the form's key makes a repeat a no-op.
func (s Service) Pay(ctx context.Context, p *access.Principal, id int64, ref, key string) (err error) {
	defer apperr.Wrap(&err, "fh.Pay(%d)", id)
	uid, err := p.Staff()
	if err != nil {
		return err
	}
	if ref, err = ledger.TransferForm(ref, key); err != nil {
		return err
	}
	now := s.now()
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		var pay Payment
		if err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ?", id).Take(&pay).Error; err != nil {
			if db.IsNotFound(err) {
				return apperr.NotFound()
			}
			return err
		}
		if pay.Status == PaymentPaid && pay.DecisionKey == key {
			return nil
		}
		if pay.Status != PaymentSubmitted {
			return apperr.Conflict("fh.err.state")
		}
		if err := tx.WithContext(ctx).Model(&pay).Updates(map[string]any{"status": PaymentPaid, "payment_ref": ref, "decision_key": key,
			"paid_by": uid, "paid_at": now}).Error; err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pay.PartnerID, Action: "fh.paid", ObjectType: "fh_payment", ObjectID: pay.ID,
			Before: map[string]any{"status": PaymentSubmitted}, After: map[string]any{"status": PaymentPaid, "payment_ref": ref}}); err != nil {
			return err
		}
		var variant string
		if err := tx.WithContext(ctx).Model(&Program{}).Where("id = ?", pay.ProgramID).Pluck("variant", &variant).Error; err != nil {
			return err
		}
		return notify.SendToMain(ctx, tx, notify.Note{Partner: pay.PartnerID, Subject: "fh.msg.paid.subject", Body: "fh.msg.paid.body",
			Params: map[string]any{"Quarter": pay.Quarter, "Amount": money.Grouped(pay.Amount, 2), "Ref": ref}, Link: PagePath(variant), At: now})
	})
}

func init() {
	approval.Register(monthType{})
	approval.Register(joinType{})
	paths.RegisterExitBlocker(func(ctx context.Context, g *gorm.DB, partnerID int64) (string, bool, error) {
		var n int64
		err := g.WithContext(ctx).Model(&Program{}).Where("partner_id = ? AND status = ?", partnerID, ProgramJoined).Count(&n).Error
		return paths.ErrExitFH, n > 0, err
	})
}

type monthType struct{ approval.Base }

func (monthType) Key() string { return ApprovalMonth }
func (monthType) SLA() int    { return 5 }

func (monthType) Validate(raw json.RawMessage) error {
	var pl MonthPayload
	if err := json.Unmarshal(raw, &pl); err != nil || pl.MonthID == 0 {
		return apperr.Invalid("fh.err.payload")
	}
	return nil
}

func decideMonth(ctx context.Context, tx *gorm.DB, app *approval.Application, to string) error {
	var pl MonthPayload
	if err := app.DecodePayload(&pl); err != nil {
		return err
	}
	var m Month
	if err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ? AND partner_id = ?", pl.MonthID, app.PartnerID).
		Take(&m).Error; err != nil {
		return err
	}
	if m.Status != MonthSubmitted {
		return apperr.Conflict("fh.err.state")
	}
	at := app.DecisionClock().Now().UTC()
	if err := tx.WithContext(ctx).Model(&m).Updates(map[string]any{"status": to, "updated_at": at}).Error; err != nil {
		return err
	}
	if to != MonthApproved {
		// Released: the persons may be in another FH that month, and a
		// 2025 month's standards may be applied for again.
		if err := tx.WithContext(ctx).Model(&Line{}).Where("month_id = ?", m.ID).Update("live", false).Error; err != nil {
			return err
		}
		if err := tx.WithContext(ctx).Model(&LineAppraisal{}).Where("line_id IN (?)", tx.Model(&Line{}).Select("id").Where("month_id = ?", m.ID)).
			Update("live", false).Error; err != nil {
			return err
		}
	}
	return audit.Record(ctx, tx, audit.Change{At: at, PartnerID: m.PartnerID, Action: "fh.month_" + to, ObjectType: "fh_month", ObjectID: m.ID,
		Before: map[string]any{"status": MonthSubmitted}, After: map[string]any{"status": to}})
}

// OnApprove: the month counts towards its quarter.
func (monthType) OnApprove(ctx context.Context, tx *gorm.DB, app *approval.Application) error {
	return decideMonth(ctx, tx, app, MonthApproved)
}

// OnReject: the month may be submitted again.
func (monthType) OnReject(ctx context.Context, tx *gorm.DB, app *approval.Application) error {
	return decideMonth(ctx, tx, app, MonthRejected)
}

// OnWithdraw: the month may be submitted again.
func (monthType) OnWithdraw(ctx context.Context, tx *gorm.DB, app *approval.Application) error {
	return decideMonth(ctx, tx, app, MonthWithdrawn)
}

// End ends a partner's programme (vendor staff who see the partner): no
// more months are applied for, and it no longer keeps the partner in its
// path. Months and payments already applied for go on.
func (s Service) End(ctx context.Context, p *access.Principal, programID int64, reason string) (err error) {
	defer apperr.Wrap(&err, "fh.End(%d)", programID)
	if _, err := p.Staff(); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 500 {
		return apperr.FieldError("reason", "fh.err.reason")
	}
	now := s.now()
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		pr, err := seenProgram(ctx, tx, p, programID, "", true)
		if err != nil {
			return err
		}
		if pr.Status != ProgramInvited && pr.Status != ProgramJoined {
			return apperr.Conflict("fh.err.state")
		}
		upd := map[string]any{"status": ProgramEnded, "ended_by": p.UserID, "ended_at": now, "end_reason": reason}
		if err := tx.WithContext(ctx).Model(pr).Updates(upd).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pr.PartnerID, Action: "fh.end", ObjectType: "fh_program", ObjectID: pr.ID,
			Before: map[string]any{"status": pr.Status}, After: map[string]any{"status": ProgramEnded, "reason": reason}})
	})
}

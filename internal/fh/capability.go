package fh

import (
	"context"
	"encoding/json"
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
	"partnercenter/internal/notify"
	"partnercenter/internal/paths"
	"partnercenter/internal/people"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
)

// Scenarios of the 2025 capability building (§10.6.2.3).
var Scenarios = []string{"database", "devsecops", "ascend", "pangu"}

// TierAmounts are the amounts per passed capability standard of the
// scenario's tier (§10.6.2.3: 一档 15万, 二档 20万, 三档 30万).
var TierAmounts = map[int16]decimal.Decimal{1: decimal.NewFromInt(150000), 2: decimal.NewFromInt(200000), 3: decimal.NewFromInt(300000)}

// Tiers lists them.
var Tiers = []int16{1, 2, 3}

// scenarioDirections are the directions of the HCCDP (or HCCDE) a
// scenario's five certified engineers hold (§10.6.2.2).
var scenarioDirections = map[string][]string{
	"database":  {"GaussDB"},
	"devsecops": {"Cloud Native DevOps"},
	"pangu":     {"AI"},
	"ascend":    {"AI", "AI-AscendCloud"},
}

// EngineersNeeded is the number of certified engineers of the scenario a
// role-certified service partner needs to apply itself (§10.6.2.2).
const EngineersNeeded = 5

// ApprovalJoin is the approval type of a partner's application to join a
// 2025 scenario.
const ApprovalJoin = "fh_join"

// Standard is a row of fh_standards: a capability standard of a scenario.
type Standard struct {
	ID        int64
	Scenario  string
	Name      string
	Active    bool
	CreatedBy *int64
	CreatedAt time.Time
}

// TableName maps Standard to fh_standards.
func (Standard) TableName() string { return "fh_standards" }

// ScenarioTier is a row of fh_scenario_tiers.
type ScenarioTier struct {
	Scenario  string `gorm:"primaryKey"`
	Tier      int16
	UpdatedBy *int64
	UpdatedAt time.Time
}

// TableName maps ScenarioTier to fh_scenario_tiers.
func (ScenarioTier) TableName() string { return "fh_scenario_tiers" }

// Appraisal is a row of fh_appraisals: a person passed a standard.
type Appraisal struct {
	ID         int64
	ProgramID  int64
	PartnerID  int64
	PersonID   int64
	StandardID int64
	PassedOn   time.Time
	RecordedBy *int64
	CreatedAt  time.Time
}

// TableName maps Appraisal to fh_appraisals.
func (Appraisal) TableName() string { return "fh_appraisals" }

// LineAppraisal is a row of fh_line_appraisals.
type LineAppraisal struct {
	LineID      int64 `gorm:"primaryKey"`
	AppraisalID int64 `gorm:"primaryKey"`
	Live        bool
}

// TableName maps LineAppraisal to fh_line_appraisals.
func (LineAppraisal) TableName() string { return "fh_line_appraisals" }

// monthLine is a line being generated, with the appraisals it pays (2025)
// or the grading's project (SI).
type monthLine struct {
	Line
	appraisals []Appraisal
	standards  []string
	project    string
}

// payload is the line in the approval's payload.
func (l monthLine) payload() LinePayload {
	pl := LinePayload{Name: l.Name, Role: l.Role, City: l.City, Baseline: l.Baseline.String(), Coefficient: l.Coefficient.String(),
		Units: l.Units, Amount: l.Amount.StringFixed(2), Standards: l.standards, Project: l.project}
	if l.ClassDays != nil {
		pl.ClassDays, pl.Satisfaction = l.ClassDays.String(), l.Satisfaction.StringFixed(2)
	}
	return pl
}

// inOtherFH are the persons with a live line in the month: in another FH
// (or another month's application), their month waits (N74).
func inOtherFH(ctx context.Context, tx *gorm.DB, m time.Time) (map[int64]bool, error) {
	var ids []int64
	if err := tx.WithContext(ctx).Model(&Line{}).Where("month = ? AND live", m).Distinct().Pluck("person_id", &ids).Error; err != nil {
		return nil, err
	}
	out := make(map[int64]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// serviceLines are a 2024 month's lines: every active person funded at
// its role's baseline and its city's coefficient.
func serviceLines(ctx context.Context, tx *gorm.DB, pr *Program, m time.Time, specialists map[int64]people.SpecialistPerson) ([]monthLine, error) {
	var persons []Person
	if err := tx.WithContext(ctx).Where("program_id = ? AND active", pr.ID).Order("id").Find(&persons).Error; err != nil {
		return nil, err
	}
	var out []monthLine
	for _, ps := range persons {
		sp, ok := specialists[ps.PersonID]
		if !ok {
			continue // not a specialist of the path (yet, or any more) in the month: not funded
		}
		out = append(out, monthLine{Line: Line{PersonID: ps.PersonID, Month: m, Name: sp.Name, Role: ps.Role, Baseline: Baselines[ps.Role],
			City: ps.City, Coefficient: Coefficient(ps.City), Units: 1, Amount: LineAmount(ps.Role, ps.City), Live: true}})
	}
	return out, nil
}

// capabilityLines are a 2025 month's lines (N64): per person, the
// standards passed by the month's end and not paid before, each at the
// programme's tier amount.
func capabilityLines(ctx context.Context, tx *gorm.DB, pr *Program, m time.Time, specialists map[int64]people.SpecialistPerson) ([]monthLine, error) {
	if pr.Tier == nil {
		return nil, apperr.Conflict("fh.err.no_tier")
	}
	var rows []struct {
		Appraisal
		StandardName string
	}
	if err := tx.WithContext(ctx).Table("fh_appraisals a").Joins("JOIN fh_standards s ON s.id = a.standard_id").
		Where("a.program_id = ? AND a.passed_on < ?", pr.ID, m.AddDate(0, 1, 0)).
		Where("NOT EXISTS (SELECT 1 FROM fh_line_appraisals la WHERE la.appraisal_id = a.id AND la.live)").
		Select("a.*, s.name AS standard_name").Order("a.person_id, a.passed_on, a.id").Scan(&rows).Error; err != nil {
		return nil, err
	}
	elsewhere, err := inOtherFH(ctx, tx, m) // in another FH this month: their standards wait (§10.6.2.9)
	if err != nil {
		return nil, err
	}
	amount := TierAmounts[*pr.Tier]
	var out []monthLine
	for _, r := range rows {
		sp, ok := specialists[r.PersonID]
		if !ok || elsewhere[r.PersonID] {
			continue
		}
		if len(out) == 0 || out[len(out)-1].PersonID != r.PersonID {
			out = append(out, monthLine{Line: Line{PersonID: r.PersonID, Month: m, Name: sp.Name, Role: *pr.Scenario, Baseline: amount,
				Coefficient: decimal.NewFromInt(1), Live: true}})
		}
		l := &out[len(out)-1]
		l.appraisals = append(l.appraisals, r.Appraisal)
		l.standards = append(l.standards, r.StandardName)
		l.Units = len(l.appraisals)
		l.Amount = amount.Mul(decimal.NewFromInt(int64(l.Units)))
	}
	return out, nil
}

// payable says whether a programme's quarter can be paid: for a 2024
// programme in force over the whole quarter, all three months approved;
// otherwise (2025, SI, LP, or a 2024 programme joined within the quarter
// or ended) the quarter over, none of its months in review, one approved
// at least.
func payable(pr *Program, months []time.Time, live []Month, today time.Time) error {
	approved, inReview := 0, 0
	for _, m := range live {
		if m.Status == MonthApproved {
			approved++
		} else {
			inReview++
		}
	}
	// Joined after the quarter's first month: its first months cannot be applied for.
	joinedWithin := pr.JoinedAt != nil && !clock.ChinaDate(*pr.JoinedAt).Before(months[1])
	if pr.Variant == Service2024 && pr.Status == ProgramJoined && !joinedWithin {
		if approved != 3 {
			return apperr.Conflict("fh.err.quarter_open", map[string]any{"Approved": approved})
		}
		return nil
	}
	switch {
	case today.Before(months[2].AddDate(0, 1, 0)):
		return apperr.Conflict("fh.err.quarter_running")
	case inReview > 0:
		return apperr.Conflict("fh.err.quarter_in_review")
	case approved == 0:
		return apperr.Conflict("fh.err.quarter_empty")
	}
	return nil
}

// tierOf is the tier the vendor set for a scenario (0 when not set).
func tierOf(ctx context.Context, g *gorm.DB, scenario string) (int16, error) {
	var ts []ScenarioTier
	err := g.WithContext(ctx).Where("scenario = ?", scenario).Limit(1).Find(&ts).Error
	if err != nil || len(ts) == 0 {
		return 0, err
	}
	return ts[0].Tier, nil
}

// SetTier sets a scenario's tier (vendor administrator); programmes keep
// the tier of the day they signed.
func (s Service) SetTier(ctx context.Context, p *access.Principal, scenario string, tier int16) (err error) {
	defer apperr.Wrap(&err, "fh.SetTier(%s)", scenario)
	uid, err := p.VendorAdmin()
	if err != nil {
		return err
	}
	if !slices.Contains(Scenarios, scenario) {
		return apperr.FieldError("scenario", "fh.err.scenario")
	}
	if _, ok := TierAmounts[tier]; !ok {
		return apperr.FieldError("tier", "fh.err.tier")
	}
	now := s.now()
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		before, err := tierOf(ctx, tx, scenario)
		if err != nil {
			return err
		}
		row := ScenarioTier{Scenario: scenario, Tier: tier, UpdatedBy: &uid, UpdatedAt: now}
		if err := tx.WithContext(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "scenario"}},
			DoUpdates: clause.AssignmentColumns([]string{"tier", "updated_by", "updated_at"})}).Create(&row).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, Action: "fh.tier", ObjectType: "fh_scenario", ObjectKey: scenario,
			Before: map[string]any{"fh_tier": before}, After: map[string]any{"fh_tier": tier}})
	})
}

// AddStandard adds a capability standard to a scenario (vendor
// administrator).
func (s Service) AddStandard(ctx context.Context, p *access.Principal, scenario, name string) (err error) {
	defer apperr.Wrap(&err, "fh.AddStandard(%s)", scenario)
	uid, err := p.VendorAdmin()
	if err != nil {
		return err
	}
	f := apperr.Fields{}
	if !slices.Contains(Scenarios, scenario) {
		f.Add("scenario", "fh.err.scenario")
	}
	name = strings.TrimSpace(name)
	if n := utf8.RuneCountInString(name); n == 0 || n > 100 {
		f.Add("name", "fh.err.standard_name")
	}
	if err := f.Err(); err != nil {
		return err
	}
	now := s.now()
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		st := Standard{Scenario: scenario, Name: name, Active: true, CreatedBy: &uid, CreatedAt: now}
		if err := tx.WithContext(ctx).Create(&st).Error; err != nil {
			if _, ok := db.IsUniqueViolation(err); ok {
				return apperr.FieldError("name", "fh.err.standard_taken")
			}
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, Action: "fh.standard", ObjectType: "fh_standard", ObjectID: st.ID,
			After: map[string]any{"scenario": scenario, "name": name}})
	})
}

// RetireStandard stops a standard from being appraised; appraisals passed
// before are still paid.
func (s Service) RetireStandard(ctx context.Context, p *access.Principal, id int64) (err error) {
	defer apperr.Wrap(&err, "fh.RetireStandard(%d)", id)
	if _, err := p.VendorAdmin(); err != nil {
		return err
	}
	now := s.now()
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		res := tx.WithContext(ctx).Model(&Standard{}).Where("id = ? AND active", id).Update("active", false)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return apperr.NotFound()
		}
		return audit.Record(ctx, tx, audit.Change{At: now, Action: "fh.standard_retired", ObjectType: "fh_standard", ObjectID: id,
			Before: map[string]any{"active": true}, After: map[string]any{"active": false}})
	})
}

// Qualified counts, per scenario, a partner's service-path project
// specialists who hold a valid HCCDP or HCCDE of the scenario's direction
// (§10.6.2.2).
func Qualified(ctx context.Context, g *gorm.DB, partnerID int64, day time.Time) (map[string]int, error) {
	out := map[string]int{}
	sps, err := people.Specialists(ctx, g, partnerID, paths.PathService)
	if err != nil || len(sps) == 0 {
		return out, err
	}
	ids := make([]int64, len(sps))
	for i, sp := range sps {
		ids[i] = sp.PersonID
	}
	held, err := people.HeldDirections(ctx, g, ids, []string{"HCCDP", "HCCDE"}, day)
	if err != nil {
		return nil, err
	}
	for _, dirs := range held {
		for _, sc := range Scenarios {
			if slices.ContainsFunc(scenarioDirections[sc], func(d string) bool { return slices.Contains(dirs, strings.ToLower(d)) }) {
				out[sc]++
			}
		}
	}
	return out, nil
}

// JoinPayload is the fh_join approval's payload.
type JoinPayload struct {
	Variant   string `json:"variant,omitempty"` // "" for the 2025 applications before SI
	ProgramID int64  `json:"program_id"`
	Scenario  string `json:"scenario,omitempty"`
	Engineers int    `json:"engineers,omitempty"`
	Stage     string `json:"stage"`
}

// Apply is a partner's application to join a programme (main account),
// reviewed by the ecosystem manager; approved, its agreement is to be
// signed (Join). A role-certified (or differentiated) service partner
// applies for a 2025 scenario with its five certified engineers
// (§10.6.2.2); a differentiated (先进云) SI partner for the SI presales
// programme (§10.6.3.2: condition 2, the role-certified SI the vendor
// approves, is invited). The other variants are by invitation only.
func (s Service) Apply(ctx context.Context, p *access.Principal, variant, scenario string) (_ *Program, err error) {
	defer apperr.Wrap(&err, "fh.Apply(%s, %s)", variant, scenario)
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	if !p.IsMain {
		return nil, apperr.Forbidden()
	}
	switch variant {
	case Capability2025:
		if !slices.Contains(Scenarios, scenario) {
			return nil, apperr.FieldError("scenario", "fh.err.scenario")
		}
	case SIPresales:
		scenario = ""
	default:
		return nil, apperr.FieldError("variant", "fh.err.variant")
	}
	now := s.now()
	var out *Program
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		live, err := paths.LiveOf(ctx, tx, pid)
		if err != nil {
			return err
		}
		pl := JoinPayload{Variant: variant, Scenario: scenario}
		if variant == SIPresales {
			if live == nil || live.Path != paths.PathSI || live.Stage != paths.StageDiff {
				return apperr.Conflict("fh.err.not_advanced_si")
			}
		} else {
			if live == nil || live.Path != paths.PathService || !slices.Contains([]string{paths.StageRole, paths.StageDiff}, live.Stage) {
				return apperr.Conflict("fh.err.not_role_certified")
			}
			qualified, err := Qualified(ctx, tx, pid, clock.ChinaDate(now))
			if err != nil {
				return err
			}
			if pl.Engineers = qualified[scenario]; pl.Engineers < EngineersNeeded {
				return apperr.Conflict("fh.err.engineers", map[string]any{"Have": pl.Engineers, "Need": EngineersNeeded})
			}
		}
		pl.Stage = live.Stage
		pr, err := program(ctx, tx, pid, variant, true)
		if err != nil {
			return err
		}
		if pr != nil && pr.Status != ProgramRejected && pr.Status != ProgramEnded {
			return apperr.Conflict("fh.err.applied_already")
		}
		if pr != nil && pr.Status == ProgramRejected {
			if err := tx.WithContext(ctx).Delete(pr).Error; err != nil {
				return err
			}
		}
		pr = &Program{PartnerID: pid, Variant: variant, Status: ProgramApplied, InvitedAt: now}
		if scenario != "" {
			pr.Scenario = &scenario
		}
		if err := tx.WithContext(ctx).Create(pr).Error; err != nil {
			if _, ok := db.IsUniqueViolation(err); ok { // invited or applied meanwhile
				return apperr.Conflict("fh.err.state")
			}
			return err
		}
		pl.ProgramID = pr.ID
		title := "FH 2025"
		if variant == SIPresales {
			title = "FH SI"
		}
		app, err := (approval.Engine{DB: tx, Clock: s.Clock}).SubmitNew(ctx, tx, p, approval.New{Type: ApprovalJoin, Title: title, Payload: pl})
		if err != nil {
			return err
		}
		if err := tx.WithContext(ctx).Model(pr).Update("application_id", app.ID).Error; err != nil {
			return err
		}
		pr.ApplicationID = &app.ID
		out = pr
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pid, Action: "fh.apply", ObjectType: "fh_program", ObjectID: pr.ID,
			After: map[string]any{"variant": variant, "scenario": scenario, "status": ProgramApplied, "engineers": pl.Engineers}})
	})
	return out, err
}

// AppraisalInput is the ecosystem manager's record of a passed appraisal.
type AppraisalInput struct {
	ProgramID, PersonID, StandardID int64
	PassedOn                        string
}

// RecordAppraisal records that a project specialist of a joined 2025
// programme passed a standard of its scenario (vendor staff who see the
// partner); a person passes a standard once (§10.6.2.6).
func (s Service) RecordAppraisal(ctx context.Context, p *access.Principal, in AppraisalInput) (err error) {
	defer apperr.Wrap(&err, "fh.RecordAppraisal(%d)", in.ProgramID)
	uid, err := p.Staff()
	if err != nil {
		return err
	}
	now := s.now()
	f := apperr.Fields{}
	passed, perr := time.Parse(time.DateOnly, strings.TrimSpace(in.PassedOn))
	switch {
	case perr != nil:
		f.Add("passed_on", "fh.err.date")
	case passed.After(clock.ChinaDate(now)):
		f.Add("passed_on", "fh.err.future_date")
	}
	if in.PersonID == 0 {
		f.Add("person_id", "fh.err.not_specialist")
	}
	if in.StandardID == 0 {
		f.Add("standard_id", "fh.err.standard")
	}
	if err := f.Err(); err != nil {
		return err
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		pr, err := seenProgram(ctx, tx, p, in.ProgramID, Capability2025, false)
		if err != nil {
			return err
		}
		if pr.Status != ProgramJoined {
			return apperr.Conflict("fh.err.not_joined")
		}
		if passed.Before(clock.ChinaDate(*pr.JoinedAt)) {
			return apperr.FieldError("passed_on", "fh.err.before_join_date")
		}
		var st Standard
		if err := tx.WithContext(ctx).Where("id = ? AND scenario = ? AND active", in.StandardID, *pr.Scenario).Take(&st).Error; err != nil {
			if db.IsNotFound(err) {
				return apperr.FieldError("standard_id", "fh.err.standard")
			}
			return err
		}
		sps, err := people.Specialists(ctx, tx, pr.PartnerID, paths.PathService)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(sps, func(sp people.SpecialistPerson) bool { return sp.PersonID == in.PersonID })
		if i < 0 {
			return apperr.FieldError("person_id", "fh.err.not_specialist")
		}
		a := Appraisal{ProgramID: pr.ID, PartnerID: pr.PartnerID, PersonID: in.PersonID, StandardID: st.ID, PassedOn: passed, RecordedBy: &uid, CreatedAt: now}
		if err := tx.WithContext(ctx).Create(&a).Error; err != nil {
			if _, ok := db.IsUniqueViolation(err); ok {
				return apperr.FieldError("standard_id", "fh.err.appraised")
			}
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pr.PartnerID, Action: "fh.appraisal", ObjectType: "fh_appraisal", ObjectID: a.ID,
			After: map[string]any{"person": sps[i].Name, "standard": st.Name, "passed_on": passed.Format(time.DateOnly)}})
	})
}

type joinType struct{ approval.Base }

func (joinType) Key() string { return ApprovalJoin }
func (joinType) SLA() int    { return 5 }

func (joinType) Validate(raw json.RawMessage) error {
	var pl JoinPayload
	if err := json.Unmarshal(raw, &pl); err != nil || pl.ProgramID == 0 {
		return apperr.Invalid("fh.err.payload")
	}
	return nil
}

// decideJoin moves an applied programme: approved, the agreement is to be
// signed (invited); rejected, the partner may apply again; withdrawn, it
// is gone.
func decideJoin(ctx context.Context, tx *gorm.DB, app *approval.Application, to string) error {
	var pl JoinPayload
	if err := app.DecodePayload(&pl); err != nil {
		return err
	}
	var pr Program
	if err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ? AND partner_id = ?", pl.ProgramID, app.PartnerID).
		Take(&pr).Error; err != nil {
		return err
	}
	if pr.Status != ProgramApplied {
		return apperr.Conflict("fh.err.state")
	}
	at := app.DecisionClock().Now().UTC()
	if to == "" {
		if err := tx.WithContext(ctx).Delete(&pr).Error; err != nil {
			return err
		}
	} else if err := tx.WithContext(ctx).Model(&pr).Update("status", to).Error; err != nil {
		return err
	}
	if err := audit.Record(ctx, tx, audit.Change{At: at, PartnerID: pr.PartnerID, Action: "fh.apply_decided", ObjectType: "fh_program", ObjectID: pr.ID,
		Before: map[string]any{"status": ProgramApplied}, After: map[string]any{"status": to}}); err != nil {
		return err
	}
	if to != ProgramInvited {
		return nil
	}
	return notify.SendToMain(ctx, tx, notify.Note{Partner: pr.PartnerID, Subject: "fh.msg.approved.subject", Body: "fh.msg.approved.body",
		Params: map[string]any{"VariantKey": "fh.variant." + pr.Variant}, Link: PagePath(pr.Variant), At: at})
}

// OnApprove: the partner signs the agreement next.
func (joinType) OnApprove(ctx context.Context, tx *gorm.DB, app *approval.Application) error {
	return decideJoin(ctx, tx, app, ProgramInvited)
}

// OnReject: the partner may apply again.
func (joinType) OnReject(ctx context.Context, tx *gorm.DB, app *approval.Application) error {
	return decideJoin(ctx, tx, app, ProgramRejected)
}

// OnWithdraw: the application is gone.
func (joinType) OnWithdraw(ctx context.Context, tx *gorm.DB, app *approval.Application) error {
	return decideJoin(ctx, tx, app, "")
}

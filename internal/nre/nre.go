package nre

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
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
	"partnercenter/internal/platform/money"
)

// Programmes are the ecosystem special programmes (§10.8.2).
var Programmes = []string{"ascend_pangu", "kunpeng", "gauss", "harmony"}

// MaxAmount is the subsidy cap per product (§10.8.10, N84).
var MaxAmount = decimal.NewFromInt(500000)

// Approval types.
const (
	ApprovalNRE        = "nre"            // 技术评估 → 商业价值终评
	ApprovalAcceptance = "nre_acceptance" // a milestone's 验收申请
)

// States of an NRE.
const (
	Assessing        = "assessing"         // 技术评估
	FinalReview      = "final_review"      // 商业价值终评
	AgreementPending = "agreement_pending" // 协议待签署
	AgreementReview  = "agreement_review"  // 协议复核
	Effective        = "effective"         // 协议生效
	Completed        = "completed"         // 已完成
	Rejected         = "rejected"          // 已驳回
	Withdrawn        = "withdrawn"         // 已撤回
)

// States lists them.
var States = []string{Assessing, FinalReview, AgreementPending, AgreementReview, Effective, Completed, Rejected, Withdrawn}

// States of a milestone.
const (
	MilestonePending   = "pending"   // 待验收
	MilestoneAccepting = "accepting" // 验收中
	MilestoneAccepted  = "accepted"  // 已验收, to pay
	MilestonePaid      = "paid"      // 已付款
)

// MilestoneStates lists them.
var MilestoneStates = []string{MilestonePending, MilestoneAccepting, MilestoneAccepted, MilestonePaid}

// Refusals in the seeds' words.
const (
	ErrOnce        = "nre.err.once"         // 一个方案仅可申请一次NRE
	ErrNotEligible = "nre.err.not_eligible" // the three conditions
	ErrAmountCap   = "nre.err.over_cap"     // 每款产品的补贴上限：50万元
)

// Solution is a row of nre_solutions.
type Solution struct {
	ID         int64
	PartnerID  int64
	Name       string
	Programme  string
	AdmittedOn *time.Time
	Listed     bool
	CreatedBy  *int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// TableName maps Solution to nre_solutions.
func (Solution) TableName() string { return "nre_solutions" }

// Eligible reports the three conditions of §10.8.2 (the programme is the
// solution's own).
func (s Solution) Eligible() bool { return s.AdmittedOn != nil && !s.Listed }

// Application is a row of nre_applications.
type Application struct {
	ID              int64
	No              string
	PartnerID       int64
	SolutionID      int64
	Status          string
	Scope           string
	Services        string
	Plan            string
	StartsOn        time.Time
	Amount          *decimal.Decimal
	AgreementFileID *int64
	AgreementBy     *int64
	AgreementNote   string
	ApplicationID   *int64
	CreatedBy       *int64
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// TableName maps Application to nre_applications.
func (Application) TableName() string { return "nre_applications" }

// Milestone is a row of nre_milestones.
type Milestone struct {
	ID            int64
	NreID         int64 `gorm:"column:nre_id"`
	Seq           int
	Name          string
	Amount        decimal.Decimal
	DueOn         time.Time
	Status        string
	ApplicationID *int64
	PaymentRef    string
	DecisionKey   string
	PaidBy        *int64
	PaidAt        *time.Time
}

// TableName maps Milestone to nre_milestones.
func (Milestone) TableName() string { return "nre_milestones" }

// Service is NRE. Every method takes the acting principal first.
type Service struct {
	DB    *gorm.DB
	Clock clock.Clock
}

func (s Service) now() time.Time { return s.Clock.Now().UTC() }

func text(v string, max int, f apperr.Fields, field string) string {
	v = strings.TrimSpace(v)
	switch n := utf8.RuneCountInString(v); {
	case n == 0:
		f.Add(field, "nre.err.required")
	case n > max:
		f.Add(field, "nre.err.too_long")
	}
	return v
}

// SolutionInput is the vendor's record of a partner's solution.
type SolutionInput struct {
	Name, Programme, AdmittedOn string
	Listed                      bool
}

// RecordSolution records a partner's ecosystem special solution and its
// flags: vendor staff who may see the partner.
func (s Service) RecordSolution(ctx context.Context, p *access.Principal, partnerID int64, in SolutionInput) (_ *Solution, err error) {
	defer apperr.Wrap(&err, "nre.RecordSolution(%d)", partnerID)
	uid, err := p.Staff()
	if err != nil {
		return nil, err
	}
	f := apperr.Fields{}
	if partnerID == 0 {
		f.Add("partner_id", "nre.err.partner")
	}
	name := text(in.Name, 100, f, "name")
	if !slices.Contains(Programmes, in.Programme) {
		f.Add("programme", "nre.err.programme")
	}
	var admitted *time.Time
	if v := strings.TrimSpace(in.AdmittedOn); v != "" {
		d, derr := time.Parse(time.DateOnly, v)
		if derr != nil {
			f.Add("admitted_on", "nre.err.date")
		} else {
			admitted = &d
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	sol := &Solution{PartnerID: partnerID, Name: name, Programme: in.Programme, AdmittedOn: admitted, Listed: in.Listed,
		CreatedBy: &uid, CreatedAt: now, UpdatedAt: now}
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		if _, err := (partner.Directory{DB: tx}).Get(ctx, p, partnerID); err != nil {
			return err
		}
		if err := tx.WithContext(ctx).Create(sol).Error; err != nil {
			if _, ok := db.IsUniqueViolation(err); ok {
				return apperr.FieldError("name", "nre.err.solution_exists")
			}
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: partnerID, Action: "nre.solution", ObjectType: "nre_solution", ObjectID: sol.ID,
			After: map[string]any{"name": name, "programme": in.Programme, "admitted_on": in.AdmittedOn, "listed": in.Listed}})
	})
	if err != nil {
		return nil, err
	}
	return sol, nil
}

// ApplyInput is the NRE form.
type ApplyInput struct {
	SolutionID   int64
	Scope        string // 改造与开发内容
	Services     string // 使用的云服务 (重点 / 高阶云服务清单)
	Plan         string // 里程碑计划与投入
	StartsOn     string // the start of the work: from today (§10.8.9)
	Acknowledged bool   // "所有在申请前完成的改造，华为云不再激励"
}

// Payload is the nre approval's payload.
type Payload struct {
	NreID     int64  `json:"nre_id"`
	No        string `json:"no"`
	Solution  string `json:"solution"`
	Programme string `json:"programme"`
	Scope     string `json:"scope"`
	Services  string `json:"services"`
	Plan      string `json:"plan"`
	StartsOn  string `json:"starts_on"`
}

// Apply submits an NRE for one of the tenant's eligible solutions (main
// account), with the technical assessment material, into the two-stage
// review. A solution with an NRE in progress or done is refused (§10.8.3).
func (s Service) Apply(ctx context.Context, p *access.Principal, in ApplyInput, uploads []files.Upload) (_ *Application, err error) {
	defer apperr.Wrap(&err, "nre.Apply")
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	if !p.IsMain {
		return nil, apperr.Forbidden()
	}
	now := s.now()
	f := apperr.Fields{}
	a := &Application{PartnerID: pid, SolutionID: in.SolutionID, Status: Assessing}
	a.Scope = text(in.Scope, 2000, f, "scope")
	a.Services = text(in.Services, 500, f, "services")
	a.Plan = text(in.Plan, 2000, f, "plan")
	start, derr := time.Parse(time.DateOnly, strings.TrimSpace(in.StartsOn))
	switch {
	case derr != nil:
		f.Add("starts_on", "nre.err.date")
	case start.Before(clock.ChinaDate(now)):
		f.Add("starts_on", "nre.err.done_before")
	}
	a.StartsOn = start
	if !in.Acknowledged {
		f.Add("acknowledged", "nre.err.acknowledge")
	}
	if len(uploads) == 0 {
		f.Add("files", "nre.err.material")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	var out *Application
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		var sol Solution
		if err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ? AND partner_id = ?", in.SolutionID, pid).
			Take(&sol).Error; err != nil {
			if db.IsNotFound(err) {
				return apperr.FieldError("solution_id", "nre.err.solution")
			}
			return err
		}
		if !sol.Eligible() {
			return apperr.Conflict(ErrNotEligible)
		}
		var live int64
		if err := tx.WithContext(ctx).Model(&Application{}).Where("solution_id = ? AND status NOT IN ?", sol.ID, []string{Rejected, Withdrawn}).
			Count(&live).Error; err != nil {
			return err
		}
		if live > 0 {
			return apperr.Conflict(ErrOnce)
		}
		ids, err := files.SaveDocuments(ctx, tx, pid, p.UserID, now, uploads)
		if err != nil {
			return err
		}
		var id int64
		if err := tx.WithContext(ctx).Raw(`SELECT nextval(pg_get_serial_sequence('nre_applications', 'id'))`).Scan(&id).Error; err != nil {
			return err
		}
		a.ID, a.No, a.CreatedBy, a.CreatedAt, a.UpdatedAt = id, fmt.Sprintf("NRE%s%05d", now.In(clock.China).Format("060102"), id%100000),
			&p.UserID, now, now
		if err := tx.WithContext(ctx).Create(a).Error; err != nil {
			if _, ok := db.IsUniqueViolation(err); ok {
				return apperr.Conflict(ErrOnce)
			}
			return err
		}
		app, err := (approval.Engine{DB: tx, Clock: s.Clock}).SubmitNew(ctx, tx, p, approval.New{Type: ApprovalNRE, Title: sol.Name,
			Payload: Payload{NreID: a.ID, No: a.No, Solution: sol.Name, Programme: sol.Programme, Scope: a.Scope, Services: a.Services,
				Plan: a.Plan, StartsOn: in.StartsOn}, FileIDs: ids})
		if err != nil {
			return err
		}
		if err := tx.WithContext(ctx).Model(a).Update("application_id", app.ID).Error; err != nil {
			return err
		}
		a.ApplicationID = &app.ID
		out = a
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pid, Action: "nre.apply", ObjectType: "nre_application", ObjectID: a.ID,
			After: map[string]any{"no": a.No, "solution": sol.Name, "status": Assessing}})
	})
	return out, err
}

func lockNRE(ctx context.Context, tx *gorm.DB, id, partnerID int64) (*Application, error) {
	q := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ?", id)
	if partnerID != 0 {
		q = q.Where("partner_id = ?", partnerID)
	}
	var a Application
	if err := q.Take(&a).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, apperr.NotFound()
		}
		return nil, err
	}
	return &a, nil
}

func setStatus(ctx context.Context, tx *gorm.DB, a *Application, to string, at time.Time, extra map[string]any) error {
	upd := map[string]any{"status": to, "updated_at": at}
	for k, v := range extra {
		upd[k] = v
	}
	from := a.Status
	if err := tx.WithContext(ctx).Model(a).Updates(upd).Error; err != nil {
		return err
	}
	a.Status = to
	return audit.Record(ctx, tx, audit.Change{At: at, PartnerID: a.PartnerID, Action: "nre.status", ObjectType: "nre_application", ObjectID: a.ID,
		Before: map[string]any{"status": from}, After: map[string]any{"status": to}})
}

// MilestoneInput is a milestone of the agreement.
type MilestoneInput struct {
	Name, Amount, DueOn string
}

// UploadAgreement is the ecosystem manager's upload of the signed
// agreement of an NRE in 协议待签署: its amount (≤ ¥500,000) and milestones
// adding up to it; the vendor administrator reviews it next.
func (s Service) UploadAgreement(ctx context.Context, p *access.Principal, id int64, amount string, ms []MilestoneInput, file *files.Upload) (err error) {
	defer apperr.Wrap(&err, "nre.UploadAgreement(%d)", id)
	uid, err := p.Staff()
	if err != nil {
		return err
	}
	f := apperr.Fields{}
	total, aerr := money.Parse(amount, money.Amount)
	if aerr != nil {
		f.Add("amount", money.Key(aerr))
	} else if total.GreaterThan(MaxAmount) {
		f.Add("amount", ErrAmountCap)
	}
	var rows []Milestone
	sum := decimal.Zero
	for i, m := range ms {
		if strings.TrimSpace(m.Name) == "" && strings.TrimSpace(m.Amount) == "" && strings.TrimSpace(m.DueOn) == "" {
			continue
		}
		name := strings.TrimSpace(m.Name)
		amt, merr := money.Parse(m.Amount, money.Amount)
		due, derr := time.Parse(time.DateOnly, strings.TrimSpace(m.DueOn))
		if name == "" || utf8.RuneCountInString(name) > 100 || merr != nil || derr != nil {
			f.Add("milestones", "nre.err.milestone")
			break
		}
		sum = sum.Add(amt)
		rows = append(rows, Milestone{Seq: i + 1, Name: name, Amount: amt, DueOn: due, Status: MilestonePending})
	}
	switch {
	case len(rows) == 0 && f["milestones"] == "":
		f.Add("milestones", "nre.err.milestones")
	case len(rows) > 10:
		f.Add("milestones", "nre.err.milestones")
	case aerr == nil && f["milestones"] == "" && !sum.Equal(total):
		f.Add("milestones", "nre.err.milestone_sum")
	}
	if file == nil || len(file.Data) == 0 {
		f.Add("agreement", "nre.err.agreement_file")
	}
	if err := f.Err(); err != nil {
		return err
	}
	now := s.now()
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		a, err := lockNRE(ctx, tx, id, 0)
		if err != nil {
			return err
		}
		if _, err := (partner.Directory{DB: tx}).Get(ctx, p, a.PartnerID); err != nil {
			return err
		}
		if a.Status != AgreementPending {
			return apperr.Conflict("nre.err.state")
		}
		ids, err := files.SaveDocumentsAs(ctx, tx, a.PartnerID, uid, now, []files.Upload{*file}, "agreement")
		if err != nil {
			return err
		}
		if err := tx.WithContext(ctx).Where("nre_id = ?", a.ID).Delete(&Milestone{}).Error; err != nil {
			return err
		}
		for i := range rows {
			rows[i].NreID = a.ID
			rows[i].Seq = i + 1
		}
		if err := tx.WithContext(ctx).Create(&rows).Error; err != nil {
			return err
		}
		return setStatus(ctx, tx, a, AgreementReview, now, map[string]any{"amount": total, "agreement_file_id": ids[0], "agreement_by": uid,
			"agreement_note": ""})
	})
}

// ReviewAgreement is the vendor administrator's 协议复核: confirmed, the
// agreement takes effect and the partner is told its amount; returned
// (with a reason), the ecosystem manager uploads it again.
func (s Service) ReviewAgreement(ctx context.Context, p *access.Principal, id int64, confirm bool, reason string) (err error) {
	defer apperr.Wrap(&err, "nre.ReviewAgreement(%d)", id)
	if _, err := p.VendorAdmin(); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if !confirm && (reason == "" || utf8.RuneCountInString(reason) > 500) {
		return apperr.FieldError("reason", "nre.err.reason")
	}
	now := s.now()
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		a, err := lockNRE(ctx, tx, id, 0)
		if err != nil {
			return err
		}
		if a.Status != AgreementReview {
			return apperr.Conflict("nre.err.state")
		}
		if !confirm {
			return setStatus(ctx, tx, a, AgreementPending, now, map[string]any{"agreement_note": reason})
		}
		if err := setStatus(ctx, tx, a, Effective, now, nil); err != nil {
			return err
		}
		return tell(ctx, tx, a, "nre.msg.effective", map[string]any{"No": a.No, "Amount": money.Grouped(*a.Amount, 2)}, now)
	})
}

// AcceptancePayload is the nre_acceptance approval's payload.
type AcceptancePayload struct {
	MilestoneID int64  `json:"milestone_id"`
	NreNo       string `json:"nre_no"`
	Seq         int    `json:"seq"`
	Name        string `json:"name"`
	Amount      string `json:"amount"`
	Note        string `json:"note,omitempty"`
}

// ApplyAcceptance submits a milestone's acceptance with its deliverables
// (main account), in order: the milestones before it accepted first.
func (s Service) ApplyAcceptance(ctx context.Context, p *access.Principal, milestoneID int64, note string, uploads []files.Upload) (err error) {
	defer apperr.Wrap(&err, "nre.ApplyAcceptance(%d)", milestoneID)
	pid, err := p.Tenant()
	if err != nil {
		return err
	}
	if !p.IsMain {
		return apperr.Forbidden()
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > 1000 {
		return apperr.FieldError("note", "nre.err.too_long")
	}
	if len(uploads) == 0 {
		return apperr.FieldError("files", "nre.err.material")
	}
	now := s.now()
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		m, a, err := lockMilestone(ctx, tx, milestoneID, pid)
		if err != nil {
			return err
		}
		if a.Status != Effective {
			return apperr.Conflict("nre.err.not_effective")
		}
		if m.Status != MilestonePending {
			return apperr.Conflict("nre.err.state")
		}
		var earlier int64
		if err := tx.WithContext(ctx).Model(&Milestone{}).Where("nre_id = ? AND seq < ? AND status IN ?", a.ID, m.Seq,
			[]string{MilestonePending, MilestoneAccepting}).Count(&earlier).Error; err != nil {
			return err
		}
		if earlier > 0 {
			return apperr.Conflict("nre.err.order")
		}
		ids, err := files.SaveDocuments(ctx, tx, pid, p.UserID, now, uploads)
		if err != nil {
			return err
		}
		app, err := (approval.Engine{DB: tx, Clock: s.Clock}).SubmitNew(ctx, tx, p, approval.New{Type: ApprovalAcceptance,
			Title: a.No + " · " + m.Name, Payload: AcceptancePayload{MilestoneID: m.ID, NreNo: a.No, Seq: m.Seq, Name: m.Name,
				Amount: m.Amount.StringFixed(2), Note: note}, FileIDs: ids})
		if err != nil {
			return err
		}
		if err := tx.WithContext(ctx).Model(m).Updates(map[string]any{"status": MilestoneAccepting, "application_id": app.ID}).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pid, Action: "nre.acceptance", ObjectType: "nre_milestone", ObjectID: m.ID,
			Before: map[string]any{"status": MilestonePending}, After: map[string]any{"status": MilestoneAccepting}})
	})
}

func lockMilestone(ctx context.Context, tx *gorm.DB, id, partnerID int64) (*Milestone, *Application, error) {
	var m Milestone
	if err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ?", id).Take(&m).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, nil, apperr.NotFound()
		}
		return nil, nil, err
	}
	a, err := lockNRE(ctx, tx, m.NreID, partnerID)
	if err != nil {
		return nil, nil, err
	}
	return &m, a, nil
}

// Pay is vendor finance's 付款完成 of an accepted milestone by bank
// transfer with its reference; the form's key makes a repeat a no-op. The
// NRE is completed when its last milestone is paid.
func (s Service) Pay(ctx context.Context, p *access.Principal, milestoneID int64, ref, key string) (err error) {
	defer apperr.Wrap(&err, "nre.Pay(%d)", milestoneID)
	uid, err := p.Staff()
	if err != nil {
		return err
	}
	if ref, err = ledger.TransferForm(ref, key); err != nil {
		return err
	}
	now := s.now()
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		m, a, err := lockMilestone(ctx, tx, milestoneID, 0)
		if err != nil {
			return err
		}
		if m.Status == MilestonePaid && m.DecisionKey == key {
			return nil
		}
		if m.Status != MilestoneAccepted {
			return apperr.Conflict("nre.err.state")
		}
		if err := tx.WithContext(ctx).Model(m).Updates(map[string]any{"status": MilestonePaid, "payment_ref": ref, "decision_key": key,
			"paid_by": uid, "paid_at": now}).Error; err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Change{At: now, PartnerID: a.PartnerID, Action: "nre.paid", ObjectType: "nre_milestone", ObjectID: m.ID,
			Before: map[string]any{"status": MilestoneAccepted}, After: map[string]any{"status": MilestonePaid, "payment_ref": ref}}); err != nil {
			return err
		}
		var open int64
		if err := tx.WithContext(ctx).Model(&Milestone{}).Where("nre_id = ? AND status <> ?", a.ID, MilestonePaid).Count(&open).Error; err != nil {
			return err
		}
		if open == 0 {
			if err := setStatus(ctx, tx, a, Completed, now, nil); err != nil {
				return err
			}
		}
		return tell(ctx, tx, a, "nre.msg.paid", map[string]any{"No": a.No, "Name": m.Name, "Amount": money.Grouped(m.Amount, 2), "Ref": ref}, now)
	})
}

// tell sends the partner's main account a 站内信 about its NRE.
func tell(ctx context.Context, tx *gorm.DB, a *Application, key string, params map[string]any, at time.Time) error {
	return notify.SendToMain(ctx, tx, notify.Note{Partner: a.PartnerID, Subject: key + ".subject", Body: key + ".body", Params: params,
		Link: fmt.Sprintf("/benefits/nre/%d", a.ID), At: at})
}

func init() {
	approval.Register(nreType{})
	approval.Register(acceptanceType{})
}

// nreType is the two-stage review of an NRE (§10.8.6–10.8.8).
type nreType struct{ approval.Base }

func (nreType) Key() string { return ApprovalNRE }

// Stages: 技术评估 by the ecosystem manager, 商业价值终评 by the vendor
// administrator.
func (nreType) Stages() []approval.Stage {
	return []approval.Stage{{Key: "nre_technical", Role: "eco_manager", SLA: 10}, {Key: "nre_commercial", Role: "vendor_admin", SLA: 10}}
}

func (nreType) Validate(raw json.RawMessage) error {
	var pl Payload
	if err := json.Unmarshal(raw, &pl); err != nil || pl.NreID == 0 {
		return apperr.Invalid("nre.err.payload")
	}
	return nil
}

func nreOf(ctx context.Context, tx *gorm.DB, app *approval.Application) (*Application, error) {
	var pl Payload
	if err := app.DecodePayload(&pl); err != nil {
		return nil, err
	}
	return lockNRE(ctx, tx, pl.NreID, app.PartnerID)
}

// moveNRE moves the application's NRE to a state at the decision's time;
// from, when given, is the only state it moves from (else it stays).
func moveNRE(ctx context.Context, tx *gorm.DB, app *approval.Application, to string, from ...string) error {
	a, err := nreOf(ctx, tx, app)
	if err != nil {
		return err
	}
	if len(from) > 0 && !slices.Contains(from, a.Status) {
		return nil
	}
	return setStatus(ctx, tx, a, to, app.DecisionClock().Now().UTC(), nil)
}

// OnStage moves the NRE to 商业价值终评 when 技术评估 passes.
func (nreType) OnStage(ctx context.Context, tx *gorm.DB, app *approval.Application) error {
	return moveNRE(ctx, tx, app, FinalReview, Assessing)
}

// OnApprove: 协议待签署, without an amount (§10.8.8).
func (nreType) OnApprove(ctx context.Context, tx *gorm.DB, app *approval.Application) error {
	return moveNRE(ctx, tx, app, AgreementPending)
}

// OnReject: 已驳回; the solution may be applied for again.
func (nreType) OnReject(ctx context.Context, tx *gorm.DB, app *approval.Application) error {
	return moveNRE(ctx, tx, app, Rejected)
}

// OnWithdraw: 已撤回.
func (nreType) OnWithdraw(ctx context.Context, tx *gorm.DB, app *approval.Application) error {
	return moveNRE(ctx, tx, app, Withdrawn)
}

// acceptanceType is a milestone's acceptance, reviewed by the ecosystem
// manager.
type acceptanceType struct{ approval.Base }

func (acceptanceType) Key() string { return ApprovalAcceptance }
func (acceptanceType) SLA() int    { return 10 }

func (acceptanceType) Validate(raw json.RawMessage) error {
	var pl AcceptancePayload
	if err := json.Unmarshal(raw, &pl); err != nil || pl.MilestoneID == 0 {
		return apperr.Invalid("nre.err.payload")
	}
	return nil
}

func decideMilestone(ctx context.Context, tx *gorm.DB, app *approval.Application, to string) error {
	var pl AcceptancePayload
	if err := app.DecodePayload(&pl); err != nil {
		return err
	}
	m, a, err := lockMilestone(ctx, tx, pl.MilestoneID, app.PartnerID)
	if err != nil {
		return err
	}
	if m.Status != MilestoneAccepting {
		return apperr.Conflict("nre.err.state")
	}
	upd := map[string]any{"status": to}
	if to == MilestonePending {
		upd["application_id"] = nil
	}
	if err := tx.WithContext(ctx).Model(m).Updates(upd).Error; err != nil {
		return err
	}
	return audit.Record(ctx, tx, audit.Change{At: app.DecisionClock().Now().UTC(), PartnerID: a.PartnerID, Action: "nre.milestone_" + to,
		ObjectType: "nre_milestone", ObjectID: m.ID, Before: map[string]any{"status": MilestoneAccepting}, After: map[string]any{"status": to}})
}

// OnApprove: 已验收, to pay.
func (acceptanceType) OnApprove(ctx context.Context, tx *gorm.DB, app *approval.Application) error {
	return decideMilestone(ctx, tx, app, MilestoneAccepted)
}

// OnReject: 待验收 again.
func (acceptanceType) OnReject(ctx context.Context, tx *gorm.DB, app *approval.Application) error {
	return decideMilestone(ctx, tx, app, MilestonePending)
}

// OnWithdraw: 待验收 again.
func (acceptanceType) OnWithdraw(ctx context.Context, tx *gorm.DB, app *approval.Application) error {
	return decideMilestone(ctx, tx, app, MilestonePending)
}

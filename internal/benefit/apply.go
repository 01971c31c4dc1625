package benefit

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
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
	"partnercenter/internal/paths"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
	"partnercenter/internal/platform/money"
)

// ApprovalTestVoucher is the approval type of a 测试券 application,
// reviewed by the partner's ecosystem manager (SLA inferred).
const ApprovalTestVoucher = "benefit_test_voucher"

// Refusals.
const (
	ErrOverCap    = "benefit.err.over_cap" // 总额度不得超出权益规定上限 (§10.1.1)
	ErrNotPartner = "benefit.err.reseller"
)

// TestVoucherInput is the 测试券 form (§10.2.3 screenshot).
type TestVoucherInput struct {
	Solution     string // a solution certification's id, or "other"
	Amount       string // 本次申请金额(¥)
	Reason       string // 申请说明
	Resources    string // 资源配置说明: the price calculator's share link
	StartOn      string // 计划开始使用时间
	EndOn        string // 计划结束使用时间
	Acknowledged bool   // 须知
}

// TestVoucherForm is what the application keeps of the form.
type TestVoucherForm struct {
	Solution     string  `json:"solution"`
	SolutionName string  `json:"solution_name"`
	Reason       string  `json:"reason"`
	Resources    string  `json:"resources"`
	StartOn      string  `json:"start_on"`
	EndOn        string  `json:"end_on"`
	FileIDs      []int64 `json:"file_ids,omitempty"`
}

// calculatorLink accepts the price calculator's share link: the vendor's
// pricing host, the calculator page and a shareListId (§10.2.3; the exact
// form is inferred from the screenshot).
func calculatorLink(raw string) bool {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Scheme != "https" || u.User != nil {
		return false
	}
	host := strings.ToLower(u.Hostname())
	if host != "www.huaweicloud.com" && host != "huaweicloud.com" {
		return false
	}
	return strings.HasPrefix(u.Path, "/pricing/calculator") && strings.TrimSpace(u.Query().Get("shareListId")) != ""
}

// parse checks the form against the standing and today (China date).
func (in TestVoucherInput) parse(st *Standing, now time.Time) (decimal.Decimal, TestVoucherForm, error) {
	f := apperr.Fields{}
	form := TestVoucherForm{Solution: strings.TrimSpace(in.Solution), Reason: strings.TrimSpace(in.Reason),
		Resources: strings.TrimSpace(in.Resources), StartOn: strings.TrimSpace(in.StartOn), EndOn: strings.TrimSpace(in.EndOn)}
	switch form.Solution {
	case "":
		f.Add("solution", "benefit.err.solution")
	case "other":
		form.SolutionName = "other"
	default:
		for _, s := range st.Solutions {
			if strconv.FormatInt(s.ID, 10) == form.Solution {
				form.SolutionName = s.Name
			}
		}
		if form.SolutionName == "" {
			f.Add("solution", "benefit.err.solution")
		}
	}
	amount, err := money.Parse(in.Amount, money.Amount)
	if err != nil {
		f.Add("amount", money.Key(err))
	}
	switch n := utf8.RuneCountInString(form.Reason); {
	case n == 0:
		f.Add("reason", "benefit.err.required")
	case n > 1000:
		f.Add("reason", "benefit.err.too_long")
	}
	if !calculatorLink(form.Resources) {
		f.Add("resources", "benefit.err.calculator")
	}
	today := clock.ChinaDate(now)
	start, serr := time.Parse(time.DateOnly, form.StartOn)
	end, eerr := time.Parse(time.DateOnly, form.EndOn)
	switch {
	case serr != nil:
		f.Add("start_on", "benefit.err.date")
	case start.Before(today):
		f.Add("start_on", "benefit.err.start_past")
	}
	switch {
	case eerr != nil:
		f.Add("end_on", "benefit.err.date")
	case serr == nil && end.Before(start):
		f.Add("end_on", "benefit.err.end_before_start")
	}
	if !in.Acknowledged {
		f.Add("acknowledged", "benefit.err.acknowledge")
	}
	return amount, form, f.Err()
}

// capKey is the advisory lock of an entity's cap for a year and type.
func capKey(entity string, year int, typ string) string {
	return "benefit:" + entity + ":" + strconv.Itoa(year) + ":" + typ
}

// ApplyTestVoucher is 测试券's 提交: within the entity's yearly cap for the
// partner's tier (pending, approved and issued applications of every
// account of the entity count), with optional material, into the
// ecosystem manager's review.
func (s Service) ApplyTestVoucher(ctx context.Context, p *access.Principal, in TestVoucherInput, uploads []files.Upload) (_ *Application, err error) {
	defer apperr.Wrap(&err, "benefit.ApplyTestVoucher")
	now := s.now()
	return s.apply(ctx, p, TypeTestVoucher, func(_ *gorm.DB, st *Standing) (*draft, error) {
		amount, form, err := in.parse(st, now)
		if err != nil {
			return nil, err
		}
		d := &draft{amount: amount, title: "测试券 ¥" + money.Grouped(amount, 2), uploads: uploads,
			payload: Payload{Amount: amount.StringFixed(2), TestVoucherForm: form}}
		d.form, d.fileIDs = &d.payload.TestVoucherForm, &d.payload.FileIDs
		return d, nil
	})
}

// draft is what a benefit form asks, checked against the standing.
type draft struct {
	amount  decimal.Decimal // against the cap: yuan, vouchers or points
	title   string          // of the review
	form    any             // kept on the application
	payload Payload         // for the reviewer; BenefitID is set by apply
	uploads []files.Upload  // material, saved once the cap is taken
	fileIDs *[]int64        // where the saved material's ids go, if any
}

// approvalTypes are the review types of the benefit types.
var approvalTypes = map[string]string{TypeTestVoucher: ApprovalTestVoucher, TypeExamVoucher: ApprovalExamVoucher, TypeCloudLab: ApprovalCloudLab}

// apply is the one way an application is made: a cloud reseller with no
// other programme is refused (access.ResellerOnly, as its menus are); one
// application at a time per entity, year and type — the cap is read and
// taken under an advisory lock; check parses the form against the
// standing; then the application, its review and its audit row.
func (s Service) apply(ctx context.Context, p *access.Principal, typ string, check func(tx *gorm.DB, st *Standing) (*draft, error)) (*Application, error) {
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	if access.ResellerOnly(p.Identities) {
		return nil, apperr.Forbidden()
	}
	now := s.now()
	year := yearOf(now)
	var out *Application
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		entity, err := entityOf(ctx, tx, pid)
		if err != nil {
			return err
		}
		if err := tx.WithContext(ctx).Exec(`SELECT pg_advisory_xact_lock(hashtext(?))`, capKey(entity, year, typ)).Error; err != nil {
			return err
		}
		sts, err := s.standings(ctx, tx, p, entity, year, []string{typ})
		if err != nil {
			return err
		}
		st := sts[typ]
		d, err := check(tx, st)
		if err != nil {
			return err
		}
		if st.Policy == nil {
			return apperr.Conflict(ErrNoPolicy)
		}
		if st.Committed.Add(d.amount).GreaterThan(st.Policy.CapAmount) {
			if Counted(typ) {
				return apperr.Conflict(ErrOverCapCount, map[string]any{"Cap": st.Policy.CapAmount.String(), "Remaining": st.Remaining.String()})
			}
			return apperr.Conflict(ErrOverCap, map[string]any{"Cap": money.Grouped(st.Policy.CapAmount, 2),
				"Remaining": money.Grouped(st.Remaining, 2)})
		}
		var ids []int64
		if d.fileIDs != nil {
			if ids, err = files.SaveDocuments(ctx, tx, pid, p.UserID, now, d.uploads); err != nil {
				return err
			}
			*d.fileIDs = ids
		}
		b, err := json.Marshal(d.form)
		if err != nil {
			return err
		}
		a := &Application{PartnerID: pid, EntityKey: st.Entity, Year: st.Year, Type: typ, Tier: st.Tier, Status: StateSubmitted,
			Amount: d.amount, Form: b, CreatedBy: &p.UserID, CreatedAt: now, UpdatedAt: now}
		if err := tx.WithContext(ctx).Create(a).Error; err != nil {
			return err
		}
		d.payload.BenefitID = a.ID
		app, err := (approval.Engine{DB: tx, Clock: s.Clock}).SubmitNew(ctx, tx, p, approval.New{Type: approvalTypes[typ], Title: d.title,
			Payload: d.payload, FileIDs: ids})
		if err != nil {
			return err
		}
		if err := tx.WithContext(ctx).Model(a).Update("application_id", app.ID).Error; err != nil {
			return err
		}
		a.ApplicationID = &app.ID
		out = a
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pid, Action: "benefit.apply", ObjectType: "benefit_application",
			ObjectID: a.ID, After: map[string]any{"type": typ, "amount": d.amount, "status": StateSubmitted}})
	})
	return out, err
}

// Payload is the approval application's payload: the benefit
// application and, for the reviewer, what was asked.
type Payload struct {
	BenefitID int64       `json:"benefit_id"`
	Amount    string      `json:"amount"`
	Exam      string      `json:"exam,omitempty"`    // 考试券
	Points    int         `json:"points,omitempty"`  // 云实验, per person
	Persons   []PersonRef `json:"persons,omitempty"` // 考试券 and 云实验
	TestVoucherForm
}

func init() {
	approval.Register(benefitType{key: ApprovalTestVoucher})
	paths.RegisterExitBlocker(func(ctx context.Context, g *gorm.DB, partnerID int64) (string, bool, error) {
		var n int64
		err := g.WithContext(ctx).Model(&Application{}).Where("partner_id = ? AND type = ? AND status <> ?", partnerID, TypeTestVoucher,
			StateWithdrawn).Count(&n).Error
		return paths.ErrExitTestVoucher, n > 0, err
	})
}

// benefitType is the approval type of a benefit application: the
// ecosystem manager's review moves it to 审核通过 or 已驳回.
type benefitType struct {
	approval.Base
	key string
}

func (t benefitType) Key() string { return t.key }
func (benefitType) SLA() int      { return 5 }

func (benefitType) Validate(raw json.RawMessage) error {
	var pl Payload
	if err := json.Unmarshal(raw, &pl); err != nil || pl.BenefitID == 0 {
		return apperr.Invalid("benefit.err.payload")
	}
	return nil
}

// Notice words the 站内信 of the decisions.
func (benefitType) Notice(action string) (string, string) {
	switch action {
	case "approved", "rejected", "returned":
		// 退回补充材料 keeps the application submitted (in the engine's hands).
		return "benefit.msg." + action + ".subject", "benefit.msg." + action + ".body"
	}
	return "", ""
}

// ofApp locks the application's benefit application.
func ofApp(ctx context.Context, tx *gorm.DB, app *approval.Application) (*Application, error) {
	var pl Payload
	if err := app.DecodePayload(&pl); err != nil {
		return nil, err
	}
	var a Application
	if err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ? AND partner_id = ?", pl.BenefitID, app.PartnerID).
		First(&a).Error; err != nil {
		return nil, err
	}
	return &a, nil
}

func move(ctx context.Context, tx *gorm.DB, app *approval.Application, to string) error {
	a, err := ofApp(ctx, tx, app)
	if err != nil {
		return err
	}
	at := app.DecisionClock().Now().UTC()
	upd := map[string]any{"status": to, "updated_at": at, "decided_at": at}
	if err := tx.WithContext(ctx).Model(a).Updates(upd).Error; err != nil {
		return err
	}
	return audit.Record(ctx, tx, audit.Change{At: at, PartnerID: a.PartnerID, Action: "benefit." + to, ObjectType: "benefit_application",
		ObjectID: a.ID, Before: map[string]any{"status": a.Status}, After: map[string]any{"status": to}})
}

// OnApprove: 审核通过 — not yet 权益已发放.
func (benefitType) OnApprove(ctx context.Context, tx *gorm.DB, app *approval.Application) error {
	return move(ctx, tx, app, StateApproved)
}

// OnReject: 已驳回, the amount back in the cap.
func (benefitType) OnReject(ctx context.Context, tx *gorm.DB, app *approval.Application) error {
	return move(ctx, tx, app, StateRejected)
}

// OnWithdraw: 已撤回 by the partner, the amount back in the cap.
func (benefitType) OnWithdraw(ctx context.Context, tx *gorm.DB, app *approval.Application) error {
	return move(ctx, tx, app, StateWithdrawn)
}

package opportunity

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/audit"
	"partnercenter/internal/events"
	"partnercenter/internal/outbox"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
	"partnercenter/internal/platform/i18n"
)

// TypePO is the approval type of a PO's review by the partner's
// ecosystem manager; SLA inferred (build-plan 5.B).
const (
	TypePO = "opportunity_po"
	POSLA  = 5
	// POProtectionDays is how long an approved PO protects its customer:
	// a year, as an opportunity is a purchase within a year (R1; the
	// seeds give no period, inferred).
	POProtectionDays = 365
)

// ReasonTexts are §11.1.2.8's reasons as the review history records them.
var ReasonTexts = map[string]string{
	ReasonIncomplete: "【信息不完整】未按照机会点提交规则填报信息，缺失/未完整描述关键信息",
	ReasonInvalid:    "【机会点无效】无明确的客户联系人/联系方式；无明确的预算和项目时间；无增量收入；“机会点描述”模糊未体现关键动作或者业务需求",
	ReasonDuplicate:  "【机会点重复】华为云或其他伙伴已经提交该机会点并通过审核",
}

// ErrDuplicateExists refuses approving over an earlier valid opportunity
// of the same customer (§11.1.2.9).
const ErrDuplicateExists = "opportunity.err.duplicate_exists"

// Payload is the application's payload.
type Payload struct {
	OpportunityID int64 `json:"opportunity_id"`
}

func init() { approval.Register(poType{}) }

type poType struct{ approval.Base }

func (poType) Key() string { return TypePO }
func (poType) SLA() int    { return POSLA }

func (poType) Validate(raw json.RawMessage) error {
	var pl Payload
	if err := json.Unmarshal(raw, &pl); err != nil || pl.OpportunityID == 0 {
		return apperr.Invalid("opportunity.err.payload")
	}
	return nil
}

// Notice words the 站内信 of the decisions.
func (poType) Notice(action string) (string, string) {
	switch action {
	case "approved":
		return "opportunity.msg.approved.subject", "opportunity.msg.approved.body"
	case "rejected":
		return "opportunity.msg.rejected.subject", "opportunity.msg.rejected.body"
	case "returned":
		return "opportunity.msg.returned.subject", "opportunity.msg.returned.body"
	}
	return "", ""
}

// Earlier is an earlier valid opportunity of the same customer: a PO
// valid from its approval, or an HO from its CRM creation time
// (§11.1.2.9).
type Earlier struct {
	No        string
	Customer  string
	ValidFrom time.Time
	HO        bool // shared by the vendor (由华为共享)
	Same      bool // the reviewer's own partner (else another's: shown without its identity)
}

// earlier lists the valid opportunities of o's customer (same normalised
// name or credit code) other than o, earliest first: approved POs still
// protected at the time and the HOs pending or accepted.
func earlier(ctx context.Context, g *gorm.DB, o *Opportunity, at time.Time) ([]Earlier, error) {
	var rows []struct {
		No           string
		CustomerName string
		ValidFrom    time.Time
		PartnerID    int64
		HO           bool
	}
	match, args := "customer_key = ?", []any{o.CustomerKey}
	if o.CustomerCreditCode != "" {
		match, args = "(customer_key = ? OR customer_credit_code = ?)", []any{o.CustomerKey, o.CustomerCreditCode}
	}
	q := `SELECT no, customer_name, valid_from, partner_id, false AS ho FROM opportunities
		WHERE id <> ? AND valid_from IS NOT NULL AND status IN ? AND protected_until > ? AND ` + match + `
		UNION ALL
		SELECT no, customer_name, crm_created_at, partner_id, true FROM ho_opportunities
		WHERE status IN ? AND ` + match + `
		ORDER BY valid_from, no LIMIT 20`
	params := append([]any{o.ID, []string{StateApproved, StateWon, StateLost}, at}, args...)
	params = append(append(params, []string{HOPending, HOAccepted}), args...)
	if err := g.WithContext(ctx).Raw(q, params...).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Earlier, len(rows))
	for i, r := range rows {
		out[i] = Earlier{No: r.No, Customer: r.CustomerName, ValidFrom: r.ValidFrom, HO: r.HO, Same: r.PartnerID == o.PartnerID}
	}
	return out, nil
}

// AutoCheck shows the reviewer the earlier valid opportunities of the
// customer as warnings; a person decides (§11.1.2.9).
func (poType) AutoCheck(ctx context.Context, tx *gorm.DB, app *approval.Application) (approval.Decision, []approval.CheckResult, error) {
	o, err := ofApp(ctx, tx, app, false)
	if err != nil {
		return approval.Manual, nil, err
	}
	es, err := earlier(ctx, tx, o, app.DecisionClock().Now())
	if err != nil {
		return approval.Manual, nil, err
	}
	if len(es) == 0 {
		return approval.Manual, []approval.CheckResult{{Name: "opportunity.check.duplicate", Outcome: approval.CheckPass,
			Message: "opportunity.check.duplicate.pass"}}, nil
	}
	return approval.Manual, []approval.CheckResult{{Name: "opportunity.check.duplicate", Outcome: approval.CheckWarn,
		Message: "opportunity.check.duplicate.warn", Args: map[string]any{"No": es[0].No, "Since": es[0].ValidFrom.Format(time.DateTime),
			"Count": len(es)}}}, nil
}

// ofApp reads (locks) the application's opportunity.
func ofApp(ctx context.Context, tx *gorm.DB, app *approval.Application, lock bool) (*Opportunity, error) {
	var pl Payload
	if err := app.DecodePayload(&pl); err != nil {
		return nil, err
	}
	q := tx.WithContext(ctx).Where("id = ? AND partner_id = ?", pl.OpportunityID, app.PartnerID)
	if lock {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var o Opportunity
	if err := q.First(&o).Error; err != nil {
		return nil, err
	}
	return &o, nil
}

// lockCustomer takes the advisory locks of a customer's keys (its
// normalised name and credit code) in a fixed order: approvals of one
// customer happen one at a time.
func lockCustomer(ctx context.Context, tx *gorm.DB, o *Opportunity) error {
	keys := []string{"opportunity:" + o.CustomerKey}
	if o.CustomerCreditCode != "" {
		keys = append(keys, "opportunity-code:"+o.CustomerCreditCode)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := tx.WithContext(ctx).Exec(`SELECT pg_advisory_xact_lock(hashtext(?))`, k).Error; err != nil {
			return err
		}
	}
	return nil
}

// OnApprove makes the PO valid from the decision, unless an earlier valid
// opportunity of the customer exists: then the approval is refused with
// the reason (review it as a duplicate).
func (poType) OnApprove(ctx context.Context, tx *gorm.DB, app *approval.Application) error {
	o, err := ofApp(ctx, tx, app, true)
	if err != nil {
		return err
	}
	if err := lockCustomer(ctx, tx, o); err != nil {
		return err
	}
	at := app.DecisionClock().Now().UTC()
	es, err := earlier(ctx, tx, o, at)
	if err != nil {
		return err
	}
	if len(es) > 0 {
		return apperr.Conflict(ErrDuplicateExists, map[string]any{"No": es[0].No, "Since": es[0].ValidFrom.Format(time.DateTime)})
	}
	return move(ctx, tx, o, StateApproved, map[string]any{"valid_from": at, "protected_until": at.AddDate(0, 0, POProtectionDays)}, at,
		"opportunity.approved")
}

// OnReject closes the PO as a duplicate (【机会点重复】).
func (poType) OnReject(ctx context.Context, tx *gorm.DB, app *approval.Application) error {
	o, err := ofApp(ctx, tx, app, true)
	if err != nil {
		return err
	}
	at := app.DecisionClock().Now().UTC()
	return move(ctx, tx, o, StateDuplicate, map[string]any{"review_reason": ReasonDuplicate, "review_comment": app.DecisionComment}, at,
		"opportunity.duplicate")
}

// OnWithdraw refuses: a submitted PO cannot be withdrawn (§11.1.2.6, R5);
// the partner asks its ecosystem manager to 驳回 it.
func (poType) OnWithdraw(context.Context, *gorm.DB, *approval.Application) error {
	return apperr.Conflict("opportunity.err.no_withdraw")
}

// move changes a locked PO's state with its audit row.
func move(ctx context.Context, tx *gorm.DB, o *Opportunity, to string, extra map[string]any, at time.Time, action string) error {
	upd := map[string]any{"status": to, "updated_at": at}
	for k, v := range extra {
		upd[k] = v
	}
	res := tx.WithContext(ctx).Model(&Opportunity{}).Where("id = ? AND status = ?", o.ID, o.Status).Updates(upd)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return apperr.Conflict("opportunity.err.state")
	}
	after := map[string]any{"status": to}
	if r, ok := extra["review_reason"].(string); ok {
		after["review_reason"] = r
	}
	if err := audit.Record(ctx, tx, audit.Change{At: at, PartnerID: o.PartnerID, Action: action, ObjectType: "opportunity", ObjectID: o.ID,
		Before: map[string]any{"status": o.Status}, After: after}); err != nil {
		return err
	}
	return announce(ctx, tx, o, to, at)
}

// EventPOStatus is a PO's status change (build-plan 5.F).
const EventPOStatus = "opportunity.po.status"

// announce tells of a PO's new status: an SMS to the partner's contact
// person on the PO (§11.1.2.7; the contact is not a user, so in Chinese,
// China time) and the event.
func announce(ctx context.Context, tx *gorm.DB, o *Opportunity, to string, at time.Time) error {
	if err := outbox.ToAddress(ctx, tx, outbox.SMS, o.PartnerPhone, i18n.ZhCN, outbox.Note{Template: "opportunity.msg.po_status",
		Params: map[string]any{"No": o.No, "Customer": o.CustomerName, "StatusKey": "opportunity.state." + to}, Partner: o.PartnerID,
		At: at}); err != nil {
		return err
	}
	return events.Record(ctx, tx, o.PartnerID, EventPOStatus, at, map[string]any{"no": o.No, "status": to, "customer_name": o.CustomerName})
}

// vendorLock locks a PO of a partner the staff member may see (the
// partner's ecosystem manager, the vendor administrator; else 404) that
// is in review.
func vendorLock(ctx context.Context, tx *gorm.DB, p *access.Principal, id int64) (*Opportunity, error) {
	var o Opportunity
	if err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ?", id).First(&o).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, apperr.NotFound()
		}
		return nil, err
	}
	if _, err := (partner.Directory{DB: tx}).Get(ctx, p, o.PartnerID); err != nil {
		return nil, err
	}
	if o.Status != StateReview || o.ApplicationID == nil {
		return nil, apperr.Conflict("opportunity.err.not_in_review")
	}
	return &o, nil
}

// Approve is the ecosystem manager's 通过 (the engine's approval runs
// OnApprove: refused over an earlier valid opportunity).
func (s Service) Approve(ctx context.Context, p *access.Principal, id int64, comment string) (err error) {
	defer apperr.Wrap(&err, "opportunity.Approve(%d)", id)
	appID, err := s.reviewed(ctx, p, id)
	if err != nil {
		return err
	}
	_, err = s.engine(s.DB).Approve(ctx, p, appID, comment)
	return err
}

// reviewed is the application of a PO in review the staff member may
// decide (the engine's decision runs the hooks in its own transaction).
func (s Service) reviewed(ctx context.Context, p *access.Principal, id int64) (int64, error) {
	if _, err := p.Staff(); err != nil {
		return 0, err
	}
	var appID int64
	err := db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		o, err := vendorLock(ctx, tx, p, id)
		if err == nil {
			appID = *o.ApplicationID
		}
		return err
	})
	return appID, err
}

// Fail is 审核不通过 for missing or invalid information (reasons 1 and 2):
// the PO goes back to the partner, who supplements it and resubmits.
// Duplicate is 审核不通过 as 【机会点重复】: final. SendBack is 驳回 at the
// partner's request: the PO is a draft again.
func (s Service) Fail(ctx context.Context, p *access.Principal, id int64, reason, comment string) (err error) {
	defer apperr.Wrap(&err, "opportunity.Fail(%d)", id)
	switch reason {
	case ReasonIncomplete, ReasonInvalid:
		return s.sendBack(ctx, p, id, StateFailed, reason, comment)
	case ReasonDuplicate:
		return s.duplicate(ctx, p, id, comment)
	}
	return apperr.FieldError("reason", "opportunity.err.reason")
}

// SendBack is 驳回: at the partner's request, the PO becomes a draft again.
func (s Service) SendBack(ctx context.Context, p *access.Principal, id int64, comment string) (err error) {
	defer apperr.Wrap(&err, "opportunity.SendBack(%d)", id)
	if strings.TrimSpace(comment) == "" {
		return apperr.FieldError("comment", "opportunity.err.comment_required")
	}
	return s.sendBack(ctx, p, id, StateDraft, "", comment)
}

// sendBack returns the application to the partner (the engine's 退回) and
// moves the PO to the state, in one transaction.
func (s Service) sendBack(ctx context.Context, p *access.Principal, id int64, to, reason, comment string) error {
	if _, err := p.Staff(); err != nil {
		return err
	}
	comment = strings.TrimSpace(comment)
	text := comment
	if reason != "" {
		text = strings.TrimSpace(ReasonTexts[reason] + " " + comment)
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		o, err := vendorLock(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if _, err := s.engine(tx).Return(ctx, p, *o.ApplicationID, text); err != nil {
			return err
		}
		action := "opportunity.sent_back"
		if reason != "" {
			action = "opportunity.review_failed"
		}
		return move(ctx, tx, o, to, map[string]any{"review_reason": reason, "review_comment": comment}, s.now(), action)
	})
}

// duplicate rejects the application with 【机会点重复】 (OnReject moves the PO).
func (s Service) duplicate(ctx context.Context, p *access.Principal, id int64, comment string) error {
	appID, err := s.reviewed(ctx, p, id)
	if err != nil {
		return err
	}
	_, err = s.engine(s.DB).Reject(ctx, p, appID, strings.TrimSpace(ReasonTexts[ReasonDuplicate]+" "+strings.TrimSpace(comment)))
	return err
}

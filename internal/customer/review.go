package customer

import (
	"context"
	"encoding/json"

	"gorm.io/gorm"

	"partnercenter/internal/approval"
	"partnercenter/internal/audit"
	"partnercenter/internal/platform/apperr"
)

// ReviewTypeKey is the approval type of a report's manual review
// (人工审核报备, seed 001 报备规则).
const ReviewTypeKey = "customer_report_review"

func init() { approval.Register(reviewType{}) }

// ReviewReason is why a report needs a person.
type ReviewReason struct {
	Code   string `json:"code"`             // ReasonRegistered | ReasonCash
	Date   string `json:"date,omitempty"`   // the account's registration date
	Amount string `json:"amount,omitempty"` // its cash balance
}

// ReviewPayload is the application's payload.
type ReviewPayload struct {
	ReportID     int64          `json:"report_id"`
	CustomerName string         `json:"customer_name"`
	Mobile       string         `json:"mobile"`
	CustomerID   int64          `json:"customer_id,omitempty"`
	AccountName  string         `json:"account_name,omitempty"`
	Reasons      []ReviewReason `json:"reasons"`
}

// reviewType is reviewed by the partner's ecosystem manager (the engine's
// default reviewer); approval protects the report from the decision on,
// rejection (or withdrawal) rejects it.
type reviewType struct{ approval.Base }

func (reviewType) Key() string { return ReviewTypeKey }

func (reviewType) Validate(raw json.RawMessage) error {
	var p ReviewPayload
	if err := json.Unmarshal(raw, &p); err != nil || p.ReportID == 0 {
		return apperr.Invalid("customer.err.review_payload")
	}
	return nil
}

// AutoCheck lists the reasons for the reviewer; a person always decides.
func (reviewType) AutoCheck(_ context.Context, _ *gorm.DB, app *approval.Application) (approval.Decision, []approval.CheckResult, error) {
	var p ReviewPayload
	if err := app.DecodePayload(&p); err != nil {
		return approval.Manual, nil, err
	}
	var checks []approval.CheckResult
	for _, r := range p.Reasons {
		checks = append(checks, approval.CheckResult{Name: "customer.review.check." + r.Code, Outcome: approval.CheckWarn,
			Message: "customer.review.check." + r.Code + ".msg", Args: map[string]any{"Date": r.Date, "Amount": r.Amount, "Account": p.AccountName}})
	}
	return approval.Manual, checks, nil
}

func (reviewType) Notice(action string) (string, string) {
	switch action {
	case "approved":
		return "customer.msg.review_approved.subject", "customer.msg.review_approved.body"
	case "rejected":
		return "customer.msg.review_rejected.subject", "customer.msg.review_rejected.body"
	}
	return "", ""
}

func (reviewType) OnApprove(ctx context.Context, tx *gorm.DB, app *approval.Application) error {
	return decideReport(ctx, tx, app, ReportProtected)
}

func (reviewType) OnReject(ctx context.Context, tx *gorm.DB, app *approval.Application) error {
	return decideReport(ctx, tx, app, ReportRejected)
}

func (reviewType) OnWithdraw(ctx context.Context, tx *gorm.DB, app *approval.Application) error {
	return decideReport(ctx, tx, app, ReportRejected)
}

// decideReport moves the report in review to its outcome; an approved
// report is protected for the validity period from the decision.
func decideReport(ctx context.Context, tx *gorm.DB, app *approval.Application, to string) error {
	var p ReviewPayload
	if err := app.DecodePayload(&p); err != nil {
		return err
	}
	at := app.UpdatedAt
	if app.DecidedAt != nil {
		at = *app.DecidedAt
	}
	upd := map[string]any{"status": to, "updated_at": at}
	if to == ReportProtected {
		days, err := validityDays(ctx, tx)
		if err != nil {
			return err
		}
		upd["expires_at"] = at.AddDate(0, 0, days)
	}
	res := tx.WithContext(ctx).Model(&Report{}).
		Where("id = ? AND partner_id = ? AND status = ?", p.ReportID, app.PartnerID, ReportInReview).Updates(upd)
	if res.Error != nil || res.RowsAffected == 0 {
		return res.Error
	}
	return audit.Record(ctx, tx, audit.Change{PartnerID: app.PartnerID, Action: "customer.report.review", ObjectType: "customer_report",
		ObjectID: p.ReportID, Before: map[string]any{"status": ReportInReview}, After: map[string]any{"status": to, "application_id": app.ID}})
}

package incentive

import (
	"context"
	"encoding/json"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/files"
	"partnercenter/internal/partner"
	"partnercenter/internal/performance"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
)

// TypeFeedback is the approval type of 问题反馈 on an incentive bill or
// line (§12.1.5.4, §12.1.5.45): the partner's ecosystem manager answers it
// in the inbox, as for performance (performance.TypeFeedback).
const TypeFeedback = "incentive_feedback"

// ErrFeedbackConfirmed refuses feedback on a bill already confirmed.
const ErrFeedbackConfirmed = "incentive.err.feedback_confirmed"

// FeedbackPayload is an incentive feedback's payload.
type FeedbackPayload struct {
	BillID    string `json:"bill_id"`
	Period    string `json:"period"`
	Incentive string `json:"incentive"`
	DetailID  int64  `json:"detail_id,omitempty"`
	Product   string `json:"product,omitempty"`
	Opinion   string `json:"opinion"`
}

// Feedback submits 问题反馈 on a bill of the actor's tenant, or on one of
// its lines (detailID not 0, in the actor's scope); refused once the bill
// is confirmed (确认对账 closes the reconciliation). The opinion follows
// performance's rules (required, at most performance.MaxOpinionLen).
func (s Service) Feedback(ctx context.Context, p *access.Principal, billID string, detailID int64, opinion string, attachments []files.Upload) (_ *approval.Application, err error) {
	defer apperr.Wrap(&err, "incentive.Feedback")
	pid, err := tenantOf(p)
	if err != nil {
		return nil, err
	}
	product := ""
	if detailID != 0 {
		q, err := s.detailQuery(ctx, p, DetailFilter{})
		if err != nil {
			return nil, err
		}
		var rows []DetailRow
		if err := withNames(q).Select(detailColumns).Where("d.id = ?", detailID).Limit(1).Scan(&rows).Error; err != nil {
			return nil, err
		}
		if len(rows) == 0 {
			return nil, apperr.NotFound()
		}
		billID, product = rows[0].BillID, rows[0].ProductName
	}
	b, err := s.Bill(ctx, p, billID)
	if err != nil {
		return nil, err
	}
	if b.Status == StateConfirmed || b.Status == StatePaid {
		return nil, apperr.Conflict(ErrFeedbackConfirmed)
	}
	if opinion, err = performance.CheckOpinion(opinion, len(attachments)); err != nil {
		return nil, err
	}
	var out *approval.Application
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		ids, err := files.SaveDocuments(ctx, tx, pid, p.UserID, s.now(), attachments)
		if err != nil {
			return err
		}
		name, err := partner.Store{DB: tx}.Name(ctx, pid)
		if err != nil {
			return err
		}
		out, err = approval.Engine{DB: s.DB, Clock: s.Clock}.SubmitNew(ctx, tx, p, approval.New{Type: TypeFeedback,
			Title: name + " " + b.PolicyName + " " + b.PeriodCode, Payload: FeedbackPayload{BillID: b.ID, Period: b.PeriodCode,
				Incentive: b.PolicyName, DetailID: detailID, Product: product, Opinion: opinion}, FileIDs: ids})
		return err
	})
	return out, err
}

func init() { approval.Register(feedbackType{}) }

type feedbackType struct{ approval.Base }

func (feedbackType) Key() string { return TypeFeedback }

func (feedbackType) Validate(raw json.RawMessage) error {
	var pl FeedbackPayload
	if err := json.Unmarshal(raw, &pl); err != nil || pl.BillID == "" || pl.Opinion == "" {
		return apperr.Invalid("performance.err.payload")
	}
	return nil
}

// Notice words the reply (站内信).
func (feedbackType) Notice(action string) (string, string) {
	if action == "approved" {
		return "incentive.msg.replied.subject", "incentive.msg.replied.body"
	}
	return "", ""
}

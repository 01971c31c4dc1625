package performance

import (
	"context"
	"encoding/json"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/files"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
)

// TypeFeedback is the approval type of 问题反馈 (§12.1.5.3): the partner's
// ecosystem manager answers it in the inbox; "approve" with a comment is
// the reply, read on the application's page (反馈详情).
const TypeFeedback = "performance_feedback"

// ErrFinalized is the seed's sentence once a summary is 公示结束 or 终稿.
const ErrFinalized = "performance.finalized_note"

// MaxOpinionLen is the longest opinion (inferred).
const MaxOpinionLen = 500

// FeedbackPayload is a feedback's payload: the summary, the record when
// the feedback is about one line, and the opinion.
type FeedbackPayload struct {
	SummaryID int64  `json:"summary_id"`
	Period    string `json:"period"`
	RecordID  int64  `json:"record_id,omitempty"`
	Opinion   string `json:"opinion"`
}

// Feedback submits 问题反馈 on a summary of the actor's tenant, or on one
// of its records (recordID not 0, in the actor's scope): allowed while
// the summary is 预估, 初稿 or 公示中, refused afterwards with the seed's
// sentence; attachments optional (at most approval's limit).
func (s Service) Feedback(ctx context.Context, p *access.Principal, summaryID, recordID int64, opinion string, attachments []files.Upload) (_ *approval.Application, err error) {
	defer apperr.Wrap(&err, "performance.Feedback")
	pid, err := TenantOf(p)
	if err != nil {
		return nil, err
	}
	if recordID != 0 {
		r, err := s.Get(ctx, p, recordID)
		if err != nil {
			return nil, err
		}
		summaryID = r.SummaryID
	}
	sm, err := s.Summary(ctx, p, summaryID)
	if err != nil {
		return nil, err
	}
	if !sm.Open() {
		return nil, apperr.Conflict(ErrFinalized)
	}
	if opinion, err = CheckOpinion(opinion, len(attachments)); err != nil {
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
			Title: name + " " + sm.PeriodLabel(), Payload: FeedbackPayload{SummaryID: sm.ID, Period: sm.PeriodLabel(), RecordID: recordID,
				Opinion: opinion}, FileIDs: ids})
		return err
	})
	return out, err
}

// CheckOpinion validates a 问题反馈: the opinion trimmed, required and at
// most MaxOpinionLen characters, and at most approval's number of files.
// Incentive feedback follows the same rule.
func CheckOpinion(opinion string, files int) (string, error) {
	opinion = strings.TrimSpace(opinion)
	switch n := utf8.RuneCountInString(opinion); {
	case n == 0:
		return "", apperr.FieldError("opinion", "performance.err.opinion_required")
	case n > MaxOpinionLen:
		return "", apperr.FieldError("opinion", "performance.err.opinion_too_long")
	}
	if files > approval.MaxSupplementFiles {
		return "", apperr.FieldError("files", "approval.err.too_many_files")
	}
	return opinion, nil
}

func init() { approval.Register(feedbackType{}) }

type feedbackType struct{ approval.Base }

func (feedbackType) Key() string { return TypeFeedback }

func (feedbackType) Validate(raw json.RawMessage) error {
	var pl FeedbackPayload
	if err := json.Unmarshal(raw, &pl); err != nil || pl.SummaryID == 0 || pl.Opinion == "" {
		return apperr.Invalid("performance.err.payload")
	}
	return nil
}

// Notice words the reply (站内信).
func (feedbackType) Notice(action string) (string, string) {
	if action == "approved" {
		return "performance.msg.replied.subject", "performance.msg.replied.body"
	}
	return "", ""
}

package approval

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"sync"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/platform/clock"
)

// States of an application.
const (
	StateDraft     = "draft"
	StateSubmitted = "submitted"
	StateReturned  = "returned" // 退回补充材料: waits for the applicant
	StateApproved  = "approved"
	StateRejected  = "rejected"
	StateWithdrawn = "withdrawn"
)

// States lists the states in display order.
var States = []string{StateDraft, StateSubmitted, StateReturned, StateApproved, StateRejected, StateWithdrawn}

// Event actions written to application_events.
const (
	ActionCreate      = "create"
	ActionSubmit      = "submit"
	ActionAutoCheck   = "auto_check"
	ActionAssign      = "assign"
	ActionApprove     = "approve"
	ActionReject      = "reject"
	ActionWithdraw    = "withdraw"
	ActionAutoApprove = "auto_approve"
	ActionAutoReject  = "auto_reject"
	ActionReturn      = "return"   // 退回补充材料 (reviewer, comment required)
	ActionResubmit    = "resubmit" // the applicant answers a return
	ActionAdvance     = "advance"  // a stage approved; the next stage's reviewer takes it
)

// MaxCommentLen is the longest decision comment or reason (characters).
const MaxCommentLen = 1000

// Application is one application.
type Application struct {
	ID              int64
	Type            string
	PartnerID       int64
	ApplicantUserID *int64
	State           string
	Title           string
	Payload         string `gorm:"type:jsonb"`
	Checks          string `gorm:"type:jsonb"`
	ReviewerID      *int64
	SubmittedAt     *time.Time
	DueAt           *time.Time
	DecidedAt       *time.Time
	DecidedBy       *int64
	DecisionComment string
	// Stage is the review stage (1 = the first; see Staged).
	Stage int `gorm:"default:1"`
	// ReturnedComment is why the application was last returned for more
	// materials (kept after resubmission, for the history's sake).
	ReturnedComment string
	// RemindedOn is the China date the reviewer was last reminded of it.
	RemindedOn *time.Time
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// TableName maps Application to applications.
func (Application) TableName() string { return "applications" }

// DecodePayload unmarshals the payload into v.
func (a *Application) DecodePayload(v any) error {
	if a.Payload == "" {
		return nil
	}
	return json.Unmarshal([]byte(a.Payload), v)
}

// CheckResults returns the recorded automatic check results.
func (a *Application) CheckResults() []CheckResult {
	var out []CheckResult
	if a.Checks != "" {
		_ = json.Unmarshal([]byte(a.Checks), &out)
	}
	return out
}

// Overdue reports a submitted application past its due date.
func (a *Application) Overdue(now time.Time) bool {
	return a.State == StateSubmitted && a.DueAt != nil && a.DueAt.Before(now)
}

// DecisionClock is a clock stopped at the application's decision (its
// last change when undecided): a type's hooks date their own rows with it,
// so they agree with the engine's.
func (a *Application) DecisionClock() clock.Clock {
	if a.DecidedAt != nil {
		return clock.NewFixed(*a.DecidedAt)
	}
	return clock.NewFixed(a.UpdatedAt)
}

// Open reports an application not decided yet: waiting for its reviewer
// (submitted) or for its applicant (returned).
func (a *Application) Open() bool { return a.State == StateSubmitted || a.State == StateReturned }

// Event is one row of an application's history.
type Event struct {
	ID            int64
	ApplicationID int64
	At            time.Time
	ActorUserID   *int64
	ActorName     string
	Action        string
	FromState     string
	ToState       string
	Comment       string
	Stage         int `gorm:"default:1"` // the stage the application was in
}

// TableName maps Event to application_events.
func (Event) TableName() string { return "application_events" }

// Outcomes of an automatic check.
const (
	CheckPass = "pass"
	CheckFail = "fail"
	CheckWarn = "warn" // cannot be decided automatically: a person looks
	CheckInfo = "info"
)

// CheckResult is the result of one automatic check, shown to the
// reviewer. Name and Message are catalog keys; Args fill Message.
type CheckResult struct {
	Name    string         `json:"name"`
	Outcome string         `json:"outcome"`
	Message string         `json:"message"`
	Args    map[string]any `json:"args,omitempty"`
}

// Decision is what the automatic checks conclude.
type Decision int

const (
	// Manual sends the application to a person (人工审核).
	Manual Decision = iota
	// AutoApprove approves it at once.
	AutoApprove
	// AutoReject rejects it at once with the first failing check as reason.
	AutoReject
)

// Type is a kind of application. Implementations embed Base and override
// what they need.
type Type interface {
	// Key is the type stored in applications.type (also the catalog id
	// suffix approval.type.<key>).
	Key() string
	// SLA is the number of working days a reviewer has.
	SLA() int
	// Validate checks the payload before submission; return apperr
	// field errors.
	Validate(payload json.RawMessage) error
	// AutoCheck runs the automatic checks at submission, inside the
	// submission's transaction.
	AutoCheck(ctx context.Context, tx *gorm.DB, app *Application) (Decision, []CheckResult, error)
	// OnApprove, OnReject and OnWithdraw apply the decision to the
	// type's own data, inside the transition's transaction.
	OnApprove(ctx context.Context, tx *gorm.DB, app *Application) error
	OnReject(ctx context.Context, tx *gorm.DB, app *Application) error
	OnWithdraw(ctx context.Context, tx *gorm.DB, app *Application) error
}

// Stage is one step of a multi-stage review: who reviews it (a vendor
// role that may decide applications) and in how many working days.
type Stage struct {
	Key  string // catalog id suffix approval.stage.<key>
	Role string // eco_manager or vendor_admin
	SLA  int
}

// Staged lets a type review in stages. Approving a stage that is not the
// last moves the application to the next stage, its reviewer and its due
// date; rejecting (or returning) at any stage ends (or pauses) it there.
// A type without stages has one: its reviewer picked as usual, its SLA.
type Staged interface {
	Stages() []Stage
}

// StageHook lets a staged type follow its review: OnStage runs when a
// stage that is not the last is approved and the application moves on
// (NRE's 技术评估 → 商业价值终评), in the transition's transaction.
type StageHook interface {
	OnStage(ctx context.Context, tx *gorm.DB, app *Application) error
}

// StagesOf are a type's review stages (one for a type without Staged).
func StagesOf(t Type) []Stage {
	if s, ok := t.(Staged); ok && len(s.Stages()) > 0 {
		return s.Stages()
	}
	return []Stage{{Key: "review", Role: "eco_manager", SLA: t.SLA()}}
}

// ReviewerRoles are the vendor roles that may review applications.
var ReviewerRoles = []string{"eco_manager", "vendor_admin"}

// ReviewerPicker lets a type choose the reviewer; returning 0 falls back
// to the default assignment.
type ReviewerPicker interface {
	PickReviewer(ctx context.Context, tx *gorm.DB, app *Application) (int64, error)
}

// Noticer lets a type word its 站内信: it returns the subject and body
// keys for an action (approve, reject, ...), or "" for the generic ones.
type Noticer interface {
	Notice(action string) (subjectKey, bodyKey string)
}

// Base is a Type with no checks (manual review) and no-op hooks, to embed.
type Base struct{}

// SLA defaults to 3 working days.
func (Base) SLA() int { return 3 }

// Validate accepts any payload.
func (Base) Validate(json.RawMessage) error { return nil }

// AutoCheck sends every application to manual review.
func (Base) AutoCheck(context.Context, *gorm.DB, *Application) (Decision, []CheckResult, error) {
	return Manual, nil, nil
}

// OnApprove does nothing.
func (Base) OnApprove(context.Context, *gorm.DB, *Application) error { return nil }

// OnReject does nothing.
func (Base) OnReject(context.Context, *gorm.DB, *Application) error { return nil }

// OnWithdraw does nothing.
func (Base) OnWithdraw(context.Context, *gorm.DB, *Application) error { return nil }

var (
	regMu sync.RWMutex
	types = map[string]Type{}
)

// Register adds a type; registering a key twice panics.
func Register(t Type) {
	regMu.Lock()
	defer regMu.Unlock()
	if _, dup := types[t.Key()]; dup {
		panic(fmt.Sprintf("approval: type %q registered twice", t.Key()))
	}
	types[t.Key()] = t
}

// Lookup returns a registered type.
func Lookup(key string) (Type, bool) {
	regMu.RLock()
	defer regMu.RUnlock()
	t, ok := types[key]
	return t, ok
}

// TypeKeys lists the registered types, sorted (for filters).
func TypeKeys() []string {
	regMu.RLock()
	defer regMu.RUnlock()
	out := make([]string, 0, len(types))
	for k := range types {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TypeLabel is the catalog id of a type's name.
func TypeLabel(key string) string { return "approval.type." + key }

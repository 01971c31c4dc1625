package mdf

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/riverqueue/river"
	"github.com/shopspring/decimal"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/audit"
	"partnercenter/internal/paths"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
	"partnercenter/internal/platform/money"
)

// Approval types of MDF, reviewed by the partner's ecosystem manager (the
// seed's 活动部门, inferred).
const (
	ApprovalUsage = "mdf_usage"
	ApprovalClaim = "mdf_claim"
)

// States of a usage application.
const (
	UsageSubmitted = "submitted" // 审批中 (budget occupied)
	UsageApproved  = "approved"  // 审批通过
	UsageRejected  = "rejected"  // 已驳回
	UsageWithdrawn = "withdrawn" // 已撤回
	UsageClaimed   = "claimed"   // 已兑现
	UsageClosed    = "closed"    // 兑现被驳回
)

// UsageStates lists them.
var UsageStates = []string{UsageSubmitted, UsageApproved, UsageRejected, UsageWithdrawn, UsageClaimed, UsageClosed}

// Rules (§10.5.4, §10.5.5, §10.5.8).
const (
	LeadWorkingDays = 10
	MaxEvents       = 20
	// YearEndReason is the year-end job's rejection (§10.5.8).
	YearEndReason = "未在12月31日前通过审批"
)

// UsageInput is the 使用申请 form.
type UsageInput struct {
	ActivityType, Name, Audience, Department, Location, Format, Solutions string
	Budget                                                                string
	Starts, Ends                                                          []string // the events' days
	LateReason, OverReason                                                string
	Acknowledged                                                          bool // the non-reimbursable list (§10.5.16)
}

func text(s string, max int, f apperr.Fields, field string) string {
	s = strings.TrimSpace(s)
	switch n := utf8.RuneCountInString(s); {
	case n == 0:
		f.Add(field, "mdf.err.required")
	case n > max:
		f.Add(field, "mdf.err.too_long")
	}
	return s
}

// parse checks the form; now is the submission time, cal the working days.
func (in UsageInput) parse(now time.Time, cal clock.Calendar) (*Usage, bool, error) {
	f := apperr.Fields{}
	u := &Usage{ActivityType: strings.TrimSpace(in.ActivityType)}
	if !slices.Contains(ActivityTypes, u.ActivityType) {
		f.Add("activity_type", "mdf.err.activity_type")
	}
	u.Name = text(in.Name, 100, f, "name")
	u.Audience = text(in.Audience, 200, f, "audience")
	u.Department = text(in.Department, 100, f, "department")
	u.Location = text(in.Location, 200, f, "location")
	u.Format = text(in.Format, 200, f, "format")
	u.Solutions = text(in.Solutions, 500, f, "solutions")
	budget, err := money.Parse(in.Budget, money.Amount)
	if err != nil {
		f.Add("budget", money.Key(err))
	}
	u.Budget = budget
	today := clock.ChinaDate(now)
	var events []Event
	for i := range in.Starts {
		start, end := strings.TrimSpace(in.Starts[i]), ""
		if i < len(in.Ends) {
			end = strings.TrimSpace(in.Ends[i])
		}
		if start == "" && end == "" {
			continue
		}
		s, serr := time.Parse(time.DateOnly, start)
		e, eerr := time.Parse(time.DateOnly, end)
		switch {
		case serr != nil || eerr != nil:
			f.Add("events", "mdf.err.event_date")
		case e.Before(s):
			f.Add("events", "mdf.err.event_order")
		case !s.After(today):
			f.Add("events", "mdf.err.event_past")
		default:
			events = append(events, Event{Start: start, End: end})
			if u.FirstDay.IsZero() || s.Before(u.FirstDay) {
				u.FirstDay = s
			}
			if e.After(u.LastDay) {
				u.LastDay = e
			}
		}
	}
	switch {
	case len(events) == 0 && f["events"] == "":
		f.Add("events", "mdf.err.events")
	case len(events) > MaxEvents:
		f.Add("events", "mdf.err.too_many_events")
	case len(events) > 0 && u.LastDay.After(addMonths(u.FirstDay, 3)):
		// 最长跨度不能超过一个季度 (§10.5.5).
		f.Add("events", "mdf.err.quarter")
	case len(events) > 0 && u.LastDay.After(time.Date(now.In(clock.China).Year()+1, 1, 31, 0, 0, 0, 0, time.UTC)):
		// This year's budget: by 31 January next year (§10.5.8).
		f.Add("events", "mdf.err.january")
	}
	u.Events, _ = json.Marshal(events)
	late := len(events) > 0 && !u.FirstDay.After(clock.ChinaDate(cal.AddWorkingDays(now, LeadWorkingDays)))
	u.LateReason = strings.TrimSpace(in.LateReason)
	if late && u.LateReason == "" {
		f.Add("late_reason", "mdf.err.late_reason")
	}
	if !late {
		u.LateReason = ""
	}
	if utf8.RuneCountInString(u.LateReason) > 500 {
		f.Add("late_reason", "mdf.err.too_long")
	}
	u.OverReason = strings.TrimSpace(in.OverReason)
	if utf8.RuneCountInString(u.OverReason) > 500 {
		f.Add("over_reason", "mdf.err.too_long")
	}
	if !in.Acknowledged {
		f.Add("acknowledged", "mdf.err.acknowledge")
	}
	return u, late, f.Err()
}

// addMonths is d plus n calendar months, clamped to the end of the
// target month (30 November + 3 months is 28 February, not 2 March).
func addMonths(d time.Time, n int) time.Time {
	first := time.Date(d.Year(), d.Month()+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1)
	if d.Day() > last.Day() {
		return last
	}
	return time.Date(first.Year(), first.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
}

// NoReasonFrom is the first event day a usage application submitted now
// needs no late reason for (the 10-working-day rule, holidays counted),
// for the form's hint.
func (s Service) NoReasonFrom(ctx context.Context) (_ time.Time, err error) {
	defer apperr.Wrap(&err, "mdf.NoReasonFrom")
	now := s.now()
	cal, err := approval.LoadCalendar(ctx, s.DB, now)
	if err != nil {
		return time.Time{}, err
	}
	return clock.ChinaDate(cal.AddWorkingDays(now, LeadWorkingDays)).AddDate(0, 0, 1), nil
}

// UsagePayload is the approval application's payload.
type UsagePayload struct {
	UsageID      int64   `json:"usage_id"`
	No           string  `json:"no"`
	ActivityType string  `json:"activity_type"`
	Name         string  `json:"name"`
	Audience     string  `json:"audience"`
	Department   string  `json:"department"`
	Location     string  `json:"location"`
	Format       string  `json:"format"`
	Solutions    string  `json:"solutions"`
	Budget       string  `json:"budget"`
	Events       []Event `json:"events"`
	LateReason   string  `json:"late_reason,omitempty"`
	OverReason   string  `json:"over_reason,omitempty"`
}

// Apply submits a 使用申请: the partner must be eligible; the budget is
// occupied in the entity's quota under its row lock (else "超出可用额度"),
// and the application goes to the ecosystem manager's review.
func (s Service) Apply(ctx context.Context, p *access.Principal, in UsageInput) (_ *Usage, err error) {
	defer apperr.Wrap(&err, "mdf.Apply")
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	now := s.now()
	var out *Usage
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		cal, err := approval.LoadCalendar(ctx, tx, now)
		if err != nil {
			return err
		}
		u, _, ferr := in.parse(now, cal)
		if ferr != nil {
			return ferr
		}
		st, err := s.standing(ctx, tx, p, true)
		if err != nil {
			return err
		}
		if st.Refusal != "" {
			return apperr.Conflict(st.Refusal)
		}
		if u.Budget.GreaterThan(st.Remaining) {
			return apperr.Conflict(ErrOverQuota, map[string]any{"Remaining": money.Grouped(st.Remaining, 2)})
		}
		var id int64
		if err := tx.WithContext(ctx).Raw(`SELECT nextval(pg_get_serial_sequence('mdf_usages', 'id'))`).Scan(&id).Error; err != nil {
			return err
		}
		u.ID, u.No, u.PartnerID, u.QuotaID, u.Status = id, fmt.Sprintf("MDF-U%s%05d", now.In(clock.China).Format("060102"), id%100000), pid,
			st.QuotaID, UsageSubmitted
		u.CreatedBy, u.CreatedAt, u.UpdatedAt = &p.UserID, now, now
		if err := tx.WithContext(ctx).Create(u).Error; err != nil {
			return err
		}
		if err := moveQuota(ctx, tx, st.QuotaID, u.Budget, decimal.Zero, now); err != nil {
			return err
		}
		app, err := (approval.Engine{DB: tx, Clock: s.Clock}).SubmitNew(ctx, tx, p, approval.New{Type: ApprovalUsage, Title: u.Name,
			Payload: UsagePayload{UsageID: u.ID, No: u.No, ActivityType: u.ActivityType, Name: u.Name, Audience: u.Audience,
				Department: u.Department, Location: u.Location, Format: u.Format, Solutions: u.Solutions, Budget: u.Budget.StringFixed(2),
				Events: u.EventList(), LateReason: u.LateReason, OverReason: u.OverReason}})
		if err != nil {
			return err
		}
		if err := tx.WithContext(ctx).Model(u).Update("application_id", app.ID).Error; err != nil {
			return err
		}
		u.ApplicationID = &app.ID
		out = u
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pid, Action: "mdf.usage_apply", ObjectType: "mdf_usage", ObjectID: u.ID,
			After: map[string]any{"no": u.No, "budget": u.Budget, "status": UsageSubmitted, "late_reason": u.LateReason}})
	})
	return out, err
}

// moveQuota adds to a quota's occupied and used amounts (negative to
// release); the row is locked by the caller's standing or here.
func moveQuota(ctx context.Context, tx *gorm.DB, quotaID int64, occupied, used decimal.Decimal, now time.Time) error {
	res := tx.WithContext(ctx).Exec(`UPDATE mdf_quotas SET occupied = occupied + ?, used = used + ?, updated_at = ? WHERE id = ?`,
		occupied, used, now, quotaID)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return fmt.Errorf("mdf: quota %d", quotaID)
	}
	return nil
}

// lockUsage locks a usage application of a partner (0: any partner).
func lockUsage(ctx context.Context, tx *gorm.DB, id, partnerID int64) (*Usage, error) {
	q := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ?", id)
	if partnerID != 0 {
		q = q.Where("partner_id = ?", partnerID)
	}
	var u Usage
	if err := q.Take(&u).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, apperr.NotFound()
		}
		return nil, err
	}
	return &u, nil
}

func init() {
	approval.Register(usageType{})
	approval.Register(claimType{})
	paths.RegisterExitBlocker(func(ctx context.Context, g *gorm.DB, partnerID int64) (string, bool, error) {
		var n int64
		err := g.WithContext(ctx).Model(&Usage{}).Where("partner_id = ? AND status NOT IN ?", partnerID,
			[]string{UsageRejected, UsageWithdrawn}).Count(&n).Error
		return paths.ErrExitMDF, n > 0, err
	})
}

type usageType struct{ approval.Base }

func (usageType) Key() string { return ApprovalUsage }
func (usageType) SLA() int    { return 5 }

func (usageType) Validate(raw json.RawMessage) error {
	var pl UsagePayload
	if err := json.Unmarshal(raw, &pl); err != nil || pl.UsageID == 0 {
		return apperr.Invalid("mdf.err.payload")
	}
	return nil
}

// decideUsage moves a usage application on its review's decision: an
// approval keeps the budget occupied; a rejection or withdrawal releases
// it.
func decideUsage(ctx context.Context, tx *gorm.DB, app *approval.Application, to string) error {
	var pl UsagePayload
	if err := app.DecodePayload(&pl); err != nil {
		return err
	}
	u, err := lockUsage(ctx, tx, pl.UsageID, app.PartnerID)
	if err != nil {
		return err
	}
	if u.Status != UsageSubmitted {
		return apperr.Conflict("mdf.err.state")
	}
	at := app.DecisionClock().Now().UTC()
	if to == UsageApproved {
		// 已占用本年度MDF预算的使用申请必须在当年12月31日通过审批 (§10.5.8):
		// from 1 January the year-end job rejects it; so does an approval.
		var year int
		if err := tx.WithContext(ctx).Raw(`SELECT year FROM mdf_quotas WHERE id = ?`, u.QuotaID).Scan(&year).Error; err != nil {
			return err
		}
		if year < yearOf(at) {
			return apperr.Conflict("mdf.err.year_closed")
		}
	}
	if to != UsageApproved {
		if err := tx.WithContext(ctx).Exec(`SELECT 1 FROM mdf_quotas WHERE id = ? FOR UPDATE`, u.QuotaID).Error; err != nil {
			return err
		}
		if err := moveQuota(ctx, tx, u.QuotaID, u.Budget.Neg(), decimal.Zero, at); err != nil {
			return err
		}
	}
	if err := tx.WithContext(ctx).Model(u).Updates(map[string]any{"status": to, "decided_at": at, "updated_at": at}).Error; err != nil {
		return err
	}
	return audit.Record(ctx, tx, audit.Change{At: at, PartnerID: u.PartnerID, Action: "mdf.usage_" + to, ObjectType: "mdf_usage", ObjectID: u.ID,
		Before: map[string]any{"status": UsageSubmitted}, After: map[string]any{"status": to}})
}

// OnApprove: the activity may take place.
func (usageType) OnApprove(ctx context.Context, tx *gorm.DB, app *approval.Application) error {
	return decideUsage(ctx, tx, app, UsageApproved)
}

// OnReject: the budget back in the quota.
func (usageType) OnReject(ctx context.Context, tx *gorm.DB, app *approval.Application) error {
	return decideUsage(ctx, tx, app, UsageRejected)
}

// OnWithdraw: the budget back in the quota.
func (usageType) OnWithdraw(ctx context.Context, tx *gorm.DB, app *approval.Application) error {
	return decideUsage(ctx, tx, app, UsageWithdrawn)
}

// CloseYear is the year-end job (§10.5.8): from 1 January (China time)
// the usage applications of an earlier year still in review are rejected
// with "未在12月31日前通过审批" and their budget released. It returns how
// many.
func (s Service) CloseYear(ctx context.Context) (_ int, err error) {
	defer apperr.Wrap(&err, "mdf.CloseYear")
	year := yearOf(s.now())
	var open []Usage
	if err := s.DB.WithContext(ctx).Table("mdf_usages u").Joins("JOIN mdf_quotas q ON q.id = u.quota_id").
		Where("u.status = ? AND q.year < ? AND u.application_id IS NOT NULL", UsageSubmitted, year).Select("u.*").Find(&open).Error; err != nil {
		return 0, err
	}
	n := 0
	for _, u := range open {
		err := db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
			done, err := (approval.Engine{DB: tx, Clock: s.Clock}).Lapse(ctx, tx, *u.ApplicationID, YearEndReason)
			if done {
				n++
			}
			return err
		})
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// SweepArgs is the daily job: the year-end rejections and the 45-day
// draft clean-up.
type SweepArgs struct{}

// Kind names the job.
func (SweepArgs) Kind() string { return "mdf_sweep" }

// SweepWorker runs CloseYear and DropStaleDrafts.
type SweepWorker struct {
	river.WorkerDefaults[SweepArgs]
	Service Service
}

// Work closes the year and drops stale drafts.
func (w *SweepWorker) Work(ctx context.Context, _ *river.Job[SweepArgs]) error {
	if _, err := w.Service.CloseYear(ctx); err != nil {
		return err
	}
	_, err := w.Service.DropStaleDrafts(ctx)
	return err
}

// AddWorkers registers the package's workers.
func AddWorkers(ws *river.Workers, s Service) { river.AddWorker(ws, &SweepWorker{Service: s}) }

// PeriodicJobs sweeps hourly (and at start): 1 January's rejections come
// within the hour.
func PeriodicJobs() []*river.PeriodicJob {
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return SweepArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true})}
}

package approval

import (
	"context"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"partnercenter/internal/notify"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
)

// RemindFromHour is the China hour from which the day's reminders go out.
const RemindFromHour = 9

// RemindReviewers sends each reviewer one 站内信 a day listing how many of
// its applications are due tomorrow (China date) and how many are overdue
// (build-plan 1.A; the seeds say only that reminders are automatic on the
// vendor's side, §9.1). An application is counted at most once a day
// (reminded_on); before RemindFromHour nothing is sent. It returns how
// many reviewers were reminded.
func (e Engine) RemindReviewers(ctx context.Context) (n int, err error) {
	defer apperr.Wrap(&err, "approval.RemindReviewers")
	now := e.now()
	local := now.In(clock.China)
	if local.Hour() < RemindFromHour {
		return 0, nil
	}
	today := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, clock.China)
	horizon := today.AddDate(0, 0, 2) // the end of tomorrow
	err = db.WithTx(ctx, e.DB, func(tx *gorm.DB) error {
		n = 0
		due := tx.WithContext(ctx).Table("applications").
			Where("state = ? AND reviewer_id IS NOT NULL AND due_at < ?", StateSubmitted, horizon).
			Where("reminded_on IS NULL OR reminded_on < ?::date", today.Format(time.DateOnly))
		var rows []struct {
			ReviewerID int64
			Overdue    int
			Soon       int
		}
		if err := due.Session(&gorm.Session{}).Select(`reviewer_id, count(*) FILTER (WHERE due_at < ?) AS overdue,
			count(*) FILTER (WHERE due_at >= ?) AS soon`, now, now).Group("reviewer_id").Order("reviewer_id").
			Scan(&rows).Error; err != nil {
			return err
		}
		for _, r := range rows {
			link := "/approvals?state=submitted&sort=due"
			if r.Overdue > 0 {
				link = "/approvals?overdue=1"
			}
			if err := notify.Send(ctx, tx, notify.Note{To: r.ReviewerID, Subject: "approval.msg.reminder.subject",
				Body: "approval.msg.reminder.body", Params: map[string]any{"Overdue": r.Overdue, "Soon": r.Soon},
				Link: link, At: now}); err != nil {
				return err
			}
		}
		n = len(rows)
		return due.Session(&gorm.Session{}).Update("reminded_on", today.Format(time.DateOnly)).Error
	})
	return n, err
}

// RemindArgs is the periodic job that runs RemindReviewers.
type RemindArgs struct{}

// Kind names the job in River's table.
func (RemindArgs) Kind() string { return "approval_reviewer_reminder" }

// RemindWorker runs RemindReviewers.
type RemindWorker struct {
	river.WorkerDefaults[RemindArgs]
	Engine Engine
}

// Work reminds once at the engine's clock.
func (w *RemindWorker) Work(ctx context.Context, _ *river.Job[RemindArgs]) error {
	_, err := w.Engine.RemindReviewers(ctx)
	return err
}

// RemindEvery is how often the job looks (it sends once a day).
const RemindEvery = time.Hour

// AddWorkers registers the reminder's worker.
func AddWorkers(ws *river.Workers, e Engine) { river.AddWorker(ws, &RemindWorker{Engine: e}) }

// PeriodicJobs schedules the reminder every RemindEvery, and once at start.
func PeriodicJobs() []*river.PeriodicJob {
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(RemindEvery),
		func() (river.JobArgs, *river.InsertOpts) { return RemindArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true})}
}

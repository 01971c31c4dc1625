package export

import (
	"context"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"partnercenter/internal/platform/blob"
	"partnercenter/internal/platform/clock"
)

// StatusExpired is a done task whose file was deleted after the retention.
const StatusExpired = "expired"

// DefaultRetention is how long a finished export's file is kept
// (EXPORT_RETENTION_DAYS).
const DefaultRetention = 7 * 24 * time.Hour

// Expire deletes the files of the tasks finished more than retention
// before now and marks them expired, a batch at a time; it returns how many.
func Expire(ctx context.Context, g *gorm.DB, now time.Time, retention time.Duration) (int, error) {
	n := 0
	for {
		var ts []Task
		if err := g.WithContext(ctx).Where("status = ? AND finished_at < ?", StatusDone, now.Add(-retention)).Order("finished_at").Limit(100).
			Find(&ts).Error; err != nil || len(ts) == 0 {
			return n, err
		}
		for _, t := range ts {
			if err := g.WithContext(ctx).Model(&Task{}).Where("id = ? AND status = ?", t.ID, StatusDone).
				Updates(map[string]any{"status": StatusExpired, "file_id": nil}).Error; err != nil {
				return n, err
			}
			if t.FileID != nil {
				if err := blob.Delete(ctx, g, *t.FileID); err != nil {
					return n, err
				}
			}
			n++
		}
	}
}

// ExpireArgs is the hourly expiry of old export files.
type ExpireArgs struct{}

// Kind names the job in River's table.
func (ExpireArgs) Kind() string { return "export_expire" }

// ExpireWorker runs Expire.
type ExpireWorker struct {
	river.WorkerDefaults[ExpireArgs]
	DB        *gorm.DB
	Clock     clock.Clock
	Retention time.Duration
}

// Work expires the files past the retention.
func (w *ExpireWorker) Work(ctx context.Context, _ *river.Job[ExpireArgs]) error {
	_, err := Expire(ctx, w.DB, w.Clock.Now(), w.Retention)
	return err
}

// PeriodicJobs runs the expiry hourly, and at start.
func PeriodicJobs() []*river.PeriodicJob {
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return ExpireArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true})}
}

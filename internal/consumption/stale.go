package consumption

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"partnercenter/internal/platform/blob"
	"partnercenter/internal/platform/metrics"
)

// StaleAfter is when a running import is not running any more: imports
// run one at a time, an hour each at most, three attempts; a day after it
// was queued, every attempt was cut short (each rolled back).
const StaleAfter = 24 * time.Hour

// FailStale marks failed the imports still running StaleAfter after they
// were queued, with the reason, and deletes their stored files; it returns
// how many.
func (s Importer) FailStale(ctx context.Context) (int64, error) {
	var stale []Import
	if err := s.DB.WithContext(ctx).Where("status = ? AND created_at < ?", "running", s.now().Add(-StaleAfter)).Find(&stale).Error; err != nil {
		return 0, err
	}
	var n int64
	for _, imp := range stale {
		res := s.DB.WithContext(ctx).Model(&Import{}).Where("id = ? AND status = ?", imp.ID, "running").
			Updates(map[string]any{"status": "failed", "failure": "interrupted: the servers working it stopped; upload the file again",
				"progress": 100, "finished_at": s.now()})
		if res.Error != nil {
			return n, res.Error
		}
		if res.RowsAffected == 1 && imp.FileID != nil {
			if err := blob.Delete(ctx, s.DB, *imp.FileID); err != nil {
				return n, err
			}
		}
		n += res.RowsAffected
	}
	if n > 0 {
		metrics.Imports.WithLabelValues("failed").Add(float64(n))
	}
	return n, nil
}

// StaleArgs is the hourly sweep of interrupted imports.
type StaleArgs struct{}

// Kind names the job in River's table.
func (StaleArgs) Kind() string { return "consumption_stale" }

// StaleWorker runs FailStale.
type StaleWorker struct {
	river.WorkerDefaults[StaleArgs]
	Importer Importer
}

// Work fails the interrupted imports.
func (w *StaleWorker) Work(ctx context.Context, _ *river.Job[StaleArgs]) error {
	_, err := w.Importer.FailStale(ctx)
	return err
}

// PeriodicJobs runs the sweep hourly.
func PeriodicJobs() []*river.PeriodicJob {
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return StaleArgs{}, nil }, nil)}
}

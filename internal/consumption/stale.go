package consumption

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"partnercenter/internal/platform/metrics"
)

// StaleAfter is when a running import is not running any more: past the
// worker's hour and the attempts the jobs' heartbeat sweep gives it, every
// attempt was cut short (each rolled back).
const StaleAfter = 4 * time.Hour

// FailStale marks failed the imports still running StaleAfter after they
// were queued, with the reason; it returns how many.
func (s Importer) FailStale(ctx context.Context) (int64, error) {
	res := s.DB.WithContext(ctx).Model(&Import{}).Where("status = ? AND created_at < ?", "running", s.now().Add(-StaleAfter)).
		Updates(map[string]any{"status": "failed", "failure": "interrupted: the servers working it stopped; upload the file again",
			"progress": 100, "finished_at": s.now()})
	if res.RowsAffected > 0 {
		metrics.Imports.WithLabelValues("failed").Add(float64(res.RowsAffected))
	}
	return res.RowsAffected, res.Error
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

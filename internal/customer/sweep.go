package customer

import (
	"context"
	"partnercenter/internal/platform/apperr"
	"time"

	"github.com/riverqueue/river"
)

// SweepArgs is the periodic background job that makes the stored state
// of reports past their protection and online invitations past their 7
// days (R10) catch up with what reads already compute (Expire).
type SweepArgs struct{}

// Kind names the job in River's table.
func (SweepArgs) Kind() string { return "customer_expiry_sweep" }

// SweepWorker runs Expire.
type SweepWorker struct {
	river.WorkerDefaults[SweepArgs]
	Service *Service
}

// Work sweeps once at the service's clock, then warns of protections
// about to end.
func (w *SweepWorker) Work(ctx context.Context, _ *river.Job[SweepArgs]) (err error) {
	defer apperr.Wrap(&err, "customer.Work")
	now := w.Service.now()
	if _, _, err = w.Service.Expire(ctx, now); err != nil {
		return err
	}
	_, err = w.Service.WarnExpiring(ctx, now)
	return err
}

// SweepEvery is how often the sweep runs.
const SweepEvery = 10 * time.Minute

// AddWorkers registers the sweep's worker.
func AddWorkers(ws *river.Workers, s *Service) { river.AddWorker(ws, &SweepWorker{Service: s}) }

// PeriodicJobs schedules the sweep every SweepEvery, and once at start.
func PeriodicJobs() []*river.PeriodicJob {
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(SweepEvery),
		func() (river.JobArgs, *river.InsertOpts) { return SweepArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true})}
}

package jobs

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"partnercenter/internal/platform/dbtest"
)

type holdArgs struct {
	Marker string `json:"marker"`
}

func (holdArgs) Kind() string { return "test_hold" }

// holdWorker signals it started, then finishes when released or ends when
// its context is cancelled, recording which.
type holdWorker struct {
	river.WorkerDefaults[holdArgs]
	started  chan struct{}
	release  chan struct{}
	finished atomic.Int32
	stopped  atomic.Int32
}

func (w *holdWorker) Work(ctx context.Context, _ *river.Job[holdArgs]) error {
	w.started <- struct{}{}
	select {
	case <-w.release:
		w.finished.Add(1)
		return nil
	case <-ctx.Done():
		w.stopped.Add(1)
		return ctx.Err()
	}
}

func startHold(t *testing.T, g *gorm.DB, ctx context.Context, marker string) (*Client, *holdWorker) {
	t.Helper()
	w := &holdWorker{started: make(chan struct{}, 1), release: make(chan struct{})}
	workers := river.NewWorkers()
	river.AddWorker(workers, w)
	c, err := Start(ctx, dbtest.URL(), workers, Config{PollInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := WithTx(context.Background(), g, func(_ *gorm.DB, enqueue Enqueue) error {
		_, err := enqueue(holdArgs{Marker: marker}, nil)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-w.started:
	case <-time.After(15 * time.Second):
		t.Fatal("the job did not start")
	}
	return c, w
}

// A SIGTERM (the serve context ending) does not cancel a running job: Stop
// lets it finish within the grace.
func TestStopLetsRunningJobsFinish(t *testing.T) {
	g := dbtest.DB(t)
	ctx, sigterm := context.WithCancel(context.Background())
	c, w := startHold(t, g, ctx, "finish")
	sigterm()
	go func() {
		time.Sleep(100 * time.Millisecond) // the job's remaining work
		close(w.release)
	}()
	grace, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.Stop(grace); err != nil {
		t.Fatal(err)
	}
	if w.finished.Load() != 1 || w.stopped.Load() != 0 {
		t.Fatalf("finished %d, cancelled %d: the signal cancelled the job", w.finished.Load(), w.stopped.Load())
	}
}

// A job still running when the grace ends is cancelled, and River keeps it
// to be worked again.
func TestStopCancelsJobsAfterTheGrace(t *testing.T) {
	g := dbtest.DB(t)
	c, w := startHold(t, g, context.Background(), "cancel")
	grace, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_ = c.Stop(grace)
	if w.stopped.Load() != 1 || w.finished.Load() != 0 {
		t.Fatalf("finished %d, cancelled %d", w.finished.Load(), w.stopped.Load())
	}
	var state string
	g.Raw(`SELECT state FROM river_job WHERE kind = 'test_hold' AND args->>'marker' = 'cancel'`).Scan(&state)
	if state != "retryable" && state != "available" {
		t.Fatalf("the cancelled job is %q: it would not be worked again", state)
	}
}

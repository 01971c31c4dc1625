package jobs

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"partnercenter/internal/platform/dbtest"
)

// crashDSN, set, makes the test binary the server to kill (crashServer)
// instead of running the tests.
const crashDSN = "PC_JOBS_CRASH_DSN"

type crashArgs struct {
	Marker string `json:"marker"`
}

func (crashArgs) Kind() string { return "test_crash" }

// crashWorker blocks until its server is killed (in the child) or finishes
// at once (in the parent).
type crashWorker struct {
	river.WorkerDefaults[crashArgs]
	block bool
	done  *atomic.Int32
}

func (w *crashWorker) Work(ctx context.Context, _ *river.Job[crashArgs]) error {
	if w.block {
		<-ctx.Done()
		return ctx.Err()
	}
	w.done.Add(1)
	return nil
}

func (w *crashWorker) Timeout(*river.Job[crashArgs]) time.Duration { return time.Hour }

// crashServer is the child (TestMain runs it when crashDSN is set): a
// server working test_crash jobs, which never finish, until it is killed.
func crashServer(dsn string) {
	workers := river.NewWorkers()
	river.AddWorker(workers, &crashWorker{block: true})
	if _, err := Start(context.Background(), dsn, workers, Config{PollInterval: 50 * time.Millisecond, Heartbeat: 200 * time.Millisecond,
		DeadAfter: 2 * time.Second}); err != nil {
		fmt.Fprintln(os.Stderr, "crash server:", err)
		os.Exit(1)
	}
	select {} // until killed
}

// A server killed (SIGKILL) in the middle of a job whose worker allows it
// an hour (as the import does): another server takes the job over once
// its heartbeat is older than the window, and finishes it; while the
// server lived, the heartbeat kept the job from being taken. The servers
// beat every 200 ms with a 2 s window here; serve's defaults are 10 s and
// 45 s.
func TestJobOfAKilledServerFinishesElsewhere(t *testing.T) {
	g := dbtest.DB(t)
	var id int64
	if err := WithTx(context.Background(), g, func(_ *gorm.DB, enqueue Enqueue) error {
		var err error
		id, err = enqueue(crashArgs{Marker: "killed"}, nil)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	child := exec.Command(os.Args[0])
	child.Env = append(os.Environ(), crashDSN+"="+dbtest.URL())
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = child.Process.Kill(); _ = child.Wait() })
	state := func() string {
		var s string
		g.Raw(`SELECT state FROM river_job WHERE id = ?`, id).Scan(&s)
		return s
	}
	waitFor(t, 30*time.Second, func() bool { return state() == "running" }, "the child to take the job")
	time.Sleep(3 * time.Second) // beyond the 2 s window: a live job's heartbeat keeps it
	if s := state(); s != "running" {
		t.Fatalf("a job with a live heartbeat is %s", s)
	}
	if s := state(); s != "running" {
		t.Fatalf("a job with a live heartbeat is %s", s)
	}
	if err := child.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = child.Wait()
	killed := time.Now()

	done := &atomic.Int32{}
	workers := river.NewWorkers()
	river.AddWorker(workers, &crashWorker{done: done})
	c, err := Start(context.Background(), dbtest.URL(), workers, Config{PollInterval: 50 * time.Millisecond, Heartbeat: 200 * time.Millisecond,
		DeadAfter: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Stop(context.Background())
	waitFor(t, 60*time.Second, func() bool { return state() == "completed" }, "the job to finish on the other server")
	if done.Load() != 1 {
		t.Fatalf("worked %d times here", done.Load())
	}
	t.Logf("taken over and finished %s after the kill", time.Since(killed).Round(100*time.Millisecond))
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, within time.Duration, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

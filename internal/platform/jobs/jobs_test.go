package jobs

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
	"gorm.io/gorm"

	"partnercenter/internal/platform/dbtest"
)

func TestMain(m *testing.M) {
	if dsn := os.Getenv(crashDSN); dsn != "" { // the server TestJobOfAKilledServerFinishesElsewhere kills
		crashServer(dsn)
	}
	dbtest.Main(m)
}

// TestMigrationCarriesRiverSchema: the goose file holds River's current
// migrations verbatim, so the template database (built by goose) has
// River's schema and rivermigrate finds nothing left to apply. It fails
// after an upgrade of River that brings new versions.
func TestMigrationCarriesRiverSchema(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	b, err := os.ReadFile(filepath.Join(filepath.Dir(file), "..", "..", "..", "migrations", "00009_exports.sql"))
	if err != nil {
		t.Fatal(err)
	}
	goose := string(b)
	m, err := rivermigrate.New(riverpgxv5.New(nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range m.AllVersions() {
		sql := strings.TrimSpace(strings.ReplaceAll(v.SQLUp, "/* TEMPLATE: schema */", ""))
		if !strings.Contains(goose, sql) {
			t.Errorf("River migration %d (%s) is not in migrations/00009_exports.sql: copy River's new versions into a new goose migration", v.Version, v.Name)
		}
	}

	g := dbtest.DB(t)
	n, err := MigrateURL(context.Background(), dbtest.URL(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("rivermigrate applied %d versions on a goose-migrated database; want 0", n)
	}
	var versions int
	g.Raw(`SELECT count(*) FROM river_migration WHERE line = 'main'`).Scan(&versions)
	if versions != len(m.AllVersions()) {
		t.Fatalf("river_migration has %d versions, River knows %d", versions, len(m.AllVersions()))
	}
}

type pingArgs struct {
	Marker string `json:"marker"`
}

func (pingArgs) Kind() string { return "test_ping" }

type pingWorker struct {
	river.WorkerDefaults[pingArgs]
	g    *gorm.DB
	seen *atomic.Int64
}

func (w *pingWorker) Work(ctx context.Context, job *river.Job[pingArgs]) error {
	w.seen.Add(1)
	return w.g.WithContext(ctx).Exec(`UPDATE jobs_test_rows SET worked = true WHERE marker = ?`, job.Args.Marker).Error
}

// TestEnqueueCommitsWithTheBusinessRow: a job inserted through WithTx
// exists only if the transaction commits (a rolled back business row
// leaves no job behind), and a running client works it.
func TestEnqueueCommitsWithTheBusinessRow(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	if err := g.Exec(`CREATE TABLE IF NOT EXISTS jobs_test_rows (marker text PRIMARY KEY, worked boolean NOT NULL DEFAULT false)`).Error; err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := WithTx(ctx, g, func(tx *gorm.DB, enqueue Enqueue) error {
		if err := tx.Exec(`INSERT INTO jobs_test_rows (marker) VALUES ('rolled-back')`).Error; err != nil {
			return err
		}
		if _, err := enqueue(pingArgs{Marker: "rolled-back"}, nil); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	var n int64
	g.Raw(`SELECT count(*) FROM river_job WHERE args->>'marker' = 'rolled-back'`).Scan(&n)
	if n != 0 {
		t.Fatal("a rolled back transaction left its job")
	}

	var jobID int64
	err = WithTx(ctx, g, func(tx *gorm.DB, enqueue Enqueue) error {
		if err := tx.Exec(`INSERT INTO jobs_test_rows (marker) VALUES ('kept')`).Error; err != nil {
			return err
		}
		var err error
		jobID, err = enqueue(pingArgs{Marker: "kept"}, nil)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	g.Raw(`SELECT count(*) FROM river_job WHERE id = ? AND state = 'available'`, jobID).Scan(&n)
	if n != 1 {
		t.Fatal("the committed job is not available")
	}

	workers := river.NewWorkers()
	seen := &atomic.Int64{}
	river.AddWorker(workers, &pingWorker{g: g, seen: seen})
	c, err := Start(ctx, dbtest.URL(), workers, Config{PollInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Stop(ctx)
	deadline := time.Now().Add(15 * time.Second)
	for {
		var worked bool
		g.Raw(`SELECT worked FROM jobs_test_rows WHERE marker = 'kept'`).Scan(&worked)
		if worked {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the job was not worked")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if seen.Load() != 1 {
		t.Fatalf("worked %d times", seen.Load())
	}
}

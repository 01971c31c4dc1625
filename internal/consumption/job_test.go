package consumption

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"partnercenter/internal/platform/dbtest"
	"partnercenter/internal/platform/jobs"
)

// An uploaded file is stored, queued and imported by a real River
// worker: the row goes queued → done at 100%, the lines are booked, the
// stored file is deleted. A file without the required columns is refused
// at upload, storing nothing.
func TestUploadIsImportedByTheBackgroundJob(t *testing.T) {
	g := dbtest.DB(t)
	w := fixture(t, g, "")
	ctx := context.Background()
	ref := fmt.Sprintf("job-%d", uniq())
	file := csvOf(ref + "," + w.consult + ",消费,2025-06,2025-06-01 08:00:00,,ECS,,,,,按需,0.04599822,,,,,,")
	imp, err := Importer{DB: g}.Upload(ctx, vendor, "job.csv", file)
	if err != nil || imp.Status != "queued" || imp.FileID == nil {
		t.Fatalf("upload: %+v %v", imp, err)
	}
	var blobs int64
	g.Raw(`SELECT count(*) FROM blob_chunks WHERE blob_id = ?`, *imp.FileID).Scan(&blobs)
	if blobs != 1 {
		t.Fatalf("stored chunks %d", blobs)
	}

	ws := river.NewWorkers()
	AddWorkers(ws, Importer{DB: g})
	c, err := jobs.Start(ctx, dbtest.URL(), ws, jobs.Config{PollInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Stop(ctx)
	var got Import
	for deadline := time.Now().Add(20 * time.Second); ; {
		g.Where("id = ?", imp.ID).Take(&got)
		if got.Status == "done" || got.Status == "failed" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("import still %s at %d%%", got.Status, got.Progress)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if got.Status != "done" || got.Progress != 100 || got.RowsAccepted != 1 {
		t.Fatalf("import %+v", got)
	}
	var rounding string
	g.Raw(`SELECT rounding_off::text FROM consumption_records WHERE source_ref = ?`, ref).Scan(&rounding)
	if rounding != "0.00599822" {
		t.Errorf("抹零 %q", rounding)
	}
	// The worker deletes the stored file once the import row is final (a
	// deferred step after it): wait for it as for the status.
	for deadline := time.Now().Add(20 * time.Second); ; {
		g.Raw(`SELECT count(*) FROM blob_chunks WHERE blob_id = ?`, *imp.FileID).Scan(&blobs)
		if blobs == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the stored file was kept after the import")
		}
		time.Sleep(50 * time.Millisecond)
	}

	var before int64
	g.Raw(`SELECT count(*) FROM blobs`).Scan(&before)
	if _, err := (Importer{DB: g}).Upload(ctx, vendor, "bad.csv", strings.NewReader("流水号\n1\n")); keyOf(err) != ErrHeaderMissing {
		t.Fatalf("bad header: %v", err)
	}
	var after int64
	g.Raw(`SELECT count(*) FROM blobs`).Scan(&after)
	if after != before {
		t.Error("a refused upload stored a file")
	}
}

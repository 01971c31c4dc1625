package export

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/bill/billtest"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/dbtest"
	"partnercenter/internal/platform/jobs"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var (
	workerOnce sync.Once
	testWorker *Worker
)

// startWorkers runs a real River client with the export worker on the
// package's database (once per test binary).
func startWorkers(t *testing.T, g *gorm.DB) *Worker {
	t.Helper()
	workerOnce.Do(func() {
		testWorker = &Worker{DB: g, Clock: clock.System{}}
		ws := river.NewWorkers()
		river.AddWorker(ws, testWorker)
		c, err := jobs.Start(context.Background(), dbtest.URL(), ws, jobs.Config{PollInterval: 50 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {}) // stopped with the process
		_ = c
	})
	return testWorker
}

func principal(tn *billtest.Tenant) *access.Principal {
	return &access.Principal{UserID: tn.UserID, PartnerID: tn.ID, IsMain: true, PartnerActive: true, Items: map[access.Item]bool{}}
}

func waitFinished(t *testing.T, g *gorm.DB, p *access.Principal, id int64) *Task {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		task, err := Service{DB: g}.Get(context.Background(), p, id)
		if err != nil {
			t.Fatal(err)
		}
		if task.Status == StatusDone || task.Status == StatusFailed {
			return task
		}
		if time.Now().After(deadline) {
			t.Fatalf("task %d still %s at %d%%", id, task.Status, task.Progress)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func download(t *testing.T, g *gorm.DB, p *access.Principal, id int64) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := (Service{DB: g}).Download(context.Background(), p, id, func(*Task) io.Writer { return &buf }); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestXLSXExportEndToEnd: creating a task enqueues a job in the same
// transaction; the real worker streams every row into an xlsx that opens
// with excelize and holds the header and one row per line, amounts exact.
func TestXLSXExportEndToEnd(t *testing.T) {
	g := dbtest.DB(t)
	startWorkers(t, g)
	tn := billtest.NewTenant(t, g, 5)
	billtest.Generate(t, g, tn.ID, tn.Customers, "2024-06", 4321)
	billtest.Insert(t, g, tn.ID, billtest.Row{Customer: tn.Customers[0], Period: "2024-06", Product: "云审计服务",
		ListPrice: "0.04599822", At: time.Date(2024, 6, 30, 15, 0, 0, 0, time.UTC)})
	p := principal(tn)
	task, err := Service{DB: g}.Create(context.Background(), p, KindBillXLSX, "2024-06")
	if err != nil {
		t.Fatal(err)
	}
	var jobsFor int64
	g.Raw(`SELECT count(*) FROM river_job WHERE kind = 'export_bill' AND (args->>'task_id')::bigint = ?`, task.ID).Scan(&jobsFor)
	if jobsFor != 1 {
		t.Fatalf("%d jobs for the task", jobsFor)
	}
	var audits int64
	g.Raw(`SELECT count(*) FROM audit_log WHERE action = 'export.create' AND object_id = ?`, strconv.FormatInt(task.ID, 10)).Scan(&audits)
	if audits != 1 {
		t.Fatalf("%d audit rows", audits)
	}
	done := waitFinished(t, g, p, task.ID)
	if done.Status != StatusDone || done.Progress != 100 || done.RowsDone != 4322 || done.RowsTotal != 4322 {
		t.Fatalf("task = %+v", done)
	}
	if done.ContentType != ContentTypeXLSX || !strings.HasSuffix(done.FileName, ".xlsx") || done.FileSize == 0 {
		t.Fatalf("file = %s %s %d", done.FileName, done.ContentType, done.FileSize)
	}
	body := download(t, g, p, task.ID)
	if int64(len(body)) != done.FileSize {
		t.Fatalf("downloaded %d bytes of %d", len(body), done.FileSize)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+4322 {
		t.Fatalf("%d rows, want header + 4322", len(rows))
	}
	if rows[0][0] != "账期" || rows[0][16] != "消费金额" {
		t.Fatalf("header = %v", rows[0])
	}
	last := rows[len(rows)-1]
	if last[7] != "云审计服务" || last[15] != "0.04599822" || last[16] != "0.04" || last[17] != "0.00599822" {
		t.Fatalf("last row = %v", last)
	}
}

// TestCSVExportAndProgress: progress is recorded while the worker streams
// (rows_done moves in steps of ProgressEvery before the end) and the CSV
// has a BOM, a header and every row.
func TestCSVExportAndProgress(t *testing.T) {
	g := dbtest.DB(t)
	w := startWorkers(t, g)
	tn := billtest.NewTenant(t, g, 2)
	billtest.Generate(t, g, tn.ID, tn.Customers, "2024-02", 3*ProgressEvery+10)
	p := principal(tn)

	var seen sync.Map // progress values observed mid-run
	w.beforeRow = func(task *Task, n int64) error {
		if task.PartnerID == tn.ID && n > 0 && n%ProgressEvery == 1 {
			var pr int
			g.Raw(`SELECT progress FROM export_tasks WHERE id = ?`, task.ID).Scan(&pr)
			seen.Store(pr, true)
		}
		return nil
	}
	defer func() { w.beforeRow = nil }()
	task, err := Service{DB: g}.Create(context.Background(), p, KindBillCSV, "2024-02")
	if err != nil {
		t.Fatal(err)
	}
	done := waitFinished(t, g, p, task.ID)
	if done.Status != StatusDone {
		t.Fatalf("task = %+v", done)
	}
	var steps []int
	seen.Range(func(k, _ any) bool { steps = append(steps, k.(int)); return true })
	if len(steps) < 3 {
		t.Fatalf("progress seen mid-run: %v", steps)
	}
	body := download(t, g, p, task.ID)
	if !bytes.HasPrefix(body, []byte("\xEF\xBB\xBF账期,")) {
		t.Fatalf("csv starts %q", body[:20])
	}
	if lines := bytes.Count(body, []byte("\n")); lines != 1+3*ProgressEvery+10 {
		t.Fatalf("%d lines", lines)
	}
}

// TestRetryDoesNotDuplicateTheFile: an attempt that fails midway (after
// storing chunks) is retried by River; the finished file holds every row
// exactly once.
func TestRetryDoesNotDuplicateTheFile(t *testing.T) {
	g := dbtest.DB(t)
	w := startWorkers(t, g)
	old := chunkSize
	chunkSize = 4096 // several chunks are stored before the failure
	defer func() { chunkSize = old }()
	tn := billtest.NewTenant(t, g, 2)
	billtest.Generate(t, g, tn.ID, tn.Customers, "2024-01", 3000)
	p := principal(tn)
	var failed atomic.Bool
	w.beforeRow = func(task *Task, n int64) error {
		if task.PartnerID == tn.ID && n == 2500 && failed.CompareAndSwap(false, true) {
			var chunks int64
			g.Raw(`SELECT count(*) FROM blob_chunks c JOIN export_tasks t ON t.file_id = c.blob_id WHERE t.id = ?`, task.ID).Scan(&chunks)
			if chunks == 0 {
				t.Error("no chunks stored before the failure: the test proves nothing")
			}
			return errors.New("disk on fire")
		}
		return nil
	}
	defer func() { w.beforeRow = nil }()
	// The retry comes after River's backoff (about a second for attempt 1).
	task, err := Service{DB: g}.Create(context.Background(), p, KindBillCSV, "2024-01")
	if err != nil {
		t.Fatal(err)
	}
	done := waitFinished(t, g, p, task.ID)
	if done.Status != StatusDone || done.Attempts != 2 || !failed.Load() {
		t.Fatalf("task = %+v (failed once: %v)", done, failed.Load())
	}
	body := download(t, g, p, task.ID)
	if lines := bytes.Count(body, []byte("\n")); lines != 3001 {
		t.Fatalf("%d lines after a retry, want 3001", lines)
	}
}

// TestLastAttemptFailsWithMessage: when every attempt fails the task is
// 失败 with a message and no file; it cannot be downloaded.
func TestLastAttemptFailsWithMessage(t *testing.T) {
	g := dbtest.DB(t)
	w := &Worker{DB: g, Clock: clock.System{}}
	tn := billtest.NewTenant(t, g, 1)
	billtest.Generate(t, g, tn.ID, tn.Customers, "2024-04", 10)
	p := principal(tn)
	var id int64
	g.Raw(`INSERT INTO export_tasks (partner_id, user_id, kind, params) VALUES (?, ?, 'bill_detail_xlsx', '{"period":"2024-04","lang":"zh-CN"}') RETURNING id`,
		tn.ID, tn.UserID).Scan(&id)
	w.beforeRow = func(*Task, int64) error { return errors.New("broken") }
	if err := w.Process(context.Background(), id, 1, false); err == nil {
		t.Fatal("attempt 1 succeeded")
	}
	mid, _ := Service{DB: g}.Get(context.Background(), p, id)
	if mid.Status != StatusQueued || mid.Error == "" {
		t.Fatalf("after a retryable failure: %+v", mid)
	}
	if err := w.Process(context.Background(), id, 3, true); err == nil {
		t.Fatal("last attempt succeeded")
	}
	final, _ := Service{DB: g}.Get(context.Background(), p, id)
	if final.Status != StatusFailed || final.Error != "broken" || final.FinishedAt == nil {
		t.Fatalf("after the last attempt: %+v", final)
	}
	err := Service{DB: g}.Download(context.Background(), p, id, func(*Task) io.Writer { return &bytes.Buffer{} })
	if !apperr.Is(err, apperr.KindConflict) {
		t.Fatalf("download of a failed task: %v", err)
	}
	// A job worked again after the task finished does nothing.
	w.beforeRow = nil
	if err := w.Process(context.Background(), id, 3, true); err != nil {
		t.Fatal(err)
	}
	again, _ := Service{DB: g}.Get(context.Background(), p, id)
	if again.Status != StatusFailed {
		t.Fatalf("a finished task was worked again: %+v", again)
	}
}

// TestAnotherTenantGets404: another partner can neither read nor download
// a task (not found, not forbidden).
func TestAnotherTenantGets404(t *testing.T) {
	g := dbtest.DB(t)
	a := billtest.NewTenant(t, g, 1)
	b := billtest.NewTenant(t, g, 1)
	var id int64
	g.Raw(`INSERT INTO export_tasks (partner_id, user_id, kind, params) VALUES (?, ?, 'bill_detail_csv', '{"period":"2024-04"}') RETURNING id`,
		a.ID, a.UserID).Scan(&id)
	if _, err := (Service{DB: g}).Get(context.Background(), principal(b), id); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("get: %v", err)
	}
	err := Service{DB: g}.Download(context.Background(), principal(b), id, func(*Task) io.Writer { return &bytes.Buffer{} })
	if !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("download: %v", err)
	}
	l, _ := Service{DB: g}.List(context.Background(), principal(b), 1)
	if l.Total != 0 {
		t.Fatalf("b lists %d tasks of a", l.Total)
	}
}

// TestPDFBill: the bill PDF is a PDF with the overview.
func TestPDFBill(t *testing.T) {
	g := dbtest.DB(t)
	tn := billtest.NewTenant(t, g, 1)
	billtest.Insert(t, g, tn.ID, billtest.Row{Customer: tn.Customers[0], Period: "2024-06", Product: "云硬盘", ListPrice: "3.64"})
	var id int64
	g.Raw(`INSERT INTO export_tasks (partner_id, user_id, kind, params) VALUES (?, ?, 'bill_pdf', '{"period":"2024-06","lang":"zh-CN"}') RETURNING id`,
		tn.ID, tn.UserID).Scan(&id)
	w := &Worker{DB: g, Clock: clock.System{}}
	if err := w.Process(context.Background(), id, 1, true); err != nil {
		t.Fatal(err)
	}
	body := download(t, g, principal(tn), id)
	if !bytes.HasPrefix(body, []byte("%PDF-1.")) || !bytes.Contains(body, []byte("%%EOF")) {
		t.Fatalf("not a pdf: %q", body[:16])
	}
	task, _ := Service{DB: g}.Get(context.Background(), principal(tn), id)
	if task.FileName != "伙伴账单_2024-06.pdf" || task.ContentType != ContentTypePDF {
		t.Fatalf("task = %+v", task)
	}
}

// TestCreateRejectsBadInput: an unknown kind or period creates nothing.
func TestCreateRejectsBadInput(t *testing.T) {
	g := dbtest.DB(t)
	tn := billtest.NewTenant(t, g, 1)
	for _, c := range [][2]string{{"bill_exe", "2024-06"}, {KindBillXLSX, "2024-13"}, {KindBillXLSX, ""}} {
		if _, err := (Service{DB: g}).Create(context.Background(), principal(tn), c[0], c[1]); !apperr.Is(err, apperr.KindInvalid) {
			t.Errorf("%v: %v", c, err)
		}
	}
	var n int64
	g.Raw(`SELECT count(*) FROM export_tasks WHERE partner_id = ?`, tn.ID).Scan(&n)
	if n != 0 {
		t.Fatalf("%d tasks created from bad input", n)
	}
}

// TestOnlyAPartnerMemberExports: vendor staff, a customer account and the
// system cannot create, list, read or download a tenant's export tasks,
// even carrying its tenant id (Forbidden); nothing is created or queued.
func TestOnlyAPartnerMemberExports(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	tn := billtest.NewTenant(t, g, 1)
	var id int64
	g.Raw(`INSERT INTO export_tasks (partner_id, user_id, kind, params) VALUES (?, ?, 'bill_detail_csv', '{"period":"2024-04"}') RETURNING id`,
		tn.ID, tn.UserID).Scan(&id)
	tasks := func() (n int64) {
		g.Raw(`SELECT (SELECT count(*) FROM export_tasks WHERE partner_id = ?) + (SELECT count(*) FROM audit_log WHERE partner_id = ?)`,
			tn.ID, tn.ID).Scan(&n)
		return n
	}
	before := tasks()
	vendor := access.VendorStaff(tn.UserID, "finance")
	vendor.PartnerID = tn.ID
	customer := access.CustomerUser(tn.UserID)
	customer.PartnerID = tn.ID
	s := Service{DB: g}
	for name, p := range map[string]*access.Principal{"vendor": vendor, "customer": customer, "system": access.System} {
		if _, err := s.Create(ctx, p, KindBillCSV, "2024-04"); !apperr.Is(err, apperr.KindForbidden) {
			t.Errorf("%s create: %v", name, err)
		}
		if _, err := s.List(ctx, p, 1); !apperr.Is(err, apperr.KindForbidden) {
			t.Errorf("%s list: %v", name, err)
		}
		if _, err := s.Get(ctx, p, id); !apperr.Is(err, apperr.KindForbidden) {
			t.Errorf("%s get: %v", name, err)
		}
		wrote := false
		err := s.Download(ctx, p, id, func(*Task) io.Writer { wrote = true; return &bytes.Buffer{} })
		if !apperr.Is(err, apperr.KindForbidden) || wrote {
			t.Errorf("%s download: %v (headers written %v)", name, err, wrote)
		}
	}
	if after := tasks(); after != before {
		t.Fatalf("rows changed: %d → %d", before, after)
	}
}

package export

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/bill"
	"partnercenter/internal/events"
	"partnercenter/internal/notify"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/blob"
	"partnercenter/internal/platform/clock"
)

// ProgressEvery is how many rows a worker writes between progress updates.
const ProgressEvery = 2000

// chunkSize is the size of a stored file chunk (a variable for tests).
var chunkSize = blob.ChunkSize

// Worker works export_bill jobs.
type Worker struct {
	river.WorkerDefaults[Args]
	DB *gorm.DB
	// Read, when set, is the pool a bill export reads its lines and bill
	// from: a read replica (DATABASE_REPLICA_URL), so a period's millions
	// of lines never compete with the pages. The task row, the file and the
	// message stay on DB.
	Read   *gorm.DB
	Clock  clock.Clock
	Tables Tables
	// Principal loads a task creator's principal as it is now (web's
	// composition root gives it), for table exports.
	Principal func(ctx context.Context, userID int64) (*access.Principal, error)

	// beforeRow, when set (tests), runs before each detail row is written;
	// an error fails the attempt there.
	beforeRow func(t *Task, n int64) error
}

// AddWorkers registers the export worker.
func AddWorkers(ws *river.Workers, w *Worker) { river.AddWorker(ws, w) }

// Timeout lets a full period export run for up to half an hour.
func (w *Worker) Timeout(*river.Job[Args]) time.Duration { return 30 * time.Minute }

// Work runs one attempt of an export job.
func (w *Worker) Work(ctx context.Context, job *river.Job[Args]) (err error) {
	defer apperr.Wrap(&err, "export.Work")
	return w.Process(ctx, job.Args.TaskID, job.Attempt, job.Attempt >= job.MaxAttempts)
}

func (w *Worker) now() time.Time { return w.Clock.Now().UTC() }

// reader is the pool the export's data is read from.
func (w *Worker) reader() *gorm.DB {
	if w.Read != nil {
		return w.Read
	}
	return w.DB
}

// errDone ends an attempt that finds nothing to do.
var errDone = errors.New("export: task already finished")

// Process works attempt number attempt of a task; final is the last
// attempt River will make. It is idempotent: a finished task is left
// alone, and an attempt starts by removing what an earlier one stored.
func (w *Worker) Process(ctx context.Context, taskID int64, attempt int, final bool) (err error) {
	t, err := w.claim(ctx, taskID, attempt)
	if errors.Is(err, errDone) {
		return nil
	}
	if err != nil {
		return err
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("export: panic: %v", r)
		}
		if err != nil {
			w.fail(t, attempt, final, err)
		}
	}()
	// The file of an earlier attempt goes; this attempt writes a new one,
	// linked to the task from its start so a failure can remove it.
	if err := w.dropFile(ctx, t.ID); err != nil {
		return err
	}
	out, err := blob.Create(ctx, w.DB)
	if err != nil {
		return err
	}
	out.ChunkSize = chunkSize
	if err := w.DB.WithContext(ctx).Exec(`UPDATE export_tasks SET file_id = ? WHERE id = ?`, out.ID, t.ID).Error; err != nil {
		return err
	}
	name, ctype, err := w.produce(ctx, t, out)
	if err != nil {
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	// Done, and its creator is told in the message center with the link to
	// download it (in one transaction: no message for a task not done).
	return w.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Exec(`UPDATE export_tasks SET status = 'done', progress = 100, rows_done = rows_total,
			file_name = ?, content_type = ?, file_size = ?, error = '', finished_at = ?
			WHERE id = ? AND status = 'running' AND attempts = ?`, name, ctype, out.Size, w.now(), t.ID, attempt)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return fmt.Errorf("export: task %d changed hands during attempt %d", t.ID, attempt)
		}
		if err := doneEvent(ctx, tx, t, name, w.now()); err != nil {
			return err
		}
		return notify.Send(ctx, tx, notify.Note{To: t.UserID, Partner: t.PartnerID, Subject: "export.msg.done.subject", Body: "export.msg.done.body",
			Params: map[string]any{"File": name}, Link: downloadPath(t), At: w.now()})
	})
}

// downloadPath is where the task's creator downloads the file: the bill's
// exports in 导出记录, list exports in 我的导出.
func downloadPath(t *Task) string {
	if _, table := tableKinds[t.Kind]; table {
		return fmt.Sprintf("/exports/%d/download", t.ID)
	}
	return fmt.Sprintf("/billing/exports/%d/download", t.ID)
}

// claim moves the task to running for this attempt.
func (w *Worker) claim(ctx context.Context, taskID int64, attempt int) (*Task, error) {
	var ts []Task
	err := w.DB.WithContext(ctx).Raw(`UPDATE export_tasks SET status = 'running', attempts = ?, started_at = ?,
		progress = 0, rows_done = 0
		WHERE id = ? AND status IN ('queued', 'running') RETURNING *`, attempt, w.now(), taskID).Scan(&ts).Error
	if err != nil {
		return nil, err
	}
	if len(ts) == 0 {
		return nil, errDone
	}
	return &ts[0], nil
}

// fail records an attempt's error: queued again with the message while
// River will retry, failed (失败) after the last attempt. Its stored
// chunks are removed either way.
func (w *Worker) fail(t *Task, attempt int, final bool, cause error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	msg := cause.Error()
	if ae, ok := apperr.As(cause); ok {
		msg = ae.Key
	}
	if len(msg) > 480 {
		msg = msg[:480]
	}
	_ = w.dropFile(ctx, t.ID)
	if final {
		_ = w.DB.WithContext(ctx).Exec(`UPDATE export_tasks SET status = 'failed', error = ?, finished_at = ?
			WHERE id = ? AND status = 'running' AND attempts = ?`, msg, w.now(), t.ID, attempt).Error
		return
	}
	_ = w.DB.WithContext(ctx).Exec(`UPDATE export_tasks SET status = 'queued', error = ?
		WHERE id = ? AND status = 'running' AND attempts = ?`, msg, t.ID, attempt).Error
}

// produce writes the task's file to out and returns its name and type.
func (w *Worker) produce(ctx context.Context, t *Task, out io.Writer) (string, string, error) {
	if spec, ok := w.Tables[t.Kind]; ok {
		return w.writeTable(ctx, t, spec, out)
	}
	p := t.Params()
	period := bill.ParsePeriod(p.Period)
	if period.IsZero() {
		return "", "", apperr.Invalid("export.err.period")
	}
	switch t.Kind {
	case KindBillPDF:
		return w.writePDF(ctx, t, period, out)
	case KindBillXLSX, KindBillCSV:
		return w.writeDetails(ctx, t, period, out)
	}
	return "", "", apperr.Invalid("export.err.kind")
}

// setProgress records rows done (through the pool, not the reading
// transaction) so the page's progress bar moves.
func (w *Worker) setProgress(ctx context.Context, t *Task, done, total int64) error {
	pct := 0
	if total > 0 {
		pct = int(done * 100 / total)
	}
	if pct > 99 {
		pct = 99
	}
	return w.DB.WithContext(ctx).Exec(`UPDATE export_tasks SET rows_done = ?, rows_total = ?, progress = ?
		WHERE id = ? AND status = 'running'`, done, total, pct, t.ID).Error
}

// dropFile deletes the task's stored file, if any.
func (w *Worker) dropFile(ctx context.Context, taskID int64) error {
	var ids []int64
	if err := w.DB.WithContext(ctx).Raw(`WITH old AS (SELECT file_id FROM export_tasks WHERE id = ? AND file_id IS NOT NULL FOR UPDATE)
		UPDATE export_tasks t SET file_id = NULL FROM old WHERE t.id = ? RETURNING old.file_id`, taskID, taskID).Scan(&ids).Error; err != nil {
		return err
	}
	for _, id := range ids {
		if err := blob.Delete(ctx, w.DB, id); err != nil {
			return err
		}
	}
	return nil
}

// EventDone is a partner's export ready to download (build-plan 5.F).
const EventDone = "export.done"

// doneEvent records a partner's finished export (vendor exports have no
// partner and no event).
func doneEvent(ctx context.Context, tx *gorm.DB, t *Task, name string, at time.Time) error {
	if t.PartnerID == 0 {
		return nil
	}
	return events.Record(ctx, tx, t.PartnerID, EventDone, at, map[string]any{"task_id": t.ID, "kind": t.Kind, "file_name": name})
}

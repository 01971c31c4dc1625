package consumption

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/identity"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/blob"
	"partnercenter/internal/platform/jobs"
	"partnercenter/internal/platform/metrics"
	"partnercenter/internal/platform/reqctx"
)

// ImportArgs is the background job that imports one uploaded file.
type ImportArgs struct {
	ImportID int64 `json:"import_id"`
}

// Kind names the job in River's table.
func (ImportArgs) Kind() string { return "consumption_import" }

// InsertOpts: an import is all or nothing; when it fails the report says
// why and vendor finance uploads again. An attempt that ends records its
// outcome (done or failed) and returns nil, so a second or third attempt
// runs only after an attempt was cut short — its server died (jobs'
// heartbeat sweep made the job available again) or stopped past its grace
// — and its transaction rolled back with nothing of the file booked.
func (ImportArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 3} }

// Upload checks the file's header (a file without the required columns
// is refused here, with the message, and nothing is stored), then stores
// the file and queues its import: the import row, the file and the job
// commit together. The job reads the file back as a stream.
func (s Importer) Upload(ctx context.Context, actor *access.Principal, name string, f io.ReadSeeker) (_ *Import, err error) {
	defer apperr.Wrap(&err, "consumption.Upload")
	src, _, err := open(name, f)
	if err != nil {
		return nil, err
	}
	_ = src.Close()
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	imp := s.newImport(actor, name)
	imp.Status = "queued"
	err = jobs.WithTx(ctx, s.DB, func(tx *gorm.DB, enqueue jobs.Enqueue) error {
		id, size, err := blob.Store(ctx, tx, f)
		if err != nil {
			return err
		}
		imp.FileID, imp.FileSize = &id, size
		if err := tx.Create(&imp).Error; err != nil {
			return err
		}
		if _, err := enqueue(ImportArgs{ImportID: imp.ID}, nil); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{Action: "consumption.upload", ObjectType: "consumption_import",
			ObjectID: imp.ID, After: map[string]any{"file": imp.FileName, "size": size}})
	})
	if err != nil {
		return nil, err
	}
	return &imp, nil
}

// ImportWorker runs queued imports.
type ImportWorker struct {
	river.WorkerDefaults[ImportArgs]
	Importer Importer
}

// AddWorkers registers the import worker.
func AddWorkers(ws *river.Workers, s Importer) { river.AddWorker(ws, &ImportWorker{Importer: s}) }

// Timeout lets a large file run for up to an hour.
func (w *ImportWorker) Timeout(*river.Job[ImportArgs]) time.Duration { return time.Hour }

// Work imports the job's file once: reading reports its progress (up to
// 90%: the rest is the transaction that books the lines), the outcome is
// on the import row, and the stored file is deleted either way.
func (w *ImportWorker) Work(ctx context.Context, job *river.Job[ImportArgs]) (err error) {
	defer apperr.Wrap(&err, "consumption.Work")
	s := w.Importer
	g := s.DB.WithContext(ctx)
	var imp Import
	if err := g.Where("id = ?", job.Args.ImportID).Take(&imp).Error; err != nil {
		return err
	}
	// Worked already — unless an earlier attempt's server died with the
	// import running (its transaction rolled back): then it runs again.
	if imp.Status != "queued" && (imp.Status != "running" || job.Attempt == 1) {
		return nil
	}
	// Audit rows name the vendor user who uploaded the file.
	meta := &reqctx.Meta{RequestID: "job-consumption-import"}
	if imp.CreatedBy != nil {
		meta.ActorID = *imp.CreatedBy
		if users, err := (identity.Users{DB: s.DB}).ByIDs(ctx, []int64{*imp.CreatedBy}); err == nil && users[*imp.CreatedBy] != nil {
			meta.ActorName = users[*imp.CreatedBy].LoginName
		}
	}
	ctx = reqctx.With(ctx, meta)
	if err := g.Model(&Import{}).Where("id = ?", imp.ID).Updates(map[string]any{"status": "running", "progress": 1}).Error; err != nil {
		return err
	}
	imp.Status = "running"
	if imp.FileID == nil {
		return s.markFailed(ctx, &imp, errors.New("the uploaded file is gone"))
	}
	fileID := *imp.FileID
	defer func() {
		if imp.Status == "running" && ctx.Err() != nil {
			return // cut short: the next attempt reads the file again
		}
		_ = blob.Delete(context.WithoutCancel(ctx), s.DB, fileID)
	}()

	cr := &countingReader{r: blob.Open(ctx, s.DB, fileID)}
	src, pos, err := open(imp.FileName, cr)
	if err != nil {
		return s.markFailed(ctx, &imp, err)
	}
	defer src.Close()
	progress := func() {
		if imp.FileSize > 0 {
			pct := min(90, 1+int(cr.n*89/imp.FileSize))
			_ = s.DB.WithContext(ctx).Model(&Import{}).Where("id = ?", imp.ID).Update("progress", pct).Error
		}
	}
	if err := s.process(ctx, &imp, src, pos, progress); err != nil && ctx.Err() != nil {
		return err // shutting down: River records the interrupted attempt
	}
	metrics.Imports.WithLabelValues(imp.Status).Inc()
	return nil // done, or failed with its reason on the row
}

// markFailed records a failure that happened before processing began.
func (s Importer) markFailed(ctx context.Context, imp *Import, cause error) error {
	msg := cause.Error()
	var ae *apperr.Error
	if errors.As(cause, &ae) {
		msg = ae.Key
	}
	imp.Status, imp.Failure = "failed", truncate(msg, 500)
	metrics.Imports.WithLabelValues("failed").Inc()
	return s.DB.WithContext(context.WithoutCancel(ctx)).Model(&Import{}).Where("id = ? AND status IN ?", imp.ID, []string{"queued", "running"}).
		Updates(map[string]any{"status": "failed", "failure": imp.Failure, "progress": 100, "finished_at": s.now()}).Error
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

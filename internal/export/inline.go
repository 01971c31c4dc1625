package export

import (
	"bytes"
	"context"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/bill"
	"partnercenter/internal/platform/blob"
	"partnercenter/internal/platform/i18n"
)

// CompleteInline produces a task's file within the caller's transaction
// and marks it done, without a job or progress updates. It holds the file
// in memory, so it is for small periods only (the demo data).
func CompleteInline(ctx context.Context, tx *gorm.DB, t *Task, now time.Time) error {
	p := t.Params()
	period := bill.ParsePeriod(p.Period)
	var buf bytes.Buffer
	var name, ctype string
	var err error
	var rows int64
	if t.Kind == KindBillPDF {
		name, ctype, err = encodePDF(ctx, tx, t, period, now, &buf)
	} else {
		src := func(each func(d *bill.Detail) error) error {
			return bill.StreamDetails(ctx, tx, t.PartnerID, period, each)
		}
		name, ctype, err = encodeDetails(t.Kind, i18n.Normalize(p.Lang), p.Period, src, &buf, func(n int64) error { rows = n; return nil })
	}
	if err != nil {
		return err
	}
	size := buf.Len()
	fileID, _, err := blob.Store(ctx, tx, &buf)
	if err != nil {
		return err
	}
	if err := tx.WithContext(ctx).Exec(`UPDATE export_tasks SET status = 'done', progress = 100, rows_done = ?, rows_total = ?,
		attempts = 1, file_name = ?, content_type = ?, file_size = ?, file_id = ?, error = '', started_at = ?, finished_at = ? WHERE id = ?`,
		rows, rows, name, ctype, size, fileID, now, now, t.ID).Error; err != nil {
		return err
	}
	return doneEvent(ctx, tx, t, name, now)
}

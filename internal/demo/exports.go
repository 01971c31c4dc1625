package demo

import (
	"context"
	"encoding/json"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/bill"
	"partnercenter/internal/export"
)

func init() {
	seeders = append(seeders, seedExports)
	afterSeed = append(afterSeed, queueDemoExport)
}

// seedExports gives 示例云科技's 导出记录 (seed 003 §12.1.9.9) a task in
// every state for sp_admin: two 已完成 with real files (bill details as
// xlsx and the bill as pdf, made from the demo consumption of the latest
// period) and one 失败 with its message; queueDemoExport adds a queued
// one with its real job, which the server's workers run (导出中 → 已完成)
// once `make run` serves.
func seedExports(ctx context.Context, tx *gorm.DB, w *World) error {
	sp := access.Member(w.Users[SPAdmin], w.SP, true)
	periods, err := bill.Service{DB: tx}.Periods(ctx, sp)
	if err != nil {
		return err
	}
	now := w.Now
	period := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	if len(periods) > 0 {
		period = periods[0]
	}
	total, err := bill.CountDetails(ctx, tx, w.SP, period)
	if err != nil {
		return err
	}
	user := w.Users[SPAdmin]
	params, _ := json.Marshal(export.Params{Period: period.Format(bill.PeriodFormat), Lang: "zh-CN"})
	insert := func(kind string, age time.Duration) (*export.Task, error) {
		t := &export.Task{PartnerID: w.SP, UserID: user, Kind: kind, ParamsJSON: params, Status: export.StatusQueued, CreatedAt: now.Add(-age)}
		err := tx.WithContext(ctx).Omit("CreatorName", "StartedAt", "FinishedAt").Create(t).Error
		return t, err
	}
	for _, d := range []struct {
		kind string
		age  time.Duration
	}{{export.KindBillXLSX, 26 * time.Hour}, {export.KindBillPDF, 3 * time.Hour}} {
		t, err := insert(d.kind, d.age)
		if err != nil {
			return err
		}
		if err := export.CompleteInline(ctx, tx, t, t.CreatedAt.Add(4*time.Second)); err != nil {
			return err
		}
	}
	failed, err := insert(export.KindBillXLSX, 2*time.Hour)
	if err != nil {
		return err
	}
	if err := tx.Exec(`UPDATE export_tasks SET status = 'failed', attempts = 3, progress = 35, rows_total = ?, rows_done = ?,
		error = 'export.err.generic', started_at = created_at, finished_at = created_at + interval '3 minutes' WHERE id = ?`,
		total, total*35/100, failed.ID).Error; err != nil {
		return err
	}
	return nil
}

// queueDemoExport creates a csv export of the latest period the way the
// page does (task, River job and audit row in one transaction).
func queueDemoExport(ctx context.Context, g *gorm.DB, w *World) error {
	p := &access.Principal{UserID: w.Users[SPAdmin], PartnerID: w.SP, IsMain: true, PartnerActive: true}
	periods, err := bill.Service{DB: g}.Periods(ctx, p)
	if err != nil || len(periods) == 0 {
		return err
	}
	_, err = export.Service{DB: g}.Create(ctx, p, export.KindBillCSV, periods[0].Format(bill.PeriodFormat))
	return err
}

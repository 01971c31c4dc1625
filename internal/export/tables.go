package export

import (
	"context"
	"encoding/json"
	"errors"
	"io"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/i18n"
	"partnercenter/internal/platform/jobs"
	"partnercenter/internal/platform/sheet"
)

// Kinds of table exports: a list a user downloads from its page.
const (
	KindCustomers  = "customers_xlsx"  // 客户管理 > 导出
	KindFundsLines = "funds_lines_csv" // 资金明细 > 导出当前记录
	KindAuditLog   = "audit_csv"       // 操作日志 > 导出
	// KindPerformance is 业绩明细 > 导出 (按业绩形成时间导出 / 导出当前记录).
	KindPerformance = "performance_xlsx"
	// KindIndicators is 指标信息 > 导出 (§12.1.8.1).
	KindIndicators = "indicators_xlsx"
	// KindIncentiveDetails is 激励明细 > 导出 (§12.1.5.4).
	KindIncentiveDetails = "incentive_details_xlsx"
)

// tableKinds are the list exports' kinds (their tasks live in 我的导出).
var tableKinds = map[string]bool{KindCustomers: true, KindFundsLines: true, KindAuditLog: true, KindPerformance: true,
	KindIndicators: true, KindIncentiveDetails: true}

// InlineRows is the most rows a table export streams within the request;
// a larger one becomes an export task worked in the background, shown with
// its progress in 我的导出 (/exports). (A variable for tests.)
var InlineRows = 5000

// TableSpec is one table export: how to build its rows from the acting
// principal and the request's parameters (a JSON-encoded filter). The row
// sources live in the domain packages; the specs are registered at start-up
// (web.NewServices), so export imports none of them.
type TableSpec struct {
	Format   sheet.Format
	FileName func(lang string) string // without extension
	// Build checks the principal and the filter and returns the table; it
	// runs in the request (to decide and for small exports) and again in
	// the worker for a task, so it must not change anything.
	Build func(ctx context.Context, p *access.Principal, filter json.RawMessage, lang string) (*sheet.Table, error)
	// AuditAction names the audit row of the export ("" → export.create).
	AuditAction string
	// AsTask makes every export of the kind a task, however small: the
	// seed's flow is a task in 导出记录 (§12.2.1 步骤6: 导出任务创建成功).
	AsTask bool
}

// Tables are the table exports by kind.
type Tables map[string]TableSpec

// Delivery is how Start delivers an export: Table to stream now, or the
// Task made for the worker.
type Delivery struct {
	Table  *sheet.Table
	Format sheet.Format
	Name   string
	Task   *Task
	// Large says the task was made because the table was too long to
	// stream within the request (not because its kind is always a task).
	Large bool
}

// errEnough stops a probe once it has seen enough rows.
var errEnough = errors.New("export: enough rows")

// buffered reads t's rows when it has at most n, reading at most n+1,
// and returns t over those rows in memory (the request streams them
// without reading them a second time), or nil when t has more.
func buffered(ctx context.Context, t *sheet.Table, n int) (*sheet.Table, error) {
	var rows [][]string
	err := t.Rows(ctx, func(cells []string) error {
		if len(rows) == n {
			return errEnough
		}
		rows = append(rows, append([]string(nil), cells...)) // the source may reuse cells
		return nil
	})
	if errors.Is(err, errEnough) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := *t
	out.Rows = func(ctx context.Context, each func([]string) error) error {
		for _, r := range rows {
			if err := each(r); err != nil {
				return err
			}
		}
		return nil
	}
	return &out, nil
}

// Start is the one place that decides how a table export is delivered:
// it builds the table for the principal (refusals and bad filters come
// back here, before anything is sent), records the export in the audit
// trail, and returns the table to stream when it has at most InlineRows
// rows (unless its kind is always a task, TableSpec.AsTask), else an
// export task with its River job (导出任务创建成功).
func (s Service) Start(ctx context.Context, p *access.Principal, kind string, filter any) (_ *Delivery, err error) {
	defer apperr.Wrap(&err, "export.Start(%s)", kind)
	partnerID, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	spec, ok := s.Tables[kind]
	if !ok {
		return nil, apperr.Invalid("export.err.kind")
	}
	raw, err := json.Marshal(filter)
	if err != nil {
		return nil, err
	}
	lang := i18n.Lang(ctx)
	t, err := spec.Build(ctx, p, raw, lang)
	if err != nil {
		return nil, err
	}
	var inline *sheet.Table
	if !spec.AsTask {
		if inline, err = buffered(ctx, t, InlineRows); err != nil {
			return nil, err
		}
	}
	small := inline != nil
	action := spec.AuditAction
	if action == "" {
		action = "export.create"
	}
	var after map[string]any
	_ = json.Unmarshal(raw, &after)
	change := audit.Change{At: s.Clock.Now(), PartnerID: partnerID, Action: action, ObjectType: "export",
		After: map[string]any{"kind": kind, "filter": after, "format": string(spec.Format), "background": !small}}
	if small {
		if err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return audit.Record(ctx, tx, change) }); err != nil {
			return nil, err
		}
		return &Delivery{Table: inline, Format: spec.Format, Name: spec.FileName(lang)}, nil
	}
	params, _ := json.Marshal(Params{Lang: lang, Filter: raw})
	task := &Task{PartnerID: partnerID, UserID: p.UserID, Kind: kind, ParamsJSON: params, Status: StatusQueued}
	err = jobs.WithTx(ctx, s.DB, func(tx *gorm.DB, enqueue jobs.Enqueue) error {
		if err := tx.Omit("CreatorName", "StartedAt", "FinishedAt", "CreatedAt").Create(task).Error; err != nil {
			return err
		}
		if _, err := enqueue(Args{TaskID: task.ID}, nil); err != nil {
			return err
		}
		change.ObjectType, change.ObjectID = "export_task", task.ID
		return audit.Record(ctx, tx, change)
	})
	if err != nil {
		return nil, err
	}
	return &Delivery{Task: task, Large: !spec.AsTask}, nil
}

// writeTable makes a table task's file: the table is built again for the
// task's creator (as it is now: a revoked permission or a changed scope
// applies), counted for the progress bar, then written row by row.
func (w *Worker) writeTable(ctx context.Context, t *Task, spec TableSpec, out io.Writer) (name, ctype string, err error) {
	if w.Principal == nil {
		return "", "", errors.New("export: the worker has no principal loader for table exports")
	}
	p, err := w.Principal(ctx, t.UserID)
	if err != nil {
		return "", "", err
	}
	if pid, err := p.Tenant(); err != nil || pid != t.PartnerID {
		return "", "", apperr.Forbidden()
	}
	params := t.Params()
	lang := i18n.Normalize(params.Lang)
	tb, err := spec.Build(ctx, p, params.Filter, lang)
	if err != nil {
		return "", "", err
	}
	var total int64
	if err := tb.Rows(ctx, func([]string) error { total++; return nil }); err != nil {
		return "", "", err
	}
	if spec.Format == sheet.XLSX && total > sheet.MaxXLSXRows {
		return "", "", apperr.Invalid("export.err.too_many_rows")
	}
	if err := w.setProgress(ctx, t, 0, total); err != nil {
		return "", "", err
	}
	_, err = sheet.Write(ctx, spec.Format, out, tb, func(n int64) error {
		if n%ProgressEvery == 0 {
			return w.setProgress(ctx, t, n, total)
		}
		return nil
	})
	if err != nil {
		return "", "", err
	}
	return spec.FileName(lang) + spec.Format.Ext(), spec.Format.ContentType(), nil
}

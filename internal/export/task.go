package export

import (
	"context"
	"encoding/json"
	"io"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/bill"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/blob"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/i18n"
	"partnercenter/internal/platform/jobs"
)

// Kinds of export tasks.
const (
	KindBillPDF  = "bill_pdf"         // 导出账单(pdf)
	KindBillXLSX = "bill_detail_xlsx" // 导出账单明细(xlsx)
	KindBillCSV  = "bill_detail_csv"  // 导出账单明细(csv)
)

// Kinds in button order.
var Kinds = []string{KindBillPDF, KindBillXLSX, KindBillCSV}

// States of a task.
const (
	StatusQueued  = "queued"
	StatusRunning = "running"
	StatusDone    = "done"
	StatusFailed  = "failed"
)

// PerPage is the page size of 导出记录.
const PerPage = 20

// Params are a task's conditions (params jsonb).
type Params struct {
	Period string          `json:"period,omitempty"` // billing period, 2006-01 (bill exports)
	Lang   string          `json:"lang"`             // language of headers and labels
	Filter json.RawMessage `json:"filter,omitempty"` // a table export's filter (TableSpec.Build)
}

// Task is one export_tasks row.
type Task struct {
	ID          int64
	PartnerID   int64
	UserID      int64
	Kind        string
	ParamsJSON  []byte `gorm:"column:params"`
	Status      string
	Progress    int
	RowsDone    int64
	RowsTotal   int64
	Attempts    int
	FileName    string
	ContentType string
	FileSize    int64
	FileID      *int64 // the file in the blob store
	Error       string
	CreatedAt   time.Time
	StartedAt   *time.Time
	FinishedAt  *time.Time
	CreatorName string `gorm:"->;column:creator_name"`
}

// TableName maps Task to export_tasks.
func (Task) TableName() string { return "export_tasks" }

// Params decodes the task's conditions.
func (t Task) Params() Params {
	var p Params
	_ = json.Unmarshal(t.ParamsJSON, &p)
	return p
}

// Active reports a task the page should keep polling.
func (t Task) Active() bool { return t.Status == StatusQueued || t.Status == StatusRunning }

// Args are the River job's arguments: only the task id (the task row
// holds everything else).
type Args struct {
	TaskID int64 `json:"task_id"`
}

// Kind is the River job kind.
func (Args) Kind() string { return "export_bill" }

// InsertOpts: at most three attempts; one job per task.
func (Args) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// Service is a tenant's export tasks: every method takes the acting
// partner member first and serves its tenant (access.Principal.Tenant);
// anyone else is refused.
type Service struct {
	DB     *gorm.DB
	Clock  clock.Clock
	Tables Tables // the table exports (Start)
}

func validKind(k string) bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// Create records an export task of the partner's bill of period and
// enqueues its job, in one transaction with the audit row (§12.1.9.9:
// the page then says 导出任务创建成功).
func (s Service) Create(ctx context.Context, p *access.Principal, kind, period string) (_ *Task, err error) {
	defer apperr.Wrap(&err, "export.Create")
	partnerID, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	if !validKind(kind) {
		return nil, apperr.Invalid("export.err.kind")
	}
	per := bill.ParsePeriod(period)
	if per.IsZero() {
		return nil, apperr.FieldError("period", "export.err.period")
	}
	params, _ := json.Marshal(Params{Period: per.Format(bill.PeriodFormat), Lang: i18n.Lang(ctx)})
	t := &Task{PartnerID: partnerID, UserID: p.UserID, Kind: kind, ParamsJSON: params, Status: StatusQueued}
	err = jobs.WithTx(ctx, s.DB, func(tx *gorm.DB, enqueue jobs.Enqueue) error {
		if err := tx.Omit("CreatorName", "StartedAt", "FinishedAt", "CreatedAt").Create(t).Error; err != nil {
			return err
		}
		if _, err := enqueue(Args{TaskID: t.ID}, nil); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{PartnerID: partnerID, Action: "export.create", ObjectType: "export_task",
			ObjectID: t.ID, After: map[string]any{"kind": kind, "period": per.Format(bill.PeriodFormat)}})
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// List is a page of the tenant's tasks, newest first (导出记录).
type List struct {
	Tasks []Task
	Total int64
	Page  int
}

func (s Service) scoped(ctx context.Context, partnerID int64) *gorm.DB {
	return s.DB.WithContext(ctx).Table("export_tasks t").Joins("LEFT JOIN users u ON u.id = t.user_id").
		Where("t.partner_id = ?", partnerID)
}

const taskColumns = `t.*, coalesce(nullif(u.display_name, ''), u.login_name, '') AS creator_name`

// Mine returns a page of the acting user's own export tasks of every
// kind (我的导出, /exports).
func (s Service) Mine(ctx context.Context, p *access.Principal, page int) (_ *List, err error) {
	defer apperr.Wrap(&err, "export.Mine")
	partnerID, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	if page <= 0 {
		page = 1
	}
	out := &List{Page: page}
	if err := s.scoped(ctx, partnerID).Where("t.user_id = ?", p.UserID).Count(&out.Total).Error; err != nil {
		return nil, err
	}
	err = s.scoped(ctx, partnerID).Where("t.user_id = ?", p.UserID).Select(taskColumns).Order("t.created_at DESC, t.id DESC").
		Limit(PerPage).Offset((page - 1) * PerPage).Scan(&out.Tasks).Error
	return out, err
}

// Recent are the acting user's own bill exports created since, newest
// first (at most 3): the bill page shows their progress where the user
// clicked 导出.
func (s Service) Recent(ctx context.Context, p *access.Principal, since time.Time) (_ []Task, err error) {
	defer apperr.Wrap(&err, "export.Recent")
	partnerID, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	var ts []Task
	err = s.scoped(ctx, partnerID).Select(taskColumns).
		Where("t.user_id = ? AND t.kind IN ? AND t.created_at >= ?", p.UserID, Kinds, since).
		Order("t.created_at DESC, t.id DESC").Limit(3).Scan(&ts).Error
	return ts, err
}

// GetMine returns one of the acting user's own tasks; anyone else's is
// not found.
func (s Service) GetMine(ctx context.Context, p *access.Principal, id int64) (_ *Task, err error) {
	defer apperr.Wrap(&err, "export.GetMine(%d)", id)
	t, err := s.Get(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if t.UserID != p.UserID {
		return nil, apperr.NotFound()
	}
	return t, nil
}

// DownloadMine is Download of one of the acting user's own tasks.
func (s Service) DownloadMine(ctx context.Context, p *access.Principal, id int64, head func(*Task) io.Writer) (err error) {
	defer apperr.Wrap(&err, "export.DownloadMine(%d)", id)
	if _, err := s.GetMine(ctx, p, id); err != nil {
		return err
	}
	return s.Download(ctx, p, id, head)
}

// List returns a page of the tenant's export tasks.
func (s Service) List(ctx context.Context, p *access.Principal, page int) (_ *List, err error) {
	defer apperr.Wrap(&err, "export.List")
	partnerID, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	if page <= 0 {
		page = 1
	}
	out := &List{Page: page}
	if err := s.scoped(ctx, partnerID).Count(&out.Total).Error; err != nil {
		return nil, err
	}
	err = s.scoped(ctx, partnerID).Select(taskColumns).Order("t.created_at DESC, t.id DESC").
		Limit(PerPage).Offset((page - 1) * PerPage).Scan(&out.Tasks).Error
	return out, err
}

// Get returns one task of the tenant; another tenant's is not found.
func (s Service) Get(ctx context.Context, p *access.Principal, id int64) (_ *Task, err error) {
	defer apperr.Wrap(&err, "export.Get(%d)", id)
	partnerID, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	var ts []Task
	if err := s.scoped(ctx, partnerID).Select(taskColumns).Where("t.id = ?", id).Scan(&ts).Error; err != nil {
		return nil, err
	}
	if len(ts) == 0 {
		return nil, apperr.NotFound()
	}
	return &ts[0], nil
}

// Download writes a done task's file to w (chunk by chunk, never the whole
// file in memory) after head has seen the task (to set headers). A task
// that is not done cannot be downloaded (§12.1.9.9: only 已完成).
func (s Service) Download(ctx context.Context, p *access.Principal, id int64, head func(*Task) io.Writer) error {
	t, err := s.Get(ctx, p, id)
	if err != nil {
		return err
	}
	if t.Status == StatusExpired {
		return apperr.Conflict("export.err.expired")
	}
	if t.Status != StatusDone {
		return apperr.Conflict("export.err.not_ready")
	}
	if t.FileID == nil {
		return apperr.Conflict("export.err.not_ready")
	}
	return blob.Copy(ctx, s.DB, *t.FileID, head(t))
}

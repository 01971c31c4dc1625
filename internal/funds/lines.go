package funds

import (
	"context"
	"partnercenter/internal/platform/apperr"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/ledger"
	"partnercenter/internal/platform/clock"
)

// PerPage is the default page size of the funds lists.
const PerPage = 20

// LineKinds are the transaction kinds a partner's 收支明细 shows, in
// filter order.
var LineKinds = []string{ledger.TxRecharge, ledger.TxTransfer, ledger.TxRecover, ledger.TxUnbindRecover,
	ledger.TxWithdraw, ledger.TxWithdrawRejected}

// AdjustmentKinds are the 调账类型 (seed 003 §12.1.3.10).
var AdjustmentKinds = []string{ledger.TxTransfer, ledger.TxRecover, ledger.TxUnbindRecover}

// Line is one line of 收支明细: an entry of the partner's cash account
// (充值账户, seed 003 §12.1.9.24). Amount is signed: income positive.
type Line struct {
	EntryID         int64
	TransactionID   int64
	At              time.Time
	Kind            string
	Amount          decimal.Decimal
	BalanceAfter    decimal.Decimal
	CustomerID      *int64
	CustomerName    string // empty when the customer deregistered (§12.1.9.23)
	CustomerAccount string
	Source          *string
	PayerName       string
	Reference       string
	Memo            string
	Operator        string
}

// LineFilter selects lines. Dates are days in China time, inclusive.
type LineFilter struct {
	Kind      string
	Direction string // "in", "out" or ""
	Customer  string // account name or customer name contains
	From, To  time.Time
	Page      int
	PerPage   int
}

// LineList is a page of lines.
type LineList struct {
	Lines []Line
	Total int64
	Page  int
}

func (f *LineFilter) normalize() {
	if f.Page <= 0 {
		f.Page = 1
	}
	if f.PerPage <= 0 || f.PerPage > 100 {
		f.PerPage = PerPage
	}
	ok := f.Kind == ""
	for _, k := range LineKinds {
		ok = ok || f.Kind == k
	}
	if !ok {
		f.Kind = ""
	}
	if f.Direction != "in" && f.Direction != "out" {
		f.Direction = ""
	}
	f.Customer = strings.TrimSpace(f.Customer)
}

// ParseDay reads a yyyy-mm-dd day in China time (zero time when empty or malformed).
func ParseDay(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(s), clock.China)
	if err != nil {
		return time.Time{}
	}
	return t
}

func likeEscape(s string) string {
	return "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s) + "%"
}

func (s Service) lineQuery(ctx context.Context, partnerID int64, f LineFilter) *gorm.DB {
	q := s.DB.WithContext(ctx).Table("ledger_entries e").
		Joins("JOIN ledger_accounts a ON a.id = e.account_id").
		Joins("JOIN ledger_transactions t ON t.id = e.transaction_id").
		Joins("LEFT JOIN customers c ON c.id = t.customer_id").
		Joins("LEFT JOIN users u ON u.id = t.created_by").
		Where("a.kind = ? AND a.partner_id = ?", ledger.KindPartnerCash, partnerID)
	if f.Kind != "" {
		q = q.Where("t.kind = ?", f.Kind)
	}
	switch f.Direction {
	case "in":
		q = q.Where("e.amount > 0")
	case "out":
		q = q.Where("e.amount < 0")
	}
	if f.Customer != "" {
		q = q.Where("(c.account_name ILIKE ? OR c.name ILIKE ?)", likeEscape(f.Customer), likeEscape(f.Customer))
	}
	if !f.From.IsZero() {
		q = q.Where("e.created_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("e.created_at < ?", f.To.AddDate(0, 0, 1).UTC())
	}
	return q
}

const lineColumns = `e.id AS entry_id, e.transaction_id, e.created_at AS at, t.kind, e.amount, e.balance_after,
	t.customer_id, coalesce(c.name, '') AS customer_name, coalesce(c.account_name, '') AS customer_account,
	t.source, t.payer_name, t.reference, t.memo, coalesce(nullif(u.display_name, ''), u.login_name, '') AS operator`

// Lines is a page of 收支明细, newest first.
func (s Service) Lines(ctx context.Context, p *access.Principal, f LineFilter) (_ *LineList, err error) {
	defer apperr.Wrap(&err, "funds.Lines")
	partnerID, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	f.normalize()
	out := &LineList{Page: f.Page}
	if err := s.lineQuery(ctx, partnerID, f).Count(&out.Total).Error; err != nil {
		return nil, err
	}
	err = s.lineQuery(ctx, partnerID, f).Select(lineColumns).Order("e.id DESC").
		Limit(f.PerPage).Offset((f.Page - 1) * f.PerPage).Scan(&out.Lines).Error
	return out, err
}

// ExportLines streams every line matching f (no paging) to fn, newest
// first, reading row by row so a long history is never held in memory.
func (s Service) ExportLines(ctx context.Context, p *access.Principal, f LineFilter, fn func(Line) error) error {
	partnerID, err := p.Tenant()
	if err != nil {
		return err
	}
	f.normalize()
	rows, err := s.lineQuery(ctx, partnerID, f).Select(lineColumns).Order("e.id DESC").Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var l Line
		if err := s.DB.ScanRows(rows, &l); err != nil {
			return err
		}
		if err := fn(l); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Adjustment is one row of 调账记录: a transfer, recovery or unbinding
// recovery with its counterpart customer.
type Adjustment struct {
	ID              int64
	At              time.Time
	Kind            string
	Amount          decimal.Decimal
	CustomerID      int64
	CustomerName    string
	CustomerAccount string
	Operator        string
	Memo            string
}

// AdjustmentFilter selects 调账记录.
type AdjustmentFilter struct {
	Kind     string
	Customer string
	From, To time.Time
	Page     int
	PerPage  int
}

// AdjustmentList is a page of 调账记录.
type AdjustmentList struct {
	Rows  []Adjustment
	Total int64
	Page  int
	Sum   decimal.Decimal // Σ amounts of the filtered rows
}

// Adjustments is 调账记录, newest first, filterable by type (拨款 / 回收 /
// 解除关联回收, seed 003 §12.1.3.10), customer and dates.
func (s Service) Adjustments(ctx context.Context, p *access.Principal, f AdjustmentFilter) (_ *AdjustmentList, err error) {
	defer apperr.Wrap(&err, "funds.Adjustments")
	partnerID, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	if f.Page <= 0 {
		f.Page = 1
	}
	if f.PerPage <= 0 || f.PerPage > 100 {
		f.PerPage = PerPage
	}
	kinds := AdjustmentKinds
	for _, k := range AdjustmentKinds {
		if f.Kind == k {
			kinds = []string{k}
		}
	}
	q := func() *gorm.DB {
		q := s.DB.WithContext(ctx).Table("ledger_transactions t").
			Joins("LEFT JOIN customers c ON c.id = t.customer_id").
			Joins("LEFT JOIN users u ON u.id = t.created_by").
			Where("t.partner_id = ? AND t.kind IN ?", partnerID, kinds)
		if c := strings.TrimSpace(f.Customer); c != "" {
			q = q.Where("(c.account_name ILIKE ? OR c.name ILIKE ?)", likeEscape(c), likeEscape(c))
		}
		if !f.From.IsZero() {
			q = q.Where("t.created_at >= ?", f.From.UTC())
		}
		if !f.To.IsZero() {
			q = q.Where("t.created_at < ?", f.To.AddDate(0, 0, 1).UTC())
		}
		return q
	}
	out := &AdjustmentList{Page: f.Page}
	var agg struct {
		N   int64
		Sum decimal.Decimal
	}
	if err := q().Select("count(*) AS n, coalesce(sum(t.amount), 0) AS sum").Scan(&agg).Error; err != nil {
		return nil, err
	}
	out.Total, out.Sum = agg.N, agg.Sum
	err = q().Select(`t.id, t.created_at AS at, t.kind, t.amount, t.customer_id, coalesce(c.name, '') AS customer_name,
		coalesce(c.account_name, '') AS customer_account, t.memo,
		coalesce(nullif(u.display_name, ''), u.login_name, '') AS operator`).
		Order("t.id DESC").Limit(f.PerPage).Offset((f.Page - 1) * f.PerPage).Scan(&out.Rows).Error
	return out, err
}

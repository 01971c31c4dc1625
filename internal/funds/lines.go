package funds

import (
	"context"
	"partnercenter/internal/platform/apperr"
	"strings"
	"time"

	"github.com/shopspring/decimal"

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
type Line = ledger.StatementLine

// LineFilter selects lines. Dates are days in China time, inclusive.
type LineFilter struct {
	Kind      string
	Direction string // "in", "out" or ""
	Customer  string // account name or customer name contains
	From, To  time.Time
	Oldest    bool // oldest first (default: newest first)
	Page      int
	PerPage   int
}

// LineList is a page of lines.
type LineList struct {
	Lines []Line
	Total int64
	// Capped: there are more than Total (db.MaxCount) lines.
	Capped bool
	Page   int
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

// statementOf is the ledger's query for the partner's lines matching f.
func statementOf(partnerID int64, f LineFilter) ledger.StatementQuery {
	q := ledger.StatementQuery{PartnerID: partnerID, Kind: f.Kind, Direction: f.Direction, From: f.From, Oldest: f.Oldest}
	if f.Customer != "" {
		q.CustomerLike = likeEscape(f.Customer)
	}
	if !f.To.IsZero() {
		q.Until = f.To.AddDate(0, 0, 1)
	}
	return q
}

// Lines is a page of 收支明细, newest first.
func (s Service) Lines(ctx context.Context, p *access.Principal, f LineFilter) (_ *LineList, err error) {
	defer apperr.Wrap(&err, "funds.Lines")
	partnerID, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	f.normalize()
	out := &LineList{Page: f.Page}
	out.Lines, out.Total, out.Capped, err = ledger.Statement(ctx, s.DB, statementOf(partnerID, f), f.PerPage, (f.Page-1)*f.PerPage)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ExportLines streams every line matching f (no paging) to fn, newest
// first, reading row by row so a long history is never held in memory.
func (s Service) ExportLines(ctx context.Context, p *access.Principal, f LineFilter, fn func(Line) error) error {
	partnerID, err := p.Tenant()
	if err != nil {
		return err
	}
	f.normalize()
	return ledger.StreamStatement(ctx, s.DB, statementOf(partnerID, f), fn)
}

// Adjustment is one row of 调账记录: a transfer, recovery or unbinding
// recovery with its counterpart customer.
type Adjustment = ledger.CustomerTransaction

// AdjustmentFilter selects 调账记录.
type AdjustmentFilter struct {
	Kind     string
	Customer string
	From, To time.Time
	Oldest   bool // oldest first (default: newest first)
	Page     int
	PerPage  int
}

// AdjustmentList is a page of 调账记录.
type AdjustmentList struct {
	Rows  []Adjustment
	Total int64
	Page  int
	// Sums are the filtered rows' totals by 调账类型: 拨款 is money out to
	// customers, 回收 and 解除关联回收 money back in; they are shown apart.
	Sums map[string]decimal.Decimal
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
	q := ledger.TransactionQuery{PartnerID: partnerID, Kinds: kinds, From: f.From, Oldest: f.Oldest}
	if c := strings.TrimSpace(f.Customer); c != "" {
		q.CustomerLike = likeEscape(c)
	}
	if !f.To.IsZero() {
		q.Until = f.To.AddDate(0, 0, 1)
	}
	out := &AdjustmentList{Page: f.Page}
	out.Rows, out.Total, out.Sums, err = ledger.Transactions(ctx, s.DB, q, f.PerPage, (f.Page-1)*f.PerPage)
	if err != nil {
		return nil, err
	}
	return out, nil
}

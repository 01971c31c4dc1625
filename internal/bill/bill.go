package bill

import (
	"context"
	"database/sql"
	"github.com/shopspring/decimal"
	"strings"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/consumption"
	"partnercenter/internal/platform/apperr"
)

// Bill types of consumption_records.
const (
	TypeConsumption = "consumption"
	TypeRefund      = "refund"
	TypeAdjustment  = "adjustment"
)

// Types are the 明细 tabs in order.
var Types = []string{TypeConsumption, TypeRefund, TypeAdjustment}

// PerPage is the page size of the bill's lists.
const PerPage = 20

// Service reads partner bills: every method takes the acting partner
// member first and reads its tenant's rows only (access.Principal.Tenant).
type Service struct {
	DB *gorm.DB
}

// PeriodFormat is how a billing period is written in URLs and files.
const PeriodFormat = "2006-01"

// ParsePeriod reads "2006-01" (the zero time when malformed).
func ParsePeriod(s string) time.Time {
	t, err := time.Parse(PeriodFormat, strings.TrimSpace(s))
	if err != nil || t.Year() < 2000 || t.Year() > 2999 {
		return time.Time{}
	}
	return t
}

// Periods are the billing periods with rows for the partner, newest
// first (consumption.BillingPeriods: one index probe per period).
func (s Service) Periods(ctx context.Context, p *access.Principal) (_ []time.Time, err error) {
	defer apperr.Wrap(&err, "bill.Periods")
	partnerID, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	return consumption.BillingPeriods(ctx, s.DB, partnerID)
}

// PeriodAmount is one period's consumption amount (a bar of a trend).
type PeriodAmount struct {
	Period time.Time
	Amount decimal.Decimal
}

// Trend is the consumption amount of the partner's latest n billing
// periods, oldest first: two queries whatever n (the periods, then their
// sums), for the home page's trend.
func (s Service) Trend(ctx context.Context, p *access.Principal, n int) (_ []PeriodAmount, err error) {
	defer apperr.Wrap(&err, "bill.Trend")
	partnerID, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	periods, err := consumption.BillingPeriods(ctx, s.DB, partnerID) // newest first
	if err != nil || len(periods) == 0 {
		return nil, err
	}
	if len(periods) > n {
		periods = periods[:n]
	}
	sums, err := consumption.AmountsSince(ctx, s.DB, partnerID, periods[len(periods)-1])
	if err != nil {
		return nil, err
	}
	out := make([]PeriodAmount, 0, len(periods))
	for i := len(periods) - 1; i >= 0; i-- {
		out = append(out, PeriodAmount{Period: periods[i], Amount: sums[periods[i]]})
	}
	return out, nil
}

// Totals are the sums of a set of rows (Amount = cash + voucher + card +
// arrears; Discount and RoundingOff keep 8 places).
type Totals = consumption.RollupTotals

// Summary is the overview of one period.
type Summary struct {
	Period time.Time
	Total  Totals            // every row: consumption, refunds and adjustments
	ByType map[string]Totals // per bill type (missing types are zero)
}

// Summary totals the partner's period by bill type.
func (s Service) Summary(ctx context.Context, p *access.Principal, period time.Time) (_ *Summary, err error) {
	defer apperr.Wrap(&err, "bill.Summary")
	partnerID, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	byType, err := consumption.PeriodTotals(ctx, s.DB, partnerID, period)
	if err != nil {
		return nil, err
	}
	out := &Summary{Period: period, ByType: map[string]Totals{}}
	for t, tt := range byType {
		out.ByType[t] = tt
		out.Total = out.Total.Add(tt)
	}
	return out, nil
}

// Line is one row of a 明细 tab: the rows of one product type, resource
// type and billing mode.
type Line = consumption.ProductLine

// LineList is a page of lines.
type LineList struct {
	Lines []Line
	Total int64
	Page  int
}

// Lines aggregates one bill type of the period, largest amounts first.
func (s Service) Lines(ctx context.Context, p *access.Principal, period time.Time, billType string, page int) (_ *LineList, err error) {
	defer apperr.Wrap(&err, "bill.Lines")
	partnerID, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	if !validType(billType) {
		billType = TypeConsumption
	}
	if page <= 0 {
		page = 1
	}
	out := &LineList{Page: page}
	out.Lines, out.Total, err = consumption.PeriodLines(ctx, s.DB, partnerID, period, billType, PerPage, (page-1)*PerPage)
	return out, err
}

func validType(t string) bool {
	for _, x := range Types {
		if x == t {
			return true
		}
	}
	return false
}

// ProductAmount is one bar of the chart.
type ProductAmount = consumption.ProductAmount

// ByProduct is the period's consumption (bill type 消费) by product type,
// largest first, at most limit bars (the rest summed in the last one's
// place is left to the caller).
func (s Service) ByProduct(ctx context.Context, p *access.Principal, period time.Time, limit int) (_ []ProductAmount, err error) {
	defer apperr.Wrap(&err, "bill.ByProduct")
	partnerID, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	return consumption.PeriodByProduct(ctx, s.DB, partnerID, period, limit)
}

// CustomerFilter selects rows of 消费汇总.
type CustomerFilter struct {
	Q    string // customer name or account contains
	Mode string // association type: resale, consulting or ""
	Page int
}

// CustomerRow is one customer and association type of the period, with
// the sum of its refund rows (Refunds ≤ 0).
type CustomerRow = consumption.CustomerTotals

// CustomerList is a page of 消费汇总.
type CustomerList struct {
	Rows  []CustomerRow
	Total int64
	Page  int
}

func likeEscape(s string) string {
	return "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s) + "%"
}

// Customers is 消费汇总: per customer and association type, largest
// amounts first.
func (s Service) Customers(ctx context.Context, p *access.Principal, period time.Time, f CustomerFilter) (_ *CustomerList, err error) {
	defer apperr.Wrap(&err, "bill.Customers")
	partnerID, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	if f.Page <= 0 {
		f.Page = 1
	}
	f.Q = strings.TrimSpace(f.Q)
	if f.Mode != "resale" && f.Mode != "consulting" {
		f.Mode = ""
	}
	q := consumption.CustomerQuery{Mode: f.Mode, Limit: PerPage, Offset: (f.Page - 1) * PerPage}
	if f.Q != "" {
		q.Like = likeEscape(f.Q)
	}
	out := &CustomerList{Page: f.Page}
	out.Rows, out.Total, err = consumption.PeriodCustomers(ctx, s.DB, partnerID, period, q)
	return out, err
}

// Detail is one line of 消费明细 (§3.21). Amounts are PostgreSQL's exact
// text of the NUMERIC columns.
type Detail = consumption.LineDetail

// ReadOnly are the options of the snapshot an export reads in: the count
// and the rows agree.
var ReadOnly = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}

// CountDetails is the number of lines of the period, from the rollups
// (run it in the same snapshot as StreamDetails: the trigger writes the
// rollups in the lines' transaction, so both agree).
func CountDetails(ctx context.Context, tx *gorm.DB, partnerID int64, period time.Time) (int64, error) {
	return consumption.CountPeriodLines(ctx, tx, partnerID, period)
}

// StreamDetails calls fn for every line of the period in transaction
// order. Rows are read one at a time from the server (rows.Next): memory
// does not grow with the period. d is reused between calls.
func StreamDetails(ctx context.Context, tx *gorm.DB, partnerID int64, period time.Time, fn func(d *Detail) error) error {
	return consumption.StreamPeriodLines(ctx, tx, partnerID, period, fn)
}

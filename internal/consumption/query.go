package consumption

import (
	"context"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/platform/clock"
)

// PerPage is the page size of the consumption lists.
const PerPage = 20

// Service reads a tenant's consumption.
type Service struct {
	DB    *gorm.DB
	Clock clock.Clock
}

// Filter narrows the consumption lists. Period is the billing month
// (zero: the latest month with data).
type Filter struct {
	Period   time.Time
	Customer string // name or account, partial
	Mode     string // resale | consulting | ""
	BillType string // consumption | refund | adjustment | ""
	OrderNo  string
	Page     int
}

// Totals are the money columns of a summary (§12.1.9.8: consumption =
// cash + voucher + stored-value card + arrears).
type Totals struct {
	Charged     decimal.Decimal
	Cash        decimal.Decimal
	Voucher     decimal.Decimal
	Card        decimal.Decimal
	Arrears     decimal.Decimal
	Discount    decimal.Decimal
	RoundingOff decimal.Decimal
}

// SummaryRow is one customer of 消费汇总.
type SummaryRow struct {
	CustomerID   int64
	CustomerName string
	AccountName  string
	Mode         string
	Lines        int64
	Totals
}

// Summary is 消费汇总 of a period.
type Summary struct {
	Period time.Time
	Rows   []SummaryRow
	Sum    Totals
	Total  int64
	Page   int
}

// DetailRow is one line of 消费明细.
type DetailRow struct {
	ID             int64
	BillingPeriod  time.Time
	TransactionAt  time.Time
	CustomerName   string
	AccountName    string
	Mode           string
	BillType       string
	OrderNo        string
	ProductType    string
	ProductName    string
	ResourceType   string
	ResourceID     string
	Region         string
	BillingMode    string
	ListPrice      decimal.Decimal
	DiscountAmount decimal.Decimal
	AmountPayable  decimal.Decimal
	ChargedAmount  decimal.Decimal
	RoundingOff    decimal.Decimal
	CashPaid       decimal.Decimal
	VoucherPaid    decimal.Decimal
	CardPaid       decimal.Decimal
	Arrears        decimal.Decimal
}

// Details is a page of 消费明细.
type Details struct {
	Period time.Time
	Rows   []DetailRow
	Total  int64
	Capped bool
	Page   int
}

// OrderRow is one order of 客户订单: its lines grouped by order number.
type OrderRow struct {
	OrderNo      string
	CustomerName string
	AccountName  string
	Mode         string
	ProductType  string
	BillingMode  string
	FirstAt      time.Time
	LastAt       time.Time
	Charged      decimal.Decimal
	Refunded     decimal.Decimal // ≤ 0
	Lines        int64
}

// Status is 已支付 paid, 部分退订 partly unsubscribed or 已退订 unsubscribed.
func (o OrderRow) Status() string {
	switch {
	case o.Refunded.IsZero():
		return "paid"
	case o.Charged.Add(o.Refunded).LessThanOrEqual(decimal.Zero):
		return "unsubscribed"
	default:
		return "partly_unsubscribed"
	}
}

// Orders is a page of 客户订单.
type Orders struct {
	Period time.Time
	Rows   []OrderRow
	Total  int64
	Page   int
}

// LatestPeriod is the newest billing month with consumption for the
// tenant (zero when there is none).
func (s Service) LatestPeriod(ctx context.Context, p *access.Principal) (_ time.Time, err error) {
	defer apperr.Wrap(&err, "consumption.LatestPeriod")
	pid, err := p.Tenant()
	if err != nil {
		return time.Time{}, err
	}
	var t *time.Time
	err = s.DB.WithContext(ctx).Raw(`SELECT max(billing_period) FROM consumption_records WHERE partner_id = ?`, pid).Scan(&t).Error
	if err != nil || t == nil {
		return time.Time{}, err
	}
	return t.UTC(), nil
}

// base is the tenant's lines of the period (table consumption_records) or
// their per-customer sums (consumption_rollups), in the principal's scope.
func (s Service) base(ctx context.Context, p *access.Principal, f *Filter, table string) (*gorm.DB, error) {
	return s.filtered(ctx, p, f, table, true)
}

// filtered is base with the customers join only when joinCustomers or the
// customer filter needs it (counting and paging lines need no names).
func (s Service) filtered(ctx context.Context, p *access.Principal, f *Filter, table string, joinCustomers bool) (*gorm.DB, error) {
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	if f.Period.IsZero() {
		latest, err := s.LatestPeriod(ctx, p)
		if err != nil {
			return nil, err
		}
		f.Period = latest
		if latest.IsZero() {
			f.Period = firstOfMonth(s.Clock.Now())
		}
	}
	if f.Page < 1 {
		f.Page = 1
	}
	q := s.DB.WithContext(ctx).Table(table+" r").
		Where("r.partner_id = ? AND r.billing_period = ?", pid, f.Period.Format("2006-01-02"))
	if joinCustomers || strings.TrimSpace(f.Customer) != "" {
		q = q.Joins("JOIN customers c ON c.id = r.customer_id")
	}
	if cond, args := p.CustomerCondition("r.customer_id"); cond != "" {
		q = q.Where(cond, args...)
	}
	if f.Mode == "resale" || f.Mode == "consulting" {
		q = q.Where("r.mode = ?", f.Mode)
	}
	switch f.BillType {
	case "consumption", "refund", "adjustment":
		q = q.Where("r.bill_type = ?", f.BillType)
	default:
		f.BillType = ""
	}
	if v := strings.TrimSpace(f.Customer); v != "" {
		like := db.Contains(v)
		q = q.Where("(c.name ILIKE ? OR c.account_name ILIKE ?)", like, like)
	}
	if v := strings.TrimSpace(f.OrderNo); v != "" {
		q = q.Where("r.order_no ILIKE ?", db.EscapeLike(v)+"%")
	}
	return q, nil
}

func firstOfMonth(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

const totalsSQL = `coalesce(sum(r.charged_amount), 0) AS charged, coalesce(sum(r.cash_paid), 0) AS cash,
	coalesce(sum(r.voucher_paid), 0) AS voucher, coalesce(sum(r.card_paid), 0) AS card,
	coalesce(sum(r.arrears), 0) AS arrears, coalesce(sum(r.discount_amount), 0) AS discount,
	coalesce(sum(r.rounding_off), 0) AS rounding_off`

// Summary is 消费汇总: one row per customer and association type, biggest
// consumers first.
func (s Service) Summary(ctx context.Context, p *access.Principal, f Filter) (_ *Summary, err error) {
	defer apperr.Wrap(&err, "consumption.Summary")
	f.OrderNo = ""
	q, err := s.base(ctx, p, &f, "consumption_rollups")
	if err != nil {
		return nil, err
	}
	out := &Summary{Period: f.Period, Page: f.Page}
	if err := q.Session(&gorm.Session{}).Select(totalsSQL).Scan(&out.Sum).Error; err != nil {
		return nil, err
	}
	grouped := q.Session(&gorm.Session{}).Group("r.customer_id, c.name, c.account_name, r.mode")
	if err := s.DB.WithContext(ctx).Table("(?) g", grouped.Select("1")).Count(&out.Total).Error; err != nil {
		return nil, err
	}
	err = grouped.Select(`r.customer_id, c.name AS customer_name, c.account_name, r.mode, sum(r.lines) AS lines, ` + totalsSQL).
		Order("charged DESC, r.customer_id").Limit(PerPage).Offset((f.Page - 1) * PerPage).Scan(&out.Rows).Error
	return out, err
}

// Details is 消费明细: lines newest first.
func (s Service) Details(ctx context.Context, p *access.Principal, f Filter) (_ *Details, err error) {
	defer apperr.Wrap(&err, "consumption.Details")
	q, err := s.filtered(ctx, p, &f, "consumption_records", false)
	if err != nil {
		return nil, err
	}
	out := &Details{Period: f.Period, Page: f.Page}
	if out.Total, out.Capped, err = db.CappedCount(q.Session(&gorm.Session{})); err != nil {
		return nil, err
	}
	// The page's ids first (the period index, newest first), then only
	// those lines with their columns.
	var ids []int64
	if err := q.Order("r.transaction_at DESC, r.id DESC").Limit(PerPage).Offset((f.Page-1)*PerPage).Pluck("r.id", &ids).Error; err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return out, nil
	}
	err = s.DB.WithContext(ctx).Table("consumption_records r").Joins("JOIN customers c ON c.id = r.customer_id").Where("r.id IN ?", ids).
		Select(`r.id, r.billing_period, r.transaction_at, c.name AS customer_name, c.account_name, r.mode, r.bill_type,
			r.order_no, r.product_type, r.product_name, r.resource_type, r.resource_id, r.region, r.billing_mode,
			r.list_price, r.discount_amount, r.amount_payable, r.charged_amount, r.rounding_off,
			r.cash_paid, r.voucher_paid, r.card_paid, r.arrears`).
		Order("r.transaction_at DESC, r.id DESC").Scan(&out.Rows).Error
	return out, err
}

// Orders is 客户订单: the period's lines that carry an order number,
// grouped by order.
func (s Service) Orders(ctx context.Context, p *access.Principal, f Filter) (_ *Orders, err error) {
	defer apperr.Wrap(&err, "consumption.Orders")
	f.BillType = ""
	q, err := s.base(ctx, p, &f, "consumption_records")
	if err != nil {
		return nil, err
	}
	out := &Orders{Period: f.Period, Page: f.Page}
	grouped := q.Where("r.order_no <> ''").Group("r.order_no, r.customer_id, c.name, c.account_name, r.mode")
	if err := s.DB.WithContext(ctx).Table("(?) g", grouped.Session(&gorm.Session{}).Select("1")).Count(&out.Total).Error; err != nil {
		return nil, err
	}
	err = grouped.Select(`r.order_no, c.name AS customer_name, c.account_name, r.mode,
			min(r.product_type) AS product_type, min(r.billing_mode) AS billing_mode,
			min(r.transaction_at) AS first_at, max(r.transaction_at) AS last_at,
			coalesce(sum(r.charged_amount) FILTER (WHERE r.bill_type <> 'refund'), 0) AS charged,
			coalesce(sum(r.charged_amount) FILTER (WHERE r.bill_type = 'refund'), 0) AS refunded,
			count(*) AS lines`).
		Order("first_at DESC, r.order_no").Limit(PerPage).Offset((f.Page - 1) * PerPage).Scan(&out.Rows).Error
	return out, err
}

// Imports lists the vendor's imports, newest first.
func (s Importer) List(ctx context.Context, p *access.Principal, page int) (_ []Import, _ int64, err error) {
	defer apperr.Wrap(&err, "consumption.Importer.List")
	if _, err := p.Staff(); err != nil {
		return nil, 0, err
	}
	if page < 1 {
		page = 1
	}
	var total int64
	g := s.DB.WithContext(ctx).Model(&Import{})
	if err := g.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var rows []Import
	err = s.DB.WithContext(ctx).Order("created_at DESC, id DESC").Limit(PerPage).Offset((page - 1) * PerPage).Find(&rows).Error
	return rows, total, err
}

// Get returns one import and a page of its rejects.
func (s Importer) Get(ctx context.Context, p *access.Principal, id int64, page int) (_ *Import, _ []Reject, _ int64, err error) {
	defer apperr.Wrap(&err, "consumption.Importer.Get(%d)", id)
	if _, err := p.Staff(); err != nil {
		return nil, nil, 0, err
	}
	var imp Import
	if err := s.DB.WithContext(ctx).Where("id = ?", id).Take(&imp).Error; err != nil {
		return nil, nil, 0, err
	}
	if page < 1 {
		page = 1
	}
	var total int64
	g := s.DB.WithContext(ctx).Table("consumption_import_rejects").Where("import_id = ?", id)
	if err := g.Count(&total).Error; err != nil {
		return nil, nil, 0, err
	}
	var rejects []Reject
	err = s.DB.WithContext(ctx).Table("consumption_import_rejects").Where("import_id = ?", id).
		Select(`line_no, column_name AS "column", message_key AS message, value`).
		Order("line_no, column_name").Limit(50).Offset((page - 1) * 50).Scan(&rejects).Error
	return &imp, rejects, total, err
}

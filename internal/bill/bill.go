package bill

import (
	"context"
	"database/sql"
	"partnercenter/internal/platform/apperr"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"partnercenter/internal/access"
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
// first. A recursive loose index scan: one index probe per period
// instead of reading every row.
func (s Service) Periods(ctx context.Context, p *access.Principal) (_ []time.Time, err error) {
	defer apperr.Wrap(&err, "bill.Periods")
	partnerID, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	var out []time.Time
	err = s.DB.WithContext(ctx).Raw(`
		WITH RECURSIVE p AS (
			(SELECT billing_period FROM consumption_records WHERE partner_id = ? ORDER BY billing_period DESC LIMIT 1)
			UNION ALL
			SELECT (SELECT r.billing_period FROM consumption_records r
			        WHERE r.partner_id = ? AND r.billing_period < p.billing_period
			        ORDER BY r.billing_period DESC LIMIT 1)
			FROM p WHERE p.billing_period IS NOT NULL
		)
		SELECT billing_period FROM p WHERE billing_period IS NOT NULL`, partnerID, partnerID).Scan(&out).Error
	for i := range out {
		out[i] = time.Date(out[i].Year(), out[i].Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	return out, err
}

// Totals are the sums of a set of rows.
type Totals struct {
	Rows        int64
	Amount      decimal.Decimal // 消费金额: Σ charged_amount = cash + voucher + card + arrears
	Cash        decimal.Decimal
	Voucher     decimal.Decimal
	Card        decimal.Decimal
	Arrears     decimal.Decimal
	Discount    decimal.Decimal // 折扣优惠 / 本月已优惠: Σ discount_amount (8 places)
	RoundingOff decimal.Decimal // 抹零: Σ rounding_off (8 places)
}

// totalsColumns sum consumption_rollups (migrations/00010): one row per
// customer, product and mode of a period, kept exact by a trigger, so a
// period of a million lines is a few hundred rows here.
const totalsColumns = `coalesce(sum(lines), 0) AS rows,
	coalesce(sum(charged_amount), 0) AS amount, coalesce(sum(cash_paid), 0) AS cash,
	coalesce(sum(voucher_paid), 0) AS voucher, coalesce(sum(card_paid), 0) AS card,
	coalesce(sum(arrears), 0) AS arrears, coalesce(sum(discount_amount), 0) AS discount,
	coalesce(sum(rounding_off), 0) AS rounding_off`

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
	var rows []struct {
		BillType string
		Totals
	}
	err = s.DB.WithContext(ctx).Raw(`SELECT bill_type, `+totalsColumns+`
		FROM consumption_rollups WHERE partner_id = ? AND billing_period = ? GROUP BY bill_type`,
		partnerID, period.Format("2006-01-02")).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := &Summary{Period: period, ByType: map[string]Totals{}}
	for _, r := range rows {
		out.ByType[r.BillType] = r.Totals
		out.Total = out.Total.add(r.Totals)
	}
	return out, nil
}

func (t Totals) add(o Totals) Totals {
	return Totals{Rows: t.Rows + o.Rows, Amount: t.Amount.Add(o.Amount), Cash: t.Cash.Add(o.Cash),
		Voucher: t.Voucher.Add(o.Voucher), Card: t.Card.Add(o.Card), Arrears: t.Arrears.Add(o.Arrears),
		Discount: t.Discount.Add(o.Discount), RoundingOff: t.RoundingOff.Add(o.RoundingOff)}
}

// Line is one row of a 明细 tab: the rows of one product type, resource
// type and billing mode.
type Line struct {
	ProductType  string
	ResourceType string
	BillingMode  string
	Totals
}

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
	where := `FROM consumption_rollups WHERE partner_id = ? AND billing_period = ? AND bill_type = ?`
	args := []any{partnerID, period.Format("2006-01-02"), billType}
	db := s.DB.WithContext(ctx)
	if err := db.Raw(`SELECT count(*) FROM (SELECT 1 `+where+` GROUP BY product_type, resource_type, billing_mode) g`, args...).
		Scan(&out.Total).Error; err != nil {
		return nil, err
	}
	err = db.Raw(`SELECT product_type, resource_type, billing_mode, `+totalsColumns+` `+where+`
		GROUP BY product_type, resource_type, billing_mode
		ORDER BY abs(sum(charged_amount)) DESC, product_type, resource_type, billing_mode
		LIMIT ? OFFSET ?`, append(args, PerPage, (page-1)*PerPage)...).Scan(&out.Lines).Error
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
type ProductAmount struct {
	ProductType string
	Amount      decimal.Decimal
}

// ByProduct is the period's consumption (bill type 消费) by product type,
// largest first, at most limit bars (the rest summed in the last one's
// place is left to the caller).
func (s Service) ByProduct(ctx context.Context, p *access.Principal, period time.Time, limit int) (_ []ProductAmount, err error) {
	defer apperr.Wrap(&err, "bill.ByProduct")
	partnerID, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	var out []ProductAmount
	err = s.DB.WithContext(ctx).Raw(`SELECT product_type, sum(charged_amount) AS amount
		FROM consumption_rollups WHERE partner_id = ? AND billing_period = ? AND bill_type = 'consumption'
		GROUP BY product_type ORDER BY sum(charged_amount) DESC, product_type LIMIT ?`,
		partnerID, period.Format("2006-01-02"), limit).Scan(&out).Error
	return out, err
}

// CustomerFilter selects rows of 消费汇总.
type CustomerFilter struct {
	Q    string // customer name or account contains
	Mode string // association type: resale, consulting or ""
	Page int
}

// CustomerRow is one customer and association type of the period.
type CustomerRow struct {
	CustomerID int64
	Name       string
	Account    string
	Mode       string
	Totals
	Refunds decimal.Decimal // Σ charged_amount of its refund rows (≤ 0)
}

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
	where := `FROM consumption_rollups r JOIN customers c ON c.id = r.customer_id
		WHERE r.partner_id = ? AND r.billing_period = ?`
	args := []any{partnerID, period.Format("2006-01-02")}
	if f.Mode != "" {
		where += ` AND r.mode = ?`
		args = append(args, f.Mode)
	}
	if f.Q != "" {
		where += ` AND (c.name ILIKE ? OR c.account_name ILIKE ?)`
		args = append(args, likeEscape(f.Q), likeEscape(f.Q))
	}
	out := &CustomerList{Page: f.Page}
	db := s.DB.WithContext(ctx)
	if err := db.Raw(`SELECT count(*) FROM (SELECT 1 `+where+` GROUP BY r.customer_id, r.mode) g`, args...).
		Scan(&out.Total).Error; err != nil {
		return nil, err
	}
	err = db.Raw(`SELECT r.customer_id, min(c.name) AS name, min(c.account_name) AS account, r.mode,
		coalesce(sum(r.lines), 0) AS rows,
		coalesce(sum(r.charged_amount), 0) AS amount, coalesce(sum(r.cash_paid), 0) AS cash,
		coalesce(sum(r.voucher_paid), 0) AS voucher, coalesce(sum(r.card_paid), 0) AS card,
		coalesce(sum(r.arrears), 0) AS arrears, coalesce(sum(r.discount_amount), 0) AS discount,
		coalesce(sum(r.rounding_off), 0) AS rounding_off,
		coalesce(sum(r.charged_amount) FILTER (WHERE r.bill_type = 'refund'), 0) AS refunds
		`+where+` GROUP BY r.customer_id, r.mode
		ORDER BY sum(r.charged_amount) DESC, r.customer_id, r.mode LIMIT ? OFFSET ?`,
		append(args, PerPage, (f.Page-1)*PerPage)...).Scan(&out.Rows).Error
	return out, err
}

// Detail is one line of 消费明细 (§3.21). Amounts are PostgreSQL's exact
// text of the NUMERIC columns.
type Detail struct {
	Period        time.Time
	CustomerName  string
	Account       string
	Mode          string
	BillType      string
	TransactionAt time.Time
	OrderNo       string
	ProductType   string
	ProductName   string
	ResourceType  string
	ResourceID    string
	Region        string
	BillingMode   string
	ListPrice     string
	Discount      string
	Payable       string
	Charged       string
	RoundingOff   string
	Cash          string
	Voucher       string
	Card          string
	Arrears       string
	Entity        string
}

// ReadOnly are the options of the snapshot an export reads in: the count
// and the rows agree.
var ReadOnly = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}

// CountDetails is the number of lines of the period, from the rollups
// (run it in the same snapshot as StreamDetails: the trigger writes the
// rollups in the lines' transaction, so both agree).
func CountDetails(ctx context.Context, tx *gorm.DB, partnerID int64, period time.Time) (int64, error) {
	var n int64
	err := tx.WithContext(ctx).Raw(`SELECT coalesce(sum(lines), 0) FROM consumption_rollups WHERE partner_id = ? AND billing_period = ?`,
		partnerID, period.Format("2006-01-02")).Scan(&n).Error
	return n, err
}

// StreamDetails calls fn for every line of the period in transaction
// order. Rows are read one at a time from the server (rows.Next): memory
// does not grow with the period. d is reused between calls.
func StreamDetails(ctx context.Context, tx *gorm.DB, partnerID int64, period time.Time, fn func(d *Detail) error) error {
	rows, err := tx.WithContext(ctx).Raw(`
		SELECT r.billing_period, c.name, c.account_name, r.mode, r.bill_type, r.transaction_at, r.order_no,
			r.product_type, r.product_name, r.resource_type, r.resource_id, r.region, r.billing_mode,
			r.list_price::text, r.discount_amount::text, r.amount_payable::text, r.charged_amount::text,
			r.rounding_off::text, r.cash_paid::text, r.voucher_paid::text, r.card_paid::text, r.arrears::text,
			r.signing_entity
		FROM consumption_records r JOIN customers c ON c.id = r.customer_id
		WHERE r.partner_id = ? AND r.billing_period = ?
		ORDER BY r.transaction_at, r.id`, partnerID, period.Format("2006-01-02")).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	var d Detail
	for rows.Next() {
		if err := rows.Scan(&d.Period, &d.CustomerName, &d.Account, &d.Mode, &d.BillType, &d.TransactionAt, &d.OrderNo,
			&d.ProductType, &d.ProductName, &d.ResourceType, &d.ResourceID, &d.Region, &d.BillingMode,
			&d.ListPrice, &d.Discount, &d.Payable, &d.Charged, &d.RoundingOff, &d.Cash, &d.Voucher, &d.Card, &d.Arrears,
			&d.Entity); err != nil {
			return err
		}
		if err := fn(&d); err != nil {
			return err
		}
	}
	return rows.Err()
}

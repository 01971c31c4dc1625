package consumption

import (
	"context"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// The partner bill (internal/bill, 账务 > 伙伴账单) is a report over this
// package's lines and their per-period rollups (migrations/00010): this
// package writes both (the import, and the trigger keeping the rollups
// exact), Check proves they agree, and the queries below are the only
// reads of them for the bill. bill keeps the page's rules (who may read,
// tabs, paging, filters); every sum is PostgreSQL's, on NUMERIC. Each
// function takes the partner and runs with g, the caller's database or
// snapshot transaction.

// RollupTotals are the sums of a set of lines.
type RollupTotals struct {
	Rows        int64
	Amount      decimal.Decimal // 消费金额: Σ charged_amount = cash + voucher + card + arrears
	Cash        decimal.Decimal
	Voucher     decimal.Decimal
	Card        decimal.Decimal
	Arrears     decimal.Decimal
	Discount    decimal.Decimal // 折扣优惠 / 本月已优惠: Σ discount_amount (8 places)
	RoundingOff decimal.Decimal // 抹零: Σ rounding_off (8 places)
}

// Add is the sum of two totals.
func (t RollupTotals) Add(o RollupTotals) RollupTotals {
	return RollupTotals{Rows: t.Rows + o.Rows, Amount: t.Amount.Add(o.Amount), Cash: t.Cash.Add(o.Cash),
		Voucher: t.Voucher.Add(o.Voucher), Card: t.Card.Add(o.Card), Arrears: t.Arrears.Add(o.Arrears),
		Discount: t.Discount.Add(o.Discount), RoundingOff: t.RoundingOff.Add(o.RoundingOff)}
}

// rollupTotalsColumns sum consumption_rollups: one row per customer,
// product and mode of a period, so a period of a million lines is a few
// hundred rows here.
const rollupTotalsColumns = `coalesce(sum(lines), 0) AS rows,
	coalesce(sum(charged_amount), 0) AS amount, coalesce(sum(cash_paid), 0) AS cash,
	coalesce(sum(voucher_paid), 0) AS voucher, coalesce(sum(card_paid), 0) AS card,
	coalesce(sum(arrears), 0) AS arrears, coalesce(sum(discount_amount), 0) AS discount,
	coalesce(sum(rounding_off), 0) AS rounding_off`

func day(period time.Time) string { return period.Format("2006-01-02") }

// BillingPeriods are the billing periods with lines for the partner,
// newest first, each the first of its month (UTC). A recursive loose
// index scan: one index probe per period instead of reading every line.
func BillingPeriods(ctx context.Context, g *gorm.DB, partnerID int64) ([]time.Time, error) {
	var out []time.Time
	err := g.WithContext(ctx).Raw(`
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

// AmountsSince is the partner's consumption amount (Σ charged, every bill
// type) of each billing period from since on, in one query over
// consumption_months (a few rows a period); periods without lines are
// absent.
func AmountsSince(ctx context.Context, g *gorm.DB, partnerID int64, since time.Time) (map[time.Time]decimal.Decimal, error) {
	var rows []struct {
		BillingPeriod time.Time
		Amount        decimal.Decimal
	}
	if err := g.WithContext(ctx).Raw(`SELECT billing_period, coalesce(sum(charged_amount), 0) AS amount
		FROM consumption_months WHERE partner_id = ? AND billing_period >= ? GROUP BY billing_period`,
		partnerID, day(since)).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[time.Time]decimal.Decimal, len(rows))
	for _, r := range rows {
		p := r.BillingPeriod
		out[time.Date(p.Year(), p.Month(), 1, 0, 0, 0, 0, time.UTC)] = r.Amount
	}
	return out, nil
}

// PeriodTotals sums the partner's period by bill type (types without
// lines are absent).
func PeriodTotals(ctx context.Context, g *gorm.DB, partnerID int64, period time.Time) (map[string]RollupTotals, error) {
	var rows []struct {
		BillType string
		RollupTotals
	}
	if err := g.WithContext(ctx).Raw(`SELECT bill_type, `+rollupTotalsColumns+`
		FROM consumption_rollups WHERE partner_id = ? AND billing_period = ? GROUP BY bill_type`,
		partnerID, day(period)).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[string]RollupTotals, len(rows))
	for _, r := range rows {
		out[r.BillType] = r.RollupTotals
	}
	return out, nil
}

// ProductLine is the sums of one product type, resource type and billing
// mode.
type ProductLine struct {
	ProductType  string
	ResourceType string
	BillingMode  string
	RollupTotals
}

// PeriodLines is one page (limit, offset) of one bill type of the
// partner's period by product type, resource type and billing mode,
// largest amounts first, and how many such lines there are.
func PeriodLines(ctx context.Context, g *gorm.DB, partnerID int64, period time.Time, billType string, limit, offset int) ([]ProductLine, int64, error) {
	where := `FROM consumption_rollups WHERE partner_id = ? AND billing_period = ? AND bill_type = ?`
	args := []any{partnerID, day(period), billType}
	db := g.WithContext(ctx)
	var total int64
	if err := db.Raw(`SELECT count(*) FROM (SELECT 1 `+where+` GROUP BY product_type, resource_type, billing_mode) g`, args...).
		Scan(&total).Error; err != nil {
		return nil, 0, err
	}
	var out []ProductLine
	err := db.Raw(`SELECT product_type, resource_type, billing_mode, `+rollupTotalsColumns+` `+where+`
		GROUP BY product_type, resource_type, billing_mode
		ORDER BY abs(sum(charged_amount)) DESC, product_type, resource_type, billing_mode
		LIMIT ? OFFSET ?`, append(args, limit, offset)...).Scan(&out).Error
	return out, total, err
}

// ProductAmount is the consumption of one product type.
type ProductAmount struct {
	ProductType string
	Amount      decimal.Decimal
}

// PeriodByProduct is the period's consumption (bill type consumption) by
// product type, largest first, at most limit (from consumption_months).
func PeriodByProduct(ctx context.Context, g *gorm.DB, partnerID int64, period time.Time, limit int) ([]ProductAmount, error) {
	var out []ProductAmount
	err := g.WithContext(ctx).Raw(`SELECT product_type, sum(charged_amount) AS amount
		FROM consumption_months WHERE partner_id = ? AND billing_period = ? AND bill_type = 'consumption'
		GROUP BY product_type ORDER BY sum(charged_amount) DESC, product_type LIMIT ?`,
		partnerID, day(period), limit).Scan(&out).Error
	return out, err
}

// CustomerTotals is one customer and association type of a period.
type CustomerTotals struct {
	CustomerID int64
	Name       string
	Account    string
	Mode       string
	RollupTotals
	Refunds decimal.Decimal // Σ charged_amount of its refund lines (≤ 0)
}

// CustomerQuery selects and pages PeriodCustomers.
type CustomerQuery struct {
	Like          string // a LIKE pattern on the customer's name or account ("": every customer)
	Mode          string // resale, consulting or "" for both
	Limit, Offset int
}

// PeriodCustomers is one page of the partner's period per customer and
// association type, largest amounts first, and how many there are. The
// customers table is joined for their names.
func PeriodCustomers(ctx context.Context, g *gorm.DB, partnerID int64, period time.Time, q CustomerQuery) ([]CustomerTotals, int64, error) {
	where := `FROM consumption_rollups r JOIN customers c ON c.id = r.customer_id
		WHERE r.partner_id = ? AND r.billing_period = ?`
	args := []any{partnerID, day(period)}
	if q.Mode != "" {
		where += ` AND r.mode = ?`
		args = append(args, q.Mode)
	}
	if q.Like != "" {
		where += ` AND (c.name ILIKE ? OR c.account_name ILIKE ?)`
		args = append(args, q.Like, q.Like)
	}
	db := g.WithContext(ctx)
	var total int64
	if err := db.Raw(`SELECT count(*) FROM (SELECT 1 `+where+` GROUP BY r.customer_id, r.mode) g`, args...).
		Scan(&total).Error; err != nil {
		return nil, 0, err
	}
	var out []CustomerTotals
	err := db.Raw(`SELECT r.customer_id, min(c.name) AS name, min(c.account_name) AS account, r.mode,
		coalesce(sum(r.lines), 0) AS rows,
		coalesce(sum(r.charged_amount), 0) AS amount, coalesce(sum(r.cash_paid), 0) AS cash,
		coalesce(sum(r.voucher_paid), 0) AS voucher, coalesce(sum(r.card_paid), 0) AS card,
		coalesce(sum(r.arrears), 0) AS arrears, coalesce(sum(r.discount_amount), 0) AS discount,
		coalesce(sum(r.rounding_off), 0) AS rounding_off,
		coalesce(sum(r.charged_amount) FILTER (WHERE r.bill_type = 'refund'), 0) AS refunds
		`+where+` GROUP BY r.customer_id, r.mode
		ORDER BY sum(r.charged_amount) DESC, r.customer_id, r.mode LIMIT ? OFFSET ?`,
		append(args, q.Limit, q.Offset)...).Scan(&out).Error
	return out, total, err
}

// LineDetail is one line of 消费明细 (§3.21). Amounts are PostgreSQL's
// exact text of the NUMERIC columns.
type LineDetail struct {
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

// CountPeriodLines is the number of lines of the partner's period, from
// the rollups (run it in the same snapshot as StreamPeriodLines: the
// trigger writes the rollups in the lines' transaction, so both agree).
func CountPeriodLines(ctx context.Context, tx *gorm.DB, partnerID int64, period time.Time) (int64, error) {
	var n int64
	err := tx.WithContext(ctx).Raw(`SELECT coalesce(sum(lines), 0) FROM consumption_rollups WHERE partner_id = ? AND billing_period = ?`,
		partnerID, day(period)).Scan(&n).Error
	return n, err
}

// StreamPeriodLines calls fn for every line of the partner's period in
// transaction order, with its customer's name. Rows are read one at a
// time from the server (rows.Next): memory does not grow with the
// period. d is reused between calls.
func StreamPeriodLines(ctx context.Context, tx *gorm.DB, partnerID int64, period time.Time, fn func(d *LineDetail) error) error {
	rows, err := tx.WithContext(ctx).Raw(`
		SELECT r.billing_period, c.name, c.account_name, r.mode, r.bill_type, r.transaction_at, r.order_no,
			r.product_type, r.product_name, r.resource_type, r.resource_id, r.region, r.billing_mode,
			r.list_price::text, r.discount_amount::text, r.amount_payable::text, r.charged_amount::text,
			r.rounding_off::text, r.cash_paid::text, r.voucher_paid::text, r.card_paid::text, r.arrears::text,
			r.signing_entity
		FROM consumption_records r JOIN customers c ON c.id = r.customer_id
		WHERE r.partner_id = ? AND r.billing_period = ?
		ORDER BY r.transaction_at, r.id`, partnerID, day(period)).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	var d LineDetail
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

// PeriodAmounts is each partner's consumption amount (Σ charged, every
// bill type) of one billing period, by partner id, from the rollups;
// partners without lines are absent.
func PeriodAmounts(ctx context.Context, g *gorm.DB, partnerIDs []int64, period time.Time) (map[int64]decimal.Decimal, error) {
	out := map[int64]decimal.Decimal{}
	if len(partnerIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		PartnerID int64
		Amount    decimal.Decimal
	}
	if err := g.WithContext(ctx).Raw(`SELECT partner_id, coalesce(sum(charged_amount), 0) AS amount
		FROM consumption_rollups WHERE partner_id IN ? AND billing_period = ? GROUP BY partner_id`,
		partnerIDs, day(period)).Scan(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.PartnerID] = r.Amount
	}
	return out, nil
}

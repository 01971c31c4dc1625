package consumption

import (
	"context"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// The reads below give internal/performance the lines it forms from
// (issue 8, "Tables have owners": consumption owns consumption_records).
// The formation rule itself is performance's (its doc.go, §12.1.5.1):
// the cash and stored-value-card share of the line's 8-decimal payable
// amount, stored-value-card purchases excluded, lines without performance
// left out.

// StoredValueCard is the product type of a stored-value card purchase.
const StoredValueCard = "储值卡"

// performanceAmount is the cash and card share of the payable amount at
// 8 decimals (R30: performance lines keep 8 places; a line paid in cash
// alone forms its whole payable amount, 694.005 in §12.1.5.4's example,
// though 694.00 was charged after 抹零).
const performanceAmount = `CASE WHEN c.charged_amount = 0 THEN 0
	ELSE trunc(c.amount_payable * (c.cash_paid + c.card_paid) / c.charged_amount, 8) END`

// PerformanceSource is a subquery of the lines with id > afterID and a
// time before `before` that form performance, with the partner credited
// (a cloud reseller's master distributor) and the reseller: columns id,
// partner_id, credited, reseller, customer_id, mode, bill_type,
// billing_period, order_no, product_type, product_name, billing_mode,
// amount, transaction_at. It reads partners for the parent (a report
// join).
func PerformanceSource(g *gorm.DB, afterID int64, before time.Time) *gorm.DB {
	return g.Table("consumption_records c").Joins("JOIN partners p ON p.id = c.partner_id").
		Select(`c.id, c.partner_id, coalesce(p.parent_partner_id, c.partner_id) AS credited,
			CASE WHEN p.parent_partner_id IS NOT NULL THEN c.partner_id END AS reseller, c.customer_id, c.mode, c.bill_type,
			c.billing_period, c.order_no, c.product_type, c.product_name, c.billing_mode, `+performanceAmount+` AS amount, c.transaction_at`).
		Where("c.id > ? AND c.transaction_at < ? AND c.product_type <> ? AND "+performanceAmount+" <> 0", afterID, before, StoredValueCard)
}

// NextLowID is the formation's next low-water mark after forming the lines
// before `before`: the id before the first line after afterID of a later
// time, else the last line's id, else afterID.
func NextLowID(ctx context.Context, g *gorm.DB, afterID int64, before time.Time) (int64, error) {
	var id *int64
	if err := g.WithContext(ctx).Raw(`SELECT coalesce((SELECT min(id) - 1 FROM consumption_records WHERE id > ? AND transaction_at >= ?),
		(SELECT max(id) FROM consumption_records))`, afterID, before).Scan(&id).Error; err != nil {
		return 0, err
	}
	if id == nil {
		return afterID, nil
	}
	return *id, nil
}

// PerformanceSince is the performance the partners' lines of a billing
// month from `since` on would form (the running month's estimate of the
// lines not formed yet).
func PerformanceSince(ctx context.Context, g *gorm.DB, partnerIDs []int64, period, since time.Time) (decimal.Decimal, error) {
	var out struct{ Amount decimal.Decimal }
	err := g.WithContext(ctx).Raw(`SELECT coalesce(sum(`+performanceAmount+`), 0) AS amount FROM consumption_records c
		WHERE c.partner_id IN ? AND c.billing_period = ? AND c.transaction_at >= ? AND c.product_type <> ?`,
		partnerIDs, day(period), since, StoredValueCard).Scan(&out).Error
	return out.Amount, err
}

package consumption

import (
	"context"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"partnercenter/internal/access"
)

// The reads below give internal/performance the lines it forms from
// (issue 8, "Tables have owners": consumption owns consumption_records).
// The formation rule itself is performance's (its doc.go, §12.1.5.1):
// the cash and stored-value-card share of the line's 8-decimal payable
// amount (vouchers and non-counting cash coupons are not cash),
// stored-value-card purchases and curated-mall items excluded, lines
// without performance left out.

// StoredValueCard is the product type of a stored-value card purchase.
const StoredValueCard = "储值卡"

// performanceAmount is the cash and card share of the payable amount at
// 8 decimals (R30: performance lines keep 8 places; a line paid in cash
// alone forms its whole payable amount, 694.005 in §12.1.5.4's example,
// though 694.00 was charged after 抹零).
const performanceAmount = `CASE WHEN c.charged_amount = 0 THEN 0
	ELSE trunc(c.amount_payable * (c.cash_paid + c.card_paid) / c.charged_amount, 8) END`

// PerformanceSource is a subquery of the lines with an id in (afterID,
// uptoID] or among the ids of also (a subquery; nil for none), and a time
// before `before`, that form performance, with the partner credited (a
// cloud reseller's master distributor) and the reseller: columns id,
// partner_id, credited, reseller, customer_id, mode, bill_type,
// billing_period, order_no, product_type, product_name, billing_mode,
// amount, transaction_at. It reads partners for the parent (a report
// join). The two sets are read apart (UNION ALL), each by the primary key.
func PerformanceSource(g *gorm.DB, afterID, uptoID int64, also *gorm.DB, before time.Time) *gorm.DB {
	lines := func() *gorm.DB {
		return g.Table("consumption_records c").Joins("JOIN partners p ON p.id = c.partner_id").
			Select(`c.id, c.partner_id, coalesce(p.parent_partner_id, c.partner_id) AS credited,
				CASE WHEN p.parent_partner_id IS NOT NULL THEN c.partner_id END AS reseller, c.customer_id, c.mode, c.bill_type,
				c.billing_period, c.order_no, c.product_type, c.product_name, c.billing_mode, `+performanceAmount+` AS amount, c.transaction_at`).
			Where("c.transaction_at < ? AND c.product_type <> ? AND NOT c.curated_mall AND "+performanceAmount+" <> 0", before, StoredValueCard)
	}
	span := lines().Where("c.id > ? AND c.id <= ?", afterID, uptoID)
	if also == nil {
		return span
	}
	return g.Raw("(?) UNION ALL (?)", span, lines().Where("c.id IN (?)", also))
}

// NotYetDue is a subquery of the ids in (afterID, uptoID] of the lines
// that will form performance but whose time is not before `before`.
func NotYetDue(g *gorm.DB, afterID, uptoID int64, before time.Time) *gorm.DB {
	return g.Table("consumption_records c").Select("c.id").
		Where("c.id > ? AND c.id <= ? AND c.transaction_at >= ? AND c.product_type <> ? AND NOT c.curated_mall AND "+performanceAmount+" <> 0",
			afterID, uptoID, before, StoredValueCard)
}

// MaxID is the last line's id (0 when there is none), read under the
// imports' lock within tx's transaction: an import still writing holds
// lower ids than lines already committed, so waiting for it makes every id
// up to the answer final for the rest of the transaction's work.
func MaxID(ctx context.Context, tx *gorm.DB) (int64, error) {
	if err := tx.WithContext(ctx).Exec(`SELECT pg_advisory_xact_lock(?)`, importLockKey).Error; err != nil {
		return 0, err
	}
	var id *int64
	err := tx.WithContext(ctx).Raw(`SELECT max(id) FROM consumption_records`).Scan(&id).Error
	if id == nil {
		return 0, err
	}
	return *id, err
}

// PerformanceSince is the performance the partners' lines of a billing
// month not formed yet would form (the running month's estimate): the
// lines from `since` on (the formation's cutoff: not due yet), and the
// lines of earlier days the formation has not read yet (ids above its
// low-water mark: imported late), in the principal's customer scope.
func PerformanceSince(ctx context.Context, g *gorm.DB, p *access.Principal, partnerIDs []int64, period, since time.Time,
	lowID int64) (decimal.Decimal, error) {
	where := `c.partner_id IN ? AND c.billing_period = ? AND c.product_type <> ? AND NOT c.curated_mall`
	args := []any{partnerIDs, day(period), StoredValueCard}
	if cond, cargs := p.CustomerCondition("c.customer_id"); cond != "" {
		where += " AND " + cond
		args = append(args, cargs...)
	}
	var out struct{ Amount decimal.Decimal }
	// Two disjoint sets, each on its own index: the month's lines by time,
	// the new lines by id.
	err := g.WithContext(ctx).Raw(`SELECT coalesce(sum(a), 0) AS amount FROM (
			SELECT `+performanceAmount+` AS a FROM consumption_records c WHERE `+where+` AND c.transaction_at >= ?
			UNION ALL
			SELECT `+performanceAmount+` AS a FROM consumption_records c WHERE `+where+` AND c.transaction_at < ? AND c.id > ?) x`,
		append(append(append(args, since), args...), since, lowID)...).Scan(&out).Error
	return out.Amount, err
}

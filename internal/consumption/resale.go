package consumption

import (
	"context"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// Other packages ask consumption for sums of its lines rather than read
// consumption_records or consumption_rollups themselves (issue 8, "Tables
// have owners"): invoice's bills and 欠票 position are the resale cash
// below. The sums are PostgreSQL's, on NUMERIC.

// ResalePeriod is the resale cash of one billing period (R21: cash only),
// split by bill type.
type ResalePeriod struct {
	Entity        string // the signing entity
	BillingPeriod time.Time
	Consumption   decimal.Decimal // cash of consumption lines
	Refunds       decimal.Decimal // cash of refund lines (negative)
	Adjustments   decimal.Decimal // cash of adjustment lines
	Cash          decimal.Decimal // their sum
	HasRefund     bool            // the period has refund or adjustment lines
}

const resaleByPeriodSQL = `SELECT signing_entity AS entity, billing_period,
		coalesce(sum(cash_paid) FILTER (WHERE bill_type = 'consumption'), 0) AS consumption,
		coalesce(sum(cash_paid) FILTER (WHERE bill_type = 'refund'), 0) AS refunds,
		coalesce(sum(cash_paid) FILTER (WHERE bill_type = 'adjustment'), 0) AS adjustments,
		coalesce(sum(cash_paid), 0) AS cash,
		bool_or(bill_type <> 'consumption') AS has_refund
	FROM consumption_rollups
	WHERE partner_id IN ? AND mode = 'resale' AND signing_entity IN ?
	GROUP BY signing_entity, billing_period`

// ResaleByPeriod sums the cash of the resale lines of the partners billed
// by the signing entities, per entity and billing period (unordered), from
// the rollups.
func ResaleByPeriod(ctx context.Context, g *gorm.DB, partnerIDs []int64, entities ...string) ([]ResalePeriod, error) {
	var out []ResalePeriod
	if len(partnerIDs) == 0 || len(entities) == 0 {
		return out, nil
	}
	err := g.WithContext(ctx).Raw(resaleByPeriodSQL, partnerIDs, entities).Scan(&out).Error
	return out, err
}

// CashMinute is the resale cash of one minute, one signing entity and one
// direction (Cash > 0: consumed; < 0: refunded).
type CashMinute struct {
	At     time.Time // the start of the minute
	Cash   decimal.Decimal
	Entity string
}

// Lines are summed per minute, entity and direction in the database (a
// period of a million lines becomes a few thousand events).
const resaleByMinuteSQL = `SELECT date_trunc('minute', transaction_at) AS at, sum(cash_paid) AS cash, signing_entity AS entity
	FROM consumption_records WHERE partner_id IN ? AND mode = 'resale' AND cash_paid <> 0
	GROUP BY 1, signing_entity, cash_paid > 0 ORDER BY 1`

// ResaleByMinute is the resale cash of the partners' lines moved in
// either direction, summed per minute, signing entity and direction, in
// time order.
func ResaleByMinute(ctx context.Context, g *gorm.DB, partnerIDs []int64) ([]CashMinute, error) {
	var out []CashMinute
	if len(partnerIDs) == 0 {
		return out, nil
	}
	err := g.WithContext(ctx).Raw(resaleByMinuteSQL, partnerIDs).Scan(&out).Error
	return out, err
}

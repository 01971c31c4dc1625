package consumption

import (
	"context"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
)

// BoardMonths is how many months 消费看板 shows.
const BoardMonths = 12

// MonthTotals is one month of 消费看板's trend.
type MonthTotals struct {
	Period  time.Time
	Cash    decimal.Decimal
	Voucher decimal.Decimal
	Card    decimal.Decimal
	Arrears decimal.Decimal
	Refunds decimal.Decimal // Σ charged of refund lines (≤ 0)
}

// CustomerAmount is a customer's consumption of a month.
type CustomerAmount struct {
	CustomerID int64
	Name       string
	Account    string
	Amount     decimal.Decimal
}

// Board is 消费看板 (§12.1.9.17, R57): the last BoardMonths months by
// payment kind, the latest month by product type and its largest
// customers, all from the rollups and in the actor's customer scope (a
// customer manager: its customers; a supervisor: its managers').
type Board struct {
	Months       []MonthTotals
	Month        time.Time // the month of ByProduct and TopCustomers
	ByProduct    []ProductAmount
	TopCustomers []CustomerAmount
}

// Board reads 消费看板 of the actor's tenant.
func (s Service) Board(ctx context.Context, p *access.Principal) (_ *Board, err error) {
	defer apperr.Wrap(&err, "consumption.Board")
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	today := clock.ChinaDate(s.Clock.Now())
	month := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC)
	from := month.AddDate(0, 1-BoardMonths, 0)
	scope, args := p.CustomerCondition("r.customer_id")
	q := func() *gorm.DB {
		g := s.DB.WithContext(ctx).Table("consumption_rollups r").Where("r.partner_id = ? AND r.billing_period >= ?", pid, day(from))
		if scope != "" {
			g = g.Where(scope, args...)
		}
		return g
	}
	var rows []struct {
		BillingPeriod time.Time
		MonthTotals
	}
	if err := q().Select(`r.billing_period, coalesce(sum(r.cash_paid) FILTER (WHERE r.bill_type <> 'refund'), 0) AS cash,
		coalesce(sum(r.voucher_paid) FILTER (WHERE r.bill_type <> 'refund'), 0) AS voucher,
		coalesce(sum(r.card_paid) FILTER (WHERE r.bill_type <> 'refund'), 0) AS card,
		coalesce(sum(r.arrears) FILTER (WHERE r.bill_type <> 'refund'), 0) AS arrears,
		coalesce(sum(r.charged_amount) FILTER (WHERE r.bill_type = 'refund'), 0) AS refunds`).
		Group("r.billing_period").Scan(&rows).Error; err != nil {
		return nil, err
	}
	b := &Board{Month: month}
	byMonth := map[string]MonthTotals{}
	latest := time.Time{}
	for _, r := range rows {
		byMonth[day(r.BillingPeriod)] = r.MonthTotals
		if r.BillingPeriod.After(latest) {
			latest = r.BillingPeriod
		}
	}
	for m := from; !m.After(month); m = m.AddDate(0, 1, 0) {
		t := byMonth[day(m)]
		t.Period = m
		b.Months = append(b.Months, t)
	}
	if !latest.IsZero() {
		b.Month = time.Date(latest.Year(), latest.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	if err := q().Where("r.billing_period = ? AND r.bill_type = 'consumption'", day(b.Month)).
		Select("r.product_type, sum(r.charged_amount) AS amount").Group("r.product_type").
		Order("sum(r.charged_amount) DESC, r.product_type").Limit(8).Scan(&b.ByProduct).Error; err != nil {
		return nil, err
	}
	err = q().Joins("JOIN customers c ON c.id = r.customer_id").Where("r.billing_period = ? AND r.bill_type = 'consumption'", day(b.Month)).
		Select("r.customer_id, c.name, c.account_name AS account, sum(r.charged_amount) AS amount").
		Group("r.customer_id, c.name, c.account_name").Order("sum(r.charged_amount) DESC, r.customer_id").Limit(10).
		Scan(&b.TopCustomers).Error
	return b, err
}

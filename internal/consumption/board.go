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
// customers, all from the rollups the import's trigger keeps and in the
// actor's customer scope (a customer manager: its customers; a
// supervisor: its managers').
type Board struct {
	Months       []MonthTotals
	Month        time.Time // the month of ByProduct and TopCustomers
	ByProduct    []ProductAmount
	TopCustomers []CustomerAmount
}

// Board reads 消费看板 of the actor's tenant. The tenant's whole
// consumption is a few rows a month of consumption_months (by bill type
// and product type); in a customer scope the trend reads
// consumption_customer_months and the products the rollups of the
// scope's customers. The largest customers are consumption_customer_months
// of one month either way (migrations/00068).
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
	trend, products := "consumption_months r", "consumption_months r"
	if scope != "" {
		trend, products = "consumption_customer_months r", "consumption_rollups r"
	}
	q := func(table string) *gorm.DB {
		g := s.DB.WithContext(ctx).Table(table).Where("r.partner_id = ? AND r.billing_period >= ?", pid, day(from))
		if scope != "" {
			g = g.Where(scope, args...)
		}
		return g
	}
	var rows []struct {
		BillingPeriod time.Time
		MonthTotals
	}
	if err := q(trend).Select(`r.billing_period, coalesce(sum(r.cash_paid) FILTER (WHERE r.bill_type <> 'refund'), 0) AS cash,
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
	if err := q(products).Where("r.billing_period = ? AND r.bill_type = 'consumption'", day(b.Month)).
		Select("r.product_type, sum(r.charged_amount) AS amount").Group("r.product_type").
		Order("sum(r.charged_amount) DESC, r.product_type").Limit(8).Scan(&b.ByProduct).Error; err != nil {
		return nil, err
	}
	// The ten largest of the month's customers first, then their names
	// (ten customers joined, not every customer of the month).
	top := q("consumption_customer_months r").Where("r.billing_period = ? AND r.bill_type = 'consumption'", day(b.Month)).
		Select("r.customer_id, r.charged_amount AS amount").Order("r.charged_amount DESC, r.customer_id").Limit(10)
	err = s.DB.WithContext(ctx).Table("(?) t", top).Joins("JOIN customers c ON c.id = t.customer_id").
		Select("t.customer_id, c.name, c.account_name AS account, t.amount").Order("t.amount DESC, t.customer_id").
		Scan(&b.TopCustomers).Error
	return b, err
}

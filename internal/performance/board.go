package performance

import (
	"context"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
)

// BoardMonths is how many months 业绩看板 shows.
const BoardMonths = 12

// MonthPerformance is one month of 业绩看板's trend: positive performance
// (consumption) and negative (refunds).
type MonthPerformance struct {
	Period   time.Time
	Positive decimal.Decimal
	Negative decimal.Decimal
}

// BoardLine is a row of 业绩汇总数据: a customer and product type.
type BoardLine struct {
	CustomerID      int64
	CustomerName    string
	CustomerAccount string
	ProductType     string
	Amount          decimal.Decimal
}

// Board is 业绩看板 (§12.2.1, §12.1.9.17): the trend over BoardMonths
// months and, for one month, 业绩汇总数据 by customer and product type in
// the tabs 消费数据 (positive) and 退款数据 (negative); a master
// distributor narrows it to one second-tier reseller. In the actor's
// scope (a customer manager: its customers' rows). Read from the monthly
// rollups.
type Board struct {
	Months  []MonthPerformance
	Month   time.Time
	Refunds bool
	Lines   []BoardLine
}

// BoardFilter is 业绩看板's month (YYYY-MM; default the running one), tab
// and reseller.
type BoardFilter struct {
	Month    string
	Refunds  bool
	Reseller int64
}

// Board reads 业绩看板 of the actor's tenant.
func (s Service) Board(ctx context.Context, p *access.Principal, f BoardFilter) (_ *Board, err error) {
	defer apperr.Wrap(&err, "performance.Board")
	pid, err := TenantOf(p)
	if err != nil {
		return nil, err
	}
	today := clock.ChinaDate(s.now())
	month := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC)
	from := month.AddDate(0, 1-BoardMonths, 0)
	b := &Board{Month: month, Refunds: f.Refunds}
	if t, err := time.Parse("2006-01", f.Month); err == nil && !t.Before(from) && !t.After(month) {
		b.Month = t
	}
	// The trend reads performance_months (a few rows a month), the
	// month's lines performance_rollups; both carry the manager and the
	// reseller the filters need.
	q := func(table string) *gorm.DB {
		g := s.DB.WithContext(ctx).Table(table+" r").Where("r.partner_id = ?", pid)
		if cond, args := p.ManagerCondition("r.manager_user_id"); cond != "" {
			g = g.Where(cond, args...)
		}
		if f.Reseller > 0 {
			g = g.Where("r.reseller_partner_id = ?", f.Reseller)
		}
		return g
	}
	var rows []struct {
		Period   time.Time
		Positive decimal.Decimal
		Negative decimal.Decimal
	}
	if err := q("performance_months").Where("r.period >= ?", from).Select(`r.period, sum(r.positive) AS positive, sum(r.negative) AS negative`).
		Group("r.period").Scan(&rows).Error; err != nil {
		return nil, err
	}
	byMonth := map[string]MonthPerformance{}
	for _, r := range rows {
		byMonth[r.Period.Format(time.DateOnly)] = MonthPerformance{Positive: r.Positive, Negative: r.Negative}
	}
	for m := from; !m.After(month); m = m.AddDate(0, 1, 0) {
		t := byMonth[m.Format(time.DateOnly)]
		t.Period = m
		b.Months = append(b.Months, t)
	}
	col := "r.positive"
	if f.Refunds {
		col = "r.negative"
	}
	err = q("performance_rollups").Joins("JOIN customers cu ON cu.id = r.customer_id").Where("r.period = ? AND "+col+" <> 0", b.Month).
		Select("r.customer_id, cu.name AS customer_name, cu.account_name AS customer_account, r.product_type, sum(" + col + ") AS amount").
		Group("r.customer_id, cu.name, cu.account_name, r.product_type").Order("abs(sum(" + col + ")) DESC, r.customer_id").Limit(50).
		Scan(&b.Lines).Error
	return b, err
}

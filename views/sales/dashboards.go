package sales

import (
	"context"
	"net/url"
	"strconv"

	"partnercenter/internal/consumption"
	"partnercenter/internal/customer"
	"partnercenter/internal/incentive"
	"partnercenter/internal/performance"
	"partnercenter/views/components"
	"partnercenter/views/ui"
)

// PerformanceBoardVM is 业绩看板 with its filters.
type PerformanceBoardVM struct {
	B         *performance.Board
	Filter    performance.BoardFilter
	Resellers []performance.Reseller
}

func customerChart(ctx context.Context, b *customer.Board) components.ChartSpec {
	s := components.ChartSpec{Kind: components.ChartBar}
	var nw, ended []float64
	for _, m := range b.Months {
		s.Categories = append(s.Categories, m.Period.Format("2006-01"))
		nw = append(nw, float64(m.New))
		ended = append(ended, float64(m.Ended))
	}
	s.Series = []components.ChartSeries{{Name: ui.T(ctx, "dashboard.customers.new"), Values: nw},
		{Name: ui.T(ctx, "dashboard.customers.ended"), Values: ended}}
	return s
}

func modeChart(ctx context.Context, b *customer.Board) components.ChartSpec {
	return components.ChartSpec{Kind: components.ChartPie,
		Categories: []string{ui.T(ctx, "customer.mode.resale"), ui.T(ctx, "customer.mode.consulting")},
		Series:     []components.ChartSeries{{Name: ui.T(ctx, "dashboard.customers.associated"), Values: []float64{float64(b.Resale), float64(b.Consulting)}}}}
}

func consumptionChart(ctx context.Context, b *consumption.Board) components.ChartSpec {
	s := components.ChartSpec{Kind: components.ChartBar, Unit: "¥"}
	var cash, card, voucher, arrears, refunds []float64
	for _, m := range b.Months {
		s.Categories = append(s.Categories, m.Period.Format("2006-01"))
		cash = append(cash, components.ChartValue(m.Cash))
		card = append(card, components.ChartValue(m.Card))
		voucher = append(voucher, components.ChartValue(m.Voucher))
		arrears = append(arrears, components.ChartValue(m.Arrears))
		refunds = append(refunds, components.ChartValue(m.Refunds))
	}
	s.Series = []components.ChartSeries{
		{Name: ui.T(ctx, "dashboard.consumption.cash"), Values: cash, Stack: "paid"},
		{Name: ui.T(ctx, "dashboard.consumption.card"), Values: card, Stack: "paid"},
		{Name: ui.T(ctx, "dashboard.consumption.voucher"), Values: voucher, Stack: "paid"},
		{Name: ui.T(ctx, "dashboard.consumption.arrears"), Values: arrears, Stack: "paid"},
		{Name: ui.T(ctx, "dashboard.consumption.refunds"), Values: refunds},
	}
	return s
}

func productChart(ctx context.Context, b *consumption.Board) components.ChartSpec {
	s := components.ChartSpec{Kind: components.ChartPie, Unit: "¥"}
	var v []float64
	for _, p := range b.ByProduct {
		s.Categories = append(s.Categories, p.ProductType)
		v = append(v, components.ChartValue(p.Amount))
	}
	s.Series = []components.ChartSeries{{Name: ui.T(ctx, "dashboard.consumption.by_product"), Values: v}}
	return s
}

func performanceChart(ctx context.Context, b *performance.Board) components.ChartSpec {
	s := components.ChartSpec{Kind: components.ChartBar, Unit: "¥"}
	var pos, neg []float64
	for _, m := range b.Months {
		s.Categories = append(s.Categories, performance.PeriodLabel(m.Period))
		pos = append(pos, components.ChartValue(m.Positive))
		neg = append(neg, components.ChartValue(m.Negative))
	}
	s.Series = []components.ChartSeries{{Name: ui.T(ctx, "dashboard.performance.consumption"), Values: pos, Stack: "p"},
		{Name: ui.T(ctx, "dashboard.performance.refunds"), Values: neg, Stack: "p"}}
	return s
}

func incentiveChart(ctx context.Context, b *incentive.Board) components.ChartSpec {
	s := components.ChartSpec{Kind: components.ChartBar, Unit: "¥"}
	var est, settled []float64
	for _, p := range b.ByPeriod {
		s.Categories = append(s.Categories, p.Period)
		est = append(est, components.ChartValue(p.Estimate))
		settled = append(settled, components.ChartValue(p.Settled))
	}
	s.Series = []components.ChartSeries{{Name: ui.T(ctx, "incentive.state.estimate"), Values: est, Stack: "b"},
		{Name: ui.T(ctx, "dashboard.incentives.settled"), Values: settled, Stack: "b"}}
	return s
}

// boardQuery is 业绩看板's URL with one filter changed.
func boardQuery(vm PerformanceBoardVM, key, value string) string {
	q := url.Values{}
	q.Set("month", vm.B.Month.Format("2006-01"))
	if vm.Filter.Refunds {
		q.Set("tab", "refunds")
	}
	if vm.Filter.Reseller > 0 {
		q.Set("reseller", strconv.FormatInt(vm.Filter.Reseller, 10))
	}
	if value == "" {
		q.Del(key)
	} else {
		q.Set(key, value)
	}
	return "/sales/dashboards/performance?" + q.Encode()
}

// recordsURL is 详情 of a 业绩汇总数据 row: 业绩明细 of the customer and month.
func recordsURL(vm PerformanceBoardVM, l performance.BoardLine) string {
	from := vm.B.Month
	to := from.AddDate(0, 1, -1)
	q := url.Values{"customer": {l.CustomerAccount}, "from": {from.Format("2006-01-02")}, "to": {to.Format("2006-01-02")}}
	if vm.Filter.Reseller > 0 {
		q.Set("reseller", strconv.FormatInt(vm.Filter.Reseller, 10))
	}
	return "/incentives/performance/records?" + q.Encode()
}

func resellerOptions(vm PerformanceBoardVM) []components.Option {
	out := []components.Option{{Value: "", Label: "list.all"}}
	for _, r := range vm.Resellers {
		out = append(out, components.Option{Value: strconv.FormatInt(r.ID, 10), Label: r.Name, Raw: true})
	}
	return out
}

func resellerValue(vm PerformanceBoardVM) string {
	if vm.Filter.Reseller == 0 {
		return ""
	}
	return strconv.FormatInt(vm.Filter.Reseller, 10)
}

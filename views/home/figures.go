package home

import (
	"context"
	"strconv"

	"github.com/shopspring/decimal"

	"partnercenter/views/ui"
)

// The trend is a row of 8-wide bars, 4 apart, 40 high, scaled to the
// largest month (negative months, all refunds, draw no bar).

func trendBox(ms []Month) string { return "0 0 " + strconv.Itoa(len(ms)*12) + " 40" }

func barX(i int) string { return strconv.Itoa(i*12 + 2) }

func maxAmount(ms []Month) decimal.Decimal {
	top := decimal.Zero
	for _, m := range ms {
		if m.Amount.GreaterThan(top) {
			top = m.Amount
		}
	}
	return top
}

func barHeight(ms []Month, m Month) float64 {
	top := maxAmount(ms)
	if !top.IsPositive() || !m.Amount.IsPositive() {
		return 0
	}
	h, _ := m.Amount.Div(top).Mul(decimal.NewFromInt(38)).Float64()
	return h
}

func barH(ms []Month, m Month) string { return strconv.FormatFloat(barHeight(ms, m), 'f', 2, 64) }

func barY(ms []Month, m Month) string { return strconv.FormatFloat(40-barHeight(ms, m), 'f', 2, 64) }

func barClass(current bool) string {
	if current {
		return "fill-sky-600"
	}
	return "fill-slate-300"
}

// changeText compares the current month with the one before: "比上月 +12.5%",
// or the amounts when last month was zero.
func changeText(ctx context.Context, ms []Month) string {
	cur, prev := ms[len(ms)-1].Amount, ms[len(ms)-2].Amount
	if !prev.IsPositive() {
		return ui.T(ctx, "home.figure.prev", map[string]any{"Amount": ui.Money(prev, 2)})
	}
	pct := cur.Sub(prev).Div(prev).Mul(decimal.NewFromInt(100)).Round(1)
	sign := ""
	if pct.IsPositive() {
		sign = "+"
	}
	return ui.T(ctx, "home.figure.change", map[string]any{"Pct": sign + pct.StringFixed(1)})
}

// figureCols sizes the figures' row to the figures shown (a member who
// sees one figure gets one wide tile, not a third of an empty row).
func figureCols(f Figures) string {
	n := 0
	for _, shown := range []bool{f.ShowBalance, f.ShowCustomers, len(f.Months) > 0} {
		if shown {
			n++
		}
	}
	switch n {
	case 1:
		return "md:grid-cols-1"
	case 2:
		return "md:grid-cols-2"
	}
	return "md:grid-cols-3"
}

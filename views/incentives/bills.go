package incentives

import (
	"net/url"
	"strconv"

	"github.com/shopspring/decimal"

	"partnercenter/internal/incentive"
	"partnercenter/internal/performance"
	"partnercenter/views/components"
	"partnercenter/views/ui"
)

// BillsVM is 激励汇总.
type BillsVM struct {
	Filter   incentive.BillFilter
	Rows     []incentive.BillRow
	Pager    components.Pager
	Refusal  string // a refused 确认对账
	Feedback FeedbackForm
}

// BillVM is a bill's 核算过程.
type BillVM struct {
	V      *incentive.BillView
	Vendor bool // the vendor's desk: no partner tabs, back to 激励公示
}

// IncentiveDeskVM is the vendor's 激励公示.
type IncentiveDeskVM struct {
	State   string
	Rows    []incentive.DeskRow
	Failed  string // the bill whose action was refused
	Summary string
}

// PoliciesVM is the vendor's 激励政策 page with its form.
type PoliciesVM struct {
	Policies    []incentive.Policy
	Definitions []performance.Definition
	Form        incentive.PolicyInput
	Errors      map[string]string
	Summary     string
}

// DefinitionsVM is the vendor's 指标定义 page with its form.
type DefinitionsVM struct {
	Definitions []performance.Definition
	Form        performance.DefinitionInput
	Errors      map[string]string
	Summary     string
}

func defName(defs []performance.Definition, id int64) string {
	for _, d := range defs {
		if d.ID == id {
			return d.Name
		}
	}
	return "-"
}

// partnerDefinitionOptions are the definitions a policy may read
// (partner-level, not derived).
func partnerDefinitionOptions(defs []performance.Definition) []components.Option {
	out := []components.Option{{Value: "", Label: "list.choose"}}
	for _, d := range defs {
		if d.Dimension == performance.DimensionPartner && d.Kind != performance.KindDerived && d.Active {
			out = append(out, components.Option{Value: strconv.FormatInt(d.ID, 10), Label: d.Name + " (" + d.Cycle + ")", Raw: true})
		}
	}
	return out
}

// annualDefinitionOptions are the definitions a growth rate may derive from.
func annualDefinitionOptions(defs []performance.Definition) []components.Option {
	out := []components.Option{{Value: "", Label: "list.choose"}}
	for _, d := range defs {
		if d.Cycle == performance.CycleYear && d.Kind != performance.KindDerived {
			out = append(out, components.Option{Value: strconv.FormatInt(d.ID, 10), Label: d.Name, Raw: true})
		}
	}
	return out
}

func idValue(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

func kindOptions() []components.Option {
	return []components.Option{{Value: incentive.KindGrowth, Label: "incentive.kind.growth"},
		{Value: incentive.KindThreshold, Label: "incentive.kind.threshold"}}
}

func eligibilityOptions() []components.Option {
	return []components.Option{{Value: incentive.EligibleLeveled, Label: "incentive.eligibility.leveled_sp_or_md"},
		{Value: incentive.EligibleAll, Label: "incentive.eligibility.sp_or_md"}}
}

func cycleOptions() []components.Option {
	return []components.Option{{Value: performance.CycleYear, Label: "indicator.cycle.year"},
		{Value: performance.CycleQuarter, Label: "indicator.cycle.quarter"}, {Value: performance.CycleMonth, Label: "indicator.cycle.month"}}
}

func dimensionOptions() []components.Option {
	return []components.Option{{Value: performance.DimensionPartner, Label: "indicator.dimension.partner_long"},
		{Value: performance.DimensionCustomer, Label: "indicator.dimension.customer"}}
}

func defKindOptions() []components.Option {
	return []components.Option{{Value: performance.KindThreshold, Label: "indicator.kind.threshold"},
		{Value: performance.KindBase, Label: "indicator.kind.base"}, {Value: performance.KindDerived, Label: "indicator.kind.derived"}}
}

// DetailsVM is 激励明细.
type DetailsVM struct {
	Filter          incentive.DetailFilter
	Bill            *incentive.BillView // the bill filtered on, if any
	Rows            []incentive.DetailRow
	Pager           components.Pager
	ShowPerformance bool // 业绩金额 is hidden by default (§12.1.5.4)
	Feedback        FeedbackForm
}

func billStateLabel(s string) string { return "incentive.state." + s }

func billStateOptions() []components.Option {
	out := []components.Option{{Value: "", Label: "list.all"}}
	for _, s := range incentive.States {
		out = append(out, components.Option{Value: s, Label: billStateLabel(s)})
	}
	return out
}

func associationLabel(a string) string {
	switch a {
	case "resale":
		return "customer.mode.resale"
	case "consulting":
		return "customer.mode.consulting"
	}
	return ""
}

// detailsURL is 查看激励明细 of a bill.
func detailsURL(id string) string { return "/incentives/details?bill=" + url.QueryEscape(id) }

// indicatorURL is 指标信息 of a definition and period.
func indicatorURL(def int64, period string) string {
	return "/incentives/indicators?" + url.Values{"definition": {strconv.FormatInt(def, 10)}, "period": {period}}.Encode()
}

// columnsURL toggles the 业绩金额 column.
func columnsURL(vm DetailsVM) string {
	q := url.Values{}
	for k, v := range vm.Pager.Query {
		q[k] = v
	}
	if vm.ShowPerformance {
		q.Del("cols")
	} else {
		q.Set("cols", "performance")
	}
	return "/incentives/details?" + q.Encode()
}

// stepChart is a policy's step table with the partner's position.
func stepChart(v *incentive.BillView, name string) components.ChartSpec {
	c := v.Calc
	spec := components.ChartSpec{Kind: components.ChartStep, Unit: "%", XUnit: "¥"}
	pts := [][2]float64{{0, 0}}
	for _, t := range c.Tiers {
		pts = append(pts, [2]float64{components.ChartValue(t.From), components.ChartValue(t.Ratio)})
	}
	x := c.Threshold
	if c.Increment != nil {
		x = *c.Increment
	}
	last := x
	if n := len(c.Tiers); n > 0 && c.Tiers[n-1].From.GreaterThan(last) {
		last = c.Tiers[n-1].From
	}
	last = last.Mul(decimal.NewFromFloat(1.2))
	if len(c.Tiers) > 0 {
		pts = append(pts, [2]float64{components.ChartValue(last), components.ChartValue(c.Tiers[len(c.Tiers)-1].Ratio)})
	}
	m := components.ChartValue(x)
	spec.Mark = &m
	spec.Series = []components.ChartSeries{{Name: name, Points: pts}}
	return spec
}

// tierUpper is the exclusive upper bound of tier i, or nil for the last.
func tierUpper(ts incentive.Tiers, i int) *decimal.Decimal {
	if i+1 < len(ts) {
		return &ts[i+1].From
	}
	return nil
}

func orDashDec(d *decimal.Decimal, places int32, money func(decimal.Decimal, int32) string) string {
	if d == nil {
		return "-"
	}
	return money(*d, places)
}

func billCrumbs(vm BillVM) []ui.Crumb {
	if vm.Vendor {
		return []ui.Crumb{{Label: "nav.partners"}, {Label: "nav.partners.incentives", Path: "/partners/incentives"}, {Label: "incentive.calc.title"}}
	}
	return []ui.Crumb{{Label: "nav.incentives"}, {Label: "nav.incentives.bills", Path: "/incentives/bills"}, {Label: "incentive.calc.title"}}
}

// Package incentives renders 销售 > 激励 (internal/performance): 业绩汇总,
// 业绩明细 and a record's detail, and the vendor's 业绩公示 desk.
package incentives

import (
	"net/url"
	"strconv"

	"partnercenter/internal/performance"
	"partnercenter/views/components"
)

// SummariesVM is 业绩汇总.
type SummariesVM struct {
	O        *performance.Overview
	Period   string // YYYY-MM filter
	Feedback FeedbackForm
}

// FeedbackForm is a refused 问题反馈 shown again: the summary's, record's,
// bill's or line's id, what was typed, the field error and the refusal.
type FeedbackForm struct {
	Key     string
	Opinion string
	Error   string
	Summary string
}

// RecordsVM is 业绩明细.
type RecordsVM struct {
	Filter    performance.Filter
	Rows      []performance.Row
	Pager     components.Pager
	Resellers []performance.Reseller // a master distributor's 二级经销商 filter
}

func resellerOptions(vm RecordsVM) []components.Option {
	out := []components.Option{{Value: "", Label: "list.all"}}
	for _, r := range vm.Resellers {
		out = append(out, components.Option{Value: strconv.FormatInt(r.ID, 10), Label: r.Name, Raw: true})
	}
	return out
}

func resellerValue(f performance.Filter) string {
	if f.Reseller == 0 {
		return ""
	}
	return strconv.FormatInt(f.Reseller, 10)
}

// RecordVM is one record's detail.
type RecordVM struct {
	R        *performance.Row
	Feedback FeedbackForm
}

// DeskVM is the vendor's 业绩公示 desk.
type DeskVM struct {
	State   string
	Rows    []performance.VendorRow
	Failed  int64 // the summary whose action was refused
	Summary string
}

func stateLabel(s string) string { return "performance.state." + s }

func billTypeOptions() []components.Option {
	return []components.Option{{Value: "", Label: "list.all"}, {Value: "consumption", Label: "performance.bill_type.consumption"},
		{Value: "refund", Label: "performance.bill_type.refund"}, {Value: "adjustment", Label: "performance.bill_type.adjustment"}}
}

func modeOptions() []components.Option {
	return []components.Option{{Value: "", Label: "list.all"}, {Value: "yearly_monthly", Label: "performance.billing_mode.yearly_monthly"},
		{Value: "on_demand", Label: "performance.billing_mode.on_demand"}}
}

func deskStateOptions() []components.Option {
	out := []components.Option{{Value: "", Label: "list.all"}}
	for _, s := range performance.States {
		out = append(out, components.Option{Value: s, Label: stateLabel(s)})
	}
	return out
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// IndicatorsVM is 指标信息.
type IndicatorsVM struct {
	Filter      performance.IndicatorFilter
	Rows        []performance.IndicatorRow
	Definitions []performance.Definition
	Pager       components.Pager
}

func definitionOptions(vm IndicatorsVM) []components.Option {
	out := []components.Option{{Value: "", Label: "list.all"}}
	for _, d := range vm.Definitions {
		out = append(out, components.Option{Value: strconv.FormatInt(d.ID, 10), Label: d.Name, Raw: true})
	}
	return out
}

func definitionValue(f performance.IndicatorFilter) string {
	if f.DefinitionID == 0 {
		return ""
	}
	return strconv.FormatInt(f.DefinitionID, 10)
}

// detailLink is 业绩明细 of an indicator's period (and customer).
func detailLink(r performance.IndicatorRow) string {
	q := url.Values{"from": {r.PeriodStart.Format("2006-01-02")}, "to": {r.PeriodEnd().AddDate(0, 0, -1).Format("2006-01-02")}}
	if r.CustomerAccount != "" {
		q.Set("customer", r.CustomerAccount)
	}
	return "/incentives/performance/records?" + q.Encode()
}

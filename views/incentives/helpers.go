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
	Open    bool // opened from 业绩明细's 问题反馈
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
	// ExportError is why 按业绩形成时间导出 was refused (its dates).
	ExportError string
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

// detailLink is 指标明细: 业绩明细 of the months an indicator sums (and
// its customer and product type), the records its value adds up.
func detailLink(r performance.IndicatorRow) string {
	q := url.Values{"period_from": {r.PeriodStart.Format("2006-01")}, "period_to": {r.PeriodEnd().AddDate(0, -1, 0).Format("2006-01")}}
	if r.CustomerAccount != "" {
		q.Set("customer", r.CustomerAccount)
	}
	if r.ProductType != "" {
		q.Set("product_type", r.ProductType)
	}
	return "/incentives/performance/records?" + q.Encode()
}

// openState reports a summary state still taking 问题反馈 (the records
// of a summary 公示结束 or 终稿 are refused with the seed's sentence).
func openState(status string) bool {
	s := performance.Summary{Status: status}
	return s.Open()
}

// indicatorScope are the hidden fields of 指标明细's scope, kept by the
// filter form.
func indicatorScope(f performance.Filter) [][2]string {
	var out [][2]string
	for _, kv := range [][2]string{{"period_from", f.PeriodFrom}, {"period_to", f.PeriodTo}, {"product_type", f.ProductType}} {
		if kv[1] != "" {
			out = append(out, kv)
		}
	}
	return out
}

// noDetailKey is why an indicator has no details (§12.1.8.2).
func noDetailKey(r performance.IndicatorRow) string {
	if r.MultiAccount {
		return "indicator.no_detail_multi"
	}
	return "indicator.no_detail"
}

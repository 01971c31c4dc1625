// Package consumption renders 客户 > 客户消费 (消费汇总, 客户退订汇总,
// 消费明细), 客户订单 and vendor finance's 消费导入 with its report of
// rejected lines (seed 003 §12.1.7.1, §12.1.9.14, §12.3.10).
package consumption

import (
	"net/url"
	"time"

	"github.com/shopspring/decimal"

	cs "partnercenter/internal/consumption"
	"partnercenter/views/components"
	"partnercenter/views/ui"
)

// ListVM is one of the partner's consumption lists.
type ListVM struct {
	Tab     string // summary | refunds | details | orders
	Filter  cs.Filter
	Period  string // yyyy-mm
	Periods []components.Option
	Summary *cs.Summary
	Details *cs.Details
	Orders  *cs.Orders
	Pager   components.Pager
	Query   url.Values
}

// ImportsVM is vendor finance's 消费导入 page.
type ImportsVM struct {
	Rows    []cs.Import
	Pager   components.Pager
	Summary string         // form-level error key
	Args    map[string]any // its arguments
}

// ImportVM is one import's report.
type ImportVM struct {
	Import  *cs.Import
	Rejects []cs.Reject
	Pager   components.Pager
}

func money2(d decimal.Decimal) string { return ui.Money(d, 2) }
func money8(d decimal.Decimal) string { return ui.Money(d, 8) }

func period(t time.Time) string { return t.Format("2006-01") }

func modeOptions() []components.Option {
	return []components.Option{{Value: "", Label: "consumption.filter.all_modes"},
		{Value: "resale", Label: "customer.mode.resale"}, {Value: "consulting", Label: "customer.mode.consulting"}}
}

func billTypeOptions() []components.Option {
	return []components.Option{{Value: "", Label: "consumption.filter.all_types"},
		{Value: "consumption", Label: "consumption.bill_type.consumption"}, {Value: "refund", Label: "consumption.bill_type.refund"},
		{Value: "adjustment", Label: "consumption.bill_type.adjustment"}}
}

func itoa(n int) string { return ui.Itoa(int64(n)) }

func pct(part, total int) string {
	if total == 0 {
		return "0"
	}
	return ui.Itoa(int64(part * 100 / total))
}

// active: an import still waiting for or being worked by its job.
func active(status string) bool { return status == "queued" || status == "running" }

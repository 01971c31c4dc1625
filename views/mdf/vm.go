// Package mdf renders 权益 > 市场发展基金 (seed 003 §10.5; issue 16): 额度,
// 使用申请 and 兑现申报 for partners, the vendor's MDF caps and violation
// flags, and vendor finance's MDF payment desk.
package mdf

import (
	"net/url"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	core "partnercenter/internal/mdf"
	"partnercenter/internal/partner"
	"partnercenter/views/components"
)

// Tabs of the partner's MDF pages.
const (
	TabQuota  = "quota"
	TabUsages = "usages"
	TabClaims = "claims"
)

// QuotaVM is 额度.
type QuotaVM struct {
	S *core.Standing
}

// UsagesVM is 使用申请.
type UsagesVM struct {
	Filter core.Filter
	Rows   []core.UsageRow
	Total  int64
	Query  url.Values
}

// Pager is the list's pager.
func (vm UsagesVM) Pager() components.Pager {
	return components.Pager{Page: vm.Filter.Page, PerPage: core.PerPage, Total: vm.Total, Query: vm.Query, Path: "/benefits/mdf/usages",
		Target: "#mdf-table"}
}

// ClaimsVM is 兑现申报 (partner) or the finance desk.
type ClaimsVM struct {
	Filter  core.Filter
	Rows    []core.ClaimRow
	Total   int64
	Query   url.Values
	Key     string // the finance desk's idempotency key
	Failed  int64  // the row a refusal is about
	Summary string
	Args    map[string]any
}

// Pager is the partner list's pager.
func (vm ClaimsVM) Pager(path string) components.Pager {
	return components.Pager{Page: vm.Filter.Page, PerPage: core.PerPage, Total: vm.Total, Query: vm.Query, Path: path, Target: "#mdf-table"}
}

// FormVM is the 使用申请 form.
type FormVM struct {
	S       *core.Standing
	In      core.UsageInput
	Errors  map[string]string
	Summary string
	Args    map[string]any
	// NoReasonFrom is the first event day that needs no late reason.
	NoReasonFrom time.Time
}

// EventRows are the form's event rows (filled ones, then empty ones up to
// five).
func (vm FormVM) EventRows() [][2]string {
	var out [][2]string
	for i := range vm.In.Starts {
		end := ""
		if i < len(vm.In.Ends) {
			end = vm.In.Ends[i]
		}
		if vm.In.Starts[i] != "" || end != "" {
			out = append(out, [2]string{vm.In.Starts[i], end})
		}
	}
	for len(out) < 5 {
		out = append(out, [2]string{"", ""})
	}
	return out
}

// DetailVM is a usage application's page with its claim.
type DetailVM struct {
	D       *core.UsageDetail
	Today   time.Time
	Errors  map[string]string
	Summary string
	Args    map[string]any
	// The claim and invoice forms' values after a refusal.
	Amount, Text             string
	InvoiceNo, InvoiceAmount string
}

// DueBy is the claim's last day without the extension e-mail.
func (vm DetailVM) DueBy() time.Time { return core.DueBy(&vm.D.Usage) }

// Late reports a claim past its 90 days.
func (vm DetailVM) Late() bool { return vm.D.Usage.ClaimLate(vm.Today) }

// Ended reports the activity over (a claim may be made).
func (vm DetailVM) Ended() bool { return vm.D.Usage.Ended(vm.Today) }

// AdminVM is the vendor's MDF page: a year's caps and the violations.
type AdminVM struct {
	Year       int
	Caps       []core.Cap
	Violations []core.Violation
	Partners   []partner.Choice
	Partner    string // the violation form's partner after a refusal
	Tier, Cap  string
	Reason     string // the violation form's reason after a refusal
	Errors     map[string]string
	Summary    string
}

func usageStateOptions() []components.Option {
	return components.OptionsOf("mdf.usage.", core.UsageStates, components.AllOption)
}

func claimStateOptions() []components.Option {
	return components.OptionsOf("mdf.claim.", core.ClaimStates, components.AllOption)
}

func financeStateOptions() []components.Option {
	return components.OptionsOf("mdf.claim.", []string{core.ClaimInvoiced, core.ClaimApproved, core.ClaimPaid}, components.AllOption)
}

func activityOptions() []components.Option {
	return components.OptionsOf("mdf.activity.", core.ActivityTypes, components.Option{Value: "", Label: "mdf.choose"})
}

func tierOptions() []components.Option {
	return components.OptionsOf("mdf.tier.", core.Tiers, components.Option{Value: "", Label: "mdf.choose"})
}

// pct is part's share of whole in percent (0–100) for the quota bar.
func pct(part, whole decimal.Decimal) string {
	if !whole.IsPositive() {
		return "0"
	}
	p := part.Mul(decimal.NewFromInt(100)).Div(whole)
	if p.GreaterThan(decimal.NewFromInt(100)) {
		p = decimal.NewFromInt(100)
	}
	return p.StringFixed(1)
}

func isRequired(activityType, cat string) bool {
	return slices.Contains(core.Required(activityType), cat)
}

// claimAmount is the claim form's amount: what was typed, else the draft's.
func claimAmount(vm DetailVM) string {
	if vm.Amount != "" || vm.D.Claim == nil {
		return vm.Amount
	}
	return vm.D.Claim.Amount.StringFixed(2)
}

// claimText is the claim form's summary: what was typed, else the draft's.
func claimText(vm DetailVM) string {
	if vm.Text != "" || vm.D.Claim == nil {
		return vm.Text
	}
	return vm.D.Claim.Summary
}

package incentives

import (
	"slices"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"partnercenter/internal/incentive"
	"partnercenter/views/components"
)

// PayoutsVM is 激励申请.
type PayoutsVM struct {
	Page     *incentive.PayoutPage
	Key      string // the form's idempotency key
	Method   string
	Selected []int64
	Summary  string
	Settings incentive.Settings // 自动申请
}

func autoMethodOptions() []components.Option {
	return []components.Option{{Value: incentive.MethodAccount, Label: "incentive.method.account"},
		{Value: incentive.MethodBank, Label: "incentive.method.bank"},
		{Value: incentive.MethodVoucherQuota, Label: "incentive.method.voucher_quota"}}
}

// checked reports an incentive ticked: every negative one, and those
// selected before a refusal.
func (vm PayoutsVM) checked(it incentive.Item) bool {
	return it.Amount.IsNegative() || slices.Contains(vm.Selected, it.ID)
}

// PendingTotal is what the pending incentives add up to.
func (vm PayoutsVM) PendingTotal() decimal.Decimal {
	t := decimal.Zero
	for _, it := range vm.Page.Items {
		t = t.Add(it.Amount)
	}
	return t
}

// NegativeTotal is the pending negatives (always applied with the rest).
func (vm PayoutsVM) NegativeTotal() decimal.Decimal {
	t := decimal.Zero
	for _, it := range vm.Page.Items {
		if it.Amount.IsNegative() {
			t = t.Add(it.Amount)
		}
	}
	return t
}

func methodOptions() []components.Option {
	out := []components.Option{{Value: "", Label: "incentive.payout.choose_method"}}
	for _, m := range incentive.Methods {
		out = append(out, components.Option{Value: m, Label: "incentive.method." + m})
	}
	return out
}

// nettingNote explains an item of a netting: an expired positive or
// negative, or the negative the netting left.
func nettingNote(it incentive.Item) string {
	switch {
	case it.Origin == "netting":
		return "incentive.expiry.remainder_note"
	case it.Amount.IsPositive():
		return "incentive.expiry.positive_note"
	default:
		return "incentive.expiry.negative_note"
	}
}

// ApplicationsVM is 申请记录.
type ApplicationsVM struct {
	Apps      []incentive.Application
	Items     map[int64][]incentive.Item
	Invoices  map[int64][]incentive.PartnerInvoice
	Taxpayer  string // certified taxpayer type: the invoice amount depends on it
	Highlight string // the 申付单号 just submitted
	// A refused 录入发票 or 删除: the application, the form and the messages.
	Failed  int64
	Form    incentive.InvoiceInput
	Errors  map[string]string
	Summary string
	Args    map[string]any
}

// form is the 录入发票 form of an application: the refused one kept.
func (vm ApplicationsVM) form(id int64) incentive.InvoiceInput {
	if vm.Failed == id {
		return vm.Form
	}
	return incentive.InvoiceInput{Rate: strconv.Itoa(incentive.TaxRate(vm.Taxpayer)), Type: incentive.InvoiceSpecial}
}

// entered is the sum of an application's invoices.
func entered(invs []incentive.PartnerInvoice) decimal.Decimal {
	t := decimal.Zero
	for _, i := range invs {
		t = t.Add(i.Amount)
	}
	return t
}

func invoiceTypeOptions() []components.Option {
	return []components.Option{{Value: incentive.InvoiceSpecial, Label: "incentive.invoice_type.special"},
		{Value: incentive.InvoiceESpecial, Label: "incentive.invoice_type.e_special"}}
}

func invoiceRateOptions() []components.Option {
	return []components.Option{{Value: "6", Label: "incentive.invoice.rate6"}, {Value: "3", Label: "incentive.invoice.rate3"}}
}

func invoiceContentOptions() []components.Option {
	out := make([]components.Option, len(incentive.InvoiceContents))
	for i, c := range incentive.InvoiceContents {
		out[i] = components.Option{Value: c, Label: c, Raw: true}
	}
	return out
}

// InvoiceGuideVM is 查看开票样例及开票注意事项.
type InvoiceGuideVM struct {
	Guide *incentive.InvoiceGuide
}

// PayoutDeskVM is vendor finance's 激励付款.
type PayoutDeskVM struct {
	Key      string // the decision forms' idempotency key
	State    string
	Rows     []incentive.PayoutRow
	Invoices map[int64][]incentive.PartnerInvoice
	Now      time.Time
	Failed   int64
	Summary  string
	Args     map[string]any
}

// rateOK reports an invoice at the partner's taxpayer rate (§12.1.5.39).
func rateOK(r incentive.PayoutRow, inv incentive.PartnerInvoice) bool {
	return inv.TaxRate == incentive.TaxRate(r.TaxpayerType)
}

func appStateOptions() []components.Option {
	out := []components.Option{{Value: "", Label: "incentive.payout.waiting"}}
	for _, s := range incentive.AppStates {
		out = append(out, components.Option{Value: s, Label: "incentive.app." + s})
	}
	return out
}

// ageDays is how many days an application has waited since submission.
func ageDays(r incentive.PayoutRow, now time.Time) int64 {
	return int64(now.Sub(r.SubmittedAt).Hours() / 24)
}

// overdue reports an invoice received more than 15 days ago and not paid.
func overdue(a incentive.Application, now time.Time) bool {
	by := a.PayBy()
	return by != nil && a.Status != incentive.AppCompleted && now.After(*by)
}

package billing

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	inv "partnercenter/internal/invoice"
	"partnercenter/views/components"
	"partnercenter/views/ui"
)

// View models of 账务 > 发票管理 and vendor finance's 发票开具.

// InvoicesVM is the 发票管理 page of one signing entity's tab.
type InvoicesVM struct {
	Entities []string
	Merged   []string // entities with only owed or negative invoices, shown in Entity's tab (§12.1.4.21)
	Entity   string
	Summary  inv.Summary
	Info     *inv.Info
	Bills    []inv.Bill
	Filter   inv.Filter
	List     *inv.List
	Pager    components.Pager
}

// InvoiceDetailVM is one invoice, for the partner or vendor finance.
type InvoiceDetailVM struct {
	Inv         *inv.Invoice
	Bills       []inv.BillLine
	Vendor      bool
	Errors      map[string]string
	Summary     string
	SummaryArgs map[string]any
	Number      string
	Courier     string
	TrackingNo  string
}

// InvoiceApplyVM is the 申请开票 form.
type InvoiceApplyVM struct {
	Entities    []string
	Input       inv.ApplyInput
	Bills       []inv.Bill
	Info        *inv.Info
	Invoiceable decimal.Decimal
	Errors      map[string]string
	Summary     string
	SummaryArgs map[string]any
}

// InvoiceInfoVM is 管理发票信息.
type InvoiceInfoVM struct {
	Input       inv.InfoInput
	Current     *inv.Info
	Errors      map[string]string
	Summary     string
	SummaryArgs map[string]any
}

// InvoiceReturnVM is the 退票 form.
type InvoiceReturnVM struct {
	Inv         *inv.Invoice
	Input       inv.ReturnInput
	Errors      map[string]string
	Summary     string
	SummaryArgs map[string]any
}

// FinanceInvoicesVM is vendor finance's queue.
type FinanceInvoicesVM struct {
	Filter inv.Filter
	List   *inv.List
	Pager  components.Pager
}

func entityName(ctx context.Context, e string) string { return ui.T(ctx, "invoice.entity."+e) }

func invoiceStateLabel(ctx context.Context, s string) string { return ui.T(ctx, "invoice.state."+s) }

// invoiceKind is "增值税普通发票（电子）" and the like.
func invoiceKind(ctx context.Context, i *inv.Invoice) string {
	return ui.T(ctx, "invoice.type."+i.InvoiceType) + " · " + ui.T(ctx, "invoice.medium."+i.Medium)
}

func period(t time.Time) string { return inv.PeriodKey(t) }

func entityTabURL(e string) string { return "/billing/invoices?entity=" + e }

func applyURL(e string) string { return "/billing/invoices/apply?entity=" + e }

func invoiceURL(id int64, vendor bool) string {
	if vendor {
		return "/finance/invoices/" + itoa(id)
	}
	return "/billing/invoices/" + itoa(id)
}

func invoicePDFURL(id int64, vendor bool) string { return invoiceURL(id, vendor) + "/pdf" }

func invoiceStateOptions() []components.Option {
	out := []components.Option{{Value: "", Label: "billing.filter.all"}}
	for _, s := range inv.States {
		out = append(out, components.Option{Value: s, Label: "invoice.state." + s})
	}
	return out
}

func invoiceTypeFilterOptions() []components.Option {
	return []components.Option{{Value: "", Label: "billing.filter.all"}, {Value: inv.TypeGeneral, Label: "invoice.type.general"},
		{Value: inv.TypeSpecial, Label: "invoice.type.special"}, {Value: inv.MediumElectronic, Label: "invoice.filter.electronic"}}
}

func invoiceTypeOptions() []components.Option {
	return []components.Option{{Value: inv.TypeGeneral, Label: "invoice.type.general"}, {Value: inv.TypeSpecial, Label: "invoice.type.special"}}
}

func invoiceMediumOptions() []components.Option {
	return []components.Option{{Value: inv.MediumElectronic, Label: "invoice.medium.electronic"}, {Value: inv.MediumPaper, Label: "invoice.medium.paper"}}
}

func periodChecked(in inv.ApplyInput, p string) bool {
	for _, x := range in.Periods {
		if x == p {
			return true
		}
	}
	return false
}

func selectedTotal(in inv.ApplyInput, bills []inv.Bill) decimal.Decimal {
	sum := decimal.Zero
	for _, b := range bills {
		if periodChecked(in, inv.PeriodKey(b.Period)) && b.Free() {
			sum = sum.Add(b.Invoiceable)
		}
	}
	return sum
}

func postageLabel(ctx context.Context, p string) string { return ui.T(ctx, "invoice.postage."+p) }

func runeLen(s string) string { return itoa(int64(utf8.RuneCountInString(s))) }

func or(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

func returnAddressKey(e string) string { return "invoice.return.address." + e }

func modeChecked(in inv.ApplyInput, m string) bool {
	if in.Mode == "" {
		return m == inv.ModePeriods
	}
	return in.Mode == m
}

func mailHidden(in inv.ApplyInput) bool { return in.Medium == inv.MediumElectronic }

func remarkBorder(errKey string) string {
	if errKey != "" {
		return "border-rose-400"
	}
	return "border-slate-300"
}

// issueConfirm restates the invoice vendor finance is about to issue: to
// whom, under which title, for how much.
func issueConfirm(ctx context.Context, i *inv.Invoice) components.Confirm {
	return components.Confirm{
		ID:      "issue-confirm",
		Title:   ui.T(ctx, "invoice.finance.issue"),
		Message: ui.T(ctx, "invoice.finance.issue_confirm", map[string]any{"Amount": Money(i.Amount), "Title": i.Title}),
		Lines: []components.ConfirmLine{
			{Label: ui.T(ctx, "billing.col.partner"), Value: i.PartnerName},
			{Label: ui.T(ctx, "invoice.info.f.title"), Value: i.Title},
			{Label: ui.T(ctx, "invoice.col.amount"), Value: Money(i.Amount)},
		},
		Accept: ui.T(ctx, "invoice.finance.issue_submit"),
	}
}

// acceptReturnConfirm restates the invoice vendor finance takes back.
func acceptReturnConfirm(ctx context.Context, i *inv.Invoice) components.Confirm {
	return components.Confirm{
		ID:      "accept-return-confirm",
		Title:   ui.T(ctx, "invoice.finance.accept_return"),
		Message: ui.T(ctx, "invoice.finance.accept_confirm", map[string]any{"No": i.No}),
		Lines: []components.ConfirmLine{
			{Label: ui.T(ctx, "billing.col.partner"), Value: i.PartnerName},
			{Label: ui.T(ctx, "invoice.col.no"), Value: i.No},
			{Label: ui.T(ctx, "invoice.col.number"), Value: or(i.Number(), "-")},
			{Label: ui.T(ctx, "invoice.col.amount"), Value: Money(i.Amount)},
		},
		Accept: ui.T(ctx, "invoice.finance.accept_submit"),
		Danger: true,
	}
}

// returnConfirm restates the invoice the partner returns and asks for the
// reason (required, at most 100 characters, as invoice.Service checks);
// a reason the server refused opens the dialog again with its message.
func returnConfirm(ctx context.Context, vm InvoiceReturnVM) components.Confirm {
	errKey := errOf(vm.Errors, "reason")
	return components.Confirm{
		ID:      "return-confirm",
		Title:   ui.T(ctx, "invoice.return.title"),
		Message: ui.T(ctx, "invoice.return.confirm", map[string]any{"No": vm.Inv.No, "Amount": Money(vm.Inv.Amount)}),
		Lines: []components.ConfirmLine{
			{Label: ui.T(ctx, "invoice.col.no"), Value: vm.Inv.No},
			{Label: ui.T(ctx, "invoice.col.number"), Value: or(vm.Inv.Number(), "-")},
			{Label: ui.T(ctx, "invoice.col.amount"), Value: Money(vm.Inv.Amount)},
		},
		Reason: &components.ConfirmReason{Name: "reason", Label: ui.T(ctx, "invoice.return.reason"), Value: vm.Input.Reason,
			Required: true, Max: 100, Err: errKey},
		Accept: ui.T(ctx, "invoice.return.submit"),
		Danger: true,
		Open:   errKey != "",
	}
}

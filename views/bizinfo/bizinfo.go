// Package bizinfo renders 商业信息认证: the partner's 伙伴信息 > 商业信息
// page and the vendor's 财务 > 商业信息审核 desk (internal/bizinfo).
package bizinfo

import (
	"context"
	"strconv"

	core "partnercenter/internal/bizinfo"
	"partnercenter/views/components"
	"partnercenter/views/ui"
)

// PageVM is the partner's page.
type PageVM struct {
	State   *core.State
	Input   core.Input
	Errors  map[string]string
	Summary string
	// Editing: the form is shown (first certification, re-certification
	// or after a failure) to the main account.
	Editing bool
}

// DeskVM is the vendor's list.
type DeskVM struct {
	Query core.Query
	Rows  []core.Row
	Pager components.Pager
}

// DetailVM is one submission on the vendor's desk.
type DetailVM struct {
	D         *core.Detail
	Reason    string
	ReasonErr string
	Summary   string
	Action    string // the form that failed: decide, letter, taxpayer
}

// StateLabel is the catalog id of a state.
func StateLabel(s string) string { return "bizinfo.state." + s }

func taxpayerOptions() []components.Option {
	return []components.Option{{Value: core.TaxpayerGeneral, Label: "bizinfo.taxpayer.general"},
		{Value: core.TaxpayerSmallScale, Label: "bizinfo.taxpayer.small_scale"}}
}

func stateOptions() []components.Option {
	out := []components.Option{{Value: "", Label: "list.all"}}
	for _, s := range core.States {
		out = append(out, components.Option{Value: s, Label: StateLabel(s)})
	}
	return out
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// differs reports a field that differs from the supplier record.
func differs(d *core.Detail, field string) bool {
	for _, f := range d.Differs {
		if f == field {
			return true
		}
	}
	return false
}

// statusText is the partner banner's sentence for the latest submission.
func statusText(ctx context.Context, st *core.State) string {
	if st.Latest == nil {
		return ui.T(ctx, "bizinfo.banner.none")
	}
	i := st.Latest
	switch i.Status {
	case core.StateFailed:
		return ui.T(ctx, "bizinfo.banner.failed", map[string]any{"Reason": i.FailureReason})
	case core.StateLetterPending:
		if i.FailureReason != "" {
			return ui.T(ctx, "bizinfo.banner.letter_refused", map[string]any{"Reason": i.FailureReason})
		}
	case core.StateLetterReview:
		return ui.T(ctx, "bizinfo.banner.letter_review", map[string]any{"Due": ui.DateTimeP(i.LetterDueAt)})
	}
	return ui.T(ctx, "bizinfo.banner."+i.Status)
}

// supplierValue is the supplier record's value of a field ("" without a
// record or for fields it does not hold).
func supplierValue(d *core.Detail, field string) string {
	r := d.Supplier
	if r == nil {
		return ""
	}
	switch field {
	case "supplier_name":
		return r.SupplierName
	case "bank_name":
		return r.BankName
	case "account_no":
		return r.AccountNo
	case "branch_no":
		return r.BranchNo
	case "account_name":
		return r.AccountName
	}
	return ""
}

// reasonConfirm asks for the reason of a failure or a refused letter.
func reasonConfirm(ctx context.Context, vm DetailVM, action, label string) components.Confirm {
	err := ""
	if vm.Action == action {
		err = vm.ReasonErr
	}
	return components.Confirm{
		ID:      "reason-" + action,
		Title:   ui.T(ctx, label),
		Message: ui.T(ctx, "bizinfo.desk.reason_confirm", map[string]any{"Partner": vm.D.PartnerName}),
		Reason: &components.ConfirmReason{Name: "reason", Label: ui.T(ctx, "bizinfo.desk.reason"), Value: vm.Reason,
			Placeholder: ui.T(ctx, "bizinfo.desk.reason_hint"), Required: true, Max: 500, Err: err},
		Accept: ui.T(ctx, label),
		Danger: true,
		Open:   err != "",
	}
}

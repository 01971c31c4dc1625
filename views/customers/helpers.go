// Package customers renders 客户 > 客户管理 (seed 003 §12.1.2.2, .9, .10,
// §12.1.9.5): the customer list with search, filters, sort, bulk
// assignment and export, a master distributor's 我的客户 tab, the customer
// detail, the switch and unbinding requests with their effects (spec
// §4.5, §4.6), 客户分配 and 关联关系操作记录 with the admin's decision on
// a customer's unbinding (R14).
package customers

import (
	"context"
	"net/url"
	"strconv"
	"time"

	"partnercenter/internal/customer"
	"partnercenter/views/components"
	"partnercenter/views/ui"
)

// ListVM is the customer list (客户管理 or 客户分配).
type ListVM struct {
	// Path is /customers or /customers/assign.
	Path string
	// Loads and Unassigned are 客户分配's overview: each manager's customers
	// and those without a manager.
	Loads      []customer.Load
	Unassigned int64
	Filter     customer.Filter
	List       *customer.List
	Pager      components.Pager
	Query      url.Values // current filter and sort, without page
	Managers   []customer.Manager
	// From and To are the association date range as entered (yyyy-mm-dd).
	From, To string
	// SortDesc is the direction shown (Filter.Desc reverses the service's
	// default order instead).
	SortDesc bool
	// ResellerTab: the tenant is a master distributor (我的客户 tab shown).
	ResellerTab bool
}

// DetailVM is a customer's page.
type DetailVM struct {
	D        *customer.Detail
	Managers []customer.Manager
	Now      time.Time
}

// ChangeVM is the switch or unbinding request form.
type ChangeVM struct {
	Kind    string // "switch" | "unbind"
	D       *customer.Detail
	Reason  string
	Agreed  bool
	Errors  map[string]string
	Summary string
	Args    map[string]any
}

// RecordsVM is 关联关系操作记录.
type RecordsVM struct {
	Filter      customer.RecordFilter
	List        *customer.RecordList
	Pager       components.Pager
	ResellerTab bool
}

const listTarget = "#customer-table"

// modeChipClass is the colour of an association mode chip. A mode is
// not a state, so it is a chip of its own rather than a state badge.
func modeChipClass(m string) string {
	if m == customer.ModeResale {
		return "bg-indigo-50 border-indigo-200 text-indigo-800"
	}
	return "bg-teal-50 border-teal-200 text-teal-800"
}

func modeOptions() []components.Option {
	opts := []components.Option{{Value: "", Label: "list.all"}}
	for _, m := range customer.Modes {
		opts = append(opts, components.Option{Value: m, Label: "customer.mode." + m})
	}
	return opts
}

func stateOptions() []components.Option {
	return []components.Option{
		{Value: "", Label: "customers.state.current"},
		{Value: customer.AssociationEnded, Label: "customer.state.ended"},
		{Value: "all", Label: "list.all"},
	}
}

// managerFilterOptions: any, unassigned (-1) and each manager.
func managerFilterOptions(ctx context.Context, ms []customer.Manager) []components.Option {
	opts := []components.Option{
		{Value: "", Label: ui.T(ctx, "list.all"), Raw: true},
		{Value: "-1", Label: ui.T(ctx, "customers.manager.unassigned"), Raw: true},
	}
	for _, m := range ms {
		opts = append(opts, components.Option{Value: itoa(m.UserID), Label: managerLabel(m), Raw: true})
	}
	return opts
}

// managerChoiceOptions: the managers to assign, and clearing the manager.
func managerChoiceOptions(ctx context.Context, ms []customer.Manager, clear bool) []components.Option {
	opts := []components.Option{{Value: "", Label: ui.T(ctx, "customers.manager.choose"), Raw: true}}
	for _, m := range ms {
		opts = append(opts, components.Option{Value: itoa(m.UserID), Label: managerLabel(m), Raw: true})
	}
	if clear {
		opts = append(opts, components.Option{Value: "0", Label: ui.T(ctx, "customers.manager.clear"), Raw: true})
	}
	return opts
}

func managerLabel(m customer.Manager) string {
	if m.Name == "" {
		return m.LoginName
	}
	return m.Name + " (" + m.LoginName + ")"
}

func managerFilterValue(f customer.Filter) string {
	if f.ManagerID == 0 {
		return ""
	}
	return strconv.FormatInt(f.ManagerID, 10)
}

func requestTypeOptions() []components.Option {
	opts := []components.Option{{Value: "", Label: "list.all"}}
	for _, t := range customer.RequestTypes {
		opts = append(opts, components.Option{Value: t, Label: "customer.request.type." + t})
	}
	return opts
}

func requestStatusOptions() []components.Option {
	opts := []components.Option{{Value: "", Label: "list.all"}}
	for _, s := range customer.RequestStatuses {
		opts = append(opts, components.Option{Value: s, Label: "customer.request.status." + s})
	}
	return opts
}

func sortOf(vm ListVM, field string) components.Sort {
	return components.Sort{Field: field, Current: sortField(vm.Filter), Desc: vm.SortDesc, Query: vm.Query, Path: vm.Path, Target: listTarget}
}

func sortField(f customer.Filter) string {
	if f.Sort == "" {
		return "associated"
	}
	return f.Sort
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func strOr(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func customerPath(id int64, suffix string) string { return "/customers/" + itoa(id) + suffix }

func recordPath(id int64, suffix string) string { return "/customers/records/" + itoa(id) + suffix }

// exportURL is the export of the list with its current filters and sort.
func exportURL(vm ListVM) string {
	q := url.Values{}
	for k, v := range vm.Query {
		q[k] = v
	}
	if len(q) == 0 {
		return "/customers/export.xlsx"
	}
	return "/customers/export.xlsx?" + q.Encode()
}

// backURL is the list with its filters, to come back to after a bulk action.
func backURL(vm ListVM) string {
	q := url.Values{}
	for k, v := range vm.Query {
		q[k] = v
	}
	if vm.Pager.Page > 1 {
		q.Set("page", strconv.Itoa(vm.Pager.Page))
	}
	if len(q) == 0 {
		return vm.Path
	}
	return vm.Path + "?" + q.Encode()
}

func tabURL(resellers bool) string {
	if resellers {
		return "/customers?tab=resellers"
	}
	return "/customers"
}

func recordsTabURL(resellers bool) string {
	if resellers {
		return "/customers/records?tab=resellers"
	}
	return "/customers/records"
}

// canCancel: the route is allowed, the row is not read-only (the service
// clears AwaitsCustomer there) and the service's rule lets this user
// withdraw the request (customer.Request.CancellableBy).
func canCancel(ctx context.Context, r customer.RequestRow) bool {
	return r.AwaitsCustomer && ui.Allowed(ctx, "POST /customers/records/:id/cancel") && r.CancellableBy(ui.P(ctx).Principal)
}

// scopedToOwn: a 客户经理 alone sees only its customers (seed 003 §7.1.4),
// so the manager filter means nothing to it.
func scopedToOwn(ctx context.Context) bool { return ui.P(ctx).Principal.Scoped() }

// canBulkAssign: the assignment checkbox column is drawn.
func canBulkAssign(ctx context.Context, vm ListVM) bool {
	return !vm.Filter.Resellers && len(vm.Managers) > 0 && ui.Allowed(ctx, "POST /customers/manager")
}

// rowActive: actions apply to current (active) associations of the tenant.
func rowActive(vm ListVM, r customer.Row) bool {
	return !vm.Filter.Resellers && r.State == customer.AssociationActive
}

func kindLabel(ctx context.Context, k string) string { return ui.T(ctx, "customer.kind."+k) }

func realNameLabel(ctx context.Context, s string) string {
	if s == "" {
		s = customer.RealNameNone
	}
	return ui.T(ctx, "customer.real_name."+s)
}

// otherMode is the mode a switch goes to.
func otherMode(m string) string {
	if m == customer.ModeResale {
		return customer.ModeConsulting
	}
	return customer.ModeResale
}

func currentMode(d *customer.Detail) string {
	if d.Current == nil {
		return ""
	}
	return d.Current.Mode
}

func graceDays(d *customer.Detail) map[string]any {
	return map[string]any{"Days": d.Customer.GraceDays}
}

func managerName(name string) string {
	if name == "" {
		return "-"
	}
	return name
}

func selectedManager(d *customer.Detail) string {
	if d.Current == nil || d.Current.ManagerUserID == nil {
		return ""
	}
	return itoa(*d.Current.ManagerUserID)
}

func changeTitleKey(kind string) string { return "customers." + kind + ".title" }

func changePath(vm ChangeVM) string { return customerPath(vm.D.Customer.ID, "/"+vm.Kind) }

func dateRangeHint(ctx context.Context) string { return ui.T(ctx, "customers.filter.date_hint") }

func recordQuery(f customer.RecordFilter) url.Values {
	q := url.Values{}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	set("customer", f.CustomerName)
	set("manager", f.ManagerName)
	set("mobile", f.Mobile)
	set("type", f.Type)
	set("status", f.Status)
	set("initiator", f.Initiator)
	if f.Resellers {
		q.Set("tab", "resellers")
	}
	return q
}

// RecordQuery is the records filter as query values (for the pager).
func RecordQuery(f customer.RecordFilter) url.Values { return recordQuery(f) }

func tabLink(resellers, records bool) string {
	if records {
		return recordsTabURL(resellers)
	}
	return tabURL(resellers)
}

func resetURL(vm ListVM) string {
	if vm.Filter.Resellers {
		return vm.Path + "?tab=resellers"
	}
	return vm.Path
}

func emptyHint(ctx context.Context, vm ListVM) string {
	if len(vm.Query) > 0 {
		return ui.T(ctx, "customers.empty_filtered")
	}
	if vm.Filter.Resellers {
		return ui.T(ctx, "customers.resellers.empty_hint")
	}
	if scopedToOwn(ctx) {
		return ui.T(ctx, "customers.empty_manager")
	}
	return ui.T(ctx, "customers.empty_hint")
}

// Effect is one row of the notes table of a switch or an unbinding.
type Effect struct{ Label, Value string } // catalog keys

// Effects lists what a switch from mode, or an unbinding in mode, does to
// balances, vouchers, invoicing and resources (spec §4.5 and §4.6, seed
// 003 §12.4.4, §12.4.11, §12.4.19, §12.4.24, §12.1.9.21).
func Effects(kind, mode string) []Effect {
	var items []string
	switch {
	case kind == "switch":
		items = []string{"balance", "vouchers_vendor", "vouchers_partner", "cash_coupons", "invoicing", "customer_action", "yearly", "on_demand", "refunds"}
		if mode == customer.ModeConsulting {
			items = append(items, "uninvoiced")
		}
	case mode == customer.ModeResale:
		items = []string{"balance", "refunds", "vouchers_vendor", "vouchers_partner", "cash_coupons", "invoicing", "grace", "ledger"}
	default:
		items = []string{"vouchers_partner", "customer_action", "direct", "ledger"}
	}
	out := make([]Effect, 0, len(items))
	for _, it := range items {
		out = append(out, Effect{Label: "customers.effect.item." + it, Value: "customers.effect." + kind + "." + mode + "." + it})
	}
	return out
}

func changeConfirm(ctx context.Context, vm ChangeVM) components.Confirm {
	return components.Confirm{
		ID:      "change-confirm",
		Title:   ui.T(ctx, changeTitleKey(vm.Kind)),
		Message: ui.T(ctx, "customers."+vm.Kind+".confirm", map[string]any{"Name": vm.D.Customer.Name}),
		Lines:   []components.ConfirmLine{{Label: ui.T(ctx, "customers.col.name"), Value: vm.D.Customer.Name + " / " + vm.D.Customer.AccountName}},
		Accept:  ui.T(ctx, "customers."+vm.Kind+".submit"),
		Danger:  vm.Kind == "unbind",
	}
}

func recordCancelConfirm(ctx context.Context, r customer.RequestRow) components.Confirm {
	return components.Confirm{
		ID:      "record-cancel-" + strconv.FormatInt(r.ID, 10),
		Title:   ui.T(ctx, "customers.records.cancel_title"),
		Message: ui.T(ctx, "customers.records.cancel_confirm", map[string]any{"Name": r.CustomerName}),
		Accept:  ui.T(ctx, "customers.records.cancel"),
		Danger:  true,
	}
}

func recordApproveConfirm(ctx context.Context, r customer.RequestRow) components.Confirm {
	return components.Confirm{
		ID:      "record-approve-" + strconv.FormatInt(r.ID, 10),
		Title:   ui.T(ctx, "customers.records.approve_title"),
		Message: ui.T(ctx, "customers.records.approve_confirm", map[string]any{"Name": r.CustomerName}),
		Accept:  ui.T(ctx, "customers.records.approve"),
	}
}

// recordRejectConfirm asks for the reason of a refusal; it is kept as the
// decision's note.
func recordRejectConfirm(ctx context.Context, r customer.RequestRow) components.Confirm {
	return components.Confirm{
		ID:      "record-reject-" + strconv.FormatInt(r.ID, 10),
		Title:   ui.T(ctx, "customers.records.reject_title"),
		Message: ui.T(ctx, "customers.records.reject_confirm", map[string]any{"Name": r.CustomerName}),
		Reason: &components.ConfirmReason{Name: "note", Label: ui.T(ctx, "customers.records.reject_note"),
			Required: true, Max: customer.MaxReasonLen},
		Accept: ui.T(ctx, "customers.records.reject"),
		Danger: true,
	}
}

func switchArgs(ctx context.Context, d *customer.Detail) map[string]any {
	m := currentMode(d)
	return map[string]any{"From": ui.T(ctx, "customer.mode."+m), "To": ui.T(ctx, "customer.mode."+otherMode(m))}
}

func submitClass(kind string) string {
	if kind == "unbind" {
		return components.BtnDanger
	}
	return components.BtnPrimary
}

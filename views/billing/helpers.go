// Package billing holds the 账务 views: 资金管理 (overview, 收支明细, 调账记录,
// resale customers, transfer and recovery forms with their preview,
// withdrawals) and vendor finance's 充值确认 and 提现 pages.
package billing

import (
	"context"
	"net/url"
	"strconv"

	"github.com/shopspring/decimal"

	bl "partnercenter/internal/funds"
	"partnercenter/views/components"
	"partnercenter/views/ui"
)

// OverviewVM is 资金管理 > 概览.
type OverviewVM struct {
	O         *bl.Overview
	Threshold string // the alert form's value
	Errors    map[string]string
}

// LinesVM is 收支明细.
type LinesVM struct {
	Filter    bl.LineFilter
	From, To  string
	List      *bl.LineList
	Pager     components.Pager
	ExportURL string
}

// AdjustmentsVM is 调账记录.
type AdjustmentsVM struct {
	Filter   bl.AdjustmentFilter
	From, To string
	List     *bl.AdjustmentList
	Pager    components.Pager
}

// CustomersVM is the resale customers list (selection for batches).
type CustomersVM struct {
	Filter bl.CustomerFilter
	List   *bl.CustomerList
	Pager  components.Pager
}

// MoveFormVM is the transfer or recovery form (step 1).
type MoveFormVM struct {
	Op        string
	Customers []bl.FundedCustomer
	Amounts   map[int64]string
	Memo      string
	Key       string
	Balance   decimal.Decimal
	Errors    map[string]string
	Summary   string
	Args      map[string]any
}

// PreviewVM is the confirmation step (step 2).
type PreviewVM struct {
	Plan    *bl.Plan
	Key     string
	Errors  map[string]string
	Summary string
}

// WithdrawalsVM is 提现.
type WithdrawalsVM struct {
	Allowances []bl.Allowance
	Balance    decimal.Decimal
	Rows       []bl.Withdrawal
	Total      int64
	Page       int
	Input      bl.WithdrawInput
	StepUp     bool
	// StepUpByCode: the user confirms with its authenticator's code.
	StepUpByCode bool
	Errors       map[string]string
	Summary      string
}

// RechargesVM is vendor finance's 充值确认.
type RechargesVM struct {
	Input   bl.RechargeInput
	Errors  map[string]string
	Summary string
	Q       string
	List    *bl.RechargeList
	Pager   components.Pager
}

// PayoutsVM is vendor finance's 提现审核.
type PayoutsVM struct {
	Status string
	Rows   []bl.Withdrawal
	Pager  components.Pager
	Errors map[int64]string
}

// Money formats a charged amount (2 places).
func Money(d decimal.Decimal) string { return ui.Money(d, 2) }

// Signed formats a ledger line with its sign (+ income, − expense).
func Signed(d decimal.Decimal) string {
	if d.IsPositive() {
		return "+" + ui.Money(d, 2)
	}
	return ui.Money(d, 2)
}

func signClass(d decimal.Decimal) string {
	if d.IsNegative() {
		return "text-right tabular-nums whitespace-nowrap text-rose-700"
	}
	return "text-right tabular-nums whitespace-nowrap text-emerald-700"
}

func kindLabel(ctx context.Context, kind string) string { return ui.T(ctx, "billing.kind."+kind) }

func kindOptions(kinds []string) []components.Option {
	out := []components.Option{{Value: "", Label: "billing.filter.all"}}
	for _, k := range kinds {
		out = append(out, components.Option{Value: k, Label: "billing.kind." + k})
	}
	return out
}

func directionOptions() []components.Option {
	return []components.Option{{Value: "", Label: "billing.filter.all"}, {Value: "in", Label: "billing.direction.in"},
		{Value: "out", Label: "billing.direction.out"}}
}

func sourceOptions() []components.Option {
	out := []components.Option{}
	for _, s := range bl.Sources {
		out = append(out, components.Option{Value: s, Label: "billing.source." + s})
	}
	return out
}

func payoutStatusOptions() []components.Option {
	return []components.Option{{Value: "", Label: "billing.filter.all"}, {Value: bl.WithdrawalPending, Label: "billing.withdrawal.status.pending"},
		{Value: bl.WithdrawalPaid, Label: "billing.withdrawal.status.paid"}, {Value: bl.WithdrawalRejected, Label: "billing.withdrawal.status.rejected"}}
}

func customerLabel(name, account string) string {
	if name == "" && account == "" {
		return "-"
	}
	if name == "" {
		return account
	}
	return name
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func operatorOf(ctx context.Context, s string) string {
	if s == "" {
		return ui.T(ctx, "billing.operator.system")
	}
	return s
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func opPath(op string) string { return "/billing/funds/" + opSlug(op) }

func opSlug(op string) string {
	if op == bl.OpRecover {
		return "recover"
	}
	return "transfer"
}

// moveLink is the form of op for one customer.
func moveLink(op string, id int64) string {
	return opPath(op) + "?" + url.Values{"ids": {itoa(id)}}.Encode()
}

// backLink returns to the form with the entered amounts.
func backLink(p *bl.Plan) string {
	q := url.Values{}
	for _, it := range p.Items {
		id := itoa(it.Customer.CustomerID)
		q.Add("ids", id)
		q.Set("amount_"+id, it.Amount.StringFixed(2))
	}
	if p.Memo != "" {
		q.Set("memo", p.Memo)
	}
	return opPath(p.Op) + "?" + q.Encode()
}

// moveConfirm asks before a transfer or recovery, restating the
// customers, the total and the partner's balance after it.
func moveConfirm(ctx context.Context, p *bl.Plan) components.Confirm {
	names := moveNames(p)
	slug := opSlug(p.Op)
	return components.Confirm{
		ID:      "move-confirm",
		Title:   ui.T(ctx, "billing."+slug+".title"),
		Message: ui.T(ctx, "billing."+slug+".confirm", map[string]any{"Count": len(p.Items), "Total": ui.Money(p.Total, 2), "Names": names}),
		Lines: []components.ConfirmLine{
			{Label: ui.T(ctx, "billing.col.customer"), Value: names},
			{Label: ui.T(ctx, "billing.move.total"), Value: Money(p.Total)},
			{Label: ui.T(ctx, "billing.move.partner_after"), Value: Money(p.BalanceAfter)},
		},
		Accept: ui.T(ctx, "billing."+slug+".confirm_button"),
	}
}

// moveNames names the first three customers of a movement.
func moveNames(p *bl.Plan) string {
	names := ""
	for i, it := range p.Items {
		if i == 3 {
			names += "…"
			break
		}
		if i > 0 {
			names += "、"
		}
		names += customerLabel(it.Customer.Name, it.Customer.AccountName)
	}
	return names
}

func thresholdText(o *bl.Overview) string {
	if !o.Settings.AlertThreshold.Valid {
		return ""
	}
	return o.Settings.AlertThreshold.Decimal.StringFixed(2)
}

func belowThreshold(o *bl.Overview) bool {
	return o.Settings.Alerting(o.Balance)
}

type tab struct{ key, label, path string }

var fundTabs = []tab{
	{"overview", "billing.tab.overview", "/billing/funds"},
	{"lines", "billing.tab.lines", "/billing/funds/lines"},
	{"adjustments", "billing.tab.adjustments", "/billing/funds/adjustments"},
	{"customers", "billing.tab.customers", "/billing/funds/customers"},
	{"withdrawals", "billing.tab.withdrawals", "/billing/funds/withdrawals"},
}

func errOf(m map[string]string, k string) string {
	if m == nil {
		return ""
	}
	return m[k]
}

func amountField(id int64) string { return "amount_" + itoa(id) }

// withdrawConfirm restates the withdrawal typed in the form: the amount
// and the account it is paid to.
func withdrawConfirm(ctx context.Context) components.Confirm {
	return components.Confirm{
		ID:      "withdraw-confirm",
		Title:   ui.T(ctx, "billing.withdrawals.new"),
		Message: ui.T(ctx, "billing.withdrawals.confirm"),
		Lines: []components.ConfirmLine{
			{Label: ui.T(ctx, "billing.withdrawals.amount"), Field: "amount", Money: true, Value: "-"},
			{Label: ui.T(ctx, "billing.withdrawals.holder"), Field: "holder_name", Value: "-"},
			{Label: ui.T(ctx, "billing.withdrawals.bank"), Field: "bank_name", Value: "-"},
			{Label: ui.T(ctx, "billing.withdrawals.account"), Field: "account_no", Value: "-"},
		},
		Accept: ui.T(ctx, "billing.withdrawals.submit"),
	}
}

// rechargeConfirm restates the receipt typed in the form: the partner's
// dedicated account, the amount, how it was paid and by whom.
func rechargeConfirm(ctx context.Context) components.Confirm {
	return components.Confirm{
		ID:      "recharge-confirm",
		Title:   ui.T(ctx, "billing.recharges.new"),
		Message: ui.T(ctx, "billing.recharges.confirm"),
		Lines: []components.ConfirmLine{
			{Label: ui.T(ctx, "billing.recharges.account_no"), Field: "account_no", Value: "-"},
			{Label: ui.T(ctx, "billing.recharges.amount"), Field: "amount", Money: true, Value: "-"},
			{Label: ui.T(ctx, "billing.recharges.source"), Field: "source", Value: "-"},
			{Label: ui.T(ctx, "billing.recharges.payer"), Field: "payer_name", Value: "-"},
		},
		Accept: ui.T(ctx, "billing.recharges.submit"),
	}
}

func payoutLines(ctx context.Context, w bl.Withdrawal) []components.ConfirmLine {
	return []components.ConfirmLine{
		{Label: ui.T(ctx, "billing.col.partner"), Value: w.PartnerName},
		{Label: ui.T(ctx, "billing.withdrawals.holder"), Value: w.HolderName},
		{Label: ui.T(ctx, "billing.withdrawals.bank"), Value: w.BankName},
		{Label: ui.T(ctx, "billing.withdrawals.account"), Value: w.AccountNo},
		{Label: ui.T(ctx, "billing.withdrawals.amount"), Value: Money(w.Amount)},
	}
}

// payConfirm restates the payee and the amount before vendor finance
// records a withdrawal as paid.
func payConfirm(ctx context.Context, w bl.Withdrawal) components.Confirm {
	return components.Confirm{
		ID:      "payout-pay-" + itoa(w.ID),
		Title:   ui.T(ctx, "billing.payouts.pay"),
		Message: ui.T(ctx, "billing.payouts.pay_confirm", map[string]any{"Amount": Money(w.Amount), "Holder": w.HolderName}),
		Lines:   payoutLines(ctx, w),
		Accept:  ui.T(ctx, "billing.payouts.pay"),
	}
}

// payoutRejectConfirm asks for the reason of refusing a withdrawal (at
// most 500 characters, as billing.Payouts.Reject checks).
func payoutRejectConfirm(ctx context.Context, w bl.Withdrawal) components.Confirm {
	return components.Confirm{
		ID:      "payout-reject-" + itoa(w.ID),
		Title:   ui.T(ctx, "billing.payouts.reject_title"),
		Message: ui.T(ctx, "billing.payouts.reject_confirm", map[string]any{"Amount": Money(w.Amount)}),
		Lines: []components.ConfirmLine{
			{Label: ui.T(ctx, "billing.col.partner"), Value: w.PartnerName},
			{Label: ui.T(ctx, "billing.withdrawals.holder"), Value: w.HolderName},
			{Label: ui.T(ctx, "billing.withdrawals.amount"), Value: Money(w.Amount)},
		},
		Reason: &components.ConfirmReason{Name: "reason", Label: ui.T(ctx, "billing.payouts.reason"), Required: true, Max: 500},
		Accept: ui.T(ctx, "billing.payouts.reject"),
		Danger: true,
	}
}

package incentives

import (
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"partnercenter/internal/incentive"
	"partnercenter/views/components"
)

// PayoutsVM is 激励申请.
type PayoutsVM struct {
	Items     []incentive.Item
	Certified bool
	Key       string // the form's idempotency key
	Method    string
	Selected  []int64
	Summary   string
	Settings  incentive.Settings // 自动申请
}

func autoMethodOptions() []components.Option {
	return []components.Option{{Value: incentive.MethodAccount, Label: "incentive.method.account"},
		{Value: incentive.MethodBank, Label: "incentive.method.bank"}}
}

// checked reports an incentive ticked: every negative one, and those
// selected before a refusal.
func (vm PayoutsVM) checked(it incentive.Item) bool {
	return it.Amount.IsNegative() || slices.Contains(vm.Selected, it.ID)
}

// NegativeTotal is the pending negatives (always applied with the rest).
func (vm PayoutsVM) NegativeTotal() decimal.Decimal {
	t := decimal.Zero
	for _, it := range vm.Items {
		if it.Amount.IsNegative() {
			t = t.Add(it.Amount)
		}
	}
	return t
}

func methodOptions() []components.Option {
	out := []components.Option{{Value: "", Label: "incentive.payout.choose_method"}}
	for _, m := range incentive.Methods {
		if m == incentive.MethodVoucherQuota {
			continue // with the voucher menu
		}
		out = append(out, components.Option{Value: m, Label: "incentive.method." + m})
	}
	return out
}

func itemMethods(it incentive.Item) []string {
	var out []string
	for _, m := range it.Methods() {
		if m != incentive.MethodVoucherQuota {
			out = append(out, m)
		}
	}
	return out
}

// ApplicationsVM is 申请记录.
type ApplicationsVM struct {
	Apps      []incentive.Application
	Items     map[int64][]incentive.Item
	Highlight string // the 申付单号 just submitted
}

// PayoutDeskVM is vendor finance's 激励付款.
type PayoutDeskVM struct {
	State   string
	Rows    []incentive.PayoutRow
	Now     time.Time
	Failed  int64
	Summary string
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

// Package opportunities renders 机会点 (seed 003 §11; issue 14): the
// partner's 共享给华为 list and form, and the ecosystem manager's review.
package opportunities

import (
	"time"

	"partnercenter/internal/opportunity"
	"partnercenter/internal/platform/clock"
	"partnercenter/views/components"
)

// ListVM is 共享给华为 (the partner) or 机会点审核 (the vendor).
type ListVM struct {
	Rows   []opportunity.Row
	Filter opportunity.Filter
	Pager  components.Pager
	Vendor bool
}

// FormVM is the PO form: a new one (O nil) or an existing PO, with the
// form's values and messages after a refusal.
type FormVM struct {
	O *opportunity.Opportunity
	// Winner is the earlier opportunity a duplicate lost to (its own
	// partner's number only; another's identity is never shown).
	Winner  *opportunity.Winner
	In      opportunity.Input
	Errors  map[string]string
	Summary string
	Args    map[string]any
}

// Editable reports a form that may be saved.
func (vm FormVM) Editable() bool { return vm.O == nil || vm.O.Editable() }

// ReviewVM is a PO on its reviewer's page.
type ReviewVM struct {
	R       *opportunity.Review
	Summary string
	Args    map[string]any
	Errors  map[string]string
}

func stateOptions() []components.Option {
	out := []components.Option{{Value: "", Label: "list.all"}}
	for _, s := range opportunity.States {
		out = append(out, components.Option{Value: s, Label: "opportunity.state." + s})
	}
	return out
}

func industryOptions() []components.Option {
	out := []components.Option{{Value: "", Label: "opportunity.choose_industry"}}
	for _, s := range opportunity.Industries {
		out = append(out, components.Option{Value: s, Label: "opportunity.industry." + s})
	}
	return out
}

// InputOf is the form of a saved PO.
func InputOf(o *opportunity.Opportunity) opportunity.Input {
	return opportunity.Input{CustomerName: o.CustomerName, CustomerCreditCode: o.CustomerCreditCode, Industry: o.Industry,
		ContactName: o.ContactName, ContactPhone: o.ContactPhone, Requirement: o.Requirement, Budget: o.Budget.StringFixed(2),
		PurchaseOn: o.PurchaseOn.Format(time.DateOnly), Description: o.Description, Offerings: o.Offerings, Support: o.Support,
		PartnerContact: o.PartnerContact, PartnerPhone: o.PartnerPhone, Authorized: o.Authorized}
}

func date(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return china(*t)
}

// HOListVM is 由华为共享 (the partner) or the HOs of the ecosystem
// manager's partners (the vendor).
type HOListVM struct {
	Rows   []opportunity.HORow
	Filter opportunity.Filter
	Pager  components.Pager
	Vendor bool
	Now    time.Time
}

// HODetailVM is an HO on the partner's or the vendor's page, with a
// refusal's messages and the typed reason.
type HODetailVM struct {
	H       *opportunity.HORow
	Vendor  bool
	Now     time.Time
	Summary string
	Args    map[string]any
	Errors  map[string]string
	Reason  string
}

// ShareVM is a partner's 共享机会点 page: its check list and Offerings, the
// form's values and messages after a refusal.
type ShareVM struct {
	E            *opportunity.HOEligibility
	In           opportunity.HOInput
	Errors       map[string]string
	Summary      string
	Args         map[string]any
	OfferingName string
	OfferingLead string
}

// HOListPath is the list's path on either side.
func HOListPath(vendor bool) string {
	if vendor {
		return "/partners/opportunities/ho"
	}
	return "/opportunities/ho"
}

func hoStateOptions() []components.Option {
	out := []components.Option{{Value: "", Label: "list.all"}}
	for _, s := range opportunity.HOStates {
		out = append(out, components.Option{Value: s, Label: "opportunity.ho.state." + s})
	}
	return out
}

func leadOptions() []components.Option {
	out := []components.Option{{Value: "", Label: "opportunity.offering.choose_lead"}}
	for _, s := range opportunity.Leads {
		out = append(out, components.Option{Value: s, Label: "opportunity.offering.lead." + s})
	}
	return out
}

// timeLeft words the time a pending HO has left: days and hours, hours,
// or 已逾期 (the job turns it 逾期失效 within minutes).
func timeLeft(now, due time.Time) (string, map[string]any) {
	left := due.Sub(now)
	switch {
	case left <= 0:
		return "opportunity.ho.overdue", nil
	case left >= 24*time.Hour:
		return "opportunity.ho.left_days", map[string]any{"Days": int(left / (24 * time.Hour)), "Hours": int(left%(24*time.Hour)) / int(time.Hour)}
	}
	return "opportunity.ho.left_hours", map[string]any{"Hours": int(left/time.Hour) + 1}
}

// china formats a time in China time, the seeds' clock.
func china(t time.Time) string { return t.In(clock.China).Format("2006-01-02 15:04") }

// winnerText words what a duplicate lost to.
func winnerText(w *opportunity.Winner) (string, map[string]any) {
	args := map[string]any{"Since": china(w.ValidFrom), "No": w.No}
	switch {
	case w.HO:
		return "opportunity.winner.ho", args
	case w.Same:
		return "opportunity.winner.same", args
	}
	return "opportunity.winner.other", args
}

// protectedUntil is the end of a PO's duplicate protection ("-" before its
// approval; closed POs keep their date).
func protectedUntil(o opportunity.Opportunity) string { return date(o.ProtectedUntil) }

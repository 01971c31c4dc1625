// Package opportunities renders 机会点 (seed 003 §11; issue 14): the
// partner's 共享给华为 list and form, and the ecosystem manager's review.
package opportunities

import (
	"time"

	"partnercenter/internal/opportunity"
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
	O       *opportunity.Opportunity
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
	return t.Format("2006-01-02 15:04")
}

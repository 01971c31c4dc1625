// Package fh renders 权益 > 专职人员激励 (FH, seed 003 §10.6; issue 16): the
// partner's programme, funded persons, monthly applications and quarterly
// payments; the vendor's invitations; vendor finance's FH payments.
package fh

import (
	"context"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	core "partnercenter/internal/fh"
	"partnercenter/internal/partner"
	"partnercenter/views/components"
	"partnercenter/views/ui"
)

// PageVM is the partner's FH page.
type PageVM struct {
	P     *core.Page
	Month string // this month (or the one typed), YYYY-MM, for the submit form
	// The person form's role and city after a refusal.
	Role, City string
	Errors     map[string]string
	Summary    string
	Args       map[string]any
}

// VendorVM is the vendor's FH page.
type VendorVM struct {
	Programs []core.ProgramRow
	Partners []partner.Choice
	Errors   map[string]string
	Summary  string
	// The invitation form's partner, variant and scenario after a refusal.
	Partner, Variant, Scenario string
}

// CapabilityVM is the vendor's page of the 2025 capability building.
type CapabilityVM struct {
	A *core.CapabilityAdmin
	// Form names the form a refusal is shown on (tier, standard,
	// appraisal), with what was typed.
	Form                                         string
	Scenario, Name, PassedOn, Choice, StandardID string
	Errors                                       map[string]string
	Summary                                      string
}

func errOn(vm CapabilityVM, form, field string) string {
	if vm.Form != form {
		return ""
	}
	return vm.Errors[field]
}

func scenarioOptions() []components.Option {
	return components.OptionsOf("fh.scenario.", core.Scenarios, components.Option{Value: "", Label: "fh.choose"})
}

func variantOptions() []components.Option {
	return components.OptionsOf("fh.variant.", core.Variants)
}

// tierLabel is a tier with its amount per standard (二档 · ¥200,000).
func tierLabel(ctx context.Context, tier int16) string {
	if tier == 0 {
		return ui.T(ctx, "fh.tier.unset")
	}
	return ui.T(ctx, "fh.tier."+strconv.Itoa(int(tier))) + " · " + ui.Money(core.TierAmounts[tier], 0)
}

// choiceValue is the appraisal form's value of a programme's person.
func choiceValue(programID, personID int64) string {
	return strconv.FormatInt(programID, 10) + ":" + strconv.FormatInt(personID, 10)
}

// standardsOf are a scenario's active standards.
func standardsOf(a *core.CapabilityAdmin, scenario string) []core.Standard {
	var out []core.Standard
	for _, st := range a.Standards {
		if st.Active && st.Scenario == scenario {
			out = append(out, st)
		}
	}
	return out
}

// lineFormula is how a month's line of a variant was computed.
func lineFormula(ctx context.Context, variant string, l core.Line) string {
	if variant == core.Capability2025 {
		return ui.Money(l.Baseline, 0) + " × " + ui.T(ctx, "fh.standards_n", map[string]any{"N": l.Units})
	}
	return ui.Money(l.Baseline, 0) + " × 100% × " + l.Coefficient.String() + "（" + l.City + "）"
}

// DeskVM is vendor finance's FH desk.
type DeskVM struct {
	Rows    []core.PaymentRow
	Key     string
	Failed  int64
	Summary string
}

func roleOptions() []components.Option {
	return components.OptionsOf("fh.role.", core.Roles, components.Option{Value: "", Label: "fh.choose"})
}

func baseline(role string) decimal.Decimal { return core.Baselines[role] }

func monthLabel(t time.Time) string { return t.Format("2006-01") }

// formValue is what was typed on a refused form, else empty.
func formValue(vm CapabilityVM, form, v string) string {
	if vm.Form != form {
		return ""
	}
	return v
}

// deskError is the refusal of the desk's form for id, if it was the one
// refused.
func deskError(vm DeskVM, id int64) string {
	if vm.Failed != id {
		return ""
	}
	return vm.Summary
}

// Package fh renders 权益 > 专职人员激励 (FH, seed 003 §10.6; issue 16): the
// partner's programme, funded persons, monthly applications and quarterly
// payments; the vendor's invitations; vendor finance's FH payments.
package fh

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	core "partnercenter/internal/fh"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/money"
	"partnercenter/views/components"
	"partnercenter/views/ui"
)

// PageVM is the partner's FH page.
type PageVM struct {
	P     *core.Page
	Month string // this month (or the one typed), YYYY-MM, for the submit form
	// The person form's role and city after a refusal.
	Role, City string
	// Typed is the refused form's values (an LP month's rows).
	Typed   url.Values
	Errors  map[string]string
	Summary string
	Args    map[string]any
}

// VendorVM is the vendor's FH page.
type VendorVM struct {
	Programs []core.ProgramRow
	Partners []partner.Choice
	Errors   map[string]string
	Summary  string
	// The invitation form's partner, variant and scenario after a refusal.
	Partner, Variant, Scenario string
	// Failed is the programme whose limit form was refused, with the
	// limit typed.
	Failed int64
	Limit  string
}

// PresalesVM is the vendor's page of the SI presales programme.
type PresalesVM struct {
	A *core.PresalesAdmin
	// The grading form after a refusal.
	In               core.GradingInput
	Choice, GradedOn string
	Errors           map[string]string
	Summary          string
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

// LineText is how a month's line was computed, for the partner's page and
// the approval's payload: 2024 baseline × 100% × the city's coefficient;
// 2025 the tier amount × the standards passed; SI the level's baseline ×
// 4 months × 100%; LP the limit × the fund's multiple.
func LineText(ctx context.Context, variant string, l core.LinePayload) string {
	base := ui.Money(decimal.RequireFromString(l.Baseline), 0)
	amount := " = " + ui.Money(decimal.RequireFromString(l.Amount), 2)
	units := l.Units
	if units == 0 {
		units = max(1, len(l.Standards))
	}
	switch variant {
	case core.Capability2025:
		std := ""
		if len(l.Standards) > 0 {
			std = strings.Join(l.Standards, "、") + " · "
		}
		return l.Name + " · " + std + base + " × " + ui.T(ctx, "fh.standards_n", map[string]any{"N": units}) + amount
	case core.SIPresales:
		project := ""
		if l.Project != "" {
			project = l.Project + " · "
		}
		return l.Name + " · " + ui.T(ctx, "fh.level."+l.Role) + " · " + project + base + " × " +
			ui.T(ctx, "fh.months_n", map[string]any{"N": units}) + " × 100%" + amount
	case core.LPLecturer:
		s := l.Name + " · " + ui.T(ctx, "fh.fund."+l.Role) + " · " + base + " × " + strconv.Itoa(units)
		if l.ClassDays != "" {
			s += "（" + ui.T(ctx, "fh.lp.days_satisfaction", map[string]any{"Days": l.ClassDays, "Satisfaction": l.Satisfaction}) + "）"
		}
		return s + amount
	}
	return l.Name + " · " + ui.T(ctx, "fh.role."+l.Role) + " · " + base + " × 100% × " + l.Coefficient + "（" + l.City + "）" + amount
}

// payloadOf is a stored line as the payload's, for LineText.
func payloadOf(l core.Line) core.LinePayload {
	pl := core.LinePayload{Name: l.Name, Role: l.Role, City: l.City, Baseline: l.Baseline.String(), Coefficient: l.Coefficient.String(),
		Units: l.Units, Amount: l.Amount.StringFixed(2)}
	if l.ClassDays != nil && l.Satisfaction != nil {
		pl.ClassDays, pl.Satisfaction = l.ClassDays.String(), l.Satisfaction.StringFixed(2)
	}
	return pl
}

// monthsDesc is the monthly section's description of a variant.
var monthsDesc = map[string]string{core.Service2024: "fh.months.desc", core.Capability2025: "fh.months.desc_2025", core.SIPresales: "fh.months.desc_si",
	core.LPLecturer: "fh.months.desc_lp"}

func levelOptions() []components.Option {
	return components.OptionsOf("fh.level.", core.Levels, components.Option{Value: "", Label: "fh.choose"})
}

func currencyOptions() []components.Option {
	return components.OptionsOf("fh.currency.", core.Currencies)
}

func fundOptions() []components.Option {
	return components.OptionsOf("fh.fund.", core.Funds, components.Option{Value: "", Label: "fh.fund.none"})
}

// typed is a refused form's value of name.
func typed(vm PageVM, name string) string { return vm.Typed.Get(name) }

// cashLabel is a grading's project cash with its currency.
func cashLabel(g core.Grading) string { return g.Currency + " " + money.Grouped(g.Cash, 2) }

// vendorGradingRows are the vendor's gradings with their partners.
func vendorGradingRows(vs []core.VendorGrading) ([]core.GradingRow, []string) {
	rows, partners := make([]core.GradingRow, len(vs)), make([]string, len(vs))
	for i, v := range vs {
		rows[i], partners[i] = v.GradingRow, v.PartnerName
	}
	return rows, partners
}

// limitValue is the limit form's value: what was typed when it was
// refused, else the programme's limit.
func limitValue(vm VendorVM, p core.ProgramRow) string {
	if vm.Failed == p.ID {
		return vm.Limit
	}
	if p.MonthlyLimit != nil {
		return p.MonthlyLimit.StringFixed(2)
	}
	return ""
}

// rowKey is an LP row's field name.
func rowKey(field string, personID int64) string {
	return field + "_" + strconv.FormatInt(personID, 10)
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

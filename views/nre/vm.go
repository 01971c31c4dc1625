// Package nre renders 权益 > 一次性工程费用 (NRE, seed 003 §10.8; issue
// 16): the partner's eligible solutions and NREs, the form, an NRE's page
// with its agreement and milestones; the vendor's solutions and agreements;
// vendor finance's milestone payments.
package nre

import (
	"time"

	core "partnercenter/internal/nre"
	"partnercenter/internal/partner"
	"partnercenter/views/components"
)

// HomeVM is the partner's NRE page.
type HomeVM struct {
	Solutions []core.Solution
	Apps      []core.Row
}

// FormVM is the NRE form.
type FormVM struct {
	Solution *core.Solution
	In       core.ApplyInput
	Errors   map[string]string
	Summary  string
	Today    time.Time
}

// DetailVM is an NRE's page.
type DetailVM struct {
	D       *core.Detail
	Errors  map[string]string
	Summary string
	Failed  int64 // the milestone a refusal is about
}

// VendorVM is the vendor's NRE page's form values and refusals.
type VendorVM struct {
	Partners []partner.Choice
	Partner  string // the solution form's partner after a refusal
	In       core.SolutionInput
	Errors   map[string]string
	Summary  string
	Failed   int64
	// Amount and Milestones are what was typed on the refused agreement
	// form of the NRE Failed names (name, amount, due date per row).
	Amount     string
	Milestones [][3]string
}

// DeskVM is vendor finance's NRE desk.
type DeskVM struct {
	Rows    []core.MilestoneRow
	Key     string
	Failed  int64
	Summary string
}

func programmeOptions() []components.Option {
	return components.OptionsOf("nre.programme.", core.Programmes, components.Option{Value: "", Label: "nre.choose"})
}

// errOf is a field's refusal on the agreement form of the NRE it failed on.
func errOf(vm VendorVM, id int64, field string) string {
	if vm.Failed != id {
		return ""
	}
	return vm.Errors[field]
}

// milestoneRow is the agreement form's i-th milestone row for an NRE: what
// was typed when the form was refused on it, else empty.
func milestoneRow(vm VendorVM, id int64, i int) [3]string {
	if vm.Failed != id || i >= len(vm.Milestones) {
		return [3]string{}
	}
	return vm.Milestones[i]
}

func agreementAmount(vm VendorVM, id int64) string {
	if vm.Failed != id {
		return ""
	}
	return vm.Amount
}

// deskError is the refusal of the desk's form for id, if it was the one
// refused.
func deskError(vm DeskVM, id int64) string {
	if vm.Failed != id {
		return ""
	}
	return vm.Summary
}

// Package benefits renders 权益 (seed 003 §10; issue 15): 权益申请 with the
// 测试券 form, 申请记录, and the vendor's 权益政策 and 权益发放.
package benefits

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"partnercenter/internal/benefit"
	"partnercenter/views/components"
	"partnercenter/views/ui"
)

// HomeVM is 权益申请: each benefit with the partner's standing.
type HomeVM struct {
	Test, Exam, Lab *benefit.Standing
}

// homeCard is a benefit's card on 权益申请.
type homeCard struct {
	S     *benefit.Standing
	Short string // of the apply button's testid
}

func (vm HomeVM) cards() []homeCard {
	return []homeCard{{vm.Test, "test"}, {vm.Exam, "exam"}, {vm.Lab, "lab"}}
}

// PersonsVM is the 考试券 or 云实验 form: the standing, the linked persons,
// values and messages.
type PersonsVM struct {
	Type    string
	S       *benefit.Standing
	Persons []benefit.Eligible
	In      benefit.PersonsInput
	Errors  map[string]string
	Summary string
	Args    map[string]any
}

// Picked reports a person ticked in the form.
func (vm PersonsVM) Picked(id int64) bool {
	return slices.Contains(vm.In.Persons, strconv.FormatInt(id, 10))
}

func examOptions() []components.Option {
	out := []components.Option{{Value: "", Label: "benefit.choose"}}
	for _, e := range append(append([]string{}, benefit.HCCDX...), benefit.HCIX...) {
		out = append(out, components.Option{Value: e, Label: e, Raw: true})
	}
	return out
}

// FormVM is the 测试券 form with the standing, values and messages.
type FormVM struct {
	S       *benefit.Standing
	In      benefit.TestVoucherInput
	Errors  map[string]string
	Summary string
	Args    map[string]any
}

// RecordsVM is 申请记录.
type RecordsVM struct {
	Apps     []benefit.Application
	Vouchers map[int64]benefit.Voucher
	Persons  map[int64][]benefit.PersonVoucher
	Now      time.Time
}

// PoliciesVM is the vendor's 权益政策 of a year.
type PoliciesVM struct {
	Year     int
	Policies []benefit.Policy
	In       benefit.PolicyInput
	Errors   map[string]string
	Summary  string
}

// QueueVM is the vendor's 权益发放.
type QueueVM struct {
	Status string
	Rows   []benefit.QueueRow
}

func solutionOptions(s *benefit.Standing) []components.Option {
	out := []components.Option{{Value: "", Label: "benefit.choose"}}
	for _, sol := range s.Solutions {
		out = append(out, components.Option{Value: strconv.FormatInt(sol.ID, 10), Label: sol.Name, Raw: true})
	}
	return append(out, components.Option{Value: "other", Label: "benefit.solution.other"})
}

func tierOptions() []components.Option {
	return components.OptionsOf("benefit.tier.", benefit.Tiers, components.Option{Value: "", Label: "benefit.choose"})
}

func typeOptions() []components.Option { return components.OptionsOf("benefit.type.", benefit.Types) }

func queueOptions() []components.Option {
	return components.OptionsOf("benefit.state.", benefit.States)
}

// formOf is an application's form (测试券).
func formOf(a benefit.Application) benefit.TestVoucherForm {
	var f benefit.TestVoucherForm
	_ = json.Unmarshal(a.Form, &f)
	return f
}

func daysLeft(now, until time.Time) int {
	d := int(until.Sub(now).Hours() / 24)
	return max(d, 0)
}

// amountOf is an amount of a benefit: yuan, or a count (vouchers, points).
func amountOf(ctx context.Context, typ string, d decimal.Decimal) string {
	switch typ {
	case benefit.TypeExamVoucher:
		return ui.T(ctx, "benefit.unit.vouchers", map[string]any{"N": d.IntPart()})
	case benefit.TypeCloudLab:
		return ui.T(ctx, "benefit.unit.points", map[string]any{"N": d.IntPart()})
	}
	return ui.Money(d, 2)
}

// issuedLabel is 累计已发放金额 or, for counts, 累计已发放.
func issuedLabel(typ string) string {
	if benefit.Counted(typ) {
		return "benefit.issued_count"
	}
	return "benefit.issued"
}

// remainingLabel is 剩余可申请金额 or, for counts, 剩余可申请.
func remainingLabel(typ string) string {
	if benefit.Counted(typ) {
		return "benefit.remaining_count"
	}
	return "benefit.remaining"
}

// whatOf is the sentence that says what a benefit is.
func whatOf(typ string) string {
	return map[string]string{benefit.TypeTestVoucher: "benefit.test.what", benefit.TypeExamVoucher: "benefit.exam.what",
		benefit.TypeCloudLab: "benefit.lab.what"}[typ]
}

// formAction is where a benefit's form posts (its form is at + "/new").
func formAction(typ string) string {
	return map[string]string{benefit.TypeTestVoucher: "/benefits/test-voucher", benefit.TypeExamVoucher: "/benefits/exam-voucher",
		benefit.TypeCloudLab: "/benefits/cloud-lab"}[typ]
}

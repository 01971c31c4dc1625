// Package approval renders applications: the partner's 我的申请 list and
// detail, the vendor's approval inbox and decision page, and the shared
// parts (state badge, automatic check results, attachments, history).
// A type's payload is drawn by the renderer registered for it in
// payloadViews, or as a plain list of fields.
package approval

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"

	core "partnercenter/internal/approval"
	"partnercenter/internal/benefit"
	"partnercenter/internal/customer"
	"partnercenter/internal/fh"
	"partnercenter/internal/incentive"
	"partnercenter/internal/mdf"
	"partnercenter/internal/nre"
	"partnercenter/internal/onboarding"
	"partnercenter/internal/opportunity"
	"partnercenter/internal/paths"
	"partnercenter/internal/people"
	"partnercenter/internal/performance"
	"partnercenter/internal/program"
	"partnercenter/views/components"
	"partnercenter/views/ui"
)

// ListVM is a list of applications (partner or vendor).
type ListVM struct {
	Vendor bool
	Query  core.Query
	Rows   []core.Row
	Counts core.Counts
	Pager  components.Pager
	Now    time.Time
	// OnboardingCTA shows 加入合作伙伴网络 on a tenant not yet active.
	OnboardingCTA bool
}

// DetailVM is one application's page.
type DetailVM struct {
	Vendor bool
	D      *core.Detail
	Now    time.Time
	// Decision form (vendor): entered values and errors.
	Comment    string
	Reason     string
	CommentErr string
	ReasonErr  string
	FormErr    string
	// CanResubmit: the partner may fix the onboarding form and submit again.
	CanResubmit bool
	// Return form (vendor) and resubmission form (partner): entered
	// values and errors.
	ReturnComment    string
	ReturnCommentErr string
	Note             string
	NoteErr          string
	FilesErr         string
	// Reassignment (vendor administrator): the reviewers to choose from.
	Reviewers []components.Option
	AssignErr string
}

func stageValue(n int) string {
	if n <= 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// stageOptions offers every stage number a registered type has.
func stageOptions(ctx context.Context) []components.Option {
	out := []components.Option{{Value: "", Label: "approval.filter.stage_any"}}
	for i := 1; i <= core.MaxStages(); i++ {
		out = append(out, components.Option{Value: strconv.Itoa(i), Label: ui.T(ctx, "approval.stage.n", map[string]any{"N": i}), Raw: true})
	}
	return out
}

// stageOf is the application's stage as "第N步 / 共M步：name", or "" for a
// type reviewed in one stage.
func stageOf(ctx context.Context, d *core.Detail) string {
	if len(d.Stages) <= 1 {
		return ""
	}
	return ui.T(ctx, "approval.stage.of", map[string]any{"N": d.Stage, "Total": len(d.Stages), "Name": ui.T(ctx, d.StageName())})
}

// StateLabel is the catalog id of a state.
func StateLabel(s string) string { return "approval.state." + s }

func typeOptions() []components.Option {
	out := []components.Option{{Value: "", Label: "list.all"}}
	for _, k := range core.TypeKeys() {
		if len(k) > 5 && k[:5] == "test_" {
			continue
		}
		out = append(out, components.Option{Value: k, Label: core.TypeLabel(k)})
	}
	return out
}

func stateOptions() []components.Option {
	out := []components.Option{{Value: "", Label: "list.all"}}
	for _, s := range core.States {
		if s == core.StateDraft {
			continue
		}
		out = append(out, components.Option{Value: s, Label: StateLabel(s)})
	}
	return out
}

func listPath(vm ListVM) string {
	if vm.Vendor {
		return "/approvals"
	}
	return "/applications"
}

func detailPath(vendor bool, id int64) string {
	if vendor {
		return ui.Path("/approvals/", id)
	}
	return ui.Path("/applications/", id)
}

func filePath(vendor bool, appID, fileID int64) string {
	return ui.Path(detailPath(vendor, appID), "/files/", fileID)
}

func sortOf(vm ListVM, field string) components.Sort {
	return components.Sort{Field: field, Current: currentSort(vm), Desc: vm.Query.Desc, Query: vm.Pager.Query, Path: listPath(vm), Target: "#application-table"}
}

func currentSort(vm ListVM) string {
	if vm.Query.Sort != "" {
		return vm.Query.Sort
	}
	if vm.Vendor {
		return "due"
	}
	return "created"
}

// tab is one state tab of a list.
type tab struct {
	Label  string
	N      int64
	URL    string
	Active bool
	TestID string
}

func tabs(vm ListVM) []tab {
	base := url.Values{}
	if vm.Query.Type != "" {
		base.Set("type", vm.Query.Type)
	}
	if vm.Query.Partner != "" {
		base.Set("partner", vm.Query.Partner)
	}
	mk := func(label string, n int64, state string, overdue bool, id string) tab {
		q := url.Values{}
		for k, v := range base {
			q[k] = v
		}
		if state != "" {
			q.Set("state", state)
		} else if vm.Vendor {
			q.Set("state", "all") // the inbox opens on 待审批 without a state
		}
		if overdue {
			q.Set("overdue", "1")
		}
		u := listPath(vm)
		if len(q) > 0 {
			u += "?" + q.Encode()
		}
		active := vm.Query.State == state && vm.Query.Overdue == overdue
		return tab{Label: label, N: n, URL: u, Active: active, TestID: "tab-" + id}
	}
	submitted := "approval.tab.reviewing"
	if vm.Vendor {
		submitted = "approval.tab.submitted"
	}
	return []tab{
		mk(submitted, vm.Counts.Submitted, core.StateSubmitted, false, "submitted"),
		mk("approval.tab.overdue", vm.Counts.Overdue, core.StateSubmitted, true, "overdue"),
		mk("approval.tab.returned", vm.Counts.Returned, core.StateReturned, false, "returned"),
		mk("approval.tab.approved", vm.Counts.Approved, core.StateApproved, false, "approved"),
		mk("approval.tab.rejected", vm.Counts.Rejected, core.StateRejected, false, "rejected"),
		mk("approval.tab.withdrawn", vm.Counts.Withdrawn, core.StateWithdrawn, false, "withdrawn"),
		mk("approval.tab.all", vm.Counts.All, "", false, "all"),
	}
}

func overdue(r core.Row, now time.Time) bool { return r.Application.Overdue(now) }

func name(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// personsPayloadView draws a 考试券 or 云实验 application: the exam or
// points and each person named.
func personsPayloadView(raw string, _ bool) templ.Component {
	var p benefit.Payload
	_ = json.Unmarshal([]byte(raw), &p)
	return personsPayload(p)
}

// payloadViews draws a type's payload in words (labelled fields, codes
// named); later types register theirs. vendor is the reviewer's page.
var payloadViews = map[string]func(raw string, vendor bool) templ.Component{
	onboarding.TypeKey: func(raw string, _ bool) templ.Component {
		var p onboarding.Payload
		_ = json.Unmarshal([]byte(raw), &p)
		return onboardingPayload(p)
	},
	program.TypeSP: func(raw string, _ bool) templ.Component {
		var p program.SPPayload
		_ = json.Unmarshal([]byte(raw), &p)
		return spPayload(p)
	},
	performance.TypeFeedback: func(raw string, _ bool) templ.Component {
		var p performance.FeedbackPayload
		_ = json.Unmarshal([]byte(raw), &p)
		return feedbackPayload(p)
	},
	incentive.TypeFeedback: func(raw string, _ bool) templ.Component {
		var p incentive.FeedbackPayload
		_ = json.Unmarshal([]byte(raw), &p)
		return incentiveFeedbackPayload(p)
	},
	benefit.ApprovalTestVoucher: func(raw string, _ bool) templ.Component {
		var p benefit.Payload
		_ = json.Unmarshal([]byte(raw), &p)
		return testVoucherPayload(p)
	},
	benefit.ApprovalExamVoucher: personsPayloadView,
	benefit.ApprovalCloudLab:    personsPayloadView,
	fh.ApprovalMonth: func(raw string, _ bool) templ.Component {
		var p fh.MonthPayload
		_ = json.Unmarshal([]byte(raw), &p)
		return fhMonthPayload(p)
	},
	fh.ApprovalJoin: func(raw string, _ bool) templ.Component {
		var p fh.JoinPayload
		_ = json.Unmarshal([]byte(raw), &p)
		return fhJoinPayload(p)
	},
	nre.ApprovalNRE: func(raw string, _ bool) templ.Component {
		var p nre.Payload
		_ = json.Unmarshal([]byte(raw), &p)
		return nrePayload(p)
	},
	nre.ApprovalAcceptance: func(raw string, _ bool) templ.Component {
		var p nre.AcceptancePayload
		_ = json.Unmarshal([]byte(raw), &p)
		return nreAcceptancePayload(p)
	},
	mdf.ApprovalUsage: func(raw string, _ bool) templ.Component {
		var p mdf.UsagePayload
		_ = json.Unmarshal([]byte(raw), &p)
		return mdfUsagePayload(p)
	},
	mdf.ApprovalClaim: func(raw string, _ bool) templ.Component {
		var p mdf.ClaimPayload
		_ = json.Unmarshal([]byte(raw), &p)
		return mdfClaimPayload(p)
	},
	people.ApprovalSpecialist: func(raw string, _ bool) templ.Component {
		var p people.SpecialistPayload
		_ = json.Unmarshal([]byte(raw), &p)
		return specialistPayload(p, false)
	},
	people.ApprovalSpecialistCancel: func(raw string, _ bool) templ.Component {
		var p people.SpecialistPayload
		_ = json.Unmarshal([]byte(raw), &p)
		return specialistPayload(p, true)
	},
	opportunity.TypePO: func(raw string, vendor bool) templ.Component {
		var p opportunity.Payload
		_ = json.Unmarshal([]byte(raw), &p)
		return opportunityPayload(p, vendor)
	},
	paths.TypeRole:     pathPayloadView,
	paths.TypeDiff:     pathPayloadView,
	paths.TypeRereview: pathPayloadView,
	customer.ReviewTypeKey: func(raw string, vendor bool) templ.Component {
		var p customer.ReviewPayload
		_ = json.Unmarshal([]byte(raw), &p)
		return reviewPayload(p, vendor)
	},
}

// HasPayloadView reports whether a type's payload has its own view; a
// type without one is drawn as a plain list of fields.
func HasPayloadView(typeKey string) bool {
	_, ok := payloadViews[typeKey]
	return ok
}

// field is a label and a value of a generic payload.
type field struct{ K, V string }

// genericFields lists a payload of a type without a view (the test types):
// each key by its label approval.payload.<key> where the catalog has one.
func genericFields(ctx context.Context, raw string) []field {
	var m map[string]any
	_ = json.Unmarshal([]byte(raw), &m)
	var out []field
	for k, v := range m {
		s := fmt.Sprint(v)
		if b, err := json.Marshal(v); err == nil {
			if _, isStr := v.(string); !isStr {
				s = string(b)
			}
		}
		label := k
		if key := "approval.payload." + k; ui.T(ctx, key) != key {
			label = ui.T(ctx, key)
		}
		out = append(out, field{label, s})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].K < out[j].K })
	return out
}

func payload(vm DetailVM) templ.Component {
	if f, ok := payloadViews[vm.D.Type]; ok {
		return f(vm.D.Payload, vm.Vendor)
	}
	return genericPayload(vm.D.Payload)
}

// reasonText is a review reason in words: the check's name the check
// results use (customer.review.check.<code>) and what it rests on, the
// account's registration date or its cash balance.
func reasonText(ctx context.Context, r customer.ReviewReason) string {
	name := ui.T(ctx, "customer.review.check."+r.Code)
	var detail []string
	if r.Date != "" {
		detail = append(detail, ui.T(ctx, "approval.review.registered_on", map[string]any{"Date": r.Date}))
	}
	if r.Amount != "" {
		detail = append(detail, ui.T(ctx, "approval.review.cash_balance", map[string]any{"Amount": r.Amount}))
	}
	if len(detail) == 0 {
		return name
	}
	return ui.T(ctx, "approval.review.reason", map[string]any{"Name": name,
		"Detail": strings.Join(detail, ui.T(ctx, "approval.detail.check_sep"))})
}

func siteLabel(s string) string { return "onboarding.site." + s }

func eventActor(ctx context.Context, e core.Event) string {
	if e.ActorUserID == nil {
		return ui.T(ctx, "approval.actor.system")
	}
	return e.ActorName
}

// eventComment is an event's note. The note of the latest automatic check
// is drawn from the check results in the reader's language (the stored
// summary is the service's zh-CN text); other notes are what people wrote.
func eventComment(ctx context.Context, vm DetailVM, i int) string {
	e := vm.D.Events[i]
	if e.Action != core.ActionAutoCheck || len(vm.D.Checks) == 0 {
		return e.Comment
	}
	for _, later := range vm.D.Events[i+1:] {
		if later.Action == core.ActionAutoCheck {
			return e.Comment
		}
	}
	parts := make([]string, 0, len(vm.D.Checks))
	for _, c := range vm.D.Checks {
		parts = append(parts, ui.T(ctx, "approval.detail.check_item", map[string]any{
			"Name": ui.T(ctx, c.Name), "Outcome": ui.T(ctx, "approval.check."+c.Outcome)}))
	}
	return strings.Join(parts, ui.T(ctx, "approval.detail.check_sep"))
}

// approvalSubtitle is the type and, when the title does not already say
// it, the partner (an onboarding application is titled by the company).
func approvalSubtitle(ctx context.Context, vm DetailVM) string {
	s := ui.T(ctx, core.TypeLabel(vm.D.Type))
	if vm.D.PartnerName != "" && vm.D.PartnerName != vm.D.Title {
		s += " · " + vm.D.PartnerName
	}
	return s
}

func withdrawConfirm(ctx context.Context, id int64, title string) components.Confirm {
	return components.Confirm{
		ID:      "withdraw-" + ui.Itoa(id),
		Title:   ui.T(ctx, "approval.action.withdraw"),
		Message: ui.T(ctx, "approval.withdraw.confirm", map[string]any{"Title": title}),
		Accept:  ui.T(ctx, "approval.action.withdraw_btn"),
		Danger:  true,
	}
}

func approveConfirm(ctx context.Context, vm DetailVM) components.Confirm {
	return components.Confirm{
		ID:      "approve-confirm",
		Title:   ui.T(ctx, "approval.decide.approve"),
		Message: ui.T(ctx, "approval.decide.approve_confirm", map[string]any{"Partner": vm.D.PartnerName}),
		Accept:  ui.T(ctx, "approval.decide.approve"),
	}
}

// returnConfirm asks what materials are missing (required, at most
// core.MaxCommentLen characters), like rejectConfirm.
func returnConfirm(ctx context.Context, vm DetailVM) components.Confirm {
	return components.Confirm{
		ID:      "return-confirm",
		Title:   ui.T(ctx, "approval.decide.return"),
		Message: ui.T(ctx, "approval.decide.return_confirm", map[string]any{"Partner": vm.D.PartnerName}),
		Reason: &components.ConfirmReason{Name: "return_comment", Label: ui.T(ctx, "approval.decide.return_comment"), Value: vm.ReturnComment,
			Placeholder: ui.T(ctx, "approval.decide.return_hint"), Required: true, Max: core.MaxCommentLen, Err: vm.ReturnCommentErr},
		Accept: ui.T(ctx, "approval.decide.return"),
		Open:   vm.ReturnCommentErr != "",
	}
}

// rejectConfirm asks for the reason of a rejection (required, at most
// core.MaxCommentLen characters); a reason the server refused opens the
// dialog again with its message.
func rejectConfirm(ctx context.Context, vm DetailVM) components.Confirm {
	return components.Confirm{
		ID:      "reject-confirm",
		Title:   ui.T(ctx, "approval.decide.reject_title"),
		Message: ui.T(ctx, "approval.decide.reject_confirm", map[string]any{"Partner": vm.D.PartnerName}),
		Reason: &components.ConfirmReason{Name: "reason", Label: ui.T(ctx, "approval.decide.reason"), Value: vm.Reason,
			Placeholder: ui.T(ctx, "approval.decide.reason_hint"), Required: true, Max: core.MaxCommentLen, Err: vm.ReasonErr},
		Accept: ui.T(ctx, "approval.decide.reject"),
		Danger: true,
		Open:   vm.ReasonErr != "",
	}
}

func pathPayloadView(raw string, _ bool) templ.Component {
	var p paths.StagePayload
	_ = json.Unmarshal([]byte(raw), &p)
	return pathPayload(p)
}

// pathFields are the declared figures of a path application that apply
// to its path and stage, labelled.
func pathFields(ctx context.Context, p paths.StagePayload) []field {
	n := func(v int) string { return strconv.Itoa(v) }
	var out []field
	add := func(key, v string) { out = append(out, field{ui.T(ctx, "path.field."+key), v}) }
	switch {
	case p.Path == paths.PathService && p.To == paths.StageRole:
		add("entry_certs", n(p.Entry))
		add("working_certs", n(p.Working))
		add("hcsa_hcsp_persons", n(p.HCSAPersons))
		add("case_name", p.CaseName)
		add("case_date", p.CaseDate)
	case p.Path == paths.PathService && p.To == paths.StageDiff:
		add("labels", strings.Join(p.Labels, "、"))
		add("other_labels", n(p.OtherLabels))
		add("team_size", n(p.TeamSize))
		add("practice", p.Practice)
	case p.Path == paths.PathSI:
		yes := "common.no"
		if p.BPInterlock {
			yes = "common.yes"
		}
		add("bp_interlock", ui.T(ctx, yes))
		add("experts", n(p.Experts))
		if p.To == paths.StageDiff {
			add("hcie", n(p.HCIE))
		}
		add("offerings", n(p.Offerings))
		add("labels", strings.Join(p.Labels, "、"))
		add("other_labels", n(p.OtherLabels))
	}
	return out
}

// fhVariantOf is an FH month's variant (payloads before the SI and LP
// variants may not name it: a 2025 line lists its standards).
func fhVariantOf(p fh.MonthPayload) string {
	switch {
	case p.Variant != "":
		return p.Variant
	case len(p.Lines) > 0 && len(p.Lines[0].Standards) > 0:
		return fh.Capability2025
	}
	return fh.Service2024
}

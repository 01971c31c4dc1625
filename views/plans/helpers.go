// Package plans renders 计划 (internal/program): the partner's 华为云伙伴计划
// page with its tabs, 已签署协议, a cloud-reseller invitation link's page,
// the master distributor's 我的云经销商, and the programs card of the
// vendor's partner page.
package plans

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"partnercenter/internal/approval"
	"partnercenter/internal/paths"
	"partnercenter/internal/program"
	"partnercenter/views/components"
)

// PageVM is 计划 > 华为云伙伴计划.
type PageVM struct {
	O       *program.Overview
	Tab     string // catalogue | applied | joined
	Summary string // a refusal's catalog key
	Note    string
	NoteErr string
	Why     bool // open the SP check list (查看原因)
	// PCEErr is the PCE join form's message.
	PCEErr string
}

// AgreementsVM is 计划 > 合作承诺与协议 > 已签署协议.
type AgreementsVM struct {
	Rows  []program.Agreement
	Code  string
	State string // "" | active | terminated
}

// FilterAgreements keeps the rows whose code contains code (case
// insensitive) and whose state is state ("" for all).
func FilterAgreements(rows []program.Agreement, code, state string) []program.Agreement {
	code = strings.ToUpper(strings.TrimSpace(code))
	var out []program.Agreement
	for _, r := range rows {
		if code != "" && !strings.Contains(strings.ToUpper(r.Code), code) {
			continue
		}
		if (state == "active" && !r.Active) || (state == "terminated" && r.Active) {
			continue
		}
		out = append(out, r)
	}
	return out
}

// InvitationVM is a reseller invitation link's page.
type InvitationVM struct {
	V       *program.InvitationView
	Token   string
	Summary string
}

// ResellersVM is 销售 > 云经销商 > 我的云经销商 with its tab 邀请记录.
type ResellersVM struct {
	Tab         string // resellers | invitations
	Rows        []program.Reseller
	Invitations []program.InvitationRow
	BaseURL     string
	New         *program.Invitation // the link just created, shown with its QR code
	Now         time.Time
	Summary     string
	NoteErr     string
}

// Link is an invitation's absolute URL.
func Link(base string, inv *program.Invitation) string { return base + "/plans/join/" + inv.Token }

func stateLabel(s string) string   { return "program.state." + s }
func programLabel(p string) string { return "program.name." + p }

func levelLabel(m program.Membership) string {
	switch {
	case m.Program == program.MasterDistributor:
		return "program.md_type." + m.MDType
	case m.Level != "":
		return "program.level." + m.Level
	}
	return ""
}

func applied(o *program.Overview) []program.Membership {
	var out []program.Membership
	for _, m := range o.Memberships {
		switch m.Status {
		case program.StateApplied, program.StateInvited, program.StateRejected, program.StateWithdrawn, program.StateDeclined:
			out = append(out, m)
		}
	}
	return out
}

func joinedRows(o *program.Overview) []program.Membership {
	var out []program.Membership
	for _, m := range o.Memberships {
		switch m.Status {
		case program.StateActive, program.StateExpired, program.StateDelisted, program.StateExited:
			out = append(out, m)
		}
	}
	return out
}

func invited(o *program.Overview) []program.Membership {
	var out []program.Membership
	for _, m := range o.Memberships {
		if m.Status == program.StateInvited {
			out = append(out, m)
		}
	}
	return out
}

func date(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.Format("2006-01-02")
}

func agreementStateOptions() []components.Option {
	return []components.Option{{Value: "", Label: "list.all"}, {Value: "active", Label: "program.agreement.state.active"},
		{Value: "terminated", Label: "program.agreement.state.terminated"}}
}

// regionClassKey is the catalog key of an MD's region class (N43).
func regionClassKey(m program.Membership) string {
	if m.RegionClass == nil {
		return "program.region_class.none"
	}
	return "program.region_class." + strconv.Itoa(*m.RegionClass)
}

func deref(s *string) string {
	if s == nil {
		return "-"
	}
	return *s
}

// PathsVM is 计划 > 发展路径.
type PathsVM struct {
	O        *paths.Overview
	Summary  string
	Errors   map[string]string
	Checks   []approval.CheckResult // a declaration below the thresholds
	Input    paths.StageInput
	Applying bool // the stage form failed: keep it open
	Rereview bool
	Note     string
}

func pathStep(o *paths.Overview, stage string) string {
	if o.Enrollment == nil {
		return "todo"
	}
	at := slices.Index(paths.Stages, o.Enrollment.Stage)
	i := slices.Index(paths.Stages, stage)
	switch {
	case i < at:
		return "done"
	case i == at:
		return "current"
	}
	return "todo"
}

func stepClass(state string) string {
	switch state {
	case "done":
		return "bg-emerald-700 text-white"
	case "current":
		return "bg-sky-600 text-white"
	}
	return "bg-slate-200 text-slate-600"
}

func labelChecked(in paths.StageInput, l string) bool { return slices.Contains(in.Labels, l) }

func num(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

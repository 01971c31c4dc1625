// Package specialists renders 组织 > 项目专员 (seed 003 §7.2; issue 15):
// the linked persons and the invitations, the invitation with its checks
// and hints, and a person's page with its certificates and the
// project-specialist application; and the vendor's 个人资质审核.
package specialists

import (
	"net/url"
	"time"

	"partnercenter/internal/approval"
	"partnercenter/internal/people"
	"partnercenter/views/components"
)

// ListVM is 项目专员 (Tab "members") or 邀请列表 (Tab "invitations").
type ListVM struct {
	Tab         string
	Filter      people.Filter
	Members     []people.Member
	Invitations []people.InvitationRow
	Total       int64
	Now         time.Time
	Query       url.Values
	// The invitation form and its refusal.
	Tenant   string
	Error    string
	NotFound bool
	Checks   []approval.CheckResult
}

// Pager is the list's pager.
func (vm ListVM) Pager() components.Pager {
	path := "/org/specialists"
	if vm.Tab == "invitations" {
		path = "/org/specialists/invitations"
	}
	return components.Pager{Page: vm.Filter.Page, PerPage: people.PerPage, Total: vm.Total, Query: vm.Query, Path: path, Target: "#specialist-table"}
}

// PersonVM is a person's page as the partner sees it (§7.2.8).
type PersonVM struct {
	D     *people.Detail
	Now   time.Time
	Path  string // the partner's development path, "" when none
	Error string
	Args  map[string]any
	// The specialist application's and the cancellation's refusals.
	Errors       map[string]string
	CancelErr    string
	CancelReason string
	Note         string // the specialist application's note after a refusal
}

// Live is the person's live specialist (in review, approved or being
// cancelled), nil when none.
func (vm PersonVM) Live() *people.Specialist {
	for i, s := range vm.D.Specialists {
		switch s.Status {
		case people.SpecSubmitted, people.SpecApproved, people.SpecCancelling:
			return &vm.D.Specialists[i]
		}
	}
	return nil
}

// ReviewVM is the vendor's 个人资质审核.
type ReviewVM struct {
	Filter people.Filter
	Rows   []people.CertificateRow
	Total  int64
	Query  url.Values
	Import *people.ImportResult
	Error  string
	Errors map[string]string
}

// Pager is the review list's pager.
func (vm ReviewVM) Pager() components.Pager {
	return components.Pager{Page: vm.Filter.Page, PerPage: people.PerPage, Total: vm.Total, Query: vm.Query, Path: "/partners/certificates", Target: "#cert-table"}
}

func memberStateOptions() []components.Option {
	return components.OptionsOf("specialists.member.", people.MemberStates, components.AllOption)
}

func inviteStateOptions() []components.Option {
	return components.OptionsOf("people.invite.", people.InviteStates, components.AllOption)
}

func certStateOptions() []components.Option {
	return components.OptionsOf("people.cert.", people.CertificateStates, components.AllOption)
}

// Package sales renders 销售 > 拓新 > 客户拓展 (seed 003 §12.1.2.4–6): the
// reported customers (报备客户) with their form and detail, online
// invitations (线上拓展: emailed links valid 7 days, edit email and
// re-invite) and offline invitations (线下拓展: a link and a QR code that
// never expire).
package sales

import (
	"context"
	"net/url"
	"strconv"
	"time"

	"partnercenter/internal/customer"
	"partnercenter/views/components"
	"partnercenter/views/ui"
)

// ReportsVM is the 报备客户 list.
type ReportsVM struct {
	Filter       customer.ReportFilter
	List         *customer.ReportList
	Pager        components.Pager
	ValidityDays int
}

// ReportFormVM is the 报备客户 form.
type ReportFormVM struct {
	Input        customer.ReportInput
	Errors       map[string]string
	Summary      string
	SummaryArgs  map[string]any
	ValidityDays int
}

// ReportVM is a report's detail with its invitations.
type ReportVM struct {
	Report      *customer.ReportRow
	Invitations []customer.InvitationRow
	Now         time.Time
	BaseURL     string
	// Invite form errors (online invitation from the detail page).
	Errors  map[string]string
	Summary string
	Email   string
	Mode    string
}

// InvitationsVM is 线上拓展 or 线下拓展: the invitations of a channel and
// the form creating one.
type InvitationsVM struct {
	Channel string // customer.ChannelOnline | customer.ChannelOffline
	Filter  customer.InvitationFilter
	List    *customer.InvitationList
	Pager   components.Pager
	// Reports that may be invited now (protected).
	Reports []customer.ReportRow
	Now     time.Time
	BaseURL string
	// Create form: entered values and errors.
	ReportID    int64
	Email       string
	Mode        string
	Errors      map[string]string
	Summary     string
	SummaryArgs map[string]any
	// Open shows the create form unfolded (after an error or ?report=).
	Open bool
}

// InvitationVM is one invitation: its link, QR code and state.
type InvitationVM struct {
	Inv     *customer.InvitationRow
	Now     time.Time
	BaseURL string
	Errors  map[string]string
	Email   string
}

func reportStatusOptions() []components.Option {
	opts := []components.Option{{Value: "", Label: "list.all"}}
	for _, s := range customer.ReportStatuses {
		opts = append(opts, components.Option{Value: s, Label: "sales.report.status." + s})
	}
	return opts
}

func invitationStatusOptions(channel string) []components.Option {
	opts := []components.Option{{Value: "", Label: "list.all"}}
	for _, s := range customer.InvitationStatuses {
		if channel == customer.ChannelOffline && s == customer.InvitationExpired {
			continue // offline links never expire (R10)
		}
		opts = append(opts, components.Option{Value: s, Label: "sales.invitation.status." + s})
	}
	return opts
}

func kindOptions() []components.Option {
	return []components.Option{
		{Value: customer.KindEnterprise, Label: "customer.kind.enterprise"},
		{Value: customer.KindPersonal, Label: "customer.kind.personal"},
	}
}

func reportOptions(ctx context.Context, rows []customer.ReportRow) []components.Option {
	opts := []components.Option{{Value: "", Label: ui.T(ctx, "sales.invite.choose_report"), Raw: true}}
	for _, r := range rows {
		label := r.CustomerName + " · " + r.Mobile
		opts = append(opts, components.Option{Value: itoa(r.ID), Label: label, Raw: true})
	}
	return opts
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func idValue(n int64) string {
	if n == 0 {
		return ""
	}
	return itoa(n)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func strOr(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func reportPath(id int64) string { return "/sales/reports/" + itoa(id) }

func invitationPath(id int64, suffix string) string { return "/sales/invitations/" + itoa(id) + suffix }

// invitationViewPath is an invitation's page, under its channel's menu.
func invitationViewPath(inv *customer.Invitation) string {
	return "/sales/invitations/" + inv.Channel + "/" + itoa(inv.ID)
}

// Link is the invitation's full link as the customer opens it.
func Link(base string, inv *customer.Invitation) string { return base + inv.Path() }

func channelPath(channel string) string { return "/sales/invitations/" + channel }

func channelTarget(channel string) string { return "#" + channel + "-table" }

// ReportListQuery is the report list's filter as query values.
func ReportListQuery(f customer.ReportFilter) url.Values {
	q := url.Values{}
	if f.Q != "" {
		q.Set("q", f.Q)
	}
	if f.Status != "" {
		q.Set("status", f.Status)
	}
	return q
}

// InvitationListQuery is an invitation list's filter as query values.
func InvitationListQuery(f customer.InvitationFilter) url.Values {
	q := url.Values{}
	if f.Q != "" {
		q.Set("q", f.Q)
	}
	if f.Status != "" {
		q.Set("status", f.Status)
	}
	return q
}

func modeLabel(ctx context.Context, mode string) string { return ui.T(ctx, "customer.mode."+mode) }

func daysLeft(now time.Time, until *time.Time) int {
	if until == nil {
		return 0
	}
	d := until.Sub(now)
	if d <= 0 {
		return 0
	}
	return int((d + 24*time.Hour - 1) / (24 * time.Hour))
}

func daysArg(n int) map[string]any { return map[string]any{"Days": n} }

func modeChecked(vmMode, mode string) bool {
	if vmMode == "" {
		return mode == customer.ModeResale
	}
	return vmMode == mode
}

func kindValue(k string) string {
	if k == "" {
		return customer.KindEnterprise
	}
	return k
}

// Reinvitable: an online invitation not yet accepted nor replaced may be
// sent again, to a corrected email (seed 003 §12.1.2.6).
func Reinvitable(inv *customer.Invitation, now time.Time) bool {
	if inv.Channel != customer.ChannelOnline {
		return false
	}
	switch inv.StatusAt(now) {
	case customer.InvitationSent, customer.InvitationOpened, customer.InvitationExpired:
		return true
	}
	return false
}

// Copyable: the link still works (sent or opened, not expired) and is
// worth passing on.
func Copyable(inv *customer.Invitation, now time.Time) bool {
	switch inv.StatusAt(now) {
	case customer.InvitationSent, customer.InvitationOpened:
		return true
	}
	return false
}

package web

import (
	"strconv"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/i18n"
	"partnercenter/views/home"
	obv "partnercenter/views/onboarding"
)

// pendingItems lists what waits for the partner on the home page: the
// onboarding step to take, open applications and unread messages.
func (a *App) pendingItems(c echo.Context, p *partner.Partner) ([]home.PendingItem, error) {
	ctx := c.Request().Context()
	pr := principalOf(c)
	var items []home.PendingItem
	if p.Status != partner.StatusActive && pr.Can(access.OnboardingApply) {
		switch p.Status {
		case partner.StatusRegistered:
			items = append(items, home.PendingItem{Label: "home.pending.onboarding_todo", Link: "/onboarding", Tone: "amber"})
		case partner.StatusRejected:
			items = append(items, home.PendingItem{Label: "home.pending.onboarding_rejected", Link: "/onboarding", Tone: "red"})
		}
	}
	if pr.Can(access.ApplicationsView) {
		counts, err := a.svc.Approvals.PartnerCounts(ctx, pr)
		if err != nil {
			return nil, err
		}
		if counts.Submitted > 0 {
			items = append(items, home.PendingItem{Label: "home.pending.open_applications", Args: map[string]any{"N": counts.Submitted},
				Link: "/applications?state=submitted", Tone: "blue"})
		}
	}
	if n, err := a.svc.Notify.UnreadCount(ctx, pr); err != nil {
		return nil, err
	} else if n > 0 {
		items = append(items, home.PendingItem{Label: "home.pending.unread_messages", Args: map[string]any{"N": n},
			Link: "/messages?unread=1", Tone: "amber"})
	}
	return items, nil
}

// homeProgress is the onboarding progress card (审核进度) of a tenant not
// yet active, or nil.
func (a *App) homeProgress(c echo.Context, p *partner.Partner) (templ.Component, error) {
	if p.Status == partner.StatusActive || !principalOf(c).Can(access.ApplicationsView) {
		return nil, nil
	}
	vm, err := a.onboardingProgress(c, p.Status)
	if err != nil {
		return nil, err
	}
	return obv.Progress(*vm), nil
}

// vendorHome counts the vendor staff's queue: open and overdue
// applications, partners it is responsible for, and the first ones due.
func (a *App) vendorHome(c echo.Context) (home.VendorVM, error) {
	ctx := c.Request().Context()
	actor := principalOf(c)
	var vm home.VendorVM
	counts, err := a.svc.Approvals.InboxCounts(ctx, actor, approval.Query{})
	if err != nil {
		return vm, err
	}
	vm.Open, vm.Overdue = counts.Submitted, counts.Overdue
	if vm.Partners, err = a.svc.Approvals.ResponsibleFor(ctx, actor); err != nil {
		return vm, err
	}
	rows, _, err := a.svc.Approvals.Inbox(ctx, actor, approval.Query{State: approval.StateSubmitted, Sort: "due", PerPage: 5})
	if err != nil {
		return vm, err
	}
	now := a.Clock.Now()
	for _, r := range rows {
		tone, label := "blue", "home.pending.review"
		if r.Overdue(now) {
			tone, label = "red", "home.pending.review_overdue"
		}
		due := ""
		if r.DueAt != nil {
			due = r.DueAt.In(clock.China).Format("2006-01-02")
		}
		vm.Pending = append(vm.Pending, home.PendingItem{Label: label, Tone: tone, Link: "/approvals/" + strconv.FormatInt(r.ID, 10),
			Args: map[string]any{"Partner": r.PartnerName, "Type": i18n.T(ctx, approval.TypeLabel(r.Type)), "Due": due}})
	}
	return vm, nil
}

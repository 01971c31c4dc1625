package web

import (
	"strconv"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/customer"
	"partnercenter/internal/invoice"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/i18n"
	"partnercenter/views/home"
	obv "partnercenter/views/onboarding"
	"partnercenter/views/ui"
)

// pendingItems lists what waits for the partner on the home page: the
// onboarding step to take, the business information to certify,
// applications returned or open, association requests to
// answer, invoice applications not yet issued (per signing entity, as
// the invoice page lists them) and unread messages — each only for who
// may open the page it links to.
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
	if p.Status == partner.StatusActive && pr.Can(access.ProfileBusinessView) {
		need, err := a.svc.Business.Required(ctx, pr)
		if err != nil {
			return nil, err
		}
		if need {
			items = append(items, home.PendingItem{Label: "home.pending.business_info", Link: "/profile/business", Tone: "amber"})
		}
	}
	if pr.Can(access.ApplicationsView) {
		counts, err := a.svc.Approvals.PartnerCounts(ctx, pr)
		if err != nil {
			return nil, err
		}
		if counts.Returned > 0 {
			items = append(items, home.PendingItem{Label: "home.pending.returned_applications", Args: map[string]any{"N": counts.Returned},
				Link: "/applications?state=returned", Tone: "amber"})
		}
		if counts.Submitted > 0 {
			items = append(items, home.PendingItem{Label: "home.pending.open_applications", Args: map[string]any{"N": counts.Submitted},
				Link: "/applications?state=submitted", Tone: "blue"})
		}
	}
	can := func(key string) bool { return pr.Can(a.Perm(key)) }
	if p.Status == partner.StatusActive && can("GET /customers/records") {
		n, err := a.svc.Customers.PendingRequests(ctx, pr)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			items = append(items, home.PendingItem{Label: "home.pending.association_requests", Args: map[string]any{"N": n},
				Link: "/customers/records?type=" + customer.RequestUnbind + "&status=" + customer.RequestPending + "&initiator=" + customer.InitiatorCustomer, Tone: "amber"})
		}
	}
	if p.Status == partner.StatusActive && can("GET /billing/invoices") {
		applied, err := a.svc.Invoices.AppliedByEntity(ctx, pr)
		if err != nil {
			return nil, err
		}
		for _, e := range invoice.Entities {
			if n := applied[e]; n > 0 {
				items = append(items, home.PendingItem{Label: "home.pending.invoices_applied",
					Args: map[string]any{"N": n, "Entity": i18n.T(ctx, "invoice.entity."+e)},
					Link: "/billing/invoices?entity=" + e + "&state=" + invoice.StateApplied, Tone: "blue"})
			}
		}
	}
	if n := ui.P(ctx).Unread; n > 0 {
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
	can := func(key string) bool { return actor.Can(a.Perm(key)) }
	// Vendor finance: withdrawals to pay, invoices to issue and returns to
	// accept, consumption imports that failed this week.
	if can("GET /finance/withdrawals") {
		n, err := a.svc.Payouts.PendingCount(ctx, actor)
		if err != nil {
			return vm, err
		}
		vm.Stats = append(vm.Stats, home.Stat{Label: "home.vendor_payouts", N: n, Link: "/finance/withdrawals?status=pending", TestID: "stat-payouts"})
	}
	if can("GET /finance/invoices") {
		q, err := a.svc.InvoiceDesk.Counts(ctx, actor)
		if err != nil {
			return vm, err
		}
		vm.Stats = append(vm.Stats, home.Stat{Label: "home.vendor_invoices", N: q.ToIssue, Link: "/finance/invoices?state=applied", TestID: "stat-invoices"},
			home.Stat{Label: "home.vendor_returns", N: q.ReturnsToAccept, Link: "/finance/invoices?state=returned_requested", TestID: "stat-returns"})
	}
	if can("GET /finance/consumption") {
		n, err := a.svc.Importer.FailedSince(ctx, actor, a.Clock.Now().AddDate(0, 0, -7))
		if err != nil {
			return vm, err
		}
		vm.Stats = append(vm.Stats, home.Stat{Label: "home.vendor_failed_imports", N: n, Link: "/finance/consumption", TestID: "stat-failed-imports", Alert: true})
	}
	if !can("GET /approvals") {
		return vm, nil
	}
	vm.Reviewer = true
	counts, err := a.svc.Approvals.InboxCounts(ctx, actor, approval.Query{})
	if err != nil {
		return vm, err
	}
	partners, err := a.svc.Approvals.ResponsibleFor(ctx, actor)
	if err != nil {
		return vm, err
	}
	vm.Stats = append([]home.Stat{
		{Label: "home.vendor_open", N: counts.Submitted, Link: "/approvals?state=submitted", TestID: "stat-open"},
		{Label: "home.vendor_overdue", N: counts.Overdue, Link: "/approvals?state=submitted&overdue=1", TestID: "stat-overdue", Alert: true},
		{Label: "home.vendor_partners", N: partners, Link: "/partners", TestID: "stat-partners"},
	}, vm.Stats...)
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

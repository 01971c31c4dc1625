package web

import (
	"net/http"
	"strings"

	"partnercenter/internal/access"
	"partnercenter/views/ui"
)

type navPageDef struct{ label, path string }

type navGroupDef struct {
	label string
	pages []navPageDef
}

type navMenuDef struct {
	key, label string
	groups     []navGroupDef
}

// partnerNav is the partner console's menu tree in the seeds' order
// (首页, 客户, 销售, 账务, 激励, 机会点, 权益, 计划, 组织, 支持). A page appears only
// when its route exists and the user holds its item; a menu only when one
// of its pages does, so there are no dead links.
var partnerNav = []navMenuDef{
	{key: "home", label: "nav.home", groups: []navGroupDef{{pages: []navPageDef{{"nav.home", "/"}}}}},
	{key: "customers", label: "nav.customers", groups: []navGroupDef{
		{label: "nav.customers.group", pages: []navPageDef{
			{"nav.customers.list", "/customers"},
			{"nav.customers.assign", "/customers/assign"},
			{"nav.customers.records", "/customers/records"},
			{"nav.customers.orders", "/customers/orders"},
			{"nav.customers.consumption", "/customers/consumption"},
		}},
	}},
	{key: "sales", label: "nav.sales", groups: []navGroupDef{
		{label: "nav.sales.expansion", pages: []navPageDef{
			{"nav.sales.reports", "/sales/reports"},
			{"nav.sales.online", "/sales/invitations/online"},
			{"nav.sales.offline", "/sales/invitations/offline"},
			{"nav.sales.deals", "/sales/deals"},
		}},
		{label: "nav.sales.reseller_group", pages: []navPageDef{
			{"nav.sales.resellers", "/sales/resellers"},
		}},
		{label: "nav.sales.dashboards", pages: []navPageDef{
			{"nav.sales.dashboards.customers", "/sales/dashboards/customers"},
			{"nav.sales.dashboards.consumption", "/sales/dashboards/consumption"},
			{"nav.sales.dashboards.performance", "/sales/dashboards/performance"},
			{"nav.sales.dashboards.incentives", "/sales/dashboards/incentives"},
		}},
	}},
	{key: "billing", label: "nav.billing", groups: []navGroupDef{{label: "nav.billing", pages: []navPageDef{
		{"nav.billing.bill", "/billing/bill"},
		{"nav.billing.exports", "/billing/exports"},
		{"nav.billing.funds", "/billing/funds"},
		{"nav.billing.invoices", "/billing/invoices"},
		{"nav.billing.contracts", "/billing/contracts"},
	}}}},
	{key: "incentives", label: "nav.incentives", groups: []navGroupDef{
		{label: "nav.incentives.group", pages: []navPageDef{
			{"nav.incentives.performance", "/incentives/performance"},
			{"nav.incentives.records", "/incentives/performance/records"},
			{"nav.incentives.bills", "/incentives/bills"},
			{"nav.incentives.details", "/incentives/details"},
			{"nav.incentives.payouts", "/incentives/payouts"},
			{"nav.incentives.applications", "/incentives/payouts/applications"},
			{"nav.incentives.indicators", "/incentives/indicators"},
		}},
	}},
	{key: "opportunities", label: "nav.opportunities", groups: []navGroupDef{
		{label: "nav.opportunities.group", pages: []navPageDef{{"nav.opportunities.po", "/opportunities/po"},
			{"nav.opportunities.ho", "/opportunities/ho"}}},
	}},
	{key: "benefits", label: "nav.benefits", groups: []navGroupDef{
		{label: "nav.benefits.group", pages: []navPageDef{{"nav.benefits.apply", "/benefits"}, {"nav.benefits.records", "/benefits/applications"},
			{"nav.benefits.mdf", "/benefits/mdf"}, {"nav.benefits.nre", "/benefits/nre"}, {"nav.benefits.fh", "/benefits/fh"}}},
	}},
	{key: "plans", label: "nav.plans", groups: []navGroupDef{
		{label: "nav.plans.programs_group", pages: []navPageDef{{"nav.plans.programs", "/plans"}, {"nav.plans.paths", "/plans/paths"}}},
		{label: "nav.plans.commitments", pages: []navPageDef{{"nav.plans.agreements", "/plans/agreements"}}},
	}},
	{key: "org", label: "nav.org", groups: []navGroupDef{
		{label: "nav.org.group", pages: []navPageDef{
			{"nav.org.members", "/org/members"},
			{"nav.org.roles", "/org/roles"},
			{"nav.org.audit", "/org/audit"},
			{"nav.org.specialists", "/org/specialists"},
		}},
	}},
	{key: "support", label: "nav.support", groups: []navGroupDef{
		{label: "nav.support.group", pages: []navPageDef{{"nav.support.library", "/support/library"}}},
	}},
}

// vendorNav is the vendor staff console: 审批 and 伙伴.
var vendorNav = []navMenuDef{
	{key: "home", label: "nav.home", groups: []navGroupDef{{pages: []navPageDef{{"nav.home", "/"}}}}},
	{key: "approvals", label: "nav.approvals", groups: []navGroupDef{
		{label: "nav.approvals.group", pages: []navPageDef{{"nav.approvals.inbox", "/approvals"}}},
	}},
	{key: "partners", label: "nav.partners", groups: []navGroupDef{
		{label: "nav.partners.group", pages: []navPageDef{{"nav.partners.list", "/partners"}, {"nav.partners.performance", "/partners/performance"},
			{"nav.partners.incentives", "/partners/incentives"}, {"nav.partners.policies", "/partners/incentive-policies"},
			{"nav.partners.definitions", "/partners/indicator-definitions"}, {"nav.partners.opportunities", "/partners/opportunities"},
			{"nav.partners.ho", "/partners/opportunities/ho"}, {"nav.partners.protection", "/partners/protection"},
			{"nav.partners.library", "/partners/library"}, {"nav.partners.benefit_policies", "/partners/benefit-policies"},
			{"nav.partners.benefits", "/partners/benefits"},
			{"nav.partners.certificates", "/partners/certificates"}, {"nav.partners.mdf", "/partners/mdf"}, {"nav.partners.nre", "/partners/nre"}, {"nav.partners.fh", "/partners/fh"},
			{"nav.partners.staff", "/staff"}, {"nav.staff.messages", "/staff/messages"}}},
	}},
	{key: "finance", label: "nav.finance", groups: []navGroupDef{
		{label: "nav.finance.group", pages: []navPageDef{
			{"nav.finance.recharges", "/finance/recharges"},
			{"nav.finance.withdrawals", "/finance/withdrawals"},
			{"nav.finance.consumption", "/finance/consumption"},
			{"nav.finance.invoices", "/finance/invoices"},
			{"nav.finance.contracts", "/finance/contracts"},
			{"nav.finance.business_infos", "/finance/business-infos"},
			{"nav.finance.incentives", "/finance/incentives"},
			{"nav.finance.mdf", "/finance/mdf"},
			{"nav.finance.nre", "/finance/nre"},
			{"nav.finance.fh", "/finance/fh"},
		}},
	}},
}

// consoleNav is the customer console (a customer's own account center).
var consoleNav = []navMenuDef{
	{key: "console", label: "nav.console.home", groups: []navGroupDef{{pages: []navPageDef{{"nav.console.home", "/console"}}}}},
	{key: "my_partners", label: "nav.console.partners", groups: []navGroupDef{{pages: []navPageDef{{"nav.console.partners", "/console/partners"}}}}},
}

// personalNav is the personal console of a personal Huawei account
// (个人华为账号, seed 003 §7.2): 邀请, 个人资质, 我的券, 个人信息.
var personalNav = []navMenuDef{
	{key: "me_invitations", label: "nav.me.invitations", groups: []navGroupDef{{pages: []navPageDef{{"nav.me.invitations", "/me"}}}}},
	{key: "me_certificates", label: "nav.me.certificates", groups: []navGroupDef{{pages: []navPageDef{{"nav.me.certificates", "/me/certificates"}}}}},
	{key: "me_vouchers", label: "nav.me.vouchers", groups: []navGroupDef{{pages: []navPageDef{{"nav.me.vouchers", "/me/vouchers"}}}}},
	{key: "me_profile", label: "nav.me.profile", groups: []navGroupDef{{pages: []navPageDef{{"nav.me.profile", "/me/profile"}}}}},
}

// partnerInfoMenu is 伙伴信息 in the user dropdown.
var partnerInfoMenu = []navPageDef{
	{"nav.profile.company", "/profile/company"},
	{"nav.profile.business", "/profile/business"},
	{"nav.profile.account", "/profile/account"},
	{"nav.profile.personal", "/profile/personal"},
	{"nav.profile.sessions", "/profile/sessions"},
	{"nav.profile.security", "/profile/security"},
	{"nav.profile.messages", "/profile/messages"},
	{"nav.profile.webhooks", "/profile/webhooks"},
	{"nav.applications", "/applications"},
	{"nav.exports", "/exports"},
}

func isActive(current, path string) bool {
	if path == "/" || path == "/console" {
		return current == path // a home, not a prefix of its siblings
	}
	return current == path || strings.HasPrefix(current, path+"/")
}

// navigation draws the menus the principal may open.
func (a *App) navigation(p *access.Principal, current string) ([]ui.NavMenu, []ui.NavPage) {
	if p == nil {
		return nil, nil
	}
	visible := func(path string) bool {
		perm, ok := a.perms[http.MethodGet+" "+path]
		return ok && p.Can(perm)
	}
	defs := partnerNav
	switch {
	case p.IsVendor:
		defs = vendorNav
	case p.IsCustomer:
		defs = consoleNav
	case p.IsPersonal:
		defs = personalNav
	}
	// The most specific page is the active one (客户管理 /customers is not
	// active on 客户分配 /customers/assign).
	best := ""
	for _, m := range defs {
		for _, g := range m.groups {
			for _, pg := range g.pages {
				if len(pg.path) > len(best) && isActive(current, pg.path) && visible(pg.path) {
					best = pg.path
				}
			}
		}
	}
	var menus []ui.NavMenu
	for _, m := range defs {
		menu := ui.NavMenu{Key: m.key, Label: m.label}
		for _, g := range m.groups {
			group := ui.NavGroup{Label: g.label}
			for _, pg := range g.pages {
				if !visible(pg.path) {
					continue
				}
				active := pg.path == best
				group.Pages = append(group.Pages, ui.NavPage{Label: pg.label, Path: pg.path, Active: active})
				if menu.Path == "" {
					menu.Path = pg.path
				}
				menu.Active = menu.Active || active
			}
			if len(group.Pages) > 0 {
				menu.Groups = append(menu.Groups, group)
			}
		}
		if menu.Path != "" {
			menus = append(menus, menu)
		}
	}
	var user []ui.NavPage
	if !p.IsVendor && !p.IsCustomer && !p.IsPersonal {
		for _, pg := range partnerInfoMenu {
			if visible(pg.path) {
				user = append(user, ui.NavPage{Label: pg.label, Path: pg.path, Active: isActive(current, pg.path)})
			}
		}
	}
	return menus, user
}

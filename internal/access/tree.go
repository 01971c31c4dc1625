package access

// Item is a permission item: a node of the permission tree. Routes declare
// the item they need; roles hold items.
type Item string

// Pseudo items for routes that need no tree item.
const (
	// Public routes are open to anyone, signed in or not.
	Public Item = "@public"
	// SignedIn routes are open to every signed-in user (sign-out,
	// messages, language).
	SignedIn Item = "@signed_in"
)

// Partner items.
const (
	HomeView Item = "home.view"

	ProfileCompanyView  Item = "profile.company.view"
	ProfileCompanyEdit  Item = "profile.company.edit"
	ProfileAccountView  Item = "profile.account.view"
	ProfileAccountEdit  Item = "profile.account.edit"
	ProfilePersonalView Item = "profile.personal.view"
	ProfileCredentials  Item = "profile.credentials"
	ProfileBusinessView Item = "profile.business.view"
	ProfileBusinessEdit Item = "profile.business.edit"
	// Webhook endpoints: the main account's (build-plan 5.F).
	ProfileWebhooks Item = "profile.webhooks"

	ApplicationsView   Item = "applications.view"
	ApplicationsManage Item = "applications.manage"
	OnboardingApply    Item = "onboarding.apply"

	CustomersView           Item = "customers.view"
	CustomerConsumptionView Item = "customers.consumption.view"
	CustomerOrdersView      Item = "customers.orders.view"
	CustomersExport         Item = "customers.export"
	CustomersAssign         Item = "customers.assign"
	CustomersSwitch         Item = "customers.switch"
	CustomersUnbind         Item = "customers.unbind"
	CustomerRecordsView     Item = "customers.records.view"
	CustomerRecordsDecide   Item = "customers.records.decide"

	SalesReportsView       Item = "sales.reports.view"
	SalesReportsManage     Item = "sales.reports.manage"
	SalesInvitationsManage Item = "sales.invitations.manage"
	// 商机 (seed 002 L17–18): view, and create / edit / add progress.
	SalesDealsView   Item = "sales.deals.view"
	SalesDealsManage Item = "sales.deals.manage"

	// 账务 > 资金管理 (seed 003 §7.1.1 table 7-1 账号 > 账户信息, §12.1.3).
	BillingFundsView Item = "billing.funds.view"
	BillingTransfer  Item = "billing.transfer"
	BillingRecover   Item = "billing.recover"
	BillingAlert     Item = "billing.alert"
	BillingWithdraw  Item = "billing.withdraw"
	BillingSecurity  Item = "billing.security"

	// 账务 > 伙伴账单, 发票管理, 合同商务 (seed 003 §12.1.4, §12.1.9; not for
	// cloud resellers, whose 账务 is 资金管理 only — §12.1.9.17).
	BillingBillView     Item = "billing.bill.view"
	BillingBillExport   Item = "billing.bill.export"
	BillingInvoiceView  Item = "billing.invoice.view"
	BillingInvoiceApply Item = "billing.invoice.apply"
	BillingInvoiceInfo  Item = "billing.invoice.info"
	BillingContractView Item = "billing.contract.view"
	BillingContractSign Item = "billing.contract.sign"

	// 计划 > 华为云伙伴计划 and 已签署协议 (seed 003 §5, §12.3.11; build-plan 1.C).
	PlansView  Item = "plans.view"
	PlansApply Item = "plans.apply"

	// 销售 > 云经销商 > 云经销商管理 (master distributors only, §12.1.9.17).
	ResellersView   Item = "resellers.view"
	ResellersInvite Item = "resellers.invite"

	// 销售 > 激励 > 业绩管理 (seed 003 §12.1.5.3; not for cloud resellers, §12.3.4).
	IncentivesPerformanceView     Item = "incentives.performance.view"
	IncentivesPerformanceFeedback Item = "incentives.performance.feedback"
	IncentivesIndicatorsView      Item = "incentives.indicators.view"
	// 业绩管理 > 激励对账 (§12.1.5.4): 激励汇总 / 激励明细 and 确认对账.
	IncentivesBillsView     Item = "incentives.bills.view"
	IncentivesBillsConfirm  Item = "incentives.bills.confirm"
	IncentivesBillsFeedback Item = "incentives.bills.feedback"
	// 激励管理 (§12.1.5.5–45; issue 13): 激励申请 and 申请记录.
	IncentivesPayoutView  Item = "incentives.payout.view"
	IncentivesPayoutApply Item = "incentives.payout.apply"
	IncentivesPayoutAuto  Item = "incentives.payout.auto"

	// 机会点 (seed 003 §11; issue 14): PCE members only.
	OpportunitiesView   Item = "opportunities.po.view"
	OpportunitiesCreate Item = "opportunities.po.create" // 添加机会点 (§11.1.2.4)
	OpportunitiesHOView Item = "opportunities.ho.view"
	// 接受 / 拒绝 an HO the vendor shared (§11.1.3.3).
	OpportunitiesHODecide Item = "opportunities.ho.decide"
	// 权益 (§10): apply for benefits, and read the records.
	BenefitsView  Item = "benefits.view"
	BenefitsApply Item = "benefits.apply"
	// 资料库 (§14.1): every account of a partner in a programme or path.
	SupportLibraryView Item = "support.library.view"

	// 销售 > 运营看板 (§12.1.9.17): a cloud reseller has the first two only.
	DashboardsCustomersView   Item = "dashboards.customers.view"
	DashboardsConsumptionView Item = "dashboards.consumption.view"
	DashboardsPerformanceView Item = "dashboards.performance.view"
	DashboardsIncentivesView  Item = "dashboards.incentives.view"

	OrgMembersView   Item = "org.members.view"
	OrgMembersManage Item = "org.members.manage"
	OrgRolesView     Item = "org.roles.view"
	OrgRolesManage   Item = "org.roles.manage"
	OrgAuditView     Item = "org.audit.view"
	OrgAuditExport   Item = "org.audit.export"
	// 组织 > 项目专员 (seed 003 §7.2): members read; the admin alone
	// invites, unlinks and applies for project specialists (§7.2.1–7.2.2).
	OrgSpecialistsView   Item = "org.specialists.view"
	OrgSpecialistsManage Item = "org.specialists.manage"
)

// Customer console item: everything a customer does in its own console.
const ConsoleUse Item = "console.use"

// Personal console item: everything a personal Huawei account (个人华为账号)
// does in its own console (邀请, 个人资质, 我的券).
const PersonalUse Item = "personal.use"

// Vendor items.
const (
	VendorApprovalsView   Item = "vendor.approvals.view"
	VendorApprovalsDecide Item = "vendor.approvals.decide"
	VendorApprovalsAssign Item = "vendor.approvals.assign"
	VendorPartnersView    Item = "vendor.partners.view"
	VendorPartnersAssign  Item = "vendor.partners.assign"
	VendorStaffManage     Item = "vendor.staff.manage"
	VendorFinanceManage   Item = "vendor.finance.manage"
	VendorBusinessReview  Item = "vendor.business_info.review"
	// Ecosystem managers and the vendor administrator invite master
	// distributors and record exits, delistings and annual assessments.
	VendorProgramsManage Item = "vendor.programs.manage"
	// Ecosystem managers and the vendor administrator publish and finalise
	// their partners' performance summaries (业绩公示, §12.1.5.3).
	VendorPerformanceManage Item = "vendor.performance.manage"
	// Ecosystem managers and the vendor administrator publish their
	// partners' incentive bills (激励公示, §12.1.5.4).
	VendorIncentivesManage Item = "vendor.incentives.manage"
	// The vendor administrator keeps the incentive policies and the
	// indicator definitions (build-plan 3.B, 3.C).
	VendorPoliciesManage Item = "vendor.policies.manage"
	// Vendor finance loads consumption (CSV/xlsx import) and issues invoices.
	VendorConsumptionImport Item = "vendor.consumption.import"
	VendorInvoiceIssue      Item = "vendor.invoice.issue"
	// Vendor staff enter partners' offline contracts (线下合同, §12.3.11).
	VendorContractManage Item = "vendor.contract.manage"
	// Ecosystem managers and the vendor administrator share HOs with their
	// partners, withdraw accepted ones and keep the jointly built
	// Offerings (§11.1.3).
	VendorOpportunitiesManage Item = "vendor.opportunities.manage"
	// The vendor administrator keeps the resource library (资料管理, §14.1).
	VendorLibraryManage Item = "vendor.library.manage"
	// The vendor administrator keeps 权益政策 and issues approved benefits.
	VendorBenefitsManage Item = "vendor.benefits.manage"
	// 个人资质审核 and the 云学堂 certificate import (§7.2.6).
	VendorCertificatesReview Item = "vendor.certificates.review"
)

// Node is a node of the permission tree. Label is a message-catalog id.
// MainOnly items belong to the partner main account alone and cannot be
// put in a role (seed 003 §6.1.2: only the main account edits licence
// data).
type Node struct {
	Item     Item
	Label    string
	MainOnly bool
	Children []*Node
}

// PartnerTree is the partner permission tree as the role editor shows it:
// menu → page → action.
var PartnerTree = []*Node{
	{Item: "menu.home", Label: "perm.menu.home", Children: []*Node{
		{Item: HomeView, Label: "perm.home.view"},
	}},
	{Item: "menu.customers", Label: "perm.menu.customers", Children: []*Node{
		{Item: "page.customers", Label: "perm.page.customers", Children: []*Node{
			{Item: CustomersView, Label: "perm.customers.view"},
			{Item: CustomersExport, Label: "perm.customers.export"},
			{Item: CustomersAssign, Label: "perm.customers.assign"},
			{Item: CustomersSwitch, Label: "perm.customers.switch"},
			{Item: CustomersUnbind, Label: "perm.customers.unbind"},
			{Item: CustomerConsumptionView, Label: "perm.customers.consumption.view"},
			{Item: CustomerOrdersView, Label: "perm.customers.orders.view"},
		}},
		{Item: "page.customers.records", Label: "perm.page.customers.records", Children: []*Node{
			{Item: CustomerRecordsView, Label: "perm.customers.records.view"},
			// R14 (seed 003 §12.1.2.2): only the partner admin processes a
			// customer's unbinding request.
			{Item: CustomerRecordsDecide, Label: "perm.customers.records.decide", MainOnly: true},
		}},
	}},
	{Item: "menu.sales", Label: "perm.menu.sales", Children: []*Node{
		{Item: "page.sales.expansion", Label: "perm.page.sales.expansion", Children: []*Node{
			{Item: SalesReportsView, Label: "perm.sales.reports.view"},
			{Item: SalesReportsManage, Label: "perm.sales.reports.manage"},
			{Item: SalesInvitationsManage, Label: "perm.sales.invitations.manage"},
		}},
		{Item: "page.sales.deals", Label: "perm.page.sales.deals", Children: []*Node{
			{Item: SalesDealsView, Label: "perm.sales.deals.view"},
			{Item: SalesDealsManage, Label: "perm.sales.deals.manage"},
		}},
		{Item: "page.sales.resellers", Label: "perm.page.sales.resellers", Children: []*Node{
			{Item: ResellersView, Label: "perm.resellers.view"},
			{Item: ResellersInvite, Label: "perm.resellers.invite"},
		}},
		{Item: "page.sales.dashboards", Label: "perm.page.sales.dashboards", Children: []*Node{
			{Item: DashboardsCustomersView, Label: "perm.dashboards.customers.view"},
			{Item: DashboardsConsumptionView, Label: "perm.dashboards.consumption.view"},
			{Item: DashboardsPerformanceView, Label: "perm.dashboards.performance.view"},
			{Item: DashboardsIncentivesView, Label: "perm.dashboards.incentives.view"},
		}},
	}},
	{Item: "menu.billing", Label: "perm.menu.billing", Children: []*Node{
		{Item: "page.billing.funds", Label: "perm.page.billing.funds", Children: []*Node{
			{Item: BillingFundsView, Label: "perm.billing.funds.view"},
			{Item: BillingTransfer, Label: "perm.billing.transfer"},
			{Item: BillingRecover, Label: "perm.billing.recover"},
			{Item: BillingAlert, Label: "perm.billing.alert"},
			{Item: BillingWithdraw, Label: "perm.billing.withdraw"},
			// Only the main account decides whether money operations ask
			// for the password again.
			{Item: BillingSecurity, Label: "perm.billing.security", MainOnly: true},
		}},
		{Item: "page.billing.bill", Label: "perm.page.billing.bill", Children: []*Node{
			{Item: BillingBillView, Label: "perm.billing.bill.view"},
			{Item: BillingBillExport, Label: "perm.billing.bill.export"},
		}},
		{Item: "page.billing.invoice", Label: "perm.page.billing.invoice", Children: []*Node{
			{Item: BillingInvoiceView, Label: "perm.billing.invoice.view"},
			{Item: BillingInvoiceApply, Label: "perm.billing.invoice.apply"},
			{Item: BillingInvoiceInfo, Label: "perm.billing.invoice.info"},
		}},
		{Item: "page.billing.contract", Label: "perm.page.billing.contract", Children: []*Node{
			{Item: BillingContractView, Label: "perm.billing.contract.view"},
			// Signing the online payment agreement binds the company.
			{Item: BillingContractSign, Label: "perm.billing.contract.sign", MainOnly: true},
		}},
	}},
	{Item: "menu.incentives", Label: "perm.menu.incentives", Children: []*Node{
		{Item: "page.incentives.performance", Label: "perm.page.incentives.performance", Children: []*Node{
			{Item: IncentivesPerformanceView, Label: "perm.incentives.performance.view"},
			{Item: IncentivesPerformanceFeedback, Label: "perm.incentives.performance.feedback"},
		}},
		{Item: "page.incentives.indicators", Label: "perm.page.incentives.indicators", Children: []*Node{
			{Item: IncentivesIndicatorsView, Label: "perm.incentives.indicators.view"},
		}},
		{Item: "page.incentives.bills", Label: "perm.page.incentives.bills", Children: []*Node{
			{Item: IncentivesBillsView, Label: "perm.incentives.bills.view"},
			{Item: IncentivesBillsConfirm, Label: "perm.incentives.bills.confirm"},
			{Item: IncentivesBillsFeedback, Label: "perm.incentives.bills.feedback"},
		}},
		{Item: "page.incentives.payout", Label: "perm.page.incentives.payout", Children: []*Node{
			{Item: IncentivesPayoutView, Label: "perm.incentives.payout.view"},
			{Item: IncentivesPayoutApply, Label: "perm.incentives.payout.apply"},
			// 自动申请 is the admin's (§12.1.5.29).
			{Item: IncentivesPayoutAuto, Label: "perm.incentives.payout.auto", MainOnly: true},
		}},
	}},
	{Item: "menu.opportunities", Label: "perm.menu.opportunities", Children: []*Node{
		{Item: "page.opportunities.po", Label: "perm.page.opportunities.po", Children: []*Node{
			{Item: OpportunitiesView, Label: "perm.opportunities.po.view"},
			{Item: OpportunitiesCreate, Label: "perm.opportunities.po.create"},
		}},
		{Item: "page.opportunities.ho", Label: "perm.page.opportunities.ho", Children: []*Node{
			{Item: OpportunitiesHOView, Label: "perm.opportunities.ho.view"},
			{Item: OpportunitiesHODecide, Label: "perm.opportunities.ho.decide"},
		}},
	}},
	{Item: "menu.benefits", Label: "perm.menu.benefits", Children: []*Node{
		{Item: "page.benefits", Label: "perm.page.benefits", Children: []*Node{
			{Item: BenefitsView, Label: "perm.benefits.view"},
			{Item: BenefitsApply, Label: "perm.benefits.apply"},
		}},
	}},
	{Item: "menu.plans", Label: "perm.menu.plans", Children: []*Node{
		{Item: "page.plans", Label: "perm.page.plans", Children: []*Node{
			{Item: PlansView, Label: "perm.plans.view"},
			// Applying, accepting an invitation: the company's decision.
			{Item: PlansApply, Label: "perm.plans.apply", MainOnly: true},
		}},
	}},
	{Item: "menu.support", Label: "perm.menu.support", Children: []*Node{
		{Item: "page.support.library", Label: "perm.page.support.library", Children: []*Node{
			{Item: SupportLibraryView, Label: "perm.support.library.view"},
		}},
	}},
	{Item: "menu.org", Label: "perm.menu.org", Children: []*Node{
		{Item: "page.org.members", Label: "perm.page.org.members", Children: []*Node{
			{Item: OrgMembersView, Label: "perm.org.members.view"},
			{Item: OrgMembersManage, Label: "perm.org.members.manage"},
		}},
		{Item: "page.org.roles", Label: "perm.page.org.roles", Children: []*Node{
			{Item: OrgRolesView, Label: "perm.org.roles.view"},
			{Item: OrgRolesManage, Label: "perm.org.roles.manage"},
		}},
		{Item: "page.org.audit", Label: "perm.page.org.audit", Children: []*Node{
			{Item: OrgAuditView, Label: "perm.org.audit.view"},
			{Item: OrgAuditExport, Label: "perm.org.audit.export"},
		}},
		{Item: "page.org.specialists", Label: "perm.page.org.specialists", Children: []*Node{
			{Item: OrgSpecialistsView, Label: "perm.org.specialists.view"},
			{Item: OrgSpecialistsManage, Label: "perm.org.specialists.manage", MainOnly: true},
		}},
	}},
	{Item: "menu.partner_info", Label: "perm.menu.partner_info", Children: []*Node{
		{Item: "page.profile.basic", Label: "perm.page.profile.basic", Children: []*Node{
			{Item: ProfileCompanyView, Label: "perm.profile.company.view"},
			{Item: ProfileCompanyEdit, Label: "perm.profile.company.edit", MainOnly: true},
			{Item: ProfilePersonalView, Label: "perm.profile.personal.view"},
			{Item: ProfileAccountView, Label: "perm.profile.account.view"},
			{Item: ProfileAccountEdit, Label: "perm.profile.account.edit"},
			{Item: ProfileCredentials, Label: "perm.profile.credentials"},
			{Item: ProfileWebhooks, Label: "perm.profile.webhooks", MainOnly: true},
			// 商业信息 (seed 003 §6.2): members with the item read it; the
			// main account alone submits (build-plan 1.B).
			{Item: ProfileBusinessView, Label: "perm.profile.business.view"},
			{Item: ProfileBusinessEdit, Label: "perm.profile.business.edit", MainOnly: true},
		}},
		{Item: "page.applications", Label: "perm.page.applications", Children: []*Node{
			{Item: ApplicationsView, Label: "perm.applications.view"},
			{Item: ApplicationsManage, Label: "perm.applications.manage"},
			{Item: OnboardingApply, Label: "perm.onboarding.apply", MainOnly: true},
		}},
	}},
}

// VendorTree is the vendor console's tree. Vendor items are never
// grantable to partner roles.
var VendorTree = []*Node{
	{Item: "menu.approvals", Label: "perm.menu.approvals", Children: []*Node{
		{Item: VendorApprovalsView, Label: "perm.vendor.approvals.view"},
		{Item: VendorApprovalsDecide, Label: "perm.vendor.approvals.decide"},
		{Item: VendorApprovalsAssign, Label: "perm.vendor.approvals.assign"},
	}},
	{Item: "menu.partners", Label: "perm.menu.partners", Children: []*Node{
		{Item: VendorPartnersView, Label: "perm.vendor.partners.view"},
		{Item: VendorPartnersAssign, Label: "perm.vendor.partners.assign"},
		{Item: VendorStaffManage, Label: "perm.vendor.staff.manage"},
		{Item: VendorProgramsManage, Label: "perm.vendor.programs.manage"},
		{Item: VendorPerformanceManage, Label: "perm.vendor.performance.manage"},
		{Item: VendorIncentivesManage, Label: "perm.vendor.incentives.manage"},
		{Item: VendorPoliciesManage, Label: "perm.vendor.policies.manage"},
		{Item: VendorOpportunitiesManage, Label: "perm.vendor.opportunities.manage"},
		{Item: VendorLibraryManage, Label: "perm.vendor.library.manage"},
		{Item: VendorBenefitsManage, Label: "perm.vendor.benefits.manage"},
		{Item: VendorCertificatesReview, Label: "perm.vendor.certificates.review"},
	}},
	{Item: "menu.finance", Label: "perm.menu.finance", Children: []*Node{
		{Item: VendorFinanceManage, Label: "perm.vendor.finance.manage"},
		{Item: VendorConsumptionImport, Label: "perm.vendor.consumption.import"},
		{Item: VendorInvoiceIssue, Label: "perm.vendor.invoice.issue"},
		{Item: VendorContractManage, Label: "perm.vendor.contract.manage"},
		{Item: VendorBusinessReview, Label: "perm.vendor.business_info.review"},
	}},
}

// Leaves returns the action items (leaves) of a tree.
func Leaves(tree []*Node) []*Node {
	var out []*Node
	var walk func([]*Node)
	walk = func(ns []*Node) {
		for _, n := range ns {
			if len(n.Children) == 0 {
				out = append(out, n)
			} else {
				walk(n.Children)
			}
		}
	}
	walk(tree)
	return out
}

var partnerLeaves = func() map[Item]*Node {
	m := map[Item]*Node{}
	for _, n := range Leaves(PartnerTree) {
		m[n.Item] = n
	}
	return m
}()

var vendorLeaves = func() map[Item]*Node {
	m := map[Item]*Node{}
	for _, n := range Leaves(VendorTree) {
		m[n.Item] = n
	}
	return m
}()

// IsPartnerItem reports an action item of the partner tree.
func IsPartnerItem(it Item) bool { _, ok := partnerLeaves[it]; return ok }

// IsVendorItem reports an action item of the vendor tree.
func IsVendorItem(it Item) bool { _, ok := vendorLeaves[it]; return ok }

// Grantable reports whether an admin may put it in a custom role.
func Grantable(it Item) bool {
	n, ok := partnerLeaves[it]
	return ok && !n.MainOnly
}

// Known reports whether it may be declared on a route.
func Known(it Item) bool {
	return it == Public || it == SignedIn || it == ConsoleUse || it == PersonalUse || IsPartnerItem(it) || IsVendorItem(it)
}

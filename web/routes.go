package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
)

// Route is one entry of the route table. Perm is the permission item the
// route needs; access.Public and access.SignedIn are pseudo items. The
// permission middleware, the navigation and the buttons all read Perm
// from here, so a hidden button and a refused request never disagree.
type Route struct {
	Method  string
	Path    string
	Perm    access.Item
	Handler echo.HandlerFunc
}

// Key is "METHOD /path" as used by Allowed in views.
func (r Route) Key() string { return r.Method + " " + r.Path }

func get(path string, perm access.Item, h echo.HandlerFunc) Route {
	return Route{http.MethodGet, path, perm, h}
}

func post(path string, perm access.Item, h echo.HandlerFunc) Route {
	return Route{http.MethodPost, path, perm, h}
}

// Routes is the whole route table, menu by menu. Each menu's routes are
// declared in web/<menu>_*.go next to their handlers (the URL's first
// segment names the file: /billing/funds → billing_funds.go, /finance/… →
// finance_*.go), so a page is found in two hops: URL → web/<menu>_*.go →
// internal/<domain>.
func (a *App) Routes() []Route {
	var rs []Route
	for _, part := range [][]Route{
		a.systemRoutes(), // server.go: /healthz, /readyz
		a.authRoutes(),   // auth.go: /login, /logout, /locale
		a.homeRoutes(),   // home.go: /
		a.messageRoutes(),
		a.profileRoutes(),         // 伙伴信息: /profile/*
		a.profileBusinessRoutes(), // 伙伴信息 > 商业信息: /profile/business
		a.applicationRoutes(),
		a.exportRoutes(),     // 我的导出: /exports
		a.onboardingRoutes(), // /onboarding, /register
		a.orgMemberRoutes(),  // 组织: /org/members, /org/roles
		a.orgSupervisorRoutes(),
		a.orgAuditRoutes(),
		a.customerRoutes(), // 客户: /customers/*
		a.customerConsumptionRoutes(),
		a.salesRoutes(),              // 销售: /sales/*
		a.salesResellerRoutes(),      // 销售 > 云经销商: /sales/resellers
		a.incentiveRoutes(),          // 激励: /incentives/performance
		a.incentiveBillRoutes(),      // 激励 > 激励对账: /incentives/bills, /incentives/details
		a.incentivePayoutRoutes(),    // 激励 > 激励管理: /incentives/payouts
		a.dashboardRoutes(),          // 销售 > 运营看板: /sales/dashboards/*
		a.opportunityRoutes(),        // 机会点: /opportunities/po
		a.hoRoutes(),                 // 机会点: /opportunities/ho
		a.plansRoutes(),              // 计划: /plans
		a.plansPathRoutes(),          // 计划 > 发展路径: /plans/paths
		a.billingFundsRoutes(),       // 账务: /billing/funds
		a.billingBillRoutes(),        // /billing/bill, /billing/exports
		a.billingInvoiceRoutes(),     // /billing/invoices
		a.billingContractRoutes(),    // /billing/contracts
		a.consoleAuthRoutes(),        // the customer console's sign-in: /console/login
		a.consoleRoutes(),            // the customer console: /console, /invite
		a.approvalRoutes(),           // vendor: 审批 /approvals
		a.partnerRoutes(),            // vendor: 伙伴 /partners
		a.partnerOpportunityRoutes(), // vendor: 伙伴 > 机会点审核 /partners/opportunities
		a.partnerHORoutes(),          // vendor: 伙伴 > 由华为共享 /partners/opportunities/ho, /partners/:id/opportunities
		a.protectionRoutes(),         // vendor: 伙伴 > 保护期设置 /partners/protection
		a.libraryManageRoutes(),      // vendor: 伙伴 > 资料管理 /partners/library
		a.libraryRoutes(),            // 支持 > 资料库 /support/library
		a.dealRoutes(),               // 销售 > 拓新 > 商机 /sales/deals
		a.benefitRoutes(),            // 权益 /benefits
		a.partnerBenefitRoutes(),     // vendor: 权益政策 /partners/benefit-policies, 权益发放 /partners/benefits
		a.recoveryRoutes(),           // 忘记密码 /login/forgot, /login/reset/:token
		a.meRoutes(),                 // the personal console of a personal Huawei account: /me
		a.specialistRoutes(),         // 组织 > 项目专员 /org/specialists
		a.certificateReviewRoutes(),  // vendor: 个人资质审核 /partners/certificates
		a.mdfRoutes(),                // 权益 > 市场发展基金 /benefits/mdf
		a.partnerMDFRoutes(),         // vendor: MDF caps and violations /partners/mdf
		a.financeMDFRoutes(),         // vendor finance: MDF payment desk /finance/mdf
		a.nreRoutes(),                // 权益 > 一次性工程费用 /benefits/nre
		a.partnerNRERoutes(),         // vendor: NRE solutions and agreements /partners/nre
		a.financeNRERoutes(),         // vendor finance: NRE milestone payments /finance/nre
		a.fhRoutes(),                 // 权益 > 专职人员激励 /benefits/fh
		a.partnerFHRoutes(),          // vendor: FH invitations /partners/fh
		a.financeFHRoutes(),          // vendor finance: FH quarterly payments /finance/fh
		a.messageSettingsRoutes(),    // 伙伴信息 > 消息接收设置 /profile/messages
		a.messageLogRoutes(),         // vendor: 消息发送记录 /staff/messages
		a.webhookRoutes(),            // 伙伴信息 > Webhook /profile/webhooks
		a.partnerProgramRoutes(),     // vendor: a partner's programs /partners/:id/programs
		a.partnerPerformanceRoutes(), // vendor: 业绩公示 /partners/performance
		a.partnerIncentiveRoutes(),   // vendor: 激励公示, policies, indicator definitions
		a.partnerPathRoutes(),        // vendor: a partner's path /partners/:id/paths, the re-review campaign
		a.staffRoutes(),              // vendor: /staff
		a.financeFundsRoutes(),       // vendor finance: /finance/recharges, /finance/withdrawals
		a.financeConsumptionRoutes(),
		a.financeInvoiceRoutes(),
		a.financeContractRoutes(),
		a.financeBusinessRoutes(),  // vendor finance: 商业信息审核 /finance/business-infos
		a.financeIncentiveRoutes(), // vendor finance: 激励付款 /finance/incentives
	} {
		rs = append(rs, part...)
	}
	return rs
}

package web

import (
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"partnercenter/internal/demo"
	"partnercenter/internal/platform/i18n"
)

// TestBrowserTour signs in as each kind of person who uses the console
// daily and opens every page they can reach, in zh-CN (the product's
// language) and a few pages in en-US. Every page must answer 200 without
// the error page, carry a title, and show no untranslated catalog key;
// in English the navigation and the page header hold no Chinese. The
// screenshots (testdata/screenshots/TestBrowserTour_*) are for reading
// the pages as their users would.
// partnerPageRe is a partner's page in the vendor console.
var partnerPageRe = regexp.MustCompile(`^/partners/[0-9]+$`)

func TestBrowserTour(t *testing.T) {
	env := newEnv(t)
	ids := tourIDs(t, env)
	performanceFixture(t, env) // the demo's consumption formed into performance
	member := "/org/members/" + itoa64(env.World.Users[demo.SPFinance]) + "/edit"
	role := "/org/roles/" + itoa64(env.World.FinanceRoleID) + "/edit"
	spApp := "/applications/" + itoa64(ids.spApplication)
	nrApproval := "/approvals/" + itoa64(ids.nrApplication)
	partnerPage := "/partners/" + itoa64(env.World.SP)
	nreOf := func(status string) string {
		var id int64
		env.DB.Raw(`SELECT min(id) FROM nre_applications WHERE status = ?`, status).Scan(&id)
		return "/benefits/nre/" + itoa64(id)
	}
	nreSolution := func() int64 {
		var id int64
		env.DB.Raw(`SELECT min(s.id) FROM nre_solutions s WHERE s.admitted_on IS NOT NULL AND NOT s.listed
			AND NOT EXISTS (SELECT 1 FROM nre_applications a WHERE a.solution_id = s.id)`).Scan(&id)
		return id
	}
	mdfUsage := func(status string) string {
		var id int64
		env.DB.Raw(`SELECT min(usage_id) FROM mdf_claims WHERE partner_id = ? AND status = ?`, env.World.SP, status).Scan(&id)
		return "/benefits/mdf/usages/" + itoa64(id)
	}
	nrPartner := "/partners/" + itoa64(ids.nrPartner)

	t.Run("anonymous", func(t *testing.T) {
		b := newBrowser(t, env)
		b.tour("login", "/login")
		b.tour("register", "/register")
		b.tour("console-register", "/console/register")
		b.tour("me-register", "/me/register")
		b.tour("forgot-personal", "/login/forgot?personal=1")
	})

	tours := []struct {
		login string
		pages [][2]string // name, path
	}{
		{demo.SPAdmin, [][2]string{
			{"home", "/"}, {"members", "/org/members"}, {"member-new", "/org/members/new"}, {"member-edit", member},
			{"roles", "/org/roles"}, {"role-new", "/org/roles/new"}, {"role-edit", role}, {"audit", "/org/audit"},
			{"company", "/profile/company"}, {"account", "/profile/account"}, {"personal", "/profile/personal"},
			{"sessions", "/profile/sessions"}, {"security", "/profile/security"}, {"applications", "/applications"}, {"application", spApp}, {"my-exports", "/exports"},
			{"messages", "/messages"}, {"members-empty", "/org/members?q=nobody-matches-this"},
			{"audit-empty", "/org/audit?actor=nobody-matches-this"},
		}},
		{demo.SPViewer, [][2]string{
			{"home", "/"}, {"company", "/profile/company"}, {"personal", "/profile/personal"}, {"messages", "/messages"},
		}},
		{demo.SPFinance, [][2]string{
			{"home", "/"}, {"personal", "/profile/personal"}, {"messages", "/messages"},
		}},
		{demo.EcoManager, [][2]string{
			{"home", "/"}, {"approvals", "/approvals"}, {"approvals-all", "/approvals?state=all"}, {"approval", nrApproval},
			{"partners", "/partners"}, {"partner", partnerPage}, {"partner-onboarding", nrPartner}, {"messages", "/messages"},
		}},
		{demo.VendorAdmin, [][2]string{
			{"home", "/"}, {"approvals", "/approvals"}, {"approval", nrApproval}, {"partners", "/partners"}, {"performance-desk", "/partners/performance"},
			{"partner", partnerPage}, {"staff", "/staff"}, {"staff-new", "/staff/new"}, {"messages", "/messages"},
		}},
		{demo.NRAdmin, [][2]string{ // onboarding under review
			{"home", "/"}, {"onboarding", "/onboarding"}, {"applications", "/applications"},
		}},
		{demo.BCAdmin, [][2]string{ // onboarding rejected: the form is open again
			{"home", "/"}, {"onboarding", "/onboarding"}, {"messages", "/messages"},
		}},
		{demo.SPAdmin, [][2]string{ // 客户 and 账务
			{"customers", "/customers"}, {"customer", "/customers/" + itoa64(ids.spCustomer)}, {"assign", "/customers/assign"},
			{"records", "/customers/records"}, {"orders", "/customers/orders"}, {"consumption", "/customers/consumption"},
			{"consumption-refunds", "/customers/consumption?tab=refunds"}, {"consumption-details", "/customers/consumption/details"},
			{"reports", "/sales/reports"}, {"invitations-online", "/sales/invitations/online"}, {"invitations-offline", "/sales/invitations/offline"},
			{"bill", "/billing/bill"}, {"bill-refunds", "/billing/bill?tab=refund"}, {"bill-customers", "/billing/bill/customers"},
			{"exports", "/billing/exports"}, {"funds", "/billing/funds"}, {"funds-lines", "/billing/funds/lines"},
			{"funds-adjustments", "/billing/funds/adjustments"}, {"funds-customers", "/billing/funds/customers"},
			{"transfer", "/billing/funds/transfer"}, {"withdrawals", "/billing/funds/withdrawals"},
			{"invoices", "/billing/invoices"}, {"invoices-cloud", "/billing/invoices?entity=cloud"}, {"invoice-info", "/billing/invoices/info"},
			{"invoice-apply", "/billing/invoices/apply"}, {"invoice", "/billing/invoices/" + itoa64(ids.spInvoice)},
			{"contracts", "/billing/contracts"}, {"contracts-offline", "/billing/contracts?tab=offline"},
		}},
		{demo.MDAdmin, [][2]string{
			{"customers", "/customers"}, {"bill", "/billing/bill"}, {"invoices", "/billing/invoices"},
			{"contracts-offline", "/billing/contracts?tab=offline"}, {"agreement", "/billing/contracts/agreement"},
			{"resellers", "/sales/resellers"}, {"reseller-invitations", "/sales/resellers?tab=invitations"},
			{"plans-joined", "/plans?tab=joined"},
		}},
		{demo.SPAdmin, [][2]string{ // 激励 (the demo's consumption formed)
			{"performance", "/incentives/performance"}, {"performance-records", "/incentives/performance/records"},
			{"indicators", "/incentives/indicators"}, {"incentive-bills", "/incentives/bills"},
			{"payouts", "/incentives/payouts"}, {"payout-applications", "/incentives/payouts/applications"},
			{"invoice-guide", "/incentives/payouts/applications/" + itoa64(ids.spPayout) + "/invoice-guide"},
		}},
		{demo.SPAdmin, [][2]string{ // 计划
			{"plans", "/plans"}, {"plans-joined", "/plans?tab=joined"}, {"plans-applied", "/plans?tab=applied"},
			{"agreements", "/plans/agreements"},
		}},
		{demo.QSAdmin, [][2]string{ // an empty account: may apply, may accept a reseller link
			{"plans", "/plans"}, {"reseller-invitation", "/plans/join/demo-pending-invitation-0003"},
		}},
		{demo.LHAdmin, [][2]string{{"plans-md-invitation", "/plans"}}},
		{demo.TXAdmin, [][2]string{{"payouts-expired", "/incentives/payouts"}}},
		{demo.SPAdmin, [][2]string{ // 机会点
			{"po-list", "/opportunities/po"}, {"po-new", "/opportunities/po/new"},
			{"po-failed", "/opportunities/po/" + itoa64(ids.poFailed)}, {"po-approved", "/opportunities/po/" + itoa64(ids.poApproved)},
		}},
		{demo.EcoManager, [][2]string{
			{"po-review-list", "/partners/opportunities"}, {"po-review", "/partners/opportunities/" + itoa64(ids.poReview)},
		}},
		{demo.ZYAdmin, [][2]string{{"paths-software", "/plans/paths"}, {"benefits", "/benefits"},
			{"test-voucher", "/benefits/test-voucher/new"}, {"benefit-records", "/benefits/applications"}}},
		{demo.SLAdmin, [][2]string{{"paths-service-role", "/plans/paths"}, {"ho-list", "/opportunities/ho"}}},
		{demo.SPAdmin, [][2]string{ // issue 14's pages
			{"message-settings", "/profile/messages"}, {"webhooks", "/profile/webhooks"}, {"library", "/support/library"},
			{"deals", "/sales/deals"}, {"benefits-no-policy", "/benefits"},
		}},
		{demo.VendorAdmin, [][2]string{
			{"message-log", "/staff/messages"}, {"library-manage", "/partners/library"}, {"protection", "/partners/protection"},
			{"benefit-policies", "/partners/benefit-policies"}, {"benefit-queue", "/partners/benefits"}, {"ho-vendor", "/partners/opportunities/ho"},
		}},
		{demo.SPServiceAdmin, [][2]string{{"paths-service-applied", "/plans/paths"}}},
		{demo.PersonLi, [][2]string{ // issue 15: the personal console
			{"me", "/me"}, {"me-certificates", "/me/certificates"}, {"me-vouchers", "/me/vouchers"}, {"me-profile", "/me/profile"},
		}},
		{demo.PersonHan, [][2]string{{"me-vouchers", "/me/vouchers"}, {"me-certificates", "/me/certificates"}}},
		{demo.PersonZhao, [][2]string{{"me-invited", "/me"}}},
		{demo.ZYAdmin, [][2]string{
			{"specialists", "/org/specialists"}, {"specialist-invitations", "/org/specialists/invitations"},
			{"specialist-li", "/org/specialists/people/" + itoa64(env.World.Users[demo.PersonLi])}, {"specialist-wang", "/org/specialists/people/" + itoa64(env.World.Users[demo.PersonWang])},
			{"exam-voucher", "/benefits/exam-voucher/new"}, {"cloud-lab", "/benefits/cloud-lab/new"},
		}},
		{demo.EcoManager, [][2]string{{"certificates", "/partners/certificates"}, {"certificates-all", "/partners/certificates?status="}}},
		{demo.SPAdmin, [][2]string{ // issue 16: MDF
			{"mdf", "/benefits/mdf"}, {"mdf-usages", "/benefits/mdf/usages"}, {"mdf-new", "/benefits/mdf/usages/new"},
			{"mdf-claims", "/benefits/mdf/claims"}, {"mdf-draft", mdfUsage("draft")}, {"mdf-to-invoice", mdfUsage("approved")},
			{"mdf-paid", mdfUsage("paid")},
		}},
		{demo.MDAdmin, [][2]string{{"mdf-bizinfo", "/benefits/mdf"}}},
		{demo.ZYAdmin, [][2]string{{"nre", "/benefits/nre"}, {"nre-effective", nreOf("effective")}, {"nre-pending", nreOf("agreement_pending")},
			{"nre-new", "/benefits/nre/new?solution=" + itoa64(nreSolution())}}},
		{demo.EcoManager, [][2]string{{"nre-vendor", "/partners/nre"}, {"fh-vendor", "/partners/fh"}, {"fh-capability-eco", "/partners/fh/capability"}}},
		{demo.SLAdmin, [][2]string{{"fh", "/benefits/fh"}, {"fh-2025", "/benefits/fh?variant=capability_2025"}}},
		{demo.SPServiceAdmin, [][2]string{{"fh-2025-apply", "/benefits/fh?variant=capability_2025"}}},
		{demo.RXAdmin, [][2]string{{"fh-si", "/benefits/fh?variant=si_presales"}}},
		{demo.HXAdmin, [][2]string{{"fh-si-apply", "/benefits/fh?variant=si_presales"}}},
		{demo.BXAdmin, [][2]string{{"fh-lp", "/benefits/fh?variant=lp_lecturer"}}},
		{demo.EcoManager, [][2]string{{"fh-presales", "/partners/fh/presales"}}},
		{demo.VendorFinance, [][2]string{{"nre-desk", "/finance/nre"}, {"fh-desk", "/finance/fh"}}},
		{demo.VendorAdmin, [][2]string{{"mdf-admin", "/partners/mdf"}}},
		{demo.VendorFinance, [][2]string{{"mdf-desk", "/finance/mdf"}, {"mdf-desk-all", "/finance/mdf?status="}}},
		{demo.HXAdmin, [][2]string{{"paths-choices", "/plans/paths"}}},
		{demo.YJAdmin, [][2]string{{"plans-applied", "/plans?tab=applied"}}},
		{demo.SPManager1, [][2]string{
			{"customers", "/customers"}, {"consumption", "/customers/consumption"}, {"consumption-details", "/customers/consumption/details"},
		}},
		{demo.VendorFinance, [][2]string{
			{"recharges", "/finance/recharges"}, {"withdrawals", "/finance/withdrawals"}, {"consumption", "/finance/consumption"},
			{"consumption-report", "/finance/consumption/" + itoa64(ids.badImport)}, {"invoices", "/finance/invoices"},
			{"contracts", "/finance/contracts"}, {"contract-new", "/finance/contracts/new"},
			{"incentive-payouts", "/finance/incentives"}, {"incentive-payouts-done", "/finance/incentives?state=completed"},
		}},
	}
	for _, tr := range tours {
		t.Run(tr.login, func(t *testing.T) {
			b := newBrowser(t, env)
			b.login(tr.login, demo.DemoPassword)
			for _, p := range tr.pages {
				b.tour(p[0], p[1])
			}
		})
	}

	english := []struct {
		login string
		pages [][2]string
	}{
		{demo.SPAdmin, [][2]string{
			{"home", "/"}, {"members", "/org/members"}, {"member-new", "/org/members/new"}, {"roles", "/org/roles"},
			{"audit", "/org/audit"}, {"company", "/profile/company"}, {"applications", "/applications"},
			{"messages", "/messages"}, {"sessions", "/profile/sessions"}, {"security", "/profile/security"},
		}},
		{demo.EcoManager, [][2]string{
			{"home", "/"}, {"approvals", "/approvals"}, {"approval", nrApproval}, {"partners", "/partners"},
			{"partner", partnerPage}, {"performance-desk", "/partners/performance"},
		}},
		{demo.BCAdmin, [][2]string{{"onboarding", "/onboarding"}}},
		{demo.ZYAdmin, [][2]string{{"paths", "/plans/paths"}, {"performance", "/incentives/performance"}}},
		{demo.QSAdmin, [][2]string{{"plans", "/plans"}, {"reseller-invitation", "/plans/join/demo-pending-invitation-0003"},
			{"paths", "/plans/paths"}}},
		{demo.SLAdmin, [][2]string{{"paths", "/plans/paths"}}},
		{demo.MDAdmin, [][2]string{
			{"customers", "/customers"}, {"consumption", "/customers/consumption"}, {"consumption-details", "/customers/consumption/details"},
			{"orders", "/customers/orders"}, {"bill", "/billing/bill"}, {"exports", "/billing/exports"}, {"funds", "/billing/funds"},
			{"invoices", "/billing/invoices"}, {"contracts", "/billing/contracts?tab=offline"},
			{"resellers", "/sales/resellers"}, {"plans", "/plans?tab=joined"}, {"agreements", "/plans/agreements"},
			{"performance", "/incentives/performance"}, {"performance-records", "/incentives/performance/records"},
			{"indicators", "/incentives/indicators"}, {"incentive-bills", "/incentives/bills"},
			{"payouts", "/incentives/payouts"}, {"payout-applications", "/incentives/payouts/applications"},
		}},
		{demo.SPAdmin, [][2]string{
			{"payouts", "/incentives/payouts"}, {"payout-applications", "/incentives/payouts/applications"},
			{"invoice-guide", "/incentives/payouts/applications/" + itoa64(ids.spPayout) + "/invoice-guide"},
			{"po-list", "/opportunities/po"}, {"po-failed", "/opportunities/po/" + itoa64(ids.poFailed)},
		}},
		{demo.EcoManager, [][2]string{{"po-review", "/partners/opportunities/" + itoa64(ids.poReview)}}},
		{demo.SLAdmin, [][2]string{{"ho-list", "/opportunities/ho"}}},
		{demo.ZYAdmin, [][2]string{{"benefits", "/benefits"}, {"test-voucher", "/benefits/test-voucher/new"},
			{"benefit-records", "/benefits/applications"}, {"library", "/support/library"}}},
		{demo.SPAdmin, [][2]string{{"message-settings", "/profile/messages"}, {"webhooks", "/profile/webhooks"}, {"deals", "/sales/deals"}}},
		{demo.PersonLi, [][2]string{{"me", "/me"}, {"me-certificates", "/me/certificates"}, {"me-vouchers", "/me/vouchers"},
			{"me-profile", "/me/profile"}}},
		{demo.ZYAdmin, [][2]string{{"specialists", "/org/specialists"}, {"specialist-invitations", "/org/specialists/invitations"},
			{"specialist-li", "/org/specialists/people/" + itoa64(env.World.Users[demo.PersonLi])}, {"exam-voucher", "/benefits/exam-voucher/new"},
			{"cloud-lab", "/benefits/cloud-lab/new"}}},
		{demo.EcoManager, [][2]string{{"certificates", "/partners/certificates?status="}}},
		{demo.SPAdmin, [][2]string{{"mdf", "/benefits/mdf"}, {"mdf-usages", "/benefits/mdf/usages"}, {"mdf-new", "/benefits/mdf/usages/new"},
			{"mdf-claims", "/benefits/mdf/claims"}, {"mdf-draft", mdfUsage("draft")}}},
		{demo.VendorAdmin, [][2]string{{"mdf-admin", "/partners/mdf"}}},
		{demo.VendorFinance, [][2]string{{"mdf-desk", "/finance/mdf?status="}, {"nre-desk", "/finance/nre"}}},
		{demo.ZYAdmin, [][2]string{{"nre", "/benefits/nre"}, {"nre-effective", nreOf("effective")}}},
		{demo.VendorAdmin, [][2]string{{"nre-vendor", "/partners/nre"}, {"fh-vendor", "/partners/fh"}, {"fh-capability", "/partners/fh/capability"}}},
		{demo.SLAdmin, [][2]string{{"fh", "/benefits/fh"}, {"fh-2025", "/benefits/fh?variant=capability_2025"}}},
		{demo.RXAdmin, [][2]string{{"fh-si", "/benefits/fh?variant=si_presales"}}},
		{demo.BXAdmin, [][2]string{{"fh-lp", "/benefits/fh?variant=lp_lecturer"}}},
		{demo.VendorAdmin, [][2]string{{"fh-presales", "/partners/fh/presales"}}},
		{demo.VendorAdmin, [][2]string{{"message-log", "/staff/messages"}, {"library-manage", "/partners/library"},
			{"protection", "/partners/protection"}, {"benefit-policies", "/partners/benefit-policies"}, {"benefit-queue", "/partners/benefits"}}},
		{demo.VendorFinance, [][2]string{
			{"incentive-payouts", "/finance/incentives?state=completed"},
			{"consumption", "/finance/consumption"}, {"consumption-report", "/finance/consumption/" + itoa64(ids.badImport)},
			{"invoices", "/finance/invoices"}, {"contracts", "/finance/contracts"},
		}},
	}
	for _, tr := range english {
		t.Run(tr.login+"-en", func(t *testing.T) {
			env.DB.Exec("UPDATE users SET locale = 'en-US' WHERE login_name = ?", tr.login)
			t.Cleanup(func() { env.DB.Exec("UPDATE users SET locale = 'zh-CN' WHERE login_name = ?", tr.login) })
			b := newBrowser(t, env)
			b.login(tr.login, demo.DemoPassword)
			for _, p := range tr.pages {
				b.tour(p[0], p[1])
				// (An approval's, an import report's, an opportunity's, a
				// partner's and a person's header name user data: a company,
				// a file name, a person.)
				if han := b.eval(`(function(){
					var parts=[...document.querySelectorAll('[data-testid="top-nav"],[data-testid="side-nav"]')].map(function(e){return e.innerText});
					var h=document.querySelector('[data-testid="page-title"]');
					if(h) parts.push(h.parentElement.innerText);
					return parts.join(' | ')})()`); hanRe.MatchString(han) && !strings.Contains(p[1], "/approvals/") && !strings.Contains(p[1], "/finance/consumption/") && !strings.Contains(p[1], "/partners/opportunities/") &&
					!partnerPageRe.MatchString(p[1]) && !strings.Contains(p[1], "/org/specialists/people/") &&
					!strings.Contains(p[1], "/benefits/mdf/usages/") && !strings.Contains(p[1], "/benefits/nre/") {
					t.Errorf("%s in en-US: Chinese in the navigation or page header: %q", p[1], han)
				}
			}
			b.open("/register")
		})
	}
	t.Run("anonymous-en", func(t *testing.T) {
		b := newBrowser(t, env)
		b.open("/login")
		b.click(`[data-testid="lang-switch"]`)
		b.waitText(`[data-testid="page-title"]`, i18n.TL("en-US", "login.title"))
		b.tour("login", "/login")
		b.tour("register", "/register")
		b.tour("console-register", "/console/register")
		b.tour("me-register", "/me/register")
		b.tour("forgot-personal", "/login/forgot?personal=1")
		if han := b.text(`[data-testid="page-title"]`); hanRe.MatchString(han) {
			t.Errorf("register in en-US: %q", han)
		}
	})
}

var (
	// catalogKeyRe finds what looks like a catalog key ("org.members.title")
	// in visible text.
	catalogKeyRe = regexp.MustCompile(`[A-Za-z0-9@/_-]?\b[a-z]+(\.[a-z_]+){2,}\b[@/]?`)
	hanRe        = regexp.MustCompile(`\p{Han}`)
)

type tourFixture struct {
	spApplication, nrApplication, nrPartner, spCustomer, spInvoice, badImport, spPayout int64
	poFailed, poApproved, poReview                                                      int64
}

func tourIDs(t *testing.T, env *testEnv) tourFixture {
	t.Helper()
	var f tourFixture
	if err := env.DB.Raw(`SELECT id FROM applications WHERE partner_id = ? ORDER BY id LIMIT 1`, env.World.SP).Scan(&f.spApplication).Error; err != nil || f.spApplication == 0 {
		t.Fatalf("demo application of 示例云科技: %v", err)
	}
	if err := env.DB.Raw(`SELECT partner_id FROM users WHERE login_name = ?`, demo.NRAdmin).Scan(&f.nrPartner).Error; err != nil || f.nrPartner == 0 {
		t.Fatalf("demo partner of %s: %v", demo.NRAdmin, err)
	}
	if err := env.DB.Raw(`SELECT id FROM applications WHERE partner_id = ? ORDER BY id DESC LIMIT 1`, f.nrPartner).Scan(&f.nrApplication).Error; err != nil || f.nrApplication == 0 {
		t.Fatalf("demo application of 新锐数据: %v", err)
	}
	env.DB.Raw(`SELECT customer_id FROM associations WHERE partner_id = ? AND status = 'active' ORDER BY id LIMIT 1`, env.World.SP).Scan(&f.spCustomer)
	env.DB.Raw(`SELECT id FROM invoices WHERE partner_id = ? ORDER BY id LIMIT 1`, env.World.SP).Scan(&f.spInvoice)
	env.DB.Raw(`SELECT id FROM consumption_imports WHERE rows_rejected > 0 ORDER BY id LIMIT 1`).Scan(&f.badImport)
	env.DB.Raw(`SELECT id FROM payment_applications WHERE partner_id = ? AND needs_invoice ORDER BY id DESC LIMIT 1`, env.World.SP).Scan(&f.spPayout)
	env.DB.Raw(`SELECT min(id) FROM opportunities WHERE partner_id = ? AND status = 'review_failed'`, env.World.SP).Scan(&f.poFailed)
	env.DB.Raw(`SELECT min(id) FROM opportunities WHERE partner_id = ? AND status = 'approved'`, env.World.SP).Scan(&f.poApproved)
	env.DB.Raw(`SELECT min(id) FROM opportunities WHERE partner_id = ? AND status = 'in_review'`, env.World.SP).Scan(&f.poReview)
	if f.spCustomer == 0 || f.spInvoice == 0 || f.badImport == 0 || f.spPayout == 0 {
		t.Fatalf("demo customer %d, invoice %d, import with rejects %d, payment application %d", f.spCustomer, f.spInvoice, f.badImport, f.spPayout)
	}
	return f
}

func (b *browser) eval(js string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		b.shot("failure")
		b.t.Fatal(err)
	}
	return s
}

// tour opens a page and checks what every page owes its reader.
func (b *browser) tour(name, path string) {
	b.t.Helper()
	b.open(path)
	b.shot(name)
	status := b.eval(`String((performance.getEntriesByType('navigation')[0]||{}).responseStatus||0)`)
	if status != "200" {
		b.t.Errorf("%s: status %s, want 200", path, status)
	}
	if b.has(`[data-error-key]`) {
		b.t.Errorf("%s: error page %q", path, b.eval(`document.querySelector('[data-error-key]').dataset.errorKey`))
	}
	title := b.eval(`(function(){
		var h=document.querySelector('[data-testid="page-title"]')||[...document.querySelectorAll('h1')].find(function(e){return e.offsetParent!==null});
		return h?h.innerText.trim():''})()`)
	if title == "" {
		b.t.Errorf("%s: no page title", path)
	}
	text := b.eval(`(document.querySelector('main')||document.body).innerText`)
	// A message rendered without its arguments says "<no value>"; the
	// whole document counts (toasts, dialogs, attributes).
	if html := b.eval(`document.documentElement.outerHTML`); strings.Contains(html, "<no value>") || strings.Contains(html, "&lt;no value&gt;") {
		b.t.Errorf("%s: a message is missing its arguments (<no value>)", path)
	}
	for _, m := range catalogKeyRe.FindAllString(text, -1) {
		// Domain names and addresses (vendor.example.com, a@b.example.cn)
		// are data, not keys; "approval.type.test_probe" is the label of
		// the application type other tests of this package register (the
		// package's tests share one database).
		if strings.ContainsAny(m[:1], "@/") || strings.HasSuffix(m, "@") || strings.HasSuffix(m, "/") ||
			strings.HasSuffix(m, ".com") || strings.HasSuffix(m, ".cn") || strings.Contains(m, "approval.type.test_") {
			continue
		}
		b.t.Errorf("%s: untranslated key %q on the page", path, strings.Trim(m, "@/"))
	}
	// A month picker shows its own format; a placeholder is not allowed on it.
	if b.has(`input[type="month"][placeholder]`) {
		b.t.Errorf("%s: placeholder on <input type=\"month\">", path)
	}
	b.checkAxe(path)
}

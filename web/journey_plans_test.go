package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"partnercenter/internal/demo"
)

// 华为云伙伴计划 in the browser: an empty onboarded account applies to the
// solution provider program after reading its checks; the ecosystem
// manager returns it for more materials; the applicant resubmits; the
// manager approves; the member without roles now has the program's
// default menus (账务 > 资金管理, seed 003 §7.1.1) and the main account
// downloads the certificate.
func TestJourneySolutionProviderApplicationReturnedResubmittedApproved(t *testing.T) {
	env := newEnv(t)
	co := newFreshCompany(t, env, "spj")
	co.onboarded(t, env)
	memberLogin := co.member(t, env)

	member := newBrowser(t, env)
	member.login(memberLogin, demo.DemoPassword)
	if menus := member.visibleMenus(); strings.Contains(menus, "menu-billing") {
		t.Fatalf("before joining a member without roles has no 账务: %q", menus)
	}

	admin := newBrowser(t, env)
	admin.login(co.Login, demo.DemoPassword)
	admin.open("/plans")
	admin.click(`[data-testid="sp-why"]`)
	if got := admin.text(`[data-testid="card-solution_provider"] [data-testid="checks"]`); !strings.Contains(got, "已完成HCPN入驻") {
		t.Fatalf("the check list: %q", got)
	}
	admin.do(chromedp.SendKeys(chromedp.CSS("#note"), "专注企业上云迁移"))
	admin.click(`[data-testid="sp-apply"]`)
	admin.waitVisible(`[data-testid="toast-success"]`)
	admin.waitPath("/applications/")
	appPath := strings.TrimPrefix(admin.location(), env.Srv.URL)

	eco := newBrowser(t, env)
	eco.login(demo.EcoManager, demo.DemoPassword)
	eco.open(strings.Replace(appPath, "/applications/", "/approvals/", 1))
	eco.waitVisible(`[data-testid="return-form"]`)
	eco.click(`[data-testid="return"]`)
	eco.confirmDialog()
	eco.do(chromedp.SendKeys(chromedp.CSS(openDialog+` [data-testid="confirm-reason"]`), "请补充近一年的华为云销售案例。"))
	eco.acceptDialog()
	eco.waitVisible(`[data-testid="toast-success"]`)
	approvalURL := eco.location()

	admin.open(appPath)
	admin.waitVisible(`[data-testid="resubmit-form"]`)
	admin.do(chromedp.SendKeys(chromedp.CSS("#note"), "已补充三个销售案例。"))
	admin.click(`[data-testid="resubmit-submit"]`)
	admin.waitVisible(`[data-testid="toast-success"]`)

	eco.do(chromedp.Navigate(approvalURL), chromedp.WaitReady(chromedp.CSS("body")))
	eco.waitVisible(`[data-testid="approve"]`)
	eco.click(`[data-testid="approve"]`)
	eco.confirmDialog()
	eco.acceptDialog()
	eco.waitVisible(`[data-testid="toast-success"]`)

	admin.open("/plans?tab=joined")
	admin.waitVisible(`[data-testid="sp-banner"]`)
	if !admin.has(`[data-testid="joined-row"][data-program="solution_provider"][data-status="active"] [data-testid="certificate"]`) {
		t.Fatal("the joined tab lists the program with its certificate")
	}
	admin.shot("joined")
	href, _ := chromedp.Run(admin.ctx, chromedp.Evaluate[string](
		`document.querySelector('[data-testid="certificate"]').getAttribute('href')`))
	if got := admin.fetchInPage(href); got != "200|application/pdf|%PDF-" {
		t.Fatalf("certificate download: %s", got)
	}

	member.open("/")
	if menus := member.visibleMenus(); !strings.Contains(menus, "menu-billing") {
		t.Fatalf("after joining the member's menus follow the identity: %q", menus)
	}
}

// 总经销商 and 云经销商 in the browser: the vendor administrator invites an
// empty account to the master distributor program from its partner page;
// its main account accepts; it creates a reseller link; another empty
// account opens the link and accepts; the master distributor sees it in
// 我的云经销商, and the reseller's 账务 shrinks to 资金管理 (§12.1.9.17).
func TestJourneyMasterDistributorInvitesAResellerWhoseMenusShrink(t *testing.T) {
	env := newEnv(t)
	md := newFreshCompany(t, env, "mdj")
	md.onboarded(t, env)
	cr := newFreshCompany(t, env, "crj")
	cr.onboarded(t, env)

	vendor := newBrowser(t, env)
	vendor.login(demo.VendorAdmin, demo.DemoPassword)
	vendor.open("/partners/" + itoa64(md.Partner))
	vendor.waitVisible(`[data-testid="md-invite-form"]`)
	vendor.do(chromedp.SetValue(chromedp.CSS("#md_type"), "regional"), chromedp.SetValue(chromedp.CSS("#region_class"), "2"))
	vendor.click(`[data-testid="md-invite"]`)
	vendor.waitVisible(`[data-testid="toast-success"]`)
	if !vendor.has(`[data-testid="partner-membership"][data-program="master_distributor"][data-status="invited"]`) {
		t.Fatal("the partner page lists the invitation")
	}

	mdb := newBrowser(t, env)
	mdb.login(md.Login, demo.DemoPassword)
	mdb.open("/plans")
	mdb.waitVisible(`[data-testid="md-invitation"]`)
	mdb.click(`[data-testid="md-accept"]`)
	mdb.waitVisible(`[data-testid="toast-success"]`)
	mdb.open("/sales/resellers")
	mdb.fill(`#note`, cr.Name)
	mdb.click(`[data-testid="reseller-invite"]`)
	mdb.waitVisible(`[data-testid="new-link"]`)
	path, _ := chromedp.Run(mdb.ctx, chromedp.Evaluate[string](
		`document.querySelector('[data-testid="invite-link"]').dataset.path`))
	if !strings.HasPrefix(path, "/plans/join/") {
		t.Fatalf("invitation link %q", path)
	}
	mdb.shot("link")

	crb := newBrowser(t, env)
	crb.login(cr.Login, demo.DemoPassword)
	crb.open("/")
	if r := crb.fetchInPage("/billing/bill"); !strings.HasPrefix(r, "200|") {
		t.Fatalf("before joining, the account has 伙伴账单: %s", r)
	}
	crb.open(path)
	if !strings.Contains(crb.text(`[data-testid="invitation-text"]`), md.Name) {
		t.Fatal("the link names the inviting master distributor")
	}
	crb.click(`[data-testid="invitation-accept"]`)
	crb.waitVisible(`[data-testid="toast-success"]`)
	crb.waitVisible(`[data-testid="joined-row"][data-program="cloud_reseller"]`)
	crb.open("/billing/funds")
	nav := crb.text(`[data-testid="side-nav"]`)
	if strings.Contains(nav, "伙伴账单") || strings.Contains(nav, "发票管理") || strings.Contains(nav, "合同商务") || !strings.Contains(nav, "资金管理") {
		t.Fatalf("a reseller's 账务 is 资金管理 only: %q", nav)
	}
	if r := crb.fetchInPage("/billing/bill"); !strings.HasPrefix(r, "403|") {
		t.Fatalf("伙伴账单 after joining: %s", r)
	}

	mdb.open("/sales/resellers")
	mdb.waitVisible(`[data-testid="reseller-row"]`)
	if !strings.Contains(mdb.text(`[data-testid="reseller-rows"]`), cr.Name) {
		t.Fatal("我的云经销商 lists the new reseller")
	}
	// The link was used once: a second account is refused on its page.
	other := newFreshCompany(t, env, "crk")
	other.onboarded(t, env)
	ob := newBrowser(t, env)
	ob.login(other.Login, demo.DemoPassword)
	ob.open(path)
	if !strings.Contains(ob.text(`[data-testid="invitation-refusal"]`), "已失效") {
		t.Fatal("a used link is refused")
	}
}

// 合作伙伴共拓计划 in the browser (§11.1.1.5–7): an onboarded company in no
// program reads the seed's sentence instead of the entry; its ecosystem
// manager puts it on the PCE whitelist; the admin ticks the agreement and
// the commitment, joins at once, and finds the program in 已加入伙伴计划
// and its agreement in 已签署协议.
func TestJourneyPCEWhitelistedAndJoined(t *testing.T) {
	env := newEnv(t)
	co := newFreshCompany(t, env, "pce")
	co.onboarded(t, env)

	admin := newBrowser(t, env)
	admin.login(co.Login, demo.DemoPassword)
	admin.open("/plans")
	if got := admin.text(`[data-testid="pce-refusal"]`); !strings.Contains(got, "PCE白名单") {
		t.Fatalf("the entry is closed with the seed's sentence: %q", got)
	}

	eco := newBrowser(t, env)
	eco.login(demo.EcoManager, demo.DemoPassword)
	eco.open("/partners/" + itoa64(co.Partner))
	eco.click(`[data-testid="pce-whitelist"]`)
	eco.waitVisible(`[data-testid="toast-success"]`)
	eco.waitVisible(`[data-testid="pce-whitelist-form"][data-on="true"]`)

	admin.open("/plans")
	admin.waitVisible(`[data-testid="pce-join-form"]`)
	admin.click(`[data-testid="pce-join"]`) // nothing ticked: refused in place
	admin.waitVisible(`[data-testid="pce-error"]`)
	admin.click(`[data-testid="pce-agree"]`)
	admin.click(`[data-testid="pce-commit"]`)
	admin.shot("pce-join")
	admin.click(`[data-testid="pce-join"]`)
	admin.waitVisible(`[data-testid="toast-success"]`)
	admin.waitVisible(`[data-testid="joined-row"][data-program="pce"][data-status="active"]`)
	admin.open("/plans/agreements")
	if txt := admin.text("main"); !strings.Contains(txt, "《华为云合作伙伴共拓计划协议》") {
		t.Fatalf("已签署协议 lists the PCE agreement: %q", txt)
	}
	admin.shot("pce-agreement")
}

package web

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"partnercenter/internal/demo"
	"partnercenter/internal/partner"
)

// checkAll ticks every checkbox whose selector matches.
func (b *browser) check(sel string) {
	b.t.Helper()
	b.do(chromedp.Evaluate[chromedp.Void](`(function(){var e=document.querySelector(` + jsString(sel) + `); if(!e) throw new Error('no ` + strings.ReplaceAll(sel, `'`, ``) + `'); if(!e.checked) e.click();})()`))
}

// checkLabelled ticks the checkbox of the label containing text.
func (b *browser) checkLabelled(text string) {
	b.t.Helper()
	b.do(chromedp.Evaluate[chromedp.Void](`(function(){
		var l=[...document.querySelectorAll('label')].find(function(l){return l.innerText.indexOf(` + jsString(text) + `)>=0});
		if(!l) throw new Error('no label');
		var i=l.querySelector('input[type=checkbox]')||document.getElementById(l.htmlFor);
		if(!i.checked) i.click();})()`))
}

// visibleMenus lists the data-testid of the top menus.
func (b *browser) visibleMenus() string {
	s, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('[data-testid^="menu-"]')].map(function(e){return e.dataset.testid}).join(',')`))
	if err != nil {
		b.t.Fatal(err)
	}
	return s
}

// Journey (a): the admin builds a custom role with two permission items
// and creates a member holding it; the member signs in, sees only those
// menus, and a URL outside them shows 没有访问权限.
func TestJourneyCustomRoleLimitsWhatAMemberSees(t *testing.T) {
	env := newEnv(t)
	suffix := fmt.Sprint(time.Now().UnixNano() % 1e6)
	roleName := "审计员" + suffix
	login := "auditor" + suffix

	admin := newBrowser(t, env)
	admin.login(demo.SPAdmin, demo.DemoPassword)
	admin.open("/org/roles/new")
	admin.fill("#name", roleName)
	admin.check(`input[name="items"][value="org.members.view"]`)
	admin.check(`input[name="items"][value="org.audit.view"]`)
	admin.shot("role-form")
	admin.click(`[data-testid="save-role"]`)
	admin.waitVisible(`[data-testid="toast-success"]`)
	if !strings.Contains(admin.text(`body`), roleName) {
		t.Fatal("the new role is listed")
	}

	admin.open("/org/members/new")
	admin.fill("#login_name", login)
	admin.fill("#display_name", "审计专员")
	admin.fill("#email", login+"@example-cloud.cn")
	admin.fill("#mobile", "137"+fmt.Sprintf("%08d", time.Now().UnixNano()%1e8))
	admin.fill("#password", "Audit@2025pass")
	admin.checkLabelled(roleName)
	admin.shot("member-form")
	admin.click(`[data-testid="save-member"]`)
	admin.waitVisible(`[data-testid="toast-success"]`)

	member := newBrowser(t, env)
	member.login(login, "Audit@2025pass")
	// 账务 comes with the account defaults every member of a solution
	// provider holds (seed 003 §7.1.1 table 7-1: 查看账户余额), 支持 with
	// 资料库, open to every account of a partner in a programme (§14.1.2).
	if got := member.visibleMenus(); got != "menu-home,menu-billing,menu-org,menu-support" {
		t.Fatalf("the member's menus: %q, want only 首页, 账务 and 支持 (defaults) and 组织", got)
	}
	member.click(`[data-testid="menu-org"]`)
	member.waitPath("/org/members")
	side := member.text(`[data-testid="side-nav"]`)
	if !strings.Contains(side, "组织成员") || !strings.Contains(side, "操作日志") || strings.Contains(side, "角色管理") {
		t.Fatalf("side navigation: %q", side)
	}
	if member.has(`[data-testid="new-member"]`) {
		t.Fatal("without org.members.manage there is no create button")
	}
	member.shot("member-view")
	member.open("/org/roles")
	if got := member.text(`[data-testid="error-title"]`); got != "没有访问权限" {
		t.Fatalf("a URL outside the role: %q", got)
	}
	member.shot("forbidden")
}

// Journey (b): a new company registers and applies for HCPN onboarding;
// eco_manager approves it in the console; the new admin sees the message
// and the full menus.
func TestJourneyCompanyRegistersAndIsOnboardedByTheEcoManager(t *testing.T) {
	env := newEnv(t)
	n := time.Now().UnixNano()
	suffix := fmt.Sprint(n % 1e6)
	company := "旅程测试科技有限公司" + suffix
	login := "journey" + suffix
	code := partner.USCCWithCheck(fmt.Sprintf("91440300MA5%06d", n%1e6))

	b := newBrowser(t, env)
	b.open("/login")
	b.click(`[data-testid="register-link"]`)
	b.waitVisible(`[data-testid="register-form"]`)
	b.fill("#company_name", company)
	b.fill("#credit_code", code)
	b.fill("#login_name", login)
	b.fill("#display_name", "周旅程")
	b.fill("#email", login+"@journey.cn")
	b.fill("#mobile", "136"+fmt.Sprintf("%08d", n%1e8))
	b.fill("#password", "Journey@2025pass")
	b.fill("#password_confirm", "Journey@2025pass")
	b.check(`[data-testid="agree"]`)
	b.shot("register")
	b.click(`[data-testid="register-submit"]`)
	b.waitVisible(`[data-testid="onboarding-form"]`)
	if got := b.visibleMenus(); got != "menu-home" {
		t.Fatalf("before approval only 首页: %q", got)
	}
	b.fill("#address", "深圳市南山区科技园")
	b.fill("#legal_representative", "周旅程")
	b.fill("#registered_capital", "1000万人民币")
	b.fill("#contact_name", "周旅程")
	b.fill("#contact_position", "总经理")
	b.fill("#contact_mobile", "136"+fmt.Sprintf("%08d", n%1e8))
	b.fill("#contact_email", login+"@journey.cn")
	b.do(chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('input[name="agreements"]').forEach(function(i){if(!i.checked) i.click()})`))
	b.shot("onboarding-form")
	b.click(`[data-testid="onboarding-submit"]`)
	b.waitVisible(`[data-testid="progress-banner"]`)
	b.shot("under-review")

	eco := newBrowser(t, env)
	eco.login(demo.EcoManager, demo.DemoPassword)
	eco.open("/approvals?partner=" + url.QueryEscape(company))
	eco.do(chromedp.Evaluate[chromedp.Void](`(function(){var r=[...document.querySelectorAll('[data-testid="application-row"]')].find(function(r){return r.innerText.indexOf(` + jsString(company) + `)>=0}); if(!r) throw new Error('application not in the inbox'); r.querySelector('[data-testid="review-link"]').click();})()`))
	eco.waitVisible(`[data-testid="approve-form"]`)
	if !strings.Contains(eco.text(`[data-testid="partner-data"]`), code) {
		t.Fatal("the reviewer sees the company data")
	}
	eco.shot("review")
	eco.click(`[data-testid="approve"]`)
	if d := eco.confirmDialog(); !strings.Contains(d, company) {
		t.Fatalf("the confirmation restates the partner: %q", d)
	}
	eco.acceptDialog()
	eco.waitVisible(`[data-testid="toast-success"]`)

	b.open("/")
	b.waitVisible(`[data-testid="unread-badge"]`)
	menus := b.visibleMenus()
	if !strings.Contains(menus, "menu-org") {
		t.Fatalf("after approval the admin has the full menus: %q", menus)
	}
	b.click(`[data-testid="message-center"]`)
	b.waitPath("/messages")
	if body := b.text(`main`); !strings.Contains(body, "入驻") {
		t.Fatalf("the decision message: %q", body)
	}
	b.shot("approved")
}

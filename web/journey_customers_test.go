package web

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"partnercenter/internal/access"
	"partnercenter/internal/customer"
	"partnercenter/internal/demo"
)

// Browser journeys of issue 3 (customers). The partner half (reporting,
// inviting, assigning managers, approving an unbinding in the partner
// pages) and the customer half (the console) are written as step
// functions so that one journey can chain both.

// ---------------------------------------------------------------------
// Customer half (customer console).
// ---------------------------------------------------------------------

// journeyCustomer is a customer the browser registers.
type journeyCustomer struct {
	Login, Password, Mobile, Email, Name string
}

func newJourneyCustomer(mobile string) journeyCustomer {
	return journeyCustomer(newConsoleAccount(mobile))
}

// customerRegistersThroughLink opens the invitation link (a local path)
// without an account, sees the partner, then registers through 注册新账号
// and comes back to the invitation signed in.
func customerRegistersThroughLink(t *testing.T, b *browser, link string, jc journeyCustomer, partnerName string) {
	t.Helper()
	b.open(link)
	b.waitVisible(`[data-testid="invite-partner"]`)
	if got := b.text(`[data-testid="invite-partner"]`); !strings.Contains(got, partnerName) {
		t.Fatalf("the invitation shows the partner: %q", got)
	}
	b.shot("customer-invitation")
	b.click(`[data-testid="invite-register"]`)
	b.waitVisible(`[data-testid="console-register-form"]`)
	if !b.has(`[data-testid="invite-note"]`) {
		t.Fatal("the registration page says it comes back to the invitation")
	}
	b.fill("#login_name", jc.Login)
	b.fill("#name", jc.Name)
	b.fill("#password", jc.Password)
	b.fill("#password_confirm", jc.Password)
	b.fill("#mobile", jc.Mobile)
	b.fill("#email", jc.Email)
	b.shot("customer-register")
	b.click(`[data-testid="console-register-submit"]`)
	b.waitPath(link)
	b.waitVisible(`[data-testid="prechecks"]`)
}

// customerSignsInThroughLink opens the invitation link signed out with an
// existing cloud account: 登录 leads to the console's own sign-in (登录华为云账号,
// not the partner one), which comes back to the invitation signed in.
func customerSignsInThroughLink(t *testing.T, b *browser, link string, jc journeyCustomer, partnerName string) {
	t.Helper()
	b.open(link)
	b.waitVisible(`[data-testid="invite-partner"]`)
	if got := b.text(`[data-testid="invite-partner"]`); !strings.Contains(got, partnerName) {
		t.Fatalf("the invitation shows the partner: %q", got)
	}
	b.click(`[data-testid="invite-login"]`)
	b.waitPath("/console/login?next=")
	b.waitVisible(`[data-testid="console-login"]`)
	if got := b.text(`[data-testid="page-title"]`); got != "登录华为云账号" {
		t.Fatalf("the console sign-in: %q", got)
	}
	if !b.has(`[data-testid="invite-note"]`) || b.has(`a[href="/register"]`) {
		t.Fatal("the console sign-in says it comes back to the invitation and offers no partner registration")
	}
	b.fill("#login_name", jc.Login)
	b.fill("#password", jc.Password)
	b.shot("customer-console-login")
	b.click(`[data-testid="login-submit"]`)
	b.waitPath(link)
	b.waitVisible(`[data-testid="prechecks"]`)
}

// customerSignsOutAndBackIn signs out from the console's user menu, lands
// on the console's sign-in (not the partner one) and signs in there again.
func customerSignsOutAndBackIn(t *testing.T, b *browser, jc journeyCustomer) {
	t.Helper()
	b.open("/console")
	b.logout()
	b.waitPath("/console/login")
	if got := b.text(`[data-testid="page-title"]`); got != "登录华为云账号" {
		t.Fatalf("signed out to the console sign-in: %q", got)
	}
	b.shot("customer-signed-out")
	b.fill("#login_name", jc.Login)
	b.fill("#password", jc.Password)
	b.click(`[data-testid="login-submit"]`)
	b.waitPath("/console")
	b.waitVisible(`[data-testid="account-name"]`)
}

// customerAcceptsInvitation passes every pre-check on the landing page,
// accepts the agreement and finds the partner on 我的合作伙伴.
func customerAcceptsInvitation(t *testing.T, b *browser, partnerName string) {
	t.Helper()
	b.waitVisible(`[data-testid="prechecks-ok"]`)
	b.check(`[data-testid="agree"]`)
	b.shot("customer-prechecks")
	b.click(`[data-testid="accept"]`)
	b.waitPath("/console/partners")
	b.waitVisible(`[data-testid="partner-name"]`)
	if got := b.text(`[data-testid="partner-name"]`); !strings.Contains(got, partnerName) {
		t.Fatalf("我的合作伙伴 shows the partner: %q", got)
	}
	if got := b.text(`[data-testid="partner-status"]`); !strings.Contains(got, "合作中") {
		t.Fatalf("合作状态: %q", got)
	}
	b.shot("customer-associated")
}

// customerAsksToUnbind applies to unbind through 更多操作 > 解除关联; the
// application waits for the partner admin.
func customerAsksToUnbind(t *testing.T, b *browser, reason string) {
	t.Helper()
	b.open("/console/partners")
	b.click(`[data-testid="more-ops"] summary`)
	b.click(`[data-testid="unbind-link"]`)
	b.waitVisible(`[data-testid="unbind-form"]`)
	if got := b.text(`[data-testid="unbind-limit"]`); !strings.Contains(got, "3 个月内最多可提交 3 次") {
		t.Fatalf("the R15 limit is explained: %q", got)
	}
	b.do(chromedp.SendKeys(chromedp.CSS("#reason"), reason)) // an empty textarea cannot be cleared
	b.shot("customer-unbind")
	b.click(`[data-testid="unbind-submit"]`)
	if d := b.confirmDialog(); !strings.Contains(d, "解除关联") {
		t.Fatalf("the application is confirmed: %q", d)
	}
	b.acceptDialog()
	b.waitPath("/console/partners")
	b.waitVisible(`[data-testid="own-pending"]`)
}

// customerSeesUnbound finds 我的合作伙伴 empty after the partner admin
// approved, with the completed unbinding in the operation log.
func customerSeesUnbound(t *testing.T, b *browser) {
	t.Helper()
	b.open("/console/partners")
	b.waitVisible(`[data-testid="empty-state"]`)
	if got := b.text(`[data-testid="log-rows"]`); !strings.Contains(got, "解除关联") || !strings.Contains(got, "已完成") {
		t.Fatalf("the operation log shows the unbinding: %q", got)
	}
	b.shot("customer-unbound")
}

// customerSeesExpiredLink opens an expired online link: its message and
// no way to register or accept through it.
func customerSeesExpiredLink(t *testing.T, b *browser, link string) {
	t.Helper()
	b.open(link)
	b.waitVisible(`[data-testid="invite-expired"]`)
	if got := b.text(`[data-testid="invite-expired"]`); !strings.Contains(got, "已过期") {
		t.Fatalf("expired message: %q", got)
	}
	if b.has(`[data-testid="invite-register"]`) || b.has(`[data-testid="accept"]`) {
		t.Fatal("an expired link offers neither registration nor acceptance")
	}
	b.shot("customer-expired-link")
}

// TestJourneyCustomerRegistersThroughTheLinkAcceptsAndUnbinds is the
// customer half on its own: the partner's steps are made through the
// domain service (report, online invitation, the admin's approval).
func TestJourneyCustomerRegistersThroughTheLinkAcceptsAndUnbinds(t *testing.T) {
	env := newEnv(t)
	jc := newJourneyCustomer("")
	inv := consoleInvite(t, env, demo.SPAdmin, customer.ChannelOnline, customer.ModeResale, jc.Mobile, nil)

	b := newBrowser(t, env)
	customerRegistersThroughLink(t, b, inv.Path(), jc, "示例云科技")
	customerAcceptsInvitation(t, b, "示例云科技")
	customerSignsOutAndBackIn(t, b, jc)
	customerAsksToUnbind(t, b, "业务调整，改由公司直接采购")

	ctx := context.Background()
	mp, err := consoleSvc(env, nil).MyPartners(ctx, access.CustomerUser(userIDOf(t, env, jc.Login)))
	if err != nil || len(mp.Own) != 1 {
		t.Fatalf("the pending application: %v", err)
	}
	if _, err := consoleSvc(env, nil).Decide(ctx, consolePrincipal(t, env, demo.SPAdmin), mp.Own[0].ID, true, ""); err != nil {
		t.Fatal(err)
	}
	customerSeesUnbound(t, b)

	past := time.Now().AddDate(0, 0, -8)
	expired := consoleInvite(t, env, demo.SPAdmin, customer.ChannelOnline, customer.ModeConsulting, consoleMobile(), &past)
	customerSeesExpiredLink(t, newBrowser(t, env), expired.Path())
}

// TestJourneyCustomerWithAnAccountSignsInThroughTheLinkAndAccepts: a
// customer who already has a cloud account opens the invitation signed
// out, signs in on the console's sign-in and accepts.
func TestJourneyCustomerWithAnAccountSignsInThroughTheLinkAndAccepts(t *testing.T) {
	env := newEnv(t)
	jc := journeyCustomer(consoleRegistered(t, env))
	inv := consoleInvite(t, env, demo.SPAdmin, customer.ChannelOnline, customer.ModeConsulting, jc.Mobile, nil)
	b := newBrowser(t, env)
	customerSignsInThroughLink(t, b, inv.Path(), jc, "示例云科技")
	customerAcceptsInvitation(t, b, "示例云科技")
}

// ---------------------------------------------------------------------
// Partner half (销售 > 客户拓展 and 客户 pages).
// ---------------------------------------------------------------------

// attr reads an attribute of the first element matching sel.
func (b *browser) attr(sel, name string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Evaluate[string]("(function(){var e=document.querySelector("+jsString(sel)+");return e?(e.getAttribute("+jsString(name)+")||''):''})()"))
	if err != nil {
		b.t.Fatal(err)
	}
	return s
}

// partnerReportsCustomer fills 报备客户 for a personal customer and lands
// on the protected report.
func partnerReportsCustomer(t *testing.T, b *browser, jc journeyCustomer) {
	t.Helper()
	b.open("/sales/reports")
	b.click(`[data-testid="new-report"]`)
	b.waitVisible(`[data-testid="report-form"]`)
	b.fill("#customer_name", jc.Name)
	b.do(chromedp.SetValue(chromedp.CSS(`#kind`), customer.KindPersonal))
	b.fill("#contact_name", jc.Name)
	b.fill("#mobile", jc.Mobile)
	b.fill("#email", jc.Email)
	b.fill("#industry", "零售")
	b.shot("partner-report-form")
	b.click(`[data-testid="save-report"]`)
	b.waitVisible(`[data-testid="toast-success"]`)
	if got := b.text(`[data-testid="report-status"]`); !strings.Contains(got, "保护中") {
		t.Fatalf("the report is protected: %q", got)
	}
}

// partnerInvitesOnline sends the online invitation from the report's page
// (the reported email, mode as given) and returns the link's local path.
func partnerInvitesOnline(t *testing.T, b *browser, mode string) string {
	t.Helper()
	b.waitVisible(`[data-testid="invite-online-form"]`)
	b.check(`[data-testid="mode-` + mode + `"]`)
	b.click(`[data-testid="invite-online"]`)
	b.waitVisible(`[data-testid="invite-link"]`)
	if got := b.text(`[data-testid="email-sent"]`); !strings.Contains(got, "邀请邮件已发送") {
		t.Fatalf("says the email was sent: %q", got)
	}
	b.shot("partner-invitation")
	link := b.attr(`[data-testid="invite-link"]`, "data-path")
	if !strings.HasPrefix(link, customer.InvitePathPrefix) {
		t.Fatalf("invitation link: %q", link)
	}
	return link
}

// partnerFindsCustomer searches 客户管理 for the customer by name.
func partnerFindsCustomer(t *testing.T, b *browser, name string) string {
	t.Helper()
	b.open("/customers")
	b.fill("#q", name+"\r")
	b.waitPath("/customers?q=") // htmx swapped the table and pushed the URL
	row := `[data-testid="customer-row"][data-name="` + name + `"]`
	b.waitVisible(row)
	return row
}

// partnerAssignsManager gives the customer to a manager from its row's
// 更多 > 分配客户经理.
func partnerAssignsManager(t *testing.T, b *browser, name string, managerID int64, managerName string) {
	t.Helper()
	row := partnerFindsCustomer(t, b, name)
	openMenu(t, b, row+` [data-testid="more-actions"]`)
	b.do(chromedp.SetValue(chromedp.CSS(row+` [data-testid="row-assign"] select`), strconv.FormatInt(managerID, 10)))
	b.shot("partner-assign")
	b.click(row + ` [data-testid="row-assign"] button`)
	b.waitVisible(`[data-testid="toast-success"]`)
	b.waitText(`[data-testid="customer-row"][data-name="`+name+`"] [data-testid="customer-manager"]`, managerName)
}

// openMenu opens a row's 更多 menu (a details element) and waits until it
// is open. Under load the search's swap can land just after the click and
// replace the row with a closed menu (htmx has a moment between request
// and swap with no busy class for waitSettled to see): then it clicks
// again.
func openMenu(t *testing.T, b *browser, menu string) {
	t.Helper()
	js := `document.querySelector(` + strconv.Quote(menu) + `)?.open ? "open" : ""`
	for try := 0; try < 3; try++ {
		b.click(menu + ` summary`)
		for i := 0; i < 10; i++ {
			if b.eval(js) == "open" {
				b.waitSettled()
				if b.eval(js) == "open" {
					return
				}
				break
			}
			b.do(chromedp.Sleep(50 * time.Millisecond))
		}
	}
	b.shot("failure")
	t.Fatalf("the menu %s did not open", menu)
}

// managerSees reports whether a member's customer list shows the customer.
func managerSees(t *testing.T, b *browser, name string) bool {
	t.Helper()
	b.open("/customers?q=" + url.QueryEscape(name))
	b.waitVisible(`#customer-table`)
	return b.has(`[data-testid="customer-row"][data-name="` + name + `"]`)
}

// adminApprovesUnbinding approves the customer's pending unbinding in
// 关联关系操作记录 (R14), confirming the dialog. First it starts to reject
// it: the rejection dialog will not go without a reason (the message
// under the field says so), and Esc leaves the request pending.
func adminApprovesUnbinding(t *testing.T, b *browser, name string) {
	t.Helper()
	records := "/customers/records?customer=" + url.QueryEscape(name)
	b.open(records)
	row := `[data-testid="record-row"][data-type="unbind"][data-status="pending"]`
	b.waitVisible(row)
	b.shot("partner-records")

	b.click(row + ` [data-testid="reject"]`)
	b.confirmDialog()
	if got := b.eval(`document.activeElement.getAttribute("data-testid")||""`); got != "confirm-reason" {
		t.Errorf("focus in the rejection dialog: %q", got)
	}
	b.acceptDialog()
	b.waitText(openDialog+` [data-testid="confirm-reason-error"]`, "请填写驳回原因")
	b.shot("reject-without-reason")
	b.do(chromedp.KeyEvent(kb.Escape))
	b.waitGone(openDialog)
	b.open(records)
	b.waitVisible(row) // still pending: nothing was sent

	b.click(row + ` [data-testid="approve"]`)
	if d := b.confirmDialog(); !strings.Contains(d, name) {
		t.Fatalf("the confirmation names the customer: %q", d)
	}
	b.acceptDialog()
	b.waitVisible(`[data-testid="toast-success"]`)
}

// TestJourneyPartnerReportsInvitesAssignsAndApprovesTheCustomersUnbinding
// is issue 3's journey end to end: the partner reports a customer and sends
// an online invitation; the customer registers through the link and
// accepts; the partner finds it and assigns sp_manager1, who sees it while
// sp_manager2 does not; the customer asks to unbind and the admin approves.
func TestJourneyPartnerReportsInvitesAssignsAndApprovesTheCustomersUnbinding(t *testing.T) {
	env := newEnv(t)
	jc := newJourneyCustomer("")

	admin := newBrowser(t, env)
	admin.login(demo.SPAdmin, demo.DemoPassword)
	partnerReportsCustomer(t, admin, jc)
	link := partnerInvitesOnline(t, admin, customer.ModeResale)

	cust := newBrowser(t, env)
	customerRegistersThroughLink(t, cust, link, jc, "示例云科技")
	customerAcceptsInvitation(t, cust, "示例云科技")

	partnerAssignsManager(t, admin, jc.Name, env.World.Users[demo.SPManager1], "钱伟")
	admin.shot("partner-customer-list")

	m := newBrowser(t, env)
	m.login(demo.SPManager1, demo.DemoPassword)
	if !managerSees(t, m, jc.Name) {
		t.Fatal("sp_manager1 sees the customer assigned to it")
	}
	m.shot("manager1-list")
	m.logout()
	m.login(demo.SPManager2, demo.DemoPassword)
	if managerSees(t, m, jc.Name) {
		t.Fatal("sp_manager2 does not see sp_manager1's customer")
	}

	customerAsksToUnbind(t, cust, "公司业务调整")
	adminApprovesUnbinding(t, admin, jc.Name)
	customerSeesUnbound(t, cust)
}

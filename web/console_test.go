package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"partnercenter/internal/access"
	"partnercenter/internal/customer"
	"partnercenter/internal/demo"
	"partnercenter/internal/partner"
)

// The exact message of seed 003 §12.4.6.
const seedOfflineTooOld = "无法进行关联，请联系您的华为云合作伙伴重新提交注册（关联合作伙伴的账号必须是7天内创建的新账号）"

func TestConsoleRegistrationValidatesSignsInAndLandsOnConsole(t *testing.T) {
	env := newEnv(t)
	c := env.client(t)
	page := c.get("/console/register")
	if page.Status != http.StatusOK || !strings.Contains(page.Body, "云账号中心") {
		t.Fatalf("register page: %d", page.Status)
	}
	if hint := page.doc(t).Find(`[data-testid="real-name-hint"]`).Text(); !strings.Contains(hint, "视为已通过") {
		t.Fatalf("the real-name hint says verification is assumed: %q", hint)
	}
	users := env.countRows(t, "users")

	// Empty form: inline errors, nothing created.
	r := c.post("/console/register", url.Values{})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("empty form: status %d", r.Status)
	}
	d := r.doc(t)
	for _, f := range []string{"login_name", "password", "name", "mobile"} {
		if d.Find(`[data-testid="error-`+f+`"]`).Length() == 0 {
			t.Errorf("no inline error under %s", f)
		}
	}

	// Passwords that differ.
	a := newConsoleAccount("")
	form := a.form("")
	form.Set("password_confirm", "Other@2025pass")
	r = c.post("/console/register", form)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.doc(t).Find(`[data-testid="error-password_confirm"]`).Text(), "不一致") {
		t.Fatalf("mismatched confirmation: status %d", r.Status)
	}
	if got := r.doc(t).Find(`#login_name`).AttrOr("value", ""); got != a.Login {
		t.Fatalf("entered values are kept: %q", got)
	}

	// Email and mobile of an existing account: the seed message.
	form = a.form("")
	var spEmail, spMobile string
	env.DB.Raw(`SELECT email, mobile FROM users WHERE login_name = ?`, demo.SPAdmin).Row().Scan(&spEmail, &spMobile)
	form.Set("email", spEmail)
	form.Set("mobile", spMobile)
	r = c.post("/console/register", form)
	d = r.doc(t)
	if r.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(d.Find(`[data-testid="error-email"]`).Text(), "邮箱/手机号已被注册") ||
		!strings.Contains(d.Find(`[data-testid="error-mobile"]`).Text(), "邮箱/手机号已被注册") {
		t.Fatalf("taken email and mobile: status %d, errors %q / %q", r.Status,
			d.Find(`[data-testid="error-email"]`).Text(), d.Find(`[data-testid="error-mobile"]`).Text())
	}
	// Enterprise with enterprise real-name needs its credit code.
	form = a.form("")
	form.Set("kind", customer.KindEnterprise)
	form.Set("real_name", customer.RealNameEnterprise)
	r = c.post("/console/register", form)
	if r.Status != http.StatusUnprocessableEntity || r.doc(t).Find(`[data-testid="error-credit_code"]`).Length() == 0 {
		t.Fatalf("enterprise without credit code: status %d", r.Status)
	}
	if n := env.countRows(t, "users"); n != users {
		t.Fatalf("refused registrations created %d users", n-users)
	}

	// A valid registration signs in with a new session and opens 账号中心.
	before := c.sessionCookie()
	r = c.post("/console/register", a.form(""))
	if r.Status != http.StatusSeeOther || r.Location != "/console" {
		t.Fatalf("register: status %d → %q", r.Status, r.Location)
	}
	if after := c.sessionCookie(); after == "" || after == before {
		t.Fatal("the session is rotated at registration")
	}
	home := c.get("/console")
	d = home.doc(t)
	if home.Status != http.StatusOK || d.Find(`[data-testid="account-name"]`).Text() != a.Login ||
		!strings.Contains(d.Find(`[data-testid="account-real-name"]`).Text(), "已完成个人实名认证") ||
		d.Find(`[data-testid="partner-summary-none"]`).Length() != 1 {
		t.Fatalf("账号中心: status %d, account %q", home.Status, d.Find(`[data-testid="account-name"]`).Text())
	}
	if !strings.Contains(d.Find(`[data-testid="toast-success"]`).Text(), "注册成功") {
		t.Error("registration toast")
	}
	if brand := d.Find(`header a`).First().Text(); !strings.Contains(brand, "云账号中心") {
		t.Errorf("the console reads as 云账号中心, not the partner center: %q", brand)
	}
	if menus := d.Find(`[data-testid^="menu-"]`).Length(); menus != 2 {
		t.Errorf("the console shows its two menus only, got %d", menus)
	}
	// / goes to the console; partner pages are refused.
	if r := c.get("/"); r.Status != http.StatusSeeOther || r.Location != "/console" {
		t.Fatalf("GET / for a customer: %d → %q", r.Status, r.Location)
	}
	if r := c.get("/org/members"); r.Status != http.StatusForbidden || !strings.Contains(r.Body, "没有访问权限") {
		t.Fatalf("a customer on a partner page: %d", r.Status)
	}

	// Signing in again (on the console's sign-in page) lands on /console.
	c2 := env.client(t)
	c2.get("/console/login")
	if r := c2.post("/console/login", url.Values{"login_name": {a.Login}, "password": {a.Password}}); r.Status != http.StatusSeeOther || r.Location != "/console" {
		t.Fatalf("customer sign-in: %d → %q", r.Status, r.Location)
	}
}

func TestPartnersAndVendorStaffCannotOpenTheConsole(t *testing.T) {
	env := newEnv(t)
	for _, login := range []string{demo.SPAdmin, demo.SPManager1, demo.EcoManager} {
		c := env.as(t, login)
		for _, path := range []string{"/console", "/console/partners", "/console/unbind"} {
			if r := c.get(path); r.Status != http.StatusForbidden || !strings.Contains(r.Body, "没有访问权限") {
				t.Errorf("%s on %s: %d", login, path, r.Status)
			}
		}
	}
}

func TestInvitationLandingForAnonymousOffersRegisterAndSignIn(t *testing.T) {
	env := newEnv(t)
	a := newConsoleAccount("")
	inv := consoleInvite(t, env, demo.SPAdmin, customer.ChannelOnline, customer.ModeResale, a.Mobile, nil)
	c := env.client(t)
	r := c.get("/invite/" + inv.Token)
	if r.Status != http.StatusOK {
		t.Fatalf("landing: %d", r.Status)
	}
	d := r.doc(t)
	if got := d.Find(`[data-testid="invite-partner"]`).Text(); !strings.Contains(got, "示例云科技") {
		t.Errorf("partner: %q", got)
	}
	if got := d.Find(`[data-testid="invite-mode"]`).Text(); !strings.Contains(got, "代售") || !strings.Contains(got, "不能自行充值") {
		t.Errorf("mode and what it means: %q", got)
	}
	if got := d.Find(`[data-testid="invite-validity"]`).Text(); !strings.Contains(got, "7 天") {
		t.Errorf("validity: %q", got)
	}
	if got := d.Find(`[data-testid="agreement"]`).Text(); !strings.Contains(got, "客户关联华为云合作伙伴须知") || !strings.Contains(got, "3 个月内最多提交 3 次") {
		t.Errorf("agreement: %q", got)
	}
	if href := d.Find(`[data-testid="invite-register"]`).AttrOr("href", ""); href != "/console/register?invite="+inv.Token {
		t.Errorf("register link: %q", href)
	}
	if href := d.Find(`[data-testid="invite-login"]`).AttrOr("href", ""); href != "/console/login?next="+url.QueryEscape("/invite/"+inv.Token) {
		t.Errorf("sign-in link: %q", href)
	}
	if d.Find(`[data-testid="accept-form"]`).Length() != 0 {
		t.Error("no accept form before signing in")
	}
	got, err := consoleSvc(env, nil).GetInvitation(context.Background(), consolePrincipal(t, env, demo.SPAdmin), inv.ID)
	if err != nil || got.Status != customer.InvitationOpened {
		t.Fatalf("the landing marks the invitation opened: %+v %v", got, err)
	}
	if r := c.get("/invite/nonexistent-token"); r.Status != http.StatusNotFound {
		t.Fatalf("unknown link: %d", r.Status)
	}

	// Registering from the landing comes back to it, signed in, with every check passing.
	c.get("/console/register?invite=" + inv.Token)
	r = c.post("/console/register", a.form(inv.Token))
	if r.Status != http.StatusSeeOther || r.Location != "/invite/"+inv.Token {
		t.Fatalf("register through the link: %d → %q", r.Status, r.Location)
	}
	d = c.get(r.Location).doc(t)
	if n := d.Find(`[data-testid="precheck"][data-ok="true"]`).Length(); n == 0 || d.Find(`[data-testid="precheck"][data-ok="false"]`).Length() != 0 {
		t.Fatalf("all checks pass: %d ok", n)
	}
	if d.Find(`[data-testid="accept-form"]`).Length() != 1 {
		t.Fatal("the accept form shows when every check passes")
	}
	// Signing in from the landing's link comes back too.
	c3 := env.client(t)
	c3.get("/console/login?next=" + url.QueryEscape("/invite/"+inv.Token))
	if r := c3.post("/console/login", url.Values{"login_name": {a.Login}, "password": {a.Password}, "next": {"/invite/" + inv.Token}}); r.Location != "/invite/"+inv.Token {
		t.Fatalf("sign-in from the landing goes back to it: %q", r.Location)
	}
}

func TestCustomerAcceptsInvitationAndSeesThePartner(t *testing.T) {
	env := newEnv(t)
	a := newConsoleAccount("")
	inv := consoleInvite(t, env, demo.SPAdmin, customer.ChannelOnline, customer.ModeConsulting, a.Mobile, nil)
	c := registerConsole(t, env, a, inv.Token)
	c.get("/invite/" + inv.Token)
	assoc := env.countRows(t, "associations")

	// Without ticking the agreement: refused inline, nothing changes.
	r := c.post("/invite/"+inv.Token+"/accept", url.Values{})
	if r.Status != http.StatusUnprocessableEntity || r.doc(t).Find(`[data-testid="error-agree"]`).Length() != 1 {
		t.Fatalf("accept without the agreement: %d", r.Status)
	}
	if env.countRows(t, "associations") != assoc {
		t.Fatal("an accept without the agreement associated")
	}
	r = c.post("/invite/"+inv.Token+"/accept", url.Values{"agree": {"1"}})
	if r.Status != http.StatusSeeOther || r.Location != "/console/partners" {
		t.Fatalf("accept: %d → %q", r.Status, r.Location)
	}
	d := c.get("/console/partners").doc(t)
	if got := d.Find(`[data-testid="partner-name"]`).Text(); !strings.Contains(got, "示例云科技") {
		t.Fatalf("我的合作伙伴 shows the partner: %q", got)
	}
	if !strings.Contains(d.Find(`[data-testid="partner-status"]`).Text(), "合作中") ||
		!strings.Contains(d.Find(`[data-testid="partner-mode"]`).Text(), "顾问销售") ||
		!strings.Contains(d.Find(`[data-testid="partner-agreement"]`).Text(), customer.AgreementVersion) {
		t.Fatalf("state, mode and agreement: %q", d.Find(`[data-testid="partner-info"]`).Text())
	}
	if !strings.Contains(d.Find(`[data-testid="toast-success"]`).Text(), "关联成功") {
		t.Error("success toast")
	}
	if row := d.Find(`[data-testid="log-row"][data-type="associate"]`); row.Length() != 1 || !strings.Contains(row.Text(), "已完成") {
		t.Fatalf("the operation log shows the association: %q", d.Find(`[data-testid="log-rows"]`).Text())
	}
	home := c.get("/console").doc(t)
	if !strings.Contains(home.Find(`[data-testid="summary-partner"]`).Text(), "示例云科技") {
		t.Fatal("账号中心 shows the partner summary")
	}
	// The link is used now: it says so and offers no accept.
	d = c.get("/invite/" + inv.Token).doc(t)
	if d.Find(`[data-testid="accept-form"]`).Length() != 0 || d.Find(`[data-testid="invite-unusable"]`).Length() != 1 {
		t.Fatal("a used link offers no second accept")
	}
}

// acceptRefused checks that the landing lists the failed check with its
// reason, that accepting is refused with the same reason and that the
// database does not change.
func acceptRefused(t *testing.T, env *testEnv, c *client, token, reason string) {
	t.Helper()
	d := c.get("/invite/" + token).doc(t)
	if d.Find(`[data-testid="accept-form"]`).Length() != 0 {
		t.Fatal("no accept form when a check fails")
	}
	if got := d.Find(`[data-testid="precheck-reason"]`).Text(); !strings.Contains(got, reason) {
		t.Fatalf("the failed check says %q, want %q", got, reason)
	}
	before := env.dbDigest(t)
	r := c.post("/invite/"+token+"/accept", url.Values{"agree": {"1"}})
	if r.Status != http.StatusConflict || !strings.Contains(r.doc(t).Find(`[data-testid="form-error"]`).Text(), reason) {
		t.Fatalf("accept: status %d, error %q", r.Status, r.doc(t).Find(`[data-testid="form-error"]`).Text())
	}
	after := env.dbDigest(t)
	for tb, v := range before {
		if after[tb] != v {
			t.Errorf("a refused accept changed %s", tb)
		}
	}
}

func TestExpiredOnlineLinkShowsItsMessageAndRefusesAccept(t *testing.T) {
	env := newEnv(t)
	past := time.Now().AddDate(0, 0, -8)
	a := newConsoleAccount("")
	inv := consoleInvite(t, env, demo.SPAdmin, customer.ChannelOnline, customer.ModeConsulting, a.Mobile, &past)
	anon := env.client(t)
	d := anon.get("/invite/" + inv.Token).doc(t)
	if got := d.Find(`[data-testid="invite-expired"]`).Text(); !strings.Contains(got, "已过期") {
		t.Fatalf("expired message: %q", got)
	}
	if d.Find(`[data-testid="invite-register"]`).Length() != 0 {
		t.Fatal("an expired link offers no registration")
	}
	c := registerConsole(t, env, a, "")
	acceptRefused(t, env, c, inv.Token, "过期")
}

func TestOfflineLinkRefusesAnAccountOlderThanSevenDaysWithTheSeedMessage(t *testing.T) {
	env := newEnv(t)
	past := time.Now().AddDate(0, 0, -10)
	a := newConsoleAccount("")
	inv := consoleInvite(t, env, demo.SPAdmin, customer.ChannelOffline, customer.ModeConsulting, a.Mobile, &past)
	c := registerBackdated(t, env, a, past, nil)
	d := c.get("/invite/" + inv.Token).doc(t)
	if got := d.Find(`[data-testid="invite-validity"]`).Text(); !strings.Contains(got, "长期有效") {
		t.Errorf("offline validity: %q", got)
	}
	acceptRefused(t, env, c, inv.Token, seedOfflineTooOld)

	// A new account through the same kind of link passes.
	b := newConsoleAccount("")
	inv2 := consoleInvite(t, env, demo.SPAdmin, customer.ChannelOffline, customer.ModeConsulting, b.Mobile, nil)
	c2 := registerConsole(t, env, b, inv2.Token)
	if r := c2.post("/invite/"+inv2.Token+"/accept", url.Values{"agree": {"1"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("a new account through an offline link: %d", r.Status)
	}
}

func TestAcceptRefusalsSayWhyAndChangeNothing(t *testing.T) {
	env := newEnv(t)
	ctx := context.Background()

	t.Run("R9 already associated with another partner", func(t *testing.T) {
		c, a := associatedCustomer(t, env, demo.SPAdmin, customer.ModeConsulting)
		inv := consoleInvite(t, env, demo.MDAdmin, customer.ChannelOnline, customer.ModeConsulting, a.Mobile, nil)
		acceptRefused(t, env, c, inv.Token, "示例云科技")
	})
	t.Run("R12 resale needs a zero balance", func(t *testing.T) {
		a := newConsoleAccount("")
		inv := consoleInvite(t, env, demo.SPAdmin, customer.ChannelOnline, customer.ModeResale, a.Mobile, nil)
		c := registerConsole(t, env, a, inv.Token)
		if err := env.DB.Exec(`UPDATE customers SET cash_balance = 88.50 WHERE id = ?`, customerIDOf(t, env, a.Login)).Error; err != nil {
			t.Fatal(err)
		}
		acceptRefused(t, env, c, inv.Token, "88.50")
	})
	t.Run("R13 a finance-hosted sub cannot take consulting", func(t *testing.T) {
		master := newConsoleAccount("")
		if _, err := consoleSvc(env, nil).Register(ctx, customer.RegisterInput{LoginName: master.Login, Password: master.Password,
			Name: "主账号企业" + master.Login, Kind: customer.KindEnterprise, RealName: customer.RealNameEnterprise,
			CreditCode: partner.USCCWithCheck("91110000MA01ABCD1"), Mobile: master.Mobile, Email: master.Email}); err != nil {
			t.Fatalf("master: %v", err)
		}
		sub := newConsoleAccount("")
		inv := consoleInvite(t, env, demo.SPAdmin, customer.ChannelOnline, customer.ModeConsulting, sub.Mobile, nil)
		c := registerBackdated(t, env, sub, time.Now(), func(in *customer.RegisterInput) {
			in.Kind, in.RealName, in.EnterpriseMaster, in.FinanceHosted = customer.KindEnterprise, customer.RealNameNone, master.Login, true
		})
		d := c.get("/console").doc(t)
		if !strings.Contains(d.Find(`[data-testid="account-kind"]`).Text(), master.Login) {
			t.Errorf("账号中心 shows the master: %q", d.Find(`[data-testid="account-kind"]`).Text())
		}
		acceptRefused(t, env, c, inv.Token, "财务托管")
	})
	t.Run("the mobile differs from the reported one", func(t *testing.T) {
		a := newConsoleAccount("")
		inv := consoleInvite(t, env, demo.SPAdmin, customer.ChannelOnline, customer.ModeConsulting, consoleMobile(), nil)
		c := registerConsole(t, env, a, inv.Token)
		acceptRefused(t, env, c, inv.Token, "手机")
	})
}

// pendingFor returns the id of the first request waiting for the customer
// on 我的合作伙伴, following its 立即处理 link.
func pendingFor(t *testing.T, c *client) string {
	t.Helper()
	d := c.get("/console/partners").doc(t)
	href, ok := d.Find(`[data-testid="handle-request"]`).First().Attr("href")
	if !ok {
		t.Fatal("no 立即处理 on 我的合作伙伴")
	}
	return href
}

func TestCustomerConsentsToASwitchAndDeclinesAnUnbinding(t *testing.T) {
	env := newEnv(t)
	ctx := context.Background()
	c, a := associatedCustomer(t, env, demo.SPAdmin, customer.ModeResale)
	cid := customerIDOf(t, env, a.Login)
	sp := consolePrincipal(t, env, demo.SPAdmin)
	if _, err := consoleSvc(env, nil).RequestSwitch(ctx, sp, cid, "客户希望自行充值"); err != nil {
		t.Fatalf("switch request: %v", err)
	}
	path := pendingFor(t, c)
	d := c.get(path).doc(t)
	if !strings.Contains(d.Find(`[data-testid="effects"]`).Text(), "退还至合作伙伴") ||
		!strings.Contains(d.Find(`[data-testid="consent-form"]`).Text(), "我已了解以上注意事项并确定切换关联关系") {
		t.Fatalf("the switch page shows the effects and the acknowledgement: %q", d.Find(`main`).Text())
	}
	// Agreeing without the acknowledgement: refused, nothing changes.
	before := env.dbDigest(t)
	if r := c.post(path+"/accept", url.Values{}); r.Status != http.StatusUnprocessableEntity || r.doc(t).Find(`[data-testid="error-ack"]`).Length() != 1 {
		t.Fatalf("accept without acknowledgement: %d", r.Status)
	}
	after := env.dbDigest(t)
	for tb, v := range before {
		if after[tb] != v {
			t.Errorf("an unacknowledged consent changed %s", tb)
		}
	}
	if r := c.post(path+"/accept", url.Values{"ack": {"1"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("consent: %d", r.Status)
	}
	d = c.get("/console/partners").doc(t)
	if !strings.Contains(d.Find(`[data-testid="partner-mode"]`).Text(), "顾问销售") {
		t.Fatalf("the mode switched: %q", d.Find(`[data-testid="partner-mode"]`).Text())
	}
	if row := d.Find(`[data-testid="log-row"][data-type="switch"]`); !strings.Contains(row.Text(), "已完成") || !strings.Contains(row.Text(), "代售 → 顾问销售") {
		t.Fatalf("the log shows the switch: %q", row.Text())
	}
	// Consenting twice is a conflict.
	if r := c.post(path+"/accept", url.Values{"ack": {"1"}}); r.Status != http.StatusConflict {
		t.Fatalf("second consent: %d", r.Status)
	}

	// The partner asks to unbind; the customer declines: still associated.
	if _, err := consoleSvc(env, nil).RequestUnbind(ctx, sp, cid, "合同到期"); err != nil {
		t.Fatalf("unbind request: %v", err)
	}
	path = pendingFor(t, c)
	d = c.get(path).doc(t)
	if !strings.Contains(d.Find(`[data-testid="consent-form"]`).Text(), "我已了解以上注意事项并确定解除关联") {
		t.Fatal("the unbinding acknowledgement")
	}
	if r := c.post(path+"/decline", url.Values{}); r.Status != http.StatusSeeOther {
		t.Fatalf("decline: %d", r.Status)
	}
	d = c.get("/console/partners").doc(t)
	if !strings.Contains(d.Find(`[data-testid="partner-name"]`).Text(), "示例云科技") || d.Find(`[data-testid="pending-request"]`).Length() != 0 {
		t.Fatal("declining keeps the association and clears the pending request")
	}
	if row := d.Find(`[data-testid="log-row"][data-type="unbind"]`); !strings.Contains(row.Text(), "已驳回") {
		t.Fatalf("the log shows the declined unbinding: %q", row.Text())
	}
}

func TestAnotherCustomersRequestIsNotFound(t *testing.T) {
	env := newEnv(t)
	ctx := context.Background()
	owner, a := associatedCustomer(t, env, demo.SPAdmin, customer.ModeConsulting)
	if _, err := consoleSvc(env, nil).RequestUnbind(ctx, consolePrincipal(t, env, demo.SPAdmin), customerIDOf(t, env, a.Login), "测试"); err != nil {
		t.Fatal(err)
	}
	path := pendingFor(t, owner)
	stranger := registerConsole(t, env, newConsoleAccount(""), "")
	before := env.dbDigest(t)
	if r := stranger.get(path); r.Status != http.StatusNotFound {
		t.Fatalf("GET another customer's request: %d", r.Status)
	}
	for _, action := range []string{"/accept", "/decline", "/cancel"} {
		if r := stranger.post(path+action, url.Values{"ack": {"1"}}); r.Status != http.StatusNotFound {
			t.Fatalf("POST %s on another customer's request: %d", action, r.Status)
		}
	}
	after := env.dbDigest(t)
	for tb, v := range before {
		if after[tb] != v {
			t.Errorf("another customer's request changed %s", tb)
		}
	}
}

func TestCustomerAsksToUnbindAtMostThreeTimesInThreeMonths(t *testing.T) {
	env := newEnv(t)
	ctx := context.Background()
	c, a := associatedCustomer(t, env, demo.SPAdmin, customer.ModeResale)
	d := c.get("/console/unbind").doc(t)
	if got := d.Find(`[data-testid="unbind-limit"]`).Text(); !strings.Contains(got, "3 个月内最多可提交 3 次") || !strings.Contains(got, "还可提交 3 次") {
		t.Fatalf("the R15 limit is explained: %q", got)
	}
	if !strings.Contains(d.Find(`[data-testid="effects"]`).Text(), "仅合作伙伴管理员") {
		t.Fatal("the page says only the partner admin decides (R14)")
	}
	// Too long a reason: inline error, nothing created.
	reqs := env.countRows(t, "association_requests")
	if r := c.post("/console/unbind", url.Values{"reason": {strings.Repeat("因", customer.MaxReasonLen+1)}}); r.Status != http.StatusUnprocessableEntity ||
		r.doc(t).Find(`[data-testid="error-reason"]`).Length() != 1 {
		t.Fatalf("too long a reason: %d", r.Status)
	}
	if env.countRows(t, "association_requests") != reqs {
		t.Fatal("a refused application was recorded")
	}
	for i := 1; i <= 3; i++ {
		r := c.post("/console/unbind", url.Values{"reason": {"更换服务商"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("application %d: %d %s", i, r.Status, r.doc(t).Find(`[data-testid="form-error"]`).Text())
		}
		d = c.get("/console/partners").doc(t)
		own := d.Find(`[data-testid="own-pending"]`)
		if own.Length() != 1 || !strings.Contains(own.Text(), "等待合作伙伴管理员处理") {
			t.Fatalf("application %d is pending for the partner admin", i)
		}
		if !strings.Contains(d.Find(`[data-testid="partner-name"]`).Text(), "示例云科技") {
			t.Fatal("still associated while pending")
		}
		if i < 3 {
			// Withdraw it (still counts towards R15).
			action, _ := own.Find(`form`).Attr("action")
			if r := c.post(action, url.Values{}); r.Status != http.StatusSeeOther {
				t.Fatalf("withdraw %d: %d", i, r.Status)
			}
		}
	}
	// The third is pending: the page says so; the partner admin rejects it.
	if got := c.get("/console/unbind").doc(t).Find(`[data-testid="unbind-pending"]`).Text(); !strings.Contains(got, "仅合作伙伴管理员") {
		t.Fatalf("pending state: %q", got)
	}
	mp, err := consoleSvc(env, nil).MyPartners(ctx, access.CustomerUser(userIDOf(t, env, a.Login)))
	if err != nil || len(mp.Own) != 1 {
		t.Fatalf("own pending: %v", err)
	}
	if _, err := consoleSvc(env, nil).Decide(ctx, consolePrincipal(t, env, demo.SPAdmin), mp.Own[0].ID, false, "请先结清"); err != nil {
		t.Fatal(err)
	}
	// A fourth application within 3 months is refused with the reason.
	d = c.get("/console/unbind").doc(t)
	if d.Find(`[data-testid="unbind-limit-reached"]`).Length() != 1 {
		t.Fatal("the page shows the limit is reached")
	}
	reqs = env.countRows(t, "association_requests")
	r := c.post("/console/unbind", url.Values{"reason": {"再试一次"}})
	if r.Status != http.StatusConflict || !strings.Contains(r.doc(t).Find(`[data-testid="form-error"]`).Text(), "3") {
		t.Fatalf("fourth application: %d %q", r.Status, r.doc(t).Find(`[data-testid="form-error"]`).Text())
	}
	if env.countRows(t, "association_requests") != reqs {
		t.Fatal("the refused fourth application was recorded")
	}
}

func TestCustomerUnbindingApprovedByThePartnerAdminEndsTheAssociation(t *testing.T) {
	env := newEnv(t)
	ctx := context.Background()
	c, a := associatedCustomer(t, env, demo.SPAdmin, customer.ModeConsulting)
	if r := c.post("/console/unbind", url.Values{"reason": {"业务调整"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("apply: %d", r.Status)
	}
	mp, err := consoleSvc(env, nil).MyPartners(ctx, access.CustomerUser(userIDOf(t, env, a.Login)))
	if err != nil || len(mp.Own) != 1 {
		t.Fatalf("own pending: %v", err)
	}
	if _, err := consoleSvc(env, nil).Decide(ctx, consolePrincipal(t, env, demo.SPAdmin), mp.Own[0].ID, true, ""); err != nil {
		t.Fatal(err)
	}
	d := c.get("/console/partners").doc(t)
	if d.Find(`[data-testid="empty-state"]`).Length() != 1 || !strings.Contains(d.Find(`[data-testid="how-to-associate"]`).Text(), "邀请") {
		t.Fatal("after unbinding 我的合作伙伴 explains how to associate")
	}
	if row := d.Find(`[data-testid="log-row"][data-type="unbind"]`); !strings.Contains(row.Text(), "已完成") || !strings.Contains(row.Text(), "客户发起") {
		t.Fatalf("the log shows the completed unbinding: %q", row.Text())
	}
	if d := c.get("/console/unbind").doc(t); !strings.Contains(d.Text(), "无需解除关联") {
		t.Fatal("unbinding without a partner says there is nothing to unbind")
	}
}

// consoleKeyRe finds catalog keys left untranslated on a page.
var consoleKeyRe = regexp.MustCompile(`\b(app|console|customer|identity|error|nav)(\.[a-z_]+){1,}\b`)

func TestConsolePagesAreTranslatedInBothLanguages(t *testing.T) {
	env := newEnv(t)
	ctx := context.Background()
	c, a := associatedCustomer(t, env, demo.SPAdmin, customer.ModeResale)
	if _, err := consoleSvc(env, nil).RequestSwitch(ctx, consolePrincipal(t, env, demo.SPAdmin), customerIDOf(t, env, a.Login), "切换测试"); err != nil {
		t.Fatal(err)
	}
	request := pendingFor(t, c)
	b := newConsoleAccount("")
	fresh := consoleInvite(t, env, demo.SPAdmin, customer.ChannelOffline, customer.ModeConsulting, b.Mobile, nil)
	past := time.Now().AddDate(0, 0, -8)
	expired := consoleInvite(t, env, demo.SPAdmin, customer.ChannelOnline, customer.ModeResale, consoleMobile(), &past)
	anon := env.client(t)
	pages := []struct {
		c    *client
		path string
	}{
		{anon, "/console/register"}, {anon, "/invite/" + fresh.Token}, {anon, "/invite/" + expired.Token},
		{c, "/console"}, {c, "/console/partners"}, {c, "/console/unbind"}, {c, request}, {c, "/invite/" + expired.Token},
		{c, "/invite/" + fresh.Token},
	}
	for _, lang := range []string{"en-US", "zh-CN"} {
		for _, cl := range []*client{anon, c} {
			cl.get("/console/register")
			cl.post("/locale", url.Values{"lang": {lang}})
		}
		for _, p := range pages {
			r := p.c.get(p.path)
			if r.Status != http.StatusOK {
				t.Errorf("%s %s: status %d", lang, p.path, r.Status)
				continue
			}
			d := r.doc(t)
			text := d.Find("body").Text()
			for _, m := range consoleKeyRe.FindAllString(text, -1) {
				if !strings.HasSuffix(m, ".cn") && !strings.HasSuffix(m, ".com") { // addresses are data
					t.Errorf("%s %s: untranslated %q", lang, p.path, m)
				}
			}
			if d.Find(`[data-testid="page-title"]`).Text() == "" {
				t.Errorf("%s %s: no page title", lang, p.path)
			}
		}
	}
}

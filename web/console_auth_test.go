package web

import (
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"partnercenter/internal/customer"
	"partnercenter/internal/demo"
)

// The customer console's own sign-in (/console/login): a cloud account's
// wording and links, the one authenticator, throttling, session rotation
// and CSRF of the partner sign-in, partner and vendor accounts refused in
// words, and every signed-out console request (and an invitation's
// sign-in link) leading there.

// consoleRegistered registers a cloud account through the service (not
// signed in) and returns it.
func consoleRegistered(t *testing.T, env *testEnv) consoleAccount {
	t.Helper()
	a := newConsoleAccount("")
	in := customer.RegisterInput{LoginName: a.Login, Password: a.Password, Name: a.Name, Kind: customer.KindPersonal,
		RealName: customer.RealNamePersonal, Mobile: a.Mobile, Email: a.Email}
	if _, err := consoleSvc(env, nil).Register(context.Background(), in); err != nil {
		t.Fatalf("register %s: %v", a.Login, err)
	}
	return a
}

// inEnglish switches an anonymous client to en-US (the lang cookie).
func inEnglish(t *testing.T, c *client) {
	t.Helper()
	c.get("/console/login") // a CSRF token
	if r := c.post("/locale", url.Values{"lang": {"en-US"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("switch to English: %d", r.Status)
	}
}

func TestConsoleLoginPageReadsAsTheCloudAccountsSignIn(t *testing.T) {
	env := newEnv(t)
	c := env.client(t)
	r := c.get("/console/login")
	if r.Status != http.StatusOK {
		t.Fatalf("GET /console/login: %d", r.Status)
	}
	d := r.doc(t)
	if got := d.Find(`[data-testid="page-title"]`).Text(); got != "登录华为云账号" {
		t.Errorf("title: %q", got)
	}
	if got := d.Find(`[data-testid="login-form"]`).AttrOr("action", ""); got != "/console/login" {
		t.Errorf("the form posts to the console sign-in: %q", got)
	}
	if got := d.Find(`[data-testid="register-link"]`).AttrOr("href", ""); got != "/console/register" {
		t.Errorf("register link: %q", got)
	}
	if d.Find(`a[href="/register"]`).Length() != 0 || strings.Contains(r.Body, "注册并加入合作伙伴网络") ||
		strings.Contains(r.Body, "登录伙伴中心") || strings.Contains(r.Body, "使用伙伴主账号或组织成员账号登录") {
		t.Error("the console sign-in shows no partner sign-in wording and no partner-network registration")
	}
	if d.Find(`input[name="_csrf"]`).AttrOr("value", "") == "" {
		t.Error("the form carries the CSRF token")
	}

	inEnglish(t, c)
	r = c.get("/console/login")
	d = r.doc(t)
	if got := d.Find(`[data-testid="page-title"]`).Text(); got != "Sign in with your Huawei Cloud account" {
		t.Errorf("English title: %q", got)
	}
	if got := d.Find(`[data-testid="register-link"]`).Text(); got != "Register a cloud account" {
		t.Errorf("English register link: %q", got)
	}
	if strings.Contains(r.Body, "Register and join the partner network") || strings.Contains(r.Body, "Sign in to Partner Center") {
		t.Error("no partner wording in English either")
	}
}

func TestConsoleLoginSignsACustomerInOnARotatedSession(t *testing.T) {
	env := newEnv(t)
	a := consoleRegistered(t, env)
	c := env.client(t)
	c.get("/console/login")
	before := c.sessionCookie()
	if before == "" {
		t.Fatal("the console sign-in page starts a session for its CSRF token")
	}
	r := c.post("/console/login", url.Values{"login_name": {a.Login}, "password": {a.Password}})
	if r.Status != http.StatusSeeOther || r.Location != "/console" {
		t.Fatalf("sign-in: %d → %q", r.Status, r.Location)
	}
	after := c.sessionCookie()
	if after == "" || after == before {
		t.Fatal("the session cookie changes at sign-in")
	}
	var n int64
	env.DB.Table("user_sessions").Where("token_hash = sha256(?::bytea)", before).Count(&n)
	if n != 0 {
		t.Fatal("the pre-sign-in session row is deleted")
	}
	if d := c.get("/console").doc(t); !strings.Contains(d.Find(`[data-testid="account-name"]`).Text(), a.Login) &&
		!strings.Contains(d.Find(`[data-testid="account-name"]`).Text(), a.Name) {
		t.Fatalf("账号中心 after sign-in: %q", d.Find(`[data-testid="account-name"]`).Text())
	}
	// Signed in, the sign-in page goes on to the console (or next).
	if r := c.get("/console/login"); r.Status != http.StatusSeeOther || r.Location != "/console" {
		t.Fatalf("signed-in customer on /console/login: %d → %q", r.Status, r.Location)
	}
	if r := c.get("/console/login?next=" + url.QueryEscape("/console/partners")); r.Location != "/console/partners" {
		t.Fatalf("signed-in customer with next: %q", r.Location)
	}
	// A foreign next is not followed.
	c2 := env.client(t)
	c2.get("/console/login")
	if r := c2.post("/console/login", url.Values{"login_name": {a.Login}, "password": {a.Password}, "next": {"//evil.example/x"}}); r.Location != "/console" {
		t.Fatalf("foreign next: %q", r.Location)
	}
}

func TestConsoleLoginRefusesPartnerAndVendorAccountsInWords(t *testing.T) {
	env := newEnv(t)
	for _, login := range []string{demo.SPAdmin, demo.SPViewer, demo.EcoManager, demo.VendorAdmin} {
		c := env.client(t)
		c.get("/console/login")
		lastLogin := func() (at sql.NullTime) {
			env.DB.Raw(`SELECT last_login_at FROM users WHERE login_name = ?`, login).Row().Scan(&at)
			return at
		}
		before := lastLogin()
		r := c.post("/console/login", url.Values{"login_name": {login}, "password": {demo.DemoPassword}})
		if r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("%s on the console sign-in: %d → %q", login, r.Status, r.Location)
		}
		if after := lastLogin(); after != before {
			t.Errorf("%s refused on the console, yet its last sign-in moved: %v → %v", login, before, after)
		}
		d := r.doc(t)
		if got := d.Find(`[data-testid="form-error"]`).Text(); !strings.Contains(got, "伙伴中心账号") || !strings.Contains(got, "请在伙伴中心登录页登录") {
			t.Errorf("%s is told to use the partner sign-in: %q", login, got)
		}
		if got := d.Find(`[data-testid="partner-login-link"]`).AttrOr("href", ""); got != "/login" {
			t.Errorf("%s: link to the partner sign-in: %q", login, got)
		}
		if got := d.Find(`#login_name`).AttrOr("value", ""); got != login {
			t.Errorf("%s: the account name is kept: %q", login, got)
		}
		// Not signed in.
		if r := c.get("/console"); r.Status != http.StatusSeeOther || r.Location != "/console/login?next=%2Fconsole" {
			t.Errorf("%s after the refusal, /console: %d → %q", login, r.Status, r.Location)
		}
		if r := c.get("/"); r.Status != http.StatusSeeOther || r.Location != "/login?next=%2F" {
			t.Errorf("%s after the refusal, /: %d → %q", login, r.Status, r.Location)
		}
	}
	c := env.client(t)
	inEnglish(t, c)
	c.get("/console/login")
	r := c.post("/console/login", url.Values{"login_name": {demo.SPAdmin}, "password": {demo.DemoPassword}})
	if got := r.doc(t).Find(`[data-testid="form-error"]`).Text(); r.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(got, "Partner Center account") || !strings.Contains(got, "sign in on the Partner Center sign-in page") {
		t.Fatalf("in English: %d %q", r.Status, got)
	}
	// Wrong credentials of a partner account say only that.
	r = c.post("/console/login", url.Values{"login_name": {demo.SPAdmin}, "password": {"wrong-password"}})
	if r.Status != http.StatusUnprocessableEntity || r.doc(t).Find(`[data-testid="partner-login-link"]`).Length() != 0 {
		t.Fatalf("a wrong password does not reveal the account's kind: %d", r.Status)
	}
	env.DB.Exec("DELETE FROM login_failures WHERE lower(login_name) = lower(?)", demo.SPAdmin)
	// The partner sign-in is where the partner account goes.
	c2 := env.client(t)
	c2.get("/login")
	if r := c2.post("/login", url.Values{"login_name": {demo.SPAdmin}, "password": {demo.DemoPassword}}); r.Status != http.StatusSeeOther || r.Location != "/" {
		t.Fatalf("the partner sign-in: %d → %q", r.Status, r.Location)
	}
}

func TestLoginSendsACustomerOnToTheConsole(t *testing.T) {
	env := newEnv(t)
	c := env.client(t)
	d := c.get("/login").doc(t)
	if got := d.Find(`[data-testid="console-login-link"]`).AttrOr("href", ""); got != "/console/login" {
		t.Fatalf("the partner sign-in links to the console's: %q", got)
	}
	if got := d.Find(`[data-testid="console-login-hint"]`).Text(); !strings.Contains(got, "登录华为云账号") {
		t.Errorf("console hint: %q", got)
	}
	r := c.post("/login", url.Values{"login_name": {demo.CustZhang}, "password": {demo.DemoPassword}})
	if r.Status != http.StatusSeeOther || r.Location != "/console" {
		t.Fatalf("a customer on /login: %d → %q", r.Status, r.Location)
	}
	if r := c.get("/console"); r.Status != http.StatusOK {
		t.Fatalf("then the console: %d", r.Status)
	}
}

func TestConsoleLoginSharesThrottlingAndCSRFWithThePartnerSignIn(t *testing.T) {
	env := newEnv(t)
	a := consoleRegistered(t, env)
	t.Cleanup(func() { env.DB.Exec("DELETE FROM login_failures WHERE lower(login_name) = lower(?)", a.Login) })
	c := env.client(t)
	c.get("/console/login")
	if r := c.postRaw("/console/login", url.Values{"login_name": {a.Login}, "password": {a.Password}}); r.Status != http.StatusForbidden {
		t.Fatalf("without the CSRF token: %d, want 403", r.Status)
	}
	if r := c.get("/console"); r.Status != http.StatusSeeOther {
		t.Fatalf("a refused post signs nobody in: %d", r.Status)
	}
	// Failures on either page count together.
	for i := 0; i < 5; i++ {
		page := "/console/login"
		if i%2 == 1 {
			page = "/login"
		}
		c.get(page)
		r := c.post(page, url.Values{"login_name": {a.Login}, "password": {"wrong-password"}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "账号名或密码错误") {
			t.Fatalf("failure %d on %s: %d", i, page, r.Status)
		}
	}
	for _, page := range []string{"/console/login", "/login"} {
		c.get(page)
		r := c.post(page, url.Values{"login_name": {a.Login}, "password": {a.Password}})
		if r.Status != http.StatusTooManyRequests || !strings.Contains(r.Body, "登录失败次数过多") {
			t.Fatalf("%s after 5 failures on both pages: %d", page, r.Status)
		}
	}
}

func TestConsoleSignedOutRequestsGoToTheConsoleSignIn(t *testing.T) {
	env := newEnv(t)
	c := env.client(t)
	c.get("/console/login")
	for path, want := range map[string]string{
		"/console":            "/console/login?next=%2Fconsole",
		"/console/partners":   "/console/login?next=%2Fconsole%2Fpartners",
		"/console/unbind":     "/console/login?next=%2Fconsole%2Funbind",
		"/console/requests/1": "/console/login?next=%2Fconsole%2Frequests%2F1",
		"/customers":          "/login?next=%2Fcustomers", // a partner page keeps the partner sign-in
	} {
		if r := c.get(path); r.Status != http.StatusSeeOther || r.Location != want {
			t.Errorf("signed-out GET %s: %d → %q, want %q", path, r.Status, r.Location, want)
		}
	}
	for path, want := range map[string]string{
		"/console/unbind":            "/console/login?next=%2Fconsole",
		"/console/requests/1/accept": "/console/login?next=%2Fconsole",
		"/invite/some-token/accept":  "/console/login?next=%2Finvite%2Fsome-token",
	} {
		r := c.post(path, url.Values{})
		if r.Status != http.StatusSeeOther || r.Location != want {
			t.Errorf("signed-out POST %s: %d → %q, want %q", path, r.Status, r.Location, want)
		}
	}
	r := c.htmx(http.MethodGet, "/console/partners", nil)
	if r.Status != http.StatusUnauthorized || !strings.HasPrefix(r.Header.Get("HX-Redirect"), "/console/login?next=") {
		t.Errorf("htmx: %d %q", r.Status, r.Header.Get("HX-Redirect"))
	}
	// Signing in there comes back to the page asked for.
	c.get("/console/login?next=" + url.QueryEscape("/console/partners"))
	r = c.post("/console/login", url.Values{"login_name": {demo.CustZhang}, "password": {demo.DemoPassword}, "next": {"/console/partners"}})
	if r.Status != http.StatusSeeOther || r.Location != "/console/partners" {
		t.Fatalf("sign-in with next: %d → %q", r.Status, r.Location)
	}
}

func TestInvitationOpenedSignedOutLeadsToTheConsoleSignInAndRegistrationBack(t *testing.T) {
	env := newEnv(t)
	a := newConsoleAccount("")
	inv := consoleInvite(t, env, demo.SPAdmin, customer.ChannelOnline, customer.ModeConsulting, a.Mobile, nil)
	c := env.client(t)
	d := c.get("/invite/" + inv.Token).doc(t)
	signIn := d.Find(`[data-testid="invite-login"]`).AttrOr("href", "")
	if signIn != "/console/login?next="+url.QueryEscape("/invite/"+inv.Token) {
		t.Fatalf("the invitation's sign-in: %q", signIn)
	}
	r := c.get(signIn)
	d = r.doc(t)
	if r.Status != http.StatusOK || d.Find(`[data-testid="page-title"]`).Text() != "登录华为云账号" {
		t.Fatalf("the console sign-in: %d", r.Status)
	}
	if d.Find(`[data-testid="invite-note"]`).Length() != 1 || d.Find(`input[name="next"]`).AttrOr("value", "") != "/invite/"+inv.Token {
		t.Fatal("the console sign-in says it comes back to the invitation and carries it")
	}
	register := d.Find(`[data-testid="register-link"]`).AttrOr("href", "")
	if register != "/console/register?invite="+inv.Token {
		t.Fatalf("registration from the console sign-in keeps the invitation: %q", register)
	}
	d = c.get(register).doc(t)
	if got := d.Find(`[data-testid="login-link"]`).AttrOr("href", ""); got != signIn {
		t.Errorf("the registration page's sign-in link: %q", got)
	}
	r = c.post("/console/register", a.form(d.Find(`input[name="invite"]`).AttrOr("value", "")))
	if r.Status != http.StatusSeeOther || r.Location != "/invite/"+inv.Token {
		t.Fatalf("registration returns to the invitation: %d → %q", r.Status, r.Location)
	}
	if d := c.get(r.Location).doc(t); d.Find(`[data-testid="accept-form"]`).Length() != 1 {
		t.Fatal("back on the invitation, signed in, with the accept form")
	}
	// Signed out again, the sign-in link brings the account back too.
	c.get("/console")
	if r := c.post("/logout", nil); r.Location != "/console/login?out=1" {
		t.Fatalf("logout: %q", r.Location)
	}
	c.get(signIn)
	r = c.post("/console/login", url.Values{"login_name": {a.Login}, "password": {a.Password}, "next": {"/invite/" + inv.Token}})
	if r.Status != http.StatusSeeOther || r.Location != "/invite/"+inv.Token {
		t.Fatalf("sign-in returns to the invitation: %d → %q", r.Status, r.Location)
	}
	// The registration page without an invitation links to the console sign-in.
	if got := env.client(t).get("/console/register").doc(t).Find(`[data-testid="login-link"]`).AttrOr("href", ""); got != "/console/login" {
		t.Errorf("registration's sign-in link: %q", got)
	}
}

func TestConsoleLogoutReturnsToTheConsoleSignIn(t *testing.T) {
	env := newEnv(t)
	a := consoleRegistered(t, env)
	c := env.client(t).loginWith(a.Login, a.Password)
	r := c.post("/logout", nil)
	if r.Status != http.StatusSeeOther || r.Location != "/console/login?out=1" {
		t.Fatalf("a customer's logout: %d → %q", r.Status, r.Location)
	}
	d := c.get(r.Location).doc(t)
	if d.Find(`[data-testid="signed-out"]`).Length() != 1 || d.Find(`[data-testid="page-title"]`).Text() != "登录华为云账号" {
		t.Fatal("the console sign-in says the customer signed out")
	}
	if r := c.get("/console"); r.Status != http.StatusSeeOther || r.Location != "/console/login?next=%2Fconsole" {
		t.Fatalf("signed out: %d → %q", r.Status, r.Location)
	}
	p := env.as(t, demo.SPViewer)
	if r := p.post("/logout", nil); r.Status != http.StatusSeeOther || r.Location != "/login?out=1" {
		t.Fatalf("a partner's logout: %d → %q", r.Status, r.Location)
	}
	// A partner opening the console sign-in while signed in goes home.
	if r := env.as(t, demo.SPViewer).get("/console/login"); r.Status != http.StatusSeeOther || r.Location != "/" {
		t.Fatalf("a signed-in partner on /console/login: %d → %q", r.Status, r.Location)
	}
}

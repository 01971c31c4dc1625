package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"partnercenter/internal/demo"
)

// TestHEADWorksWhereverGETDoes: every GET route answers HEAD with the
// status GET gives and no body; an unsupported method is 405 with Allow.
func TestHEADWorksWhereverGETDoes(t *testing.T) {
	env := newEnv(t)
	c := env.as(t, demo.SPAdmin)
	for _, path := range []string{"/", "/customers", "/billing/funds", "/org/members", "/exports", "/healthz", "/login"} {
		get := c.get(path)
		head := c.method(http.MethodHead, path)
		if head.Status != get.Status || head.Body != "" {
			t.Errorf("HEAD %s: %d with %d bytes, GET gives %d", path, head.Status, len(head.Body), get.Status)
		}
	}
	anon := env.client(t)
	if r := anon.method(http.MethodHead, "/customers"); r.Status != http.StatusSeeOther {
		t.Errorf("HEAD /customers signed out: %d, want the sign-in redirect", r.Status)
	}
	r := anon.method(http.MethodPut, "/login")
	if r.Status != http.StatusMethodNotAllowed || !strings.Contains(r.Header.Get("Allow"), "POST") || !strings.Contains(r.Header.Get("Allow"), "HEAD") {
		t.Errorf("PUT /login: %d Allow %q, want 405 with GET, HEAD, POST", r.Status, r.Header.Get("Allow"))
	}
}

// TestPagesAreNeverCached: signed-in pages show balances and customer data
// and carry CSRF tokens: private, no-store.
func TestPagesAreNeverCached(t *testing.T) {
	env := newEnv(t)
	c := env.as(t, demo.SPAdmin)
	for _, path := range []string{"/", "/billing/funds", "/customers", "/login"} {
		if got := c.get(path).Header.Get("Cache-Control"); got != "private, no-store" {
			t.Errorf("%s: Cache-Control %q", path, got)
		}
	}
}

// method sends a bodiless request with any method.
func (c *client) method(m, path string) *response {
	c.t.Helper()
	req, _ := http.NewRequest(m, c.env.Srv.URL+path, nil)
	return c.do(req)
}

// TestUnknownAddressIsA404InTheUsersLanguageAndShell: a signed-in user
// who mistypes an address keeps the navigation and its language.
func TestUnknownAddressIsA404InTheUsersLanguageAndShell(t *testing.T) {
	env := newEnv(t)
	env.DB.Exec("UPDATE users SET locale = 'en-US' WHERE login_name = ?", demo.SPViewer)
	t.Cleanup(func() { env.DB.Exec("UPDATE users SET locale = 'zh-CN' WHERE login_name = ?", demo.SPViewer) })
	r := env.as(t, demo.SPViewer).get("/no-such-page")
	if r.Status != http.StatusNotFound {
		t.Fatalf("status %d", r.Status)
	}
	d := r.doc(t)
	if d.Find(`[data-testid="top-nav"]`).Length() == 0 {
		t.Error("the 404 page has no console shell")
	}
	if !strings.Contains(d.Find(`[data-error-key]`).Text(), "does not exist") {
		t.Errorf("the 404 page is not in the user's language: %q", d.Find(`[data-error-key]`).Text())
	}
}

// TestLanguagePickedOnTheSignInPageIsKept: switching to English before
// signing in keeps English after it.
func TestLanguagePickedOnTheSignInPageIsKept(t *testing.T) {
	env := newEnv(t)
	t.Cleanup(func() { env.DB.Exec("UPDATE users SET locale = 'zh-CN' WHERE login_name = ?", demo.SPViewer) })
	c := env.client(t)
	c.get("/login")
	c.post("/locale", url.Values{"lang": {"en-US"}})
	c.get("/login")
	r := c.post("/login", url.Values{"login_name": {demo.SPViewer}, "password": {demo.DemoPassword}, "next": {"/"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", r.Status)
	}
	if home := c.get("/"); !strings.Contains(home.Body, `lang="en-US"`) && !strings.Contains(home.Body, `lang="en"`) {
		t.Errorf("after signing in the page is not English")
	}
}

// TestBreadcrumbNeverRepeatsItself: 账务 / 资金管理, not 资金管理 twice.
func TestBreadcrumbNeverRepeatsItself(t *testing.T) {
	env := newEnv(t)
	c := env.as(t, demo.SPAdmin)
	for _, path := range []string{"/billing/funds", "/billing/funds/lines", "/customers", "/billing/bill", "/org/members"} {
		crumbs := strings.Fields(strings.ReplaceAll(c.get(path).doc(t).Find(`[data-testid="breadcrumb"]`).Text(), "/", " "))
		for i := 1; i < len(crumbs); i++ {
			if crumbs[i] == crumbs[i-1] {
				t.Errorf("%s: breadcrumb %q repeats %q", path, crumbs, crumbs[i])
			}
		}
	}
}

// TestEachVendorRoleHomeIsItsWorkQueue: vendor finance sees payouts,
// invoices, returns and failed imports, each linking to a page it opens —
// not the approval counts it may not open; an ecosystem manager sees its
// approvals and partners. A page outside a vendor role says so in words
// for vendor staff (not "ask your partner administrator").
func TestEachVendorRoleHomeIsItsWorkQueue(t *testing.T) {
	env := newEnv(t)
	fin := env.as(t, demo.VendorFinance)
	d := fin.get("/").doc(t)
	for _, id := range []string{"stat-payouts", "stat-invoices", "stat-returns", "stat-failed-imports"} {
		link, ok := d.Find(`[data-testid="` + id + `"]`).Attr("href")
		if !ok {
			t.Errorf("vendor finance home without %s", id)
			continue
		}
		if r := fin.get(link); r.Status != http.StatusOK {
			t.Errorf("%s links to %s: %d", id, link, r.Status)
		}
	}
	if d.Find(`[data-testid="stat-open"]`).Length() != 0 {
		t.Error("vendor finance sees approval counts it cannot open")
	}
	// Its queue is its tiles: no "nothing to do" card under them, and the
	// page says what finance works on (not the reviewers' wording).
	if text := d.Find("main").Text(); strings.Contains(text, "暂无待办事项") || strings.Contains(text, "您负责的伙伴") {
		t.Errorf("vendor finance home contradicts its tiles or speaks to reviewers: %q", strings.Join(strings.Fields(text), " "))
	}
	var pending int64
	env.DB.Table("withdrawals").Where("status = 'pending'").Count(&pending)
	if got := strings.TrimSpace(d.Find(`[data-testid="stat-payouts"] div`).Last().Text()); got != strconv.FormatInt(pending, 10) {
		t.Errorf("withdrawals to pay: %q, want %d", got, pending)
	}
	eco := env.as(t, demo.EcoManager).get("/").doc(t)
	if eco.Find(`[data-testid="stat-open"]`).Length() != 1 || eco.Find(`[data-testid="stat-payouts"]`).Length() != 0 {
		t.Error("ecosystem manager home: approvals expected, no payouts")
	}
	r := fin.get("/approvals")
	if r.Status != http.StatusForbidden || !strings.Contains(r.Body, "厂商") || strings.Contains(r.Body, "伙伴管理员") {
		t.Errorf("vendor 403: %d", r.Status)
	}
}

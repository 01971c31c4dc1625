package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"partnercenter/internal/demo"
)

func TestSignInRotatesTheSessionCookie(t *testing.T) {
	env := newEnv(t)
	c := env.client(t)
	c.get("/login")
	before := c.sessionCookie()
	if before == "" {
		t.Fatal("the sign-in page should start a session for its CSRF token")
	}
	r := c.post("/login", url.Values{"login_name": {demo.SPAdmin}, "password": {demo.DemoPassword}})
	if r.Status != http.StatusSeeOther || r.Location != "/" {
		t.Fatalf("sign-in: %d %q", r.Status, r.Location)
	}
	after := c.sessionCookie()
	if after == "" || after == before {
		t.Fatal("the session cookie must change at sign-in")
	}
	var n int64
	env.DB.Table("user_sessions").Where("token_hash = sha256(?::bytea)", before).Count(&n)
	if n != 0 {
		t.Fatal("the pre-sign-in session row must be deleted")
	}
}

func TestOldCookieIsRefusedAfterSignOut(t *testing.T) {
	env := newEnv(t)
	c := env.as(t, demo.SPAdmin)
	old := c.sessionCookie()
	if r := c.post("/logout", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("logout: %d", r.Status)
	}
	replay := env.client(t)
	u, _ := url.Parse(env.Srv.URL)
	replay.http.Jar.SetCookies(u, []*http.Cookie{{Name: env.App.Sessions.CookieName(), Value: old, Path: "/"}})
	r := replay.get("/")
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/login") {
		t.Fatalf("old cookie after sign-out: %d %q, want a sign-in redirect", r.Status, r.Location)
	}
}

func TestWrongPasswordShowsMessageAndRepeatedFailuresAreThrottled(t *testing.T) {
	env := newEnv(t)
	c := env.client(t)
	c.get("/login")
	for i := 0; i < 5; i++ {
		r := c.post("/login", url.Values{"login_name": {"sp_viewer"}, "password": {"wrong-password"}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "账号名或密码错误") {
			t.Fatalf("attempt %d: %d", i, r.Status)
		}
	}
	r := c.post("/login", url.Values{"login_name": {"sp_viewer"}, "password": {demo.DemoPassword}})
	if r.Status != http.StatusTooManyRequests || !strings.Contains(r.Body, "登录失败次数过多") {
		t.Fatalf("after 5 failures even the right password is throttled: got %d", r.Status)
	}
	env.DB.Exec("DELETE FROM login_failures")
}

func TestUnsafeRequestWithoutOrWithWrongCSRFTokenIsRefusedAndChangesNothing(t *testing.T) {
	env := newEnv(t)
	c := env.as(t, demo.SPAdmin)
	before := env.countRows(t, "user_sessions")
	for _, tok := range []string{"", "forged-token"} {
		r := c.postRaw("/logout", url.Values{"_csrf": {tok}})
		if r.Status != http.StatusForbidden {
			t.Fatalf("token %q: status %d, want 403", tok, r.Status)
		}
	}
	if after := env.countRows(t, "user_sessions"); after != before {
		t.Fatalf("sessions changed: %d → %d", before, after)
	}
	if r := c.get("/"); r.Status != http.StatusOK {
		t.Fatalf("still signed in: %d", r.Status)
	}
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	env := newEnv(t)
	c := env.client(t)
	for _, p := range []string{"/login", "/healthz", "/no-such-page", "/static/app.css"} {
		r := c.get(p)
		csp := r.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP %q", p, csp)
		}
		if r.Header.Get("X-Content-Type-Options") != "nosniff" || r.Header.Get("Referrer-Policy") == "" {
			t.Errorf("%s: missing nosniff or referrer policy", p)
		}
	}
	r := env.client(t).get("/login")
	sc := r.Header.Get("Set-Cookie")
	if !strings.Contains(sc, "HttpOnly") || !strings.Contains(sc, "SameSite=Lax") {
		t.Fatalf("session cookie flags: %q", sc)
	}
}

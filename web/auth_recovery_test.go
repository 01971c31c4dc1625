package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"partnercenter/internal/demo"
)

// 忘记密码 through the pages (§7.1.7): an empty form is refused in the
// page; a known and an unknown account get the same answer (the code page);
// the known one's code, read from its e-mail in the outbox, resets the
// password, and the member signs in with the new one.
func TestForgotPasswordThroughThePages(t *testing.T) {
	env := newEnv(t)
	c := env.client(t)
	c.get("/login/forgot")
	if r := c.post("/login/forgot", url.Values{}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "请填写此项") {
		t.Fatalf("an empty form: %d", r.Status)
	}
	unknown := c.post("/login/forgot", url.Values{"main_login": {demo.SPAdmin}, "who": {"nobody@example.cn"}})
	known := c.post("/login/forgot", url.Values{"main_login": {demo.SPAdmin}, "who": {demo.SPViewer}})
	if unknown.Status != http.StatusSeeOther || known.Status != http.StatusSeeOther || !strings.HasPrefix(unknown.Location, "/login/reset/") ||
		!strings.HasPrefix(known.Location, "/login/reset/") {
		t.Fatalf("answers %d %q / %d %q", unknown.Status, unknown.Location, known.Status, known.Location)
	}
	var email, params string
	env.DB.Raw(`SELECT email FROM users WHERE login_name = ?`, demo.SPViewer).Scan(&email)
	env.DB.Raw(`SELECT params::text FROM outbox_messages WHERE template = 'recovery.code' AND recipient = ? ORDER BY id DESC LIMIT 1`, email).Scan(&params)
	m := regexp.MustCompile(`"Code": "([0-9]{6})"`).FindStringSubmatch(params)
	if m == nil {
		t.Fatalf("no code e-mailed to %q", email)
	}
	page := c.get(known.Location)
	if !strings.Contains(page.Body, `data-testid="reset-form"`) {
		t.Fatal("the code page")
	}
	if r := c.post(known.Location, url.Values{"code": {m[1]}, "new_password": {"Viewer@2029new"}, "confirm_password": {"Viewer@2029new"}}); r.Status != http.StatusSeeOther ||
		r.Location != "/login" {
		t.Fatalf("reset: %d %q", r.Status, r.Location)
	}
	s := env.client(t)
	s.get("/login")
	if r := s.post("/login", url.Values{"login_name": {demo.SPViewer}, "password": {"Viewer@2029new"}}); r.Status != http.StatusSeeOther || strings.HasPrefix(r.Location, "/login") {
		t.Fatalf("sign-in with the new password: %d %q", r.Status, r.Location)
	}
	// Put the demo password back for the tests that follow.
	_ = env.DB.Exec(`UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE login_name = ?) WHERE login_name = ?`, demo.SPAdmin, demo.SPViewer)
}

package web

import (
	"net/http"
	"testing"

	"partnercenter/internal/demo"
)

// TestCachedPrincipalsFollowEveryChangeOnTheNextRequest: the principal is
// reused between requests only while its authorization stamp is the same,
// so a change made anywhere — here straight in the database, as another
// server or a script would — is seen on the very next request: a role
// losing an item, a member losing a role, the partner's program identities,
// a disabled member. Steady state costs one query for the session and its
// stamp (plus the unread badge).
func TestCachedPrincipalsFollowEveryChangeOnTheNextRequest(t *testing.T) {
	env := newEnv(t)
	fin := env.as(t, demo.SPFinance)
	uid, role := env.World.Users[demo.SPFinance], env.World.FinanceRoleID
	exec := func(sql string, args ...any) {
		t.Helper()
		if err := env.DB.Exec(sql, args...).Error; err != nil {
			t.Fatal(err)
		}
	}
	status := func(want int, when string) {
		t.Helper()
		if r := fin.get("/org/audit"); r.Status != want {
			t.Fatalf("%s: /org/audit %d, want %d", when, r.Status, want)
		}
	}
	status(http.StatusOK, "before")
	if n := env.queries(t, fin.get("/healthz")); n != 2 {
		t.Errorf("steady state: %d queries for the trivial page, want 2 (session with its stamp, unread badge)", n)
	}

	exec(`DELETE FROM role_items WHERE role_id = ? AND item = 'org.audit.view'`, role)
	status(http.StatusForbidden, "the role lost the item")
	exec(`INSERT INTO role_items (role_id, item) VALUES (?, 'org.audit.view')`, role)
	status(http.StatusOK, "the item is back")

	exec(`DELETE FROM user_roles WHERE user_id = ? AND role_id = ?`, uid, role)
	status(http.StatusForbidden, "the member lost the role")
	exec(`INSERT INTO user_roles (user_id, role_id) VALUES (?, ?)`, uid, role)
	status(http.StatusOK, "the role is back")

	// A cloud reseller alone has no 伙伴账单: the partner's identities count.
	var ids []string
	env.DB.Raw(`SELECT identity FROM partner_identities WHERE partner_id = ?`, env.World.SP).Scan(&ids)
	admin := env.as(t, demo.SPAdmin)
	if r := admin.get("/billing/bill"); r.Status != http.StatusOK {
		t.Fatalf("bill before: %d", r.Status)
	}
	exec(`DELETE FROM partner_identities WHERE partner_id = ?`, env.World.SP)
	exec(`INSERT INTO partner_identities (partner_id, identity) VALUES (?, 'cloud_reseller')`, env.World.SP)
	restore := func() {
		exec(`DELETE FROM partner_identities WHERE partner_id = ?`, env.World.SP)
		for _, id := range ids {
			exec(`INSERT INTO partner_identities (partner_id, identity) VALUES (?, ?)`, env.World.SP, id)
		}
	}
	r := admin.get("/billing/bill")
	restore()
	if r.Status != http.StatusForbidden {
		t.Errorf("the partner became a cloud reseller only: /billing/bill %d, want 403", r.Status)
	}
	if r := admin.get("/billing/bill"); r.Status != http.StatusOK {
		t.Errorf("identities restored: /billing/bill %d", r.Status)
	}

	exec(`UPDATE users SET status = 'disabled' WHERE id = ?`, uid)
	r = fin.get("/org/audit")
	exec(`UPDATE users SET status = 'active' WHERE id = ?`, uid)
	if r.Status != http.StatusSeeOther {
		t.Errorf("disabled member: /org/audit %d, want a redirect to sign in", r.Status)
	}
	if r := fin.get("/org/audit"); r.Status != http.StatusSeeOther {
		t.Errorf("the disabled member's session was not ended: %d", r.Status)
	}
}

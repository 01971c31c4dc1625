package web

import (
	"fmt"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"partnercenter/internal/demo"
)

// Organization routes: only the partner admins hold org items in the demo
// (sp_finance, sp_manager*, sp_viewer and vendor staff do not). md_admin
// and cr_admin hold them in their own tenants, so sp objects are 404 to
// them.

var orgSeq atomic.Int64

// throwawayMember inserts an active member of 示例云科技 (env.World.SP)
// with no role, so an allowed POST (disable, delete, ...) harms nobody.
func throwawayMember(t *testing.T, env *testEnv) int64 {
	t.Helper()
	n := orgSeq.Add(1)
	var hash string
	if err := env.DB.Raw(`SELECT password_hash FROM users WHERE id = ?`, env.World.Users[demo.SPViewer]).Scan(&hash).Error; err != nil {
		t.Fatal(err)
	}
	var id int64
	login := fmt.Sprintf("tmp_m%d_%d", time.Now().UnixNano()%1e6, n)
	if err := env.DB.Raw(`INSERT INTO users (kind, partner_id, login_name, display_name, email, password_hash)
		VALUES ('partner', ?, ?, '临时成员', ?, ?) RETURNING id`, env.World.SP, login, login+"@tmp.example.cn", hash).
		Scan(&id).Error; err != nil {
		t.Fatal(err)
	}
	return id
}

// throwawayRole inserts an unused custom role of 示例云科技.
func throwawayRole(t *testing.T, env *testEnv) int64 {
	t.Helper()
	var id int64
	name := fmt.Sprintf("临时角色%d_%d", time.Now().UnixNano()%1e6, orgSeq.Add(1))
	if err := env.DB.Raw(`INSERT INTO roles (partner_id, name) VALUES (?, ?) RETURNING id`, env.World.SP, name).Scan(&id).Error; err != nil {
		t.Fatal(err)
	}
	if err := env.DB.Exec(`INSERT INTO role_items (role_id, item) VALUES (?, 'home.view')`, id).Error; err != nil {
		t.Fatal(err)
	}
	return id
}

func init() {
	orgAdmins := []string{demo.SPAdmin}
	foreignAdmins := []string{demo.MDAdmin, demo.CRAdmin}
	// Routes without an id: every admin works in its own tenant.
	matrixRow("GET /org/members", matrixCase{allow: partnerAdmins})
	matrixRow("GET /org/members/new", matrixCase{allow: partnerAdmins})
	matrixRow("POST /org/members", matrixCase{allow: partnerAdmins, form: url.Values{}}) // empty form: refused as input, creates nothing
	matrixRow("GET /org/roles", matrixCase{allow: partnerAdmins})
	matrixRow("GET /org/roles/new", matrixCase{allow: partnerAdmins})
	matrixRow("POST /org/roles", matrixCase{allow: partnerAdmins, form: url.Values{}})

	member := func(suffix string) func(t *testing.T, env *testEnv, acc string) string {
		return func(t *testing.T, env *testEnv, acc string) string {
			return fmt.Sprintf("/org/members/%d%s", throwawayMember(t, env), suffix)
		}
	}
	role := func(suffix string) func(t *testing.T, env *testEnv, acc string) string {
		return func(t *testing.T, env *testEnv, acc string) string {
			return fmt.Sprintf("/org/roles/%d%s", throwawayRole(t, env), suffix)
		}
	}
	matrixRow("GET /org/members/:id/edit", matrixCase{target: member("/edit"), allow: orgAdmins, notFound: foreignAdmins})
	matrixRow("POST /org/members/:id", matrixCase{target: member(""), allow: orgAdmins, notFound: foreignAdmins,
		form: url.Values{"display_name": {"改名成员"}, "email": {"renamed@tmp.example.cn"}}})
	matrixRow("POST /org/members/:id/disable", matrixCase{target: member("/disable"), allow: orgAdmins, notFound: foreignAdmins})
	matrixRow("POST /org/members/:id/enable", matrixCase{target: member("/enable"), allow: orgAdmins, notFound: foreignAdmins})
	matrixRow("POST /org/members/:id/delete", matrixCase{target: member("/delete"), allow: orgAdmins, notFound: foreignAdmins})
	matrixRow("POST /org/members/:id/reset-password", matrixCase{target: member("/reset-password"), allow: orgAdmins,
		notFound: foreignAdmins, form: url.Values{"password": {"Matrix#Pass2025"}}})
	matrixRow("GET /org/roles/:id/edit", matrixCase{target: role("/edit"), allow: orgAdmins, notFound: foreignAdmins})
	matrixRow("POST /org/roles/:id", matrixCase{target: role(""), allow: orgAdmins, notFound: foreignAdmins,
		form: url.Values{"name": {""}}}) // refused as input: changes nothing
	matrixRow("POST /org/roles/:id/delete", matrixCase{target: role("/delete"), allow: orgAdmins, notFound: foreignAdmins})
}

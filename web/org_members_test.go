package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"partnercenter/internal/demo"
)

// loginWith signs in with any credentials.
func (e *testEnv) loginWith(t *testing.T, login, password string) *client {
	t.Helper()
	c := e.client(t)
	c.get("/login")
	r := c.post("/login", url.Values{"login_name": {login}, "password": {password}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("login %s: status %d", login, r.Status)
	}
	c.get("/")
	return c
}

func (e *testEnv) roleID(t *testing.T, name string) int64 {
	t.Helper()
	var id int64
	if err := e.DB.Raw(`SELECT id FROM roles WHERE partner_id = ? AND name = ?`, e.World.SP, name).Scan(&id).Error; err != nil || id == 0 {
		t.Fatalf("role %s: %v", name, err)
	}
	return id
}

func TestAdminCreatesMemberViaFormAndMemberSeesOnlyItsMenus(t *testing.T) {
	env := newEnv(t)
	admin := env.as(t, demo.SPAdmin)

	// A role that may only look at the member list.
	admin.get("/org/roles/new")
	r := admin.post("/org/roles", url.Values{"name": {"成员查看员W"}, "description": {"只读"}, "items": {"org.members.view"}})
	if r.Status != http.StatusSeeOther || r.Location != "/org/roles" {
		t.Fatalf("create role: %d %s", r.Status, r.Location)
	}
	roleID := env.roleID(t, "成员查看员W")

	form := admin.get("/org/members/new")
	if form.Status != http.StatusOK || form.doc(t).Find(`[data-testid="member-form"]`).Length() != 1 {
		t.Fatalf("new member form: %d", form.Status)
	}
	r = admin.post("/org/members", url.Values{"login_name": {"web_member1"}, "display_name": {"网页成员"},
		"email": {"web_member1@example-cloud.cn"}, "mobile": {"13700000101"}, "position": {"测试"},
		"password": {"Welcome#2025"}, "roles": {fmt.Sprint(roleID)}})
	if r.Status != http.StatusSeeOther || r.Location != "/org/members" {
		t.Fatalf("create member: %d %s", r.Status, r.Location)
	}
	list := admin.get("/org/members?q=web_member1")
	doc := list.doc(t)
	if doc.Find(`[data-testid="toast-success"]`).Length() != 1 {
		t.Error("a success toast follows the create")
	}
	row := doc.Find(`[data-testid="member-row"][data-login="web_member1"]`)
	if row.Length() != 1 || !strings.Contains(row.Text(), "成员查看员W") || !strings.Contains(row.Text(), "已启用") {
		t.Fatalf("new member row: %q", row.Text())
	}

	m := env.loginWith(t, "web_member1", "Welcome#2025")
	home := m.get("/").doc(t)
	if home.Find(`[data-testid="menu-org"]`).Length() != 1 {
		t.Fatal("the member sees 组织 (it may view members)")
	}
	page := m.get("/org/members")
	if page.Status != http.StatusOK {
		t.Fatalf("member list for the member: %d", page.Status)
	}
	pd := page.doc(t)
	if pd.Find(`[data-testid="new-member"]`).Length() != 0 || pd.Find(`[data-testid="disable-member"]`).Length() != 0 {
		t.Error("without org.members.manage there are no management buttons")
	}
	side := pd.Find(`[data-testid="side-nav"]`).Text()
	if strings.Contains(side, "角色管理") {
		t.Error("角色管理 must not appear in its navigation")
	}
	if r := m.get("/org/roles"); r.Status != http.StatusForbidden || !strings.Contains(r.Body, "没有访问权限") {
		t.Errorf("/org/roles for the member: %d", r.Status)
	}
	if r := m.get("/org/members/new"); r.Status != http.StatusForbidden {
		t.Errorf("/org/members/new for the member: %d", r.Status)
	}
	// (账务 is shown: 查看账户余额 is a default of a solution provider's
	// members, seed 003 §7.1.1 table 7-1.)
	for _, menu := range []string{"menu-customers"} {
		if home.Find(`[data-testid="`+menu+`"]`).Length() != 0 {
			t.Errorf("%s must not be shown to this member", menu)
		}
	}
}

func TestMemberWithoutManageItemGetsForbiddenOnPost(t *testing.T) {
	env := newEnv(t)
	before := env.countRows(t, "users")
	victim := throwawayMember(t, env)
	for _, acc := range []string{demo.SPViewer, demo.SPFinance, demo.SPManager1} {
		c := env.as(t, acc)
		for _, path := range []string{"/org/members", fmt.Sprintf("/org/members/%d/disable", victim), fmt.Sprintf("/org/members/%d/delete", victim), "/org/roles"} {
			r := c.post(path, url.Values{"login_name": {"sneaky1"}, "display_name": {"x"}, "email": {"sneaky@example.cn"},
				"password": {"Welcome#2025"}, "name": {"sneaky"}, "items": {"org.members.manage"}})
			if r.Status != http.StatusForbidden || !strings.Contains(r.Body, "没有访问权限") {
				t.Errorf("%s POST %s: %d", acc, path, r.Status)
			}
		}
	}
	var status string
	env.DB.Raw(`SELECT status FROM users WHERE id = ?`, victim).Scan(&status)
	if env.countRows(t, "users") != before+1 || status != "active" {
		t.Fatal("refused requests change nothing")
	}
}

func TestCreateMemberWithTakenEmailReRendersFormWithSeedMessageAndTypedValues(t *testing.T) {
	env := newEnv(t)
	admin := env.as(t, demo.SPAdmin)
	admin.get("/org/members/new")
	before := env.countRows(t, "users")
	r := admin.post("/org/members", url.Values{"login_name": {"web_dup1"}, "display_name": {"重复邮箱"},
		"email": {"FINANCE@example-cloud.cn"}, "mobile": {"13800000003"}, "password": {"Welcome#2025"}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", r.Status)
	}
	doc := r.doc(t)
	if e := doc.Find(`[data-testid="error-email"]`).Text(); !strings.Contains(e, "邮箱/手机号已被注册") {
		t.Errorf("email error: %q", e)
	}
	if e := doc.Find(`[data-testid="error-mobile"]`).Text(); !strings.Contains(e, "邮箱/手机号已被注册") {
		t.Errorf("mobile error: %q", e)
	}
	if v, _ := doc.Find(`input[name="login_name"]`).Attr("value"); v != "web_dup1" {
		t.Errorf("typed login name kept: %q", v)
	}
	if v, _ := doc.Find(`input[name="password"]`).Attr("value"); v != "" {
		t.Error("the password is never echoed back")
	}
	if env.countRows(t, "users") != before {
		t.Fatal("nothing is created")
	}
	r = admin.post("/org/members", url.Values{"login_name": {"SP_ADMIN"}, "display_name": {"同名"},
		"email": {"bad-email"}, "mobile": {"2380000"}, "password": {"Welcome#2025"}, "roles": {"1", "2", "3", "4"}})
	doc = r.doc(t)
	for _, f := range []string{"login_name", "email", "mobile", "roles"} {
		if doc.Find(`[data-testid="error-`+f+`"]`).Length() != 1 {
			t.Errorf("inline error for %s missing", f)
		}
	}
}

func TestMemberListShowsMainFirstAndSearchesFiltersSortsWithHTMX(t *testing.T) {
	env := newEnv(t)
	admin := env.as(t, demo.SPAdmin)
	doc := admin.get("/org/members?sort=login_name&dir=desc").doc(t)
	rows := doc.Find(`[data-testid="member-row"]`)
	if first, _ := rows.First().Attr("data-login"); first != demo.SPAdmin {
		t.Fatalf("the main account comes first, got %s", first)
	}
	if rows.First().Find(`[data-testid="main-flag"]`).Length() != 1 {
		t.Error("the main account is flagged 主账号")
	}
	if rows.First().Find(`[data-testid="disable-member"], [data-testid="delete-member"]`).Length() != 0 {
		t.Error("the main account row has no disable or delete")
	}
	if !strings.Contains(doc.Find(`[data-testid="pager"]`).Text(), "共") {
		t.Error("the pager shows the total")
	}
	r := admin.htmx(http.MethodGet, "/org/members?q="+url.QueryEscape("qianwei@"), nil)
	d := r.doc(t)
	if n := d.Find(`[data-testid="member-row"]`).Length(); n != 1 || !strings.Contains(d.Find(`[data-testid="member-row"]`).Text(), "客户经理") {
		t.Fatalf("search by email: %d rows", n)
	}
	d = admin.get("/org/members?status=disabled").doc(t)
	if d.Find(`[data-testid="member-row"][data-login="sp_ops2"]`).Length() != 1 ||
		d.Find(`[data-testid="member-row"][data-login="sp_ops1"]`).Length() != 0 {
		t.Error("status filter shows the disabled demo member only")
	}
	d = admin.get(fmt.Sprintf("/org/members?role=%d", env.World.FinanceRoleID)).doc(t)
	if d.Find(`[data-testid="member-row"][data-login="sp_finance"]`).Length() != 1 || d.Find(`[data-testid="member-row"][data-login="sp_viewer"]`).Length() != 0 {
		t.Error("role filter")
	}
	d = admin.get("/org/members?q=nobody-matches-this").doc(t)
	if d.Find(`[data-testid="empty-state"]`).Length() != 1 {
		t.Error("empty state")
	}
}

func TestDisablingMemberEndsItsSessionOnTheNextRequest(t *testing.T) {
	env := newEnv(t)
	id := throwawayMember(t, env)
	var login string
	env.DB.Raw(`SELECT login_name FROM users WHERE id = ?`, id).Scan(&login)
	m := env.loginWith(t, login, demo.DemoPassword)
	if r := m.get("/"); r.Status != http.StatusOK {
		t.Fatalf("member home: %d", r.Status)
	}
	admin := env.as(t, demo.SPAdmin)
	admin.get("/org/members")
	if r := admin.post(fmt.Sprintf("/org/members/%d/disable", id), nil); r.Status != http.StatusSeeOther {
		t.Fatalf("disable: %d", r.Status)
	}
	var n int64
	env.DB.Table("user_sessions").Where("user_id = ?", id).Count(&n)
	if n != 0 {
		t.Fatal("disabling deletes every session of the member")
	}
	if r := m.get("/"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/login") {
		t.Fatalf("the disabled member's next request: %d %s", r.Status, r.Location)
	}
	var audits int64
	env.DB.Table("audit_log").Where("action = 'org.member.disable' AND object_id = ?", fmt.Sprint(id)).Count(&audits)
	if audits != 1 {
		t.Fatalf("audit rows: %d", audits)
	}
}

func TestMainAccountAndSelfAreProtectedOverHTTP(t *testing.T) {
	env := newEnv(t)
	admin := env.as(t, demo.SPAdmin)
	admin.get("/org/members")
	mainID := env.World.Users[demo.SPAdmin]
	for _, action := range []string{"disable", "delete"} {
		r := admin.post(fmt.Sprintf("/org/members/%d/%s", mainID, action), nil)
		if r.Status != http.StatusConflict || !strings.Contains(r.Body, "主账号") {
			t.Errorf("%s main account: %d", action, r.Status)
		}
	}
	r := admin.post(fmt.Sprintf("/org/members/%d/reset-password", mainID), url.Values{"password": {"Another#Pass9"}})
	if r.Status != http.StatusConflict {
		t.Errorf("reset main account password: %d", r.Status)
	}
	edit := admin.get(fmt.Sprintf("/org/members/%d/edit", mainID)).doc(t)
	if edit.Find(`[data-testid="roles-main"]`).Length() != 1 || edit.Find(`[data-testid="reset-form"]`).Length() != 0 {
		t.Error("the main account's edit page has no role choices and no reset form")
	}
	// Another tenant's member is 404 to sp_admin.
	if r := admin.get(fmt.Sprintf("/org/members/%d/edit", env.World.Users[demo.MDAdmin])); r.Status != http.StatusNotFound {
		t.Errorf("another tenant's member: %d", r.Status)
	}
}

func TestResetPasswordOverHTTPValidatesAndEndsSessions(t *testing.T) {
	env := newEnv(t)
	id := throwawayMember(t, env)
	var login string
	env.DB.Raw(`SELECT login_name FROM users WHERE id = ?`, id).Scan(&login)
	m := env.loginWith(t, login, demo.DemoPassword)
	admin := env.as(t, demo.SPAdmin)
	admin.get(fmt.Sprintf("/org/members/%d/edit", id))
	r := admin.post(fmt.Sprintf("/org/members/%d/reset-password", id), url.Values{"password": {"short"}})
	if r.Status != http.StatusUnprocessableEntity || r.doc(t).Find(`[data-testid="error-password"]`).Length() != 1 {
		t.Fatalf("weak password: %d", r.Status)
	}
	r = admin.post(fmt.Sprintf("/org/members/%d/reset-password", id), url.Values{"password": {"Reset#Pass2025"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("reset: %d", r.Status)
	}
	if r := m.get("/"); r.Status != http.StatusSeeOther {
		t.Fatal("the member's old session ends")
	}
	env.loginWith(t, login, "Reset#Pass2025")
}

func TestEditMemberRolesTakeEffectOnNextRequestAndAtMostThree(t *testing.T) {
	env := newEnv(t)
	id := throwawayMember(t, env)
	var login string
	env.DB.Raw(`SELECT login_name FROM users WHERE id = ?`, id).Scan(&login)
	m := env.loginWith(t, login, demo.DemoPassword)
	if r := m.get("/org/members"); r.Status != http.StatusForbidden {
		t.Fatalf("before: %d", r.Status)
	}
	admin := env.as(t, demo.SPAdmin)
	admin.get(fmt.Sprintf("/org/members/%d/edit", id))
	ops := env.roleID(t, "运营")
	form := url.Values{"display_name": {"临时成员"}, "email": {login + "@tmp.example.cn"}, "roles": {fmt.Sprint(ops)}}
	if r := admin.post(fmt.Sprintf("/org/members/%d", id), form); r.Status != http.StatusSeeOther {
		t.Fatalf("update: %d", r.Status)
	}
	if r := m.get("/org/members"); r.Status != http.StatusOK {
		t.Fatalf("after the role is given, the member's next request may view members: %d", r.Status)
	}
	extra1, extra2 := throwawayRole(t, env), throwawayRole(t, env)
	form["roles"] = []string{fmt.Sprint(ops), fmt.Sprint(env.World.FinanceRoleID), fmt.Sprint(extra1), fmt.Sprint(extra2)}
	r := admin.post(fmt.Sprintf("/org/members/%d", id), form)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.doc(t).Find(`[data-testid="error-roles"]`).Text(), "最多只能有3个角色") {
		t.Fatalf("four roles: %d", r.Status)
	}
}

func TestRolesPageShowsPresetReadOnlyDefaultsAndRefusesDeletingHeldRole(t *testing.T) {
	env := newEnv(t)
	admin := env.as(t, demo.SPAdmin)
	doc := admin.get("/org/roles").doc(t)
	preset := doc.Find(`[data-testid="role-row"][data-role="客户经理"]`)
	if preset.Length() != 1 || preset.Find(`[data-testid="preset-flag"]`).Length() != 1 || preset.Find(`[data-testid="edit-role"]`).Length() != 0 {
		t.Fatal("the preset 客户经理 role is listed read-only")
	}
	if !strings.Contains(preset.Text(), "查询子客户消费记录") {
		t.Error("the preset role shows its fixed items")
	}
	if !strings.Contains(doc.Find(`[data-testid="preset-explain"]`).Text(), "没有代金券管理权限") {
		t.Error("the §7.1.4 explanation is shown")
	}
	if !strings.Contains(doc.Find(`[data-testid="defaults-box"]`).Text(), "查看公司信息") {
		t.Error("default permissions are shown")
	}
	fin := doc.Find(`[data-testid="role-row"][data-role="财务"]`)
	if fin.Find(`[data-testid="delete-role-blocked"]`).Length() != 1 {
		t.Error("a held role shows why it cannot be deleted")
	}
	r := admin.post(fmt.Sprintf("/org/roles/%d/delete", env.World.FinanceRoleID), nil)
	if r.Status != http.StatusConflict || !strings.Contains(r.Body, "名组织成员拥有该角色") {
		t.Fatalf("delete held role: %d", r.Status)
	}
	if r := admin.get(fmt.Sprintf("/org/roles/%d/edit", env.World.ManagerPresetID)); r.Status != http.StatusConflict {
		t.Errorf("the preset role has no editor: %d", r.Status)
	}
}

func TestRoleEditorShowsTreeWithMainOnlyDisabledAndRefusesNonGrantable(t *testing.T) {
	env := newEnv(t)
	admin := env.as(t, demo.SPAdmin)
	doc := admin.get("/org/roles/new").doc(t)
	if _, disabled := doc.Find(`input[name="items"][value="profile.company.edit"]`).Attr("disabled"); !disabled {
		t.Error("MainOnly items are shown disabled")
	}
	if _, disabled := doc.Find(`input[name="items"][value="org.members.view"]`).Attr("disabled"); disabled {
		t.Error("grantable items are selectable")
	}
	if doc.Find(`[data-testid="permission-tree"] fieldset`).Length() < 3 {
		t.Error("the tree groups items by menu")
	}
	before := env.countRows(t, "roles")
	r := admin.post("/org/roles", url.Values{"name": {"越权角色"}, "items": {"profile.company.edit", "vendor.approvals.decide"}})
	if r.Status != http.StatusUnprocessableEntity || r.doc(t).Find(`[data-testid="error-items"]`).Length() != 1 {
		t.Fatalf("non-grantable items: %d", r.Status)
	}
	if v, _ := r.doc(t).Find(`input[name="name"]`).Attr("value"); v != "越权角色" {
		t.Error("typed name is kept")
	}
	if env.countRows(t, "roles") != before {
		t.Fatal("nothing is created")
	}
	// Edit a throwaway role, then delete it.
	id := throwawayRole(t, env)
	admin.get(fmt.Sprintf("/org/roles/%d/edit", id))
	r = admin.post(fmt.Sprintf("/org/roles/%d", id), url.Values{"name": {"改过的临时角色"}, "items": {"org.audit.view", "home.view"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("update role: %d", r.Status)
	}
	if r := admin.post(fmt.Sprintf("/org/roles/%d/delete", id), nil); r.Status != http.StatusSeeOther {
		t.Fatalf("delete unused role: %d", r.Status)
	}
}

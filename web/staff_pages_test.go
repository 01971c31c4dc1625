package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"partnercenter/internal/demo"
)

func TestVendorAdminCreatesEcoManagerWhoCanSignIn(t *testing.T) {
	env := newEnv(t)
	admin := env.as(t, demo.VendorAdmin)
	admin.get("/staff/new")
	bad := admin.post("/staff", url.Values{"login_name": {"eco_new"}, "display_name": {"新经理"}, "email": {"wang.lixin@vendor.example.com"},
		"role": {"eco_manager"}, "password": {"Eco@2025pass"}})
	if bad.Status != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, "邮箱/手机号已被注册") {
		t.Fatalf("a taken email is refused with the seed's message: %d", bad.Status)
	}
	r := admin.post("/staff", url.Values{"login_name": {"eco_new"}, "display_name": {"新经理"}, "email": {"eco.new@vendor.example.com"},
		"role": {"eco_manager"}, "password": {"Eco@2025pass"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("create: %d", r.Status)
	}
	c := env.client(t)
	c.get("/login")
	if r := c.post("/login", url.Values{"login_name": {"eco_new"}, "password": {"Eco@2025pass"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("the new ecosystem manager signs in: %d", r.Status)
	}
	if r := c.get("/approvals"); r.Status != http.StatusOK {
		t.Fatalf("and opens the approval inbox: %d", r.Status)
	}
	if r := c.get("/staff"); r.Status != http.StatusForbidden {
		t.Fatalf("but not staff management: %d", r.Status)
	}
}

func TestEcoManagerWithPartnersCannotBeDisabledAndDisablingEndsSessions(t *testing.T) {
	env := newEnv(t)
	admin := env.as(t, demo.VendorAdmin)
	admin.get("/staff")
	r := admin.post(fmt.Sprintf("/staff/%d/disable", env.World.Users[demo.EcoManager]), nil)
	if r.Status != http.StatusConflict || !strings.Contains(r.Body, "请先在伙伴列表中将其转交") {
		t.Fatalf("an eco manager still responsible for partners: %d", r.Status)
	}
	id := newStaff(t, env, "active")
	env.DB.Exec("UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE login_name = ?) WHERE id = ?", demo.EcoManager, id)
	var login string
	env.DB.Raw("SELECT login_name FROM users WHERE id = ?", id).Scan(&login)
	victim := env.as(t, login)
	admin.get("/staff")
	if r := admin.post(fmt.Sprintf("/staff/%d/disable", id), nil); r.Status != http.StatusSeeOther {
		t.Fatalf("disable: %d", r.Status)
	}
	if r := victim.get("/approvals"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/login") {
		t.Fatalf("a disabled staff member's next request is sent to sign in: %d", r.Status)
	}
	if r := admin.post(fmt.Sprintf("/staff/%d/disable", env.World.Users[demo.VendorAdmin]), nil); r.Status != http.StatusConflict {
		t.Fatalf("nobody disables themselves: %d", r.Status)
	}
}

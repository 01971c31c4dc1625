package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"partnercenter/internal/demo"
	"partnercenter/internal/fh"
	"partnercenter/internal/platform/clock"
)

// The 2025 capability building through the pages: the vendor
// administrator keeps the tiers and standards (a nameless standard refused
// in the page, the scenario typed kept); 数联云服务's ecosystem manager
// records a passed appraisal for one of its database engineers (twice
// refused in the seed's words; another manager gets a 404); the partner
// sees its programme, the appraisal unpaid and the months and payment of
// the demo; the inbox shows a month's standards.
func TestFHCapabilityThroughThePages(t *testing.T) {
	env := newEnv(t)
	admin := env.as(t, demo.VendorAdmin)
	if r := admin.get("/partners/fh/capability"); r.Status != http.StatusOK || !strings.Contains(r.Body, "GaussDB性能诊断与调优") ||
		!strings.Contains(r.Body, `data-testid="fh-tier-save"`) {
		t.Fatalf("the vendor page: %d", r.Status)
	}
	if r := admin.post("/partners/fh/standards", url.Values{"scenario": {"ascend"}, "name": {" "}}); r.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, "请填写能力标准名称") || !strings.Contains(r.Body, `<option value="ascend" selected`) {
		t.Fatalf("a nameless standard: %d", r.Status)
	}
	name := fmt.Sprintf("GaussDB分布式架构设计%d", time.Now().UnixNano()%1e6)
	if r := admin.post("/partners/fh/standards", url.Values{"scenario": {"database"}, "name": {name}}); r.Status != http.StatusSeeOther {
		t.Fatalf("add a standard: %d", r.Status)
	}
	var std, prog, person int64
	env.DB.Raw(`SELECT id FROM fh_standards WHERE name = ?`, name).Scan(&std)
	env.DB.Raw(`SELECT f.id FROM fh_programs f JOIN users u ON u.partner_id = f.partner_id WHERE u.login_name = ? AND f.variant = ?`,
		demo.SLAdmin, fh.Capability2025).Scan(&prog)
	person = env.World.Users["sldb3"]
	if std == 0 || prog == 0 || person == 0 {
		t.Fatalf("standard %d, programme %d, person %d", std, prog, person)
	}
	eco := env.as(t, demo.EcoManager)
	if r := eco.get("/partners/fh/capability"); r.Status != http.StatusOK || strings.Contains(r.Body, `data-testid="fh-tier-save"`) {
		t.Fatalf("an ecosystem manager may set tiers: %d", r.Status)
	}
	today := clock.ChinaDate(time.Now()).Format(time.DateOnly)
	form := func() url.Values { // a fresh form per post: the client adds its CSRF token to it
		return url.Values{"choice": {fmt.Sprintf("%d:%d", prog, person)}, "standard_id": {fmt.Sprint(std)}, "passed_on": {today}}
	}
	if r := env.as(t, "eco_manager2").post("/partners/fh/appraisals", form()); r.Status != http.StatusNotFound {
		t.Fatalf("another manager recorded for 数联云服务: %d", r.Status)
	}
	other := env.as(t, "eco_manager2")
	if r := other.get("/partners/fh/capability"); r.Status != http.StatusOK || strings.Contains(r.Body, "数联云服务") {
		t.Fatalf("another manager sees 数联云服务's programme: %d", r.Status)
	}
	if r := other.post(fmt.Sprintf("/partners/fh/%d/end", prog), url.Values{"reason": {"越权"}}); r.Status != http.StatusNotFound {
		t.Fatalf("another manager ended 数联云服务's programme: %d", r.Status)
	}
	if r := eco.post("/partners/fh/appraisals", form()); r.Status != http.StatusSeeOther {
		t.Fatalf("record: %d", r.Status)
	}
	if r := eco.post("/partners/fh/appraisals", form()); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "同一个人员同一个能力标准只能申请一次激励") {
		t.Fatalf("the same appraisal twice: %d", r.Status)
	}

	sl := env.as(t, demo.SLAdmin)
	r := sl.get("/benefits/fh?variant=" + fh.Capability2025)
	if r.Status != http.StatusOK || !strings.Contains(r.Body, `data-testid="fh-appraisals"`) || !strings.Contains(r.Body, name) ||
		!strings.Contains(r.Body, "二档") || strings.Count(r.Body, `data-testid="fh-month"`) < 2 || !strings.Contains(r.Body, `data-testid="fh-payment"`) {
		t.Fatalf("the partner's 2025 tab: %d", r.Status)
	}
	if r := sl.get("/benefits/fh?variant=nope"); r.Status != http.StatusNotFound {
		t.Fatalf("an unknown tab: %d", r.Status)
	}
	var app int64
	env.DB.Raw(`SELECT m.application_id FROM fh_months m WHERE m.program_id = ? AND m.status = 'submitted'`, prog).Scan(&app)
	if r := eco.get(fmt.Sprintf("/approvals/%d", app)); r.Status != http.StatusOK || !strings.Contains(r.Body, "GaussDB性能诊断与调优") {
		t.Fatalf("the month in the inbox: %d", r.Status)
	}
}

// A partner that has not joined the service path sees the four scenarios
// and why it cannot apply; applying is refused in the page.
func TestFHCapabilityApplicationRefused(t *testing.T) {
	env := newEnv(t)
	sp := env.as(t, demo.SPAdmin)
	r := sp.get("/benefits/fh?variant=" + fh.Capability2025)
	if r.Status != http.StatusOK || strings.Count(r.Body, `data-testid="fh-scenario"`) != 4 || strings.Contains(r.Body, `data-testid="fh-apply"`) {
		t.Fatalf("the application tab: %d", r.Status)
	}
	if r := sp.post("/benefits/fh/apply", url.Values{"variant": {fh.Capability2025}, "scenario": {"database"}}); r.Status != http.StatusConflict ||
		!strings.Contains(r.Body, "条件2须通过服务伙伴角色认证") {
		t.Fatalf("applied: %d", r.Status)
	}
}

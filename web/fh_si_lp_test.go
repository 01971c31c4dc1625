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

// The SI presales expert FH through the pages: 睿信数字集成's ecosystem
// manager sees its experts on the vendor page; a grading of a person who
// is not an SI specialist, and a 资深 without the written exam, are refused
// in the page in the seed's words with the form kept; another manager
// gets a 404 and does not see the programme; the partner's tab shows its
// experts, gradings, months and the paid quarter; the inbox shows a month
// as 4 × the level's baseline; a role-certified SI partner not in the
// programme cannot apply itself.
func TestFHPresalesThroughThePages(t *testing.T) {
	env := newEnv(t)
	eco := env.as(t, demo.EcoManager)
	if r := eco.get("/partners/fh/presales"); r.Status != http.StatusOK || !strings.Contains(r.Body, "睿信数字集成") || !strings.Contains(r.Body, "RX-2024-017") {
		t.Fatalf("the vendor's SI page: %d", r.Status)
	}
	var prog int64
	env.DB.Raw(`SELECT f.id FROM fh_programs f JOIN users u ON u.partner_id = f.partner_id WHERE u.login_name = ? AND f.variant = ?`,
		demo.RXAdmin, fh.SIPresales).Scan(&prog)
	if prog == 0 {
		t.Fatal("the demo has no SI programme")
	}
	today := clock.ChinaDate(time.Now()).Format(time.DateOnly)
	form := func(login, level string) url.Values {
		return url.Values{"choice": {fmt.Sprintf("%d:%d", prog, env.World.Users[login])}, "level": {level}, "project_code": {"RX-TEST-9"},
			"project_name": {"某港口智慧物流平台"}, "customer": {"某港口集团"}, "currency": {"CNY"}, "cash": {"2,500,000"},
			"start_month": {clock.ChinaDate(time.Now()).AddDate(0, -2, 0).Format("2006-01")}, "graded_on": {today}}
	}
	r := eco.post("/partners/fh/gradings", form("rxpre3", fh.LevelSenior))
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "激励人员须为本计划对应路径已通过的项目专员") || !strings.Contains(r.Body, "某港口智慧物流平台") {
		t.Fatalf("a person who is no SI specialist: %d", r.Status)
	}
	if r := eco.post("/partners/fh/gradings", form("rxpre2", fh.LevelPrincipal)); r.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, "还需要通过HCIE-Cloud Service Solutions Architect 或 HCCDE-Solution Architectures 笔试") {
		t.Fatalf("a principal without the written exam: %d", r.Status)
	}
	other := env.as(t, "eco_manager2")
	if r := other.post("/partners/fh/gradings", form("rxpre2", fh.LevelSenior)); r.Status != http.StatusNotFound {
		t.Fatalf("another manager graded for 睿信数字集成: %d", r.Status)
	}
	if r := other.get("/partners/fh/presales"); r.Status != http.StatusOK || strings.Contains(r.Body, "睿信数字集成") {
		t.Fatalf("another manager sees 睿信数字集成's gradings: %d", r.Status)
	}

	rx := env.as(t, demo.RXAdmin)
	r = rx.get("/benefits/fh?variant=" + fh.SIPresales)
	if r.Status != http.StatusOK || strings.Count(r.Body, `data-testid="fh-expert"`) != 2 || strings.Count(r.Body, `data-testid="fh-grading"`) != 2 ||
		strings.Count(r.Body, `data-testid="fh-month"`) != 2 || !strings.Contains(r.Body, `data-status="paid"`) || !strings.Contains(r.Body, "资深售前解决方案专家") {
		t.Fatalf("the partner's SI tab: %d", r.Status)
	}
	var app int64
	env.DB.Raw(`SELECT application_id FROM fh_months WHERE program_id = ? AND status = 'submitted'`, prog).Scan(&app)
	if r := eco.get(fmt.Sprintf("/approvals/%d", app)); r.Status != http.StatusOK || !strings.Contains(r.Body, "¥30,000 × 4 个月 × 100% = ¥120,000.00") {
		t.Fatalf("the SI month in the inbox: %d", r.Status)
	}
	hx := env.as(t, demo.HXAdmin)
	if r := hx.get("/benefits/fh?variant=" + fh.SIPresales); r.Status != http.StatusOK || !strings.Contains(r.Body, `data-testid="fh-presales-apply"`) ||
		strings.Contains(r.Body, `data-testid="fh-apply"`) {
		t.Fatalf("the SI tab before the path: %d", r.Status)
	}
	if r := hx.post("/benefits/fh/apply", url.Values{"variant": {fh.SIPresales}}); r.Status != http.StatusConflict ||
		!strings.Contains(r.Body, "通过“能力差异化”认证的先进云SI伙伴可申请") {
		t.Fatalf("applied without differentiation: %d", r.Status)
	}
}

// The LP lecturer FH through the pages: 博学云教育's tab shows the limit,
// its three certified lecturers and a row each in the month form; a month
// without proofs is refused in the page with the rows typed kept, and
// with them as a second application of the month; the vendor sets the
// limit (a bad one refused on its row), another manager
// gets a 404.
func TestFHLecturerThroughThePages(t *testing.T) {
	env := newEnv(t)
	bx := env.as(t, demo.BXAdmin)
	r := bx.get("/benefits/fh?variant=" + fh.LPLecturer)
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "¥12,000.00") || !strings.Contains(r.Body, "已认证讲师 3 / 3") ||
		strings.Count(r.Body, `data-testid="fh-lecturer-row"`) != 3 || !strings.Contains(r.Body, "讲师养成基金") {
		t.Fatalf("the partner's LP tab: %d", r.Status)
	}
	b2 := fmt.Sprint(env.World.Users["bxlec2"])
	month := clock.ChinaDate(time.Now()).Format("2006-01")
	rows := func() url.Values {
		return url.Values{"variant": {fh.LPLecturer}, "month": {month}, "lecturer": {b2}, "fund_" + b2: {fh.FundDedicated}, "days_" + b2: {"7.5"},
			"satisfaction_" + b2: {"4.8"}}
	}
	r = bx.post("/benefits/fh/months", rows())
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "请上传人员证明材料") || !strings.Contains(r.Body, `value="7.5"`) {
		t.Fatalf("a month without proofs: %d", r.Status)
	}
	// With proofs: this month is in review already (the rows' rules are
	// TestLecturerFunds's).
	if r := bx.postMultipart("/benefits/fh/months", rows(), "files", "在职证明.pdf", []byte("%PDF-1.4\n%%EOF\n")); r.Status != http.StatusConflict ||
		!strings.Contains(r.Body, "每个伙伴每个月可以申请1次激励") {
		t.Fatalf("a second application of the month: %d", r.Status)
	}

	var prog int64
	env.DB.Raw(`SELECT f.id FROM fh_programs f JOIN users u ON u.partner_id = f.partner_id WHERE u.login_name = ? AND f.variant = ?`,
		demo.BXAdmin, fh.LPLecturer).Scan(&prog)
	eco := env.as(t, demo.EcoManager)
	if r := eco.post(fmt.Sprintf("/partners/fh/%d/limit", prog), url.Values{"limit": {"12000.555"}}); r.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, `value="12000.555"`) {
		t.Fatalf("a limit of three decimals: %d", r.Status)
	}
	if r := env.as(t, "eco_manager2").post(fmt.Sprintf("/partners/fh/%d/limit", prog), url.Values{"limit": {"1"}}); r.Status != http.StatusNotFound {
		t.Fatalf("another manager set 博学云教育's limit: %d", r.Status)
	}
	if r := eco.post(fmt.Sprintf("/partners/fh/%d/limit", prog), url.Values{"limit": {"12,000"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("set the limit: %d", r.Status)
	}
	if r := eco.get("/partners/fh"); !strings.Contains(r.Body, `value="12000.00"`) {
		t.Fatal("the vendor page does not show the limit")
	}
}

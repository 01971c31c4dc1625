package web

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/demo"
	"partnercenter/internal/files"
	"partnercenter/internal/people"
)

// FH in a real browser (issue 16): the invited service account joins with
// the four compliance points, funds two of its project specialists at two
// city coefficients (a 服务专家 in 北京, 1.2; a 高级顾问 in 昆明, 1.0), submits
// the month — 50,000 × 1.2 + 80,000 × 1.0 = 140,000 — and the ecosystem
// manager approves it.
func TestBrowserFHMonthAtTwoCoefficients(t *testing.T) {
	env := newEnv(t)
	ctx := context.Background()
	var pid int64
	env.DB.Raw(`SELECT partner_id FROM users WHERE id = ?`, env.World.Users[demo.SPServiceAdmin]).Scan(&pid)
	admin := access.Member(env.World.Users[demo.SPServiceAdmin], pid, true)
	ps := people.Service{DB: env.DB, Clock: env.App.Clock}
	eng := approval.Engine{DB: env.DB, Clock: env.App.Clock}
	eco := access.VendorStaff(env.World.Users[demo.EcoManager], "eco_manager")
	for _, login := range []string{"spsvc1", "spsvc2"} {
		var link int64
		env.DB.Raw(`SELECT id FROM specialist_links WHERE person_id = ? AND unlinked_at IS NULL`, env.World.Users[login]).Scan(&link)
		sp, err := ps.ApplySpecialist(ctx, admin, link, "", []files.Upload{{Name: "在职证明.pdf", Data: []byte("%PDF-1.4\n%%EOF\n")}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := eng.Approve(ctx, eco, *sp.ApplicationID, ""); err != nil {
			t.Fatal(err)
		}
	}

	b := newBrowser(t, env)
	b.login(demo.SPServiceAdmin, demo.DemoPassword)
	b.open("/benefits/fh")
	b.waitVisible(`[data-testid="fh-join"]`)
	b.do(chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('[data-testid="fh-compliance"]').forEach(function(i){i.click()})`))
	b.click(`[data-testid="fh-join-submit"]`)
	b.waitVisible(`[data-testid="fh-person-form"]`)
	for i, p := range [][3]string{{"spsvc1", "expert", "北京"}, {"spsvc2", "senior_consultant", "昆明"}} { // in order: the i-th row appears
		b.do(chromedp.SetValue(chromedp.CSS("#person_id"), fmt.Sprint(env.World.Users[p[0]])), chromedp.SetValue(chromedp.CSS("#role"), p[1]))
		b.fill("#city", p[2])
		b.click(`[data-testid="fh-person-save"]`)
		b.waitVisible(fmt.Sprintf(`[data-testid="fh-person"]:nth-of-type(%d)`, i+1))
	}
	b.click(`[data-testid="fh-month-submit"]`)
	b.waitVisible(`[data-testid="fh-month"][data-status="submitted"]`)
	if got := b.text(`[data-testid="fh-month-amount"]`); !strings.Contains(got, "140,000.00") {
		t.Fatalf("the month: %q, want ¥140,000.00", got)
	}
	lines := b.text(`[data-testid="fh-month"]`)
	if !strings.Contains(lines, "1.2") || !strings.Contains(lines, "北京") || !strings.Contains(lines, "昆明") {
		t.Fatalf("the month's lines do not show the coefficients: %q", lines)
	}
	var app int64
	env.DB.Raw(`SELECT application_id FROM fh_months WHERE partner_id = ? ORDER BY id DESC LIMIT 1`, pid).Scan(&app)
	e := newBrowser(t, env)
	e.login(demo.EcoManager, demo.DemoPassword)
	e.open(fmt.Sprintf("/approvals/%d", app))
	e.waitVisible(`[data-testid="payload-lines"]`)
	e.click(`[data-testid="approve"]`)
	e.acceptDialog()
	e.waitVisible(`[data-testid="toast-success"]`)
	b.open("/benefits/fh")
	b.waitVisible(`[data-testid="fh-month"][data-status="approved"]`)
	b.shot("approved")
}

// The 2025 capability building in a real browser: the vendor administrator
// sets 昇腾云's tier, 数联云服务's ecosystem manager records that 数据库工程师SL4
// passed 高可用与容灾部署, and the partner's 2025 tab lists it as not yet
// applied for.
func TestBrowserFHCapabilityAppraisal(t *testing.T) {
	env := newEnv(t)
	a := newBrowser(t, env)
	a.login(demo.VendorAdmin, demo.DemoPassword)
	a.open("/partners/fh/capability")
	a.do(chromedp.SetValue(chromedp.CSS("#tier-ascend"), "1"))
	a.click(`[data-testid="fh-tier"][data-scenario="ascend"] [data-testid="fh-tier-save"]`)
	a.waitVisible(`[data-testid="toast-success"]`)

	var std int64
	env.DB.Raw(`SELECT id FROM fh_standards WHERE name = 'GaussDB高可用与容灾部署'`).Scan(&std)
	var prog int64
	env.DB.Raw(`SELECT f.id FROM fh_programs f JOIN users u ON u.partner_id = f.partner_id WHERE u.login_name = ? AND f.variant = 'capability_2025'`,
		demo.SLAdmin).Scan(&prog)
	e := newBrowser(t, env)
	e.login(demo.EcoManager, demo.DemoPassword)
	e.open("/partners/fh/capability")
	e.do(chromedp.SetValue(chromedp.CSS("#choice"), fmt.Sprintf("%d:%d", prog, env.World.Users["sldb4"])),
		chromedp.SetValue(chromedp.CSS("#standard_id"), fmt.Sprint(std)))
	e.click(`[data-testid="fh-appraisal-record"]`)
	e.waitVisible(`[data-testid="toast-success"]`)
	if got := e.text(`[data-testid="fh-vendor-appraisals"]`); !strings.Contains(got, "数据库工程师SL4") || !strings.Contains(got, "GaussDB高可用与容灾部署") {
		t.Fatalf("the recorded appraisal is not listed: %q", got)
	}

	b := newBrowser(t, env)
	b.login(demo.SLAdmin, demo.DemoPassword)
	b.open("/benefits/fh")
	b.click(`[data-testid="fh-tab-capability_2025"]`)
	b.waitVisible(`[data-testid="fh-appraisals"]`)
	if got := b.text(`[data-testid="fh-appraisals"]`); !strings.Contains(got, "GaussDB高可用与容灾部署") || !strings.Contains(got, "待申请") {
		t.Fatalf("the partner's appraisals: %q", got)
	}
	b.shot("capability")
}

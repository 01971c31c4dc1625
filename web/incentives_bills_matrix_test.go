package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"partnercenter/internal/demo"
)

// incentiveFixture is a bill of 示例云科技 (the demo's performance formed,
// its indicators and bills computed on first use).
func incentiveFixture(t *testing.T, env *testEnv) string {
	t.Helper()
	performanceFixture(t, env)
	if _, err := env.App.svc.Incentive.Compute(t.Context()); err != nil {
		t.Fatal(err)
	}
	var id string
	if err := env.DB.Raw(`SELECT id::text FROM incentive_bills WHERE partner_id = ? ORDER BY period_start DESC, created_at LIMIT 1`,
		env.World.SP).Scan(&id).Error; err != nil || id == "" {
		t.Fatalf("no incentive bill of 示例云科技: %v", err)
	}
	return id
}

// 激励对账: the SP and MD main accounts; a bill of 示例云科技 is a foreign
// object for the master distributor; 确认对账 of a 预估 bill is refused
// (409). 运营看板: 客户看板 and 消费看板 for every partner admin (a cloud
// reseller too, §12.1.9.17) and the 客户经理 members (R57) and sp_finance
// (its role holds no item of them: forbidden); 业绩看板 and 激励看板 for
// the SP and MD. Vendor: 激励公示 for the ecosystem manager of 示例云科技
// and the vendor administrator (an estimate published with no date: 422;
// finalised: 409); policies and definitions for the vendor administrator
// (an empty form: 422; starting an active one: 409).
func init() {
	sp := []string{demo.SPAdmin, demo.MDAdmin}
	bill := func(suffix string) func(*testing.T, *testEnv, string) string {
		return func(t *testing.T, env *testEnv, _ string) string {
			return "/incentives/bills/" + incentiveFixture(t, env) + suffix
		}
	}
	matrixRow("GET /incentives/bills", matrixCase{allow: sp})
	matrixRow("GET /incentives/details", matrixCase{allow: sp})
	matrixRow("GET /incentives/details/export", matrixCase{allow: sp})
	matrixRow("GET /incentives/indicators/export", matrixCase{allow: append(append([]string{}, sp...), demo.SPManager1, demo.SPManager2)})
	matrixRow("GET /incentives/bills/:id", matrixCase{target: bill(""), allow: []string{demo.SPAdmin}, notFound: []string{demo.MDAdmin}})
	matrixRow("POST /incentives/bills/:id/confirm", matrixCase{target: bill("/confirm"), allow: []string{demo.SPAdmin},
		notFound: []string{demo.MDAdmin}})
	// 问题反馈 with no opinion: refused as input (422), nothing submitted.
	matrixRow("POST /incentives/bills/:id/feedback", matrixCase{target: bill("/feedback"), allow: []string{demo.SPAdmin},
		notFound: []string{demo.MDAdmin}})
	matrixRow("POST /incentives/details/:id/feedback", matrixCase{target: func(t *testing.T, env *testEnv, _ string) string {
		incentiveFixture(t, env)
		var id int64
		if err := env.DB.Raw(`SELECT min(id) FROM incentive_details WHERE partner_id = ?`, env.World.SP).Scan(&id).Error; err != nil || id == 0 {
			t.Fatalf("no incentive line of 示例云科技: %v", err)
		}
		return "/incentives/details/" + itoa64(id) + "/feedback"
	}, allow: []string{demo.SPAdmin}, notFound: []string{demo.MDAdmin}})

	matrixRow("GET /incentives/payouts", matrixCase{allow: sp})
	matrixRow("POST /incentives/payouts", matrixCase{allow: sp}) // no key, nothing ticked: refused (422)
	matrixRow("GET /incentives/payouts/applications", matrixCase{allow: sp})
	// The admin's switch (members never hold it): saving it as it is.
	matrixRow("POST /incentives/payouts/auto", matrixCase{allow: sp, form: url.Values{"default_method": {"account"}}})
	matrixRow("GET /incentives/payouts/applications/:id/billing-list", matrixCase{target: func(t *testing.T, env *testEnv, _ string) string {
		var id int64
		if err := env.DB.Raw(`SELECT min(id) FROM payment_applications WHERE partner_id = ? AND needs_invoice`, env.World.SP).Scan(&id).Error; err != nil || id == 0 {
			t.Fatalf("the demo world has no application to invoice: %v", err)
		}
		return "/incentives/payouts/applications/" + itoa64(id) + "/billing-list"
	}, allow: []string{demo.SPAdmin}, notFound: []string{demo.MDAdmin}})
	invoiced := func(suffix string) func(*testing.T, *testEnv, string) string {
		return func(t *testing.T, env *testEnv, _ string) string {
			var id int64
			if err := env.DB.Raw(`SELECT min(id) FROM payment_applications WHERE partner_id = ? AND needs_invoice`, env.World.SP).Scan(&id).Error; err != nil || id == 0 {
				t.Fatalf("the demo world has no application to invoice: %v", err)
			}
			return "/incentives/payouts/applications/" + itoa64(id) + suffix
		}
	}
	matrixRow("GET /incentives/payouts/applications/:id/invoice-guide", matrixCase{target: invoiced("/invoice-guide"),
		allow: []string{demo.SPAdmin}, notFound: []string{demo.MDAdmin}})
	// 录入发票 with an empty form: refused as input (422) for the owner.
	matrixRow("POST /incentives/payouts/applications/:id/invoices", matrixCase{target: invoiced("/invoices"),
		allow: []string{demo.SPAdmin}, notFound: []string{demo.MDAdmin}})
	// Each call deletes an invoice entered for it on the demo's application
	// that waits for its invoices.
	matrixRow("POST /incentives/payouts/applications/:id/invoices/:invoice/delete", matrixCase{target: func(t *testing.T, env *testEnv, _ string) string {
		var app int64
		if err := env.DB.Raw(`SELECT min(id) FROM payment_applications WHERE partner_id = ? AND status = 'awaiting_invoice'`, env.World.SP).
			Scan(&app).Error; err != nil || app == 0 {
			t.Fatalf("the demo world has no application waiting for invoices: %v", err)
		}
		var inv int64
		if err := env.DB.Raw(`INSERT INTO incentive_invoices (application_id, partner_id, invoice_no, amount, tax_rate, type, content, entered_at)
			VALUES (?, ?, 'MX' || lpad((floor(random() * 1e12))::bigint::text, 12, '0'), 0.01, 6, 'special', '信息技术服务-技术服务费', now()) RETURNING id`,
			app, env.World.SP).Scan(&inv).Error; err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { env.DB.Exec(`DELETE FROM incentive_invoices WHERE id = ?`, inv) })
		return "/incentives/payouts/applications/" + itoa64(app) + "/invoices/" + itoa64(inv) + "/delete"
	}, allow: []string{demo.SPAdmin}, notFound: []string{demo.MDAdmin}})
	financeOnly := []string{demo.VendorFinance}
	matrixRow("GET /finance/incentives", matrixCase{allow: financeOnly})
	application := func(suffix string) func(*testing.T, *testEnv, string) string {
		return func(t *testing.T, env *testEnv, _ string) string {
			var id int64
			if err := env.DB.Raw(`SELECT min(id) FROM payment_applications WHERE partner_id = ?`, env.World.SP).Scan(&id).Error; err != nil || id == 0 {
				t.Fatalf("the demo world has no payment application: %v", err)
			}
			return "/finance/incentives/" + itoa64(id) + suffix
		}
	}
	why := "vendor finance handles every partner's payment applications"
	matrixRow("POST /finance/incentives/:id/invoice", matrixCase{target: application("/invoice"), allow: financeOnly, unscoped: why})
	matrixRow("POST /finance/incentives/:id/pay", matrixCase{target: application("/pay"), allow: financeOnly, unscoped: why})
	matrixRow("POST /finance/incentives/:id/reject", matrixCase{target: application("/reject"), allow: financeOnly, unscoped: why})

	boards := append(append([]string{}, partnerAdmins...), demo.SPManager1, demo.SPManager2)
	matrixRow("GET /sales/dashboards/customers", matrixCase{allow: boards})
	matrixRow("GET /sales/dashboards/consumption", matrixCase{allow: boards})
	matrixRow("GET /sales/dashboards/performance", matrixCase{allow: append(append([]string{}, sp...), demo.SPManager1, demo.SPManager2)})
	matrixRow("GET /sales/dashboards/incentives", matrixCase{allow: sp})

	desk := func(suffix string) func(*testing.T, *testEnv, string) string {
		return func(t *testing.T, env *testEnv, _ string) string {
			return "/partners/incentives/" + incentiveFixture(t, env) + suffix
		}
	}
	matrixRow("GET /partners/incentives", matrixCase{allow: vendorStaff})
	matrixRow("GET /partners/incentives/:id", matrixCase{target: desk(""), allow: vendorStaff,
		unscoped: "示例云科技's ecosystem manager is eco_manager, the only ecosystem manager with the item among the accounts"})
	matrixRow("POST /partners/incentives/:id/publish", matrixCase{target: desk("/publish"), allow: vendorStaff,
		form: url.Values{"ends_on": {""}}, unscoped: "as GET /partners/incentives/:id"})
	matrixRow("POST /partners/incentives/:id/finalize", matrixCase{target: desk("/finalize"), allow: vendorStaff,
		unscoped: "as GET /partners/incentives/:id"})
	admin := []string{demo.VendorAdmin}
	matrixRow("GET /partners/incentive-policies", matrixCase{allow: admin})
	matrixRow("POST /partners/incentive-policies", matrixCase{allow: admin})
	policy := func(t *testing.T, env *testEnv, _ string) string {
		var id int64
		if err := env.DB.Raw(`SELECT id FROM incentive_policies WHERE active ORDER BY id LIMIT 1`).Scan(&id).Error; err != nil || id == 0 {
			t.Fatalf("no active policy: %v", err)
		}
		return "/partners/incentive-policies/" + itoa64(id) + "/active"
	}
	matrixRow("POST /partners/incentive-policies/:id/active", matrixCase{target: policy, allow: admin, form: url.Values{"active": {"true"}},
		unscoped: "policies are the vendor's, not a partner's"})
	matrixRow("GET /partners/indicator-definitions", matrixCase{allow: admin})
	matrixRow("POST /partners/indicator-definitions", matrixCase{allow: admin})
	definition := func(t *testing.T, env *testEnv, _ string) string {
		var id int64
		if err := env.DB.Raw(`SELECT id FROM indicator_definitions WHERE active ORDER BY id LIMIT 1`).Scan(&id).Error; err != nil || id == 0 {
			t.Fatalf("no active definition: %v", err)
		}
		return "/partners/indicator-definitions/" + itoa64(id) + "/active"
	}
	matrixRow("POST /partners/indicator-definitions/:id/active", matrixCase{target: definition, allow: admin,
		form: url.Values{"active": {"true"}}, unscoped: "definitions are the vendor's, not a partner's"})
}

// 激励明细 > 导出 and 指标信息 > 导出: the published bill's lines of 示例云科技
// with their 8-place amounts; the master distributor's export holds none
// of them; the indicators' export lists the page's indicators.
func TestIncentiveExportsListTheTenantsRows(t *testing.T) {
	env := newEnv(t)
	incentiveFixture(t, env)
	var id string
	var lines int64
	if err := env.DB.Raw(`SELECT id::text, lines FROM incentive_bills WHERE partner_id = ? AND lines > 0 ORDER BY period_start LIMIT 1`,
		env.World.SP).Row().Scan(&id, &lines); err != nil {
		t.Fatalf("the demo world has no published bill of 示例云科技: %v", err)
	}
	rows := xlsxRows(t, env.as(t, demo.SPAdmin).get("/incentives/details/export?bill="+id).Body)
	if len(rows) < 2 || rows[0][0] != "激励账单ID" || int64(len(rows)-1) != lines || rows[1][0] != id {
		t.Fatalf("export of %s (%d lines): %v", id, lines, rows[:min(len(rows), 3)])
	}
	if last := rows[1][len(rows[1])-1]; len(last) < 10 || last[len(last)-9] != '.' {
		t.Errorf("line incentive %q keeps 8 places", last)
	}
	if md := xlsxRows(t, env.as(t, demo.MDAdmin).get("/incentives/details/export?bill="+id).Body); len(md) != 1 {
		t.Fatalf("the master distributor exports 示例云科技's lines: %d rows", len(md)-1)
	}
	ind := xlsxRows(t, env.as(t, demo.SPAdmin).get("/incentives/indicators/export").Body)
	if len(ind) < 2 || ind[0][0] != "指标名称" {
		t.Fatalf("indicators export: %v", ind[:min(len(ind), 2)])
	}
}

// 问题反馈 on an incentive bill goes to the ecosystem manager as an
// application; on a confirmed bill it is refused with the sentence.
func TestIncentiveFeedbackOpenUntilConfirmed(t *testing.T) {
	env := newEnv(t)
	incentiveFixture(t, env)
	var open, confirmed string
	env.DB.Raw(`SELECT id::text FROM incentive_bills WHERE partner_id = ? AND status <> 'confirmed' ORDER BY created_at LIMIT 1`, env.World.SP).Scan(&open)
	env.DB.Raw(`SELECT id::text FROM incentive_bills WHERE partner_id = ? AND status = 'confirmed' ORDER BY created_at LIMIT 1`, env.World.SP).Scan(&confirmed)
	if open == "" || confirmed == "" {
		t.Fatalf("the demo world has an open (%q) and a confirmed (%q) bill of 示例云科技", open, confirmed)
	}
	sp := env.as(t, demo.SPAdmin)
	r := sp.post("/incentives/bills/"+open+"/feedback", url.Values{"opinion": {"本季度门槛指标少计了一笔订单。"}})
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/applications/") {
		t.Fatalf("feedback: %d %s", r.Status, r.Location)
	}
	if app := sp.get(r.Location); !strings.Contains(app.doc(t).Find(`[data-testid="payload"]`).Text(), "少计了一笔订单") {
		t.Fatal("the feedback's page shows the opinion")
	}
	r = sp.post("/incentives/bills/"+confirmed+"/feedback", url.Values{"opinion": {"再核对一次"}})
	if r.Status != http.StatusConflict || !strings.Contains(r.doc(t).Text(), "该激励账单已确认对账") {
		t.Fatalf("feedback on a confirmed bill: %d", r.Status)
	}
}

// A former solution provider's expired incentive is explained on 激励申请
// (§12.1.5.35): the demo's +200 expired against −600, both recorded as
// 已失效, and the −400 left waits to be netted by a future application.
func TestExpiredIncentivesAreExplained(t *testing.T) {
	env := newEnv(t)
	body := env.as(t, demo.TXAdmin).get("/incentives/payouts").Body
	if n := strings.Count(body, `data-testid="netting-row" data-status="expired"`); n != 2 {
		t.Fatalf("%d expired records shown, want 2", n)
	}
	for _, want := range []string{`data-amount="200.00"`, `data-amount="-600.00"`, `data-testid="payout-item" data-amount="-400.00"`, "冲抵后生成新的负向激励"} {
		if !strings.Contains(body, want) {
			t.Errorf("激励申请 lacks %q", want)
		}
	}
}

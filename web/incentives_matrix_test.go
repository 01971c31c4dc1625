package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"partnercenter/internal/demo"
	"partnercenter/internal/export"
)

// performanceFixture is a formed record and a draft summary of 示例云科技
// (the demo's consumption is formed on first use).
func performanceFixture(t *testing.T, env *testEnv) (record, summary int64) {
	t.Helper()
	if _, err := env.App.svc.Performance.Form(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.svc.Performance.ComputeIndicators(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := env.DB.Raw(`SELECT id FROM performance_records WHERE partner_id = ? ORDER BY id LIMIT 1`, env.World.SP).Scan(&record).Error; err != nil || record == 0 {
		t.Fatalf("no performance record of 示例云科技: %v", err)
	}
	if err := env.DB.Raw(`INSERT INTO performance_summaries (partner_id, period, status) VALUES (?, ?, 'draft')
		ON CONFLICT (partner_id, period) DO UPDATE SET updated_at = now() RETURNING id`,
		env.World.CR, time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)).Scan(&summary).Error; err != nil {
		t.Fatal(err)
	}
	return record, summary
}

// managedRecord is a formed record of 示例云科技 whose customer the member
// manages.
func managedRecord(t *testing.T, env *testEnv, login string) int64 {
	t.Helper()
	performanceFixture(t, env)
	var id int64
	if err := env.DB.Raw(`SELECT r.id FROM performance_records r JOIN users u ON u.id = r.manager_user_id
		WHERE r.partner_id = ? AND u.login_name = ? ORDER BY r.id LIMIT 1`, env.World.SP, login).Scan(&id).Error; err != nil || id == 0 {
		t.Fatalf("no record of a customer %s manages: %v", login, err)
	}
	return id
}

// 激励 > 业绩管理: the SP and MD main accounts (members hold no item by
// default); a cloud reseller has no 激励 (§12.3.4); the record of
// 示例云科技 is a foreign object for the master distributor. 业绩公示: the
// vendor; 杭州云启's summary is looked after by eco_manager2 (404 for
// eco_manager); an allowed publish with no date is refused (422).
func init() {
	sp := []string{demo.SPAdmin, demo.MDAdmin}
	// The preset 客户经理 reads 业绩 in its scope (its customers' rows).
	spAndManagers := append(append([]string{}, sp...), demo.SPManager1, demo.SPManager2)
	matrixRow("GET /incentives/performance", matrixCase{allow: spAndManagers})
	matrixRow("GET /incentives/performance/records", matrixCase{allow: spAndManagers})
	matrixRow("GET /incentives/performance/records/:id", matrixCase{target: func(t *testing.T, env *testEnv, _ string) string {
		return fmt.Sprintf("/incentives/performance/records/%d", managedRecord(t, env, demo.SPManager1))
	}, allow: []string{demo.SPAdmin, demo.SPManager1}, notFound: []string{demo.MDAdmin, demo.SPManager2}})
	// 问题反馈 with no opinion: refused as input (422), nothing submitted.
	matrixRow("POST /incentives/performance/:id/feedback", matrixCase{target: func(t *testing.T, env *testEnv, _ string) string {
		r, _ := performanceFixture(t, env)
		var s int64
		if err := env.DB.Raw(`SELECT summary_id FROM performance_records WHERE id = ?`, r).Scan(&s).Error; err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("/incentives/performance/%d/feedback", s)
	}, allow: []string{demo.SPAdmin}, notFound: []string{demo.MDAdmin}})
	matrixRow("POST /incentives/performance/records/:id/feedback", matrixCase{target: func(t *testing.T, env *testEnv, _ string) string {
		r, _ := performanceFixture(t, env)
		return fmt.Sprintf("/incentives/performance/records/%d/feedback", r)
	}, allow: []string{demo.SPAdmin}, notFound: []string{demo.MDAdmin}})
	matrixRow("GET /incentives/performance/export", matrixCase{allow: spAndManagers})
	matrixRow("GET /incentives/indicators", matrixCase{allow: spAndManagers})
	matrixRow("GET /partners/performance", matrixCase{allow: vendorStaff})
	summary := func(suffix string) func(*testing.T, *testEnv, string) string {
		return func(t *testing.T, env *testEnv, _ string) string {
			_, s := performanceFixture(t, env)
			return fmt.Sprintf("/partners/performance/%d/%s", s, suffix)
		}
	}
	matrixRow("POST /partners/performance/:id/publish", matrixCase{target: summary("publish"), allow: []string{demo.VendorAdmin},
		notFound: []string{demo.EcoManager}, form: url.Values{"ends_on": {""}}})
	matrixRow("POST /partners/performance/:id/finalize", matrixCase{target: summary("finalize"), allow: []string{demo.VendorAdmin},
		notFound: []string{demo.EcoManager}})
}

// 业绩明细 > 导出 (§12.2.1 步骤6, G§3.1.3): 导出当前记录 is an export task
// (导出任务创建成功) whose file holds the formed lines of 示例云科技, each
// with its 业绩单ID; the master distributor's holds none of them.
// 按业绩形成时间导出 needs both dates of its 选择导出条件 form, in order:
// without them the page says so and no task is made.
func TestPerformanceExportListsTheTenantsRecords(t *testing.T) {
	env := newEnv(t)
	record, _ := performanceFixture(t, env)
	sp := env.as(t, demo.SPAdmin)
	rows := xlsxRows(t, exportTask(t, env, sp, "/incentives/performance/export", export.KindPerformance, "导出任务创建成功"))
	found := false
	for _, row := range rows[1:] {
		if len(row) > 1 && row[0] == fmt.Sprint(record) && strings.HasPrefix(row[1], "YJ") {
			found = true
		}
	}
	if len(rows) < 2 || rows[0][0] != "业绩ID" || !found {
		t.Fatalf("export rows %v lack record %d", rows[:min(len(rows), 3)], record)
	}
	md := env.as(t, demo.MDAdmin)
	for _, row := range xlsxRows(t, exportTask(t, env, md, "/incentives/performance/export", export.KindPerformance, "导出任务创建成功"))[1:] {
		if len(row) > 0 && row[0] == fmt.Sprint(record) {
			t.Fatal("the master distributor exports 示例云科技's record")
		}
	}

	var tasks int64
	env.DB.Table("export_tasks").Where("kind = ?", export.KindPerformance).Count(&tasks)
	for _, q := range []string{"", "&export_from=2026-01-01", "&export_from=2026-02-01&export_to=2026-01-01", "&export_from=x&export_to=y"} {
		r := sp.get("/incentives/performance/export?by=time" + q)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "请选择业绩形成时间的起止日期") {
			t.Fatalf("by time %q: %d, want the refusal in the page", q, r.Status)
		}
	}
	var after int64
	env.DB.Table("export_tasks").Where("kind = ?", export.KindPerformance).Count(&after)
	if after != tasks {
		t.Fatalf("a refused export made %d tasks", after-tasks)
	}
	var formed string
	env.DB.Raw(`SELECT to_char(formed_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') FROM performance_records WHERE id = ?`, record).Scan(&formed)
	byTime := xlsxRows(t, exportTask(t, env, sp, "/incentives/performance/export?by=time&export_from="+formed+"&export_to="+formed,
		export.KindPerformance, "导出任务创建成功"))
	found = false
	for _, row := range byTime[1:] {
		found = found || row[0] == fmt.Sprint(record)
	}
	if !found {
		t.Fatalf("按业绩形成时间导出 of %s lacks record %d", formed, record)
	}
}

// 二级经销商 (§12.2.1): the master distributor filters 业绩明细 by its
// reseller; 杭州云启's lines are its master distributor's.
func TestMasterDistributorFiltersPerformanceByReseller(t *testing.T) {
	env := newEnv(t)
	performanceFixture(t, env)
	md := env.as(t, demo.MDAdmin)
	r := md.get(fmt.Sprintf("/incentives/performance/records?reseller=%d", env.World.CR))
	if r.Status != http.StatusOK {
		t.Fatalf("filter: %d", r.Status)
	}
	doc := r.doc(t)
	if doc.Find(`select[name="reseller"] option`).Length() < 2 {
		t.Fatal("the reseller filter lists the master distributor's resellers")
	}
	var n int64
	env.DB.Raw(`SELECT count(*) FROM performance_records WHERE partner_id = ? AND reseller_partner_id = ?`, env.World.MD, env.World.CR).Scan(&n)
	if n == 0 {
		t.Fatal("the demo's reseller has no performance for its master distributor")
	}
	if got := int64(doc.Find(`[data-testid="record-row"]`).Length()); got != min(n, 20) {
		t.Fatalf("rows %d, want %d of the reseller", got, min(n, 20))
	}
	if env.as(t, demo.SPAdmin).get("/incentives/performance/records").doc(t).Find(`select[name="reseller"]`).Length() != 0 {
		t.Fatal("a solution provider has no reseller filter")
	}
}

// 指标信息 lists the indicators computed from 示例云科技's performance,
// with details for those formed directly from it (§12.1.8.2).
func TestIndicatorsPageListsTheTenantsIndicators(t *testing.T) {
	env := newEnv(t)
	performanceFixture(t, env)
	doc := env.as(t, demo.SPAdmin).get("/incentives/indicators").doc(t)
	if doc.Find(`[data-testid="indicator-row"]`).Length() == 0 {
		t.Fatal("no indicators for 示例云科技")
	}
	if !strings.Contains(doc.Find(`[data-testid="indicator-row"]`).First().Text(), "自动计算") {
		t.Error("统计方式 is 自动计算")
	}
}

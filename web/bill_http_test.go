package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/xuri/excelize/v2"

	"partnercenter/internal/bill/billtest"
	"partnercenter/internal/demo"
	"partnercenter/internal/export"
	"partnercenter/internal/identity"
	"partnercenter/internal/platform/dbtest"
	"partnercenter/internal/platform/jobs"
)

// startBillWorkers runs a real River client with the export workers for
// the test; it stops when the test ends (so no background writes reach
// later tests' table digests).
func startBillWorkers(t *testing.T, env *testEnv) {
	t.Helper()
	c, err := jobs.Start(context.Background(), dbtest.URL(), env.App.Workers(), jobs.Config{PollInterval: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	env.App.Jobs = c
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		_ = c.Stop(ctx)
		env.App.Jobs = nil
	})
}

// billTenant is a fresh solution provider with a main account that signs
// in with the demo password and customers: tests own their bill.
func billTenant(t *testing.T, env *testEnv, customers int) (*billtest.Tenant, string) {
	t.Helper()
	tn := billtest.NewTenant(t, env.DB, customers)
	hash, err := identity.HashPassword(demo.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	login := fmt.Sprintf("billadmin%d", tn.ID)
	if err := env.DB.Exec(`UPDATE users SET login_name = ?, password_hash = ? WHERE id = ?`, login, hash, tn.UserID).Error; err != nil {
		t.Fatal(err)
	}
	if err := env.DB.Exec(`INSERT INTO partner_identities (partner_id, identity) VALUES (?, 'solution_provider')`, tn.ID).Error; err != nil {
		t.Fatal(err)
	}
	return tn, login
}

func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

// TestPartnerBillOverviewFormula (§12.1.9.8): the seed's example — ¥3.64
// of 云硬盘 paid in cash and ¥0.00 of 云审计服务 — reads
// "¥3.64 = 3.64 + 0.00 + 0.00 + 0.00"; refunds, adjustments and 抹零 are
// shown; the tabs list each bill type aggregated by product type.
func TestPartnerBillOverviewFormula(t *testing.T) {
	env := newEnv(t)
	tn, login := billTenant(t, env, 2)
	billtest.Insert(t, env.DB, tn.ID,
		billtest.Row{Customer: tn.Customers[0], Period: "2024-06", Product: "云硬盘", ListPrice: "3.64"},
		billtest.Row{Customer: tn.Customers[0], Period: "2024-06", Product: "云审计服务", ListPrice: "0"},
		billtest.Row{Customer: tn.Customers[1], Period: "2024-05", Product: "云硬盘", ListPrice: "10.00"},
	)
	c := env.as(t, login)
	r := c.get("/billing/bill")
	if r.Status != http.StatusOK {
		t.Fatalf("status %d", r.Status)
	}
	d := r.doc(t)
	if got := squash(d.Find(`[data-testid="bill-formula"]`).Text()); got != "¥3.64 = 3.64 + 0.00 + 0.00 + 0.00" {
		t.Fatalf("formula %q (the latest period, 2024-06, is the default)", got)
	}
	if n := d.Find(`[data-testid="period-select"] option`).Length(); n != 2 {
		t.Fatalf("%d periods in the picker, want 2", n)
	}
	if n := d.Find(`[data-testid="bill-line"]`).Length(); n != 2 {
		t.Fatalf("%d consumption lines, want 2 (云硬盘, 云审计服务)", n)
	}
	if n := d.Find(`[data-testid="bill-bar"]`).Length(); n != 2 {
		t.Fatalf("%d chart bars", n)
	}
	if !strings.Contains(r.Body, "导出账单(pdf)") || !strings.Contains(r.Body, "导出账单明细(xlsx)") {
		t.Fatal("export buttons missing")
	}

	billtest.Insert(t, env.DB, tn.ID,
		billtest.Row{Customer: tn.Customers[1], Period: "2024-06", Type: "refund", Product: "云硬盘", ListPrice: "-1.20"},
		billtest.Row{Customer: tn.Customers[1], Period: "2024-06", Type: "adjustment", Product: "云硬盘", ListPrice: "0.04599822"},
	)
	d = c.get("/billing/bill?period=2024-06&tab=refund").doc(t)
	if got := squash(d.Find(`[data-testid="bill-formula"]`).Text()); got != "¥2.48 = 2.48 + 0.00 + 0.00 + 0.00" {
		t.Fatalf("formula with a refund and an adjustment: %q", got)
	}
	if got := d.Find(`[data-testid="bill-refunds"]`).Text(); got != "-¥1.20" {
		t.Fatalf("refunds %q", got)
	}
	if got := d.Find(`[data-testid="bill-rounding"]`).Text(); got != "¥0.00599822" {
		t.Fatalf("抹零 %q", got)
	}
	if got := d.Find(`[data-testid="bill-line"] [data-testid="line-amount"]`).Text(); got != "-1.20" {
		t.Fatalf("refund tab amount %q", got)
	}
	d = c.get("/billing/bill?period=2024-05").doc(t)
	if got := squash(d.Find(`[data-testid="bill-formula"]`).Text()); got != "¥10.00 = 10.00 + 0.00 + 0.00 + 0.00" {
		t.Fatalf("2024-05 formula %q", got)
	}
}

// TestBillCustomerSummaryFiltersAndPager: 消费汇总 has one row per customer
// and association type, a pager past 20 rows and a working mode filter.
func TestBillCustomerSummaryFiltersAndPager(t *testing.T) {
	env := newEnv(t)
	tn, login := billTenant(t, env, 23)
	for i, cid := range tn.Customers {
		mode := "resale"
		if i%5 == 0 {
			mode = "consulting"
		}
		billtest.Insert(t, env.DB, tn.ID, billtest.Row{Customer: cid, Mode: mode, Period: "2024-08", Product: "云硬盘", ListPrice: fmt.Sprintf("%d.50", i+1)})
	}
	c := env.as(t, login)
	d := c.get("/billing/bill/customers?period=2024-08").doc(t)
	if n := d.Find(`[data-testid="bill-customer"]`).Length(); n != 20 {
		t.Fatalf("%d rows on page 1", n)
	}
	if got := d.Find(`[data-testid="bill-customer"] [data-testid="customer-amount"]`).First().Text(); got != "23.50" {
		t.Fatalf("largest first: %q", got)
	}
	d = c.get("/billing/bill/customers?period=2024-08&page=2").doc(t)
	if n := d.Find(`[data-testid="bill-customer"]`).Length(); n != 3 {
		t.Fatalf("%d rows on page 2", n)
	}
	d = c.get("/billing/bill/customers?period=2024-08&mode=consulting").doc(t)
	if n := d.Find(`[data-testid="bill-customer"][data-mode="consulting"]`).Length(); n != 5 || d.Find(`[data-testid="bill-customer"]`).Length() != 5 {
		t.Fatalf("consulting filter: %d rows", n)
	}
}

var exportIDInHTML = regexp.MustCompile(`id="export-(\d+)"`)

// TestExportFromBillEndToEnd (§12.1.9.9): 导出账单明细(xlsx) answers
// 导出任务创建成功; the task appears in 导出记录 polling its progress; the
// real worker finishes it; 下载 returns the xlsx with its Chinese file
// name, and it opens with every line.
func TestExportFromBillEndToEnd(t *testing.T) {
	env := newEnv(t)
	tn, login := billTenant(t, env, 3)
	billtest.Generate(t, env.DB, tn.ID, tn.Customers, "2024-09", 2500)
	c := env.as(t, login)
	c.get("/billing/bill")
	r := c.post("/billing/bill/export", url.Values{"kind": {"bill_detail_xlsx"}, "period": {"2024-09"}})
	if r.Status != http.StatusSeeOther || r.Location != "/billing/bill?period=2024-09" {
		t.Fatalf("export: %d %s", r.Status, r.Location)
	}
	if page := c.get(r.Location); !strings.Contains(page.Body, "导出任务创建成功") {
		t.Fatal("no 导出任务创建成功 toast")
	}
	list := c.get("/billing/exports")
	m := exportIDInHTML.FindStringSubmatch(list.Body)
	if m == nil {
		t.Fatal("the task is not in 导出记录")
	}
	id := m[1]
	row := list.doc(t).Find(`#export-` + id)
	if trig, _ := row.Attr("hx-trigger"); trig != "every 1s" {
		t.Fatalf("a queued task does not poll: hx-trigger=%q", trig)
	}
	if row.Find(`[data-testid="export-download"]`).Length() != 0 {
		t.Fatal("下载 offered before 已完成")
	}
	if dl := c.get("/billing/exports/" + id + "/download"); dl.Status != http.StatusConflict {
		t.Fatalf("download before done: %d", dl.Status)
	}

	startBillWorkers(t, env)
	deadline := time.Now().Add(60 * time.Second)
	for {
		p := c.htmx(http.MethodGet, "/billing/exports/"+id+"/progress", nil)
		if p.Status != http.StatusOK {
			t.Fatalf("progress: %d", p.Status)
		}
		// The fragment is a bare <tr>: parse it inside a table.
		pd, err := goquery.NewDocumentFromReader(strings.NewReader("<table><tbody>" + p.Body + "</tbody></table>"))
		if err != nil {
			t.Fatal(err)
		}
		if st, _ := pd.Find(`tr`).Attr("data-status"); st == "done" {
			if _, polls := pd.Find(`tr`).Attr("hx-trigger"); polls {
				t.Fatal("a done task keeps polling")
			}
			if got := pd.Find(`[data-testid="export-pct"]`).Text(); got != "100%" {
				t.Fatalf("done at %s", got)
			}
			if pd.Find(`[data-testid="export-download"]`).Length() != 1 {
				t.Fatal("no 下载 once 已完成")
			}
			break
		}
		if time.Now().After(deadline) {
			var diag []struct {
				State  string
				Errors *string
			}
			env.DB.Raw(`SELECT state::text, errors::text FROM river_job WHERE kind = 'export_bill' AND args->>'task_id' = ?`, id).Scan(&diag)
			t.Fatalf("the export did not finish; jobs: %+v", diag)
		}
		time.Sleep(100 * time.Millisecond)
	}
	dl := c.get("/billing/exports/" + id + "/download")
	if dl.Status != http.StatusOK || dl.Header.Get("Content-Type") != export.ContentTypeXLSX {
		t.Fatalf("download: %d %s", dl.Status, dl.Header.Get("Content-Type"))
	}
	cd := dl.Header.Get("Content-Disposition")
	if !strings.Contains(cd, `filename*=UTF-8''`+url.PathEscape("伙伴账单明细_2024-09.xlsx")) {
		t.Fatalf("content-disposition %q", cd)
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(dl.Body)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows(f.GetSheetName(0))
	if len(rows) != 2501 || rows[0][7] != "产品类型" {
		t.Fatalf("%d rows, header %v", len(rows), rows[0])
	}
}

// TestExportsOfAnotherTenantAre404: md_admin can neither poll nor
// download 示例云科技's task, and its 导出记录 does not list it.
func TestExportsOfAnotherTenantAre404(t *testing.T) {
	env := newEnv(t)
	var id int64
	env.DB.Raw(`SELECT id FROM export_tasks WHERE partner_id = ? ORDER BY id LIMIT 1`, env.World.SP).Scan(&id)
	md := env.as(t, demo.MDAdmin)
	for _, p := range []string{"progress", "download"} {
		if r := md.get(fmt.Sprintf("/billing/exports/%d/%s", id, p)); r.Status != http.StatusNotFound {
			t.Errorf("%s as md_admin: %d", p, r.Status)
		}
	}
	if strings.Contains(md.get("/billing/exports").Body, fmt.Sprintf(`id="export-%d"`, id)) {
		t.Fatal("md_admin lists 示例云科技's export")
	}
}

// TestExportRecordsShowEveryState: the demo's 导出记录 has 已完成 rows with
// 下载 and 失败 with its message and no download; an export just asked for
// (no worker runs in this test, its job waits) is 排队中 and polls its
// progress without a download.
func TestExportRecordsShowEveryState(t *testing.T) {
	env := newEnv(t)
	c := env.as(t, demo.SPAdmin)
	var period string
	env.DB.Raw(`SELECT to_char(max(billing_period), 'YYYY-MM') FROM consumption_records WHERE partner_id = ?`, env.World.SP).Scan(&period)
	if r := c.post("/billing/bill/export", url.Values{"kind": {"bill_detail_csv"}, "period": {period}}); r.Status != http.StatusSeeOther {
		t.Fatalf("export: %d", r.Status)
	}
	d := c.get("/billing/exports").doc(t)
	done := d.Find(`[data-testid="export-row"][data-status="done"]`)
	if done.Length() < 2 || done.Find(`[data-testid="export-download"]`).Length() != done.Length() {
		t.Fatalf("done rows %d", done.Length())
	}
	running := d.Find(`[data-testid="export-row"][data-status="queued"]`).First()
	if trig, _ := running.Attr("hx-trigger"); running.Length() != 1 || trig != "every 1s" || running.Find(`[data-testid="export-pct"]`).Text() != "0%" {
		t.Fatalf("queued row: %d %q", running.Length(), trig)
	}
	failed := d.Find(`[data-testid="export-row"][data-status="failed"]`)
	if failed.Length() != 1 || !strings.Contains(failed.Find(`[data-testid="export-status"]`).Text(), "失败") ||
		failed.Find(`[data-testid="export-error"]`).Text() == "" || failed.Find(`[data-testid="export-download"]`).Length() != 0 {
		t.Fatal("failed row")
	}
	if running.Find(`[data-testid="export-download"]`).Length() != 0 {
		t.Fatal("a queued export offers 下载")
	}
}

// TestCustomerManagerNeverSeesThePartnerBill (§7.1.4): the preset 客户经理
// is refused the bill and its exports and has no 伙伴账单 in the menu; a
// cloud reseller's 账务 is 资金管理 only (§12.1.9.17).
func TestCustomerManagerNeverSeesThePartnerBill(t *testing.T) {
	env := newEnv(t)
	for _, acc := range []string{demo.SPManager1, demo.SPManager2, demo.CRAdmin} {
		c := env.as(t, acc)
		for _, p := range []string{"/billing/bill", "/billing/bill/customers", "/billing/exports"} {
			if r := c.get(p); r.Status != http.StatusForbidden {
				t.Errorf("%s %s: %d", acc, p, r.Status)
			}
		}
		home := c.get("/")
		if home.doc(t).Find(`a[href="/billing/bill"]`).Length() != 0 {
			t.Errorf("%s has a 伙伴账单 link", acc)
		}
	}
}

var untranslatedBillKey = regexp.MustCompile(`\b(bill|export)\.[a-z_]+`)

// TestBillPagesInEnglish: the bill, 消费汇总 and 导出记录 are complete in
// en-US (no catalog key shows) and in zh-CN.
func TestBillPagesInEnglish(t *testing.T) {
	env := newEnv(t)
	for _, lang := range []string{"en-US", "zh-CN"} {
		c := env.as(t, demo.SPAdmin)
		c.post("/locale", url.Values{"lang": {lang}})
		for _, p := range []string{"/billing/bill", "/billing/bill/customers", "/billing/exports", "/billing/bill?tab=refund"} {
			r := c.get(p)
			if r.Status != http.StatusOK {
				t.Fatalf("%s %s: %d", lang, p, r.Status)
			}
			if k := untranslatedBillKey.FindString(r.doc(t).Find("body").Text()); k != "" {
				t.Errorf("%s %s shows the key %s", lang, p, k)
			}
		}
		if lang == "en-US" && !strings.Contains(c.get("/billing/exports").Body, "Export records") {
			t.Error("导出记录 is not in English")
		}
	}
}

package web

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/riverqueue/river"

	"partnercenter/internal/consumption"
	"partnercenter/internal/demo"
	"partnercenter/internal/platform/dbtest"
	"partnercenter/internal/platform/jobs"
)

// The demo's consumption went through the import: the seed's EVS example
// (§12.1.9.14) shows charged ¥0.04 with 抹零 ¥0.00599822 in 消费明细.
func TestConsumptionDetailsShowTheChargeInFenAndTheRoundingOff(t *testing.T) {
	env := newEnv(t)
	c := env.as(t, demo.SPAdmin)
	var period string
	env.DB.Raw(`SELECT to_char(billing_period, 'YYYY-MM') FROM consumption_records r
		WHERE partner_id = (SELECT partner_id FROM users WHERE login_name = ?) AND amount_payable = 0.04599822 LIMIT 1`, demo.SPAdmin).Scan(&period)
	if period == "" {
		t.Fatal("the demo has no line rated 0.04599822")
	}
	r := c.get("/customers/consumption/details?period=" + period + "&customer=")
	if r.Status != http.StatusOK {
		t.Fatalf("status %d", r.Status)
	}
	found := false
	r.doc(t).Find(`[data-testid="detail-row"]`).Each(func(_ int, s *goquery.Selection) {
		txt := s.Text()
		if strings.Contains(txt, "¥0.04599822") && strings.Contains(txt, "¥0.00599822") && strings.Contains(txt, "¥0.04") {
			found = true
		}
	})
	if !found {
		// The line may be on a later page: filter to on-demand EVS lines.
		r = c.get("/customers/consumption/details?period=" + period + "&bill_type=consumption&page=1")
		found = strings.Contains(r.Body, "¥0.00599822")
	}
	if !found {
		t.Error("no detail row shows payable 0.04599822, charged 0.04 and 抹零 0.00599822")
	}
}

// A 客户经理 sees only its customers' consumption (seed 003 §7.1.4).
func TestCustomerManagerSeesOnlyItsCustomersConsumption(t *testing.T) {
	env := newEnv(t)
	admin := env.as(t, demo.SPAdmin).get("/customers/consumption")
	mgr := env.as(t, demo.SPManager1).get("/customers/consumption")
	if admin.Status != http.StatusOK || mgr.Status != http.StatusOK {
		t.Fatalf("status %d / %d", admin.Status, mgr.Status)
	}
	var mine, all int64
	env.DB.Raw(`SELECT count(DISTINCT r.customer_id) FROM consumption_records r
		JOIN associations a ON a.customer_id = r.customer_id AND a.status = 'active' AND a.partner_id = r.partner_id
		JOIN users u ON u.id = a.manager_user_id
		WHERE u.login_name = ? AND r.billing_period = (SELECT max(billing_period) FROM consumption_records WHERE partner_id = r.partner_id)`,
		demo.SPManager1).Scan(&mine)
	env.DB.Raw(`SELECT count(DISTINCT (customer_id, mode)) FROM consumption_records r WHERE partner_id = (SELECT partner_id FROM users WHERE login_name = ?)
		AND billing_period = (SELECT max(billing_period) FROM consumption_records WHERE partner_id = r.partner_id)`, demo.SPAdmin).Scan(&all)
	rowsOf := func(r *response) int { return r.doc(t).Find(`[data-testid="summary-row"]`).Length() }
	if got := rowsOf(mgr); int64(got) != mine || mine == 0 {
		t.Errorf("manager sees %d customers, manages %d with consumption", got, mine)
	}
	if got := rowsOf(admin); int64(got) != min(all, 20) || all <= mine {
		t.Errorf("admin sees %d rows, tenant has %d (manager %d)", got, all, mine)
	}
}

// startImportWorkers runs a real River client with the consumption import
// worker until the test ends.
func startImportWorkers(t *testing.T, env *testEnv) {
	t.Helper()
	ws := river.NewWorkers()
	consumption.AddWorkers(ws, consumption.Importer{DB: env.DB})
	c, err := jobs.Start(context.Background(), dbtest.URL(), ws, jobs.Config{PollInterval: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		_ = c.Stop(ctx)
	})
}

// waitImport polls the report page until the import has finished.
func waitImport(t *testing.T, c *client, path string) *response {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		r := c.get(path)
		if !strings.Contains(r.Body, `data-testid="import-running"`) {
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s still running", path)
		}
	}
}

// Vendor finance uploads a file: it is imported in the background (the
// report page follows the job), good lines are booked, bad lines are in
// the report with their line and reason, a re-upload books nothing.
func TestVendorFinanceImportsAFileAndReadsTheReport(t *testing.T) {
	env := newEnv(t)
	startImportWorkers(t, env)
	c := env.as(t, demo.VendorFinance)
	page := c.get("/finance/consumption")
	if page.Status != http.StatusOK {
		t.Fatalf("status %d", page.Status)
	}
	var account string
	env.DB.Raw(`SELECT c.account_name FROM customers c JOIN associations a ON a.customer_id = c.id AND a.status = 'active'
		WHERE a.mode = 'consulting' ORDER BY c.id LIMIT 1`).Scan(&account)
	csv := "流水号,客户账号,账单类型,账期,交易时间,订单号,产品类型,计费模式,官网价\n" +
		fmt.Sprintf("WEB-1,%s,消费,2026-11,2026-11-20 10:00:00,,弹性云服务器 ECS,按需,12.34567891\n", account) +
		fmt.Sprintf("WEB-2,%s,消费,2026-11,2026-11-20 10:00:00,,弹性云服务器 ECS,按周,1\n", account)
	before := env.countRows(t, "consumption_records")
	r := c.postMultipart("/finance/consumption", url.Values{}, "file", "web.csv", []byte(csv))
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/finance/consumption/") {
		t.Fatalf("upload: status %d location %q", r.Status, r.Location)
	}
	rep := waitImport(t, c, r.Location)
	doc := rep.doc(t)
	if got := strings.TrimSpace(doc.Find(`[data-testid="report-accepted"]`).Text()); got != "1" {
		t.Errorf("accepted %q", got)
	}
	rows := doc.Find(`[data-testid="reject-row"]`)
	if rows.Length() != 1 || !strings.Contains(rows.Text(), "计费模式应为") || !strings.Contains(rows.Text(), "3") {
		t.Errorf("reject rows: %q", rows.Text())
	}
	if after := env.countRows(t, "consumption_records"); after != before+1 {
		t.Errorf("records %d → %d", before, after)
	}
	r = c.postMultipart("/finance/consumption", url.Values{}, "file", "web.csv", []byte(csv))
	waitImport(t, c, r.Location)
	if env.countRows(t, "consumption_records") != before+1 {
		t.Error("re-upload booked lines again")
	}
	// A file without the header's required columns: the form says which, nothing is recorded.
	imports := env.countRows(t, "consumption_imports")
	r = c.postMultipart("/finance/consumption", url.Values{}, "file", "x.csv", []byte("a,b\n1,2\n"))
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "文件缺少必填列") {
		t.Errorf("bad header: status %d", r.Status)
	}
	if env.countRows(t, "consumption_imports") != imports {
		t.Error("a refused file left an import")
	}
}

// TestRejectedLinesDownloadWithTheirReasons: the import report offers the
// rejected lines as CSV — the template's columns as the lines had them,
// then the reasons in words and the line number — and the page says
// "choose a file" when none was chosen.
func TestRejectedLinesDownloadWithTheirReasons(t *testing.T) {
	env := newEnv(t)
	fin := env.as(t, demo.VendorFinance)
	var id, n int64
	env.DB.Raw(`SELECT import_id, count(DISTINCT line_no) FROM consumption_import_rejects GROUP BY import_id ORDER BY import_id LIMIT 1`).Row().Scan(&id, &n)
	if id == 0 {
		t.Fatal("no import with rejects in the demo data")
	}
	page := fin.get("/finance/consumption/" + itoa64(id)).doc(t)
	href, ok := page.Find(`[data-testid="download-rejects"]`).Attr("href")
	if !ok {
		t.Fatal("no download of the rejected lines on the report")
	}
	r := fin.get(href)
	if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("download: %d %q", r.Status, r.Header.Get("Content-Type"))
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.Body, "\uFEFF"))).ReadAll()
	if err != nil || int64(len(recs)) != n+1 || recs[0][0] != "流水号" || recs[0][len(recs[0])-2] != "原因" {
		t.Fatalf("file: %d records (want %d) %v", len(recs), n+1, err)
	}
	for _, rec := range recs[1:] {
		reason := rec[len(rec)-2]
		if reason == "" || rec[0] == "" || strings.Contains(reason, "consumption.err.") || strings.Contains(reason, "money.err.") || strings.Contains(reason, "<no value>") {
			t.Errorf("a line without its cells or its reason in words: %q", rec)
		}
	}
	none := fin.postMultipart("/finance/consumption", url.Values{}, "", "", nil)
	if none.Status != http.StatusUnprocessableEntity || !strings.Contains(none.Body, "请选择要导入") {
		t.Errorf("no file: %d", none.Status)
	}
}

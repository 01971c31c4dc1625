package web

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"partnercenter/internal/demo"
	"partnercenter/internal/export"
)

// TestLargeListExportBecomesATaskDownloadedFromMyExports: one code path
// (export.Service.Start) decides — above InlineRows a list export is not
// streamed but becomes an export task; the user lands on 我的导出 with
// the toast, a real River worker makes the file with progress, and the
// CSV downloads with the same rows a small export streams. Another member
// of the same tenant cannot see or download the task.
func TestLargeListExportBecomesATaskDownloadedFromMyExports(t *testing.T) {
	env := newEnv(t)
	c := env.as(t, demo.SPAdmin)
	small := c.get("/org/audit/export.csv?action=partner.intro.update")
	if small.Status != http.StatusOK || !strings.HasPrefix(small.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("small export: %d %q", small.Status, small.Header.Get("Content-Type"))
	}

	defer func(n int) { export.InlineRows = n }(export.InlineRows)
	export.InlineRows = 1
	var before int64
	env.DB.Table("export_tasks").Where("kind = ?", export.KindAuditLog).Count(&before)
	r := c.get("/org/audit/export.csv")
	if r.Status != http.StatusSeeOther || r.Location != "/exports" {
		t.Fatalf("large export: %d → %q, want 303 to /exports", r.Status, r.Location)
	}
	page := c.get("/exports")
	if page.Status != http.StatusOK || !strings.Contains(page.Body, "已创建导出任务") {
		t.Fatalf("我的导出 without the toast: %d", page.Status)
	}
	var id string
	env.DB.Raw(`SELECT id::text FROM export_tasks WHERE kind = ? ORDER BY id DESC LIMIT 1`, export.KindAuditLog).Scan(&id)
	var after int64
	env.DB.Table("export_tasks").Where("kind = ?", export.KindAuditLog).Count(&after)
	if after != before+1 || id == "" {
		t.Fatalf("tasks %d → %d", before, after)
	}
	if r := env.as(t, demo.SPFinance).get("/exports/" + id + "/progress"); r.Status != http.StatusNotFound {
		t.Fatalf("another member reads the task: %d", r.Status)
	}

	awaitExport(t, env, c, id)
	var msgs int64
	env.DB.Table("messages m").Joins("JOIN users u ON u.id = m.user_id").
		Where("u.login_name = ? AND m.link = ?", demo.SPAdmin, "/exports/"+id+"/download").Count(&msgs)
	if msgs != 1 {
		t.Errorf("站内信 with the download link: %d messages", msgs)
	}
	dl := c.get("/exports/" + id + "/download")
	if dl.Status != http.StatusOK || !strings.HasPrefix(dl.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("download: %d %q", dl.Status, dl.Header.Get("Content-Type"))
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(dl.Body, "\uFEFF"))).ReadAll()
	if err != nil || len(recs) < 3 || recs[0][0] != "操作时间" {
		t.Fatalf("file: %d records %v", len(recs), err)
	}
	if r := env.as(t, demo.SPFinance).get("/exports/" + id + "/download"); r.Status != http.StatusNotFound {
		t.Fatalf("another member downloads the task: %d", r.Status)
	}
}

// TestBillExportShowsItsProgressWhereItWasClicked: after 导出 the bill page
// lists the new task with its progress (a row that polls), the 账务 side
// navigation has 导出记录, and the task is the user's own.
func TestBillExportShowsItsProgressWhereItWasClicked(t *testing.T) {
	env := newEnv(t)
	c := env.as(t, demo.SPAdmin)
	var period string
	env.DB.Raw(`SELECT to_char(max(billing_period), 'YYYY-MM') FROM consumption_records WHERE partner_id = ?`, env.World.SP).Scan(&period)
	r := c.post("/billing/bill/export", url.Values{"kind": {export.KindBillCSV}, "period": {period}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("export: %d", r.Status)
	}
	d := c.get(r.Location).doc(t)
	row := d.Find(`[data-testid="recent-exports"] [data-testid="export-row"]`).First()
	if row.Length() == 0 {
		t.Fatal("the bill page does not show the new export")
	}
	if poll, _ := row.Attr("hx-get"); !strings.HasPrefix(poll, "/billing/exports/") {
		t.Errorf("the new export does not poll its progress: %q", poll)
	}
	if d.Find(`[data-testid="side-nav"] a[href="/billing/exports"]`).Length() != 1 {
		t.Error("导出记录 is not in the 账务 side navigation")
	}
	if other := env.as(t, demo.SPFinance).get("/billing/bill"); other.Status == http.StatusOK &&
		other.doc(t).Find(`[data-testid="recent-exports"]`).Length() != 0 {
		t.Error("another member sees sp_admin's recent exports")
	}
}

// awaitExport runs the export workers until the user's task id is done
// (its row in 我的导出 polled as the page does) and checks its download
// link; the caller downloads it.
func awaitExport(t *testing.T, env *testEnv, c *client, id string) {
	t.Helper()
	if env.App.Jobs == nil {
		startBillWorkers(t, env)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		p := c.htmx(http.MethodGet, "/exports/"+id+"/progress", nil)
		pd, err := goquery.NewDocumentFromReader(strings.NewReader("<table><tbody>" + p.Body + "</tbody></table>"))
		if err != nil || p.Status != http.StatusOK {
			t.Fatalf("progress: %d %v", p.Status, err)
		}
		if st, _ := pd.Find(`tr`).Attr("data-status"); st == "done" {
			if href, _ := pd.Find(`[data-testid="export-download"]`).Attr("href"); href != "/exports/"+id+"/download" {
				t.Fatalf("download link %q", href)
			}
			return
		} else if st == "failed" {
			t.Fatalf("task failed: %s", p.Body)
		}
		if time.Now().After(deadline) {
			t.Fatal("the export task did not finish")
		}
	}
}

// exportTask follows an export that answers with a task: 303 to 我的导出
// with the toast, the task made, done and downloaded; it returns the file.
func exportTask(t *testing.T, env *testEnv, c *client, path, kind, toast string) string {
	t.Helper()
	var before int64
	env.DB.Raw(`SELECT coalesce(max(id), 0) FROM export_tasks`).Scan(&before)
	r := c.get(path)
	if r.Status != http.StatusSeeOther || r.Location != "/exports" {
		t.Fatalf("%s: %d → %q, want 303 to /exports", path, r.Status, r.Location)
	}
	if page := c.get("/exports"); !strings.Contains(page.Body, toast) {
		t.Fatalf("我的导出 without %q", toast)
	}
	var ids []string
	env.DB.Raw(`SELECT id::text FROM export_tasks WHERE kind = ? AND id > ? ORDER BY id`, kind, before).Scan(&ids)
	if len(ids) != 1 {
		t.Fatalf("%s made %d %s tasks, want one", path, len(ids), kind)
	}
	id := ids[0]
	awaitExport(t, env, c, id)
	dl := c.get("/exports/" + id + "/download")
	if dl.Status != http.StatusOK {
		t.Fatalf("download: %d", dl.Status)
	}
	return dl.Body
}

package web

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"partnercenter/internal/demo"
	"partnercenter/internal/export"
)

// Journey (§12.1.9.8–9): sp_admin opens 销售 > 账务 > 伙伴账单 (its chart
// drawn), exports the
// bill details as xlsx, sees 导出任务创建成功, follows 查看导出记录 and
// watches the progress bar of its task reach 100% (htmx polling while the
// real River worker streams the rows); 下载 returns a spreadsheet that
// opens with excelize.
func TestJourneyExportPartnerBillToXLSX(t *testing.T) {
	env := newEnv(t)
	startBillWorkers(t, env)
	b := newBrowser(t, env)
	b.login(demo.SPAdmin, demo.DemoPassword)
	b.open("/billing/bill")
	b.waitVisible(`[data-testid="bill-formula"]`)
	// The chart by product type is drawn (ECharts, components.Chart).
	b.waitVisible(`[data-testid="bill-chart-canvas"] canvas`)
	b.click(`[data-testid="export-toggle"]`)
	b.click(`[data-testid="export-xlsx"]`)
	b.waitVisible(`[data-testid="toast-success"]`)
	if got := b.text(`[data-testid="toast-success"]`); !strings.Contains(got, "导出任务创建成功") {
		t.Fatalf("toast %q", got)
	}
	b.shot("export-created")

	b.click(`[data-testid="export-toggle"]`)
	b.click(`[data-testid="export-records"]`)
	b.waitPath("/billing/exports")
	newest := `[data-testid="export-row"]:first-child`
	b.waitText(newest+` [data-testid="export-pct"]`, "100%")
	b.waitText(newest+` [data-testid="export-status"]`, "已完成")
	b.waitVisible(newest + ` [data-testid="export-download"]`)
	b.shot("export-done")

	type fetched struct {
		Status int    `json:"status"`
		Type   string `json:"type"`
		Body   string `json:"body"`
	}
	res, err := chromedp.Run(b.ctx, chromedp.Evaluate[fetched](`(async () => {
		const a = document.querySelector('[data-testid="export-row"]:first-child [data-testid="export-download"]');
		const r = await fetch(a.href);
		const bytes = new Uint8Array(await r.arrayBuffer());
		let s = '';
		for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
		return {status: r.status, type: r.headers.get('content-type'), body: btoa(s)};
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != 200 || res.Type != export.ContentTypeXLSX {
		t.Fatalf("download: %d %s", res.Status, res.Type)
	}
	body, err := base64.StdEncoding.DecodeString(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil || len(rows) < 2 || rows[0][0] != "账期" {
		t.Fatalf("xlsx rows %d (%v)", len(rows), err)
	}
}

package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"partnercenter/internal/demo"
)

// Journey: sp_admin maintains its invoice information, applies for an
// electronic general invoice for one billing period (the page shows the
// amount, the 6% tax and that nothing is mailed), vendor finance issues it
// with a generated number, and sp_admin sees 已开票 and downloads the PDF
// (and the 退票 form counts its remark as it is typed).
func TestJourneyInvoiceApplicationIssuedAndDownloaded(t *testing.T) {
	env := newEnv(t)
	invoiceLine(t, env, env.World.SP, "2019-06", "cloud", "212.00")
	var title string
	env.DB.Raw(`SELECT title FROM invoice_infos WHERE partner_id = ? AND valid`, env.World.SP).Scan(&title)
	t.Cleanup(func() {
		env.DB.Exec(`UPDATE invoice_infos SET title = ? WHERE partner_id = ? AND valid`, title, env.World.SP)
	})

	b := newBrowser(t, env)
	b.login(demo.SPAdmin, demo.DemoPassword)
	b.open("/billing/invoices")
	b.click(`[data-testid="manage-info"]`)
	b.waitPath("/billing/invoices/info")
	b.fill(`[data-testid="info-title-input"]`, "示例云科技有限公司（上海）")
	b.click(`[data-testid="info-submit"]`)
	b.waitPath("/billing/invoices")
	b.waitVisible(`[data-testid="toast-success"]`)
	b.waitText(`[data-testid="info-title"]`, "示例云科技有限公司（上海）")

	b.open("/billing/invoices/apply?entity=cloud")
	b.click(`[data-testid="period-2019-06"]`)
	b.waitText(`[data-testid="apply-total"]`, "¥212.00")
	b.waitText(`[data-testid="apply-tax"]`, "¥12.00")
	if !strings.Contains(b.text(`[data-testid="apply-postage"]`), "无需邮寄") {
		t.Error("an electronic invoice is not mailed")
	}
	b.shot("apply")
	b.click(`[data-testid="apply-submit"]`)
	b.waitPath("/billing/invoices/")
	b.waitVisible(`[data-testid="toast-success"]`)
	b.waitText(`[data-testid="detail-state"]`, "已申请")
	detail := strings.TrimPrefix(b.location(), env.Srv.URL)
	id := strings.TrimPrefix(detail, "/billing/invoices/")
	if b.text(`[data-testid="detail-title"]`) != "示例云科技有限公司（上海）" || b.text(`[data-testid="detail-amount"]`) != "¥212.00" {
		t.Fatal("the application does not carry the new title or the amount")
	}
	b.logout()

	b.login(demo.VendorFinance, demo.DemoPassword)
	b.open("/finance/invoices")
	b.click(`[data-testid="invoice-row"][data-id="` + id + `"] [data-testid="row-detail"]`)
	b.waitPath("/finance/invoices/" + id)
	b.click(`[data-testid="issue-submit"]`)
	if d := b.confirmDialog(); !strings.Contains(d, "¥212.00") || !strings.Contains(d, "示例云科技有限公司（上海）") {
		t.Errorf("issue confirmation %q", d)
	}
	b.acceptDialog()
	b.waitVisible(`[data-testid="toast-success"]`)
	b.waitText(`[data-testid="detail-state"]`, "已开票")
	b.shot("issued")
	b.logout()

	b.login(demo.SPAdmin, demo.DemoPassword)
	b.open("/billing/invoices?entity=cloud")
	b.waitText(`[data-testid="invoice-row"][data-id="`+id+`"] [data-testid="invoice-state"]`, "已开票")
	b.shot("list")
	b.click(`[data-testid="invoice-row"][data-id="` + id + `"] [data-testid="row-detail"]`)
	b.waitPath(detail)
	b.waitVisible(`[data-testid="download"]`)
	b.shot("downloadable")
	href := b.attr(`[data-testid="download"]`, "href")
	// The 退票 form counts the remark live ("n/128", §12.1.9.4); not submitted.
	b.click(`[data-testid="return"]`)
	b.waitPath(detail + "/return")
	b.do(chromedp.WaitVisible(chromedp.CSS(`[data-testid="return-remark"]`)), chromedp.SendKeys(chromedp.CSS(`[data-testid="return-remark"]`), "退款"))
	b.waitText(`[data-testid="remark-count"]`, "2/128")
	b.shot("return-form")
	r := env.as(t, demo.SPAdmin).get(strings.TrimPrefix(href, env.Srv.URL))
	if r.Status != http.StatusOK || r.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(r.Body, "%PDF-") {
		t.Fatalf("download: %d %s", r.Status, r.Header.Get("Content-Type"))
	}
}

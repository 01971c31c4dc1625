package web

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"partnercenter/internal/demo"
)

// fetchInPage requests path with the page's session (a synchronous XHR, as
// the download link would) and returns "status|content-type|first bytes".
func (b *browser) fetchInPage(path string) string {
	b.t.Helper()
	script := `(function(){var x=new XMLHttpRequest();x.open('GET',` + jsString(path) + `,false);` +
		`x.overrideMimeType('text/plain; charset=x-user-defined');x.send();` +
		`return x.status+'|'+x.getResponseHeader('Content-Type')+'|'+x.responseText.slice(0,5)})()`
	s, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](script))
	if err != nil {
		b.t.Fatal(err)
	}
	return s
}

// Journey: the master distributor's admin (no payment agreement yet) opens
// 账务 > 合同商务, applies for the 华为云付款协议, reads the preview with its
// own company and recharge account, ticks 我已阅读并同意本协议, submits and
// downloads the PDF. Then vendor_admin enters an offline contract for the
// distributor in the vendor console, and the distributor sees it under
// 线下合同.
func TestJourneySignPaymentAgreementAndSeeOfflineContract(t *testing.T) {
	env := newEnv(t)
	resetAgreement(t, env, demo.MDAdmin)
	b := newBrowser(t, env)
	b.login(demo.MDAdmin, demo.DemoPassword)
	b.open("/billing/contracts")
	b.click(`[data-testid="agreement-apply"]`)
	b.waitPath("/billing/contracts/agreement")
	if terms := b.text(`[data-testid="agreement-terms"]`); !strings.Contains(terms, "华东数智分销有限公司") ||
		!strings.Contains(terms, strings.TrimSpace(b.text(`[data-testid="agreement-account"]`))) {
		t.Fatalf("terms: %q", terms)
	}
	b.shot("preview")
	b.click(`[data-testid="agreement-agree"]`)
	b.click(`[data-testid="agreement-submit"]`)
	b.waitVisible(`[data-testid="toast-success"]`)
	if !strings.HasPrefix(strings.TrimPrefix(b.location(), env.Srv.URL), "/billing/contracts/") {
		t.Fatalf("after signing: %s", b.location())
	}
	b.waitText(`[data-testid="contract-state"]`, "生效中")
	b.shot("signed")
	href := strings.TrimPrefix(b.attr(`[data-testid="contract-download"]`, "href"), env.Srv.URL)
	if got := b.fetchInPage(href); got != "200|application/pdf|%PDF-" {
		t.Fatalf("download %s: %q", href, got)
	}
	b.open("/billing/contracts")
	if !b.has(`[data-testid="agreement-in-effect"]`) || b.has(`[data-testid="agreement-apply"]`) {
		t.Fatal("online tab does not show the agreement in effect")
	}
	b.logout()

	code := fmt.Sprintf("HDSZ-J-%d", time.Now().UnixNano()%1_000_000_000)
	md := partnerIDOf(t, env, demo.MDAdmin)
	b.login(demo.VendorAdmin, demo.DemoPassword)
	b.open("/finance/contracts")
	b.click(`[data-testid="contract-new"]`)
	b.waitPath("/finance/contracts/new")
	b.fill("#pq", "华东数智")
	b.click(`[data-testid="partner-search"] button[type="submit"]`)
	b.waitPath("/finance/contracts/new?pq=")
	b.do(chromedp.SetValue(chromedp.CSS("#partner_id"), fmt.Sprint(md)))
	b.fill("#code", code)
	b.fill("#name", "华为云请款合同（旅程测试）")
	b.do(chromedp.SetValue(chromedp.CSS("#type"), "payment_request"))
	b.fill("#amount", "66,000.00")
	b.do(chromedp.SetValue(chromedp.CSS("#starts_on"), "2025-01-01"), chromedp.SetValue(chromedp.CSS("#ends_on"), "2030-12-31"))
	b.click(`[data-testid="contract-submit"]`)
	b.waitVisible(`[data-testid="toast-success"]`)
	b.waitText(`[data-testid="vendor-contract-row"][data-code="`+code+`"] [data-testid="badge"]`, "生效中")
	b.shot("vendor-list")
	b.logout()

	b.login(demo.MDAdmin, demo.DemoPassword)
	b.open("/billing/contracts?tab=offline")
	row := b.text(`[data-testid="contract-row"][data-code="` + code + `"]`)
	if !strings.Contains(row, "华为云请款合同（旅程测试）") || !strings.Contains(row, "66,000.00") || !strings.Contains(row, "请款合同") {
		t.Fatalf("md's offline row: %q", row)
	}
	b.shot("md-offline")
}

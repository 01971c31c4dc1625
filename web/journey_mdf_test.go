package web

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/shopspring/decimal"

	"partnercenter/internal/demo"
	"partnercenter/internal/platform/clock"
)

// MDF in a real browser (issue 16): 示例云科技's admin reads its quota,
// applies for an activity (refused over the remaining quota first, then
// submitted: the budget is occupied); the ecosystem manager approves it;
// after the activity (its dates moved into the past, as time passes) the
// admin claims less than the budget with the materials; the ecosystem
// manager approves the claim — the unused budget is back in the quota; the
// admin downloads the 开票清单 and registers the invoice (a different amount
// refused first); vendor finance pays it with the bank reference.
func TestBrowserMDFJourney(t *testing.T) {
	env := newEnv(t)
	remaining := func() decimal.Decimal {
		var occupied, used decimal.Decimal
		env.DB.Raw(`SELECT coalesce(sum(occupied), 0), coalesce(sum(used), 0) FROM mdf_quotas q WHERE q.entity_key = (SELECT upper(credit_code) FROM partners WHERE id = ?)
			AND q.year = ?`, env.World.SP, time.Now().In(clock.China).Year()).Row().Scan(&occupied, &used)
		return decimal.NewFromInt(500000).Sub(occupied).Sub(used)
	}
	before := remaining()
	name := fmt.Sprintf("旅程营销活动%d", time.Now().UnixNano()%1e6)
	sp := newBrowser(t, env)
	sp.login(demo.SPAdmin, demo.DemoPassword)
	sp.open("/benefits/mdf")
	if got := sp.text(`[data-testid="mdf-remaining"]`); !strings.Contains(got, before.StringFixed(2)[:3]) {
		t.Logf("remaining shown %q, computed %s", got, before)
	}
	sp.click(`[data-testid="mdf-new"]`)
	sp.waitVisible(`[data-testid="mdf-usage-form"]`)
	sp.do(chromedp.SetValue(chromedp.CSS("#activity_type"), "customer_seminar"))
	for id, v := range map[string]string{"#name": name, "#audience": "零售行业客户", "#department": "华东生态发展部", "#location": "上海",
		"#format": "线下沙龙", "#solutions": "示例云数据中台", "#budget": "9999999"} {
		sp.fill(id, v)
	}
	event := time.Now().In(clock.China).AddDate(0, 0, 30).Format(time.DateOnly)
	sp.do(chromedp.SetValue(chromedp.CSS("#start-0"), event), chromedp.SetValue(chromedp.CSS("#end-0"), event))
	sp.click(`[data-testid="mdf-ack"]`)
	sp.click(`[data-testid="mdf-usage-submit"]`)
	sp.waitVisible(`[data-testid="form-error"]`)
	if !strings.Contains(sp.text(`[data-testid="form-error"]`), "预算超出剩余可用额度") {
		t.Fatalf("over the quota: %q", sp.text(`[data-testid="form-error"]`))
	}
	sp.fill("#budget", "30000")
	sp.click(`[data-testid="mdf-usage-submit"]`)
	sp.waitVisible(`[data-testid="mdf-usage"]`)
	sp.waitVisible(`[data-testid="mdf-warning"]`)
	var usageID, appID int64
	env.DB.Raw(`SELECT id, application_id FROM mdf_usages WHERE name = ?`, name).Row().Scan(&usageID, &appID)
	if got := remaining(); !got.Equal(before.Sub(decimal.NewFromInt(30000))) {
		t.Fatalf("occupied: remaining %s", got)
	}

	eco := newBrowser(t, env)
	eco.login(demo.EcoManager, demo.DemoPassword)
	eco.open(fmt.Sprintf("/approvals/%d", appID))
	eco.waitVisible(`[data-testid="payload-events"]`)
	eco.click(`[data-testid="approve"]`)
	eco.acceptDialog()
	eco.waitVisible(`[data-testid="toast-success"]`)

	// The activity took place.
	past := time.Now().In(clock.China).AddDate(0, 0, -3).Format(time.DateOnly)
	if err := env.DB.Exec(`UPDATE mdf_usages SET first_day = ?, last_day = ?, events = ? WHERE id = ?`, past, past,
		fmt.Sprintf(`[{"start":%q,"end":%q}]`, past, past), usageID).Error; err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	doc := func(name string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("%PDF-1.4\n% "+name+"\n%%EOF\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	sp.open(fmt.Sprintf("/benefits/mdf/usages/%d", usageID))
	sp.fill("#amount", "21500")
	for _, cat := range []string{"proof", "receipt", "invoice", "summary"} {
		sp.do(chromedp.SetUploadFiles(chromedp.CSS("#files_"+cat), []string{doc(cat + ".pdf")}))
	}
	sp.click(`[data-testid="mdf-claim-save"]`)
	sp.waitVisible(`[data-testid="mdf-material-count"]`)
	sp.click(`[data-testid="mdf-claim-submit"]`)
	sp.acceptDialog()
	sp.waitGone(`[data-testid="mdf-claim-form"]`)
	var claimID, claimApp int64
	env.DB.Raw(`SELECT id, application_id FROM mdf_claims WHERE usage_id = ?`, usageID).Row().Scan(&claimID, &claimApp)

	eco.open(fmt.Sprintf("/approvals/%d", claimApp))
	eco.click(`[data-testid="approve"]`)
	eco.acceptDialog()
	eco.waitVisible(`[data-testid="toast-success"]`)
	if got := remaining(); !got.Equal(before.Sub(decimal.NewFromInt(21500))) {
		t.Fatalf("the unused 8,500 is not back: remaining %s", got)
	}

	// The 开票清单 and the invoice.
	c := env.as(t, demo.SPAdmin)
	if r := c.get(fmt.Sprintf("/benefits/mdf/claims/%d/billing-list", claimID)); r.Status != http.StatusOK ||
		!strings.HasPrefix(r.Header.Get("Content-Type"), "application/pdf") {
		t.Fatalf("billing list: %d", r.Status)
	}
	sp.open(fmt.Sprintf("/benefits/mdf/usages/%d", usageID))
	sp.waitVisible(`[data-testid="mdf-billing-list"]`)
	sp.fill("#invoice_no", "044001230099")
	sp.fill("#invoice_amount", "21500.01")
	sp.do(chromedp.SetUploadFiles(chromedp.CSS("#invoice_file"), []string{doc("发票.pdf")}))
	sp.click(`[data-testid="mdf-invoice-submit"]`)
	sp.waitVisible(`[data-testid="mdf-invoice-form"] [data-testid="error-invoice_amount"]`)
	sp.fill("#invoice_amount", "21500")
	sp.do(chromedp.SetUploadFiles(chromedp.CSS("#invoice_file"), []string{doc("发票.pdf")}))
	sp.click(`[data-testid="mdf-invoice-submit"]`)
	sp.waitGone(`[data-testid="mdf-invoice-form"]`)

	fin := newBrowser(t, env)
	fin.login(demo.VendorFinance, demo.DemoPassword)
	fin.open("/finance/mdf?q=" + name)
	fin.waitVisible(`[data-testid="mdf-claim-row"][data-status="invoiced"]`)
	fin.fill(fmt.Sprintf("#ref-%d", claimID), "CMB-JOURNEY-0001")
	fin.click(`[data-testid="mdf-pay"]`)
	fin.acceptDialog()
	fin.waitVisible(`[data-testid="toast-success"]`)

	sp.open(fmt.Sprintf("/benefits/mdf/usages/%d", usageID))
	sp.waitVisible(`[data-testid="mdf-paid"]`)
	if !strings.Contains(sp.text(`[data-testid="mdf-paid"]`), "CMB-JOURNEY-0001") {
		t.Fatal("the payment reference is not shown")
	}
	sp.shot("paid")
}

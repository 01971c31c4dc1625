package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/shopspring/decimal"

	"partnercenter/internal/demo"
	"partnercenter/internal/incentive"
)

// 激励管理 in the browser (issue 13), from 待确认 to money in 收支明细: the
// solution provider's admin confirms a bill, applies for its incentive to
// the Huawei Cloud account; vendor finance records the invoice and pays;
// the admin sees the credit (激励返充值) in 收支明细 with the 申付单号.
func TestJourneyIncentiveFromConfirmationToTheAccount(t *testing.T) {
	env := newEnv(t)
	var bill string
	if err := env.DB.Raw(`SELECT id::text FROM incentive_bills WHERE partner_id = ? AND status = 'pending' AND amount > 0
		ORDER BY period_start LIMIT 1`, env.World.SP).Scan(&bill).Error; err != nil || bill == "" {
		t.Fatalf("the demo world has no 待确认 bill of 示例云科技: %v", err)
	}
	sp := newBrowser(t, env)
	sp.login(demo.SPAdmin, demo.DemoPassword)
	sp.open("/incentives/bills?status=pending")
	confirm := `form[action="/incentives/bills/` + bill + `/confirm"] [data-testid="confirm-bill"]`
	sp.waitVisible(confirm)
	sp.click(confirm)
	sp.waitVisible(`[data-testid="toast-success"]`)

	var item int64
	if err := env.DB.Raw(`SELECT id FROM incentive_items WHERE bill_id = ? AND mode <> 'resale' ORDER BY id LIMIT 1`, bill).Scan(&item).Error; err != nil || item == 0 {
		t.Fatalf("the confirmed bill has no incentive to pay to the account: %v", err)
	}
	sp.open("/incentives/payouts")
	box := `input[name="item"][value="` + itoa64(item) + `"]`
	sp.waitVisible(box)
	sp.click(box)
	sp.do(chromedp.SetValue(chromedp.CSS(`select[name="method"]`), "account"))
	sp.click(`[data-testid="payout-apply"]`)
	sp.waitVisible(`[data-testid="toast-success"]`)
	sp.waitPath("/incentives/payouts/applications")
	var no string
	env.DB.Raw(`SELECT a.no FROM payment_applications a JOIN incentive_items i ON i.application_id = a.id WHERE i.id = ?`, item).Scan(&no)
	if no == "" || !strings.Contains(sp.text(`[data-testid="application-rows"]`), no) {
		t.Fatalf("申请记录 lists the new application %q", no)
	}
	sp.shot("applied")

	// The partner enters its invoice: first at the wrong rate (3% for a
	// general taxpayer), which finance cannot receive; then deleted and
	// entered again right. The amount is the invoice amount shown.
	var appID int64
	var total decimal.Decimal
	env.DB.Raw(`SELECT id FROM payment_applications WHERE no = ?`, no).Scan(&appID)
	env.DB.Raw(`SELECT total FROM payment_applications WHERE no = ?`, no).Scan(&total)
	due := incentive.InvoiceAmount(total, "general")
	appRow := `tr[data-testid="application-row"][data-no="` + no + `"]`
	if got := sp.text(appRow + ` [data-testid="invoice-amount"]`); !strings.Contains(strings.ReplaceAll(got, ",", ""), due.StringFixed(2)) {
		t.Fatalf("申请记录 shows the invoice amount %s: %q", due.StringFixed(2), got)
	}
	enter := func(no, rate string) {
		form := `form[action="/incentives/payouts/applications/` + itoa64(appID) + `/invoices"]`
		sp.waitVisible(form)
		sp.fill(form+` input[name="invoice_no"]`, no)
		sp.fill(form+` input[name="amount"]`, due.StringFixed(2))
		sp.do(chromedp.SetValue(chromedp.CSS(form+` select[name="tax_rate"]`), rate))
		sp.click(form + ` [data-testid="add-invoice"]`)
		sp.waitVisible(`[data-testid="toast-success"]`)
		sp.waitVisible(`[data-testid="invoice"][data-no="` + no + `"]`)
	}
	enter("04456780", "3")
	sp.shot("invoice-entered")

	fin := newBrowser(t, env)
	fin.login(demo.VendorFinance, demo.DemoPassword)
	fin.open("/finance/incentives")
	row := `//tr[@data-testid="payout-desk-row"][td[contains(., "` + no + `")]]`
	fin.do(chromedp.WaitVisible(chromedp.Search(row)))
	fin.do(chromedp.Click(chromedp.Search(row + `//button[@data-testid="receive-invoice"]`)))
	fin.waitVisible(`[data-testid="form-error"]`)
	if got := fin.text(`[data-testid="form-error"]`); !strings.Contains(got, "3%") || !strings.Contains(got, "不一致") {
		t.Fatalf("the rate mismatch is explained: %q", got)
	}
	fin.shot("rate-mismatch")

	sp.open("/incentives/payouts/applications")
	sp.click(`[data-testid="invoice"][data-no="04456780"] [data-testid="remove-invoice"]`)
	sp.waitVisible(`[data-testid="toast-success"]`)
	sp.waitGone(`[data-testid="invoice"][data-no="04456780"]`)
	enter("04456781", "6")

	fin.open("/finance/incentives")
	fin.do(chromedp.WaitVisible(chromedp.Search(row)))
	fin.do(chromedp.Click(chromedp.Search(row + `//button[@data-testid="receive-invoice"]`)))
	fin.waitVisible(`[data-testid="toast-success"]`)
	fin.do(chromedp.WaitVisible(chromedp.Search(row+`//button[@data-testid="pay"]`)),
		chromedp.Click(chromedp.Search(row+`//button[@data-testid="pay"]`)))
	// Paid, the application leaves the waiting list (the toast of the
	// invoice step may still be showing, so wait for the row to go).
	fin.waitGone(`form[action="/finance/incentives/` + itoa64(appID) + `/pay"]`)
	fin.waitVisible(`[data-testid="toast-success"]`)

	sp.open("/billing/funds/lines")
	sp.waitVisible("main")
	if txt := sp.text("main"); !strings.Contains(txt, no) || !strings.Contains(txt, "激励返充值") {
		t.Fatalf("收支明细 shows the incentive credit %s", no)
	}
	sp.shot("credited")
}

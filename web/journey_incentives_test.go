package web

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"partnercenter/internal/demo"
	"partnercenter/internal/platform/clock"
)

// 激励对账 in the browser (§12.1.5.4): the solution provider's admin reads
// a 预估 bill — one aggregate row as details, the calculation
// with the step chart drawn; the ecosystem manager publishes it with an
// end date (its lines are written then) and publishes the final bill;
// the admin sees the lines and confirms the reconciliation.
func TestJourneyIncentiveBillPublishedAndConfirmed(t *testing.T) {
	env := newEnv(t)
	var id string
	if err := env.DB.Raw(`SELECT id::text FROM incentive_bills WHERE partner_id = ? AND status = 'estimate' AND amount > 0
		AND adjustment = 'normal' ORDER BY period_start DESC, period_code DESC LIMIT 1`, env.World.SP).Scan(&id).Error; err != nil || id == "" {
		t.Fatalf("the demo world has no 预估 bill of 示例云科技: %v", err)
	}
	sp := newBrowser(t, env)
	sp.login(demo.SPAdmin, demo.DemoPassword)
	sp.open("/incentives/bills")
	row := `[data-testid="bill-row"][data-status="estimate"]`
	sp.waitVisible(row)
	sp.open("/incentives/details?bill=" + id)
	sp.waitVisible(`[data-testid="aggregate-row"]`)
	if sp.has(`[data-testid="detail-row"]`) {
		t.Fatal("an estimate shows no lines, one aggregate row (§12.1.5.4)")
	}
	sp.open("/incentives/bills/" + id)
	sp.waitVisible(`[data-testid="step-chart"] canvas`)
	if r := sp.text(`[data-testid="calc-ratio"]`); !strings.HasSuffix(r, "%") || r == "0%" {
		t.Fatalf("the bill's ratio: %q", r)
	}
	sp.shot("calculation")

	eco := newBrowser(t, env)
	eco.login(demo.EcoManager, demo.DemoPassword)
	eco.open("/partners/incentives?state=estimate")
	form := `form[action="/partners/incentives/` + id + `/publish"]`
	eco.waitVisible(form)
	end := clock.ChinaDate(time.Now()).AddDate(0, 0, 5).Format(time.DateOnly)
	eco.do(chromedp.SetValue(chromedp.CSS(form+` input[name="ends_on"]`), end))
	eco.click(form + ` [data-testid="incentive-publish"]`)
	eco.waitVisible(`[data-testid="toast-success"]`)
	fin := `form[action="/partners/incentives/` + id + `/finalize"] [data-testid="incentive-finalize"]`
	eco.waitVisible(fin)
	eco.click(fin)
	eco.waitVisible(`[data-testid="toast-success"]`)

	sp.open("/incentives/details?bill=" + id)
	sp.waitVisible(`[data-testid="detail-row"]`)
	sp.open("/incentives/bills?status=pending")
	confirm := `form[action="/incentives/bills/` + id + `/confirm"] [data-testid="confirm-bill"]`
	sp.waitVisible(confirm)
	sp.click(confirm)
	sp.waitVisible(`[data-testid="toast-success"]`)
	var status string
	env.DB.Raw(`SELECT status FROM incentive_bills WHERE id = ?`, id).Scan(&status)
	if status != "confirmed" {
		t.Fatalf("after 确认对账 the bill is %s", status)
	}
	sp.shot("confirmed")
}

// 运营看板 render their charts for the admin (all four), a customer
// manager (its customers' 客户看板, 消费看板 and 业绩看板, R57) and a cloud
// reseller (客户看板 and 消费看板 only, §12.1.9.17).
func TestJourneyDashboardsForAdminManagerAndReseller(t *testing.T) {
	env := newEnv(t)
	for _, c := range []struct {
		login  string
		boards []string
		absent []string
	}{
		{demo.SPAdmin, []string{"customers", "consumption", "performance", "incentives"}, nil},
		{demo.SPManager1, []string{"customers", "consumption", "performance"}, []string{"incentives"}},
		{demo.CRAdmin, []string{"customers", "consumption"}, []string{"performance", "incentives"}},
	} {
		b := newBrowser(t, env)
		b.login(c.login, demo.DemoPassword)
		for _, board := range c.boards {
			b.open("/sales/dashboards/" + board)
			b.waitVisible(`[data-chart] canvas`)
			if !b.has(`[data-testid="board-rows"], [data-testid="trend-rows"]`) {
				t.Errorf("%s %s: the numbers are in a table too", c.login, board)
			}
		}
		for _, board := range c.absent {
			if b.has(`[data-testid="board-` + board + `"]`) {
				t.Errorf("%s sees the %s board's tab", c.login, board)
			}
		}
		b.shot(c.login)
	}
}

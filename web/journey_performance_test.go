package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"partnercenter/internal/demo"
)

// 问题反馈 in the browser: the solution provider's admin reads 业绩汇总,
// gives feedback on a running month; the ecosystem manager answers it in
// the inbox (approval with the reply as comment); the admin reads the
// answer on the feedback's page (反馈详情).
func TestJourneyPerformanceFeedbackAskedAndAnswered(t *testing.T) {
	env := newEnv(t)
	performanceFixture(t, env)
	sp := newBrowser(t, env)
	sp.login(demo.SPAdmin, demo.DemoPassword)
	sp.open("/incentives/performance")
	sp.waitVisible(`[data-testid="summary-row"]`)
	if !strings.Contains(sp.text(`[data-testid="estimate"]`), "预估") {
		t.Fatal("the running month's estimate is labelled")
	}
	sp.click(`[data-testid="summary-row"] [data-testid="feedback-open"]`)
	sp.do(chromedp.SendKeys(chromedp.CSS(`[data-testid="summary-row"] textarea[name="opinion"]`), "本月少计了一笔包年订单，请核对。"))
	sp.click(`[data-testid="summary-row"] [data-testid="feedback-submit"]`)
	sp.waitVisible(`[data-testid="toast-success"]`)
	sp.waitPath("/applications/")
	appURL := sp.location()

	eco := newBrowser(t, env)
	eco.login(demo.EcoManager, demo.DemoPassword)
	eco.open(strings.Replace(strings.TrimPrefix(appURL, env.Srv.URL), "/applications/", "/approvals/", 1))
	eco.waitVisible(`[data-testid="approve-form"]`)
	if !strings.Contains(eco.text(`[data-testid="payload"]`), "少计了一笔包年订单") {
		t.Fatal("the manager reads the opinion")
	}
	eco.do(chromedp.SendKeys(chromedp.CSS(`[data-testid="approve-form"] textarea[name="comment"]`), "已核对，该订单将于次日晚间形成业绩。"))
	eco.click(`[data-testid="approve"]`)
	eco.confirmDialog()
	eco.acceptDialog()
	eco.waitVisible(`[data-testid="toast-success"]`)

	sp.do(chromedp.Navigate(appURL), chromedp.WaitReady(chromedp.CSS("body")))
	if !strings.Contains(sp.text(`main`), "将于次日晚间形成业绩") {
		t.Fatal("the partner reads the answer")
	}
	sp.shot("answered")
}

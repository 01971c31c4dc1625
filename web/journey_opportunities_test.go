package web

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"partnercenter/internal/demo"
)

// 共享给华为 in the browser (§11.1.2): 示例云科技's admin (a PCE member)
// adds a PO and submits it; its ecosystem manager marks it 审核不通过
// 【信息不完整】; the admin reads the reason, completes the need and
// resubmits; the manager approves it and its protection starts.
func TestJourneyPOReturnedResubmittedApproved(t *testing.T) {
	env := newEnv(t)
	customer := fmt.Sprintf("旅程测试客户%d有限公司", time.Now().UnixNano()%1e7)
	sp := newBrowser(t, env)
	sp.login(demo.SPAdmin, demo.DemoPassword)
	sp.open("/opportunities/po")
	sp.click(`[data-testid="po-new"]`)
	sp.waitVisible(`[data-testid="po-form"]`)
	for sel, v := range map[string]string{"#customer_name": customer, "#budget": "560000", "#contact_name": "孙工", "#contact_phone": "13811112222",
		"#partner_contact": "周杰", "#partner_phone": "13987654321", "#requirement": "数据中心迁移上云", "#description": "客户已立项，计划下季度招标。"} {
		sp.do(chromedp.SendKeys(chromedp.CSS(sel), v))
	}
	sp.do(chromedp.SetValue(chromedp.CSS("#industry"), "retail"),
		chromedp.SetValue(chromedp.CSS("#purchase_on"), time.Now().AddDate(0, 2, 0).Format(time.DateOnly)))
	sp.click(`[data-testid="po-authorized"]`)
	sp.shot("po-form")
	sp.click(`[data-testid="po-submit"]`)
	sp.waitVisible(`[data-testid="toast-success"]`)
	sp.waitVisible(`[data-testid="po-head"][data-status="in_review"]`)
	poPath := strings.TrimPrefix(sp.location(), env.Srv.URL)

	eco := newBrowser(t, env)
	eco.login(demo.EcoManager, demo.DemoPassword)
	review := strings.Replace(poPath, "/opportunities/po/", "/partners/opportunities/", 1)
	eco.open(review)
	eco.click(`[data-testid="po-reason-incomplete"]`)
	eco.do(chromedp.SendKeys(chromedp.CSS("#fail_comment"), "请补充预算来源。"))
	eco.click(`[data-testid="po-fail"]`)
	eco.waitVisible(`[data-testid="toast-success"]`)
	eco.waitVisible(`[data-testid="po-head"][data-status="review_failed"]`)

	sp.open(poPath)
	if got := sp.text(`[data-testid="po-review"]`); !strings.Contains(got, "信息不完整") || !strings.Contains(got, "请补充预算来源") {
		t.Fatalf("the partner reads the reason: %q", got)
	}
	sp.do(chromedp.SendKeys(chromedp.CSS("#requirement"), "；预算已列入年度计划"), chromedp.SendKeys(chromedp.CSS("#note"), "已补充预算来源"))
	sp.click(`[data-testid="po-submit"]`)
	sp.waitVisible(`[data-testid="toast-success"]`)
	sp.waitVisible(`[data-testid="po-head"][data-status="in_review"]`)

	eco.open(review)
	eco.click(`[data-testid="po-approve"]`)
	eco.waitVisible(`[data-testid="toast-success"]`)
	eco.waitVisible(`[data-testid="po-head"][data-status="approved"]`)
	eco.shot("po-approved")

	sp.open("/opportunities/po?q=" + customer)
	sp.waitVisible(`[data-testid="po-row"][data-status="approved"]`)
}

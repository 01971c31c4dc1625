package web

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"partnercenter/internal/demo"
	"partnercenter/internal/platform/clock"
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

// 由华为共享 in the browser (§11.1.3): the ecosystem manager opens 数联云服务
// (role certified, PCE, a jointly built Offering), reads the check list,
// shares an HO; the partner's admin finds it 待接受 with its due time on
// 由华为共享, accepts it in the confirmation dialog, and reads whom to call
// if that was a mistake; the manager sees it accepted.
func TestJourneyHOSharedAccepted(t *testing.T) {
	env := newEnv(t)
	customer := fmt.Sprintf("HO旅程客户%d有限公司", time.Now().UnixNano()%1e7)
	eco := newBrowser(t, env)
	eco.login(demo.EcoManager, demo.DemoPassword)
	eco.open(fmt.Sprintf("/partners/%d", slPartner(t, env)))
	eco.click(`[data-testid="ho-share-open"]`)
	eco.waitVisible(`[data-testid="ho-checks"][data-eligible="true"]`)
	if got := eco.text(`[data-testid="ho-checks"]`); !strings.Contains(got, "角色认证") || !strings.Contains(got, "联合共建") {
		t.Fatalf("the check list: %q", got)
	}
	for sel, v := range map[string]string{"#customer_name": customer, "#budget": "880000", "#customer_owner": "刘洋",
		"#requirement": "营销中台上云"} {
		eco.do(chromedp.SendKeys(chromedp.CSS(sel), v))
	}
	eco.do(chromedp.SetValue(chromedp.CSS("#industry"), "retail"),
		chromedp.SetValue(chromedp.CSS("#purchase_on"), time.Now().AddDate(0, 2, 0).Format(time.DateOnly)),
		chromedp.SetValue(chromedp.CSS("#crm_created_at"), time.Now().Add(-48*time.Hour).In(clock.China).Format("2006-01-02T15:04")))
	eco.shot("ho-share")
	eco.click(`[data-testid="ho-share"]`)
	eco.waitVisible(`[data-testid="toast-success"]`)
	eco.waitVisible(`[data-testid="ho-head"][data-status="pending"]`)
	vendorPath := strings.TrimPrefix(eco.location(), env.Srv.URL)

	sl := newBrowser(t, env)
	sl.login(demo.SLAdmin, demo.DemoPassword)
	sl.open("/opportunities/ho?q=" + customer)
	sl.waitVisible(`[data-testid="ho-row"][data-status="pending"] [data-testid="ho-left"]`)
	sl.click(`[data-testid="ho-open"]`)
	if got := sl.text(`[data-testid="ho-due"]`); !strings.Contains(got, "逾期失效") {
		t.Fatalf("the due time is explained: %q", got)
	}
	sl.click(`[data-testid="ho-accept"]`)
	if d := sl.confirmDialog(); !strings.Contains(d, customer) {
		t.Fatalf("the acceptance is confirmed: %q", d)
	}
	sl.acceptDialog()
	sl.waitVisible(`[data-testid="toast-success"]`)
	sl.waitVisible(`[data-testid="ho-head"][data-status="accepted"]`)
	if got := sl.text(`[data-testid="ho-withdraw-hint"]`); !strings.Contains(got, "请立即联系您的华为云PDM或客户负责人，申请撤回机会点") {
		t.Fatalf("the withdrawal sentence: %q", got)
	}
	sl.shot("ho-accepted")

	eco.open(vendorPath)
	eco.waitVisible(`[data-testid="ho-head"][data-status="accepted"]`)
	eco.waitVisible(`[data-testid="ho-withdraw-form"]`)
}

package web

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"partnercenter/internal/demo"
)

// 退回补充材料 in the browser: the ecosystem manager returns a company's
// onboarding saying what is missing; its admin finds the reason on the
// onboarding page, adds a note and a file and resubmits; the manager
// sees the materials in the history and approves; the company's menus
// open.
func TestJourneyReturnedOnboardingIsResubmittedAndApproved(t *testing.T) {
	env := newEnv(t)
	co := newFreshCompany(t, env, "ret")
	app := co.submitOnboarding(t, env)
	eco := newBrowser(t, env)
	eco.login(demo.EcoManager, demo.DemoPassword)
	eco.open(fmt.Sprintf("/approvals/%d", app.ID))
	eco.waitVisible(`[data-testid="return-form"]`)
	eco.click(`[data-testid="return"]`)
	eco.confirmDialog()
	// An empty textarea cannot be cleared: type into it.
	eco.do(chromedp.SendKeys(chromedp.CSS(openDialog+` [data-testid="confirm-reason"]`), "请补充法定代表人身份证明复印件（加盖公章）。"))
	eco.acceptDialog()
	eco.waitVisible(`[data-testid="toast-success"]`)
	approval := eco.location()

	nr := newBrowser(t, env)
	nr.login(co.Login, demo.DemoPassword)
	if !strings.Contains(nr.text(`main`), "被退回") {
		t.Fatal("the home lists the returned application")
	}
	nr.open("/onboarding")
	if !strings.Contains(nr.text(`[data-testid="progress-text"]`), "法定代表人身份证明") {
		t.Fatal("the onboarding page shows the reviewer's note")
	}
	nr.click(`[data-testid="progress-supplement"]`)
	nr.waitVisible(`[data-testid="resubmit-form"]`)
	file := filepath.Join(t.TempDir(), "身份证明.pdf")
	if err := os.WriteFile(file, []byte("%PDF-1.4\n%journey\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	nr.do(chromedp.SendKeys(chromedp.CSS("#note"), "已补充法定代表人身份证明复印件。"))
	nr.do(chromedp.SetUploadFiles(chromedp.CSS(`[data-testid="resubmit-files"]`), []string{file}))
	nr.shot("resubmit")
	nr.click(`[data-testid="resubmit-submit"]`)
	nr.waitVisible(`[data-testid="toast-success"]`)
	nr.waitVisible(`[data-testid="progress-banner"]`)

	eco.do(chromedp.Navigate(approval), chromedp.WaitReady(chromedp.CSS("body")))
	eco.waitVisible(`[data-testid="history"]`)
	if !strings.Contains(eco.text(`[data-testid="history"]`), "补充材料后重新提交") {
		t.Fatal("the history shows the resubmission")
	}
	if !strings.Contains(eco.text(`[data-testid="attachments"]`), "身份证明.pdf") {
		t.Fatal("the reviewer sees the added file")
	}
	eco.click(`[data-testid="approve"]`)
	eco.confirmDialog()
	eco.acceptDialog()
	eco.waitVisible(`[data-testid="toast-success"]`)

	nr.open("/")
	if menus := nr.visibleMenus(); !strings.Contains(menus, "menu-org") {
		t.Fatalf("after approval the company's menus open: %q", menus)
	}
}

// 商业信息认证 in the browser: a company whose bank-letter draft is ready
// uploads the stamped letter; vendor finance finds it on its desk and
// accepts it; the partner's page says certified.
func TestJourneyBankLetterLeadsToCertifiedBusinessInformation(t *testing.T) {
	env := newEnv(t)
	co := newFreshCompany(t, env, "blj")
	co.activate(t, env)
	co.waitingForBankLetter(t, env)
	md := newBrowser(t, env)
	md.login(co.Login, demo.DemoPassword)
	md.open("/profile/business")
	md.waitVisible(`[data-testid="letter-draft"]`)
	file := filepath.Join(t.TempDir(), "银行函-盖章.pdf")
	if err := os.WriteFile(file, []byte("%PDF-1.4\n%stamped\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	md.do(chromedp.SetUploadFiles(chromedp.CSS(`#letter`), []string{file}))
	md.click(`[data-testid="letter-submit"]`)
	md.waitVisible(`[data-testid="toast-success"]`)
	md.waitVisible(`[data-testid="business-banner"][data-status="letter_review"]`)
	md.shot("letter-uploaded")

	fin := newBrowser(t, env)
	fin.login(demo.VendorFinance, demo.DemoPassword)
	fin.open("/finance/business-infos?status=letter_review")
	fin.do(chromedp.Evaluate[chromedp.Void](`(function(){var r=[...document.querySelectorAll('[data-testid="business-row"]')].find(function(r){return r.innerText.indexOf(` + jsString(co.Name) + `)>=0}); if(!r) throw new Error('not on the desk'); r.querySelector('[data-testid="business-open"]').click();})()`))
	fin.waitVisible(`[data-testid="accept-letter"]`)
	if !fin.has(`[data-testid="compare-account_no"] [data-testid="differs"]`) {
		t.Fatal("the desk marks the account number that differs")
	}
	fin.shot("desk")
	fin.click(`[data-testid="accept-letter"]`)
	fin.waitVisible(`[data-testid="toast-success"]`)

	md.open("/profile/business")
	md.waitVisible(`[data-testid="business-banner"][data-status="certified"]`)
	if !strings.Contains(md.text(`[data-testid="business-banner"]`), "已认证") {
		t.Fatal("the banner says certified")
	}
	md.shot("certified")
}

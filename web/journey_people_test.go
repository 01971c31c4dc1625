package web

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"partnercenter/internal/demo"
)

// The people side of 权益 in a real browser (issue 15): a new employee
// signs up for a personal Huawei account; 智云软件's admin invites it by
// tenant name (an unknown name first: 未查询到账号信息 with the hints); the
// person accepts, uploads an HCIP certificate; the ecosystem manager
// approves it in 个人资质审核 and the admin sees it on the person's page;
// the admin applies for an HCCDA exam voucher for the person (the one
// linked without an e-mail is not selectable); the ecosystem manager
// approves and the vendor administrator issues it; the person redeems it
// in 我的券 and sees its year.
func TestBrowserPeopleJourney(t *testing.T) {
	env := newEnv(t)
	login := fmt.Sprintf("jp%d", time.Now().UnixNano()%1e9)
	b := newBrowser(t, env)

	// Sign-up.
	b.open("/me/register")
	b.fill("#login_name", login)
	b.fill("#name", "新员工")
	b.fill("#password", demo.DemoPassword)
	b.fill("#password_confirm", demo.DemoPassword)
	b.fill("#mobile", fmt.Sprintf("157%08d", time.Now().UnixNano()%1e8))
	b.fill("#email", login+"@journey.example.cn")
	b.click(`[data-testid="me-register-submit"]`)
	b.waitPath("/me")
	b.waitText(`[data-testid="page-title"]`, "邀请")
	if !b.has(`[data-testid="menu-me_vouchers"]`) || b.has(`[data-testid="menu-customers"]`) {
		t.Fatal("the personal console's menus")
	}
	person := b

	// The admin invites: an unknown name first, then the person.
	admin := newBrowser(t, env)
	b = admin
	b.login(demo.ZYAdmin, demo.DemoPassword)
	b.open("/org/specialists/invitations")
	b.fill("#tenant_name", demo.PersonGlobal)
	b.click(`[data-testid="invite-submit"]`)
	b.waitVisible(`[data-testid="invite-hints"]`)
	if !strings.Contains(b.text(`[data-testid="invite-section"]`), "未查询到账号信息") {
		t.Fatal("an international-site account is not 未查询到账号信息")
	}
	b.fill("#tenant_name", demo.PersonQiye)
	b.click(`[data-testid="invite-submit"]`)
	b.waitVisible(`[data-testid="people-checks"]`)
	if !strings.Contains(b.text(`[data-testid="people-checks"]`), "个人华为账号未实名认证为企业用户") {
		t.Fatal("the checks are not shown")
	}
	b.fill("#tenant_name", login)
	b.click(`[data-testid="invite-submit"]`)
	b.waitVisible(`[data-testid="toast-success"]`)
	if !strings.Contains(b.text(`[data-testid="invitation-row"][data-status="pending"]`), login) {
		t.Fatal("the new invitation is not the first pending row")
	}

	// The person accepts and uploads a certificate.
	b = person
	b.open("/me")
	b.click(`[data-testid="me-accept"]`)
	b.acceptDialog()
	b.waitVisible(`[data-testid="me-link"]`)
	b.open("/me/certificates")
	b.do(chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-testid="cert-upload"]').setAttribute('open', '')`))
	b.do(chromedp.SetValue(chromedp.CSS(`#type`), "HCIP"), chromedp.SetValue(chromedp.CSS(`#direction`), "Cloud Service"))
	number := "HCIP-J-" + login
	b.fill("#number", number)
	today := time.Now()
	b.do(chromedp.SetValue(chromedp.CSS(`#issued_on`), today.AddDate(0, -2, 0).Format(time.DateOnly)),
		chromedp.SetValue(chromedp.CSS(`#expires_on`), today.AddDate(3, 0, 0).Format(time.DateOnly)))
	file := filepath.Join(t.TempDir(), "HCIP.pdf")
	if err := os.WriteFile(file, []byte("%PDF-1.4\n% HCIP certificate\n%%EOF\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{file}))
	b.click(`[data-testid="cert-submit"]`)
	b.waitVisible(`[data-testid="cert-row"][data-status="pending"]`)

	// The ecosystem manager approves it.
	eco := newBrowser(t, env)
	b = eco
	b.login(demo.EcoManager, demo.DemoPassword)
	b.open("/partners/certificates?q=" + number)
	b.waitVisible(`[data-testid="review-row"][data-status="pending"]`)
	b.click(`[data-testid="cert-approve"]`)
	b.waitVisible(`[data-testid="toast-success"]`)

	// The admin sees it, and applies for an exam voucher.
	b = admin
	b.open("/org/specialists?q=" + login)
	b.click(`[data-testid="person-detail"]`)
	b.waitVisible(`[data-testid="cert-row"][data-status="approved"]`)
	b.open("/benefits/exam-voucher/new")
	if !b.has(`[data-testid="person-no-email"]`) {
		t.Fatal("王芳 (no e-mail) is not shown as not selectable")
	}
	b.do(chromedp.SetValue(chromedp.CSS(`#exam`), "HCCDA"))
	var personID int64
	env.DB.Raw(`SELECT id FROM users WHERE login_name = ?`, login).Scan(&personID)
	b.click(fmt.Sprintf(`#person-%d`, personID))
	b.do(chromedp.SendKeys(chromedp.CSS("#reason"), "开发者认证考试"))
	b.click(`[data-testid="persons-submit"]`)
	b.waitPath("/benefits/applications")
	var benefitID, appID int64
	env.DB.Raw(`SELECT id, application_id FROM benefit_applications WHERE form->'persons'->0->>'tenant' = ?`, login).Row().Scan(&benefitID, &appID)
	if appID == 0 {
		t.Fatal("no exam voucher application")
	}

	// The ecosystem manager approves; the vendor administrator issues.
	b = eco
	b.open(fmt.Sprintf("/approvals/%d", appID))
	b.waitVisible(`[data-testid="payload-persons"]`)
	b.click(`[data-testid="approve"]`)
	b.acceptDialog()
	b.waitVisible(`[data-testid="toast-success"]`)
	b = newBrowser(t, env)
	b.login(demo.VendorAdmin, demo.DemoPassword)
	b.open("/partners/benefits")
	b.click(fmt.Sprintf(`form[action="/partners/benefits/%d/issue"] [data-testid="benefit-issue"]`, benefitID))
	b.acceptDialog()
	b.waitVisible(`[data-testid="toast-success"]`)

	// The person redeems it.
	b = person
	b.open("/me/vouchers")
	b.waitVisible(`[data-testid="me-voucher"][data-status="issued"] [data-testid="me-voucher-left"]`)
	b.click(`[data-testid="me-redeem"]`)
	b.acceptDialog()
	b.waitVisible(`[data-testid="me-voucher"][data-status="redeemed"] [data-testid="me-voucher-valid"]`)
	b.shot("redeemed")
}

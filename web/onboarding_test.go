package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"partnercenter/internal/approval"
	"partnercenter/internal/demo"
	"partnercenter/internal/partner"
)

func partnerOfLogin(t *testing.T, env *testEnv, login string) *partner.Partner {
	t.Helper()
	var pid int64
	env.DB.Raw(`SELECT partner_id FROM users WHERE login_name = ?`, login).Scan(&pid)
	var p partner.Partner
	if err := env.DB.First(&p, pid).Error; err != nil {
		t.Fatal(err)
	}
	return &p
}

func TestRegisterOnboardApproveGivesFullMenusAndUnreadMessage(t *testing.T) {
	env := newEnv(t)
	form := newCompany("深蓝云计算科技有限公司")
	c := register(t, env, form)
	login := form.Get("login_name")

	page := c.get("/onboarding")
	if page.Status != http.StatusOK {
		t.Fatalf("onboarding form: %d", page.Status)
	}
	doc := page.doc(t)
	if v, _ := doc.Find(`[data-testid="credit-code"]`).Attr("value"); v != form.Get("credit_code") {
		t.Fatalf("credit code read-only from registration: %q", v)
	}
	if doc.Find(`[data-testid="fast-notice"]`).Length() != 0 {
		t.Fatal("a new company must not see the fast-onboarding notice")
	}
	home := c.get("/").doc(t)
	if home.Find(`[data-testid="onboarding-progress"]`).Length() == 0 || home.Find(`[data-testid="menu-org"]`).Length() != 0 {
		t.Fatal("a registered admin sees the onboarding progress and no 组织 menu")
	}
	if c.get("/org/members").Status != http.StatusForbidden {
		t.Fatal("a registered tenant must not reach 组织")
	}

	c.get("/onboarding")
	r := c.postMultipart("/onboarding", onboardingForm("深蓝云计算科技有限公司"), "licence", "营业执照.png", []byte("\x89PNG\r\n\x1a\n...."))
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/applications/") {
		t.Fatalf("submit onboarding: %d %q\n%s", r.Status, r.Location, r.Body)
	}
	appID := idOf(t, r.Location)
	detail := c.get(r.Location)
	if detail.Status != http.StatusOK || !strings.Contains(detail.Body, "审核中") || detail.doc(t).Find(`[data-testid="attachment-link"]`).Length() != 1 {
		t.Fatalf("application detail: %d", detail.Status)
	}
	if partnerOfLogin(t, env, login).Status != partner.StatusPendingReview {
		t.Fatal("partner must be pending_review")
	}
	if p := c.get("/").doc(t); p.Find(`[data-testid="progress-reviewer"]`).Length() == 0 {
		t.Fatal("home shows the reviewer while under review")
	}
	if c.post("/onboarding", onboardingForm("再次提交")).Status != http.StatusConflict {
		t.Fatal("a second submission while pending must be refused")
	}

	var app approval.Application
	env.DB.First(&app, appID)
	if app.ReviewerID == nil {
		t.Fatal("no reviewer assigned")
	}
	reviewer := env.as(t, loginOf(t, env, *app.ReviewerID))
	inbox := reviewer.get("/approvals?state=submitted&partner=" + url.QueryEscape("深蓝云计算"))
	if !strings.Contains(inbox.Body, "深蓝云计算科技有限公司") {
		t.Fatal("the application must be in the reviewer's inbox")
	}
	rd := reviewer.get("/approvals/" + itoa64(appID))
	if rd.Status != http.StatusOK || rd.doc(t).Find(`[data-testid="checks"] li`).Length() < 3 {
		t.Fatalf("review page with checks: %d", rd.Status)
	}
	if dl := reviewer.get(rd.doc(t).Find(`[data-testid="attachment-link"]`).AttrOr("href", "")); dl.Status != http.StatusOK ||
		!strings.HasPrefix(dl.Body, "\x89PNG") || !strings.Contains(dl.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("attachment download: %d", dl.Status)
	}
	if r := reviewer.post("/approvals/"+itoa64(appID)+"/approve", url.Values{"comment": {"资料齐全"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("approve: %d", r.Status)
	}
	again := reviewer.post("/approvals/"+itoa64(appID)+"/reject", url.Values{"reason": {"晚了"}})
	if again.Status != http.StatusConflict || !strings.Contains(again.Body, "不能重复审批") {
		t.Fatalf("second decision: %d", again.Status)
	}

	p := partnerOfLogin(t, env, login)
	if p.Status != partner.StatusActive || p.JoinedHCPNAt == nil || p.EcoManagerID == nil {
		t.Fatalf("approved partner %+v", p)
	}
	h := c.get("/")
	hd := h.doc(t)
	if hd.Find(`[data-testid="unread-badge"]`).Length() == 0 {
		t.Fatal("the new admin must see the unread badge")
	}
	if _, ok := env.App.perms["GET /org/members"]; ok && hd.Find(`[data-testid="menu-org"]`).Length() == 0 {
		t.Fatal("the active admin must see the 组织 menu")
	}
	if c.get("/onboarding").Status != http.StatusForbidden {
		t.Fatal("an active tenant no longer holds the onboarding form")
	}
	msgs := c.get("/messages?unread=1")
	if !strings.Contains(msgs.Body, "入驻审核通过") {
		t.Fatal("the approval message 入驻审核通过 must be listed")
	}
}

func TestOnboardingRejectionNeedsReasonAndLetsAdminResubmit(t *testing.T) {
	env := newEnv(t)
	c := register(t, env, newCompany("驳回测试科技有限公司"))
	c.get("/onboarding")
	r := c.post("/onboarding", onboardingForm("驳回测试科技有限公司"))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("submit: %d", r.Status)
	}
	appID := idOf(t, r.Location)
	admin := env.as(t, demo.VendorAdmin)
	admin.get("/approvals/" + itoa64(appID))
	bad := admin.post("/approvals/"+itoa64(appID)+"/reject", url.Values{"reason": {"  "}})
	// The rejection dialog opens again with the message under the reason.
	if bad.Status != http.StatusUnprocessableEntity ||
		strings.TrimSpace(bad.doc(t).Find(`[data-testid="reject-form"] dialog[data-autoshow] [data-testid="confirm-reason-error"]`).Text()) == "" {
		t.Fatalf("reject without reason: %d", bad.Status)
	}
	long := admin.post("/approvals/"+itoa64(appID)+"/reject", url.Values{"reason": {strings.Repeat("因", 1001)}})
	if long.Status != http.StatusUnprocessableEntity {
		t.Fatalf("reason over 1000 characters: %d", long.Status)
	}
	if r := admin.post("/approvals/"+itoa64(appID)+"/reject", url.Values{"reason": {"法人信息与营业执照不符"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("reject: %d", r.Status)
	}
	msgs := c.get("/messages")
	if !strings.Contains(msgs.Body, "入驻审核未通过") || !strings.Contains(msgs.Body, "法人信息与营业执照不符") {
		t.Fatal("the admin is told the reason by 站内信")
	}
	home := c.get("/").doc(t)
	if !strings.Contains(home.Find(`[data-testid="onboarding-progress"]`).Text(), "法人信息与营业执照不符") {
		t.Fatal("home progress shows the reason")
	}
	page := c.get("/onboarding")
	if page.doc(t).Find(`[data-testid="rejected-notice"]`).Length() == 0 || page.doc(t).Find(`[data-testid="onboarding-form"]`).Length() == 0 {
		t.Fatal("the rejected admin sees the reason and the form again")
	}
	r = c.post("/onboarding", onboardingForm("驳回测试科技有限公司"))
	if r.Status != http.StatusSeeOther || idOf(t, r.Location) == appID {
		t.Fatalf("resubmission creates a new application: %d %q", r.Status, r.Location)
	}
}

func TestFastOnboardingOfSameEntityShowsSeedNoticeAndApprovesAtOnce(t *testing.T) {
	env := newEnv(t)
	var sp partner.Partner
	env.DB.First(&sp, env.World.SP)
	form := newCompany(sp.Name)
	form.Set("credit_code", sp.CreditCode)
	c := register(t, env, form)
	page := c.get("/onboarding").doc(t)
	if !strings.Contains(page.Find(`[data-testid="fast-notice"]`).Text(), "公司已经是华为云合作伙伴，支持新账号快速入驻成为华为云合作伙伴") {
		t.Fatal("the seed notice of §3.2 must be shown")
	}
	if page.Find(`input[name="address"]`).Length() != 0 {
		t.Fatal("fast onboarding asks only contacts and agreements")
	}
	r := c.post("/onboarding", url.Values{"company_name": {sp.Name}, "contact_name": {"快速"}, "contact_position": {"经理"},
		"contact_mobile": {"13912340001"}, "contact_email": {"fast@example.cn"},
		"agreements": {"partner_agreement", "management_rules", "code_of_conduct", "integrity_handbook"}})
	if r.Status != http.StatusSeeOther || r.Location != "/" {
		t.Fatalf("fast onboarding: %d %q\n%s", r.Status, r.Location, r.Body)
	}
	p := partnerOfLogin(t, env, form.Get("login_name"))
	if p.Status != partner.StatusActive || p.Address != sp.Address || p.EcoManagerID == nil || *p.EcoManagerID != *sp.EcoManagerID {
		t.Fatalf("fast onboarded partner %+v", p)
	}
}

func TestRegistrationRefusesBadChecksumAndTakenEmail(t *testing.T) {
	env := newEnv(t)
	c := env.client(t)
	c.get("/register")
	before := env.countRows(t, "partners")
	form := newCompany("校验失败有限公司")
	form.Set("credit_code", "91310117557415205K")
	r := c.post("/register", form)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.doc(t).Find(`[data-testid="error-credit_code"]`).Text(), "统一社会信用代码校验不通过") {
		t.Fatalf("bad checksum: %d", r.Status)
	}
	if v, _ := r.doc(t).Find(`input[name="company_name"]`).Attr("value"); v != "校验失败有限公司" {
		t.Fatal("entered values are kept")
	}
	form = newCompany("重复邮箱有限公司")
	form.Set("email", "admin@example-cloud.cn") // sp_admin's
	r = c.post("/register", form)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "邮箱/手机号已被注册") {
		t.Fatalf("taken email: %d", r.Status)
	}
	if env.countRows(t, "partners") != before {
		t.Fatal("refused registrations create nothing")
	}
}

func TestAnotherTenantsOnboardingApplicationIs404(t *testing.T) {
	env := newEnv(t)
	var nrApp int64
	env.DB.Raw(`SELECT a.id FROM applications a JOIN users u ON u.id = a.applicant_user_id WHERE u.login_name = ?`, demo.NRAdmin).Scan(&nrApp)
	if nrApp == 0 {
		t.Fatal("demo: nr_admin's application missing")
	}
	for _, acc := range []string{demo.MDAdmin, demo.SPAdmin} {
		if r := env.as(t, acc).get("/applications/" + itoa64(nrApp)); r.Status != http.StatusNotFound {
			t.Errorf("%s: %d", acc, r.Status)
		}
	}
	if r := env.as(t, "eco_manager2").get("/approvals/" + itoa64(nrApp)); r.Status != http.StatusNotFound {
		t.Errorf("eco_manager2 on eco_manager's application: %d", r.Status)
	}
	if r := env.as(t, demo.NRAdmin).get("/applications/" + itoa64(nrApp)); r.Status != http.StatusOK {
		t.Errorf("own application: %d", r.Status)
	}
}

func TestVendorInboxShowsOverdueDemoApplicationOnlyToItsManager(t *testing.T) {
	env := newEnv(t)
	eco := env.as(t, demo.EcoManager)
	r := eco.get("/approvals?overdue=1")
	if !strings.Contains(r.Body, "新锐数据服务有限公司") || r.doc(t).Find(`[data-testid="overdue"]`).Length() == 0 {
		t.Fatal("the overdue onboarding of 新锐数据 waits in eco_manager's inbox")
	}
	if strings.Contains(env.as(t, "eco_manager2").get("/approvals").Body, "新锐数据服务有限公司") {
		t.Fatal("eco_manager2 must not see 新锐数据")
	}
	home := eco.get("/").doc(t)
	if home.Find(`[data-testid="stat-overdue"]`).Text() == "" || strings.Contains(home.Find(`[data-testid="stat-overdue"]`).Text(), ">0<") {
		t.Fatal("vendor home counts")
	}
	if !strings.Contains(home.Find(`[data-testid="stat-overdue"]`).Text(), "1") && !strings.Contains(home.Find(`[data-testid="stat-overdue"]`).Text(), "2") {
		t.Fatalf("overdue count: %q", home.Find(`[data-testid="stat-overdue"]`).Text())
	}
	// htmx filter returns the table.
	h := eco.htmx(http.MethodGet, "/approvals?state=rejected", nil)
	if h.Status != http.StatusOK || !strings.Contains(h.Body, "北辰信息技术有限公司") {
		t.Fatalf("rejected tab: %d", h.Status)
	}
}

func TestPartnerWithdrawsOnboardingAndCanSubmitAgain(t *testing.T) {
	env := newEnv(t)
	form := newCompany("撤回测试有限公司")
	c := register(t, env, form)
	c.get("/onboarding")
	r := c.post("/onboarding", onboardingForm("撤回测试有限公司"))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("submit: %d", r.Status)
	}
	page := c.get(r.Location)
	if page.doc(t).Find(`[data-testid="withdraw"]`).Length() == 0 {
		t.Fatal("withdraw button")
	}
	if w := c.post(r.Location+"/withdraw", nil); w.Status != http.StatusSeeOther {
		t.Fatalf("withdraw: %d", w.Status)
	}
	if partnerOfLogin(t, env, form.Get("login_name")).Status != partner.StatusRegistered {
		t.Fatal("withdrawn onboarding returns the tenant to registered")
	}
	if w := c.post(r.Location+"/withdraw", nil); w.Status != http.StatusConflict {
		t.Fatalf("second withdraw: %d", w.Status)
	}
	if c.get("/onboarding").doc(t).Find(`[data-testid="onboarding-form"]`).Length() == 0 {
		t.Fatal("the form is open again")
	}
}

func TestMessagesOpenMarksReadAndFollowsLink(t *testing.T) {
	env := newEnv(t)
	form := newCompany("消息测试有限公司")
	c := register(t, env, form)
	login := form.Get("login_name")
	withLink := sendTestMessage(t, env, login, "/applications")
	plain := sendTestMessage(t, env, login, "")
	third := sendTestMessage(t, env, login, "")
	list := c.get("/messages?unread=1").doc(t)
	if list.Find(`[data-testid="message"]`).Length() != 3 || list.Find(`[data-testid="unread-badge"]`).Text() != "3" {
		t.Fatalf("unread list: %d messages, badge %q", list.Find(`[data-testid="message"]`).Length(), list.Find(`[data-testid="unread-badge"]`).Text())
	}
	r := c.get("/messages/" + itoa64(withLink))
	if r.Status != http.StatusSeeOther || r.Location != "/applications" {
		t.Fatalf("open with link: %d %q", r.Status, r.Location)
	}
	if d := c.get("/messages/" + itoa64(plain)); d.Status != http.StatusOK || d.doc(t).Find(`[data-testid="message-body"]`).Length() == 0 {
		t.Fatalf("open without link: %d", d.Status)
	}
	if r := c.post("/messages/"+itoa64(third)+"/read", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("mark read: %d", r.Status)
	}
	if c.get("/").doc(t).Find(`[data-testid="unread-badge"]`).Length() != 0 {
		t.Fatal("no unread badge once all are read")
	}
	sendTestMessage(t, env, login, "")
	if r := c.post("/messages/read-all", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("read all: %d", r.Status)
	}
	var n int64
	env.DB.Raw(`SELECT count(*) FROM messages m JOIN users u ON u.id = m.user_id WHERE u.login_name = ? AND m.read_at IS NULL`, login).Scan(&n)
	if n != 0 {
		t.Fatalf("%d unread after read-all", n)
	}
	if r := c.get("/messages/" + itoa64(sendTestMessage(t, env, demo.SPAdmin, ""))); r.Status != http.StatusNotFound {
		t.Fatalf("another user's message: %d", r.Status)
	}
}

func TestDemoMessagesRenderInEnglishToo(t *testing.T) {
	env := newEnv(t)
	c := env.as(t, demo.SPAdmin)
	// The onboarding message is sp_admin's oldest (two years ago): the
	// last page, whatever other tests sent since.
	find := func(text string) bool {
		for page := 1; page <= 50; page++ {
			r := c.get("/messages?page=" + strconv.Itoa(page))
			if strings.Contains(r.Body, text) {
				return true
			}
			if r.doc(t).Find(`[data-testid="message"]`).Length() == 0 {
				return false
			}
		}
		return false
	}
	if !find("入驻审核通过") {
		t.Fatal("sp_admin's onboarding message")
	}
	c.post("/locale", url.Values{"lang": {"en-US"}})
	defer c.post("/locale", url.Values{"lang": {"zh-CN"}})
	if !find("Onboarding approved") {
		t.Fatal("messages render in the reader's language")
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

func TestOnboardingFormShowsInlineErrorsAndRefusesWrongFileType(t *testing.T) {
	env := newEnv(t)
	c := env.client(t)
	c.get("/register")
	before := c.sessionCookie()
	form := newCompany("表单校验有限公司")
	if r := c.post("/register", form); r.Status != http.StatusSeeOther {
		t.Fatalf("register: %d", r.Status)
	}
	if after := c.sessionCookie(); after == "" || after == before {
		t.Fatal("registration signs in with a new session")
	}
	c.get("/onboarding")
	r := c.post("/onboarding", url.Values{"company_name": {"表单校验有限公司"}, "contact_mobile": {"123"}})
	d := r.doc(t)
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("invalid form: %d", r.Status)
	}
	for _, f := range []string{"address", "legal_representative", "contact_name", "contact_mobile", "contact_email", "agreements"} {
		if d.Find(`[data-testid="error-`+f+`"]`).Length() == 0 {
			t.Errorf("no inline error for %s", f)
		}
	}
	if v, _ := d.Find(`input[name="contact_mobile"]`).Attr("value"); v != "123" {
		t.Error("entered values are kept")
	}
	c.get("/onboarding")
	r = c.postMultipart("/onboarding", onboardingForm("表单校验有限公司"), "licence", "virus.exe", []byte("MZ\x90\x00"))
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.doc(t).Find(`[data-testid="error-licence"]`).Text(), "PDF") {
		t.Fatalf("wrong file type: %d", r.Status)
	}
	if partnerOfLogin(t, env, form.Get("login_name")).Status != partner.StatusRegistered {
		t.Fatal("refused submissions change nothing")
	}
}

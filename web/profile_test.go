package web

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"partnercenter/internal/demo"
	"partnercenter/internal/identity"
	"partnercenter/internal/partner"
)

// profileMultipart submits a multipart form (fields and files) with the CSRF
// token of the last page fetched.
func (c *client) profileMultipart(path string, fields map[string]string, files map[string][]byte) *response {
	c.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("_csrf", c.csrf)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	for name, data := range files {
		fw, _ := w.CreateFormFile(name, name+".bin")
		_, _ = fw.Write(data)
	}
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, c.env.Srv.URL+path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

var profileTempSeq atomic.Int64

// profileTempUser creates an active member of 示例云科技 with the demo
// password, for tests that change passwords or end sessions.
func profileTempUser(t *testing.T, env *testEnv) string {
	t.Helper()
	login := fmt.Sprintf("pt_user%d_%d", profileTempSeq.Add(1), time.Now().UnixNano()%100000)
	hash, err := identity.HashPassword(demo.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	pid := env.World.SP
	u := identity.User{Kind: identity.KindPartner, PartnerID: &pid, LoginName: login, DisplayName: "临时成员",
		PasswordHash: hash, Status: identity.StatusActive, Locale: "zh-CN", PasswordChangedAt: time.Now().UTC()}
	if err := env.DB.Create(&u).Error; err != nil {
		t.Fatal(err)
	}
	env.World.Users[login] = u.ID
	return login
}

func (c *client) profileSessionRowID() int64 {
	c.t.Helper()
	var id int64
	c.env.DB.Raw(`SELECT id FROM user_sessions WHERE token_hash = sha256(?::bytea)`, c.sessionCookie()).Scan(&id)
	if id == 0 {
		c.t.Fatal("no session row for the client's cookie")
	}
	return id
}

func profileSignedOut(r *response) bool {
	return r.Status == http.StatusSeeOther && strings.HasPrefix(r.Location, "/login")
}

func TestMemberSeesCompanyInfoWithoutEditButtonsAndCannotEditLicence(t *testing.T) {
	env := newEnv(t)
	c := env.as(t, demo.SPViewer)
	r := c.get("/profile/company")
	if r.Status != http.StatusOK {
		t.Fatalf("company page: %d", r.Status)
	}
	d := r.doc(t)
	if got := d.Find(`[data-testid="company-name"]`).Text(); got != "示例云科技有限公司" {
		t.Fatalf("company name %q", got)
	}
	if d.Find(`[data-testid="credit-code"]`).Text() == "" || !strings.Contains(r.Body, "刘洋") {
		t.Fatal("credit code and contacts must be shown")
	}
	for _, sel := range []string{"edit-licence", "logo-form", "edit-intro"} {
		if d.Find(`[data-testid="`+sel+`"]`).Length() != 0 {
			t.Errorf("a member must not see %s (main account only, seed 003 §6.1.2)", sel)
		}
	}
	if d.Find(`[data-testid="licence-main-only"]`).Length() == 0 {
		t.Error("the page should say that only the main account edits licence data")
	}
	// ?edit=licence does not open the form for a member either.
	if c.get("/profile/company?edit=licence").doc(t).Find(`[data-testid="licence-form"]`).Length() != 0 {
		t.Error("licence form shown to a member")
	}
	before := env.dbDigest(t)
	res := c.profileMultipart("/profile/company/licence", map[string]string{"name": "篡改", "licence_code": "x"}, nil)
	if res.Status != http.StatusForbidden || !strings.Contains(res.Body, "没有访问权限") {
		t.Fatalf("member POST licence: %d", res.Status)
	}
	after := env.dbDigest(t)
	for tb, v := range before {
		if after[tb] != v {
			t.Errorf("refused request changed %s", tb)
		}
	}
}

func TestMainAccountLicenceWithAnotherCreditCodeShowsSeedMessageAndChangesNothing(t *testing.T) {
	env := newEnv(t)
	c := env.as(t, demo.SPAdmin)
	d := c.get("/profile/company").doc(t)
	if d.Find(`[data-testid="edit-licence"]`).Length() == 0 || d.Find(`[data-testid="logo-form"]`).Length() == 0 {
		t.Fatal("the main account must see the licence and logo actions")
	}
	if c.get("/profile/company?edit=licence").doc(t).Find(`[data-testid="licence-form"]`).Length() != 1 {
		t.Fatal("licence form missing")
	}
	var md partner.Partner
	env.DB.First(&md, env.World.MD)
	var sp partner.Partner
	env.DB.First(&sp, env.World.SP)
	fields := map[string]string{"name": "示例云科技（新）有限公司", "registered_capital": sp.RegisteredCapital,
		"established_on": "2016-03-01", "legal_representative": sp.LegalRepresentative, "address": sp.Address,
		"postal_code": sp.PostalCode, "business_scope": sp.BusinessScope, "licence_code": md.CreditCode}
	pdf := []byte("%PDF-1.4\n%%EOF\n")
	files := env.countRows(t, "files")
	r := c.profileMultipart("/profile/company/licence", fields, map[string][]byte{"licence_file": pdf})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", r.Status)
	}
	rd := r.doc(t)
	if !strings.Contains(rd.Find(`[data-testid="form-error"]`).Text(), "您上传的营业执照文件中的统一社会信用代码/组织机构代码与当前的不一致，无法修改基本信息") {
		t.Fatal("the seed's exact message (seed 003 §6.1.3) must be shown")
	}
	if v, _ := rd.Find(`input[name="name"]`).Attr("value"); v != fields["name"] {
		t.Fatalf("entered values must be kept, name=%q", v)
	}
	var now partner.Partner
	env.DB.First(&now, env.World.SP)
	if now.Name != sp.Name || env.countRows(t, "files") != files {
		t.Fatal("a refused licence change must change nothing")
	}

	// With the right code (and the same data) it goes through and is audited.
	fields["name"], fields["licence_code"] = sp.Name, strings.ToLower(sp.CreditCode)
	if sp.EstablishedOn != nil {
		fields["established_on"] = sp.EstablishedOn.Format("2006-01-02")
	}
	c.get("/profile/company?edit=licence")
	r = c.profileMultipart("/profile/company/licence", fields, map[string][]byte{"licence_file": pdf})
	if r.Status != http.StatusSeeOther || r.Location != "/profile/company" {
		t.Fatalf("valid licence change: %d %s", r.Status, r.Body)
	}
	env.DB.Exec(`UPDATE partners SET established_on = ? WHERE id = ?`, sp.EstablishedOn, sp.ID) // keep the demo as it was
	var n int64
	env.DB.Table("audit_log").Where("partner_id = ? AND action = 'partner.licence.update'", env.World.SP).Count(&n)
	if n == 0 {
		t.Fatal("licence change not audited")
	}
}

func TestContactsFormShowsInlineErrorsForBadInput(t *testing.T) {
	env := newEnv(t)
	c := env.as(t, demo.SPViewer)
	d := c.get("/profile/company?edit=contacts").doc(t)
	if d.Find(`[data-testid="contacts-form"]`).Length() != 1 {
		t.Fatal("members hold 修改账号信息 and may edit contacts (seed 003 §6.1.5)")
	}
	r := c.post("/profile/company/contacts", url.Values{"contact_name": {"刘洋"}, "contact_mobile": {"1380000"},
		"contact_email": {"bad"}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", r.Status)
	}
	rd := r.doc(t)
	if rd.Find(`[data-testid="error-contact_mobile"]`).Length() != 1 || rd.Find(`[data-testid="error-contact_email"]`).Length() != 1 {
		t.Fatal("inline errors missing")
	}
}

func TestLogoUploadIsSniffedAndServedOnlyToItsTenant(t *testing.T) {
	env := newEnv(t)
	md := env.as(t, demo.MDAdmin)
	md.get("/profile/company")
	r := md.profileMultipart("/profile/company/logo", nil, map[string][]byte{"logo": []byte("<svg onload=alert(1)></svg>")})
	if r.Status != http.StatusUnprocessableEntity || r.doc(t).Find(`[data-testid="error-logo"]`).Length() != 1 {
		t.Fatalf("svg logo: %d", r.Status)
	}
	img := image.NewRGBA(image.Rect(0, 0, 32, 32))
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	r = md.profileMultipart("/profile/company/logo", nil, map[string][]byte{"logo": buf.Bytes()})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("png logo: %d", r.Status)
	}
	r = md.get("/profile/company/logo")
	if r.Status != http.StatusOK || r.Header.Get("Content-Type") != "image/png" || r.Body != buf.String() ||
		r.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("logo served as %d %q", r.Status, r.Header.Get("Content-Type"))
	}
	// Another tenant gets its own logo (or the placeholder), never md's.
	cr := env.as(t, demo.CRAdmin).get("/profile/company/logo")
	if cr.Status != http.StatusOK || cr.Body == buf.String() {
		t.Fatal("another tenant received md's logo")
	}
	if v := env.as(t, demo.EcoManager).get("/profile/company/logo"); v.Status != http.StatusForbidden {
		t.Fatalf("vendor staff: %d", v.Status)
	}
}

func TestPasswordChangeNeedsOldPasswordAndEndsOtherSessionsOnly(t *testing.T) {
	env := newEnv(t)
	login := profileTempUser(t, env)
	a := env.as(t, login)
	b := env.as(t, login)
	d := a.get("/profile/personal").doc(t)
	if d.Find(`[data-testid="password-form"]`).Length() != 1 {
		t.Fatal("password form missing")
	}
	r := a.post("/profile/password", url.Values{"old_password": {"Wrong@pass2025"}, "new_password": {"Fresh@pass2026"},
		"confirm_password": {"Fresh@pass2026"}})
	if r.Status != http.StatusUnprocessableEntity || r.doc(t).Find(`[data-testid="error-old_password"]`).Length() != 1 {
		t.Fatalf("wrong old password: %d", r.Status)
	}
	if profileSignedOut(b.get("/profile/personal")) {
		t.Fatal("a refused change must not end sessions")
	}
	r = a.post("/profile/password", url.Values{"old_password": {demo.DemoPassword}, "new_password": {"Fresh@pass2026"},
		"confirm_password": {"Fresh@pass2026"}})
	if r.Status != http.StatusSeeOther || r.Location != "/profile/personal" {
		t.Fatalf("change: %d", r.Status)
	}
	if !profileSignedOut(b.get("/profile/personal")) {
		t.Fatal("the other session must be sent to sign in after a password change")
	}
	if r := a.get("/profile/personal"); r.Status != http.StatusOK || r.doc(t).Find(`[data-testid="toast-success"]`).Length() != 1 {
		t.Fatalf("the current session must stay signed in with a toast: %d", r.Status)
	}
	// The new password works; the old one does not.
	c := env.client(t)
	c.get("/login")
	if r := c.post("/login", url.Values{"login_name": {login}, "password": {"Fresh@pass2026"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("sign in with the new password: %d", r.Status)
	}
}

func TestUserEndsAnotherOfItsSessionsButNotSomeoneElses(t *testing.T) {
	env := newEnv(t)
	login := profileTempUser(t, env)
	a := env.as(t, login)
	b := env.as(t, login)
	bID := b.profileSessionRowID()
	d := a.get("/profile/sessions").doc(t)
	if d.Find(`[data-testid="session-row"]`).Length() != 2 || d.Find(`[data-testid="current-session"]`).Length() != 1 {
		t.Fatalf("sessions page: %d rows", d.Find(`[data-testid="session-row"]`).Length())
	}
	// Someone else's session id is a 404 and ends nothing.
	viewer := env.as(t, demo.SPViewer)
	viewerID := viewer.profileSessionRowID()
	if r := a.post(fmt.Sprintf("/profile/sessions/%d/end", viewerID), nil); r.Status != http.StatusNotFound {
		t.Fatalf("another user's session: %d, want 404", r.Status)
	}
	if profileSignedOut(viewer.get("/")) {
		t.Fatal("another user's session was ended")
	}
	a.get("/profile/sessions")
	if r := a.post(fmt.Sprintf("/profile/sessions/%d/end", bID), nil); r.Status != http.StatusSeeOther {
		t.Fatalf("end own session: %d", r.Status)
	}
	if !profileSignedOut(b.get("/profile/personal")) {
		t.Fatal("the ended session's next request must go to sign-in")
	}
	if profileSignedOut(a.get("/profile/sessions")) {
		t.Fatal("the current session must stay")
	}
	// End all others.
	c2 := env.as(t, login)
	a.get("/profile/sessions")
	if r := a.post("/profile/sessions/end-others", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("end others: %d", r.Status)
	}
	if !profileSignedOut(c2.get("/")) || profileSignedOut(a.get("/")) {
		t.Fatal("end-others must end the others and keep the current one")
	}
}

func TestPersonalProfileRefusesTakenEmailWithSeedMessage(t *testing.T) {
	env := newEnv(t)
	login := profileTempUser(t, env)
	c := env.as(t, login)
	c.get("/profile/personal")
	r := c.post("/profile/personal", url.Values{"display_name": {"临时"}, "email": {"admin@example-cloud.cn"},
		"mobile": {"13700001234"}, "locale": {"zh-CN"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.doc(t).Find(`[data-testid="error-email"]`).Text(), "邮箱/手机号已被注册") {
		t.Fatalf("taken email: %d", r.Status)
	}
	r = c.post("/profile/personal", url.Values{"display_name": {"临时成员甲"}, "email": {login + "@example.cn"},
		"mobile": {fmt.Sprintf("1370000%04d", profileTempSeq.Add(1)%10000)}, "position": {"测试"}, "locale": {"en-US"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("save: %d", r.Status)
	}
	if r := c.get("/profile/personal"); !strings.Contains(r.Body, "Personal profile") {
		t.Fatal("the language preference must apply")
	}
}

func TestAccountPageShowsTenantAccountAndEcoManager(t *testing.T) {
	env := newEnv(t)
	r := env.as(t, demo.SPViewer).get("/profile/account")
	if r.Status != http.StatusOK {
		t.Fatalf("status %d", r.Status)
	}
	d := r.doc(t)
	if d.Find(`[data-testid="main-login"]`).Text() != demo.SPAdmin || d.Find(`[data-testid="account-eco-manager"]`).Length() != 1 {
		t.Fatal("main login and eco manager must be shown")
	}
	if d.Find(`[data-testid="entity-current"]`).Length() != 1 || strings.Contains(r.Body, "华东数智") {
		t.Fatal("only accounts of the same legal entity are listed")
	}
}

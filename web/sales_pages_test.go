package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"partnercenter/internal/customer"
	"partnercenter/internal/demo"
	"partnercenter/internal/platform/clock"
)

// 销售 > 客户拓展 pages (seed 003 §12.1.2.4–6).

func reportForm(name, mobile, email string) url.Values {
	return url.Values{"customer_name": {name}, "kind": {customer.KindPersonal}, "contact_name": {"王五"}, "mobile": {mobile},
		"email": {email}, "industry": {"制造业"}, "region": {"苏州"}, "notes": {"展会获取的线索"}}
}

func TestReportFormShowsInlineErrorsAndKeepsWhatWasEntered(t *testing.T) {
	env := newEnv(t)
	c := env.as(t, demo.SPAdmin)
	c.get("/sales/reports/new")
	before := env.countRows(t, "customer_reports")
	r := c.post("/sales/reports", url.Values{"customer_name": {""}, "kind": {customer.KindEnterprise}, "credit_code": {"123"},
		"mobile": {"12345"}, "email": {"not-an-email"}, "industry": {"金融"}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", r.Status)
	}
	d := r.doc(t)
	for _, f := range []string{"customer_name", "credit_code", "mobile", "email"} {
		if d.Find(`[data-testid="error-`+f+`"]`).Length() != 1 {
			t.Errorf("no inline error under %s", f)
		}
	}
	if v, _ := d.Find(`#industry`).Attr("value"); v != "金融" {
		t.Errorf("the entered industry is kept: %q", v)
	}
	if env.countRows(t, "customer_reports") != before {
		t.Fatal("a refused report creates nothing")
	}
}

func TestReportingACustomerProtectsItUntilTheShownExpiry(t *testing.T) {
	env := newEnv(t)
	c := env.as(t, demo.SPAdmin)
	c.get("/sales/reports/new")
	u := custUnique()
	name := "报备页面测试" + u
	r := c.post("/sales/reports", reportForm(name, custMobile(), "rp"+u+"@example-customer.cn"))
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/sales/reports/") {
		t.Fatalf("status %d → %q", r.Status, r.Location)
	}
	page := c.get(r.Location)
	d := page.doc(t)
	if got := strings.TrimSpace(d.Find(`[data-testid="toast-success"]`).Text()); !strings.Contains(got, "报备成功") {
		t.Errorf("toast: %q", got)
	}
	if got := strings.TrimSpace(d.Find(`[data-testid="report-status"]`).First().Text()); got != "保护中" {
		t.Errorf("status: %q", got)
	}
	days, _ := custService(env).ReportValidityDays(context.Background())
	want := time.Now().AddDate(0, 0, days).In(clock.China).Format("2006-01-02")
	if !strings.Contains(d.Find(`[data-testid="report-data"]`).Text(), want) {
		t.Errorf("the expiry %s is shown", want)
	}
	if d.Find(`[data-testid="invite-online-form"]`).Length() != 1 || d.Find(`[data-testid="invite-offline-form"]`).Length() != 1 {
		t.Error("a protected report can be invited online and offline from its page")
	}
	list := c.get("/sales/reports?q=" + url.QueryEscape(name)).doc(t)
	row := list.Find(`[data-testid="report-row"]`)
	if row.Length() != 1 || !strings.Contains(row.Find(`[data-testid="report-expires"]`).Text(), want) {
		t.Fatalf("the list shows the report with its expiry: %q", row.Text())
	}
	// The status filter narrows the list (htmx gets the table only).
	if got := c.htmx(http.MethodGet, "/sales/reports?status=expired&q="+url.QueryEscape(name), nil).doc(t); got.Find(`[data-testid="report-row"]`).Length() != 0 {
		t.Error("a protected report is not listed as expired")
	}
}

func TestReportOfAnotherPartnersProtectedCustomerShowsTheReason(t *testing.T) {
	env := newEnv(t)
	mobile := custMobile()
	md := env.as(t, demo.MDAdmin)
	md.get("/sales/reports/new")
	if r := md.post("/sales/reports", reportForm("先报备的客户"+custUnique(), mobile, "")); r.Status != http.StatusSeeOther {
		t.Fatalf("md report: %d", r.Status)
	}
	sp := env.as(t, demo.SPAdmin)
	sp.get("/sales/reports/new")
	before := env.countRows(t, "customer_reports")
	r := sp.post("/sales/reports", reportForm("后报备的客户"+custUnique(), mobile, ""))
	if r.Status != http.StatusConflict {
		t.Fatalf("status %d", r.Status)
	}
	msg := r.doc(t).Find(`[data-testid="form-error"]`).Text()
	if !strings.Contains(msg, "已被其他合作伙伴报备") || strings.Contains(msg, "华东数智") {
		t.Fatalf("the reason, without naming the other partner: %q", msg)
	}
	if env.countRows(t, "customer_reports") != before {
		t.Fatal("nothing is created")
	}
}

func TestReportNeedingManualReviewSaysItWentToTheEcosystemManager(t *testing.T) {
	env := newEnv(t)
	// An existing cloud account registered 30 days ago (seed 001: 注册超过7天
	// goes to manual review).
	u := custUnique()
	mobile := custMobile()
	old := time.Now().AddDate(0, 0, -30)
	if _, err := (&customer.Service{DB: env.DB, Clock: clock.NewFixed(old)}).Register(context.Background(), customer.RegisterInput{
		LoginName: "oldcust" + u, Password: "Cust@2025pass", Name: "老账号客户" + u, Kind: customer.KindPersonal,
		RealName: customer.RealNamePersonal, Mobile: mobile, Email: "old" + u + "@example-customer.cn"}); err != nil {
		t.Fatal(err)
	}
	c := env.as(t, demo.SPAdmin)
	c.get("/sales/reports/new")
	r := c.post("/sales/reports", reportForm("老账号客户"+u, mobile, ""))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("status %d", r.Status)
	}
	d := c.get(r.Location).doc(t)
	if got := d.Find(`[data-testid="toast-success"]`).Text(); !strings.Contains(got, "生态经理") {
		t.Errorf("the toast says it went to the ecosystem manager: %q", got)
	}
	if got := strings.TrimSpace(d.Find(`[data-testid="report-status"]`).First().Text()); got != "审核中" {
		t.Errorf("status: %q", got)
	}
	href, ok := d.Find(`[data-testid="review-link"]`).Attr("href")
	if !ok || !strings.HasPrefix(href, "/applications/") {
		t.Fatalf("a link to the application: %q", href)
	}
	if c.get(href).Status != http.StatusOK {
		t.Error("the application opens")
	}
	if d.Find(`[data-testid="invite-online-form"]`).Length() != 0 {
		t.Error("a report in review cannot be invited")
	}
}

func TestOnlineInvitationShowsTheLinkValidSevenDaysAndTheEmailSent(t *testing.T) {
	env := newEnv(t)
	rep := custReport(t, env, demo.SPAdmin)
	c := env.as(t, demo.SPAdmin)
	page := c.get("/sales/invitations/online?report=" + fmt.Sprint(rep.ID)).doc(t)
	if page.Find(`[data-testid="invite-dialog"][data-autoshow]`).Length() != 1 {
		t.Error("?report= opens the invitation form")
	}
	if v, _ := page.Find(`#report_id option[selected]`).Attr("value"); v != fmt.Sprint(rep.ID) {
		t.Errorf("the report is preselected: %q", v)
	}
	// Email left empty: the reported email is used.
	r := c.post("/sales/invitations/online", url.Values{"report_id": {fmt.Sprint(rep.ID)}, "mode": {customer.ModeConsulting}})
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/sales/invitations/") {
		t.Fatalf("status %d → %q", r.Status, r.Location)
	}
	d := c.get(r.Location).doc(t)
	if got := d.Find(`[data-testid="email-sent"]`).Text(); !strings.Contains(got, rep.Email) {
		t.Errorf("says the email was sent to %s: %q", rep.Email, got)
	}
	path, _ := d.Find(`[data-testid="invite-link"]`).Attr("data-path")
	if !strings.HasPrefix(path, customer.InvitePathPrefix) {
		t.Errorf("the link: %q", path)
	}
	if _, ok := d.Find(`[data-testid="copy-link"]`).Attr("data-copy"); !ok {
		t.Error("a copy button")
	}
	in7 := time.Now().AddDate(0, 0, customer.OnlineLinkDays).In(clock.China).Format("2006-01-02")
	if !strings.Contains(d.Find("main").Text(), in7) {
		t.Errorf("valid until %s", in7)
	}
	list := c.get("/sales/invitations/online?q=" + url.QueryEscape(rep.CustomerName)).doc(t)
	row := list.Find(`[data-testid="invitation-row"]`)
	if row.Length() != 1 || strings.TrimSpace(row.Find(`[data-testid="invitation-status"]`).Text()) != "已发送" {
		t.Fatalf("listed as sent: %q", row.Text())
	}
	if !strings.Contains(row.Text(), "剩余7天") {
		t.Errorf("7 days left: %q", row.Text())
	}
}

func TestReinvitingWithANewEmailReplacesTheLink(t *testing.T) {
	env := newEnv(t)
	inv := custInvitation(t, env, demo.SPAdmin, customer.ChannelOnline)
	c := env.as(t, demo.SPAdmin)
	c.get(fmt.Sprintf("/sales/invitations/online/%d", inv.ID))
	bad := c.post(fmt.Sprintf("/sales/invitations/%d/reinvite", inv.ID), url.Values{"email": {"nope"}})
	if bad.Status != http.StatusUnprocessableEntity || bad.doc(t).Find(`[data-testid="error-email"]`).Length() != 1 {
		t.Fatalf("a bad email: %d", bad.Status)
	}
	r := c.post(fmt.Sprintf("/sales/invitations/%d/reinvite", inv.ID), url.Values{"email": {"new-address@example-customer.cn"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("status %d", r.Status)
	}
	d := c.get(r.Location).doc(t)
	if !strings.Contains(d.Find(`[data-testid="email-sent"]`).Text(), "new-address@example-customer.cn") {
		t.Error("sent to the new email")
	}
	if path, _ := d.Find(`[data-testid="invite-link"]`).Attr("data-path"); path == inv.Path() {
		t.Error("a new link")
	}
	old := c.get(fmt.Sprintf("/sales/invitations/online/%d", inv.ID)).doc(t)
	if got := strings.TrimSpace(old.Find(`[data-testid="invitation-status"]`).First().Text()); got != "已重新邀请" {
		t.Errorf("the old invitation: %q", got)
	}
}

func TestOfflineInvitationHasAQRCodeAndNeverExpires(t *testing.T) {
	env := newEnv(t)
	rep := custReport(t, env, demo.SPAdmin)
	c := env.as(t, demo.SPAdmin)
	c.get("/sales/invitations/offline")
	r := c.post("/sales/invitations/offline", url.Values{"report_id": {fmt.Sprint(rep.ID)}, "mode": {customer.ModeResale}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("status %d", r.Status)
	}
	d := c.get(r.Location).doc(t)
	if !strings.Contains(d.Find("main").Text(), "长期有效") || !strings.Contains(d.Find("main").Text(), "7天内新创建") {
		t.Error("never expires, but only accounts created within 7 days may associate (R10, R11)")
	}
	src, _ := d.Find(`[data-testid="qr-image"]`).Attr("src")
	png := c.get(src)
	if png.Status != http.StatusOK || png.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(png.Body, "\x89PNG") {
		t.Fatalf("QR code: %d %s", png.Status, png.Header.Get("Content-Type"))
	}
	dl, _ := d.Find(`[data-testid="qr-download"]`).Attr("href")
	if got := c.get(dl).Header.Get("Content-Disposition"); !strings.Contains(got, "attachment") {
		t.Errorf("download: %q", got)
	}
	list := c.get("/sales/invitations/offline?q=" + url.QueryEscape(rep.CustomerName)).doc(t)
	if list.Find(`[data-testid="invitation-row"] [data-testid="invitation-qr"]`).Length() != 1 {
		t.Error("the list offers the QR code")
	}
	// An online invitation has no QR code.
	on := custInvitation(t, env, demo.SPAdmin, customer.ChannelOnline)
	if got := c.get(fmt.Sprintf("/sales/invitations/%d/qr.png", on.ID)).Status; got != http.StatusNotFound {
		t.Errorf("online QR: %d", got)
	}
	// An invitation has one address: its channel's.
	if got := c.get(fmt.Sprintf("/sales/invitations/offline/%d", on.ID)).Status; got != http.StatusNotFound {
		t.Errorf("an online invitation under 线下拓展: %d", got)
	}
}

func TestInvitingAnotherPartnersReportIsNotFoundAndChangesNothing(t *testing.T) {
	env := newEnv(t)
	rep := custReport(t, env, demo.SPAdmin)
	md := env.as(t, demo.MDAdmin)
	md.get("/sales/invitations/online")
	before := env.dbDigest(t)
	for _, path := range []string{"/sales/invitations/online", "/sales/invitations/offline"} {
		r := md.post(path, url.Values{"report_id": {fmt.Sprint(rep.ID)}, "email": {"x@example-customer.cn"}, "mode": {customer.ModeResale}})
		if r.Status != http.StatusNotFound {
			t.Errorf("%s: %d", path, r.Status)
		}
	}
	after := env.dbDigest(t)
	for tb, d := range before {
		if after[tb] != d {
			t.Errorf("changed %s", tb)
		}
	}
}

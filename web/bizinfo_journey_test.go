package web

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"partnercenter/internal/bizinfo"
	"partnercenter/internal/demo"
)

// 商业信息认证 through the pages: a company uploads its stamped bank
// letter, vendor finance refuses it without a reason (refused), then
// accepts it; the company re-certifies (a personal account is refused in
// the seed's words; the old account stays the payout target while the
// new one is verified). The demo's 华东数智 shows the same state.
func TestBusinessInformationIsCertifiedThroughThePages(t *testing.T) {
	env := newEnv(t)
	co := newFreshCompany(t, env, "biz")
	co.activate(t, env)
	co.waitingForBankLetter(t, env)
	if s, _ := env.as(t, demo.MDAdmin).get("/profile/business").doc(t).Find(`[data-testid="business-banner"]`).Attr("data-status"); s != bizinfo.StateLetterPending {
		t.Fatalf("the demo's 华东数智: %q", s)
	}
	md, fin := env.as(t, co.Login), env.as(t, demo.VendorFinance)
	sp := md

	page := md.get("/profile/business").doc(t)
	if s, _ := page.Find(`[data-testid="business-banner"]`).Attr("data-status"); s != bizinfo.StateLetterPending {
		t.Fatalf("the company's state: %q", s)
	}
	draft, _ := page.Find(`[data-testid="letter-draft"]`).Attr("href")
	if r := md.get(draft); r.Status != http.StatusOK || !bytes.HasPrefix([]byte(r.Body), []byte("%PDF")) {
		t.Fatalf("draft download: %d", r.Status)
	}
	if r := md.postMultipart("/profile/business/letter", url.Values{}, "", "", nil); r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("upload without a file: %d", r.Status)
	}
	if r := md.postMultipart("/profile/business/letter", url.Values{}, "letter", "银行函.pdf", []byte("%PDF-1.4 stamped")); r.Status != http.StatusSeeOther {
		t.Fatalf("upload: %d", r.Status)
	}

	desk := fin.get("/finance/business-infos?status=letter_review").doc(t)
	var id string
	desk.Find(`[data-testid="business-row"]`).Each(func(_ int, s *goquery.Selection) {
		if strings.Contains(s.Text(), co.Name) {
			id, _ = s.Find(`[data-testid="business-open"]`).Attr("href")
		}
	})
	if id == "" {
		t.Fatal("vendor finance lists the company's letter under review")
	}
	detail := fin.get(id).doc(t)
	if detail.Find(`[data-testid="compare-account_no"] [data-testid="differs"]`).Length() == 0 {
		t.Fatal("the account number differs from the supplier record")
	}
	if r := fin.post(id+"/letter", url.Values{"decision": {"refuse"}}); r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("refusing without a reason: %d", r.Status)
	}
	if r := fin.post(id+"/letter", url.Values{"decision": {"accept"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("accept: %d", r.Status)
	}
	if s, _ := md.get("/profile/business").doc(t).Find(`[data-testid="business-banner"]`).Attr("data-status"); s != bizinfo.StateCertified {
		t.Fatalf("after acceptance: %q", s)
	}
	if r := md.post(id+"/letter", url.Values{"decision": {"accept"}}); r.Status != http.StatusForbidden {
		t.Fatalf("a partner on the vendor desk: %d", r.Status)
	}

	// The company re-certifies.
	form := sp.get("/profile/business?edit=1").doc(t)
	if form.Find(`[data-testid="business-form"]`).Length() == 0 || form.Find(`[data-testid="taxpayer-readonly"]`).Length() == 0 {
		t.Fatal("the re-certification form, with the taxpayer type read-only")
	}
	in := url.Values{"supplier_name": {co.Name}, "bank_name": {"中国银行"}, "account_no": {"6013822000123456"},
		"branch_name": {"中国银行上海张江支行"}, "branch_no": {"104290003791"}, "account_name": {"刘洋"},
		"invoice_address": {"上海市浦东新区张江高科技园区博云路2号"}, "invoice_phone": {"021-50001234"}, "finance_name": {"赵会计"},
		"finance_mobile": {"13800000099"}, "finance_email": {"finance@example.cn"}}
	bad := sp.post("/profile/business", in)
	if bad.Status != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, "不支持，商业信息认证需要对公打款，银行账户必须与公司名称一致。") {
		t.Fatalf("personal account: %d", bad.Status)
	}
	in.Set("account_name", co.Name)
	if r := sp.post("/profile/business", in); r.Status != http.StatusSeeOther {
		t.Fatalf("re-certify: %d", r.Status)
	}
	now := sp.get("/profile/business").doc(t)
	if s, _ := now.Find(`[data-testid="business-banner"]`).Attr("data-status"); s != bizinfo.StateVerifying || now.Find(`[data-testid="payout-note"]`).Length() == 0 {
		t.Fatalf("verifying, the old account kept: %q", s)
	}
	ok, cert, err := bizinfo.Certified(context.Background(), env.DB, co.Partner)
	if err != nil || !ok || cert.AccountNo != "3301040160009876543" {
		t.Fatalf("payout target during re-certification: %+v %v", cert, err)
	}
	var open int64
	env.DB.Raw(`SELECT id FROM business_infos WHERE partner_id = ? AND status = 'auto_verifying'`, co.Partner).Scan(&open)
	if err := env.App.svc.Business.Verify(context.Background(), open); err != nil {
		t.Fatal(err)
	}
	// The new account differs from the supplier record too: a new bank
	// letter is needed, and payments still go to the certified account.
	if s, _ := md.get("/profile/business").doc(t).Find(`[data-testid="business-banner"]`).Attr("data-status"); s != bizinfo.StateLetterNeeded {
		t.Fatalf("after verification: %q", s)
	}
	if _, cert, _ := bizinfo.Certified(context.Background(), env.DB, co.Partner); cert.AccountNo != "3301040160009876543" {
		t.Fatalf("after verification the payout target is %s", cert.AccountNo)
	}
	if r := env.as(t, demo.SPViewer).get("/profile/business"); r.Status != http.StatusForbidden {
		t.Fatalf("a member without the item: %d", r.Status)
	}
}

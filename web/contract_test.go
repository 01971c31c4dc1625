package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"partnercenter/internal/demo"
)

// resetLocale puts demo logins back to Chinese after a test switched them.
func resetLocale(t *testing.T, env *testEnv, logins ...string) {
	t.Cleanup(func() {
		for _, l := range logins {
			env.DB.Exec("UPDATE users SET locale = 'zh-CN' WHERE login_name = ?", l)
		}
	})
}

// partnerIDOf is the partner of a demo login.
func partnerIDOf(t *testing.T, env *testEnv, login string) int64 {
	t.Helper()
	var id int64
	if err := env.DB.Raw(`SELECT partner_id FROM users WHERE login_name = ?`, login).Scan(&id).Error; err != nil || id == 0 {
		t.Fatalf("partner of %s: %v", login, err)
	}
	return id
}

// resetAgreement ends any payment agreement in effect of the login's
// partner, so a test can sign one whatever ran before.
func resetAgreement(t *testing.T, env *testEnv, login string) {
	t.Helper()
	if err := env.DB.Exec(`UPDATE contracts SET status = 'terminated', terminated_at = now(), termination_reason = 'test reset'
		WHERE partner_id = ? AND kind = 'online' AND status = 'active'`, partnerIDOf(t, env, login)).Error; err != nil {
		t.Fatal(err)
	}
}

// contractByCode finds a demo contract id.
func contractByCode(t *testing.T, env *testEnv, code string) int64 {
	t.Helper()
	var id int64
	if err := env.DB.Raw(`SELECT id FROM contracts WHERE code = ?`, code).Scan(&id).Error; err != nil || id == 0 {
		t.Fatalf("contract %s: %v", code, err)
	}
	return id
}

// TestSignPaymentAgreementOverHTTP: the distributor's admin previews the
// agreement (its company, USCC, entity and recharge account in the terms),
// is refused without the checkbox (422, nothing changes), signs (303 to
// the contract), downloads a PDF, and a second signing is refused (409).
func TestSignPaymentAgreementOverHTTP(t *testing.T) {
	env := newEnv(t)
	resetAgreement(t, env, demo.MDAdmin)
	c := env.as(t, demo.MDAdmin)
	r := c.get("/billing/contracts/agreement")
	if r.Status != http.StatusOK {
		t.Fatalf("preview: %d", r.Status)
	}
	d := r.doc(t)
	terms := d.Find(`[data-testid="agreement-terms"]`).Text()
	for _, want := range []string{"华东数智分销有限公司", "专属汇款账号", "我已阅读并同意本协议"} {
		if !strings.Contains(terms+d.Find(`[data-testid="agreement-form"]`).Text(), want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	acct := strings.TrimSpace(d.Find(`[data-testid="agreement-account"]`).Text())
	if acct == "" || !strings.Contains(terms, acct) {
		t.Errorf("terms do not name the recharge account %q", acct)
	}

	before := env.dbDigest(t)
	r = c.post("/billing/contracts/agreement", url.Values{})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "请先阅读协议并勾选") {
		t.Fatalf("without checkbox: %d", r.Status)
	}
	after := env.dbDigest(t)
	for tb, dg := range before {
		if after[tb] != dg && tb != "audit_log" {
			t.Errorf("refused signing changed %s", tb)
		}
	}

	r = c.post("/billing/contracts/agreement", url.Values{"agree": {"on"}})
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/billing/contracts/") {
		t.Fatalf("sign: %d %s", r.Status, r.Location)
	}
	detail := c.get(r.Location)
	if detail.Status != http.StatusOK || !strings.Contains(detail.doc(t).Find(`[data-testid="contract-state"]`).Text(), "生效中") {
		t.Fatalf("detail: %d", detail.Status)
	}
	dl := c.get(r.Location + "/download")
	if dl.Status != http.StatusOK || dl.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(dl.Body, "%PDF-") {
		t.Fatalf("download: %d %s %.8q", dl.Status, dl.Header.Get("Content-Type"), dl.Body)
	}
	again := c.post("/billing/contracts/agreement", url.Values{"agree": {"on"}})
	if again.Status != http.StatusConflict || !strings.Contains(again.Body, "无需重复签署") {
		t.Fatalf("second signing: %d", again.Status)
	}
	list := c.get("/billing/contracts?tab=online")
	if n := list.doc(t).Find(`[data-testid="contract-row"]`).Length(); n < 1 {
		t.Errorf("online tab rows %d", n)
	}
	if !strings.Contains(list.Body, `data-testid="agreement-in-effect"`) {
		t.Error("online tab does not say the agreement is in effect")
	}
}

// TestContractIsolationBothWays: each tenant's contract ids answer 404 to
// the other (details and download), while the master distributor reads
// its cloud reseller's offline contract and scan (§12.3.11).
func TestContractIsolationBothWays(t *testing.T) {
	env := newEnv(t)
	sp := env.as(t, demo.SPAdmin)
	md := env.as(t, demo.MDAdmin)
	spID := spContractID(t, env)
	mdID := contractByCode(t, env, "HDSZ-2025-FZ-001")
	crID := contractByCode(t, env, "YQWL-2025-FZ-003")
	for _, p := range []string{"", "/download"} {
		if r := md.get(fmt.Sprintf("/billing/contracts/%d%s", spID, p)); r.Status != http.StatusNotFound {
			t.Errorf("md_admin on sp's contract%s: %d", p, r.Status)
		}
		if r := sp.get(fmt.Sprintf("/billing/contracts/%d%s", mdID, p)); r.Status != http.StatusNotFound {
			t.Errorf("sp_admin on md's contract%s: %d", p, r.Status)
		}
		if r := sp.get(fmt.Sprintf("/billing/contracts/%d%s", crID, p)); r.Status != http.StatusNotFound {
			t.Errorf("sp_admin on md's reseller's contract%s: %d", p, r.Status)
		}
	}
	r := md.get(fmt.Sprintf("/billing/contracts/%d/download", crID))
	if r.Status != http.StatusOK || !strings.HasPrefix(r.Body, "%PDF-") {
		t.Errorf("md_admin downloads its reseller's scan: %d", r.Status)
	}
	off := md.get("/billing/contracts?tab=offline")
	d := off.doc(t)
	if !strings.Contains(d.Find(`[data-testid="reseller-name"]`).Text(), "杭州云启网络科技有限公司") {
		t.Error("offline tab lacks the reseller column")
	}
	if n := d.Find(`[data-testid="contract-row"]`).Length(); n != 6 && n < 6 {
		t.Errorf("md offline rows %d, want its 3 and its reseller's 3", n)
	}
	// Filters: by state and by exact code.
	exp := md.get("/billing/contracts?tab=offline&state=expired").doc(t)
	exp.Find(`[data-testid="contract-row"]`).Each(func(_ int, s *goquery.Selection) {
		if !strings.Contains(s.Text(), "已到期") {
			t.Errorf("expired filter row: %s", s.Text())
		}
	})
	if n := md.get("/billing/contracts?tab=offline&code=hdsz-2025-qk-007").doc(t).Find(`[data-testid="contract-row"]`).Length(); n != 1 {
		t.Errorf("code search rows %d", n)
	}
	// The cloud reseller has no contract items at all.
	if r := env.as(t, demo.CRAdmin).get("/billing/contracts"); r.Status != http.StatusForbidden {
		t.Errorf("cr_admin: %d", r.Status)
	}
}

// TestVendorFinanceEntersOfflineContracts: vendor finance enters an offline
// contract for the distributor's cloud reseller with a PDF scan; bad input
// re-renders with the field messages in the user's language and stores
// nothing; a non-PDF scan is refused; the distributor sees the contract;
// termination is audited; ecosystem managers are refused.
func TestVendorFinanceEntersOfflineContracts(t *testing.T) {
	env := newEnv(t)
	fin := env.as(t, demo.VendorFinance)
	if r := fin.get("/finance/contracts"); r.Status != http.StatusOK || r.doc(t).Find(`[data-testid="vendor-contract-row"]`).Length() == 0 {
		t.Fatalf("vendor list: %d", r.Status)
	}
	if r := fin.get("/finance/contracts/new?pq=云启"); r.Status != http.StatusOK || !strings.Contains(r.Body, "杭州云启网络科技有限公司") {
		t.Fatalf("form: %d", r.Status)
	}
	cr := partnerIDOf(t, env, demo.CRAdmin)
	code := fmt.Sprintf("VF-%d", time.Now().UnixNano())
	form := url.Values{"partner_id": {fmt.Sprint(cr)}, "code": {code}, "name": {"华为云请款合同（测试）"}, "type": {"payment_request"},
		"entity": {"cloud"}, "amount": {"3,000.50"}, "starts_on": {"2025-01-01"}, "ends_on": {"2024-12-31"}}

	before := env.dbDigest(t)
	r := fin.postMultipart("/finance/contracts", form, "scan", "scan.pdf", []byte("%PDF-1.4\n%%EOF\n"))
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "结束日期不能早于开始日期") {
		t.Fatalf("end before start: %d", r.Status)
	}
	form.Set("ends_on", "2026-12-31")
	r = fin.postMultipart("/finance/contracts", form, "scan", "scan.pdf", []byte("GIF89a not a pdf"))
	if r.Status != http.StatusUnprocessableEntity || r.doc(t).Find(`[data-testid="error-scan"]`).Length() != 1 {
		t.Fatalf("non-PDF scan: %d", r.Status)
	}
	after := env.dbDigest(t)
	for tb, dg := range before {
		if after[tb] != dg {
			t.Errorf("refused entry changed %s", tb)
		}
	}
	// In English the messages are English.
	resetLocale(t, env, demo.VendorAdmin)
	en := env.as(t, demo.VendorAdmin)
	en.post("/locale", url.Values{"lang": {"en-US"}})
	bad := url.Values{"partner_id": {""}, "code": {"a b"}, "amount": {"1.234"}}
	if r := en.postMultipart("/finance/contracts", bad, "", "", nil); r.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, "Choose a partner.") || !strings.Contains(r.Body, "at most 2 decimal places") {
		t.Errorf("english errors: %d", r.Status)
	}

	r = fin.postMultipart("/finance/contracts", form, "scan", "请款合同.pdf", []byte("%PDF-1.4\n%%EOF\n"))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("entry: %d", r.Status)
	}
	id := contractByCode(t, env, code)
	md := env.as(t, demo.MDAdmin)
	row := md.get("/billing/contracts?tab=offline&code=" + code).doc(t).Find(`[data-testid="contract-row"]`)
	if row.Length() != 1 || !strings.Contains(row.Text(), "3,000.50") || !strings.Contains(row.Text(), "生效中") {
		t.Fatalf("md sees the new contract: %d %q", row.Length(), row.Text())
	}
	if r := md.get(fmt.Sprintf("/billing/contracts/%d/download", id)); r.Status != http.StatusOK || !strings.Contains(r.Header.Get("Content-Disposition"), url.PathEscape("请款合同.pdf")) {
		t.Errorf("md download: %d %s", r.Status, r.Header.Get("Content-Disposition"))
	}

	fin.get("/finance/contracts")
	if r := fin.post(fmt.Sprintf("/finance/contracts/%d/terminate", id), url.Values{"reason": {"测试终止"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("terminate: %d", r.Status)
	}
	var state string
	env.DB.Raw(`SELECT status FROM contracts WHERE id = ?`, id).Scan(&state)
	if state != "terminated" {
		t.Errorf("state %s", state)
	}
	var audits int64
	env.DB.Raw(`SELECT count(*) FROM audit_log WHERE object_type = 'contract' AND object_id = ? AND action IN ('contract.offline.create', 'contract.terminate')`,
		fmt.Sprint(id)).Scan(&audits)
	if audits != 2 {
		t.Errorf("audit rows %d", audits)
	}
	// Terminating again changes nothing.
	before = env.dbDigest(t)
	fin.post(fmt.Sprintf("/finance/contracts/%d/terminate", id), url.Values{})
	after = env.dbDigest(t)
	for tb, dg := range before {
		if after[tb] != dg {
			t.Errorf("second termination changed %s", tb)
		}
	}

	eco := env.as(t, demo.EcoManager)
	for _, p := range []string{"/finance/contracts", "/finance/contracts/new"} {
		if r := eco.get(p); r.Status != http.StatusForbidden {
			t.Errorf("eco_manager %s: %d", p, r.Status)
		}
	}
}

// TestContractPagesInBothLanguages: the partner and vendor pages render in
// zh-CN and en-US with their titles.
func TestContractPagesInBothLanguages(t *testing.T) {
	env := newEnv(t)
	resetLocale(t, env, demo.SPAdmin, demo.VendorAdmin)
	for _, lang := range []struct{ code, partner, vendor string }{
		{"zh-CN", "合同商务", "线下合同"}, {"en-US", "Contracts & commerce", "Offline contracts"},
	} {
		sp := env.as(t, demo.SPAdmin)
		sp.post("/locale", url.Values{"lang": {lang.code}})
		for _, p := range []string{"/billing/contracts", "/billing/contracts?tab=offline", "/billing/contracts/agreement",
			fmt.Sprintf("/billing/contracts/%d", spContractID(t, env))} {
			r := sp.get(p)
			if r.Status != http.StatusOK {
				t.Errorf("%s %s: %d", lang.code, p, r.Status)
			}
			if p == "/billing/contracts" && !strings.Contains(r.doc(t).Find(`[data-testid="page-title"]`).Text(), lang.partner) {
				t.Errorf("%s title", lang.code)
			}
		}
		v := env.as(t, demo.VendorAdmin)
		v.post("/locale", url.Values{"lang": {lang.code}})
		for _, p := range []string{"/finance/contracts", "/finance/contracts?kind=online", "/finance/contracts?kind=all&state=terminated", "/finance/contracts/new"} {
			if r := v.get(p); r.Status != http.StatusOK {
				t.Errorf("%s %s: %d", lang.code, p, r.Status)
			}
		}
		if r := v.get("/finance/contracts"); !strings.Contains(r.doc(t).Find(`[data-testid="page-title"]`).Text(), lang.vendor) {
			t.Errorf("%s vendor title", lang.code)
		}
	}
}

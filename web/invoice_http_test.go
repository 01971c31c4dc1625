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
	"partnercenter/internal/partner"
)

// invoiceLine inserts one month of resale cash consumption for a demo
// partner's resale customer (a bill nobody else uses).
func invoiceLine(t *testing.T, env *testEnv, pid int64, period, entity, cash string) {
	t.Helper()
	var cid int64
	env.DB.Raw(`SELECT customer_id FROM associations WHERE partner_id = ? AND mode = 'resale' AND status = 'active' ORDER BY id LIMIT 1`, pid).Scan(&cid)
	if cid == 0 {
		t.Fatal("no resale customer")
	}
	p, err := time.Parse("2006-01", period)
	if err != nil {
		t.Fatal(err)
	}
	if err := env.DB.Exec(`INSERT INTO consumption_records (partner_id, customer_id, mode, bill_type, billing_period, transaction_at,
		signing_entity, product_type, billing_mode, list_price, amount_payable, charged_amount, rounding_off, cash_paid, source_ref)
		VALUES (?, ?, 'resale', 'consumption', ?, ?, ?, '弹性云服务器 ECS', 'on_demand', ?::numeric, ?::numeric, ?::numeric, 0, ?::numeric, ?)`,
		pid, cid, p, p.Add(36*time.Hour), entity, cash, cash, cash, cash, fmt.Sprintf("test-inv-%s-%d-%d", period, pid, time.Now().UnixNano())).Error; err != nil {
		t.Fatal(err)
	}
}

func TestInvoicePageShowsEntityTabsOwedAmountAndEveryState(t *testing.T) {
	env := newEnv(t)
	c := env.as(t, demo.SPAdmin)
	r := c.get("/billing/invoices?entity=software")
	if r.Status != http.StatusOK {
		t.Fatalf("status %d", r.Status)
	}
	d := r.doc(t)
	if d.Find(`[data-testid="entity-tab-software"]`).Text() != "华为软件技术有限公司" || d.Find(`[data-testid="entity-tab-cloud"]`).Text() != "华为云计算技术有限公司" {
		t.Error("a partner whose signing entity changed has both tabs")
	}
	if !strings.Contains(d.Find(`[data-testid="owed"]`).Text(), "欠票") {
		t.Error("the owed invoice amount (R53) is not shown")
	}
	states := map[string]bool{}
	d.Find(`[data-testid="invoice-row"]`).Each(func(_ int, s *goquery.Selection) { states[s.AttrOr("data-state", "")] = true })
	for _, s := range []string{"applied", "issued", "mailed", "returned_requested", "returned"} {
		if !states[s] {
			t.Errorf("no %s invoice in the demo list", s)
		}
	}
	if d.Find(`[data-testid="row-download"]`).Length() == 0 || d.Find(`[data-testid="row-return"]`).Length() == 0 {
		t.Error("row actions download and 退票 missing")
	}
	// Filter by state (htmx or not) narrows the list.
	f := c.get("/billing/invoices?entity=software&state=mailed").doc(t)
	if n := f.Find(`[data-testid="invoice-row"]`).Length(); n != 1 {
		t.Errorf("state filter: %d rows", n)
	}
	// A partner that never changed has only 华为软件.
	md := env.as(t, demo.MDAdmin).get("/billing/invoices").doc(t)
	if md.Find(`[data-testid="entity-tabs"]`).Length() != 0 || !strings.Contains(md.Find(`[data-testid="entity-single"]`).Text(), "华为软件技术有限公司") {
		t.Error("md_admin should see only 华为软件")
	}
	// The customer manager and the cloud reseller have no 发票管理.
	for _, acc := range []string{demo.SPManager1, demo.CRAdmin} {
		if r := env.as(t, acc).get("/billing/invoices"); r.Status != http.StatusForbidden {
			t.Errorf("%s: %d", acc, r.Status)
		}
	}
}

// Bad input gets a clear message in the page, in the user's language,
// and changes nothing.
func TestInvoiceBadInputIsRefusedInThePageAndChangesNothing(t *testing.T) {
	env := newEnv(t)
	c := env.as(t, demo.SPAdmin)
	var infoID, issued int64
	env.DB.Raw(`SELECT id FROM invoice_infos WHERE partner_id = ? AND valid`, env.World.SP).Scan(&infoID)
	issued = spIssuedInvoice(t, env)
	var period time.Time
	env.DB.Raw(`SELECT billing_period FROM invoice_bills WHERE invoice_id = ?`, issued).Scan(&period)
	c.get("/billing/invoices/apply?entity=software")
	cases := []struct {
		name, path string
		form       url.Values
		field      string // data-testid error-<field> expected, or "" for the summary
		want       string
	}{
		{"second invoice info record (R25)", "/billing/invoices/info", url.Values{"title": {"另一家公司"}, "taxpayer_id": {partner.USCCWithCheck("91310115MA1K4A2B3")}}, "", "只能设置1个有效的发票信息"},
		{"title over 100 bytes (R25)", "/billing/invoices/info", url.Values{"id": {fmt.Sprint(infoID)}, "title": {strings.Repeat("云", 51)}, "taxpayer_id": {"x"}}, "title", "100个字节"},
		{"special invoice as electronic (R24)", "/billing/invoices/apply", url.Values{"entity": {"software"}, "mode": {"periods"}, "periods": {period.Format("2006-01")},
			"type": {"special"}, "medium": {"electronic"}}, "medium", "不支持开具电子发票"},
		{"bill already invoiced (R22)", "/billing/invoices/apply", url.Values{"entity": {"software"}, "mode": {"periods"}, "periods": {period.Format("2006-01")},
			"type": {"general"}, "medium": {"electronic"}}, "", "已申请开票"},
		{"amount above invoiceable (R21)", "/billing/invoices/apply", url.Values{"entity": {"cloud"}, "mode": {"amount"}, "amount": {"99999999.00"},
			"type": {"general"}, "medium": {"electronic"}}, "", "超过可开票金额"},
		// The amount field points at the summary (a field message has no arguments).
		{"amount above invoiceable, field", "/billing/invoices/apply", url.Values{"entity": {"cloud"}, "mode": {"amount"}, "amount": {"99999999.00"},
			"type": {"general"}, "medium": {"electronic"}}, "amount", "请调整开票金额"},
		{"return remark over 128 characters", fmt.Sprintf("/billing/invoices/%d/return", issued), url.Values{"reason": {"退款"}, "courier": {"顺丰"},
			"tracking_no": {"SF123456"}, "remark": {strings.Repeat("退", 129)}}, "remark", "128"},
	}
	for _, k := range cases {
		before := env.dbDigest(t)
		r := c.post(k.path, k.form)
		if r.Status != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d", k.name, r.Status)
			continue
		}
		d := r.doc(t)
		sel := `[data-testid="form-error"]`
		if k.field != "" {
			sel = `[data-testid="error-` + k.field + `"]`
		}
		if got := d.Find(sel).Text(); !strings.Contains(got, k.want) {
			t.Errorf("%s: message %q, want it to contain %q", k.name, got, k.want)
		}
		after := env.dbDigest(t)
		for tb, dg := range before {
			if after[tb] != dg {
				t.Errorf("%s changed table %s", k.name, tb)
			}
		}
	}
	// The same refusal in English for a user who reads English.
	en := env.as(t, demo.SPAdmin)
	en.post("/locale", url.Values{"lang": {"en-US"}})
	t.Cleanup(func() { env.DB.Exec("UPDATE users SET locale = 'zh-CN' WHERE login_name = ?", demo.SPAdmin) })
	en.get("/billing/invoices/apply")
	r := en.post("/billing/invoices/apply", url.Values{"entity": {"software"}, "mode": {"periods"}, "periods": {period.Format("2006-01")},
		"type": {"special"}, "medium": {"electronic"}})
	if got := r.doc(t).Find(`[data-testid="error-medium"]`).Text(); !strings.Contains(got, "Special VAT invoices cannot be electronic") {
		t.Errorf("English message %q", got)
	}
}

// The distributor's admin gets 404 for 示例云科技's invoices and files.
func TestInvoiceOfAnotherTenantIsNotFound(t *testing.T) {
	env := newEnv(t)
	id := spIssuedInvoice(t, env)
	c := env.as(t, demo.MDAdmin)
	for _, p := range []string{"", "/pdf", "/return"} {
		if r := c.get(fmt.Sprintf("/billing/invoices/%d%s", id, p)); r.Status != http.StatusNotFound {
			t.Errorf("%s: %d", p, r.Status)
		}
	}
	if r := env.as(t, demo.SPAdmin).get(fmt.Sprintf("/billing/invoices/%d/pdf", id)); r.Status != http.StatusOK || r.Header.Get("Content-Type") != "application/pdf" {
		t.Errorf("owner download: %d %s", r.Status, r.Header.Get("Content-Type"))
	}
}

// Only vendor finance reaches the invoice desk; it issues, mails and
// accepts returns, and the partner's bills are free again after a return.
func TestVendorFinanceIssuesMailsAndTakesBackAnInvoice(t *testing.T) {
	env := newEnv(t)
	for _, acc := range []string{demo.SPAdmin, demo.EcoManager, demo.VendorAdmin} {
		if r := env.as(t, acc).get("/finance/invoices"); r.Status != http.StatusForbidden {
			t.Errorf("%s: %d", acc, r.Status)
		}
	}
	invoiceLine(t, env, env.World.MD, "2019-02", "software", "88.00")
	p := env.as(t, demo.MDAdmin)
	p.get("/billing/invoices/apply")
	r := p.post("/billing/invoices/apply", url.Values{"entity": {"software"}, "mode": {"periods"}, "periods": {"2019-02"}, "type": {"general"},
		"medium": {"paper"}, "recipient": {"吴敏"}, "phone": {"13800000011"}, "address": {"浙江省杭州市西湖区文三路90号"}, "remark": {"测试备注"}})
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/billing/invoices/") {
		t.Fatalf("apply: %d %s", r.Status, r.Location)
	}
	detail := p.get(r.Location).doc(t)
	if !strings.Contains(detail.Find(`[data-testid="detail-postage"]`).Text(), "到付") || detail.Find(`[data-testid="detail-tax"]`).Text() != "¥4.98" {
		t.Errorf("postage %q tax %q", detail.Find(`[data-testid="detail-postage"]`).Text(), detail.Find(`[data-testid="detail-tax"]`).Text())
	}
	id := strings.TrimPrefix(r.Location, "/billing/invoices/")
	f := env.as(t, demo.VendorFinance)
	if q := f.get("/finance/invoices?state=applied"); q.Status != http.StatusOK || !strings.Contains(q.Body, "华东数智分销有限公司") {
		t.Fatalf("queue: %d", q.Status)
	}
	f.get("/finance/invoices/" + id)
	if r := f.post("/finance/invoices/"+id+"/issue", url.Values{"number": {"12x"}}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("bad number: %d", r.Status)
	}
	if r := f.post("/finance/invoices/"+id+"/issue", url.Values{"number": {""}}); r.Status != http.StatusSeeOther {
		t.Fatalf("issue: %d", r.Status)
	}
	if r := f.post("/finance/invoices/"+id+"/issue", nil); r.Status != http.StatusConflict {
		t.Errorf("issue twice: %d", r.Status)
	}
	if r := f.post("/finance/invoices/"+id+"/mail", url.Values{"courier": {"圆通速递"}, "tracking_no": {"YT1234567890"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("mail: %d", r.Status)
	}
	p.get("/billing/invoices/" + id + "/return")
	if r := p.post("/billing/invoices/"+id+"/return", url.Values{"reason": {"退款"}, "courier": {"顺丰"}, "tracking_no": {"SF1234567"}, "remark": {"退款"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("return: %d", r.Status)
	}
	if r := f.post("/finance/invoices/"+id+"/accept-return", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("accept return: %d", r.Status)
	}
	bill := p.get("/billing/invoices?entity=software").doc(t).Find(`[data-testid="bill-row"][data-period="2019-02"]`)
	if bill.AttrOr("data-free", "") != "true" {
		t.Error("a returned invoice did not free its bill")
	}
}

package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/shopspring/decimal"

	"partnercenter/internal/demo"
	"partnercenter/internal/ledger"
)

// demoCustomer returns the id of a demo customer by account name.
func demoCustomer(t *testing.T, env *testEnv, account string) int64 {
	t.Helper()
	var id int64
	if err := env.DB.Raw(`SELECT id FROM customers WHERE account_name = ?`, account).Scan(&id).Error; err != nil || id == 0 {
		t.Fatalf("demo customer %s: %v", account, err)
	}
	return id
}

func cashBalance(t *testing.T, env *testEnv, pid int64) decimal.Decimal {
	t.Helper()
	var b decimal.Decimal
	if err := env.DB.Raw(`SELECT balance FROM ledger_accounts WHERE kind = 'partner_cash' AND partner_id = ?`, pid).Scan(&b).Error; err != nil {
		t.Fatal(err)
	}
	return b
}

func ledgerRows(t *testing.T, env *testEnv) int64 { return env.countRows(t, "ledger_entries") }

// formKey reads the idempotency key a money form rendered.
func formKey(t *testing.T, r *response) string {
	t.Helper()
	k, ok := r.doc(t).Find(`input[name="key"]`).First().Attr("value")
	if !ok || len(k) < 16 {
		t.Fatalf("no idempotency key in the form (status %d)", r.Status)
	}
	return k
}

func mustConsistentLedger(t *testing.T, env *testEnv) {
	t.Helper()
	fs, err := ledger.Check(t.Context(), env.DB)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		t.Errorf("ledger: %s", f)
	}
}

func TestFundsOverviewShowsBalanceDedicatedAccountAndMenu(t *testing.T) {
	env := newEnv(t)
	c := env.as(t, demo.SPAdmin)
	r := c.get("/billing/funds")
	if r.Status != http.StatusOK {
		t.Fatalf("status %d", r.Status)
	}
	d := r.doc(t)
	if got := d.Find(`[data-testid="recharge-account-no"]`).Text(); got != ledger.RechargeAccountNo(env.World.SP) {
		t.Errorf("dedicated account %q", got)
	}
	if !strings.Contains(d.Find(`[data-testid="balance"]`).Text(), "¥") {
		t.Error("balance not shown as money")
	}
	if d.Find(`a[href="/billing/funds"]`).Length() == 0 {
		t.Error("no 账务 > 资金管理 link in the navigation")
	}
	// A customer manager (preset role only) has no account items (seed 003 §7.1.4).
	m := env.as(t, demo.SPManager1)
	if r := m.get("/billing/funds"); r.Status != http.StatusForbidden {
		t.Errorf("customer manager: %d", r.Status)
	}
	if m.get("/").doc(t).Find(`a[href="/billing/funds"]`).Length() != 0 {
		t.Error("customer manager sees the funds menu")
	}
}

// A transfer with the step-up check: preview, a wrong password is refused
// and moves nothing, the right one moves the money once, and replaying the
// confirmed request (same idempotency key) moves nothing again.
func TestTransferWithStepUpRefusesWrongPasswordAndReplaysOnce(t *testing.T) {
	env := newEnv(t)
	c := env.as(t, demo.MDAdmin)
	cid := demoCustomer(t, env, "xihu_tea")
	if r := c.post("/billing/funds/security", url.Values{"stepup": {"on"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("turn step-up on: %d", r.Status)
	}
	t.Cleanup(func() { c.get("/billing/funds"); c.post("/billing/funds/security", url.Values{"stepup": {"off"}}) })

	form := c.get("/billing/funds/transfer?ids=" + strconv.FormatInt(cid, 10))
	if form.Status != http.StatusOK {
		t.Fatalf("form: %d", form.Status)
	}
	key := formKey(t, form)
	id := strconv.FormatInt(cid, 10)
	vals := url.Values{"key": {key}, "customer": {id}, "amount_" + id: {"1,234.56"}, "memo": {"测试拨款"}}
	prev := c.post("/billing/funds/transfer/preview", vals)
	if prev.Status != http.StatusOK {
		t.Fatalf("preview: %d", prev.Status)
	}
	pd := prev.doc(t)
	if got := pd.Find(`[data-testid="preview-total"]`).Text(); got != "¥1,234.56" {
		t.Errorf("preview total %q", got)
	}
	confirm := pd.Find(`[data-testid="confirm-form"] [data-testid="confirm-dialog"] [data-testid="confirm-lines"]`).Text()
	if !strings.Contains(confirm, "¥1,234.56") || !strings.Contains(confirm, "杭州西湖茶业有限公司") {
		t.Errorf("the confirmation does not restate amount and counterpart: %q", confirm)
	}
	if pd.Find(`input[name="password"]`).Length() != 1 {
		t.Fatal("step-up on but no password field")
	}

	before, rows := cashBalance(t, env, env.World.MD), ledgerRows(t, env)
	vals.Set("amount_"+id, "1234.56")
	vals.Set("password", "not-the-password")
	r := c.post("/billing/funds/transfer", vals)
	if r.Status != http.StatusUnprocessableEntity || r.doc(t).Find(`[data-testid="error-password"]`).Length() != 1 {
		t.Fatalf("wrong password: %d", r.Status)
	}
	if got := cashBalance(t, env, env.World.MD); !got.Equal(before) || ledgerRows(t, env) != rows {
		t.Fatalf("a refused step-up moved money: %s → %s", before, got)
	}

	vals.Set("password", demo.DemoPassword)
	if r := c.post("/billing/funds/transfer", vals); r.Status != http.StatusSeeOther || r.Location != "/billing/funds/adjustments" {
		t.Fatalf("confirm: %d %s", r.Status, r.Location)
	}
	after := cashBalance(t, env, env.World.MD)
	if !before.Sub(after).Equal(decimal.RequireFromString("1234.56")) {
		t.Fatalf("moved %s", before.Sub(after))
	}
	rows = ledgerRows(t, env)
	// Double click / retry: same key, same parameters.
	if r := c.post("/billing/funds/transfer", vals); r.Status != http.StatusSeeOther {
		t.Fatalf("replay: %d", r.Status)
	}
	if got := cashBalance(t, env, env.World.MD); !got.Equal(after) || ledgerRows(t, env) != rows {
		t.Errorf("a replay moved money again")
	}
	adj := c.get("/billing/funds/adjustments?kind=transfer").doc(t)
	if adj.Find(`[data-testid="adjustment-row"]`).Length() == 0 {
		t.Error("调账记录 shows no 拨款")
	}
	if c.get("/billing/funds/adjustments?kind=unbind_recover").doc(t).Find(`[data-testid="adjustment-row"][data-kind="transfer"]`).Length() != 0 {
		t.Error("the type filter lets 拨款 through")
	}
	mustConsistentLedger(t, env)
}

// Another tenant's customer in a transfer is 404 and nothing moves.
func TestTransferToAnotherTenantsCustomerIsNotFound(t *testing.T) {
	env := newEnv(t)
	c := env.as(t, demo.SPAdmin)
	foreign := strconv.FormatInt(demoCustomer(t, env, "xihu_tea"), 10)
	own := strconv.FormatInt(demoCustomer(t, env, "lanhai_logistics"), 10)
	key := formKey(t, c.get("/billing/funds/transfer?ids="+own))
	if r := c.get("/billing/funds/transfer?ids=" + foreign); r.Status != http.StatusNotFound {
		t.Errorf("form with a foreign customer: %d", r.Status)
	}
	before := env.dbDigest(t)
	for _, path := range []string{"/billing/funds/transfer/preview", "/billing/funds/transfer", "/billing/funds/recover"} {
		r := c.post(path, url.Values{"key": {key}, "customer": {own, foreign}, "amount_" + own: {"1"}, "amount_" + foreign: {"1"}})
		if r.Status != http.StatusNotFound {
			t.Errorf("%s with a foreign customer: %d", path, r.Status)
		}
	}
	after := env.dbDigest(t)
	for tb, d := range before {
		if after[tb] != d {
			t.Errorf("table %s changed", tb)
		}
	}
}

func TestInsufficientFundsShowTheBalanceAndMoveNothing(t *testing.T) {
	env := newEnv(t)
	c := env.as(t, demo.CRAdmin)
	id := strconv.FormatInt(demoCustomer(t, env, "binjiang_design"), 10)
	key := formKey(t, c.get("/billing/funds/transfer?ids="+id))
	rows := ledgerRows(t, env)
	r := c.post("/billing/funds/transfer", url.Values{"key": {key}, "customer": {id}, "amount_" + id: {"99999999.99"}})
	if r.Status != http.StatusConflict {
		t.Fatalf("status %d", r.Status)
	}
	if msg := r.doc(t).Find(`[data-testid="form-error"]`).Text(); !strings.Contains(msg, "余额不足") {
		t.Errorf("message %q", msg)
	}
	if ledgerRows(t, env) != rows {
		t.Error("money moved")
	}
	// Bad amounts come back on their row.
	r = c.post("/billing/funds/transfer/preview", url.Values{"key": {key}, "customer": {id}, "amount_" + id: {"1.234"}})
	if r.Status != http.StatusUnprocessableEntity || r.doc(t).Find(`[data-testid="error-amount_`+id+`"]`).Length() != 1 {
		t.Errorf("three decimals: %d", r.Status)
	}
}

func TestLinesExportIsCSVOfTheFilteredLines(t *testing.T) {
	env := newEnv(t)
	c := env.as(t, demo.SPAdmin)
	r := c.get("/billing/funds/lines/export?kind=recharge")
	if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("export: %d %s", r.Status, r.Header.Get("Content-Type"))
	}
	lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(r.Body, "\xEF\xBB\xBF")), "\n")
	if len(lines) < 2 || !strings.Contains(lines[0], "时间") {
		t.Fatalf("csv: %q", r.Body)
	}
	for _, l := range lines[1:] {
		if !strings.Contains(l, "充值") {
			t.Errorf("a non-recharge line in a recharge export: %s", l)
		}
	}
	page := c.get("/billing/funds/lines?direction=out").doc(t)
	page.Find(`[data-testid="line-amount"]`).Each(func(_ int, s *goquery.Selection) {
		if !strings.HasPrefix(strings.TrimSpace(s.Text()), "-") {
			t.Errorf("income line in the expenditure filter: %s", s.Text())
		}
	})
}

// Vendor finance records a bank receipt by the partner's dedicated
// account number; the partner's balance grows; nobody else may do it.
func TestVendorFinanceConfirmsARechargeByDedicatedAccount(t *testing.T) {
	env := newEnv(t)
	f := env.as(t, demo.VendorFinance)
	page := f.get("/finance/recharges")
	if page.Status != http.StatusOK {
		t.Fatalf("recharges page: %d", page.Status)
	}
	if f.get("/").doc(t).Find(`a[href="/finance/recharges"]`).Length() == 0 {
		t.Error("no 财务 menu for vendor finance")
	}
	key := formKey(t, page)
	before := cashBalance(t, env, env.World.CR)
	form := url.Values{"key": {key}, "account_no": {ledger.RechargeAccountNo(env.World.CR)}, "amount": {"￥2,000.00"},
		"source": {"bank_transfer"}, "payer_name": {"杭州云启网络科技有限公司"}, "reference": {"TEST-RCV-1"}}
	if r := f.post("/finance/recharges", form); r.Status != http.StatusSeeOther {
		t.Fatalf("confirm: %d", r.Status)
	}
	if r := f.post("/finance/recharges", form); r.Status != http.StatusSeeOther {
		t.Fatalf("replay: %d", r.Status)
	}
	if got := cashBalance(t, env, env.World.CR); !got.Sub(before).Equal(decimal.NewFromInt(2000)) {
		t.Errorf("balance moved by %s (a replay must not count)", got.Sub(before))
	}
	form.Set("key", formKey(t, f.get("/finance/recharges")))
	form.Set("account_no", "7210000000000001")
	if r := f.post("/finance/recharges", form); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("unknown account number: %d", r.Status)
	}
	for _, path := range []string{"/billing/funds", "/approvals"} {
		if r := f.get(path); r.Status != http.StatusForbidden {
			t.Errorf("vendor finance on %s: %d", path, r.Status)
		}
	}
	if r := env.as(t, demo.VendorAdmin).get("/finance/recharges"); r.Status != http.StatusForbidden {
		t.Errorf("vendor admin on recharges: %d", r.Status)
	}
	if r := f.get("/finance/withdrawals"); r.Status != http.StatusOK || r.doc(t).Find(`[data-testid="withdrawal-row"]`).Length() == 0 {
		t.Errorf("withdrawal review: %d", r.Status)
	}
	mustConsistentLedger(t, env)
}

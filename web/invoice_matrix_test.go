package web

import (
	"fmt"
	"net/url"
	"testing"

	"partnercenter/internal/demo"
)

// Authorization of 账务 > 发票管理 and vendor finance's 发票开具. The
// invoice items belong to the main accounts of solution providers and
// master distributors (a cloud reseller's 账务 is 资金管理 only, §12.1.9.17),
// and the 财务 role of 示例云科技 holds 查看发票; the preset 客户经理 and a
// member without roles have none (§7.1.4). The vendor routes belong to
// vendor finance alone (vendor_finance, tested in invoice_http_test.go).
func init() {
	viewers := []string{demo.SPAdmin, demo.MDAdmin, demo.SPFinance}
	appliers := []string{demo.SPAdmin, demo.MDAdmin}
	matrixRow("GET /billing/invoices", matrixCase{allow: viewers})
	matrixRow("GET /billing/invoices/info", matrixCase{allow: appliers})
	// Invalid input: allowed accounts get 422 and nothing changes.
	matrixRow("POST /billing/invoices/info", matrixCase{allow: appliers, form: url.Values{"title": {""}}})
	matrixRow("GET /billing/invoices/apply", matrixCase{allow: appliers})
	matrixRow("POST /billing/invoices/apply", matrixCase{allow: appliers, form: url.Values{"mode": {"periods"}}})

	// Object routes: 示例云科技's issued e-invoice; the distributor's admin
	// gets 404 (another tenant).
	spInvoice := func(suffix string) func(t *testing.T, env *testEnv, account string) string {
		return func(t *testing.T, env *testEnv, account string) string {
			return fmt.Sprintf("/billing/invoices/%d%s", spIssuedInvoice(t, env), suffix)
		}
	}
	other := []string{demo.MDAdmin}
	matrixRow("GET /billing/invoices/:id", matrixCase{target: spInvoice(""), allow: []string{demo.SPAdmin, demo.SPFinance}, notFound: other})
	matrixRow("GET /billing/invoices/:id/pdf", matrixCase{target: spInvoice("/pdf"), allow: []string{demo.SPAdmin, demo.SPFinance}, notFound: other})
	matrixRow("GET /billing/invoices/:id/return", matrixCase{target: spInvoice("/return"), allow: []string{demo.SPAdmin}, notFound: other})
	matrixRow("POST /billing/invoices/:id/return", matrixCase{target: spInvoice("/return"), allow: []string{demo.SPAdmin}, notFound: other,
		form: url.Values{"reason": {""}}})

	matrixRow("GET /finance/invoices", matrixCase{})
	desk := func(suffix string) func(t *testing.T, env *testEnv, account string) string {
		return func(t *testing.T, env *testEnv, account string) string {
			return fmt.Sprintf("/finance/invoices/%d%s", spIssuedInvoice(t, env), suffix)
		}
	}
	const why = "vendor finance handles every partner's invoices; no partner account holds the item"
	matrixRow("GET /finance/invoices/:id", matrixCase{target: desk(""), unscoped: why})
	matrixRow("GET /finance/invoices/:id/pdf", matrixCase{target: desk("/pdf"), unscoped: why})
	matrixRow("POST /finance/invoices/:id/issue", matrixCase{target: desk("/issue"), unscoped: why})
	matrixRow("POST /finance/invoices/:id/mail", matrixCase{target: desk("/mail"), unscoped: why})
	matrixRow("POST /finance/invoices/:id/accept-return", matrixCase{target: desk("/accept-return"), unscoped: why})
}

// spIssuedInvoice is 示例云科技's oldest issued electronic invoice (demo).
func spIssuedInvoice(t *testing.T, env *testEnv) int64 {
	t.Helper()
	var id int64
	if err := env.DB.Raw(`SELECT id FROM invoices WHERE partner_id = ? AND state = 'issued' AND medium = 'electronic' ORDER BY id LIMIT 1`,
		env.World.SP).Scan(&id).Error; err != nil || id == 0 {
		t.Fatalf("no issued e-invoice of 示例云科技 in the demo: %v", err)
	}
	return id
}

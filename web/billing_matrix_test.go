package web

import (
	"fmt"
	"net/url"
	"testing"

	"partnercenter/internal/demo"
)

// Authorization of 账务 > 资金管理 and vendor finance. The account items
// (查看账户余额, 提现, 设置余额预警) are defaults of program partners (seed
// 003 §7.1.1 table 7-1): members of 示例云科技 (a solution provider) hold
// them, except those whose only role is the preset 客户经理 (§7.1.4).
// Transfers and recoveries need their items (admins here); the step-up
// setting is the main account's. Vendor finance routes belong to the
// vendor finance role alone (vendor_finance, tested in billing_test.go).
func init() {
	fundsReaders := []string{demo.SPAdmin, demo.MDAdmin, demo.CRAdmin, demo.SPFinance, demo.SPViewer}
	for _, k := range []string{"GET /billing/funds", "GET /billing/funds/lines", "GET /billing/funds/lines/export",
		"GET /billing/funds/adjustments", "GET /billing/funds/customers", "GET /billing/funds/withdrawals"} {
		matrixRow(k, matrixCase{allow: fundsReaders})
	}
	// Invalid input: allowed accounts get 422 and nothing changes.
	matrixRow("POST /billing/funds/alert", matrixCase{allow: fundsReaders, form: url.Values{"threshold": {"abc"}}})
	matrixRow("POST /billing/funds/withdrawals", matrixCase{allow: fundsReaders, form: url.Values{"amount": {"-1"}}})
	matrixRow("POST /billing/funds/security", matrixCase{allow: partnerAdmins, form: url.Values{"stepup": {"off"}}})
	for _, op := range []string{"transfer", "recover"} {
		matrixRow("GET /billing/funds/"+op, matrixCase{allow: partnerAdmins})
		matrixRow("POST /billing/funds/"+op+"/preview", matrixCase{allow: partnerAdmins})
		matrixRow("POST /billing/funds/"+op, matrixCase{allow: partnerAdmins})
	}

	matrixRow("GET /finance/recharges", matrixCase{})
	matrixRow("POST /finance/recharges", matrixCase{})
	matrixRow("GET /finance/withdrawals", matrixCase{})
	payout := func(action string) func(t *testing.T, env *testEnv, account string) string {
		return func(t *testing.T, env *testEnv, account string) string {
			var id int64
			env.DB.Raw(`SELECT coalesce(max(id), 1) FROM withdrawals`).Scan(&id)
			return fmt.Sprintf("/finance/withdrawals/%d/%s", id, action)
		}
	}
	const why = "vendor finance handles every partner's withdrawals; no partner account holds the item"
	matrixRow("POST /finance/withdrawals/:id/pay", matrixCase{target: payout("pay"), unscoped: why})
	matrixRow("POST /finance/withdrawals/:id/reject", matrixCase{target: payout("reject"), unscoped: why})
}

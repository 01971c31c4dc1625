package web

import (
	"fmt"
	"net/url"
	"testing"

	"partnercenter/internal/demo"
)

// Authorization of 账务 > 合同商务 and the vendor's 线下合同. The contract
// items are not defaults of members (table 7-1 gives members the account
// items only): the main accounts of the solution provider and the master
// distributor hold them; the cloud reseller has none (its 账务 is 资金管理
// only, §12.1.9.17), nor do members without a role granting them. Vendor
// entry belongs to vendor_admin and vendor finance (vendor_finance is not a
// matrix account: see TestVendorFinanceEntersOfflineContracts); ecosystem
// managers are refused.
func init() {
	contractReaders := []string{demo.SPAdmin, demo.MDAdmin}
	matrixRow("GET /billing/contracts", matrixCase{allow: contractReaders})
	matrixRow("GET /billing/contracts/agreement", matrixCase{allow: contractReaders})
	// Without the checkbox: 422 (or 409 when one is in effect); nothing changes.
	matrixRow("POST /billing/contracts/agreement", matrixCase{allow: contractReaders, form: url.Values{}})
	// 示例云科技's payment agreement: its admin sees it, the distributor's
	// admin gets 404 (the reverse is TestContractIsolationBothWays).
	spAgreement := func(suffix string) func(t *testing.T, env *testEnv, account string) string {
		return func(t *testing.T, env *testEnv, account string) string {
			return fmt.Sprintf("/billing/contracts/%d%s", spContractID(t, env), suffix)
		}
	}
	matrixRow("GET /billing/contracts/:id", matrixCase{target: spAgreement(""), allow: []string{demo.SPAdmin}, notFound: []string{demo.MDAdmin}})
	matrixRow("GET /billing/contracts/:id/download", matrixCase{target: spAgreement("/download"), allow: []string{demo.SPAdmin}, notFound: []string{demo.MDAdmin}})

	vendor := []string{demo.VendorAdmin}
	matrixRow("GET /finance/contracts", matrixCase{allow: vendor})
	matrixRow("GET /finance/contracts/new", matrixCase{allow: vendor})
	matrixRow("POST /finance/contracts", matrixCase{allow: vendor, form: url.Values{"code": {""}}})
	const why = "vendor staff enter and manage every partner's contracts; no partner account holds the item"
	matrixRow("POST /finance/contracts/:id/terminate", matrixCase{allow: vendor, unscoped: why,
		target: func(t *testing.T, env *testEnv, account string) string {
			return fmt.Sprintf("/finance/contracts/%d/terminate", throwawayContract(t, env))
		}})
	matrixRow("GET /finance/contracts/:id/download", matrixCase{allow: vendor, unscoped: why,
		target: func(t *testing.T, env *testEnv, account string) string {
			return fmt.Sprintf("/finance/contracts/%d/download", spContractID(t, env))
		}})
}

// spContractID is 示例云科技's payment agreement from the demo data.
func spContractID(t *testing.T, env *testEnv) int64 {
	t.Helper()
	var id int64
	if err := env.DB.Raw(`SELECT c.id FROM contracts c JOIN users u ON u.partner_id = c.partner_id
		WHERE u.login_name = ? AND c.kind = 'online' ORDER BY c.id LIMIT 1`, demo.SPAdmin).Scan(&id).Error; err != nil || id == 0 {
		t.Fatalf("demo payment agreement of %s: %v", demo.SPAdmin, err)
	}
	return id
}

// throwawayContract inserts an offline contract of 示例云科技 that a test
// may terminate.
func throwawayContract(t *testing.T, env *testEnv) int64 {
	t.Helper()
	var id int64
	if err := env.DB.Raw(`INSERT INTO contracts (partner_id, kind, code, name, contract_type, signing_entity, starts_on, ends_on)
		SELECT partner_id, 'offline', 'TMP-' || nextval('contract_code_seq'), '临时测试合同', 'other', 'cloud', current_date, current_date + 30
		FROM users WHERE login_name = ? RETURNING id`, demo.SPAdmin).Scan(&id).Error; err != nil {
		t.Fatal(err)
	}
	return id
}

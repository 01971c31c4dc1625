package web

import (
	"fmt"
	"net/url"
	"testing"

	"partnercenter/internal/demo"
)

// spClaim is one of 示例云科技's MDF claims in the state.
func spClaim(t *testing.T, env *testEnv, status string) (claim, usage int64) {
	t.Helper()
	if err := env.DB.Raw(`SELECT id, usage_id FROM mdf_claims WHERE partner_id = ? AND status = ? ORDER BY id LIMIT 1`, env.World.SP, status).
		Row().Scan(&claim, &usage); err != nil || claim == 0 {
		t.Fatalf("the demo has no %s MDF claim of 示例云科技: %v", status, err)
	}
	return claim, usage
}

// 市场发展基金: the main accounts of programme partners (a cloud reseller
// has no 权益); 示例云科技's usage applications and claims are 404 to
// 华东数智's admin. An empty form is refused as input; a claim in another
// state is refused by its state (409). The vendor page: vendor staff (the
// caps' form: the vendor administrator); the desk: vendor finance.
func init() {
	holders := []string{demo.SPAdmin, demo.MDAdmin}
	sp, md := []string{demo.SPAdmin}, []string{demo.MDAdmin}
	matrixRow("GET /benefits/mdf", matrixCase{allow: holders})
	matrixRow("GET /benefits/mdf/usages", matrixCase{allow: holders})
	matrixRow("GET /benefits/mdf/usages/new", matrixCase{allow: holders})
	matrixRow("POST /benefits/mdf/usages", matrixCase{allow: holders})
	matrixRow("GET /benefits/mdf/claims", matrixCase{allow: holders})
	matrixRow("GET /benefits/mdf/usages/:id", matrixCase{target: func(t *testing.T, env *testEnv, _ string) string {
		_, u := spClaim(t, env, "paid")
		return fmt.Sprintf("/benefits/mdf/usages/%d", u)
	}, allow: sp, notFound: md})
	matrixRow("POST /benefits/mdf/usages/:id/claim", matrixCase{target: func(t *testing.T, env *testEnv, _ string) string {
		_, u := spClaim(t, env, "submitted")
		return fmt.Sprintf("/benefits/mdf/usages/%d/claim", u)
	}, allow: sp, notFound: md, form: url.Values{"amount": {"100"}}})
	claim := func(status, suffix string) func(*testing.T, *testEnv, string) string {
		return func(t *testing.T, env *testEnv, _ string) string {
			c, _ := spClaim(t, env, status)
			return fmt.Sprintf("/benefits/mdf/claims/%d%s", c, suffix)
		}
	}
	matrixRow("POST /benefits/mdf/claims/:id/submit", matrixCase{target: claim("submitted", "/submit"), allow: sp, notFound: md})
	matrixRow("GET /benefits/mdf/claims/:id/billing-list", matrixCase{target: claim("paid", "/billing-list"), allow: sp, notFound: md})
	matrixRow("POST /benefits/mdf/claims/:id/invoice", matrixCase{target: claim("paid", "/invoice"), allow: sp, notFound: md})

	matrixRow("GET /partners/mdf", matrixCase{allow: vendorStaff})
	matrixRow("POST /partners/mdf/caps", matrixCase{allow: []string{demo.VendorAdmin}})
	matrixRow("POST /partners/mdf/violations", matrixCase{allow: vendorStaff})

	financeOnly := []string{demo.VendorFinance}
	why := "vendor finance pays every partner's MDF claims"
	matrixRow("GET /finance/mdf", matrixCase{allow: financeOnly})
	matrixRow("GET /finance/mdf/:id/invoice", matrixCase{target: func(t *testing.T, env *testEnv, _ string) string {
		c, _ := spClaim(t, env, "paid")
		return fmt.Sprintf("/finance/mdf/%d/invoice", c)
	}, allow: financeOnly, unscoped: why})
	matrixRow("POST /finance/mdf/:id/pay", matrixCase{target: func(t *testing.T, env *testEnv, _ string) string {
		c, _ := spClaim(t, env, "paid")
		return fmt.Sprintf("/finance/mdf/%d/pay", c)
	}, allow: financeOnly, unscoped: why})
	matrixRow("POST /finance/mdf/:id/return", matrixCase{target: func(t *testing.T, env *testEnv, _ string) string {
		c, _ := spClaim(t, env, "paid")
		return fmt.Sprintf("/finance/mdf/%d/return", c)
	}, allow: financeOnly, unscoped: why})
}

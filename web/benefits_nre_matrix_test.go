package web

import (
	"fmt"
	"testing"

	"partnercenter/internal/demo"
)

// zyNRE is one of 智云软件's NREs in the status, or a milestone of one.
func zyNRE(t *testing.T, env *testEnv, query string, args ...any) int64 {
	t.Helper()
	var id int64
	if err := env.DB.Raw(query, args...).Scan(&id).Error; err != nil || id == 0 {
		t.Fatalf("the demo has no NRE row for %q: %v", query, err)
	}
	return id
}

// 一次性工程费用: programme partners' main accounts hold 权益, but the
// matrix accounts have no NRE of their own: 智云软件's NREs and milestones
// are 404 to them. The vendor page: vendor staff; the agreement review:
// the vendor administrator; the desk: vendor finance.
func init() {
	holders := []string{demo.SPAdmin, demo.MDAdmin}
	matrixRow("GET /benefits/nre", matrixCase{allow: holders})
	matrixRow("GET /benefits/nre/new", matrixCase{allow: holders}) // no solution: back to the list
	matrixRow("POST /benefits/nre", matrixCase{allow: holders})    // empty: refused as input
	matrixRow("GET /benefits/nre/:id", matrixCase{target: func(t *testing.T, env *testEnv, _ string) string {
		return fmt.Sprintf("/benefits/nre/%d", zyNRE(t, env, `SELECT min(id) FROM nre_applications WHERE status = 'effective'`))
	}, notFound: holders})
	matrixRow("POST /benefits/nre/milestones/:id/accept", matrixCase{target: func(t *testing.T, env *testEnv, _ string) string {
		return fmt.Sprintf("/benefits/nre/milestones/%d/accept", zyNRE(t, env, `SELECT min(id) FROM nre_milestones WHERE status = 'pending'`))
	}, notFound: holders})

	matrixRow("GET /partners/nre", matrixCase{allow: vendorStaff})
	matrixRow("POST /partners/nre/solutions", matrixCase{allow: vendorStaff}) // empty: refused as input
	why := "vendor staff handle the agreements of the partners they see; the review is the vendor administrator's"
	paid := func(suffix string) func(*testing.T, *testEnv, string) string {
		return func(t *testing.T, env *testEnv, _ string) string {
			return fmt.Sprintf("/partners/nre/%d%s", zyNRE(t, env, `SELECT min(id) FROM nre_applications WHERE status = 'effective'`), suffix)
		}
	}
	// An NRE in force: refused by its state (409), nothing changes.
	matrixRow("POST /partners/nre/:id/agreement", matrixCase{target: paid("/agreement"), allow: vendorStaff, unscoped: why})
	matrixRow("POST /partners/nre/:id/agreement/confirm", matrixCase{target: paid("/agreement/confirm"), allow: []string{demo.VendorAdmin}, unscoped: why})
	matrixRow("POST /partners/nre/:id/agreement/return", matrixCase{target: paid("/agreement/return"), allow: []string{demo.VendorAdmin}, unscoped: why})

	financeOnly := []string{demo.VendorFinance}
	matrixRow("GET /finance/nre", matrixCase{allow: financeOnly})
	matrixRow("POST /finance/nre/milestones/:id/pay", matrixCase{target: func(t *testing.T, env *testEnv, _ string) string {
		return fmt.Sprintf("/finance/nre/milestones/%d/pay", zyNRE(t, env, `SELECT min(id) FROM nre_milestones WHERE status = 'paid'`))
	}, allow: financeOnly, unscoped: "vendor finance pays every partner's NRE milestones"})
}

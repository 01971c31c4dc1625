package web

import (
	"fmt"
	"net/url"
	"testing"

	"partnercenter/internal/demo"
)

// 专职人员激励: programme partners' main accounts hold 权益 (an empty form
// is refused as input; sp_admin and md_admin have no FH programme, which
// is refused by its state); the vendor page: vendor staff; the desk:
// vendor finance.
func init() {
	holders := []string{demo.SPAdmin, demo.MDAdmin}
	matrixRow("GET /benefits/fh", matrixCase{allow: holders})
	matrixRow("POST /benefits/fh/join", matrixCase{allow: holders})
	matrixRow("POST /benefits/fh/persons", matrixCase{allow: holders, form: url.Values{"role": {"expert"}, "city": {"成都"}}})
	matrixRow("POST /benefits/fh/persons/:id/remove", matrixCase{target: func(t *testing.T, env *testEnv, _ string) string {
		return fmt.Sprintf("/benefits/fh/persons/%d/remove", env.World.Users["sleng1"])
	}, notFound: holders})
	matrixRow("POST /benefits/fh/months", matrixCase{allow: holders, form: url.Values{"month": {"2026-01"}}})
	matrixRow("POST /benefits/fh/payments", matrixCase{allow: holders, form: url.Values{"quarter": {"2026Q1"}}})

	matrixRow("GET /partners/fh", matrixCase{allow: vendorStaff})
	matrixRow("POST /partners/fh/invite", matrixCase{allow: vendorStaff}) // no partner: refused as input
	// No reason: refused as input, nothing changes.
	matrixRow("POST /partners/fh/:id/end", matrixCase{target: func(t *testing.T, env *testEnv, _ string) string {
		var id int64
		if err := env.DB.Raw(`SELECT min(id) FROM fh_programs WHERE status = 'joined'`).Scan(&id).Error; err != nil || id == 0 {
			t.Fatalf("the demo has no joined FH programme: %v", err)
		}
		return fmt.Sprintf("/partners/fh/%d/end", id)
	}, allow: vendorStaff, unscoped: "both vendor staff of the demo see 数联云服务"})

	financeOnly := []string{demo.VendorFinance}
	matrixRow("GET /finance/fh", matrixCase{allow: financeOnly})
	matrixRow("POST /finance/fh/:id/pay", matrixCase{target: func(t *testing.T, env *testEnv, _ string) string {
		var id int64
		if err := env.DB.Raw(`SELECT min(id) FROM fh_payments WHERE status = 'paid'`).Scan(&id).Error; err != nil || id == 0 {
			t.Fatalf("the demo has no paid FH quarter: %v", err)
		}
		return fmt.Sprintf("/finance/fh/%d/pay", id)
	}, allow: financeOnly, unscoped: "vendor finance pays every partner's FH quarters"})
}

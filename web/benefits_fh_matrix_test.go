package web

import (
	"context"
	"fmt"
	"net/url"
	"testing"
	"time"

	"partnercenter/internal/access"
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
	matrixRow("POST /benefits/fh/apply", matrixCase{allow: holders}) // no scenario: refused as input
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
	// No limit: refused as input, nothing changes.
	matrixRow("POST /partners/fh/:id/limit", matrixCase{target: func(t *testing.T, env *testEnv, _ string) string {
		var id int64
		if err := env.DB.Raw(`SELECT min(id) FROM fh_programs WHERE variant = 'lp_lecturer'`).Scan(&id).Error; err != nil || id == 0 {
			t.Fatalf("the demo has no LP FH programme: %v", err)
		}
		return fmt.Sprintf("/partners/fh/%d/limit", id)
	}, allow: vendorStaff, unscoped: "both vendor staff of the demo see 博学云教育; another manager's 404 is TestFHLecturerThroughThePages's"})

	// The 2025 capability building: the tiers and standards are the vendor
	// administrator's; an empty form is refused as input.
	admin := []string{demo.VendorAdmin}
	matrixRow("GET /partners/fh/capability", matrixCase{allow: vendorStaff})
	matrixRow("POST /partners/fh/tiers", matrixCase{allow: admin})
	matrixRow("POST /partners/fh/standards", matrixCase{allow: admin})
	matrixRow("POST /partners/fh/standards/:id/retire", matrixCase{target: func(t *testing.T, env *testEnv, account string) string {
		name := fmt.Sprintf("矩阵标准%d", time.Now().UnixNano())
		if err := env.App.svc.FH.AddStandard(context.Background(), access.VendorStaff(env.World.Users[demo.VendorAdmin], "vendor_admin"), "pangu", name); err != nil {
			t.Fatal(err)
		}
		var id int64
		env.DB.Raw(`SELECT id FROM fh_standards WHERE name = ?`, name).Scan(&id)
		return fmt.Sprintf("/partners/fh/standards/%d/retire", id)
	}, allow: admin, unscoped: "standards are the vendor's, of no partner"})
	// The programme is in the form: its scoping is TestFHCapabilityThroughThePages's.
	matrixRow("POST /partners/fh/appraisals", matrixCase{allow: vendorStaff})
	// The SI presales gradings: the programme is in the form (an empty one
	// is refused as input); its scoping is TestFHPresalesThroughThePages's.
	matrixRow("GET /partners/fh/presales", matrixCase{allow: vendorStaff})
	matrixRow("POST /partners/fh/gradings", matrixCase{allow: vendorStaff})

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

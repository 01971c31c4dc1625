package web

import (
	"fmt"
	"testing"

	"partnercenter/internal/demo"
)

// poOf is a PO of 示例云科技 (the demo's PCE member) in the state.
func poOf(t *testing.T, env *testEnv, status string) int64 {
	t.Helper()
	var id int64
	if err := env.DB.Raw(`SELECT min(id) FROM opportunities WHERE partner_id = ? AND status = ?`, env.World.SP, status).Scan(&id).Error; err != nil || id == 0 {
		t.Fatalf("the demo world has no %s PO of 示例云科技: %v", status, err)
	}
	return id
}

// 机会点: only a PCE member's accounts holding the items (示例云科技's
// admin; members' roles do not hold them; other partners are not PCE
// members, so the items are dropped: forbidden). Every POST is refused as
// input (an empty form: 422) or by the state (409) and changes nothing.
// Vendor: the partner's ecosystem manager and the vendor administrator;
// eco_manager2 looks after other partners: 404.
func init() {
	sp := []string{demo.SPAdmin}
	po := func(status, suffix string) func(*testing.T, *testEnv, string) string {
		return func(t *testing.T, env *testEnv, _ string) string {
			return fmt.Sprintf("/opportunities/po/%d%s", poOf(t, env, status), suffix)
		}
	}
	matrixRow("GET /opportunities/po", matrixCase{allow: sp})
	matrixRow("GET /opportunities/po/new", matrixCase{allow: sp})
	matrixRow("POST /opportunities/po", matrixCase{allow: sp})
	matrixRow("GET /opportunities/po/:id", matrixCase{target: po("draft", ""), allow: sp})
	matrixRow("POST /opportunities/po/:id", matrixCase{target: po("draft", ""), allow: sp})
	matrixRow("POST /opportunities/po/:id/close", matrixCase{target: po("approved", "/close"), allow: sp})

	review := func(status, suffix string) func(*testing.T, *testEnv, string) string {
		return func(t *testing.T, env *testEnv, _ string) string {
			return fmt.Sprintf("/partners/opportunities/%d%s", poOf(t, env, status), suffix)
		}
	}
	other := []string{"eco_manager2"}
	matrixRow("GET /partners/opportunities", matrixCase{allow: vendorStaff})
	matrixRow("GET /partners/opportunities/:id", matrixCase{target: review("in_review", ""), allow: vendorStaff, notFound: other})
	// Approving an approved PO: refused by its state (409).
	matrixRow("POST /partners/opportunities/:id/approve", matrixCase{target: review("approved", "/approve"), allow: vendorStaff, notFound: other})
	// No reason chosen, no comment: refused as input (422).
	matrixRow("POST /partners/opportunities/:id/fail", matrixCase{target: review("in_review", "/fail"), allow: vendorStaff, notFound: other})
	matrixRow("POST /partners/opportunities/:id/send-back", matrixCase{target: review("in_review", "/send-back"), allow: vendorStaff, notFound: other})
}

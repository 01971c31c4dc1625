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

// 机会点: only PCE members' accounts holding the items (the admins of
// 示例云科技 and 华东数智分销; members' roles do not hold them; other
// partners are not PCE members, so the items are dropped: forbidden);
// 华东数智分销 gets 404 for 示例云科技's POs. Every POST is refused as
// input (an empty form: 422) or by the state (409) and changes nothing.
// Vendor: the partner's ecosystem manager and the vendor administrator;
// eco_manager2 looks after other partners: 404.
func init() {
	sp, both := []string{demo.SPAdmin}, []string{demo.SPAdmin, demo.MDAdmin}
	foreign := []string{demo.MDAdmin} // also a PCE member: another tenant's PO is 404
	po := func(status, suffix string) func(*testing.T, *testEnv, string) string {
		return func(t *testing.T, env *testEnv, _ string) string {
			return fmt.Sprintf("/opportunities/po/%d%s", poOf(t, env, status), suffix)
		}
	}
	matrixRow("GET /opportunities/po", matrixCase{allow: both})
	matrixRow("GET /opportunities/po/new", matrixCase{allow: both})
	matrixRow("POST /opportunities/po", matrixCase{allow: both})
	matrixRow("GET /opportunities/po/:id", matrixCase{target: po("draft", ""), allow: sp, notFound: foreign})
	matrixRow("POST /opportunities/po/:id", matrixCase{target: po("draft", ""), allow: sp, notFound: foreign})
	matrixRow("POST /opportunities/po/:id/close", matrixCase{target: po("approved", "/close"), allow: sp, notFound: foreign})

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

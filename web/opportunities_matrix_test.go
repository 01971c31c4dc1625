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

// hoOf is an HO of 数联云服务 (the demo's HO holder) in the state.
func hoOf(t *testing.T, env *testEnv, status string) int64 {
	t.Helper()
	var id int64
	if err := env.DB.Raw(`SELECT min(h.id) FROM ho_opportunities h JOIN users u ON u.partner_id = h.partner_id AND u.login_name = ?
		WHERE h.status = ?`, demo.SLAdmin, status).Scan(&id).Error; err != nil || id == 0 {
		t.Fatalf("the demo world has no %s HO of 数联云服务: %v", status, err)
	}
	return id
}

// spHO gives 示例云科技 (a PCE member, in no path: the vendor could not
// share one with it) a pending HO of its own, so that the matrix can try
// 接受 and 拒绝 as its accounts.
func spHO(t *testing.T, env *testEnv) int64 {
	t.Helper()
	var id int64
	if err := env.DB.Raw(`INSERT INTO ho_opportunities (partner_id, no, status, customer_name, customer_key, industry, requirement, budget,
		purchase_on, customer_owner, crm_created_at, shared_at, due_at, created_at, updated_at)
		VALUES (?, 'HO-20991231-' || lpad((SELECT count(*) + 1 FROM ho_opportunities)::text, 4, '0'), 'pending', '矩阵测试客户', '矩阵测试客户',
		'other', '需求', 1000, now()::date + 30, '客户经理', now() - interval '1 day', now(), now() + interval '3 days', now(), now())
		RETURNING id`, env.World.SP).Scan(&id).Error; err != nil {
		t.Fatal(err)
	}
	return id
}

// slPartner is 数联云服务's partner id.
func slPartner(t *testing.T, env *testEnv) int64 {
	t.Helper()
	var id int64
	if err := env.DB.Raw(`SELECT partner_id FROM users WHERE login_name = ?`, demo.SLAdmin).Scan(&id).Error; err != nil || id == 0 {
		t.Fatalf("no 数联云服务: %v", err)
	}
	return id
}

// 由华为共享: the PCE admins list their HOs (示例云科技 and 华东数智分销 have
// none from the demo); 示例云科技 decides its own (接受: done; 拒绝 without
// a reason: 422); 华东数智分销 gets 404. Vendor: the ecosystem manager of
// 数联云服务 and the vendor administrator; eco_manager2 gets 404. An empty
// share, Offering or withdrawal form is refused as input (422); each
// deletion removes an Offering made for it.
func init() {
	both := []string{demo.SPAdmin, demo.MDAdmin}
	sp, foreign := []string{demo.SPAdmin}, []string{demo.MDAdmin}
	own := func(suffix string) func(*testing.T, *testEnv, string) string {
		return func(t *testing.T, env *testEnv, _ string) string {
			return fmt.Sprintf("/opportunities/ho/%d%s", spHO(t, env), suffix)
		}
	}
	matrixRow("GET /opportunities/ho", matrixCase{allow: both})
	matrixRow("GET /opportunities/ho/:id", matrixCase{target: own(""), allow: sp, notFound: foreign})
	matrixRow("POST /opportunities/ho/:id/accept", matrixCase{target: own("/accept"), allow: sp, notFound: foreign})
	matrixRow("POST /opportunities/ho/:id/reject", matrixCase{target: own("/reject"), allow: sp, notFound: foreign})

	other := []string{"eco_manager2"}
	ho := func(status, suffix string) func(*testing.T, *testEnv, string) string {
		return func(t *testing.T, env *testEnv, _ string) string {
			return fmt.Sprintf("/partners/opportunities/ho/%d%s", hoOf(t, env, status), suffix)
		}
	}
	partnerPath := func(suffix string) func(*testing.T, *testEnv, string) string {
		return func(t *testing.T, env *testEnv, _ string) string {
			return fmt.Sprintf("/partners/%d%s", slPartner(t, env), suffix)
		}
	}
	matrixRow("GET /partners/opportunities/ho", matrixCase{allow: vendorStaff})
	matrixRow("GET /partners/opportunities/ho/:id", matrixCase{target: ho("accepted", ""), allow: vendorStaff, notFound: other})
	matrixRow("POST /partners/opportunities/ho/:id/withdraw", matrixCase{target: ho("accepted", "/withdraw"), allow: vendorStaff, notFound: other})
	matrixRow("GET /partners/:id/opportunities/new", matrixCase{target: partnerPath("/opportunities/new"), allow: vendorStaff, notFound: other})
	matrixRow("POST /partners/:id/opportunities", matrixCase{target: partnerPath("/opportunities"), allow: vendorStaff, notFound: other})
	matrixRow("POST /partners/:id/offerings", matrixCase{target: partnerPath("/offerings"), allow: vendorStaff, notFound: other})
	matrixRow("POST /partners/:id/offerings/:oid/delete", matrixCase{target: func(t *testing.T, env *testEnv, acc string) string {
		pid := slPartner(t, env)
		var oid int64
		if err := env.DB.Raw(`INSERT INTO partner_offerings (partner_id, name, lead, created_at) VALUES (?, ?, 'partner', now()) RETURNING id`,
			pid, fmt.Sprintf("矩阵 Offering %s %d", acc, appSeq.Add(1))).Scan(&oid).Error; err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("/partners/%d/offerings/%d/delete", pid, oid)
	}, allow: vendorStaff, notFound: other})
}

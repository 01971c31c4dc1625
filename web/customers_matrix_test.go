package web

import (
	"fmt"
	"net/url"
	"testing"

	"partnercenter/internal/customer"
	"partnercenter/internal/demo"
)

// 客户 routes. The partner admins hold every customers item in their own
// tenant; sp_manager1 and sp_manager2 hold only customers.view (preset
// 客户经理 alone: they see the customers assigned to them); sp_finance,
// sp_viewer and vendor staff hold none. md_admin and cr_admin get 404 for
// 示例云科技's customers and records.

func init() {
	own := []string{demo.SPAdmin}
	foreign := []string{demo.MDAdmin, demo.CRAdmin}
	viewers := append(append([]string{}, partnerAdmins...), demo.SPManager1, demo.SPManager2)
	matrixRow("GET /customers", matrixCase{allow: viewers})
	matrixRow("GET /customers/export.xlsx", matrixCase{allow: partnerAdmins})
	matrixRow("GET /customers/assign", matrixCase{allow: partnerAdmins})
	matrixRow("POST /customers/manager", matrixCase{allow: partnerAdmins, form: url.Values{}}) // nothing selected: an error toast
	matrixRow("GET /customers/records", matrixCase{allow: partnerAdmins})

	needs := func(acc string) bool {
		return acc == demo.SPAdmin || acc == demo.MDAdmin || acc == demo.CRAdmin || acc == demo.SPManager1 || acc == demo.SPManager2
	}
	// GET targets: a customer each manager sees (its own), shared.
	view := func(suffix string) func(t *testing.T, env *testEnv, acc string) string {
		return func(t *testing.T, env *testEnv, acc string) string {
			if !needs(acc) {
				return "/customers/1" + suffix
			}
			manager := ""
			if acc == demo.SPManager1 || acc == demo.SPManager2 {
				manager = acc
			}
			return fmt.Sprintf("/customers/%d%s", custSharedCustomer(t, env, manager).ID, suffix)
		}
	}
	// POST targets: a fresh customer, so an allowed request harms nobody.
	fresh := func(suffix string) func(t *testing.T, env *testEnv, acc string) string {
		return func(t *testing.T, env *testEnv, acc string) string {
			if !needs(acc) {
				return "/customers/1" + suffix
			}
			return fmt.Sprintf("/customers/%d%s", custAssociated(t, env, demo.SPAdmin, customer.ModeResale, "").ID, suffix)
		}
	}
	record := func(suffix string) func(t *testing.T, env *testEnv, acc string) string {
		return func(t *testing.T, env *testEnv, acc string) string {
			if !needs(acc) {
				return "/customers/records/1" + suffix
			}
			r, _ := custUnbindRequest(t, env, demo.SPAdmin)
			return fmt.Sprintf("/customers/records/%d%s", r.ID, suffix)
		}
	}
	matrixRow("GET /customers/:id", matrixCase{target: view(""), allow: []string{demo.SPAdmin, demo.SPManager1, demo.SPManager2}, notFound: foreign})
	matrixRow("GET /customers/:id/switch", matrixCase{target: view("/switch"), allow: own, notFound: foreign})
	matrixRow("GET /customers/:id/unbind", matrixCase{target: view("/unbind"), allow: own, notFound: foreign})
	matrixRow("POST /customers/:id/manager", matrixCase{target: fresh("/manager"), allow: own, notFound: foreign,
		form: url.Values{"manager_id": {"0"}}})
	matrixRow("POST /customers/:id/switch", matrixCase{target: fresh("/switch"), allow: own, notFound: foreign,
		form: url.Values{"agree": {"1"}, "reason": {"授权矩阵测试"}}})
	matrixRow("POST /customers/:id/unbind", matrixCase{target: fresh("/unbind"), allow: own, notFound: foreign,
		form: url.Values{"agree": {"1"}, "reason": {"授权矩阵测试"}}})
	matrixRow("POST /customers/records/:id/approve", matrixCase{target: record("/approve"), allow: own, notFound: foreign})
	matrixRow("POST /customers/records/:id/reject", matrixCase{target: record("/reject"), allow: own, notFound: foreign})
	matrixRow("POST /customers/records/:id/cancel", matrixCase{target: func(t *testing.T, env *testEnv, acc string) string {
		if !needs(acc) {
			return "/customers/records/1/cancel"
		}
		r, _ := custSwitchRequest(t, env, demo.SPAdmin)
		return fmt.Sprintf("/customers/records/%d/cancel", r.ID)
	}, allow: own, notFound: foreign})
}

func init() {
	matrixRow("POST /org/members/:id/supervisor", matrixCase{target: func(t *testing.T, env *testEnv, acc string) string {
		return fmt.Sprintf("/org/members/%d/supervisor", throwawayMember(t, env))
	}, allow: []string{demo.SPAdmin}, notFound: []string{demo.MDAdmin, demo.CRAdmin}, form: url.Values{"supervisor_id": {"0"}}})
}

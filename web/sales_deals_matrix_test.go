package web

import (
	"fmt"
	"testing"

	"partnercenter/internal/demo"
)

// dealOf is a 商机 of 示例云科技 owned by the manager.
func dealOf(t *testing.T, env *testEnv, owner string) int64 {
	t.Helper()
	var id int64
	if err := env.DB.Raw(`SELECT min(id) FROM deals WHERE partner_id = ? AND owner_user_id = ?`, env.World.SP, env.World.Users[owner]).
		Scan(&id).Error; err != nil || id == 0 {
		t.Fatalf("no 商机 of %s: %v", owner, err)
	}
	return id
}

// 商机: the admins and the preset 客户经理 role (sp_manager1, sp_manager2)
// hold the items; sp_manager1's 商机 is 404 for sp_manager2 (its scope) and
// for the other partners' admins. An empty form is refused as input.
func init() {
	holders := append(append([]string{}, partnerAdmins...), demo.SPManager1, demo.SPManager2)
	deal := func(suffix string) func(*testing.T, *testEnv, string) string {
		return func(t *testing.T, env *testEnv, _ string) string {
			return fmt.Sprintf("/sales/deals/%d%s", dealOf(t, env, demo.SPManager1), suffix)
		}
	}
	own := []string{demo.SPAdmin, demo.SPManager1}
	foreign := []string{demo.MDAdmin, demo.CRAdmin, demo.SPManager2}
	matrixRow("GET /sales/deals", matrixCase{allow: holders})
	matrixRow("GET /sales/deals/new", matrixCase{allow: holders})
	matrixRow("POST /sales/deals", matrixCase{allow: holders})
	matrixRow("GET /sales/deals/:id", matrixCase{target: deal(""), allow: own, notFound: foreign})
	matrixRow("POST /sales/deals/:id", matrixCase{target: deal(""), allow: own, notFound: foreign})
	matrixRow("POST /sales/deals/:id/progress", matrixCase{target: deal("/progress"), allow: own, notFound: foreign})
}

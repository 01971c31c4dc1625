package web

import (
	"fmt"
	"testing"

	"partnercenter/internal/demo"
)

// Authorization of 我的导出 (/exports): every partner member follows its
// own export tasks; vendor staff and customers have none (403); another
// member's task — in the same tenant or another — is not found.
func init() {
	matrixRow("GET /exports", matrixCase{allow: allPartner})
	spTask := func(action string) func(t *testing.T, env *testEnv, account string) string {
		return func(t *testing.T, env *testEnv, account string) string {
			var id int64
			env.DB.Raw(`SELECT t.id FROM export_tasks t JOIN users u ON u.id = t.user_id
				WHERE t.partner_id = ? AND u.login_name = ? AND t.status = 'done' ORDER BY t.id LIMIT 1`, env.World.SP, demo.SPAdmin).Scan(&id)
			if id == 0 {
				t.Fatal("no done export task of sp_admin in the demo data")
			}
			return fmt.Sprintf("/exports/%d/%s", id, action)
		}
	}
	others := []string{demo.SPFinance, demo.SPManager1, demo.SPManager2, demo.SPViewer, demo.MDAdmin, demo.CRAdmin}
	matrixRow("GET /exports/:id/progress", matrixCase{target: spTask("progress"), allow: []string{demo.SPAdmin}, notFound: others})
	matrixRow("GET /exports/:id/download", matrixCase{target: spTask("download"), allow: []string{demo.SPAdmin}, notFound: others})
}

package web

import (
	"fmt"
	"net/url"
	"testing"

	"partnercenter/internal/demo"
)

// Authorization of 账务 > 伙伴账单 and 导出记录 (seed 003 §12.1.9.8–9). The
// bill items (查看伙伴账单, 导出账单) are held by partner main accounts of
// solution providers and master distributors; a cloud reseller's 账务 is
// 资金管理 only (§12.1.9.17), the preset 客户经理 never sees the partner
// bill (§7.1.4), and neither the custom 财务 role of the demo nor a
// member without a role holds them. Tasks are the tenant's: md_admin gets
// 404 on 示例云科技's task ids.
func init() {
	billReaders := []string{demo.SPAdmin, demo.MDAdmin}
	matrixRow("GET /billing/bill", matrixCase{allow: billReaders})
	matrixRow("GET /billing/bill/customers", matrixCase{allow: billReaders})
	matrixRow("GET /billing/exports", matrixCase{allow: billReaders})
	// An allowed export creates a queued task of a period far in the past.
	matrixRow("POST /billing/bill/export", matrixCase{allow: billReaders,
		form: url.Values{"kind": {"bill_detail_csv"}, "period": {"2001-01"}}})
	spTask := func(action string) func(t *testing.T, env *testEnv, account string) string {
		return func(t *testing.T, env *testEnv, account string) string {
			var id int64
			env.DB.Raw(`SELECT id FROM export_tasks WHERE partner_id = ? AND status = 'done' ORDER BY id LIMIT 1`, env.World.SP).Scan(&id)
			if id == 0 {
				t.Fatal("no done export task of 示例云科技 in the demo data")
			}
			return fmt.Sprintf("/billing/exports/%d/%s", id, action)
		}
	}
	matrixRow("GET /billing/exports/:id/progress", matrixCase{target: spTask("progress"), allow: []string{demo.SPAdmin}, notFound: []string{demo.MDAdmin}})
	matrixRow("GET /billing/exports/:id/download", matrixCase{target: spTask("download"), allow: []string{demo.SPAdmin}, notFound: []string{demo.MDAdmin}})
}

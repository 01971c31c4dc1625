package web

import (
	"net/url"
	"testing"

	"partnercenter/internal/demo"
)

// 客户消费 and 客户订单: the partner admins, and the 客户经理 members for
// consumption (the preset role holds customers.consumption.view, seed 003
// §7.1.4) but not orders, and sp_finance whose custom role 财务 holds it.
// Vendor finance alone imports consumption.
func init() {
	consumers := append(append([]string{}, partnerAdmins...), demo.SPManager1, demo.SPManager2, demo.SPFinance)
	matrixRow("GET /customers/consumption", matrixCase{allow: consumers})
	matrixRow("GET /customers/consumption/details", matrixCase{allow: consumers})
	matrixRow("GET /customers/orders", matrixCase{allow: partnerAdmins})

	finance := []string{demo.VendorFinance}
	matrixRow("GET /finance/consumption", matrixCase{allow: finance})
	matrixRow("GET /finance/consumption/template", matrixCase{allow: finance})
	// An upload without a file is refused with a message (422), nothing changes.
	matrixRow("POST /finance/consumption", matrixCase{allow: finance, form: url.Values{}})
	matrixRow("GET /finance/consumption/:id", matrixCase{allow: finance, unscoped: "imports are vendor-level, not tenant data",
		target: func(t *testing.T, env *testEnv, account string) string {
			var id int64
			env.DB.Raw(`SELECT min(id) FROM consumption_imports`).Scan(&id)
			return "/finance/consumption/" + itoa64(id)
		}})
	matrixRow("GET /finance/consumption/:id/rejects.csv", matrixCase{allow: finance, unscoped: "imports are vendor-level, not tenant data",
		target: func(t *testing.T, env *testEnv, account string) string {
			var id int64
			env.DB.Raw(`SELECT min(import_id) FROM consumption_import_rejects`).Scan(&id)
			return "/finance/consumption/" + itoa64(id) + "/rejects.csv"
		}})
}

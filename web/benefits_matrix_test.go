package web

import (
	"fmt"
	"testing"

	"partnercenter/internal/demo"
)

// benefitApp is a benefit application of 智云软件 in the state.
func benefitApp(t *testing.T, env *testEnv, status string) int64 {
	t.Helper()
	var id int64
	if err := env.DB.Raw(`SELECT min(b.id) FROM benefit_applications b JOIN users u ON u.partner_id = b.partner_id AND u.login_name = ?
		WHERE b.status = ?`, demo.ZYAdmin, status).Scan(&id).Error; err != nil || id == 0 {
		t.Fatalf("the demo has no %s benefit application of 智云软件: %v", status, err)
	}
	return id
}

// 权益: the main accounts of programme partners (a cloud reseller has no
// 权益 menu, §12.1.9.17); members hold the items only by a role. An empty
// form is refused as input (422). 权益政策 and 权益发放: the vendor
// administrator; issuing an issued application is refused by its state.
func init() {
	holders := []string{demo.SPAdmin, demo.MDAdmin}
	matrixRow("GET /benefits", matrixCase{allow: holders})
	matrixRow("GET /benefits/test-voucher/new", matrixCase{allow: holders})
	matrixRow("POST /benefits/test-voucher", matrixCase{allow: holders})
	matrixRow("GET /benefits/applications", matrixCase{allow: holders})
	matrixRow("GET /benefits/exam-voucher/new", matrixCase{allow: holders})
	matrixRow("POST /benefits/exam-voucher", matrixCase{allow: holders})
	matrixRow("GET /benefits/cloud-lab/new", matrixCase{allow: holders})
	matrixRow("POST /benefits/cloud-lab", matrixCase{allow: holders})
	admin := []string{demo.VendorAdmin}
	matrixRow("GET /partners/benefit-policies", matrixCase{allow: admin})
	matrixRow("POST /partners/benefit-policies", matrixCase{allow: admin})
	matrixRow("GET /partners/benefits", matrixCase{allow: admin})
	matrixRow("POST /partners/benefits/:id/issue", matrixCase{target: func(t *testing.T, env *testEnv, _ string) string {
		return fmt.Sprintf("/partners/benefits/%d/issue", benefitApp(t, env, "issued"))
	}, allow: admin, unscoped: "only the vendor administrator holds the item, and it issues every partner's benefits"})
}

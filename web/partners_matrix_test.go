package web

import (
	"fmt"
	"net/url"
	"testing"
	"time"

	"partnercenter/internal/demo"
)

func init() {
	// The cloud reseller is assigned to eco_manager2, so eco_manager
	// (responsible for sp and md only) gets 404 for it.
	crPartner := func(t *testing.T, env *testEnv, _ string) string { return fmt.Sprintf("/partners/%d", env.World.CR) }
	matrixRow("GET /partners", matrixCase{allow: vendorStaff})
	matrixRow("GET /partners/:id", matrixCase{target: crPartner, allow: []string{demo.VendorAdmin}, notFound: []string{demo.EcoManager}})
	matrixRow("POST /partners/:id/eco-manager", matrixCase{
		target:   func(t *testing.T, env *testEnv, acc string) string { return crPartner(t, env, acc) + "/eco-manager" },
		allow:    []string{demo.VendorAdmin},
		form:     url.Values{"eco_manager_id": {"0"}}, // refused as input: assigns nothing
		unscoped: "only the vendor administrator holds the item, and it sees every partner"})
}

// newStaff creates a throwaway ecosystem manager for an allowed POST
// (never an onboarding reviewer, so it is not handed new applications).
func newStaff(t *testing.T, env *testEnv, status string) int64 {
	t.Helper()
	n := time.Now().UnixNano()
	var id int64
	if err := env.DB.Raw(`INSERT INTO users (kind, vendor_role, login_name, display_name, password_hash, status)
		VALUES ('vendor', 'eco_manager', ?, '临时经理', 'x', ?) RETURNING id`, fmt.Sprintf("tmp_eco_%d", n), status).Scan(&id).Error; err != nil {
		t.Fatal(err)
	}
	return id
}

func init() {
	matrixRow("GET /staff", matrixCase{allow: []string{demo.VendorAdmin}})
	matrixRow("GET /staff/new", matrixCase{allow: []string{demo.VendorAdmin}})
	matrixRow("POST /staff", matrixCase{allow: []string{demo.VendorAdmin}, form: url.Values{"login_name": {""}}})
	matrixRow("POST /staff/:id/onboarding-reviewer", matrixCase{
		target: func(t *testing.T, env *testEnv, _ string) string {
			return fmt.Sprintf("/staff/%d/onboarding-reviewer", newStaff(t, env, "active"))
		},
		form:     url.Values{"on": {"0"}},
		allow:    []string{demo.VendorAdmin},
		unscoped: "only the vendor administrator holds the item, and it manages every vendor staff member",
	})
	for _, action := range []string{"disable", "enable"} {
		status := map[string]string{"disable": "active", "enable": "disabled"}[action]
		matrixRow("POST /staff/:id/"+action, matrixCase{
			target: func(t *testing.T, env *testEnv, _ string) string {
				return fmt.Sprintf("/staff/%d/%s", newStaff(t, env, status), action)
			},
			allow:    []string{demo.VendorAdmin},
			unscoped: "only the vendor administrator holds the item, and it manages every vendor staff member",
		})
	}
}

// 消息发送记录: the vendor administrator's; 重新投递 of a failed message made
// for it (every message is the administrator's to see).
func init() {
	admin := []string{demo.VendorAdmin}
	matrixRow("GET /staff/messages", matrixCase{allow: admin})
	matrixRow("POST /staff/messages/:id/retry", matrixCase{
		target: func(t *testing.T, env *testEnv, _ string) string {
			var id int64
			if err := env.DB.Raw(`INSERT INTO outbox_messages (channel, recipient, template, params, lang, time_zone, status, attempts, next_at, last_error, created_at)
				VALUES ('email', 'matrix@example.cn', 'outbox.test', '{"No": "M1", "DueAt": "2026-01-01T00:00:00Z", "Link": "/profile/messages"}',
				'zh-CN', 'Asia/Shanghai', 'failed', 8, now(), 'refused', now()) RETURNING id`).
				Scan(&id).Error; err != nil {
				t.Fatal(err)
			}
			return fmt.Sprintf("/staff/messages/%d/retry", id)
		},
		allow:    admin,
		unscoped: "only the vendor administrator holds the item, and it sees every outbound message",
	})
}

// 保护期设置: the vendor administrator's (an empty form: 422).
func init() {
	matrixRow("GET /partners/protection", matrixCase{allow: []string{demo.VendorAdmin}})
	matrixRow("POST /partners/protection", matrixCase{allow: []string{demo.VendorAdmin}})
}

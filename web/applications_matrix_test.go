package web

import (
	"fmt"
	"net/url"
	"testing"

	"partnercenter/internal/demo"
)

// 我的申请 (partner) and 审批 (vendor). Partner admins hold the
// applications items in their own tenants, sp_finance holds
// applications.view through its 财务 role; 示例云科技's applications are
// 404 to md_admin and cr_admin. Vendor routes: both vendor accounts,
// while eco_manager2 (not responsible for 示例云科技 and not assigned)
// gets 404.

func init() {
	spAppReaders := []string{demo.SPAdmin, demo.SPFinance}
	foreignAdmins := []string{demo.MDAdmin, demo.CRAdmin}
	shared := func(t *testing.T, env *testEnv, _ string) string {
		id, _ := sharedProbeApplication(t, env)
		return fmt.Sprintf("/applications/%d", id)
	}
	sharedFile := func(prefix string) func(*testing.T, *testEnv, string) string {
		return func(t *testing.T, env *testEnv, _ string) string {
			id, fid := sharedProbeApplication(t, env)
			return fmt.Sprintf("%s/%d/files/%d", prefix, id, fid)
		}
	}
	fresh := func(format string) func(*testing.T, *testEnv, string) string {
		return func(t *testing.T, env *testEnv, _ string) string {
			id, _ := probeApplication(t, env, false)
			return fmt.Sprintf(format, id)
		}
	}

	matrixRow("GET /applications", matrixCase{allow: append([]string{demo.SPFinance}, partnerAdmins...)})
	matrixRow("GET /applications/:id", matrixCase{target: shared, allow: spAppReaders, notFound: foreignAdmins})
	matrixRow("GET /applications/:id/files/:file", matrixCase{target: sharedFile("/applications"), allow: spAppReaders, notFound: foreignAdmins})
	matrixRow("POST /applications/:id/withdraw", matrixCase{target: fresh("/applications/%d/withdraw"),
		allow: []string{demo.SPAdmin}, notFound: foreignAdmins})
	matrixRow("POST /applications/:id/resubmit", matrixCase{target: func(t *testing.T, env *testEnv, _ string) string {
		return fmt.Sprintf("/applications/%d/resubmit", returnedProbe(t, env))
	}, allow: []string{demo.SPAdmin}, notFound: foreignAdmins, form: url.Values{"note": {"矩阵测试补充说明"}}})

	matrixRow("GET /approvals", matrixCase{allow: vendorStaff})
	matrixRow("GET /approvals/:id", matrixCase{target: func(t *testing.T, env *testEnv, _ string) string {
		id, _ := sharedProbeApplication(t, env)
		return fmt.Sprintf("/approvals/%d", id)
	}, allow: vendorStaff, notFound: []string{"eco_manager2"}})
	matrixRow("GET /approvals/:id/files/:file", matrixCase{target: sharedFile("/approvals"), allow: vendorStaff, notFound: []string{"eco_manager2"}})
	matrixRow("POST /approvals/:id/approve", matrixCase{target: fresh("/approvals/%d/approve"), allow: vendorStaff,
		notFound: []string{"eco_manager2"}})
	matrixRow("POST /approvals/:id/reject", matrixCase{target: fresh("/approvals/%d/reject"), allow: vendorStaff,
		notFound: []string{"eco_manager2"}, form: url.Values{"reason": {"矩阵测试驳回"}}})
	matrixRow("POST /approvals/:id/return", matrixCase{target: fresh("/approvals/%d/return"), allow: vendorStaff,
		notFound: []string{"eco_manager2"}, form: url.Values{"return_comment": {"矩阵测试退回"}}})
	// The reviewer chosen is nobody (an input error): reaching the handler is what is measured.
	matrixRow("POST /approvals/:id/reassign", matrixCase{target: fresh("/approvals/%d/reassign"), allow: []string{demo.VendorAdmin},
		form: url.Values{"reviewer": {"0"}}, unscoped: "only the vendor administrator holds the item, and it sees every application"})
}

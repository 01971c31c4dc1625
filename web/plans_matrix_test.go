package web

import (
	"fmt"
	"net/url"
	"testing"

	"partnercenter/internal/demo"
)

// membershipOf is a demo partner's active membership of a program.
func membershipOf(t *testing.T, env *testEnv, partnerID int64, program string) int64 {
	t.Helper()
	var id int64
	if err := env.DB.Raw(`SELECT id FROM program_memberships WHERE partner_id = ? AND program = ? AND status = 'active'`,
		partnerID, program).Scan(&id).Error; err != nil || id == 0 {
		t.Fatalf("membership of %d %s: %d %v", partnerID, program, id, err)
	}
	return id
}

// mdInvitation creates a throwaway pending reseller link of 华东数智.
func mdInvitation(t *testing.T, env *testEnv) int64 {
	t.Helper()
	var id int64
	if err := env.DB.Raw(`INSERT INTO reseller_invitations (master_partner_id, token, status, created_at, expires_at)
		VALUES (?, 'matrix-' || md5(random()::text), 'pending', now(), now() + interval '7 days') RETURNING id`, env.World.MD).
		Scan(&id).Error; err != nil {
		t.Fatal(err)
	}
	return id
}

// 计划 (build-plan 1.C): the main accounts hold every item (members none by
// default); the solution provider's own membership is a foreign tenant's
// object for the others. 云经销商管理 is the master distributor's alone:
// the items follow the identity. The vendor's actions on a partner's
// programs: ecosystem managers and the vendor administrator. Every
// allowed POST here is refused by the service (422 or 409) and changes
// nothing: the demo accounts already hold their programs.
func init() {
	foreign := []string{demo.MDAdmin, demo.CRAdmin}
	spMembership := func(suffix string) func(*testing.T, *testEnv, string) string {
		return func(t *testing.T, env *testEnv, _ string) string {
			return fmt.Sprintf("/plans/memberships/%d%s", membershipOf(t, env, env.World.SP, "solution_provider"), suffix)
		}
	}
	matrixRow("GET /plans", matrixCase{allow: partnerAdmins})
	matrixRow("POST /plans/solution-provider/apply", matrixCase{allow: partnerAdmins})
	// 立即加入 PCE with nothing ticked: refused as input (422), nothing joined.
	matrixRow("POST /plans/pce/join", matrixCase{allow: partnerAdmins})
	matrixRow("POST /plans/memberships/:id/accept", matrixCase{target: spMembership("/accept"), allow: []string{demo.SPAdmin}, notFound: foreign})
	matrixRow("POST /plans/memberships/:id/decline", matrixCase{target: spMembership("/decline"), allow: []string{demo.SPAdmin}, notFound: foreign})
	matrixRow("GET /plans/memberships/:id/certificate", matrixCase{target: spMembership("/certificate"), allow: []string{demo.SPAdmin}, notFound: foreign})
	matrixRow("GET /plans/agreements", matrixCase{allow: partnerAdmins})
	join := func(*testing.T, *testEnv, string) string { return "/plans/join/demo-pending-invitation-0003" }
	link := "an invitation link is addressed to any partner account that holds it: its token is the secret, and a used, " +
		"revoked or expired one is refused (program tests)"
	matrixRow("GET /plans/join/:token", matrixCase{target: join, allow: partnerAdmins, unscoped: link})
	matrixRow("POST /plans/join/:token", matrixCase{target: join, allow: partnerAdmins, unscoped: link})

	mdOnly := "only a master distributor holds the item and the matrix's accounts have one"
	matrixRow("GET /sales/resellers", matrixCase{allow: []string{demo.MDAdmin}})
	matrixRow("POST /sales/resellers/invitations", matrixCase{allow: []string{demo.MDAdmin}, form: url.Values{"note": {"矩阵"}}})
	invitation := func(suffix string) func(*testing.T, *testEnv, string) string {
		return func(t *testing.T, env *testEnv, _ string) string {
			return fmt.Sprintf("/sales/resellers/invitations/%d%s", mdInvitation(t, env), suffix)
		}
	}
	matrixRow("POST /sales/resellers/invitations/:id/revoke", matrixCase{target: invitation("/revoke"), allow: []string{demo.MDAdmin}, unscoped: mdOnly})
	matrixRow("GET /sales/resellers/invitations/:id/qr.png", matrixCase{target: invitation("/qr.png"), allow: []string{demo.MDAdmin}, unscoped: mdOnly})

	// 杭州云启 is looked after by eco_manager2: eco_manager gets 404 for it.
	partnerPrograms := func(suffix func(*testing.T, *testEnv) string) func(*testing.T, *testEnv, string) string {
		return func(t *testing.T, env *testEnv, _ string) string {
			return fmt.Sprintf("/partners/%d/programs/%s", env.World.CR, suffix(t, env))
		}
	}
	mdInvite := func(*testing.T, *testEnv) string { return "md-invite" }
	end := func(t *testing.T, env *testEnv) string {
		return fmt.Sprintf("%d/end", membershipOf(t, env, env.World.CR, "cloud_reseller"))
	}
	assess := func(t *testing.T, env *testEnv) string {
		return fmt.Sprintf("%d/assessment", membershipOf(t, env, env.World.CR, "cloud_reseller"))
	}
	vendorAdmin, eco := []string{demo.VendorAdmin}, []string{demo.EcoManager}
	matrixRow("POST /partners/:id/programs/md-invite", matrixCase{target: partnerPrograms(mdInvite), allow: vendorAdmin, notFound: eco})
	matrixRow("POST /partners/:id/programs/:mid/end", matrixCase{target: partnerPrograms(end), allow: vendorAdmin, notFound: eco,
		form: url.Values{"kind": {"exit"}}})
	// 迁移客户至云经销商 with no account named: refused as input (422).
	matrixRow("POST /partners/:id/programs/migrate", matrixCase{target: partnerPrograms(func(*testing.T, *testEnv) string { return "migrate" }),
		allow: vendorAdmin, notFound: eco})
	// Taking it off a whitelist it is not on changes nothing.
	matrixRow("POST /partners/:id/programs/pce-whitelist", matrixCase{target: partnerPrograms(func(*testing.T, *testEnv) string { return "pce-whitelist" }),
		allow: vendorAdmin, notFound: eco, form: url.Values{"on": {"0"}}})
	matrixRow("POST /partners/:id/programs/:mid/assessment", matrixCase{target: partnerPrograms(assess), allow: vendorAdmin, notFound: eco,
		form: url.Values{"year": {"1999"}, "passed": {"1"}}})

	// 计划 > 发展路径: the demo main accounts hold programs (SP, MD, CR):
	// joining and the stage forms are refused (409) and change nothing; the
	// exit is refused by 已加入伙伴计划 for a reseller and "no path" for the
	// others. Their accounts have no stage certificate: 404 for everyone.
	matrixRow("GET /plans/paths", matrixCase{allow: partnerAdmins})
	matrixRow("POST /plans/paths/join", matrixCase{allow: partnerAdmins, form: url.Values{"path": {"software"}}})
	matrixRow("POST /plans/paths/exit", matrixCase{allow: partnerAdmins})
	matrixRow("POST /plans/paths/apply", matrixCase{allow: partnerAdmins, form: url.Values{"to": {"role_certified"}}})
	matrixRow("POST /plans/paths/rereview", matrixCase{allow: partnerAdmins})
	matrixRow("GET /plans/paths/certificate", matrixCase{allow: nil, notFound: partnerAdmins})
	pathTarget := func(suffix string) func(*testing.T, *testEnv, string) string {
		return func(t *testing.T, env *testEnv, _ string) string {
			return fmt.Sprintf("/partners/%d/paths/%s", env.World.CR, suffix)
		}
	}
	matrixRow("POST /partners/:id/paths/invite", matrixCase{target: pathTarget("invite"), allow: vendorAdmin, notFound: eco,
		form: url.Values{"path": {"software"}}})
	matrixRow("POST /partners/:id/paths/solutions", matrixCase{target: pathTarget("solutions"), allow: vendorAdmin, notFound: eco})
	// Ecosystem managers hold the item; the campaign is the vendor
	// administrator's (the service refuses the others: 403).
	matrixRow("POST /partners/path-campaign", matrixCase{allow: vendorAdmin, form: url.Values{"deadline": {"1999-12-01"}}})
}

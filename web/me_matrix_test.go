package web

import (
	"fmt"
	"net/url"
	"testing"

	"partnercenter/internal/demo"
)

// personRow is the id of a row of a table that belongs to a demo person
// (a query with one ? for the person's user id).
func personRow(t *testing.T, env *testEnv, login, query string) int64 {
	t.Helper()
	var id int64
	if err := env.DB.Raw(query, env.World.Users[login]).Scan(&id).Error; err != nil || id == 0 {
		t.Fatalf("the demo has no row of %s for %q: %v", login, query, err)
	}
	return id
}

// The personal console: personal accounts alone hold access.PersonalUse.
// Another person's invitation, certificate or voucher is 404 to li_lei
// (韩梅梅's and 赵强's); profile and upload forms are refused as input.
func init() {
	matrixRow("GET /me/register", matrixCase{public: true})
	matrixRow("POST /me/register", matrixCase{public: true}) // empty: refused as input; signed in: sent home
	matrixRow("GET /me", matrixCase{allow: persons})
	matrixRow("GET /me/certificates", matrixCase{allow: persons})
	matrixRow("POST /me/certificates", matrixCase{allow: persons})
	matrixRow("GET /me/vouchers", matrixCase{allow: persons})
	matrixRow("GET /me/profile", matrixCase{allow: persons})
	matrixRow("POST /me/profile", matrixCase{allow: persons, form: url.Values{"email": {"not-an-email"}}})
	matrixRow("POST /me/invitations/:id/accept", matrixCase{target: func(t *testing.T, env *testEnv, _ string) string {
		return fmt.Sprintf("/me/invitations/%d/accept", personRow(t, env, demo.PersonZhao,
			`SELECT min(id) FROM specialist_invitations WHERE person_id = ?`))
	}, notFound: persons})
	matrixRow("POST /me/certificates/:id/delete", matrixCase{target: func(t *testing.T, env *testEnv, _ string) string {
		return fmt.Sprintf("/me/certificates/%d/delete", personRow(t, env, demo.PersonHan,
			`SELECT min(id) FROM personal_certificates WHERE person_id = ? AND source = 'uploaded'`))
	}, notFound: persons})
	matrixRow("GET /me/certificates/:id/file", matrixCase{target: func(t *testing.T, env *testEnv, _ string) string {
		return fmt.Sprintf("/me/certificates/%d/file", personRow(t, env, demo.PersonHan,
			`SELECT min(id) FROM personal_certificates WHERE person_id = ? AND file_id IS NOT NULL`))
	}, notFound: persons})
	matrixRow("POST /me/vouchers/:id/redeem", matrixCase{target: func(t *testing.T, env *testEnv, _ string) string {
		return fmt.Sprintf("/me/vouchers/%d/redeem", personRow(t, env, demo.PersonHan,
			`SELECT min(id) FROM person_vouchers WHERE person_id = ? AND status = 'issued'`))
	}, notFound: persons})
}

// 组织 > 项目专员: main accounts hold the items (members only by a role);
// 智云软件's invitations, people, links and specialists are 404 to the other
// tenants' admins. 个人资质审核: vendor staff, for every person's
// certificates.
func init() {
	matrixRow("GET /org/specialists", matrixCase{allow: partnerAdmins})
	matrixRow("GET /org/specialists/invitations", matrixCase{allow: partnerAdmins})
	matrixRow("POST /org/specialists/invite", matrixCase{allow: partnerAdmins}) // empty: refused as input
	zhaoInvite := func(t *testing.T, env *testEnv, _ string) string {
		return fmt.Sprintf("/org/specialists/invitations/%d/cancel", personRow(t, env, demo.PersonZhao,
			`SELECT min(id) FROM specialist_invitations WHERE person_id = ?`))
	}
	matrixRow("POST /org/specialists/invitations/:id/cancel", matrixCase{target: zhaoInvite, notFound: partnerAdmins})
	matrixRow("GET /org/specialists/people/:id", matrixCase{target: func(t *testing.T, env *testEnv, _ string) string {
		return fmt.Sprintf("/org/specialists/people/%d", env.World.Users[demo.PersonLi])
	}, notFound: partnerAdmins})
	liLink := func(suffix string) func(t *testing.T, env *testEnv, _ string) string {
		return func(t *testing.T, env *testEnv, _ string) string {
			return fmt.Sprintf("/org/specialists/links/%d/%s", personRow(t, env, demo.PersonLi,
				`SELECT id FROM specialist_links WHERE person_id = ? AND unlinked_at IS NULL`), suffix)
		}
	}
	matrixRow("POST /org/specialists/links/:id/unlink", matrixCase{target: liLink("unlink"), notFound: partnerAdmins})
	matrixRow("POST /org/specialists/links/:id/apply", matrixCase{target: liLink("apply"), notFound: partnerAdmins})
	matrixRow("POST /org/specialists/:id/cancel", matrixCase{target: func(t *testing.T, env *testEnv, _ string) string {
		return fmt.Sprintf("/org/specialists/%d/cancel", personRow(t, env, demo.PersonLi,
			`SELECT id FROM project_specialists WHERE person_id = ? AND status = 'approved'`))
	}, notFound: partnerAdmins})

	matrixRow("GET /partners/certificates", matrixCase{allow: vendorStaff})
	matrixRow("POST /partners/certificates/import", matrixCase{allow: vendorStaff}) // no file: refused as input
	approvedCert := func(suffix string) func(t *testing.T, env *testEnv, _ string) string {
		return func(t *testing.T, env *testEnv, _ string) string {
			return fmt.Sprintf("/partners/certificates/%d/%s", personRow(t, env, demo.PersonLi,
				`SELECT min(id) FROM personal_certificates WHERE person_id = ? AND source = 'uploaded' AND status = 'approved'`), suffix)
		}
	}
	const every = "vendor staff review every person's certificates; persons and partners never hold the item"
	matrixRow("GET /partners/certificates/:id/file", matrixCase{target: approvedCert("file"), allow: vendorStaff, unscoped: every})
	// Reviewed already: refused by its state (409), nothing changes.
	matrixRow("POST /partners/certificates/:id/approve", matrixCase{target: approvedCert("approve"), allow: vendorStaff, unscoped: every})
	matrixRow("POST /partners/certificates/:id/reject", matrixCase{target: approvedCert("reject"), allow: vendorStaff, unscoped: every})
}

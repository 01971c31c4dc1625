package web

import (
	"fmt"
	"net/url"
	"testing"

	"partnercenter/internal/customer"
	"partnercenter/internal/demo"
)

// 销售 > 客户拓展 routes: in the demo only the partner admins hold the
// sales items (members and vendor staff do not). md_admin and cr_admin
// hold them in their own tenants, so 示例云科技's reports and invitations
// are 404 to them.

func init() {
	own := []string{demo.SPAdmin}
	foreign := []string{demo.MDAdmin, demo.CRAdmin}
	matrixRow("GET /sales/reports", matrixCase{allow: partnerAdmins})
	matrixRow("GET /sales/reports/new", matrixCase{allow: partnerAdmins})
	matrixRow("POST /sales/reports", matrixCase{allow: partnerAdmins, form: url.Values{}}) // empty: refused as input, creates nothing
	matrixRow("GET /sales/invitations/online", matrixCase{allow: partnerAdmins})
	matrixRow("GET /sales/invitations/offline", matrixCase{allow: partnerAdmins})
	matrixRow("POST /sales/invitations/online", matrixCase{allow: partnerAdmins, form: url.Values{}})
	matrixRow("POST /sales/invitations/offline", matrixCase{allow: partnerAdmins, form: url.Values{}})

	// Objects are made only for the accounts that reach the lookup; the
	// others are refused before it.
	needs := func(acc string) bool { return acc == demo.SPAdmin || acc == demo.MDAdmin || acc == demo.CRAdmin }
	report := func(t *testing.T, env *testEnv, acc string) string {
		if !needs(acc) {
			return "/sales/reports/1"
		}
		return fmt.Sprintf("/sales/reports/%d", custReport(t, env, demo.SPAdmin).ID)
	}
	invitation := func(channel, suffix string) func(t *testing.T, env *testEnv, acc string) string {
		return func(t *testing.T, env *testEnv, acc string) string {
			if !needs(acc) {
				return "/sales/invitations/1" + suffix
			}
			return fmt.Sprintf("/sales/invitations/%d%s", custInvitation(t, env, demo.SPAdmin, channel).ID, suffix)
		}
	}
	invitationPage := func(channel string) func(t *testing.T, env *testEnv, acc string) string {
		return func(t *testing.T, env *testEnv, acc string) string {
			if !needs(acc) {
				return "/sales/invitations/" + channel + "/1"
			}
			return fmt.Sprintf("/sales/invitations/%s/%d", channel, custInvitation(t, env, demo.SPAdmin, channel).ID)
		}
	}
	matrixRow("GET /sales/reports/:id", matrixCase{target: report, allow: own, notFound: foreign})
	matrixRow("GET /sales/invitations/online/:id", matrixCase{target: invitationPage(customer.ChannelOnline), allow: own, notFound: foreign})
	matrixRow("GET /sales/invitations/offline/:id", matrixCase{target: invitationPage(customer.ChannelOffline), allow: own, notFound: foreign})
	matrixRow("GET /sales/invitations/:id/qr.png", matrixCase{target: invitation(customer.ChannelOffline, "/qr.png"), allow: own, notFound: foreign})
	matrixRow("POST /sales/invitations/:id/reinvite", matrixCase{target: invitation(customer.ChannelOnline, "/reinvite"), allow: own, notFound: foreign,
		form: url.Values{"email": {"matrix-reinvite@example-customer.cn"}}})
}

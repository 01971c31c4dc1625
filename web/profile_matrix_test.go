package web

import (
	"crypto/rand"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"partnercenter/internal/demo"
	"partnercenter/internal/identity"
)

// profileTempSession inserts a live session row for a demo user (no cookie
// knows its token) and returns its id.
func profileTempSession(t *testing.T, env *testEnv, login string) int64 {
	t.Helper()
	uid := env.World.Users[login]
	tok := make([]byte, 32)
	_, _ = rand.Read(tok)
	now := time.Now().UTC()
	row := identity.SessionRow{TokenHash: tok, UserID: &uid, Data: "{}", IP: "203.0.113.7",
		UserAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
	if err := env.DB.Create(&row).Error; err != nil {
		t.Fatal(err)
	}
	return row.ID
}

func init() {
	// Every partner account holds the default items of 基本信息 (seed 003
	// §7.1.1); licence data, logo and introduction are main-only; vendor
	// staff hold none of the partner items.
	mains := partnerAdmins
	matrixRow("GET /profile/company", matrixCase{allow: allPartner})
	matrixRow("POST /profile/company/licence", matrixCase{allow: mains}) // no licence file: refused as input
	matrixRow("POST /profile/company/logo", matrixCase{allow: mains})    // no image: refused as input
	matrixRow("POST /profile/company/intro", matrixCase{allow: mains,
		form: url.Values{"introduction": {strings.Repeat("长", 2001)}}}) // too long: refused as input
	matrixRow("POST /profile/company/contacts", matrixCase{allow: allPartner,
		form: url.Values{"contact_name": {"x"}, "contact_mobile": {"123"}, "contact_email": {"a@b.cn"}}}) // bad mobile
	// The logo of the signed-in tenant (a placeholder when none); vendor
	// staff have no tenant.
	matrixRow("GET /profile/company/logo", matrixCase{allow: allPartner})
	matrixRow("GET /profile/account", matrixCase{allow: allPartner})
	matrixRow("GET /profile/personal", matrixCase{allow: allPartner})
	matrixRow("POST /profile/personal", matrixCase{allow: allPartner,
		form: url.Values{"display_name": {"x"}, "email": {"not-an-email"}, "mobile": {"13800000000"}, "locale": {"zh-CN"}}})
	matrixRow("POST /profile/password", matrixCase{allow: allPartner}) // empty form: refused as input
	matrixRow("GET /profile/sessions", matrixCase{allow: allPartner})
	matrixRow("GET /profile/security", matrixCase{allow: allPartner})
	// Empty forms: refused as input (wrong password), nothing changes.
	matrixRow("POST /profile/security/totp", matrixCase{allow: allPartner})
	matrixRow("POST /profile/security/totp/disable", matrixCase{allow: allPartner})
	matrixRow("POST /profile/sessions/end-others", matrixCase{allow: allPartner})
	// Each account ends a throwaway session of its own; the other
	// tenants' admins try one of sp_viewer's and get 404.
	matrixRow("POST /profile/sessions/:id/end", matrixCase{
		target: func(t *testing.T, env *testEnv, acc string) string {
			owner := acc
			if _, ok := env.World.Users[acc]; !ok || acc == demo.MDAdmin || acc == demo.CRAdmin {
				owner = demo.SPViewer
			}
			return fmt.Sprintf("/profile/sessions/%d/end", profileTempSession(t, env, owner))
		},
		allow:    allPartner,
		notFound: []string{demo.MDAdmin, demo.CRAdmin},
	})

	// 组织 > 操作日志: main accounts and the demo role 财务 (sp_finance).
	auditors := []string{demo.SPAdmin, demo.MDAdmin, demo.CRAdmin, demo.SPFinance}
	matrixRow("GET /org/audit", matrixCase{allow: auditors})
	matrixRow("GET /org/audit/export.csv", matrixCase{allow: auditors})
}

// 消息接收设置: every partner account its own (an empty form: 422; a test
// message: queued, or 409 without an address).
func init() {
	matrixRow("GET /profile/messages", matrixCase{allow: allPartner})
	matrixRow("POST /profile/messages", matrixCase{allow: allPartner})
	matrixRow("POST /profile/messages/test", matrixCase{allow: allPartner})
}

// spEndpoint registers a webhook endpoint of 示例云科技 (a throwaway per
// call, so that deleting one harms nothing) and, with failed, a failed
// delivery to it; it returns their ids.
func spEndpoint(t *testing.T, env *testEnv, failed bool) (int64, int64) {
	t.Helper()
	var id, mid int64
	if err := env.DB.Raw(`INSERT INTO webhook_endpoints (partner_id, url, secret, event_types, status, from_event_id, created_at, updated_at)
		VALUES (?, 'https://hooks.example-cloud.cn/pc', 'whsec_matrixmatrixmatrixmatrixmatrix00', '["opportunity.po.status"]', 'active', 0, now(), now())
		RETURNING id`, env.World.SP).Scan(&id).Error; err != nil {
		t.Fatal(err)
	}
	if failed {
		if err := env.DB.Raw(`INSERT INTO outbox_messages (channel, partner_id, recipient, template, params, lang, time_zone, status, attempts,
			next_at, last_error, created_at, endpoint_id) VALUES ('webhook', ?, 'https://hooks.example-cloud.cn/pc', 'webhook.test', '{}', 'zh-CN', 'UTC',
			'failed', 10, now(), 'HTTP 500', now(), ?) RETURNING id`, env.World.SP, id).Scan(&mid).Error; err != nil {
			t.Fatal(err)
		}
	}
	return id, mid
}

// Webhook: the main accounts' (MainOnly); members are forbidden; another
// partner's endpoint is 404 for the other main accounts. An empty form is
// refused as input (422).
func init() {
	sp, foreign := []string{demo.SPAdmin}, []string{demo.MDAdmin, demo.CRAdmin}
	endpoint := func(suffix string) func(*testing.T, *testEnv, string) string {
		return func(t *testing.T, env *testEnv, _ string) string {
			id, _ := spEndpoint(t, env, false)
			return fmt.Sprintf("/profile/webhooks/%d%s", id, suffix)
		}
	}
	matrixRow("GET /profile/webhooks", matrixCase{allow: partnerAdmins})
	matrixRow("POST /profile/webhooks", matrixCase{allow: partnerAdmins})
	matrixRow("GET /profile/webhooks/:id", matrixCase{target: endpoint(""), allow: sp, notFound: foreign})
	for _, action := range []string{"test", "enable", "disable", "delete"} {
		matrixRow("POST /profile/webhooks/:id/"+action, matrixCase{target: endpoint("/" + action), allow: sp, notFound: foreign})
	}
	matrixRow("POST /profile/webhooks/:id/deliveries/:mid/retry", matrixCase{target: func(t *testing.T, env *testEnv, _ string) string {
		id, mid := spEndpoint(t, env, true)
		return fmt.Sprintf("/profile/webhooks/%d/deliveries/%d/retry", id, mid)
	}, allow: sp, notFound: foreign})
}

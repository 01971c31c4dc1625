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

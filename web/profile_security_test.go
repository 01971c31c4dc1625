package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"partnercenter/internal/demo"
	"partnercenter/internal/identity"
)

// A member binds an authenticator on 安全设置 (current password and a
// first code), then a money operation with step-up asks for a one-time
// code: the password is refused, a wrong code is refused with nothing
// moved, the right code moves the money once, the same code again is
// refused. Unbinding needs the password and a fresh code.
func TestAuthenticatorCodeConfirmsMoneyOperations(t *testing.T) {
	env := newEnv(t)
	t.Cleanup(func() {
		env.DB.Exec(`UPDATE billing_settings SET stepup_required = false WHERE partner_id = ?`, env.World.CR)
		env.DB.Exec(`UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL WHERE login_name = ?`, demo.CRAdmin)
	})
	c := env.as(t, demo.CRAdmin)
	page := c.get("/profile/security").doc(t)
	secret, _ := page.Find(`input[name="secret"]`).Attr("value")
	if secret == "" || page.Find(`[data-testid="totp-qr"]`).Length() != 1 {
		t.Fatal("no secret or QR code to enrol")
	}
	code := func() string {
		s, _ := identity.TOTPCode(secret, identity.TOTPStepAt(time.Now()))
		return s
	}
	// Wrong password: refused, not enabled.
	if r := c.post("/profile/security/totp", url.Values{"secret": {secret}, "password": {"nope"}, "code": {code()}}); r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("wrong password: %d", r.Status)
	}
	if r := c.post("/profile/security/totp", url.Values{"secret": {secret}, "password": {demo.DemoPassword}, "code": {code()}}); r.Status != http.StatusSeeOther {
		t.Fatalf("enrol: %d %s", r.Status, r.Body)
	}
	if !strings.Contains(c.get("/profile/security").Body, `data-testid="totp-disable"`) {
		t.Fatal("not shown as bound")
	}

	if r := c.post("/billing/funds/security", url.Values{"stepup": {"on"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("step-up on: %d", r.Status)
	}
	var customerID int64
	env.DB.Raw(`SELECT a.customer_id FROM associations a WHERE a.partner_id = ? AND a.mode = 'resale' AND a.status = 'active' ORDER BY a.id LIMIT 1`, env.World.CR).Scan(&customerID)
	form := func(credential string) url.Values {
		c.get("/billing/funds/transfer?customer=" + itoa64(customerID))
		return url.Values{"customer": {itoa64(customerID)}, "amount_" + itoa64(customerID): {"1.23"}, "key": {newIdemKey()}, "password": {credential}}
	}
	before := cashBalance(t, env, env.World.CR)
	preview := c.post("/billing/funds/transfer/preview", form(""))
	if !strings.Contains(preview.Body, `data-testid="otp-input"`) {
		t.Fatal("the confirmation does not ask for a one-time code")
	}
	for _, bad := range []string{demo.DemoPassword, "000000"} {
		if bad == code() {
			continue
		}
		r := c.post("/billing/funds/transfer", form(bad))
		if r.Status == http.StatusSeeOther || !strings.Contains(r.Body, "验证码不正确") {
			t.Fatalf("credential %q: status %d", bad, r.Status)
		}
	}
	if got := cashBalance(t, env, env.World.CR); !got.Equal(before) {
		t.Fatalf("a refused code moved money: %s → %s", before, got)
	}
	// The enrolment spent the current step; the next step's code is
	// accepted (one step of drift).
	ok, _ := identity.TOTPCode(secret, identity.TOTPStepAt(time.Now())+1)
	if r := c.post("/billing/funds/transfer", form(ok)); r.Status != http.StatusSeeOther {
		t.Fatalf("right code: %d %s", r.Status, r.Body)
	}
	if r := c.post("/billing/funds/transfer", form(ok)); r.Status == http.StatusSeeOther {
		t.Fatal("the same code was accepted twice")
	}
	if got := before.Sub(cashBalance(t, env, env.World.CR)); got.String() != "1.23" {
		t.Fatalf("moved %s", got)
	}
}

package identity

import (
	"context"
	"strconv"
	"testing"
	"time"

	"partnercenter/internal/platform/dbtest"
)

// RFC 6238 appendix B, SHA-1: the ASCII secret "12345678901234567890" at
// 59 s gives 94287082 (8 digits); our 6-digit codes are its last 6.
func TestTOTPMatchesTheRFC6238Vectors(t *testing.T) {
	secret := b32.EncodeToString([]byte("12345678901234567890"))
	for _, c := range []struct {
		unix int64
		want string
	}{{59, "287082"}, {1111111109, "081804"}, {1234567890, "005924"}, {2000000000, "279037"}} {
		got, err := TOTPCode(secret, TOTPStepAt(time.Unix(c.unix, 0)))
		if err != nil || got != c.want {
			t.Errorf("t=%d: %s %v, want %s", c.unix, got, err, c.want)
		}
	}
}

// Enrolling needs the current password and a first code from the app;
// a code is accepted once (replay refused), one step of clock drift is
// tolerated, and turning it off needs the password and a fresh code.
func TestAuthenticatorEnrolVerifyReplayDisable(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	u := fixtureUser(t, g)
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	s := TOTP{DB: g, Now: func() time.Time { return now }}
	secret, err := NewTOTPSecret()
	if err != nil {
		t.Fatal(err)
	}
	code := func(at time.Time) string {
		c, _ := TOTPCode(secret, TOTPStepAt(at))
		return c
	}
	if err := s.Enrol(ctx, as(u), "wrong-password", secret, code(now)); fieldOf(err, "password") == "" {
		t.Fatalf("enrol with a wrong password: %v", err)
	}
	if err := s.Enrol(ctx, as(u), oldPassword, secret, "000000"); fieldOf(err, "code") != ErrTOTPCode && code(now) != "000000" {
		t.Fatalf("enrol with a wrong code: %v", err)
	}
	if on, _ := s.enabled(ctx, u.ID); on {
		t.Fatal("enabled after refused enrolments")
	}
	if err := s.Enrol(ctx, as(u), oldPassword, secret, code(now)); err != nil {
		t.Fatalf("enrol: %v", err)
	}
	if on, _ := s.enabled(ctx, u.ID); !on {
		t.Fatal("not enabled")
	}
	if on, err := s.Enrolled(ctx, as(u)); !on || err != nil {
		t.Fatalf("the member's own page does not see it: %v", err)
	}
	// The enrolment's code was spent; the next step's code works (drift).
	if err := s.verify(ctx, u.ID, code(now)); fieldOf(err, "code") != ErrTOTPCode {
		t.Fatalf("replayed enrolment code: %v", err)
	}
	now = now.Add(TOTPStep)
	if err := s.verify(ctx, u.ID, code(now.Add(TOTPStep))); err != nil {
		t.Fatalf("code one step ahead: %v", err)
	}
	if err := s.verify(ctx, u.ID, code(now)); fieldOf(err, "code") != ErrTOTPCode {
		t.Fatalf("an older code after a newer one: %v", err)
	}
	now = now.Add(5 * TOTPStep)
	if err := s.verify(ctx, u.ID, code(now.Add(-3*TOTPStep))); fieldOf(err, "code") != ErrTOTPCode {
		t.Fatalf("a code 90 s old: %v", err)
	}
	if err := s.Disable(ctx, as(u), oldPassword, code(now)); err != nil {
		t.Fatalf("disable: %v", err)
	}
	if on, _ := s.enabled(ctx, u.ID); on {
		t.Fatal("still enabled")
	}
	var audits int64
	g.Raw(`SELECT count(*) FROM audit_log WHERE object_type = 'user' AND object_id = ? AND action IN ('user.totp_enrol', 'user.totp_disable')`,
		itoaID(u.ID)).Scan(&audits)
	if audits != 2 {
		t.Errorf("audit rows %d", audits)
	}
}

func itoaID(id int64) string { return strconv.FormatInt(id, 10) }

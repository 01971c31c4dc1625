package identity

import (
	"context"
	"testing"
	"time"

	"partnercenter/internal/access"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/dbtest"
)

// 基本信息's self-service (profile, password, authenticator, devices) is a
// partner member's own (issue 8, "One actor, first"): vendor staff, a
// customer account and the system principal are refused by every method
// and change nothing; a principal naming another tenant does not reach
// the user's row.
func TestSelfServiceRefusesAPrincipalOfTheWrongKindAndChangesNothing(t *testing.T) {
	g := dbtest.DB(t)
	u := fixtureUser(t, g)
	current, other := session(t, g, u.ID), session(t, g, u.ID)
	ctx := ctxFor(u)
	now := time.Now().UTC()
	users := Users{DB: g, Clock: clock.System{}}
	passwords := Passwords{DB: g, Clock: clock.System{}}
	totp := TOTP{DB: g, Now: func() time.Time { return now }}
	store := &SessionStore{DB: g, Clock: clock.System{}, Idle: time.Hour, Absolute: time.Hour}
	secret, _ := NewTOTPSecret()
	code, _ := TOTPCode(secret, TOTPStepAt(now))
	var audits int64
	g.Table("audit_log").Where("object_type IN ('user', 'session')").Count(&audits)

	for name, p := range map[string]*access.Principal{
		"vendor staff": access.VendorStaff(u.ID, "vendor_admin"),
		"customer":     access.CustomerUser(u.ID),
		"system":       access.System,
		"nobody":       nil,
	} {
		for op, err := range map[string]error{
			"profile":  users.UpdateProfile(ctx, p, ProfileInput{DisplayName: "夺权", Email: "x@example.cn", Mobile: "13912345678", Locale: "zh-CN"}),
			"password": passwords.Change(ctx, p, PasswordChange{Old: oldPassword, New: "New@pass2026", Confirm: "New@pass2026"}, 0),
			"end one":  users.EndSession(ctx, p, other, current),
			"end others": func() error {
				_, err := users.EndOtherSessions(ctx, p, current)
				return err
			}(),
			"list devices": func() error { _, err := store.ListForUser(ctx, p); return err }(),
			"end device":   func() error { _, err := store.End(ctx, p, other); return err }(),
			"enrolled":     func() error { _, err := totp.Enrolled(ctx, p); return err }(),
			"enrol":        totp.Enrol(ctx, p, oldPassword, secret, code),
			"disable":      totp.Disable(ctx, p, oldPassword, code),
		} {
			if !apperr.Is(err, apperr.KindForbidden) {
				t.Errorf("%s by %s: %v, want forbidden", op, name, err)
			}
		}
	}
	// A member principal naming another tenant does not reach the row.
	stranger := access.Member(u.ID, u.TenantID()+1_000_000, false)
	if err := users.UpdateProfile(ctx, stranger, ProfileInput{DisplayName: "夺权", Email: "x@example.cn", Mobile: "13912345678", Locale: "zh-CN"}); !apperr.Is(err, apperr.KindNotFound) {
		t.Errorf("profile through another tenant: %v, want not found", err)
	}
	if err := totp.Enrol(ctx, stranger, oldPassword, secret, code); !apperr.Is(err, apperr.KindNotFound) {
		t.Errorf("enrol through another tenant: %v, want not found", err)
	}

	after, _ := Users{DB: g}.ByID(context.Background(), u.ID)
	if after.DisplayName != u.DisplayName || after.PasswordHash != u.PasswordHash || !after.PasswordChangedAt.Equal(u.PasswordChangedAt) {
		t.Fatal("a refused principal changed the user")
	}
	if on, _ := totp.enabled(context.Background(), u.ID); on {
		t.Fatal("a refused principal enrolled an authenticator")
	}
	if got := sessionsOf(t, g, u.ID); len(got) != 2 {
		t.Fatalf("a refused principal ended sessions: %v", got)
	}
	var n int64
	g.Table("audit_log").Where("object_type IN ('user', 'session')").Count(&n)
	if n != audits {
		t.Fatal("a refused principal wrote the audit trail")
	}
}

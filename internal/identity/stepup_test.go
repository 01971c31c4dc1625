package identity

import (
	"testing"

	"partnercenter/internal/access"

	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/dbtest"
)

// TestStepUpSharesTheSignInThrottle: wrong step-up passwords count as
// failed sign-ins of the login name — after MaxFailuresPerName of them
// both sign-in and step-up refuse even the right password — and a right
// password passes before that.
func TestStepUpSharesTheSignInThrottle(t *testing.T) {
	g := dbtest.DB(t)
	u := fixtureUser(t, g)
	a := Authenticator{DB: g, Clock: clock.System{}}
	ctx := ctxFor(u)
	me := access.Member(u.ID, *u.PartnerID, true)
	if err := a.StepUp(ctx, me, oldPassword); err != nil {
		t.Fatalf("right password refused: %v", err)
	}
	if err := a.StepUp(ctx, me, ""); fieldOf(err, "password") != "billing.err.password_required" {
		t.Fatalf("empty credential: %v", err)
	}
	for i := 0; i < MaxFailuresPerName; i++ {
		if err := a.StepUp(ctx, me, "Guess@2025x"); fieldOf(err, "password") != "billing.err.password_wrong" {
			t.Fatalf("wrong password %d: %v", i, err)
		}
	}
	if err := a.StepUp(ctx, me, oldPassword); !apperr.Is(err, apperr.KindTooMany) {
		t.Fatalf("step-up after %d failures: %v, want throttled", MaxFailuresPerName, err)
	}
	if _, err := a.Authenticate(ctx, u.LoginName, oldPassword, "198.51.100.7"); !apperr.Is(err, apperr.KindTooMany) {
		t.Fatalf("sign-in after %d step-up failures: %v, want throttled", MaxFailuresPerName, err)
	}
	g.Exec(`DELETE FROM login_failures WHERE lower(login_name) = lower(?)`, u.LoginName)
}

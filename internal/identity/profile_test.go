package identity

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/dbtest"
	"partnercenter/internal/platform/reqctx"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

const oldPassword = "Old@pass2025"

var seq atomic.Int64

// fixtureUser creates a partner and an active member with oldPassword.
func fixtureUser(t *testing.T, g *gorm.DB) *User {
	t.Helper()
	n := seq.Add(1)
	var pid int64
	if err := g.Raw(`INSERT INTO partners (name, credit_code, status) VALUES (?, '91310115MA1K4A2B3X', 'active') RETURNING id`,
		fmt.Sprintf("身份测试%d", n)).Scan(&pid).Error; err != nil {
		t.Fatal(err)
	}
	hash, err := HashPassword(oldPassword)
	if err != nil {
		t.Fatal(err)
	}
	email, mobile := fmt.Sprintf("idt%d@example.cn", n), fmt.Sprintf("1370000%04d", n)
	u := User{Kind: KindPartner, PartnerID: &pid, LoginName: fmt.Sprintf("idtest%d", n), DisplayName: "测试",
		Email: &email, Mobile: &mobile, PasswordHash: hash, Status: StatusActive, Locale: "zh-CN",
		PasswordChangedAt: time.Now().UTC().Add(-time.Hour)}
	if err := g.Create(&u).Error; err != nil {
		t.Fatal(err)
	}
	saved, err := Users{DB: g}.ByID(context.Background(), u.ID) // as stored (µs precision)
	if err != nil {
		t.Fatal(err)
	}
	return saved
}

func session(t *testing.T, g *gorm.DB, uid int64) int64 {
	t.Helper()
	tok := make([]byte, 32)
	_, _ = rand.Read(tok)
	now := time.Now().UTC()
	row := SessionRow{TokenHash: tok, UserID: &uid, Data: "{}", CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
	if err := g.Create(&row).Error; err != nil {
		t.Fatal(err)
	}
	return row.ID
}

// as is the principal of a fixture user, a partner member of its tenant.
func as(u *User) *access.Principal { return access.Member(u.ID, u.TenantID(), u.IsMain) }

func ctxFor(u *User) context.Context {
	return reqctx.With(context.Background(), &reqctx.Meta{RequestID: "req-identity-1", IP: "192.0.2.9",
		ActorID: u.ID, ActorName: u.LoginName, PartnerID: u.TenantID()})
}

func fieldOf(err error, field string) string {
	ae, ok := apperr.As(err)
	if !ok || ae.Fields == nil {
		return ""
	}
	return ae.Fields[field]
}

func sessionsOf(t *testing.T, g *gorm.DB, uid int64) []int64 {
	var ids []int64
	if err := g.Model(&SessionRow{}).Where("user_id = ?", uid).Order("id").Pluck("id", &ids).Error; err != nil {
		t.Fatal(err)
	}
	return ids
}

func TestPasswordChangeNeedsTheRightOldPassword(t *testing.T) {
	g := dbtest.DB(t)
	u := fixtureUser(t, g)
	s := Passwords{DB: g, Clock: clock.System{}}
	err := s.Change(ctxFor(u), as(u), PasswordChange{Old: "Wrong@pass2025", New: "New@pass2026", Confirm: "New@pass2026"}, 0)
	if fieldOf(err, "old_password") != "profile.err.old_password_wrong" {
		t.Fatalf("wrong old password: %v", err)
	}
	if err := s.Change(ctxFor(u), as(u), PasswordChange{New: "New@pass2026", Confirm: "New@pass2026"}, 0); fieldOf(err, "old_password") == "" {
		t.Fatalf("missing old password: %v", err)
	}
	after, _ := Users{DB: g}.ByID(context.Background(), u.ID)
	if after.PasswordHash != u.PasswordHash || !after.PasswordChangedAt.Equal(u.PasswordChangedAt) {
		t.Fatal("a refused change altered the password")
	}
}

func TestPasswordChangeEndsOtherSessionsButKeepsTheCurrentOne(t *testing.T) {
	g := dbtest.DB(t)
	u := fixtureUser(t, g)
	current := session(t, g, u.ID)
	session(t, g, u.ID)
	session(t, g, u.ID)
	bystander := fixtureUser(t, g)
	theirs := session(t, g, bystander.ID)

	err := Passwords{DB: g, Clock: clock.System{}}.Change(ctxFor(u), as(u),
		PasswordChange{Old: oldPassword, New: "New@pass2026", Confirm: "New@pass2026"}, current)
	if err != nil {
		t.Fatal(err)
	}
	if got := sessionsOf(t, g, u.ID); len(got) != 1 || got[0] != current {
		t.Fatalf("sessions after the change: %v, want only %d", got, current)
	}
	if got := sessionsOf(t, g, bystander.ID); len(got) != 1 || got[0] != theirs {
		t.Fatal("another user's sessions were ended")
	}
	after, _ := Users{DB: g}.ByID(context.Background(), u.ID)
	if !CheckPassword(after.PasswordHash, "New@pass2026") || !after.PasswordChangedAt.After(u.PasswordChangedAt) {
		t.Fatal("new password or password_changed_at not saved")
	}
	var before, afterJSON string
	g.Raw(`SELECT coalesce(before::text, ''), coalesce(after::text, '') FROM audit_log WHERE action = 'user.password.change' AND object_id = ?`,
		fmt.Sprint(u.ID)).Row().Scan(&before, &afterJSON)
	if afterJSON == "" || !strings.Contains(afterJSON, `"other_sessions_ended": 2`) {
		t.Fatalf("audit row: %q", afterJSON)
	}
	if strings.Contains(before+afterJSON, "argon2") || strings.Contains(before+afterJSON, "New@pass") {
		t.Fatal("the audit trail must never hold passwords or hashes")
	}
}

func TestNewPasswordIsValidatedConfirmedAndDifferent(t *testing.T) {
	g := dbtest.DB(t)
	u := fixtureUser(t, g)
	s := Passwords{DB: g, Clock: clock.System{}}
	cases := []struct {
		in    PasswordChange
		field string
		key   string
	}{
		{PasswordChange{Old: oldPassword, New: "short", Confirm: "short"}, "new_password", "identity.err.password_length"},
		{PasswordChange{Old: oldPassword, New: "alllowercase1", Confirm: "alllowercase1"}, "new_password", "identity.err.password_weak"},
		{PasswordChange{Old: oldPassword, New: "X@" + u.LoginName + "9", Confirm: "X@" + u.LoginName + "9"}, "new_password", "identity.err.password_contains_name"},
		{PasswordChange{Old: oldPassword, New: oldPassword, Confirm: oldPassword}, "new_password", "profile.err.password_same"},
		{PasswordChange{Old: oldPassword, New: "New@pass2026", Confirm: "New@pass2027"}, "confirm_password", "profile.err.password_mismatch"},
	}
	for _, c := range cases {
		if got := fieldOf(s.Change(ctxFor(u), as(u), c.in, 0), c.field); got != c.key {
			t.Errorf("%+v: %s = %q, want %q", c.in, c.field, got, c.key)
		}
	}
	after, _ := Users{DB: g}.ByID(context.Background(), u.ID)
	if after.PasswordHash != u.PasswordHash {
		t.Fatal("invalid input changed the password")
	}
}

func TestRepeatedWrongOldPasswordsAreThrottled(t *testing.T) {
	g := dbtest.DB(t)
	u := fixtureUser(t, g)
	s := Passwords{DB: g, Clock: clock.System{}}
	wrong := PasswordChange{Old: "Guess@2025x", New: "New@pass2026", Confirm: "New@pass2026"}
	for i := 0; i < MaxFailuresPerName; i++ {
		_ = s.Change(ctxFor(u), as(u), wrong, 0)
	}
	right := PasswordChange{Old: oldPassword, New: "New@pass2026", Confirm: "New@pass2026"}
	if err := s.Change(ctxFor(u), as(u), right, 0); !apperr.Is(err, apperr.KindTooMany) {
		t.Fatalf("after %d wrong guesses: %v, want throttled", MaxFailuresPerName, err)
	}
	g.Exec(`DELETE FROM login_failures WHERE lower(login_name) = lower(?)`, u.LoginName)
}

func TestProfileWithTakenEmailOrMobileGivesSeedMessage(t *testing.T) {
	g := dbtest.DB(t)
	u := fixtureUser(t, g)
	other := fixtureUser(t, g)
	users := Users{DB: g, Clock: clock.System{}}
	in := ProfileInput{DisplayName: "新名字", Email: strings.ToUpper(Str(other.Email)), Mobile: "13912345678", Locale: "en-US"}
	if got := fieldOf(users.UpdateProfile(ctxFor(u), as(u), in), "email"); got != ErrEmailTaken {
		t.Fatalf("taken email: %q", got)
	}
	in = ProfileInput{DisplayName: "新名字", Email: "fresh@example.cn", Mobile: Str(other.Mobile), Locale: "en-US"}
	if got := fieldOf(users.UpdateProfile(ctxFor(u), as(u), in), "mobile"); got != ErrMobileTaken {
		t.Fatalf("taken mobile: %q", got)
	}
	for field, bad := range map[string]ProfileInput{
		"email":        {DisplayName: "x", Email: "nope", Mobile: "13912345678", Locale: "zh-CN"},
		"mobile":       {DisplayName: "x", Email: "a@b.cn", Mobile: "12345", Locale: "zh-CN"},
		"display_name": {DisplayName: "", Email: "a@b.cn", Mobile: "13912345678", Locale: "zh-CN"},
		"locale":       {DisplayName: "x", Email: "a@b.cn", Mobile: "13912345678", Locale: "fr-FR"},
	} {
		if fieldOf(users.UpdateProfile(ctxFor(u), as(u), bad), field) == "" {
			t.Errorf("%s: expected a field error", field)
		}
	}
	after, _ := users.ByID(context.Background(), u.ID)
	if after.DisplayName != u.DisplayName || Str(after.Email) != Str(u.Email) {
		t.Fatal("refused input changed the profile")
	}
	in = ProfileInput{DisplayName: "新名字", Email: "Fresh@Example.cn", Mobile: "13912345678", Position: "经理", Locale: "en-US"}
	if err := users.UpdateProfile(ctxFor(u), as(u), in); err != nil {
		t.Fatal(err)
	}
	after, _ = users.ByID(context.Background(), u.ID)
	if after.DisplayName != "新名字" || Str(after.Email) != "fresh@example.cn" || after.Locale != "en-US" {
		t.Fatalf("profile not saved: %+v", after)
	}
	var n int64
	g.Table("audit_log").Where("action = 'user.profile.update' AND object_id = ?", fmt.Sprint(u.ID)).Count(&n)
	if n != 1 {
		t.Fatal("profile change not audited")
	}
}

func TestEndingAnotherUsersSessionIsNotFoundAndEndingOthersKeepsCurrent(t *testing.T) {
	g := dbtest.DB(t)
	u := fixtureUser(t, g)
	other := fixtureUser(t, g)
	current, second, third := session(t, g, u.ID), session(t, g, u.ID), session(t, g, u.ID)
	theirs := session(t, g, other.ID)
	users := Users{DB: g, Clock: clock.System{}}

	if err := users.EndSession(ctxFor(u), as(u), theirs, current); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("another user's session: %v, want not found", err)
	}
	if len(sessionsOf(t, g, other.ID)) != 1 {
		t.Fatal("another user's session was ended")
	}
	if err := users.EndSession(ctxFor(u), as(u), current, current); !apperr.Is(err, apperr.KindConflict) {
		t.Fatalf("ending the current session here: %v", err)
	}
	if err := users.EndSession(ctxFor(u), as(u), second, current); err != nil {
		t.Fatal(err)
	}
	if got := sessionsOf(t, g, u.ID); len(got) != 2 || got[0] != current || got[1] != third {
		t.Fatalf("after ending one: %v", got)
	}
	n, err := users.EndOtherSessions(ctxFor(u), as(u), current)
	if err != nil || n != 1 {
		t.Fatalf("end others: %d %v", n, err)
	}
	if got := sessionsOf(t, g, u.ID); len(got) != 1 || got[0] != current {
		t.Fatalf("after ending others: %v", got)
	}
	var audits int64
	g.Table("audit_log").Where("action IN ('session.end', 'session.end_others') AND partner_id = ?", u.TenantID()).Count(&audits)
	if audits != 2 {
		t.Fatalf("audit rows: %d", audits)
	}
}

package identity

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"partnercenter/internal/platform/dbtest"
	"partnercenter/internal/platform/secretbox"
)

// The seed is stored sealed (never the base32 the app showed); a seed
// stored before sealing still verifies and ResealTOTP seals it; after a
// key rotation ResealTOTP moves every seed to the new key and codes still
// verify.
func TestTOTPSeedsAreSealedAtRestAndRotate(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	defer secretbox.Use(secretbox.Default())
	key := func(id string) string {
		k := make([]byte, 32)
		_, _ = rand.Read(k)
		return id + ":" + base64.StdEncoding.EncodeToString(k)
	}
	k1, k2 := key("k1"), key("k2")
	box, _ := secretbox.Parse(k1)
	secretbox.Use(box)

	u := fixtureUser(t, g)
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	s := TOTP{DB: g, Now: func() time.Time { return now }}
	secret, _ := NewTOTPSecret()
	code := func(at time.Time) string { c, _ := TOTPCode(secret, TOTPStepAt(at)); return c }
	if err := s.Enrol(ctx, as(u), oldPassword, secret, code(now)); err != nil {
		t.Fatal(err)
	}
	stored := func() string {
		var v string
		g.Raw(`SELECT totp_secret FROM users WHERE id = ?`, u.ID).Scan(&v)
		return v
	}
	if v := stored(); !strings.HasPrefix(v, "v1:k1:") || strings.Contains(v, secret) {
		t.Fatalf("stored %q", v)
	}

	// A seed stored in clear before this change.
	g.Exec(`UPDATE users SET totp_secret = ? WHERE id = ?`, secret, u.ID)
	now = now.Add(TOTPStep)
	if err := s.verify(ctx, u.ID, code(now)); err != nil {
		t.Fatalf("a clear seed: %v", err)
	}
	if n, err := ResealTOTP(ctx, g, u.ID); err != nil || n < 1 || !strings.HasPrefix(stored(), "v1:k1:") {
		t.Fatalf("resealed %d: %v, stored %q", n, err, stored())
	}

	rotated, _ := secretbox.Parse(k2 + "," + k1)
	secretbox.Use(rotated)
	now = now.Add(TOTPStep)
	if err := s.verify(ctx, u.ID, code(now)); err != nil {
		t.Fatalf("the old key after rotation: %v", err)
	}
	if _, err := ResealTOTP(ctx, g, u.ID); err != nil || !strings.HasPrefix(stored(), "v1:k2:") {
		t.Fatalf("not moved to the new key: %v %q", err, stored())
	}
	onlyNew, _ := secretbox.Parse(k2)
	secretbox.Use(onlyNew)
	now = now.Add(TOTPStep)
	if err := s.verify(ctx, u.ID, code(now)); err != nil {
		t.Fatalf("the new key alone: %v", err)
	}
}

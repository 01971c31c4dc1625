package identity

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/dbtest"
)

// newSignedInSession saves a session for u and returns the cookie.
func newSignedInSession(t *testing.T, s *SessionStore, u *User) *http.Cookie {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	sess, err := s.New(req, s.CookieName())
	if err != nil {
		t.Fatal(err)
	}
	sess.Values[KeyUserID] = strconv.FormatInt(u.ID, 10)
	rec := httptest.NewRecorder()
	if err := s.Save(req, rec, sess); err != nil {
		t.Fatal(err)
	}
	return rec.Result().Cookies()[0]
}

// loads reports whether the cookie still names a live session.
func loads(t *testing.T, s *SessionStore, ck *http.Cookie) bool {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.AddCookie(ck)
	sess, err := s.New(req, s.CookieName())
	if err != nil {
		t.Fatal(err)
	}
	return !sess.IsNew && sess.Values[KeyUserID] != nil
}

func TestSessionEndsAfterIdleTimeout(t *testing.T) {
	g := dbtest.DB(t)
	clk := clock.NewFixed(time.Now().UTC())
	s := &SessionStore{DB: g, Clock: clk, Idle: 30 * time.Minute, Absolute: 12 * time.Hour}
	ck := newSignedInSession(t, s, fixtureUser(t, g))
	clk.Advance(29 * time.Minute)
	if !loads(t, s, ck) {
		t.Fatal("a session used within the idle window stays")
	}
	clk.Advance(29 * time.Minute) // the previous request slid the window
	if !loads(t, s, ck) {
		t.Fatal("activity slides the idle window")
	}
	clk.Advance(31 * time.Minute)
	if loads(t, s, ck) {
		t.Fatal("31 minutes without activity end the session")
	}
}

func TestSessionEndsAtAbsoluteLifetimeDespiteActivity(t *testing.T) {
	g := dbtest.DB(t)
	clk := clock.NewFixed(time.Now().UTC())
	s := &SessionStore{DB: g, Clock: clk, Idle: 30 * time.Minute, Absolute: 2 * time.Hour}
	ck := newSignedInSession(t, s, fixtureUser(t, g))
	for i := 0; i < 7; i++ { // active every 20 minutes for 2h20m
		clk.Advance(20 * time.Minute)
		alive := loads(t, s, ck)
		if elapsed := time.Duration(i+1) * 20 * time.Minute; elapsed < 2*time.Hour && !alive {
			t.Fatalf("ended early at %s", elapsed)
		} else if elapsed > 2*time.Hour && alive {
			t.Fatalf("still alive at %s, past the absolute lifetime", elapsed)
		}
	}
}

func TestEndAllForUserRevokesEverySession(t *testing.T) {
	g := dbtest.DB(t)
	s := &SessionStore{DB: g, Clock: clock.System{}, Idle: time.Hour, Absolute: time.Hour}
	u := fixtureUser(t, g)
	a, b := newSignedInSession(t, s, u), newSignedInSession(t, s, u)
	if err := EndAllForUser(g, u.ID, 0); err != nil {
		t.Fatal(err)
	}
	if loads(t, s, a) || loads(t, s, b) {
		t.Fatal("revoked sessions must not load")
	}
}

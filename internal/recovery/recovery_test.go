package recovery

import (
	"context"
	"fmt"
	"regexp"
	"testing"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/identity"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var bg = context.Background()

// member makes a tenant with a main account and a member bound to an
// e-mail and a mobile; it returns their login names and the member's id.
func member(t *testing.T, g *gorm.DB) (mainLogin, memberLogin string, memberID int64) {
	t.Helper()
	var pid int64
	n := time.Now().UnixNano() % 1e7
	if err := g.Raw(`INSERT INTO partners (name, credit_code, status, site) VALUES (?, ?, 'active', 'cn') RETURNING id`,
		fmt.Sprintf("找回密码测试%d有限公司", n), fmt.Sprintf("91440000MA%08d", n)).Scan(&pid).Error; err != nil {
		t.Fatal(err)
	}
	_, mainLogin = dbtest.User(t, g, pid, "", true)
	memberID, memberLogin = dbtest.User(t, g, pid, "", false)
	if err := g.Exec(`UPDATE users SET email = ?, mobile = ? WHERE id = ?`, memberLogin+"@example.cn", fmt.Sprintf("139%08d", memberID),
		memberID).Error; err != nil {
		t.Fatal(err)
	}
	return mainLogin, memberLogin, memberID
}

var codeRe = regexp.MustCompile(`"Code": "([0-9]{6})"`)

// lastCode is the code the outbox holds for an address.
func lastCode(t *testing.T, g *gorm.DB, to string) string {
	t.Helper()
	var params string
	if err := g.Raw(`SELECT params::text FROM outbox_messages WHERE recipient = ? AND template = 'recovery.code' ORDER BY id DESC LIMIT 1`, to).
		Scan(&params).Error; err != nil || params == "" {
		t.Fatalf("no code sent to %s: %v", to, err)
	}
	m := codeRe.FindStringSubmatch(params)
	if m == nil {
		t.Fatalf("no code in %s", params)
	}
	return m[1]
}

// The flow (§7.1.7): the main account and the member's e-mail name the
// account; its code goes to its e-mail and mobile; a wrong code counts; the
// right one sets the password (policy checked) and ends the sessions; the
// code works once and dies after 15 minutes or 5 wrong tries. An unknown
// account gets the same answer and nothing is sent.
func TestForgotPassword(t *testing.T) {
	g := dbtest.DB(t)
	clk := clock.NewFixed(time.Date(2029, 2, 1, 2, 0, 0, 0, time.UTC))
	s := Service{DB: g, Clock: clk}
	mainLogin, memberLogin, id := member(t, g)
	email := memberLogin + "@example.cn"

	ghost, err := s.Request(bg, mainLogin, "nobody@example.cn")
	if err != nil || ghost == "" {
		t.Fatalf("an unknown member: %q %v", ghost, err)
	}
	var sent int64
	g.Raw(`SELECT count(*) FROM outbox_messages WHERE template = 'recovery.code'`).Scan(&sent)
	if sent != 0 {
		t.Fatal("a code was sent for an unknown account")
	}
	if err := s.Complete(bg, ghost, "000000", "Newpass@2029x", "Newpass@2029x"); err == nil {
		t.Fatal("an unknown account's reset succeeded")
	}

	token, err := s.Request(bg, mainLogin, email)
	if err != nil {
		t.Fatal(err)
	}
	code := lastCode(t, g, email)
	g.Raw(`SELECT count(*) FROM outbox_messages WHERE template = 'recovery.code'`).Scan(&sent)
	if sent != 2 { // e-mail and SMS
		t.Fatalf("%d messages", sent)
	}
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	if err := s.Complete(bg, token, wrong, "Newpass@2029x", "Newpass@2029x"); err == nil {
		t.Fatal("a wrong code was accepted")
	}
	if err := s.Complete(bg, token, code, "short", "short"); err == nil {
		t.Fatal("a weak password was accepted")
	}
	if err := s.Complete(bg, token, code, "Newpass@2029x", "Newpass@2029x"); err != nil {
		t.Fatal(err)
	}
	var hash string
	g.Raw(`SELECT password_hash FROM users WHERE id = ?`, id).Scan(&hash)
	if !identity.CheckPassword(hash, "Newpass@2029x") {
		t.Fatal("the password did not change")
	}
	if err := s.Complete(bg, token, code, "Other@2029xyz", "Other@2029xyz"); err == nil {
		t.Fatal("a code worked twice")
	}

	// Expiry: valid for 15 minutes.
	token, _ = s.Request(bg, mainLogin, memberLogin)
	code = lastCode(t, g, email)
	clk.Advance(CodeValid)
	if err := s.Complete(bg, token, code, "Later@2029xyz", "Later@2029xyz"); err == nil {
		t.Fatal("an expired code was accepted")
	}
	// Five wrong tries kill it.
	token, _ = s.Request(bg, mainLogin, memberLogin)
	code = lastCode(t, g, email)
	for i := 0; i < MaxAttempts; i++ {
		_ = s.Complete(bg, token, wrong, "Tries@2029xyz", "Tries@2029xyz")
	}
	if err := s.Complete(bg, token, code, "Tries@2029xyz", "Tries@2029xyz"); err == nil {
		t.Fatal("the right code worked after five wrong tries")
	}
}

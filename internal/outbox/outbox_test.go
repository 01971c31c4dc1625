package outbox

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	smtp "github.com/emersion/go-smtp"
	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var bg = context.Background()

// mailbox is a real SMTP server on a local port that keeps what it
// receives; refuse makes it answer 451 to DATA (a temporary failure).
type mailbox struct {
	mu     sync.Mutex
	got    []string
	refuse bool
}

type session struct {
	box  *mailbox
	from string
	to   []string
}

func (b *mailbox) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{box: b}, nil }
func (s *session) Reset()                                      { s.from, s.to = "", nil }
func (s *session) Logout() error                               { return nil }
func (s *session) Mail(from string, _ *smtp.MailOptions) error { s.from = from; return nil }
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error   { s.to = append(s.to, to); return nil }
func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.box.mu.Lock()
	defer s.box.mu.Unlock()
	if s.box.refuse {
		return &smtp.SMTPError{Code: 451, Message: "try again later"}
	}
	msg, err := mail.ReadMessage(bytes.NewReader(b))
	if err != nil {
		return err
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return err
	}
	body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil {
		return err
	}
	s.box.got = append(s.box.got, "TO:"+strings.Join(s.to, ",")+"\nMessage-ID: "+msg.Header.Get("Message-ID")+"\nSubject: "+subject+
		"\n\n"+string(body))
	return nil
}

func (b *mailbox) messages() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.got...)
}

func startSMTP(t *testing.T) (*mailbox, SMTP) {
	t.Helper()
	box := &mailbox{}
	srv := smtp.NewServer(box)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	port := l.Addr().(*net.TCPAddr).Port
	return box, SMTP{Host: "127.0.0.1", Port: port, From: "noreply@partner.example.cn", TLS: "none"}
}

func user(t *testing.T, g *gorm.DB, locale string) int64 {
	t.Helper()
	id, _ := dbtest.User(t, g, 0, "eco_manager", false)
	if err := g.Exec(`UPDATE users SET email = ?, mobile = ?, locale = ? WHERE id = ?`, fmt.Sprintf("u%d@example.cn", id),
		fmt.Sprintf("139%08d", id), locale, id).Error; err != nil {
		t.Fatal(err)
	}
	return id
}

// A message queued in a transaction exists only if it commits; the
// dispatcher delivers it through a real SMTP server in the user's
// language and time zone, with the link made absolute; a temporary
// refusal is retried after the backoff and the delivery log keeps both
// attempts; SMS goes to the gateway; a channel the user turned off is not
// queued.
func TestOutboxDeliversThroughSMTPAndRetries(t *testing.T) {
	g := dbtest.DB(t)
	clk := clock.NewFixed(time.Date(2029, 3, 1, 2, 0, 0, 0, time.UTC))
	box, smtpSender := startSMTP(t)
	var smsGot []map[string]any
	var smsMu sync.Mutex
	gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer t0ken" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		var m map[string]any
		_ = json.NewDecoder(r.Body).Decode(&m)
		smsMu.Lock()
		smsGot = append(smsGot, m)
		smsMu.Unlock()
	}))
	defer gw.Close()
	d := Dispatcher{DB: g, Clock: clk, BaseURL: "https://partner.example.cn/", Senders: map[string]Sender{Email: smtpSender,
		SMS: SMSGateway{URL: gw.URL, Token: "t0ken"}}}

	zh, en := user(t, g, "zh-CN"), user(t, g, "en-US")
	st := Settings{DB: g, Clock: clk}
	enP := access.VendorStaff(en, "eco_manager")
	if err := st.Save(bg, enP, []Input{{Channel: SMS, Enabled: false, Lang: "en-US", TimeZone: "UTC"},
		{Channel: Email, Enabled: true, Lang: "en-US", TimeZone: "Europe/London"}, {Channel: Inbox, Lang: "en-US", TimeZone: "UTC"}}); err != nil {
		t.Fatal(err)
	}
	if err := st.Save(bg, enP, []Input{{Channel: SMS, Lang: "fr", TimeZone: "Mars/Base"}, {Channel: Email, Lang: "en-US", TimeZone: "UTC"},
		{Channel: Inbox, Lang: "en-US", TimeZone: "UTC"}}); err == nil {
		t.Fatal("an unknown language and zone were saved")
	}
	note := Note{Template: "outbox.test", Params: map[string]any{"No": "HO-1", "DueAt": "2029-03-04T15:59:59Z", "Link": "/opportunities/ho/1"},
		At: clk.Now()}
	// Rolled back: nothing queued.
	_ = g.Transaction(func(tx *gorm.DB) error {
		if err := ToUser(bg, tx, zh, note, Email, SMS); err != nil {
			t.Fatal(err)
		}
		return fmt.Errorf("roll back")
	})
	if err := g.Transaction(func(tx *gorm.DB) error {
		if err := ToUser(bg, tx, zh, note, Email, SMS); err != nil {
			return err
		}
		return ToUser(bg, tx, en, note, Email, SMS)
	}); err != nil {
		t.Fatal(err)
	}
	var queued int64
	g.Model(&Message{}).Where("user_id IN ?", []int64{zh, en}).Count(&queued)
	if queued != 3 { // zh: e-mail and SMS; en: e-mail only (SMS off)
		t.Fatalf("queued %d messages", queued)
	}

	box.refuse = true
	if sent, failed, err := d.Dispatch(bg); err != nil || sent != 1 || failed != 2 {
		t.Fatalf("first round: sent %d, failed %d, %v", sent, failed, err)
	}
	if sent, _, _ := d.Dispatch(bg); sent != 0 {
		t.Fatal("retried before the backoff")
	}
	box.refuse = false
	clk.Advance(31 * time.Second)
	if sent, failed, err := d.Dispatch(bg); err != nil || sent != 2 || failed != 0 {
		t.Fatalf("retry: sent %d, failed %d, %v", sent, failed, err)
	}
	mails := box.messages()
	if len(mails) != 2 {
		t.Fatalf("the server got %d mails", len(mails))
	}
	var zhMail, enMail string
	for _, m := range mails {
		if strings.Contains(m, fmt.Sprintf("TO:u%d@", zh)) {
			zhMail = m
		} else {
			enMail = m
		}
	}
	for _, want := range []string{"https://partner.example.cn/opportunities/ho/1", "2029-03-04 23:59 CST", "Message-ID: <outbox-"} {
		if !strings.Contains(zhMail, want) {
			t.Errorf("the zh-CN mail lacks %q:\n%s", want, zhMail)
		}
	}
	if !strings.Contains(enMail, "2029-03-04 15:59 GMT") || !strings.Contains(enMail, "Subject: Partner Center test message HO-1") {
		t.Errorf("the en-US mail (London time, English):\n%s", enMail)
	}
	if len(smsGot) != 1 || smsGot[0]["to"] != fmt.Sprintf("139%08d", zh) || !strings.Contains(smsGot[0]["text"].(string), "HO-1") {
		t.Fatalf("the gateway got %v", smsGot)
	}
	var attempts int64
	g.Model(&Attempt{}).Where("message_id IN (SELECT id FROM outbox_messages WHERE user_id IN ?)", []int64{zh, en}).Count(&attempts)
	if attempts != 5 {
		t.Fatalf("delivery log has %d attempts", attempts)
	}
	admin, _ := dbtest.User(t, g, 0, "vendor_admin", false)
	es, total, err := (Log{DB: g, Clock: clk}).List(bg, access.VendorStaff(admin, "vendor_admin"),
		Filter{Channel: Email, Q: fmt.Sprintf("u%d@", zh)})
	if err != nil || total != 1 || len(es[0].Tries) != 2 || es[0].Tries[0].OK || !es[0].Tries[1].OK {
		t.Fatalf("the log: %d %+v %v", total, es, err)
	}
	if mine, n, _ := (Log{DB: g, Clock: clk}).List(bg, enP, Filter{}); n != 1 || mine[0].Recipient != fmt.Sprintf("u%d@example.cn", en) {
		t.Fatalf("a user sees only its own messages: %d", n)
	}
}

// After MaxAttempts the message is failed; 重新投递 queues it again; a
// worker that died holding a message loses it after the lease.
func TestOutboxGivesUpAndRetriesOnRequest(t *testing.T) {
	g := dbtest.DB(t)
	clk := clock.NewFixed(time.Date(2029, 3, 1, 2, 0, 0, 0, time.UTC))
	box, s := startSMTP(t)
	box.refuse = true
	d := Dispatcher{DB: g, Clock: clk, Senders: map[string]Sender{Email: s}}
	if err := ToAddress(bg, g, Email, "customer@example.cn", "zh-CN", Note{Template: "outbox.test", At: clk.Now()}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < MaxAttempts; i++ {
		if _, _, err := d.Dispatch(bg); err != nil {
			t.Fatal(err)
		}
		clk.Advance(7 * time.Hour)
	}
	var m Message
	g.Where("recipient = ?", "customer@example.cn").First(&m)
	if m.Status != StatusFailed || m.Attempts != MaxAttempts || m.LastError == "" {
		t.Fatalf("after %d attempts: %+v", MaxAttempts, m)
	}
	admin, _ := dbtest.User(t, g, 0, "vendor_admin", false)
	l := Log{DB: g, Clock: clk}
	if err := l.Retry(bg, access.VendorStaff(admin, "eco_manager"), m.ID); err == nil {
		t.Fatal("an ecosystem manager re-queued a message")
	}
	if err := l.Retry(bg, access.VendorStaff(admin, "vendor_admin"), m.ID); err != nil {
		t.Fatal(err)
	}
	box.refuse = false
	// A worker claims it and dies: the lease holds it, then runs out.
	claimed, err := d.claim(bg, clk.Now())
	if err != nil || len(claimed) != 1 {
		t.Fatalf("claimed %d %v", len(claimed), err)
	}
	if sent, _, _ := d.Dispatch(bg); sent != 0 {
		t.Fatal("sent while another worker held it")
	}
	clk.Advance(LeaseFor + time.Second)
	if sent, _, err := d.Dispatch(bg); sent != 1 || err != nil {
		t.Fatalf("after the lease: %d %v", sent, err)
	}
	if len(box.messages()) != 1 {
		t.Fatal("not delivered")
	}
}

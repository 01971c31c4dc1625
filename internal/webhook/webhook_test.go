package webhook

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/events"
	"partnercenter/internal/outbox"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var (
	bg  = context.Background()
	seq atomic.Int64
)

func tenant(t *testing.T, g *gorm.DB) (*access.Principal, *access.Principal) {
	t.Helper()
	n := seq.Add(1)
	p := partner.Partner{Name: fmt.Sprintf("回调测试%d有限公司", n), CreditCode: partner.USCCWithCheck(fmt.Sprintf("9144000000%07d", n+500)),
		Status: partner.StatusActive, Site: "cn"}
	if err := g.Create(&p).Error; err != nil {
		t.Fatal(err)
	}
	main, _ := dbtest.User(t, g, p.ID, "", true)
	member, _ := dbtest.User(t, g, p.ID, "", false)
	return access.Member(main, p.ID, true), access.Member(member, p.ID, false)
}

// received is a TLS endpoint that checks signatures with the secret it is
// given and answers with status.
type received struct {
	mu     sync.Mutex
	bodies []map[string]any
	bad    int
	status int
	secret string
}

func (r *received) serve(t *testing.T) *httptest.Server {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		if req.Header.Get("X-PC-Signature") != Sign(r.secret, b) {
			r.bad++
		}
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		r.bodies = append(r.bodies, m)
		w.WriteHeader(r.status)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// Registration: https only, no private or loopback address, at least one
// known event type; the main account only; another tenant's endpoint is
// 404.
func TestEndpointRules(t *testing.T) {
	g := dbtest.DB(t)
	s := Service{DB: g, Clock: clock.NewFixed(time.Date(2029, 5, 1, 2, 0, 0, 0, time.UTC))}
	main, member := tenant(t, g)
	for url, key := range map[string]string{"http://hooks.example.cn/x": "webhook.err.https", "https://127.0.0.1/x": "webhook.err.private",
		"https://10.1.2.3/x": "webhook.err.private", "https://localhost/x": "webhook.err.private", "https://u:p@hooks.example.cn/": "webhook.err.url"} {
		_, err := s.Create(bg, main, Input{URL: url, Types: Types[:1]})
		if ae, ok := apperr.As(err); !ok || ae.Fields["url"] != key {
			t.Errorf("%s: %v", url, err)
		}
	}
	if _, err := s.Create(bg, main, Input{URL: "https://hooks.example.cn/pc", Types: []string{"nope"}}); err == nil {
		t.Fatal("no known type was accepted")
	}
	if _, err := s.Create(bg, member, Input{URL: "https://hooks.example.cn/pc", Types: Types}); !apperr.Is(err, apperr.KindForbidden) {
		t.Fatalf("a member registered an endpoint: %v", err)
	}
	e, err := s.Create(bg, main, Input{URL: "https://hooks.example.cn/pc", Types: Types})
	if err != nil || !strings.HasPrefix(e.Secret, "whsec_") {
		t.Fatalf("%+v %v", e, err)
	}
	other, _ := tenant(t, g)
	if _, err := s.Get(bg, other, e.ID); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("another tenant reads it: %v", err)
	}
	if err := s.SendTest(bg, other, e.ID); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("another tenant tests it: %v", err)
	}
}

// Events reach the endpoints that subscribed to them after they were
// registered, once however often the fan-out runs, signed with the
// endpoint's secret; a failing endpoint is retried with backoff and, after
// 3 days without success, disabled with a 站内信; 重新投递 and the test
// event go through the same log.
func TestFanoutDeliveryRetryAndDisable(t *testing.T) {
	g := dbtest.DB(t)
	clk := clock.NewFixed(time.Date(2029, 5, 1, 2, 0, 0, 0, time.UTC))
	s := Service{DB: g, Clock: clk, AllowPrivate: true} // the test server listens on 127.0.0.1
	main, _ := tenant(t, g)
	if err := events.Record(bg, g, main.PartnerID, "opportunity.po.status", clk.Now(), map[string]any{"no": "PO-before"}); err != nil {
		t.Fatal(err)
	}
	if _, err := Fanout(bg, g); err != nil {
		t.Fatal(err)
	}
	rx := &received{status: http.StatusNoContent}
	srv := rx.serve(t)
	e, err := s.Create(bg, main, Input{URL: srv.URL + "/hook", Types: []string{"opportunity.po.status"}})
	if err != nil {
		t.Fatal(err)
	}
	rx.secret = e.Secret
	_ = events.Record(bg, g, main.PartnerID, "opportunity.po.status", clk.Now(), map[string]any{"no": "PO-1", "status": "approved"})
	_ = events.Record(bg, g, main.PartnerID, "incentive.bill.status", clk.Now(), map[string]any{"bill_id": 1})
	for i := 0; i < 2; i++ {
		if _, err := Fanout(bg, g); err != nil {
			t.Fatal(err)
		}
	}
	d := outbox.Dispatcher{DB: g, Clock: clk, Senders: map[string]outbox.Sender{outbox.Webhook: Sender{DB: g, Clock: clk, Client: srv.Client()}}}
	if sent, failed, err := d.Dispatch(bg); err != nil || sent != 1 || failed != 0 {
		t.Fatalf("sent %d failed %d %v", sent, failed, err)
	}
	if len(rx.bodies) != 1 || rx.bad != 0 || rx.bodies[0]["type"] != "opportunity.po.status" ||
		rx.bodies[0]["data"].(map[string]any)["no"] != "PO-1" {
		t.Fatalf("received %+v (bad signatures %d)", rx.bodies, rx.bad)
	}

	// The endpoint starts failing.
	rx.status = http.StatusInternalServerError
	if err := s.SendTest(bg, main, e.ID); err != nil {
		t.Fatal(err)
	}
	if _, failed, _ := d.Dispatch(bg); failed != 1 {
		t.Fatal("the failure was not recorded")
	}
	// Events keep coming every 6 hours, and keep failing.
	for h := 0; h < 80 && !disabled(t, g, e.ID); h++ {
		clk.Advance(time.Hour)
		if h%6 == 5 {
			if err := s.SendTest(bg, main, e.ID); err != nil {
				t.Fatal(err)
			}
		}
		if _, _, err := d.Dispatch(bg); err != nil {
			t.Fatal(err)
		}
	}
	var got Endpoint
	g.First(&got, e.ID)
	if got.Status != StatusDisabled || got.DisabledReason != "failing" {
		t.Fatalf("after 3 days of failures: %+v", got)
	}
	var told int64
	g.Raw(`SELECT count(*) FROM messages WHERE user_id = ? AND subject_key = 'webhook.msg.disabled.subject'`, main.UserID).Scan(&told)
	if told != 1 {
		t.Fatalf("the main account was told %d times", told)
	}
	rows, _, err := s.Deliveries(bg, main, e.ID, 1)
	if err != nil || len(rows) < 10 || rows[0].Template != TestType || len(rows[len(rows)-2].Tries) < 5 {
		t.Fatalf("the delivery log: %+v %v", rows, err)
	}
	// Enabled again and redelivered: it succeeds and the clock clears.
	rx.status = http.StatusOK
	if err := s.SetActive(bg, main, e.ID, true); err != nil {
		t.Fatal(err)
	}

	if rows[0].Status == outbox.StatusFailed {
		if err := s.Redeliver(bg, main, e.ID, rows[0].ID); err != nil {
			t.Fatal(err)
		}
	} else if err := s.SendTest(bg, main, e.ID); err != nil {
		t.Fatal(err)
	}
	clk.Advance(6 * time.Hour)
	if sent, _, _ := d.Dispatch(bg); sent < 1 {
		t.Fatal("not delivered after enabling")
	}
	got = Endpoint{}
	g.First(&got, e.ID)
	if got.FailingSince != nil || got.Status != StatusActive {
		t.Fatalf("after a success: %+v", got)
	}
}

func disabled(t *testing.T, g *gorm.DB, endpoint int64) bool {
	t.Helper()
	var n int64
	g.Raw(`SELECT count(*) FROM webhook_endpoints WHERE id = ? AND status = 'disabled'`, endpoint).Scan(&n)
	return n == 1
}

// The default client refuses a loopback address after resolving.
func TestSafeClientRefusesPrivateAddresses(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer srv.Close()
	if _, err := SafeClient().Get(srv.URL); err == nil || !strings.Contains(err.Error(), "private network") {
		t.Fatalf("a loopback request went through: %v", err)
	}
}

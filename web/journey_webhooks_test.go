package web

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"partnercenter/internal/demo"
	"partnercenter/internal/outbox"
	"partnercenter/internal/webhook"
)

// Webhook in the browser (build-plan 5.F): 示例云科技's admin registers an
// HTTPS endpoint for PO status changes, reads its secret, sends a test
// event; the delivery arrives signed with that secret and the delivery
// log shows it delivered.
func TestJourneyWebhookTestEventDelivered(t *testing.T) {
	env := newEnv(t)
	var mu sync.Mutex
	var got []string
	var sigs []string
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got, sigs = append(got, string(b)), append(sigs, r.Header.Get("X-PC-Signature"))
		mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()

	b := newBrowser(t, env)
	b.login(demo.SPAdmin, demo.DemoPassword)
	b.open("/profile/webhooks")
	b.do(chromedp.SendKeys(chromedp.CSS("#url"), srv.URL+"/partner-center"),
		chromedp.SendKeys(chromedp.CSS("#description"), "旅程测试"))
	b.click(`[data-testid="type-opportunity.po.status"]`)
	b.shot("webhook-form")
	b.click(`[data-testid="endpoint-add"]`)
	b.waitVisible(`[data-testid="toast-success"]`)
	secret := strings.TrimSpace(b.text(`[data-testid="endpoint-secret"]`))
	if !strings.HasPrefix(secret, "whsec_") {
		t.Fatalf("the secret: %q", secret)
	}
	b.click(`[data-testid="endpoint-test"]`)
	b.waitVisible(`[data-testid="toast-success"]`)

	// The River job's work, with a client that trusts the test server.
	d := env.App.Dispatcher()
	d.Senders[outbox.Webhook] = webhook.Sender{DB: env.DB, Clock: env.App.Clock, Client: srv.Client()}
	if _, _, err := d.Dispatch(context.Background()); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	if len(got) != 1 || !strings.Contains(got[0], `"webhook.test"`) || sigs[0] != webhook.Sign(secret, []byte(got[0])) {
		t.Fatalf("received %q signed %q", got, sigs)
	}
	mu.Unlock()
	b.open(strings.TrimPrefix(b.location(), env.Srv.URL))
	b.waitVisible(`[data-testid="log-row"][data-status="sent"][data-channel="webhook"]`)
	b.shot("webhook-delivered")
}

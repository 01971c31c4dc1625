package web

import (
	"net/http"
	"strings"
	"testing"

	"partnercenter/internal/demo"
)

// TestHEADWorksWhereverGETDoes: every GET route answers HEAD with the
// status GET gives and no body; an unsupported method is 405 with Allow.
func TestHEADWorksWhereverGETDoes(t *testing.T) {
	env := newEnv(t)
	c := env.as(t, demo.SPAdmin)
	for _, path := range []string{"/", "/customers", "/billing/funds", "/org/members", "/exports", "/healthz", "/login"} {
		get := c.get(path)
		head := c.method(http.MethodHead, path)
		if head.Status != get.Status || head.Body != "" {
			t.Errorf("HEAD %s: %d with %d bytes, GET gives %d", path, head.Status, len(head.Body), get.Status)
		}
	}
	anon := env.client(t)
	if r := anon.method(http.MethodHead, "/customers"); r.Status != http.StatusSeeOther {
		t.Errorf("HEAD /customers signed out: %d, want the sign-in redirect", r.Status)
	}
	r := anon.method(http.MethodPut, "/login")
	if r.Status != http.StatusMethodNotAllowed || !strings.Contains(r.Header.Get("Allow"), "POST") || !strings.Contains(r.Header.Get("Allow"), "HEAD") {
		t.Errorf("PUT /login: %d Allow %q, want 405 with GET, HEAD, POST", r.Status, r.Header.Get("Allow"))
	}
}

// TestPagesAreNeverCached: signed-in pages show balances and customer data
// and carry CSRF tokens: private, no-store.
func TestPagesAreNeverCached(t *testing.T) {
	env := newEnv(t)
	c := env.as(t, demo.SPAdmin)
	for _, path := range []string{"/", "/billing/funds", "/customers", "/login"} {
		if got := c.get(path).Header.Get("Cache-Control"); got != "private, no-store" {
			t.Errorf("%s: Cache-Control %q", path, got)
		}
	}
}

// method sends a bodiless request with any method.
func (c *client) method(m, path string) *response {
	c.t.Helper()
	req, _ := http.NewRequest(m, c.env.Srv.URL+path, nil)
	return c.do(req)
}

package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"partnercenter/internal/demo"
	"partnercenter/internal/platform/metrics"
	"partnercenter/static"
)

// Requests are counted by route pattern and status (an id in the path
// makes no series of its own), and readiness answers 503 while the server
// is stopping.
func TestMetricsCountRequestsByRouteAndReadinessDuringShutdown(t *testing.T) {
	env := newEnv(t)
	eco := env.as(t, demo.EcoManager)
	if r := eco.get("/partners/fh/presales"); r.Status != http.StatusOK {
		t.Fatalf("page: %d", r.Status)
	}
	eco.get("/partners/fh/999999999/nothing")
	rec := httptest.NewRecorder()
	metrics.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	text := string(body)
	for _, want := range []string{`pc_http_requests_total{method="GET",route="/partners/fh/presales",status="200"}`,
		`pc_http_request_duration_seconds_bucket{method="GET",route="/partners/fh/presales"`, `route="unmatched"`, "go_goroutines"} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(text, `route="/partners/fh/999999999`) {
		t.Error("a raw path made a series")
	}

	anon := env.client(t)
	if r := anon.get("/readyz"); r.Status != http.StatusOK {
		t.Fatalf("ready: %d", r.Status)
	}
	env.App.Stopping.Store(true)
	defer env.App.Stopping.Store(false)
	if r := anon.get("/readyz"); r.Status != http.StatusServiceUnavailable {
		t.Fatalf("ready while stopping: %d", r.Status)
	}
	if r := anon.get("/healthz"); r.Status != http.StatusOK {
		t.Fatalf("live while stopping: %d", r.Status)
	}
}

// Pages link static files by their content hash; such a URL is cached for
// a year and served compressed; an unversioned one revalidates.
func TestStaticFilesAreFingerprintedCachedAndCompressed(t *testing.T) {
	env := newEnv(t)
	r := env.client(t).get("/login")
	if !strings.Contains(r.Body, static.Path("app.css")) {
		t.Fatalf("the page links app.css without its fingerprint")
	}
	req, _ := http.NewRequest(http.MethodGet, env.Srv.URL+static.Path("app.css"), nil)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") || res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("fingerprinted: %d %q %q", res.StatusCode, res.Header.Get("Cache-Control"), res.Header.Get("Content-Encoding"))
	}
	res, err = http.Get(env.Srv.URL + "/static/app.css?v=stale")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("Cache-Control") != "no-cache" {
		t.Fatalf("a stale version: %d %q", res.StatusCode, res.Header.Get("Cache-Control"))
	}
}

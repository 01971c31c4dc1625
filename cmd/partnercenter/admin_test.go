package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The admin listener serves /metrics, and the profiler only when asked.
func TestAdminMuxServesMetricsAndProfilerOnlyWhenAsked(t *testing.T) {
	get := func(h http.Handler, path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		return rec
	}
	plain, profiled := adminMux(false), adminMux(true)
	if r := get(plain, "/metrics"); r.Code != http.StatusOK || !strings.Contains(r.Body.String(), "go_goroutines") {
		t.Fatalf("/metrics: %d", r.Code)
	}
	if r := get(plain, "/debug/pprof/"); r.Code != http.StatusNotFound {
		t.Fatalf("pprof without PPROF: %d", r.Code)
	}
	if r := get(profiled, "/debug/pprof/"); r.Code != http.StatusOK {
		t.Fatalf("pprof with PPROF: %d", r.Code)
	}
}

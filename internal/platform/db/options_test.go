package db_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"partnercenter/internal/platform/db"
	"partnercenter/internal/platform/dbtest"
	"partnercenter/internal/platform/reqctx"
)

// A pool names its connections in pg_stat_activity, and logs a slow
// statement with its request id but without its bound values.
func TestOpenWithNamesConnectionsAndLogsSlowQueries(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	g, err := db.OpenWith(context.Background(), dbtest.AdminURL(), db.Options{MaxConns: 2, ApplicationName: "pc-test-app",
		SlowQuery: time.Nanosecond, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if s, err := g.DB(); err == nil {
			s.Close()
		}
	}()
	ctx := reqctx.With(context.Background(), &reqctx.Meta{RequestID: "req-slow-1"})
	var name string
	if err := g.WithContext(ctx).Raw(`SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid() AND ? <> ''`, "s3cret-value").
		Scan(&name).Error; err != nil {
		t.Fatal(err)
	}
	if name != "pc-test-app" {
		t.Fatalf("application_name %q", name)
	}
	out := buf.String()
	if !strings.Contains(out, `"msg":"slow query"`) || !strings.Contains(out, "req-slow-1") || strings.Contains(out, "s3cret-value") {
		t.Fatalf("slow-query log: %s", out)
	}
	if got := db.WithApplicationName("host=db user=pc", "x"); got != "host=db user=pc application_name=x" {
		t.Fatalf("keyword DSN: %q", got)
	}
}

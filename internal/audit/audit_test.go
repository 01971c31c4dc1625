package audit

import (
	"context"
	"strings"
	"testing"
	"time"

	"partnercenter/internal/platform/dbtest"
	"partnercenter/internal/platform/reqctx"
)

// The audit trail is append-only: the database itself refuses to change
// or delete a row, so not even a bug (or an attacker with the app's
// connection) rewrites history.
func TestAuditRowsCannotBeUpdatedOrDeleted(t *testing.T) {
	g := dbtest.DB(t)
	ctx := reqctx.With(context.Background(), &reqctx.Meta{RequestID: "req-append-only", IP: "10.0.0.1", ActorName: "tester"})
	if err := Record(ctx, g, Change{Action: "test.append_only", ObjectType: "test", ObjectID: 1, After: map[string]string{"a": "b"}}); err != nil {
		t.Fatal(err)
	}
	var e Entry
	if err := g.Where("request_id = ?", "req-append-only").First(&e).Error; err != nil {
		t.Fatal(err)
	}
	if e.ActorName != "tester" || e.IP != "10.0.0.1" || e.After == nil || !strings.Contains(*e.After, `"b"`) {
		t.Fatalf("recorded: %+v", e)
	}
	if err := g.Exec("UPDATE audit_log SET action = 'forged' WHERE id = ?", e.ID).Error; err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Fatalf("update must be refused, got %v", err)
	}
	if err := g.Exec("DELETE FROM audit_log WHERE id = ?", e.ID).Error; err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Fatalf("delete must be refused, got %v", err)
	}
}

// A row is stamped with the caller's time (its injected clock); a caller
// that gives none gets the database's time, never a zero time.
func TestAuditRowTakesTheCallersTime(t *testing.T) {
	g := dbtest.DB(t)
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	ctx := reqctx.With(context.Background(), &reqctx.Meta{RequestID: "req-audit-at", ActorName: "tester"})
	if err := Record(ctx, g, Change{At: at, Action: "test.at", ObjectType: "test", ObjectID: 1}); err != nil {
		t.Fatal(err)
	}
	if err := Record(ctx, g, Change{Action: "test.no_at", ObjectType: "test", ObjectID: 2}); err != nil {
		t.Fatal(err)
	}
	var rows []Entry
	if err := g.Where("request_id = ?", "req-audit-at").Order("id").Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || !rows[0].At.Equal(at) {
		t.Fatalf("caller's time not kept: %+v", rows)
	}
	var dbNow time.Time
	g.Raw(`SELECT now()`).Scan(&dbNow)
	if d := dbNow.Sub(rows[1].At); d < 0 || d > time.Hour {
		t.Fatalf("row without a time stamped %v (database now %v)", rows[1].At, dbNow)
	}
}

package audit

import (
	"context"
	"strings"
	"testing"

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

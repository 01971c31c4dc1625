package consumption

import (
	"context"
	"testing"

	"partnercenter/internal/access"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/dbtest"
)

// TestWrongKindOfActorIsRefused: the vendor's import list and report are
// refused to a partner member, and a partner's consumption lists to
// vendor staff and customers (access actor guards), with a typed
// Forbidden that still names the operation.
func TestWrongKindOfActorIsRefused(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	clk := clock.System{}
	member := access.Member(1, 1, true)
	if _, _, err := (Importer{DB: g, Clock: clk}).List(ctx, member, 1); !apperr.Is(err, apperr.KindForbidden) {
		t.Fatalf("member lists imports: %v", err)
	}
	if _, _, _, err := (Importer{DB: g, Clock: clk}).Get(ctx, member, 1, 1); !apperr.Is(err, apperr.KindForbidden) {
		t.Fatalf("member reads an import: %v", err)
	}
	for _, p := range []*access.Principal{access.VendorStaff(2, "finance"), access.CustomerUser(3), access.System} {
		_, err := (Service{DB: g, Clock: clk}).Summary(ctx, p, Filter{})
		if !apperr.Is(err, apperr.KindForbidden) {
			t.Fatalf("%+v reads consumption: %v", p, err)
		}
		if got := err.Error(); len(got) < 20 || got[:20] != "consumption.Summary:" {
			t.Fatalf("error does not name the operation: %q", got)
		}
	}
}

package customer

import (
	"testing"
)

// Webhook events of associations (build-plan 5.F): an accepted invitation
// records customer.associated and the completed association request; a
// partner's unbinding request records association.request.created, and
// its cancellation association.request.cancelled — each with the tenant.
func TestAssociationEvents(t *testing.T) {
	f := setup(t)
	tn := f.tenant(t, 0)
	_, cid := f.associated(t, tn, ModeResale)
	if n := f.count(t, `SELECT count(*) FROM events WHERE partner_id = ? AND type = 'customer.associated' AND (data->>'customer_id')::bigint = ?`,
		tn.ID, cid); n != 1 {
		t.Fatalf("customer.associated: %d", n)
	}
	if n := f.count(t, `SELECT count(*) FROM events WHERE partner_id = ? AND type = 'association.request.completed'`, tn.ID); n != 1 {
		t.Fatalf("association.request.completed: %d", n)
	}
	r, err := f.svc.RequestUnbind(ctx, tn.Main, cid, "业务调整")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.CancelRequest(ctx, tn.Main, r.ID); err != nil {
		t.Fatal(err)
	}
	for _, typ := range []string{"association.request.created", "association.request.cancelled"} {
		if n := f.count(t, `SELECT count(*) FROM events WHERE partner_id = ? AND type = ? AND (data->>'request_id')::bigint = ?`, tn.ID, typ, r.ID); n != 1 {
			t.Fatalf("%s: %d", typ, n)
		}
	}
}

package customer

import (
	"testing"

	"partnercenter/internal/access"
	"partnercenter/internal/platform/apperr"
)

// The console methods act for the signed-in customer only: a partner
// member (even one carrying the customer's user id), vendor staff, the
// system or nobody is refused with Forbidden and changes nothing; a
// customer is refused the partner's methods the same way.
func TestConsoleRefusesPrincipalsOfTheWrongKindAndChangesNothing(t *testing.T) {
	f := setup(t)
	a := f.tenant(t, 0)
	uid, cid := f.associated(t, a, ModeResale)
	sw, err := f.svc.RequestSwitch(ctx, a.Main, cid, "改为顾问销售")
	if err != nil {
		t.Fatal(err)
	}
	r, inv := f.invite(t, a, ChannelOnline, ModeResale)
	uid2, c2 := f.register(t, r.Mobile, nil)
	requests := f.count(t, `SELECT count(*) FROM association_requests`)

	wrong := []*access.Principal{a.Main, access.Member(uid, a.ID, true), access.VendorStaff(f.eco, "eco_manager"), access.System, nil}
	for _, p := range wrong {
		refused := func(what string, err error) {
			t.Helper()
			if !apperr.Is(err, apperr.KindForbidden) {
				t.Fatalf("%s by %+v: got %v, want Forbidden", what, p, err)
			}
		}
		_, err := f.svc.Precheck(ctx, p, inv.Token)
		refused("precheck", err)
		_, err = f.svc.Accept(ctx, p, inv.Token, true)
		refused("accept", err)
		_, err = f.svc.Account(ctx, p)
		refused("account", err)
		_, err = f.svc.MyPartners(ctx, p)
		refused("my partners", err)
		_, err = f.svc.CustomerRequestUnbind(ctx, p, "不再合作")
		refused("unbind", err)
		_, err = f.svc.Consent(ctx, p, sw.ID, true)
		refused("consent", err)
		_, err = f.svc.CustomerCancelRequest(ctx, p, sw.ID)
		refused("cancel", err)
	}
	if _, err := f.svc.CreateReport(ctx, access.CustomerUser(uid), ReportInput{CustomerName: "客户自报", Kind: KindPersonal,
		Mobile: mobileOf(uniq())}); !apperr.Is(err, apperr.KindForbidden) {
		t.Fatalf("a customer reported a customer: %v", err)
	}
	if _, err := f.svc.RequestUnbind(ctx, access.CustomerUser(uid), cid, "越权"); !apperr.Is(err, apperr.KindForbidden) {
		t.Fatalf("a customer asked for a partner unbinding: %v", err)
	}

	if got := f.assoc(t, cid); got.Status != AssociationActive || got.Mode != ModeResale {
		t.Fatalf("association changed: %+v", got)
	}
	if n := f.count(t, `SELECT count(*) FROM association_requests`); n != requests {
		t.Fatalf("requests %d, want %d", n, requests)
	}
	if n := f.count(t, `SELECT count(*) FROM association_requests WHERE id = ? AND status = ?`, sw.ID, RequestPending); n != 1 {
		t.Fatal("the pending switch was decided")
	}
	if n := f.count(t, `SELECT count(*) FROM invitations WHERE id = ? AND status = ?`, inv.ID, InvitationSent); n != 1 {
		t.Fatal("the invitation was used")
	}
	if got := f.assoc(t, c2.ID); got != nil {
		t.Fatalf("the invited customer was associated: %+v", got)
	}
	// The customer itself still may.
	if _, err := f.svc.Accept(ctx, access.CustomerUser(uid2), inv.Token, true); err != nil {
		t.Fatal(err)
	}
}

package customer

import (
	"testing"
	"time"

	"partnercenter/internal/access"
	"partnercenter/internal/platform/apperr"
)

// R14 (seed 003 §12.1.2.2): only the partner admin approves or rejects a
// customer's unbinding — a member holding customers.records.view cannot,
// even if a route let it through. R16 (§12.4.19): unbinding a resale
// customer raises its grace period to 7 days.
func TestOnlyPartnerAdminDecidesCustomerUnbinding(t *testing.T) {
	f := setup(t)
	a := f.tenant(t, 0)
	uid, cid := f.associated(t, a, ModeResale)
	req, err := f.svc.CustomerRequestUnbind(ctx, access.CustomerUser(uid), "不再合作")
	if err != nil {
		t.Fatal(err)
	}
	if n := f.count(t, `SELECT count(*) FROM messages WHERE user_id = ? AND subject_key = 'customer.msg.unbind_asked.subject'`, a.MainID); n != 1 {
		t.Fatalf("admin not told: %d", n)
	}
	_, viewer := f.member(t, a, false, []access.Item{access.CustomerRecordsView, access.CustomersView}, 0)
	_, err = f.svc.Decide(ctx, viewer, req.ID, true, "")
	wantKey(t, err, apperr.KindForbidden, "customer.err.admin_only")
	if got := f.assoc(t, cid); got.Status != AssociationActive {
		t.Fatal("member's decision changed the association")
	}
	// The customer cannot consent to its own request as if the partner asked.
	if _, err := f.svc.Consent(ctx, access.CustomerUser(uid), req.ID, true); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("customer consented to its own unbinding: %v", err)
	}
	f.clk.Advance(time.Hour)
	done, err := f.svc.Decide(ctx, a.Main, req.ID, true, "同意")
	if err != nil || done.Status != RequestCompleted {
		t.Fatalf("%+v %v", done, err)
	}
	got := f.assoc(t, cid)
	if got.Status != AssociationEnded || got.EndedAt == nil || got.GraceDaysBefore == nil || *got.GraceDaysBefore != 1 {
		t.Fatalf("association %+v", got)
	}
	if c := f.customer(t, cid); c.GraceDays != 7 {
		t.Fatalf("grace %d", c.GraceDays)
	}
	if n := f.count(t, `SELECT count(*) FROM messages WHERE user_id = ? AND subject_key = 'customer.msg.outcome.subject'`, uid); n != 1 {
		t.Fatalf("customer not told: %d", n)
	}
	_, err = f.svc.Decide(ctx, a.Main, req.ID, false, "")
	wantKey(t, err, apperr.KindConflict, "customer.err.request_decided")
	// Unbound, it may associate with another partner (seed 003 §12.1.2.3).
	b := f.tenant(t, 0)
	var mobile string
	f.db.Raw(`SELECT mobile FROM customers WHERE id = ?`, cid).Scan(&mobile)
	rb, err := f.svc.CreateReport(ctx, b.Main, ReportInput{CustomerName: "解绑后的客户", Kind: KindPersonal, Mobile: mobile})
	if err != nil {
		t.Fatal(err)
	}
	ib, _ := f.svc.InviteOnline(ctx, b.Main, rb.ID, "after@example.com", ModeConsulting)
	if _, err := f.svc.Accept(ctx, access.CustomerUser(uid), ib.Token, true); err != nil {
		t.Fatalf("re-association: %v", err)
	}
}

func TestAdminRejectsCustomerUnbindingAndAssociationStays(t *testing.T) {
	f := setup(t)
	a := f.tenant(t, 0)
	uid, cid := f.associated(t, a, ModeConsulting)
	req, _ := f.svc.CustomerRequestUnbind(ctx, access.CustomerUser(uid), "")
	if _, err := f.svc.Decide(ctx, a.Main, req.ID, false, "合同未到期"); err != nil {
		t.Fatal(err)
	}
	if got := f.assoc(t, cid); got.Status != AssociationActive {
		t.Fatal("rejected unbinding ended the association")
	}
	rec, _ := f.svc.Records(ctx, a.Main, RecordFilter{Type: RequestUnbind})
	if rec.Total != 1 || rec.Rows[0].Status != RequestRejected || rec.Rows[0].DecisionNote != "合同未到期" || rec.Rows[0].Decidable {
		t.Fatalf("records %+v", rec.Rows)
	}
}

// R15 (seed 003 §12.4.3): at most 3 unbinding applications in 3 months.
func TestFourthUnbindingApplicationWithin3MonthsIsRefused(t *testing.T) {
	f := setup(t)
	a := f.tenant(t, 0)
	uid, _ := f.associated(t, a, ModeConsulting)
	for i := 0; i < 3; i++ {
		req, err := f.svc.CustomerRequestUnbind(ctx, access.CustomerUser(uid), "")
		if err != nil {
			t.Fatalf("application %d: %v", i+1, err)
		}
		if _, err := f.svc.CustomerCancelRequest(ctx, access.CustomerUser(uid), req.ID); err != nil {
			t.Fatal(err)
		}
		f.clk.Advance(24 * time.Hour)
	}
	_, err := f.svc.CustomerRequestUnbind(ctx, access.CustomerUser(uid), "")
	wantKey(t, err, apperr.KindConflict, "customer.err.unbind_quota")
	mp, _ := f.svc.MyPartners(ctx, access.CustomerUser(uid))
	if mp.UnbindsLeft != 0 {
		t.Fatalf("left %d", mp.UnbindsLeft)
	}
	// Three months after the first application one is allowed again.
	f.clk.Advance(time.Duration(92-3) * 24 * time.Hour)
	if _, err := f.svc.CustomerRequestUnbind(ctx, access.CustomerUser(uid), ""); err != nil {
		t.Fatalf("after 3 months: %v", err)
	}
}

// Seed 003 §4.5: the partner asks to switch; the flow ends only when the
// customer agrees; the mode changes and from/to are recorded; the partner
// is told. Consulting→resale raises the grace period (R16).
func TestPartnerSwitchCompletesOnCustomerConsent(t *testing.T) {
	f := setup(t)
	a := f.tenant(t, 0)
	uid, cid := f.associated(t, a, ModeResale)
	_, err := f.svc.RequestSwitch(ctx, a.Main, cid, "")
	wantField(t, err, "reason", "customer.err.reason_required")
	req, err := f.svc.RequestSwitch(ctx, a.Main, cid, "客户希望自行支付")
	if err != nil {
		t.Fatal(err)
	}
	if *req.FromMode != ModeResale || *req.ToMode != ModeConsulting {
		t.Fatalf("%+v", req)
	}
	_, err = f.svc.RequestUnbind(ctx, a.Main, cid, "再来一个")
	wantKey(t, err, apperr.KindConflict, "customer.err.request_pending")
	mp, _ := f.svc.MyPartners(ctx, access.CustomerUser(uid))
	if len(mp.Pending) != 1 || !mp.Pending[0].AwaitsCustomer {
		t.Fatalf("pending %+v", mp.Pending)
	}
	if got := f.assoc(t, cid); got.Mode != ModeResale {
		t.Fatal("switched before consent")
	}
	if _, err := f.svc.Consent(ctx, access.CustomerUser(uid), req.ID, true); err != nil {
		t.Fatal(err)
	}
	if got := f.assoc(t, cid); got.Mode != ModeConsulting || got.Status != AssociationActive {
		t.Fatalf("after consent %+v", got)
	}
	if n := f.count(t, `SELECT count(*) FROM messages WHERE user_id = ? AND subject_key = 'customer.msg.outcome.subject'`, a.MainID); n != 1 {
		t.Fatalf("partner not told: %d", n)
	}
	// And back to resale: grace raised to ≥1 (already 1 from the association).
	req2, _ := f.svc.RequestSwitch(ctx, a.Main, cid, "改回代售")
	f.db.Exec(`UPDATE customers SET grace_days = 0 WHERE id = ?`, cid)
	if _, err := f.svc.Consent(ctx, access.CustomerUser(uid), req2.ID, true); err != nil {
		t.Fatal(err)
	}
	if c := f.customer(t, cid); c.GraceDays != 1 {
		t.Fatalf("grace %d", c.GraceDays)
	}
}

func TestCustomerRefusesPartnerUnbinding(t *testing.T) {
	f := setup(t)
	a := f.tenant(t, 0)
	uid, cid := f.associated(t, a, ModeConsulting)
	req, err := f.svc.RequestUnbind(ctx, a.Main, cid, "结束合作")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Consent(ctx, access.CustomerUser(uid), req.ID, false); err != nil {
		t.Fatal(err)
	}
	if got := f.assoc(t, cid); got.Status != AssociationActive {
		t.Fatal("refused unbinding ended the association")
	}
	// Partner unbinding accepted ends it; a consulting customer keeps its grace period.
	req2, _ := f.svc.RequestUnbind(ctx, a.Main, cid, "结束合作")
	if _, err := f.svc.Consent(ctx, access.CustomerUser(uid), req2.ID, true); err != nil {
		t.Fatal(err)
	}
	if got := f.assoc(t, cid); got.Status != AssociationEnded {
		t.Fatal("not ended")
	}
	if c := f.customer(t, cid); c.GraceDays != 0 {
		t.Fatalf("grace %d", c.GraceDays)
	}
}

// Seed 003 §12.4.3: a customer cannot start a switch (there is no such
// operation for a customer; the partner operations refuse a customer).
func TestCustomerCannotStartASwitch(t *testing.T) {
	f := setup(t)
	a := f.tenant(t, 0)
	uid, cid := f.associated(t, a, ModeResale)
	cp := f.principal(t, uid)
	_, err := f.svc.RequestSwitch(ctx, cp, cid, "我要切换")
	wantKey(t, err, apperr.KindForbidden, "")
	if n := f.count(t, `SELECT count(*) FROM association_requests WHERE customer_id = ? AND type = 'switch'`, cid); n != 0 {
		t.Fatal("a switch was created")
	}
}

// R13 also holds when switching: a finance-hosted sub cannot become consulting.
func TestHostedSubCannotBeSwitchedToConsulting(t *testing.T) {
	f := setup(t)
	a := f.tenant(t, 0)
	_, master := f.register(t, mobileOf(uniq()), nil)
	r, inv := f.invite(t, a, ChannelOnline, ModeResale)
	uid, c := f.register(t, r.Mobile, func(in *RegisterInput) { in.EnterpriseMaster, in.FinanceHosted = master.AccountName, true })
	if _, err := f.svc.Accept(ctx, access.CustomerUser(uid), inv.Token, true); err != nil {
		t.Fatal(err)
	}
	_, err := f.svc.RequestSwitch(ctx, a.Main, c.ID, "切换")
	wantKey(t, err, apperr.KindConflict, ErrHostedSubConsult)
}

func TestPartnerCancelsItsRequest(t *testing.T) {
	f := setup(t)
	a := f.tenant(t, 0)
	uid, cid := f.associated(t, a, ModeConsulting)
	_, other := f.member(t, a, false, []access.Item{access.CustomersView, access.CustomersUnbind}, 0)
	req, _ := f.svc.RequestUnbind(ctx, a.Main, cid, "结束")
	_, err := f.svc.CancelRequest(ctx, other, req.ID)
	wantKey(t, err, apperr.KindForbidden, "")
	if _, err := f.svc.CancelRequest(ctx, a.Main, req.ID); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Consent(ctx, access.CustomerUser(uid), req.ID, true)
	wantKey(t, err, apperr.KindConflict, "customer.err.request_decided")
}

// Tenant isolation: another partner's customer or request is NotFound and
// nothing changes.
func TestAnotherTenantsCustomerIsNotFoundAndUnchanged(t *testing.T) {
	f := setup(t)
	a, b := f.tenant(t, 0), f.tenant(t, 0)
	uid, cid := f.associated(t, a, ModeResale)
	req, _ := f.svc.CustomerRequestUnbind(ctx, access.CustomerUser(uid), "")
	_, cid2 := f.associated(t, a, ModeResale)
	preq, err := f.svc.RequestSwitch(ctx, a.Main, cid2, "x")
	if err != nil {
		t.Fatal(err)
	}
	before := f.count(t, `SELECT count(*) FROM audit_log`)
	bm, _ := f.member(t, b, true, nil, 0)
	if _, err := f.svc.Get(ctx, b.Main, cid); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("get: %v", err)
	}
	if _, err := f.svc.Assign(ctx, b.Main, []int64{cid}, bm); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("assign: %v", err)
	}
	if _, err := f.svc.RequestUnbind(ctx, b.Main, cid, "x"); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("unbind: %v", err)
	}
	if _, err := f.svc.Decide(ctx, b.Main, req.ID, true, ""); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("decide: %v", err)
	}
	if _, err := f.svc.CancelRequest(ctx, b.Main, preq.ID); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("cancel: %v", err)
	}
	list, _ := f.svc.List(ctx, b.Main, Filter{})
	rec, _ := f.svc.Records(ctx, b.Main, RecordFilter{})
	if list.Total != 0 || rec.Total != 0 {
		t.Fatalf("leak: %d customers, %d records", list.Total, rec.Total)
	}
	if after := f.count(t, `SELECT count(*) FROM audit_log`); after != before {
		t.Fatal("something changed")
	}
	if got := f.assoc(t, cid); got.Status != AssociationActive || got.ManagerUserID != nil {
		t.Fatalf("association changed %+v", got)
	}
	// Another customer's request is not found for a customer either.
	uid2, _ := f.associated(t, a, ModeConsulting)
	if _, err := f.svc.Consent(ctx, access.CustomerUser(uid2), preq.ID, true); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("consent by another customer: %v", err)
	}
	if _, err := f.svc.CustomerCancelRequest(ctx, access.CustomerUser(uid2), req.ID); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("cancel by another customer: %v", err)
	}
}

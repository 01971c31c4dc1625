package opportunity

import (
	"testing"
	"time"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/dbtest"
)

// eligibleHO makes a PCE member on the service path at 角色认证 with a
// jointly built Offering recorded by f.eco.
func (f *fx) eligibleHO(t *testing.T) *access.Principal {
	t.Helper()
	m := f.company(t, access.IdentityPCE, access.IdentityService)
	if err := f.db.Exec(`INSERT INTO path_enrollments (partner_id, path, stage, status, joined_at, stage_at, certificate_no, cert_valid_until, updated_at)
		VALUES (?, 'service', 'role_certified', 'active', ?, ?, ?, '2030-01-31', ?)`, m.PartnerID, f.clk.Now(), f.clk.Now(),
		"HO-TEST-"+time.Now().Format("150405.000000000"), f.clk.Now()).Error; err != nil {
		t.Fatal(err)
	}
	if err := f.svc.AddOffering(bg, f.eco, m.PartnerID, "制造业上云联合解决方案", "partner"); err != nil {
		t.Fatal(err)
	}
	return m
}

func hoForm(customer string) HOInput {
	return HOInput{CustomerName: customer, Industry: "manufacturing", Requirement: "核心系统上云", Budget: "1200000",
		PurchaseOn: "2029-10-01", CustomerOwner: "张客户经理", CRMCreatedAt: "2029-06-01T09:30"}
}

func (f *fx) hoStatus(t *testing.T, id int64) string {
	t.Helper()
	var st string
	if err := f.db.Raw(`SELECT status FROM ho_opportunities WHERE id = ?`, id).Scan(&st).Error; err != nil {
		t.Fatal(err)
	}
	return st
}

// Eligibility (§11.1.3.2): PCE, 角色认证 or 能力差异化, a jointly built
// Offering — each missing one is a failed line and sharing is refused;
// the snippet's rule is information only. Another ecosystem manager's
// partner is 404.
func TestHOEligibility(t *testing.T) {
	f := setup(t)
	bare := f.company(t, access.IdentityPCE)
	el, err := f.svc.HOEligibilityOf(bg, f.eco, bare.PartnerID)
	if err != nil || el.Eligible() || len(el.Checks) != 4 {
		t.Fatalf("a PCE member without a path stage or Offering: %+v %v", el, err)
	}
	if el.Checks[0].Outcome != approval.CheckPass || el.Checks[1].Outcome != approval.CheckFail ||
		el.Checks[2].Outcome != approval.CheckFail || el.Checks[3].Outcome != approval.CheckInfo {
		t.Fatalf("check lines %+v", el.Checks)
	}
	if _, err := f.svc.Share(bg, f.eco, bare.PartnerID, hoForm("某客户")); key(err) != ErrHONotEligible {
		t.Fatalf("shared with an ineligible partner: %v", err)
	}
	ok := f.eligibleHO(t)
	if el, _ := f.svc.HOEligibilityOf(bg, f.eco, ok.PartnerID); !el.Eligible() || len(el.Offerings) != 1 {
		t.Fatalf("eligible partner: %+v", el)
	}
	if err := f.svc.AddOffering(bg, f.eco, ok.PartnerID, "制造业上云联合解决方案", "huawei"); key(err) != "opportunity.err.offering_exists" {
		t.Fatalf("the same Offering twice: %v", err)
	}
	otherID, _ := dbtest.User(t, f.db, 0, "eco_manager", false)
	other := access.VendorStaff(otherID, "eco_manager")
	if _, err := f.svc.HOEligibilityOf(bg, other, ok.PartnerID); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("another ecosystem manager: %v", err)
	}
	if _, err := f.svc.Share(bg, other, ok.PartnerID, hoForm("某客户")); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("another ecosystem manager shares: %v", err)
	}
	bad := hoForm("某客户")
	bad.CRMCreatedAt = "2029-06-05T09:30" // after now (2029-06-04 10:00 China)
	if _, err := f.svc.Share(bg, f.eco, ok.PartnerID, bad); err == nil {
		t.Fatal("a CRM time in the future was accepted")
	}
}

// The 3-working-day window (§11.1.3.3–4, R8) across a weekend and a public
// holiday, to the end of the day in China time: shared on Friday 8 June
// 2029 with Monday 11 June a holiday, due at Thursday 14 June 23:59:59.
// The job expires it a second later, not before; a decision after the due
// time is refused. Accept, reject (reason required), and the vendor's
// withdrawal of an accepted one (the partner cannot).
func TestHOWindowAndDecisions(t *testing.T) {
	f := setup(t)
	if err := f.db.Exec(`INSERT INTO calendar_days (day, kind, name) VALUES ('2029-06-11', 'holiday', '测试假日')
		ON CONFLICT (day) DO UPDATE SET kind = 'holiday'`).Error; err != nil {
		t.Fatal(err)
	}
	m := f.eligibleHO(t)
	f.clk.Advance(4*24*time.Hour + 30*time.Minute) // Friday 2029-06-08 10:30 China
	a, err := f.svc.Share(bg, f.eco, m.PartnerID, hoForm("华南智造有限公司"))
	if err != nil {
		t.Fatal(err)
	}
	due := time.Date(2029, 6, 14, 23, 59, 59, 0, clock.China)
	if !a.DueAt.Equal(due) || a.Status != HOPending {
		t.Fatalf("due %s (want %s), %s", a.DueAt.In(clock.China), due, a.Status)
	}
	b, _ := f.svc.Share(bg, f.eco, m.PartnerID, hoForm("华北智造有限公司"))
	c, _ := f.svc.Share(bg, f.eco, m.PartnerID, hoForm("西部智造有限公司"))
	d, _ := f.svc.Share(bg, f.eco, m.PartnerID, hoForm("东部智造有限公司"))

	outsider := f.company(t, access.IdentityPCE)
	if err := f.svc.Accept(bg, outsider, a.ID); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("another tenant accepts: %v", err)
	}
	if err := f.svc.Reject(bg, m, b.ID, "  "); err == nil {
		t.Fatal("rejected without a reason")
	}
	if err := f.svc.Reject(bg, m, b.ID, "客户已与其他厂商签约"); err != nil || f.hoStatus(t, b.ID) != HORejected {
		t.Fatalf("reject: %v", err)
	}
	if err := f.svc.Accept(bg, m, c.ID); err != nil || f.hoStatus(t, c.ID) != HOAccepted {
		t.Fatalf("accept: %v", err)
	}
	if err := f.svc.Accept(bg, m, c.ID); key(err) != "opportunity.err.state" {
		t.Fatalf("accepted twice: %v", err)
	}
	if err := f.svc.Withdraw(bg, m, c.ID, "误接受"); err == nil {
		t.Fatal("the partner withdrew an accepted HO")
	}
	if err := f.svc.Withdraw(bg, f.eco, d.ID, "误接受"); key(err) != "opportunity.err.ho_not_accepted" {
		t.Fatalf("withdrew a pending HO: %v", err)
	}
	if err := f.svc.Withdraw(bg, f.eco, c.ID, "伙伴误操作接受，申请撤回"); err != nil || f.hoStatus(t, c.ID) != HOWithdrawn {
		t.Fatalf("withdraw: %v", err)
	}

	// Thursday 23:59:58 China: still open, the job leaves it.
	f.clk.Advance(due.Sub(f.clk.Now()) - time.Second)
	if n, err := f.svc.Expire(bg); err != nil || n != 0 {
		t.Fatalf("expired before the due time: %d %v", n, err)
	}
	if err := f.svc.Accept(bg, m, d.ID); err != nil {
		t.Fatalf("accepted at the last second: %v", err)
	}
	// Friday 00:00:00 China: overdue; a decision is refused, the job expires it.
	f.clk.Advance(2 * time.Second)
	if err := f.svc.Accept(bg, m, a.ID); key(err) != ErrHOOverdue {
		t.Fatalf("accepted after the due time: %v", err)
	}
	if n, err := f.svc.Expire(bg); err != nil || n != 1 || f.hoStatus(t, a.ID) != HOExpired {
		t.Fatalf("expire: %d %v %s", n, err, f.hoStatus(t, a.ID))
	}
	if n, _ := f.svc.Expire(bg); n != 0 {
		t.Fatal("expired twice")
	}
	var msgs, evs, audits int64
	f.db.Raw(`SELECT count(*) FROM messages WHERE subject_key LIKE 'opportunity.msg.ho_%'`).Scan(&msgs)
	f.db.Raw(`SELECT count(*) FROM events WHERE partner_id = ? AND type LIKE 'opportunity.ho.%'`, m.PartnerID).Scan(&evs)
	f.db.Raw(`SELECT count(*) FROM audit_log WHERE object_type = 'ho_opportunity'`).Scan(&audits)
	// 4 shared + rejected + accepted + withdrawn + accepted + expired (partner and sharer).
	if msgs != 10 || evs != 9 || audits != 9 {
		t.Fatalf("messages %d, events %d, audit rows %d", msgs, evs, audits)
	}
}

// An HO is valid from its CRM creation time (§11.1.2.9): a PO of the same
// customer cannot be approved over a pending or accepted HO, and the
// partner whose PO lost sees that Huawei's was earlier and since when.
func TestHOProtectsItsCustomer(t *testing.T) {
	f := setup(t)
	m := f.eligibleHO(t)
	if _, err := f.svc.Share(bg, f.eco, m.PartnerID, hoForm("海东（青岛）物联科技有限公司")); err != nil {
		t.Fatal(err)
	}
	b := f.company(t, access.IdentityPCE)
	po, _ := f.svc.Create(bg, b, form("海东(青岛)物联科技有限公司"))
	if err := f.svc.Submit(bg, b, po.ID, ""); err != nil {
		t.Fatal(err)
	}
	r, _ := f.svc.VendorGet(bg, f.eco, po.ID)
	if len(r.Earlier) != 1 || !r.Earlier[0].HO {
		t.Fatalf("the reviewer's warning: %+v", r.Earlier)
	}
	if err := f.svc.Approve(bg, f.eco, po.ID, ""); key(err) != ErrDuplicateExists {
		t.Fatalf("approved over an HO: %v", err)
	}
	if err := f.svc.Fail(bg, f.eco, po.ID, ReasonDuplicate, ""); err != nil {
		t.Fatal(err)
	}
	var sms int64
	f.db.Raw(`SELECT count(*) FROM outbox_messages WHERE channel = 'sms' AND recipient = '13900001234' AND params->>'No' = ?`, po.No).Scan(&sms)
	if sms != 2 { // 审核中, 审核不通过（机会点重复）
		t.Fatalf("the partner's contact got %d SMS", sms)
	}
	got, _ := f.svc.Get(bg, b, po.ID)
	w, err := f.svc.WinnerOf(bg, b, got)
	if err != nil || w == nil || !w.HO || w.No != "" || !w.ValidFrom.Equal(time.Date(2029, 6, 1, 9, 30, 0, 0, clock.China)) {
		t.Fatalf("the winner shown to the partner: %+v %v", w, err)
	}
}

// A PO protects its customer for POProtectionDays from its approval: the
// end is shown (protected_until), its owner is warned once within the
// warning period, and after the end another partner's PO of the customer
// can be approved.
func TestPOProtectionEnds(t *testing.T) {
	f := setup(t)
	a, b := f.company(t, access.IdentityPCE), f.company(t, access.IdentityPCE)
	first, _ := f.svc.Create(bg, a, form("保护期测试客户有限公司"))
	if err := f.svc.Submit(bg, a, first.ID, ""); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Approve(bg, f.eco, first.ID, ""); err != nil {
		t.Fatal(err)
	}
	got, _ := f.svc.Get(bg, a, first.ID)
	if got.ProtectedUntil == nil || !got.ProtectedUntil.Equal(got.ValidFrom.AddDate(0, 0, POProtectionDays)) {
		t.Fatalf("protected until %v (valid from %v)", got.ProtectedUntil, got.ValidFrom)
	}
	f.clk.Advance(time.Duration(POProtectionDays-8) * 24 * time.Hour) // 8 days left: not yet
	if n, err := f.svc.WarnExpiring(bg); err != nil || n != 0 {
		t.Fatalf("warned with 8 days left: %d %v", n, err)
	}
	f.clk.Advance(2 * 24 * time.Hour) // 6 days left
	if n, err := f.svc.WarnExpiring(bg); err != nil || n != 1 {
		t.Fatalf("warned of %d: %v", n, err)
	}
	if n, _ := f.svc.WarnExpiring(bg); n != 0 {
		t.Fatal("warned twice")
	}
	// The purchase date of the later PO must be within a year of its day.
	in := form("保护期测试客户有限公司")
	in.PurchaseOn = clock.ChinaDate(f.clk.Now()).AddDate(0, 6, 0).Format(time.DateOnly)
	later, err := f.svc.Create(bg, b, in)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Submit(bg, b, later.ID, ""); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Approve(bg, f.eco, later.ID, ""); key(err) != ErrDuplicateExists {
		t.Fatalf("approved while protected: %v", err)
	}
	f.clk.Advance(7 * 24 * time.Hour) // the protection ended
	if err := f.svc.Approve(bg, f.eco, later.ID, ""); err != nil {
		t.Fatalf("after the protection ended: %v", err)
	}
}

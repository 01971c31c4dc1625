package nre

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/files"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var (
	bg  = context.Background()
	seq atomic.Int64
)

type fx struct {
	db              *gorm.DB
	clk             *clock.Fixed
	svc             Service
	eco, admin, fin *access.Principal
	eng             approval.Engine
	partnerAdmin    *access.Principal
	partnerID       int64
}

func setup(t *testing.T) *fx {
	t.Helper()
	g := dbtest.DB(t)
	clk := clock.NewFixed(time.Date(2026, 6, 1, 2, 0, 0, 0, time.UTC))
	f := &fx{db: g, clk: clk, svc: Service{DB: g, Clock: clk}, eng: approval.Engine{DB: g, Clock: clk}}
	id, _ := dbtest.User(t, g, 0, "eco_manager", false)
	f.eco = access.VendorStaff(id, "eco_manager")
	id, _ = dbtest.User(t, g, 0, "vendor_admin", false)
	f.admin = access.VendorStaff(id, "vendor_admin")
	id, _ = dbtest.User(t, g, 0, "finance", false)
	f.fin = access.VendorStaff(id, "finance")
	n := seq.Add(1)
	p := partner.Partner{Name: fmt.Sprintf("NRE测试%d有限公司", n), CreditCode: partner.USCCWithCheck(fmt.Sprintf("9132000000%07d", n+400)),
		Status: partner.StatusActive, Site: "cn", EcoManagerID: &f.eco.UserID}
	if err := g.Create(&p).Error; err != nil {
		t.Fatal(err)
	}
	if err := (partner.Store{DB: g}).AddIdentity(bg, p.ID, access.IdentitySoftware, clk.Now()); err != nil {
		t.Fatal(err)
	}
	uid, _ := dbtest.User(t, g, p.ID, "", true)
	f.partnerAdmin, f.partnerID = access.Member(uid, p.ID, true), p.ID
	return f
}

func (f *fx) solution(t *testing.T, name string, admitted, listed bool) int64 {
	t.Helper()
	in := SolutionInput{Name: name, Programme: "kunpeng", Listed: listed}
	if admitted {
		in.AdmittedOn = "2026-05-01"
	}
	sol, err := f.svc.RecordSolution(bg, f.eco, f.partnerID, in)
	if err != nil {
		t.Fatal(err)
	}
	return sol.ID
}

func key(err error) string {
	if ae, ok := apperr.As(err); ok {
		return ae.MessageKey()
	}
	return ""
}

func field(err error, name string) string {
	if ae, ok := apperr.As(err); ok {
		return ae.Fields[name]
	}
	return ""
}

func material() []files.Upload {
	return []files.Upload{{Name: "技术评估.pdf", Data: []byte("%PDF-1.4\n技术评估\n%%EOF\n")}}
}

func apply(sol int64) ApplyInput {
	return ApplyInput{SolutionID: sol, Scope: "鲲鹏架构迁移与性能调优", Services: "GaussDB, ModelArts", Plan: "三个里程碑", StartsOn: "2026-06-01",
		Acknowledged: true}
}

// The three conditions and one NRE per solution (§10.8.2–10.8.3); work
// done before the application is not paid for (§10.8.9).
func TestEligibilityAndOnce(t *testing.T) {
	f := setup(t)
	listed := f.solution(t, "已上架方案", true, true)
	if _, err := f.svc.Apply(bg, f.partnerAdmin, apply(listed), material()); key(err) != ErrNotEligible {
		t.Fatalf("a listed solution: %v", err)
	}
	notAdmitted := f.solution(t, "未准入方案", false, false)
	if _, err := f.svc.Apply(bg, f.partnerAdmin, apply(notAdmitted), material()); key(err) != ErrNotEligible {
		t.Fatalf("a solution without its admission certification: %v", err)
	}
	sol := f.solution(t, "鲲鹏迁移方案", true, false)
	past := apply(sol)
	past.StartsOn = "2026-05-31"
	if _, err := f.svc.Apply(bg, f.partnerAdmin, past, material()); field(err, "starts_on") != "nre.err.done_before" {
		t.Fatalf("work started before the application: %v", err)
	}
	if _, err := f.svc.Apply(bg, f.partnerAdmin, apply(sol), nil); field(err, "files") == "" {
		t.Fatal("without the assessment material")
	}
	a, err := f.svc.Apply(bg, f.partnerAdmin, apply(sol), material())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Apply(bg, f.partnerAdmin, apply(sol), material()); key(err) != ErrOnce {
		t.Fatalf("a second NRE for the solution: %v", err)
	}
	if _, err := f.eng.Reject(bg, f.eco, *a.ApplicationID, "技术方案不完整"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Apply(bg, f.partnerAdmin, apply(sol), material()); err != nil {
		t.Fatalf("again after a rejection: %v", err)
	}
	mid, _ := dbtest.User(t, f.db, f.partnerID, "", false)
	if _, err := f.svc.Apply(bg, access.Member(mid, f.partnerID, false), apply(f.solution(t, "另一方案", true, false)), material()); !apperr.Is(err, apperr.KindForbidden) {
		t.Fatalf("a member applied: %v", err)
	}
}

// The whole flow: 技术评估 → 商业价值终评 → 协议待签署 without an amount →
// the agreement (≤ ¥500,000, milestones adding up) reviewed → 协议生效 →
// milestones accepted in order and paid → completed.
func TestAgreementMilestonesAndPayment(t *testing.T) {
	f := setup(t)
	a, err := f.svc.Apply(bg, f.partnerAdmin, apply(f.solution(t, "高斯数据库适配", true, false)), material())
	if err != nil {
		t.Fatal(err)
	}
	status := func() string {
		var s string
		f.db.Raw(`SELECT status FROM nre_applications WHERE id = ?`, a.ID).Scan(&s)
		return s
	}
	if _, err := f.eng.Approve(bg, f.eco, *a.ApplicationID, "技术可行"); err != nil {
		t.Fatal(err)
	}
	if got := status(); got != FinalReview {
		t.Fatalf("after 技术评估: %s", got)
	}
	if _, err := f.eng.Approve(bg, f.admin, *a.ApplicationID, "商业价值明确"); err != nil {
		t.Fatal(err)
	}
	d, _ := f.svc.DetailOf(bg, f.partnerAdmin, a.ID)
	if d.Status != AgreementPending || d.Amount != nil {
		t.Fatalf("after 商业价值终评: %s %v", d.Status, d.Amount)
	}
	file := &files.Upload{Name: "NRE协议.pdf", Data: []byte("%PDF-1.4\n协议\n%%EOF\n")}
	ms := []MilestoneInput{{Name: "完成迁移", Amount: "200000", DueOn: "2026-09-30"}, {Name: "上线验收", Amount: "300000", DueOn: "2026-12-31"}}
	if err := f.svc.UploadAgreement(bg, f.eco, a.ID, "500000.01", ms, file); field(err, "amount") != ErrAmountCap {
		t.Fatalf("over ¥500,000: %v", err)
	}
	if err := f.svc.UploadAgreement(bg, f.eco, a.ID, "450000", ms, file); field(err, "milestones") != "nre.err.milestone_sum" {
		t.Fatalf("milestones not adding up: %v", err)
	}
	if err := f.svc.UploadAgreement(bg, f.eco, a.ID, "500000", ms, file); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.ReviewAgreement(bg, f.eco, a.ID, true, ""); !apperr.Is(err, apperr.KindForbidden) {
		t.Fatalf("an ecosystem manager confirmed: %v", err)
	}
	if err := f.svc.ReviewAgreement(bg, f.admin, a.ID, false, "里程碑日期与协议不一致"); err != nil {
		t.Fatal(err)
	}
	if got := status(); got != AgreementPending {
		t.Fatalf("returned: %s", got)
	}
	if err := f.svc.UploadAgreement(bg, f.eco, a.ID, "500000", ms, file); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.ReviewAgreement(bg, f.admin, a.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	d, _ = f.svc.DetailOf(bg, f.partnerAdmin, a.ID)
	if d.Status != Effective || !d.Amount.Equal(MaxAmount) || len(d.Milestones) != 2 {
		t.Fatalf("effective: %+v", d)
	}
	m1, m2 := d.Milestones[0], d.Milestones[1]
	if err := f.svc.ApplyAcceptance(bg, f.partnerAdmin, m2.ID, "", material()); key(err) != "nre.err.order" {
		t.Fatalf("the second milestone first: %v", err)
	}
	if err := f.svc.ApplyAcceptance(bg, f.partnerAdmin, m1.ID, "迁移完成", material()); err != nil {
		t.Fatal(err)
	}
	var m Milestone
	f.db.First(&m, m1.ID)
	if _, err := f.eng.Reject(bg, f.eco, *m.ApplicationID, "缺少性能测试报告"); err != nil {
		t.Fatal(err)
	}
	if f.db.First(&m, m1.ID); m.Status != MilestonePending {
		t.Fatalf("refused acceptance: %s", m.Status)
	}
	if err := f.svc.ApplyAcceptance(bg, f.partnerAdmin, m1.ID, "补充性能测试报告", material()); err != nil {
		t.Fatal(err)
	}
	f.db.First(&m, m1.ID)
	if _, err := f.eng.Approve(bg, f.eco, *m.ApplicationID, ""); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := f.svc.Pay(bg, f.fin, m1.ID, "CMB-NRE-1", "nre-pay-key-000000001"); err != nil {
			t.Fatalf("pay (twice, one key): %v", err)
		}
	}
	if err := f.svc.Pay(bg, f.fin, m2.ID, "CMB-NRE-2", "nre-pay-key-000000002"); key(err) != "nre.err.state" {
		t.Fatalf("paid before acceptance: %v", err)
	}
	if err := f.svc.ApplyAcceptance(bg, f.partnerAdmin, m2.ID, "上线", material()); err != nil {
		t.Fatal(err)
	}
	var last Milestone
	f.db.First(&last, m2.ID)
	if _, err := f.eng.Approve(bg, f.eco, *last.ApplicationID, ""); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Pay(bg, f.fin, m2.ID, "CMB-NRE-2", "nre-pay-key-000000002"); err != nil {
		t.Fatal(err)
	}
	if got := status(); got != Completed {
		t.Fatalf("after the last payment: %s", got)
	}
	if _, err := f.svc.DetailOf(bg, access.Member(f.partnerAdmin.UserID+100000, f.partnerID+100000, true), a.ID); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("another tenant read it: %v", err)
	}
}

// The page offers a milestone's acceptance only in order: the NRE in
// force and every earlier milestone accepted (ApplyAcceptance's rule).
func TestAcceptableInOrder(t *testing.T) {
	d := &Detail{Row: Row{Application: Application{Status: Effective}}, Milestones: []Milestone{
		{Seq: 1, Status: MilestoneAccepted}, {Seq: 2, Status: MilestoneAccepting}, {Seq: 3, Status: MilestonePending}}}
	if d.Acceptable(d.Milestones[2]) {
		t.Fatal("milestone 3 offered while 2 is in acceptance")
	}
	d.Milestones[1].Status = MilestonePaid
	if !d.Acceptable(d.Milestones[2]) {
		t.Fatal("milestone 3 not offered after 1 and 2")
	}
	d.Status = AgreementReview
	if d.Acceptable(d.Milestones[2]) || d.InForce() {
		t.Fatal("acceptance offered before the agreement is in force")
	}
}

package program

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var (
	seq = atomic.Int64{}
	bg  = context.Background()
)

type fx struct {
	db       *gorm.DB
	clk      *clock.Fixed
	svc      Service
	eng      approval.Engine
	eco      *access.Principal // the ecosystem manager of every company made here
	otherEco *access.Principal // looks after none of them
	admin    *access.Principal // vendor administrator
}

func setup(t *testing.T) *fx {
	t.Helper()
	g := dbtest.DB(t)
	clk := clock.NewFixed(time.Date(2029, 6, 4, 2, 0, 0, 0, time.UTC))
	f := &fx{db: g, clk: clk, svc: Service{DB: g, Clock: clk}, eng: approval.Engine{DB: g, Clock: clk}}
	f.eco = f.user(t, "vendor", 0, "eco_manager", false)
	f.otherEco = f.user(t, "vendor", 0, "eco_manager", false)
	f.admin = f.user(t, "vendor", 0, "vendor_admin", false)
	return f
}

func (f *fx) user(t *testing.T, kind string, pid int64, role string, main bool) *access.Principal {
	t.Helper()
	id, login := dbtest.User(t, f.db, pid, role, main)
	pr := access.Member(id, pid, main)
	if kind == "vendor" {
		pr = access.VendorStaff(id, role)
	}
	pr.Name = login
	return pr
}

// company makes an active partner (with identities) looked after by
// f.eco; code "" takes a fresh credit code. It returns the partner and
// its main account.
func (f *fx) company(t *testing.T, code string, identities ...string) (partner.Partner, *access.Principal) {
	t.Helper()
	n := seq.Add(1)
	if code == "" {
		code = partner.USCCWithCheck(fmt.Sprintf("9144000000%07d", n))
	}
	p := partner.Partner{Name: fmt.Sprintf("计划测试%d有限公司", n), CreditCode: code, Status: partner.StatusActive, Site: "cn",
		EcoManagerID: &f.eco.UserID}
	if err := f.db.Create(&p).Error; err != nil {
		t.Fatal(err)
	}
	for _, id := range identities {
		if err := (partner.Store{DB: f.db}).AddIdentity(bg, p.ID, id, f.clk.Now()); err != nil {
			t.Fatal(err)
		}
	}
	return p, f.user(t, "partner", p.ID, "", true)
}

func (f *fx) identities(t *testing.T, pid int64) []string {
	t.Helper()
	ids, err := partner.Store{DB: f.db}.IdentitiesOf(bg, pid)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func (f *fx) membership(t *testing.T, pid int64, program string) *Membership {
	t.Helper()
	var ms []Membership
	if err := f.db.Where("partner_id = ? AND program = ?", pid, program).Order("id DESC").Limit(1).Find(&ms).Error; err != nil {
		t.Fatal(err)
	}
	if len(ms) == 0 {
		return nil
	}
	return &ms[0]
}

func conflictKey(err error) string {
	if ae, ok := apperr.As(err); ok && ae.Kind == apperr.KindConflict {
		return ae.Key
	}
	return fmt.Sprint("not a conflict: ", err)
}

func fieldKey(err error, field string) string {
	if ae, ok := apperr.As(err); ok {
		return ae.Fields[field]
	}
	return ""
}

func has(ids []string, id string) bool {
	for _, v := range ids {
		if v == id {
			return true
		}
	}
	return false
}

// The SP application runs through the engine: returned for more
// materials, resubmitted, approved; the membership, identity, certificate
// and program agreement follow (§5.1.2–5.1.5).
func TestSolutionProviderApplicationReturnedResubmittedApproved(t *testing.T) {
	f := setup(t)
	p, main := f.company(t, "")
	o, err := f.svc.Overview(bg, main)
	if err != nil || !o.SP.OK() {
		t.Fatalf("eligibility: %+v %v", o, err)
	}
	app, err := f.svc.ApplySP(bg, main, "华东区业务拓展")
	if err != nil {
		t.Fatal(err)
	}
	if app.State != approval.StateSubmitted || app.ReviewerID == nil || *app.ReviewerID != f.eco.UserID {
		t.Fatalf("application %+v, want submitted to the partner's ecosystem manager", app)
	}
	if m := f.membership(t, p.ID, SolutionProvider); m == nil || m.Status != StateApplied || m.ApplicationID == nil || *m.ApplicationID != app.ID {
		t.Fatalf("membership %+v", m)
	}
	if _, err := f.svc.ApplySP(bg, main, ""); conflictKey(err) != "program.err.sp_already" {
		t.Fatalf("second application: %v", err)
	}
	if _, err := f.eng.Return(bg, f.eco, app.ID, "请补充近一年华为云销售案例"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.eng.Resubmit(bg, main, app.ID, approval.Supplement{Note: "已补充案例"}); err != nil {
		t.Fatal(err)
	}
	if has(f.identities(t, p.ID), SolutionProvider) {
		t.Fatal("identity before approval")
	}
	if _, err := f.eng.Approve(bg, f.eco, app.ID, ""); err != nil {
		t.Fatal(err)
	}
	m := f.membership(t, p.ID, SolutionProvider)
	if m.Status != StateActive || m.CertificateNo == nil || m.JoinedAt == nil {
		t.Fatalf("membership after approval %+v", m)
	}
	if got := m.ValidUntil.Format(time.DateOnly); got != "2030-01-31" {
		t.Fatalf("valid until %s, want 2030-01-31 (31 January after joining)", got)
	}
	if !has(f.identities(t, p.ID), SolutionProvider) {
		t.Fatal("identity solution_provider missing")
	}
	var msgs int64
	f.db.Table("messages").Where("user_id = ? AND subject_key = ?", main.UserID, "program.msg.sp_approved.subject").Count(&msgs)
	if msgs != 1 {
		t.Fatalf("站内信 to the applicant: %d", msgs)
	}
	name, pdf, err := f.svc.Certificate(bg, main, m.ID)
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) || name != *m.CertificateNo+".pdf" {
		t.Fatalf("certificate %q %d bytes: %v", name, len(pdf), err)
	}
	_, other := f.company(t, "")
	if _, _, err := f.svc.Certificate(bg, other, m.ID); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("another tenant's certificate: %v", err)
	}
	ags, err := f.svc.Agreements(bg, main)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, a := range ags {
		if a.NameKey == "program.agreement.solution_provider" && a.Active && a.Code == *m.CertificateNo {
			found = true
		}
	}
	if !found {
		t.Fatalf("agreements %+v lack the SP agreement", ags)
	}
}

// §5.1.2: a path account or a master distributor is refused with the
// seed's sentence; a reseller and a member too; nothing is stored.
func TestSolutionProviderRefusals(t *testing.T) {
	f := setup(t)
	for _, c := range []struct {
		identity, want string
	}{
		{access.IdentitySoftware, ErrPathOrMD},
		{access.IdentityService, ErrPathOrMD},
		{MasterDistributor, ErrPathOrMD},
		{CloudReseller, "program.err.sp_reseller"},
	} {
		p, main := f.company(t, "", c.identity)
		o, err := f.svc.Overview(bg, main)
		if err != nil || o.SP.Refusal != c.want {
			t.Errorf("%s: refusal %+v, want %q (%v)", c.identity, o, c.want, err)
		}
		if _, err := f.svc.ApplySP(bg, main, ""); conflictKey(err) != c.want {
			t.Errorf("%s: apply %v", c.identity, err)
		}
		if m := f.membership(t, p.ID, SolutionProvider); m != nil {
			t.Errorf("%s: membership stored %+v", c.identity, m)
		}
	}
	p, _ := f.company(t, "")
	member := f.user(t, "partner", p.ID, "", false)
	if _, err := f.svc.ApplySP(bg, member, ""); !apperr.Is(err, apperr.KindForbidden) {
		t.Fatalf("member applies: %v", err)
	}
	_, main := f.company(t, "")
	long := string(bytes.Repeat([]byte("长"), 501))
	if _, err := f.svc.ApplySP(bg, main, long); fieldKey(err, "note") != "program.err.note_too_long" {
		t.Fatalf("long note: %v", err)
	}
}

// §5.1.3: a second SP account of the same legal entity is not refused; the
// reviewer sees the warning; rejection closes the membership and the
// account may apply again.
func TestSameEntitySolutionProviderIsAWarningAndRejectionAllowsAnotherTry(t *testing.T) {
	f := setup(t)
	first, _ := f.company(t, "", SolutionProvider)
	p, main := f.company(t, first.CreditCode)
	app, err := f.svc.ApplySP(bg, main, "")
	if err != nil {
		t.Fatal(err)
	}
	warned := false
	for _, c := range app.CheckResults() {
		if c.Name == "program.check.same_entity" && c.Outcome == approval.CheckWarn {
			warned = true
		}
	}
	if !warned {
		t.Fatalf("checks %+v lack the same-entity warning", app.CheckResults())
	}
	if _, err := f.eng.Reject(bg, f.eco, app.ID, "同一主体已有解决方案提供商账号"); err != nil {
		t.Fatal(err)
	}
	if m := f.membership(t, p.ID, SolutionProvider); m.Status != StateRejected {
		t.Fatalf("after rejection %s", m.Status)
	}
	app2, err := f.svc.ApplySP(bg, main, "业务独立")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.eng.Withdraw(bg, main, app2.ID); err != nil {
		t.Fatal(err)
	}
	if m := f.membership(t, p.ID, SolutionProvider); m.Status != StateWithdrawn {
		t.Fatalf("after withdrawal %s", m.Status)
	}
}

// §5.2.2: the vendor invites an empty onboarded account as MD; the main
// account accepts; a path account cannot be invited; a manager who does
// not look after the partner finds nothing.
func TestMasterDistributorInvitationAcceptedAndRefused(t *testing.T) {
	f := setup(t)
	p, main := f.company(t, "")
	if _, err := f.svc.InviteMD(bg, f.eco, p.ID, "planet", 7); fieldKey(err, "md_type") != "program.err.md_type" ||
		fieldKey(err, "region_class") != "program.err.region_class" {
		t.Fatalf("bad type and class: %v", err)
	}
	if _, err := f.svc.InviteMD(bg, f.otherEco, p.ID, MDNational, 1); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("another manager's partner: %v", err)
	}
	if _, err := f.svc.InviteMD(bg, main, p.ID, MDNational, 1); err == nil {
		t.Fatal("a partner invites itself")
	}
	m, err := f.svc.InviteMD(bg, f.eco, p.ID, MDRegional, 2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.InviteMD(bg, f.admin, p.ID, MDRegional, 2); conflictKey(err) != "program.err.open_membership" {
		t.Fatalf("invited twice: %v", err)
	}
	member := f.user(t, "partner", p.ID, "", false)
	if err := f.svc.AnswerMD(bg, member, m.ID, true); !apperr.Is(err, apperr.KindForbidden) {
		t.Fatalf("member accepts: %v", err)
	}
	_, stranger := f.company(t, "")
	if err := f.svc.AnswerMD(bg, stranger, m.ID, true); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("another tenant accepts: %v", err)
	}
	if err := f.svc.AnswerMD(bg, main, m.ID, true); err != nil {
		t.Fatal(err)
	}
	if !has(f.identities(t, p.ID), MasterDistributor) {
		t.Fatal("identity master_distributor missing")
	}
	if err := f.svc.AnswerMD(bg, main, m.ID, false); conflictKey(err) != "program.err.changed" {
		t.Fatalf("declining an accepted invitation: %v", err)
	}
	path, _ := f.company(t, "", access.IdentityService)
	if _, err := f.svc.InviteMD(bg, f.eco, path.ID, MDNational, 1); conflictKey(err) != "program.err.has_identity" {
		t.Fatalf("path account invited: %v", err)
	}
	q, qmain := f.company(t, "")
	inv, err := f.svc.InviteMD(bg, f.admin, q.ID, MDNational, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.AnswerMD(bg, qmain, inv.ID, false); err != nil {
		t.Fatal(err)
	}
	if mm := f.membership(t, q.ID, MasterDistributor); mm.Status != StateDeclined || has(f.identities(t, q.ID), MasterDistributor) {
		t.Fatalf("declined: %+v", mm)
	}
}

// §5.3, R74: an MD's link makes an empty account its reseller once; the
// link is used once and expires after 7 days; a reseller (even after it
// exited) cannot take another master distributor (the seed's sentence).
func TestResellerInvitationLinksAccountsForGood(t *testing.T) {
	f := setup(t)
	md, mdMain := f.company(t, "", MasterDistributor)
	f.activeMD(t, md.ID)
	_, plain := f.company(t, "")
	if _, err := f.svc.InviteReseller(bg, plain, ""); !apperr.Is(err, apperr.KindForbidden) {
		t.Fatalf("a non-MD invites: %v", err)
	}
	inv, err := f.svc.InviteReseller(bg, mdMain, "华南渠道")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.AcceptReseller(bg, mdMain, inv.Token); conflictKey(err) != "program.err.invite_self" {
		t.Fatalf("self accept: %v", err)
	}
	pathCo, pathMain := f.company(t, "", access.IdentitySoftware)
	if err := f.svc.AcceptReseller(bg, pathMain, inv.Token); conflictKey(err) != "program.err.has_identity" {
		t.Fatalf("path account accepts: %v", err)
	}
	cr, crMain := f.company(t, "")
	crMember := f.user(t, "partner", cr.ID, "", false)
	if err := f.svc.AcceptReseller(bg, crMember, inv.Token); !apperr.Is(err, apperr.KindForbidden) {
		t.Fatalf("member accepts: %v", err)
	}
	if err := f.svc.AcceptReseller(bg, crMain, "not-a-token-of-anything-at-all"); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("forged token: %v", err)
	}
	if err := f.svc.AcceptReseller(bg, crMain, inv.Token); err != nil {
		t.Fatal(err)
	}
	got, _ := partner.Store{DB: f.db}.Get(bg, cr.ID)
	if got.ParentPartnerID == nil || *got.ParentPartnerID != md.ID || !has(f.identities(t, cr.ID), CloudReseller) {
		t.Fatalf("reseller %+v identities %v", got, f.identities(t, cr.ID))
	}
	if has(f.identities(t, pathCo.ID), CloudReseller) {
		t.Fatal("refused account became a reseller")
	}
	_, another := f.company(t, "")
	if err := f.svc.AcceptReseller(bg, another, inv.Token); conflictKey(err) != "program.err.invite_closed" {
		t.Fatalf("link used twice: %v", err)
	}
	page, err := f.svc.Resellers(bg, mdMain)
	if err != nil || len(page.Rows) != 1 || page.Rows[0].PartnerID != cr.ID || page.Rows[0].Account == "" {
		t.Fatalf("我的云经销商 %+v %v", page, err)
	}
	if len(page.Invitations) != 1 || page.Invitations[0].State != InviteAccepted || page.Invitations[0].Accepted != cr.Name {
		t.Fatalf("邀请记录 %+v", page.Invitations)
	}
	// The vendor records the reseller's exit; its account still cannot
	// join another master distributor.
	m := f.membership(t, cr.ID, CloudReseller)
	if err := f.svc.End(bg, f.eco, m.ID, EndExit, ""); fieldKey(err, "reason") != "program.err.reason_required" {
		t.Fatalf("exit without a reason: %v", err)
	}
	if err := f.svc.End(bg, f.eco, m.ID, EndDelist, "违规"); fieldKey(err, "kind") != "program.err.delist_sp_only" {
		t.Fatalf("delisting a reseller: %v", err)
	}
	if err := f.svc.End(bg, f.otherEco, m.ID, EndExit, "线下申请退出"); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("another manager records: %v", err)
	}
	if err := f.svc.End(bg, f.eco, m.ID, EndExit, "线下申请退出"); err != nil {
		t.Fatal(err)
	}
	if has(f.identities(t, cr.ID), CloudReseller) {
		t.Fatal("identity kept after the exit")
	}
	md2, md2Main := f.company(t, "", MasterDistributor)
	f.activeMD(t, md2.ID)
	inv2, err := f.svc.InviteReseller(bg, md2Main, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.AcceptReseller(bg, crMain, inv2.Token); conflictKey(err) != partner.ErrParentFixed {
		t.Fatalf("re-linking a reseller: %v", err)
	}
	f.clk.Advance(8 * 24 * time.Hour)
	_, late := f.company(t, "")
	if err := f.svc.AcceptReseller(bg, late, inv2.Token); conflictKey(err) != "program.err.invite_expired" {
		t.Fatalf("expired link: %v", err)
	}
}

// Two accounts accept one link at once: exactly one becomes the reseller.
func TestOneInvitationLinkIsAcceptedOnceUnderRace(t *testing.T) {
	f := setup(t)
	md, mdMain := f.company(t, "", MasterDistributor)
	f.activeMD(t, md.ID)
	inv, err := f.svc.InviteReseller(bg, mdMain, "")
	if err != nil {
		t.Fatal(err)
	}
	const n = 4
	mains := make([]*access.Principal, n)
	for i := range mains {
		_, mains[i] = f.company(t, "")
	}
	var wg sync.WaitGroup
	var ok, closed atomic.Int32
	for _, m := range mains {
		wg.Add(1)
		go func(m *access.Principal) {
			defer wg.Done()
			err := f.svc.AcceptReseller(bg, m, inv.Token)
			switch {
			case err == nil:
				ok.Add(1)
			case conflictKey(err) == "program.err.invite_closed":
				closed.Add(1)
			default:
				t.Errorf("accept: %v", err)
			}
		}(m)
	}
	wg.Wait()
	if ok.Load() != 1 || closed.Load() != n-1 {
		t.Fatalf("accepted %d, refused %d", ok.Load(), closed.Load())
	}
	var resellers int64
	f.db.Table("partners").Where("parent_partner_id = ?", md.ID).Count(&resellers)
	if resellers != 1 {
		t.Fatalf("%d resellers linked", resellers)
	}
}

// §5.1.6, §5.1.12: at the end of January certificates whose assessment of
// the year before passed are renewed by a year; the others expire and
// lose the identity. Run twice, the job changes nothing more.
func TestRenewalAtTheEndOfJanuaryByAssessment(t *testing.T) {
	f := setup(t)
	passedCo, passedMain := f.company(t, "")
	failedCo, failedMain := f.company(t, "")
	var ids []int64
	for _, c := range []struct {
		p    partner.Partner
		main *access.Principal
	}{{passedCo, passedMain}, {failedCo, failedMain}} {
		app, err := f.svc.ApplySP(bg, c.main, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.eng.Approve(bg, f.eco, app.ID, ""); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, f.membership(t, c.p.ID, SolutionProvider).ID)
	}
	if err := f.svc.RecordAssessment(bg, f.eco, ids[0], 2029, true, "指标达成"); fieldKey(err, "year") != "program.err.assessment_year" {
		t.Fatalf("this year's assessment in 2029: %v", err)
	}
	f.clk.Advance(230 * 24 * time.Hour) // 2030-01-20
	if err := f.svc.RecordAssessment(bg, f.eco, ids[0], 2029, true, "指标达成"); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.RecordAssessment(bg, f.eco, ids[0], 2029, false, ""); conflictKey(err) != "program.err.assessment_recorded" {
		t.Fatalf("recorded twice: %v", err)
	}
	if err := f.svc.RecordAssessment(bg, f.eco, ids[1], 2029, false, "未达成"); err != nil {
		t.Fatal(err)
	}
	// The package's database is shared by its tests: the checks below read
	// this test's two memberships, not the job's totals.
	if _, _, err := f.svc.Renew(bg); err != nil {
		t.Fatal(err)
	}
	for _, p := range []partner.Partner{passedCo, failedCo} {
		if m := f.membership(t, p.ID, SolutionProvider); m.Status != StateActive || m.ValidUntil.Format(time.DateOnly) != "2030-01-31" {
			t.Fatalf("changed before the end of January: %+v", m)
		}
	}
	f.clk.Advance(12 * 24 * time.Hour) // 2030-02-01 (China)
	if _, _, err := f.svc.Renew(bg); err != nil {
		t.Fatal(err)
	}
	if m := f.membership(t, passedCo.ID, SolutionProvider); m.Status != StateActive || m.ValidUntil.Format(time.DateOnly) != "2031-01-31" {
		t.Fatalf("passed: %+v", m)
	}
	if m := f.membership(t, failedCo.ID, SolutionProvider); m.Status != StateExpired || has(f.identities(t, failedCo.ID), SolutionProvider) {
		t.Fatalf("failed: %+v", m)
	}
	if _, _, err := f.svc.Certificate(bg, failedMain, ids[1]); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("expired certificate: %v", err)
	}
	if _, _, err := f.svc.Renew(bg); err != nil {
		t.Fatal(err)
	}
	if m := f.membership(t, passedCo.ID, SolutionProvider); m.ValidUntil.Format(time.DateOnly) != "2031-01-31" {
		t.Fatalf("second run moved the renewal: %+v", m)
	}
	var audits int64
	if err := f.db.Table("audit_log").Where("object_type = 'program_membership' AND object_id IN ? AND action IN ?",
		[]string{fmt.Sprint(ids[0]), fmt.Sprint(ids[1])}, []string{"program.renew", "program.expire"}).Count(&audits).Error; err != nil {
		t.Fatal(err)
	}
	if audits != 2 {
		t.Fatalf("audit rows of renewal and expiry: %d, want 2", audits)
	}
}

// R76: a migration goes from a solution provider to a cloud reseller of
// the same legal entity only; another target is refused before anything.
func TestMigrationTargetsAreResellersOfTheSameEntity(t *testing.T) {
	f := setup(t)
	sp, _ := f.company(t, "", SolutionProvider)
	if err := f.db.Exec(`INSERT INTO program_memberships (partner_id, program, status, joined_at, valid_until, certificate_no, created_at, updated_at)
		VALUES (?, 'solution_provider', 'active', now(), '2030-01-31', ?, now(), now())`, sp.ID, fmt.Sprintf("HWC-SP-T-%d", sp.ID)).Error; err != nil {
		t.Fatal(err)
	}
	md, _ := f.company(t, "", MasterDistributor)
	sibling, _ := f.company(t, sp.CreditCode, CloudReseller)
	if err := (partner.Store{DB: f.db}).SetParent(bg, sibling.ID, md.ID, f.clk.Now()); err != nil {
		t.Fatal(err)
	}
	stranger, _ := f.company(t, "", CloudReseller)
	row, err := partner.Directory{DB: f.db}.Get(bg, f.eco, sp.ID)
	if err != nil {
		t.Fatal(err)
	}
	targets, err := f.svc.MigrationTargets(bg, f.eco, row)
	if err != nil || len(targets) != 1 || targets[0].ID != sibling.ID {
		t.Fatalf("targets %+v %v", targets, err)
	}
	if _, err := f.svc.MigrateCustomers(bg, f.eco, nil, sp.ID, stranger.ID, "acc1"); fieldKey(err, "to") != "program.err.migrate_target" {
		t.Fatalf("another company's reseller: %v", err)
	}
	if _, err := f.svc.MigrateCustomers(bg, f.otherEco, nil, sp.ID, sibling.ID, "acc1"); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("a manager who does not look after it: %v", err)
	}
}

// What changed while an SP application waited is checked again at
// approval; and while it is open the account takes no reseller link.
func TestSolutionProviderApprovalChecksAgainAndAnOpenApplicationBlocksOthers(t *testing.T) {
	f := setup(t)
	md, mdMain := f.company(t, "", MasterDistributor)
	f.activeMD(t, md.ID)
	p, main := f.company(t, "")
	app, err := f.svc.ApplySP(bg, main, "")
	if err != nil {
		t.Fatal(err)
	}
	inv, err := f.svc.InviteReseller(bg, mdMain, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.AcceptReseller(bg, main, inv.Token); conflictKey(err) != "program.err.open_membership" {
		t.Fatalf("an applicant accepts a reseller link: %v", err)
	}
	if _, err := f.svc.InviteMD(bg, f.eco, p.ID, MDNational, 1); conflictKey(err) != "program.err.open_membership" {
		t.Fatalf("an applicant invited as MD: %v", err)
	}
	// A path identity appears meanwhile (as a grandfathered row would):
	// the approval is refused with the §5.1.2 sentence and nothing changes.
	if err := (partner.Store{DB: f.db}).AddIdentity(bg, p.ID, access.IdentityService, f.clk.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := f.eng.Approve(bg, f.eco, app.ID, ""); conflictKey(err) != ErrPathOrMD {
		t.Fatalf("approval over a path: %v", err)
	}
	if m := f.membership(t, p.ID, SolutionProvider); m.Status != StateApplied || has(f.identities(t, p.ID), SolutionProvider) {
		t.Fatalf("a refused approval changed %+v", m)
	}
}

// activeMD gives a partner (holding the identity) its active master
// distributor membership, as the demo and a back-filled row have.
func (f *fx) activeMD(t *testing.T, pid int64) {
	t.Helper()
	if err := f.db.Exec(`INSERT INTO program_memberships (partner_id, program, status, md_type, region_class, joined_at, valid_until,
		certificate_no, created_at, updated_at) VALUES (?, 'master_distributor', 'active', 'national', 1, now(), '2030-01-31', ?, now(), now())`,
		pid, fmt.Sprintf("HWC-MD-T-%d", pid)).Error; err != nil {
		t.Fatal(err)
	}
}

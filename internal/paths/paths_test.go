package paths

import (
	"context"
	"errors"
	"fmt"
	"sync"
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
	seq = atomic.Int64{}
	bg  = context.Background()
)

type fx struct {
	db    *gorm.DB
	clk   *clock.Fixed
	svc   Service
	eng   approval.Engine
	eco   *access.Principal
	admin *access.Principal
}

func setup(t *testing.T) *fx {
	t.Helper()
	g := dbtest.DB(t)
	clk := clock.NewFixed(time.Date(2029, 6, 4, 2, 0, 0, 0, time.UTC))
	f := &fx{db: g, clk: clk, svc: Service{DB: g, Clock: clk}, eng: approval.Engine{DB: g, Clock: clk}}
	f.eco = f.user(t, "vendor", 0, "eco_manager", false)
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

// company is an onboarded partner looked after by f.eco, with its main
// account.
func (f *fx) company(t *testing.T, identities ...string) (int64, *access.Principal) {
	t.Helper()
	n := seq.Add(1)
	p := partner.Partner{Name: fmt.Sprintf("路径测试%d有限公司", n), CreditCode: partner.USCCWithCheck(fmt.Sprintf("9132000000%07d", n)),
		Status: partner.StatusActive, Site: "cn", EcoManagerID: &f.eco.UserID}
	if err := f.db.Create(&p).Error; err != nil {
		t.Fatal(err)
	}
	for _, id := range identities {
		if err := (partner.Store{DB: f.db}).AddIdentity(bg, p.ID, id, f.clk.Now()); err != nil {
			t.Fatal(err)
		}
	}
	return p.ID, f.user(t, "partner", p.ID, "", true)
}

func (f *fx) enrollment(t *testing.T, pid int64) *Enrollment {
	t.Helper()
	e, err := live(bg, f.db, pid, false)
	if err != nil {
		t.Fatal(err)
	}
	return e
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

func hasIdentity(t *testing.T, f *fx, pid int64, id string) bool {
	t.Helper()
	ids, err := partner.Store{DB: f.db}.IdentitiesOf(bg, pid)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range ids {
		if v == id {
			return true
		}
	}
	return false
}

var proof = []files.Upload{{Name: "在职证明.pdf", Data: []byte("%PDF-1.4\n%proof\n")}}

// Joining: one path per account, not for SP or MD accounts, SI and
// learning by the vendor's invitation only; a member may not.
func TestJoinRules(t *testing.T) {
	f := setup(t)
	pid, main := f.company(t)
	if err := f.svc.Join(bg, main, "astrology"); fieldKey(err, "path") != "path.err.path" {
		t.Fatalf("unknown path: %v", err)
	}
	if err := f.svc.Join(bg, main, PathSI); conflictKey(err) != "path.err.invite_only.si" {
		t.Fatalf("SI without the whitelist: %v", err)
	}
	member := f.user(t, "partner", pid, "", false)
	if err := f.svc.Join(bg, member, PathService); !apperr.Is(err, apperr.KindForbidden) {
		t.Fatalf("member joins: %v", err)
	}
	if err := f.svc.Join(bg, main, PathService); err != nil {
		t.Fatal(err)
	}
	if !hasIdentity(t, f, pid, PathService) {
		t.Fatal("identity service missing")
	}
	if err := f.svc.Join(bg, main, PathSoftware); conflictKey(err) != "path.err.one_path" {
		t.Fatalf("second path: %v", err)
	}
	_, sp := f.company(t, access.IdentitySolutionProvider)
	if err := f.svc.Join(bg, sp, PathSoftware); conflictKey(err) != "path.err.program" {
		t.Fatalf("SP joins a path: %v", err)
	}
	si, siMain := f.company(t)
	if err := f.svc.Invite(bg, f.eco, si, "software"); fieldKey(err, "path") != "path.err.path" {
		t.Fatalf("inviting to an open path: %v", err)
	}
	if err := f.svc.Invite(bg, f.eco, si, PathSI); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Invite(bg, f.admin, si, PathSI); conflictKey(err) != "path.err.invited_already" {
		t.Fatalf("invited twice: %v", err)
	}
	if err := f.svc.Join(bg, siMain, PathSI); err != nil {
		t.Fatal(err)
	}
	other := f.user(t, "vendor", 0, "eco_manager", false)
	if err := f.svc.Invite(bg, other, si, PathLearning); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("another manager's partner: %v", err)
	}
}

// §4.1: the software stage follows the solution certifications the vendor
// records and their one-year validity; exit is refused with the seed's
// sentences once a stage or a solution record exists.
func TestSoftwareStageFollowsSolutionCertifications(t *testing.T) {
	f := setup(t)
	pid, main := f.company(t)
	if err := f.svc.Join(bg, main, PathSoftware); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.RecordSolution(bg, f.eco, pid, SolutionInput{Name: "", Kind: "x", ApprovedOn: "2031-01-01"}); fieldKey(err, "name") == "" ||
		fieldKey(err, "kind") == "" || fieldKey(err, "approved_on") == "" {
		t.Fatalf("bad solution: %v", err)
	}
	if err := f.svc.RecordSolution(bg, f.eco, pid, SolutionInput{Name: "智慧园区SaaS", Kind: KindCloudSoftware, ApprovedOn: "2029-06-01"}); err != nil {
		t.Fatal(err)
	}
	e := f.enrollment(t, pid)
	if e.Stage != StageRole || e.CertValidUntil.Format(time.DateOnly) != "2030-01-31" {
		t.Fatalf("after a cloud-software solution: %+v", e)
	}
	if err := f.svc.Exit(bg, main); conflictKey(err) != ErrExitRole {
		t.Fatalf("exit after role certification: %v", err)
	}
	if err := f.svc.RecordSolution(bg, f.eco, pid, SolutionInput{Name: "工业互联网平台", Kind: KindAdvanced, ApprovedOn: "2029-06-03"}); err != nil {
		t.Fatal(err)
	}
	if e := f.enrollment(t, pid); e.Stage != StageDiff {
		t.Fatalf("after an advanced solution: %s", e.Stage)
	}
	o, err := f.svc.Overview(bg, main)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{ErrExitRole, ErrExitDiff, ErrExitCloudSoftware, ErrExitAdvanced}
	if fmt.Sprint(o.Blockers) != fmt.Sprint(want) {
		t.Fatalf("blockers %v, want %v", o.Blockers, want)
	}
	// A year on, both certifications expired: the stage goes back.
	f.clk.Advance(366 * 24 * time.Hour)
	if _, err := f.svc.Sweep(bg); err != nil {
		t.Fatal(err)
	}
	if e := f.enrollment(t, pid); e.Stage != StageJoined {
		t.Fatalf("after the certifications expired: %s", e.Stage)
	}
	if err := f.svc.Exit(bg, main); conflictKey(err) != ErrExitCloudSoftware {
		t.Fatalf("exit with solution records: %v", err)
	}
}

// §4.2: the service stages through applications — no skipping, checks
// against the thresholds, proofs required, approval moves the stage with a
// certificate to the next 31 January.
func TestServiceStagesByApplication(t *testing.T) {
	f := setup(t)
	pid, main := f.company(t)
	if err := f.svc.Join(bg, main, PathService); err != nil {
		t.Fatal(err)
	}
	good := StageInput{Entry: 2, Working: 2, HCSAPersons: 1, CaseName: "某银行核心系统上云迁移", CaseDate: "2029-03-01"}
	if _, err := f.svc.Apply(bg, main, StageDiff, good, proof); conflictKey(err) != "path.err.no_skip" {
		t.Fatalf("skipping role certification: %v", err)
	}
	short := good
	short.Working, short.CaseDate = 1, "2027-01-01"
	_, err := f.svc.Apply(bg, main, StageRole, short, proof)
	var cf *ChecksFailed
	if !errors.As(err, &cf) {
		t.Fatalf("below the thresholds: %v", err)
	}
	fails := 0
	for _, c := range cf.Checks {
		if c.Outcome == approval.CheckFail {
			fails++
		}
	}
	if fails != 2 {
		t.Fatalf("failed checks %+v, want certificates and case", cf.Checks)
	}
	// Without HCIA four working-level certificates do (§4.2.12).
	if cs := StageChecks(PathService, StageRole, StageInput{Working: 4, HCSAPersons: 1, CaseName: "x", CaseDate: "2029-05-01"},
		time.Date(2029, 6, 4, 0, 0, 0, 0, time.UTC)); failed(cs) {
		t.Fatalf("4 HCIP: %+v", cs)
	}
	if _, err := f.svc.Apply(bg, main, StageRole, good, nil); fieldKey(err, "files") != "path.err.proofs" {
		t.Fatalf("without proofs: %v", err)
	}
	app, err := f.svc.Apply(bg, main, StageRole, good, proof)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Apply(bg, main, StageRole, good, proof); conflictKey(err) != "path.err.open_application" {
		t.Fatalf("second application: %v", err)
	}
	if _, err := f.eng.Approve(bg, f.eco, app.ID, ""); err != nil {
		t.Fatal(err)
	}
	e := f.enrollment(t, pid)
	if e.Stage != StageRole || e.CertificateNo == nil || e.CertValidUntil.Format(time.DateOnly) != "2030-01-31" {
		t.Fatalf("after role approval: %+v", e)
	}
	diff := StageInput{Labels: []string{"数据库"}, OtherLabels: 1, TeamSize: 12, Practice: "三个大型迁移项目"}
	app, err = f.svc.Apply(bg, main, StageDiff, diff, proof)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.eng.Approve(bg, f.eco, app.ID, ""); err != nil {
		t.Fatal(err)
	}
	if e := f.enrollment(t, pid); e.Stage != StageDiff {
		t.Fatalf("after differentiation: %s", e.Stage)
	}
	if _, err := f.svc.Apply(bg, main, StageDiff, diff, proof); conflictKey(err) != "path.err.stage_reached" {
		t.Fatalf("applying again: %v", err)
	}
}

// SI thresholds (N18, N19) on both sides of each boundary.
func TestSIThresholds(t *testing.T) {
	today := time.Date(2029, 6, 4, 0, 0, 0, 0, time.UTC)
	role := StageInput{BPInterlock: true, Experts: 4, Offerings: 1}
	if failed(StageChecks(PathSI, StageRole, role, today)) {
		t.Fatal("4 experts and an offering pass")
	}
	role.Experts = 3
	if !failed(StageChecks(PathSI, StageRole, role, today)) {
		t.Fatal("3 experts fail")
	}
	diff := StageInput{BPInterlock: true, Experts: 10, HCIE: 1, Offerings: 1, Labels: []string{"大数据"}, OtherLabels: 1}
	if failed(StageChecks(PathSI, StageDiff, diff, today)) {
		t.Fatal("10 experts, 1 HCIE, 1 offering and 2 labels pass")
	}
	diff.OtherLabels = 0
	diff.Offerings = 2
	if !failed(StageChecks(PathSI, StageDiff, diff, today)) {
		t.Fatal("only 1 label fails even with 3 in all")
	}
}

// Exit before role certification; a registered blocker (a later menu's
// records) refuses with its sentence.
func TestExitAndRegisteredBlockers(t *testing.T) {
	f := setup(t)
	pid, main := f.company(t)
	if err := f.svc.Join(bg, main, PathService); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	blocked := map[int64]bool{pid: true}
	RegisterExitBlocker(func(_ context.Context, _ *gorm.DB, partnerID int64) (string, bool, error) {
		mu.Lock()
		defer mu.Unlock()
		return ErrExitTestVoucher, blocked[partnerID], nil
	})
	if err := f.svc.Exit(bg, main); conflictKey(err) != ErrExitTestVoucher {
		t.Fatalf("exit with a test-voucher record: %v", err)
	}
	mu.Lock()
	blocked[pid] = false
	mu.Unlock()
	if err := f.svc.Exit(bg, main); err != nil {
		t.Fatal(err)
	}
	if hasIdentity(t, f, pid, PathService) || f.enrollment(t, pid) != nil {
		t.Fatal("still in the path after exit")
	}
	if err := f.svc.Join(bg, main, PathSoftware); err != nil {
		t.Fatalf("joining another path after the exit: %v", err)
	}
}

// §4.2.8: the December re-review renews passing certificates to the
// following 31 January and cancels failing ones; a certificate that ends
// unrenewed lapses.
func TestRereviewCampaignRenewsOrCancels(t *testing.T) {
	f := setup(t)
	pids, mains := f.roleCertified(t, 3)
	if _, err := f.svc.Rereview(bg, mains[0], "", proof); conflictKey(err) != "path.err.no_campaign" {
		t.Fatalf("re-review without a campaign: %v", err)
	}
	if err := f.svc.OpenCampaign(bg, f.admin, "2029-12-20"); fieldKey(err, "deadline") != "path.err.deadline" {
		t.Fatalf("a campaign opened in June for December: %v", err)
	}
	f.clk.Advance(184 * 24 * time.Hour) // 2029-12-05
	if err := f.svc.OpenCampaign(bg, f.eco, "2029-12-20"); !apperr.Is(err, apperr.KindForbidden) {
		t.Fatalf("an ecosystem manager opens the campaign: %v", err)
	}
	if err := f.svc.OpenCampaign(bg, f.admin, "2029-12-20"); err != nil {
		t.Fatal(err)
	}
	pass, err := f.svc.Rereview(bg, mains[0], "已按通知补充材料", proof)
	if err != nil {
		t.Fatal(err)
	}
	fail, err := f.svc.Rereview(bg, mains[1], "", proof)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.eng.Approve(bg, f.eco, pass.ID, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := f.eng.Reject(bg, f.eco, fail.ID, "案例不符合要求"); err != nil {
		t.Fatal(err)
	}
	if e := f.enrollment(t, pids[0]); e.Stage != StageRole || e.CertValidUntil.Format(time.DateOnly) != "2031-01-31" {
		t.Fatalf("passed re-review: %+v", e)
	}
	if e := f.enrollment(t, pids[1]); e.Stage != StageJoined {
		t.Fatalf("failed re-review: %s", e.Stage)
	}
	// The third never submitted: on 1 February its certificate lapses.
	f.clk.Advance(60 * 24 * time.Hour) // 2030-02-03
	if _, err := f.svc.Sweep(bg); err != nil {
		t.Fatal(err)
	}
	if e := f.enrollment(t, pids[2]); e.Stage != StageJoined {
		t.Fatalf("unrenewed certificate: %s", e.Stage)
	}
	if e := f.enrollment(t, pids[0]); e.Stage != StageRole {
		t.Fatalf("renewed certificate lapsed: %s", e.Stage)
	}
}

// An open program application keeps the account out of the paths; a
// certificate whose re-review is being decided does not lapse, and a
// stage approved after a lapse cannot skip.
func TestOpenApplicationsAndLapsesAreRespected(t *testing.T) {
	f := setup(t)
	pid, main := f.company(t)
	if err := f.db.Exec(`INSERT INTO program_memberships (partner_id, program, status, created_at, updated_at)
		VALUES (?, 'solution_provider', 'applied', now(), now())`, pid).Error; err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Join(bg, main, PathService); conflictKey(err) != "program.err.open_membership" {
		t.Fatalf("joining with an SP application open: %v", err)
	}
	diff := StageInput{Labels: []string{"数据库"}, OtherLabels: 1, TeamSize: 3, Practice: "实践"}
	pids, mains := f.roleCertified(t, 2)
	f.clk.Advance(184 * 24 * time.Hour) // 2029-12-05
	if err := f.svc.OpenCampaign(bg, f.admin, "2029-12-31"); err != nil && conflictKey(err) != "path.err.campaign_open" {
		t.Fatal(err)
	}
	rr, err := f.svc.Rereview(bg, mains[0], "", proof)
	if err != nil {
		t.Fatal(err)
	}
	late, err := f.svc.Apply(bg, mains[1], StageDiff, diff, proof)
	if err != nil {
		t.Fatal(err)
	}
	f.clk.Advance(60 * 24 * time.Hour) // 2030-02-03: both certificates ended
	if _, err := f.svc.Sweep(bg); err != nil {
		t.Fatal(err)
	}
	if e := f.enrollment(t, pids[0]); e.Stage != StageRole {
		t.Fatalf("a certificate under re-review lapsed: %s", e.Stage)
	}
	if e := f.enrollment(t, pids[1]); e.Stage != StageJoined {
		t.Fatalf("an unrenewed certificate: %s", e.Stage)
	}
	if _, err := f.eng.Approve(bg, f.eco, late.ID, ""); conflictKey(err) != "path.err.changed" {
		t.Fatalf("differentiation approved after the role lapsed: %v", err)
	}
	if _, err := f.eng.Approve(bg, f.eco, rr.ID, ""); err != nil {
		t.Fatal(err)
	}
	if e := f.enrollment(t, pids[0]); e.CertValidUntil.Format(time.DateOnly) != "2031-01-31" {
		t.Fatalf("renewed to %s", e.CertValidUntil.Format(time.DateOnly))
	}
}

// roleCertified makes n service-path companies role certified (approved
// at the fixture's clock), with their main accounts.
func (f *fx) roleCertified(t *testing.T, n int) ([]int64, []*access.Principal) {
	t.Helper()
	good := StageInput{Entry: 2, Working: 2, HCSAPersons: 1, CaseName: "案例", CaseDate: "2029-05-01"}
	var pids []int64
	var mains []*access.Principal
	for i := 0; i < n; i++ {
		pid, main := f.company(t)
		if err := f.svc.Join(bg, main, PathService); err != nil {
			t.Fatal(err)
		}
		app, err := f.svc.Apply(bg, main, StageRole, good, proof)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.eng.Approve(bg, f.eco, app.ID, ""); err != nil {
			t.Fatal(err)
		}
		pids, mains = append(pids, pid), append(mains, main)
	}
	return pids, mains
}

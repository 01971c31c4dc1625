package fh

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/files"
	"partnercenter/internal/partner"
	"partnercenter/internal/paths"
	"partnercenter/internal/people"
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
	db    *gorm.DB
	clk   *clock.Fixed
	svc   Service
	eco   *access.Principal
	fin   *access.Principal
	eng   approval.Engine
	admin *access.Principal
}

// setup makes a service-path partner with two approved specialists; the
// clock stops on 1 July 2026.
func setup(t *testing.T) (*fx, []int64) {
	t.Helper()
	return setupN(t, 2)
}

// setupN is setup with n specialists.
func setupN(t *testing.T, count int) (*fx, []int64) {
	t.Helper()
	return setupPath(t, count, paths.PathService, paths.StageRole)
}

// setupPath is setup with n specialists of a partner at a stage of a path.
func setupPath(t *testing.T, count int, path, stage string) (*fx, []int64) {
	t.Helper()
	specialists := count
	g := dbtest.DB(t)
	clk := clock.NewFixed(time.Date(2026, 7, 1, 2, 0, 0, 0, time.UTC))
	f := &fx{db: g, clk: clk, svc: Service{DB: g, Clock: clk}, eng: approval.Engine{DB: g, Clock: clk}}
	id, _ := dbtest.User(t, g, 0, "eco_manager", false)
	f.eco = access.VendorStaff(id, "eco_manager")
	id, _ = dbtest.User(t, g, 0, "finance", false)
	f.fin = access.VendorStaff(id, "finance")
	n := seq.Add(1)
	p := partner.Partner{Name: fmt.Sprintf("FH测试%d有限公司", n), CreditCode: partner.USCCWithCheck(fmt.Sprintf("9135000000%07d", n+600)),
		Status: partner.StatusActive, Site: "cn", EcoManagerID: &f.eco.UserID}
	if err := g.Create(&p).Error; err != nil {
		t.Fatal(err)
	}
	if err := (partner.Store{DB: g}).AddIdentity(bg, p.ID, path, clk.Now()); err != nil {
		t.Fatal(err)
	}
	if err := g.Exec(`INSERT INTO path_enrollments (partner_id, path, stage, status, joined_at, stage_at, certificate_no, cert_valid_until, updated_at)
		VALUES (?, ?, ?, 'active', ?, ?, ?, '2027-01-31', ?)`, p.ID, path, stage, clk.Now(), clk.Now(), fmt.Sprintf("FH-%d", n), clk.Now()).Error; err != nil {
		t.Fatal(err)
	}
	uid, _ := dbtest.User(t, g, p.ID, "", true)
	f.admin = access.Member(uid, p.ID, true)
	ps := people.Service{DB: g, Clock: clk}
	var persons []int64
	for i := range specialists {
		pr, err := ps.Register(bg, people.RegisterInput{LoginName: fmt.Sprintf("fhp%d_%d", n, i), Password: "Secret#2026pw", Name: fmt.Sprintf("专家%d", i),
			Site: people.SiteChina, RealName: people.RealNamePersonal, Mobile: fmt.Sprintf("136%04d%04d", n, i), Email: fmt.Sprintf("fhp%d_%d@example.cn", n, i)})
		if err != nil {
			t.Fatal(err)
		}
		inv, err := ps.Invite(bg, f.admin, pr.LoginName)
		if err != nil {
			t.Fatal(err)
		}
		if err := ps.Accept(bg, access.PersonalUser(pr.ID), inv.ID); err != nil {
			t.Fatal(err)
		}
		var link int64
		g.Raw(`SELECT id FROM specialist_links WHERE person_id = ?`, pr.ID).Scan(&link)
		sp, err := ps.ApplySpecialist(bg, f.admin, link, "", []files.Upload{{Name: "在职证明.pdf", Data: []byte("%PDF-1.4\n%%EOF\n")}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.eng.Approve(bg, f.eco, *sp.ApplicationID, ""); err != nil {
			t.Fatal(err)
		}
		persons = append(persons, pr.ID)
	}
	return f, persons
}

func key(err error) string {
	if ae, ok := apperr.As(err); ok {
		return ae.MessageKey()
	}
	return ""
}

func TestCoefficients(t *testing.T) {
	for city, want := range map[string]string{"深圳": "1.2", "深圳市": "1.2", "深圳市南山区": "1.2", "广东省深圳市": "1.2", "郑州": "1.2", "昆明": "1",
		"天津": "1", "常州": "0.9", "苏州市": "0.9", "江苏省常州市": "0.9"} {
		if got := Coefficient(city); !got.Equal(decimal.RequireFromString(want)) {
			t.Errorf("%s: %s, want %s", city, got, want)
		}
	}
	if got := LineAmount("senior_consultant", "昆明"); !got.Equal(decimal.NewFromInt(80000)) {
		t.Errorf("高级顾问 in 昆明: %s", got)
	}
}

// Invitation only; the compliance points; persons must be service-path
// specialists; a month for two persons at two coefficients (深圳 1.2,
// 常州 0.9); one application per month; a rejected month may be
// submitted again; the quarter's payment once its three months are
// approved = Σ baseline × 100% × 3 × coefficient; paid once per key.
func TestServiceExpertFunding(t *testing.T) {
	f, persons := setup(t)
	if err := f.svc.Join(bg, f.admin, Service2024, Compliance); key(err) != "fh.err.not_invited" {
		t.Fatalf("joined without an invitation: %v", err)
	}
	if err := f.svc.Invite(bg, f.eco, f.admin.PartnerID, Service2024, ""); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Join(bg, f.admin, Service2024, Compliance[:3]); err == nil {
		t.Fatal("joined without every compliance point")
	}
	if err := f.svc.Join(bg, f.admin, Service2024, Compliance); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SavePerson(bg, f.admin, PersonInput{PersonID: f.admin.UserID, Role: "expert", City: "深圳"}); err == nil {
		t.Fatal("funded someone who is not a specialist")
	}
	if err := f.svc.SavePerson(bg, f.admin, PersonInput{PersonID: persons[0], Role: "expert", City: "深圳"}); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SavePerson(bg, f.admin, PersonInput{PersonID: persons[1], Role: "senior_engineer", City: "常州"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SubmitMonth(bg, f.admin, MonthInput{Variant: Service2024, Month: "2026-08"}); key(err) != "fh.err.future_month" {
		t.Fatalf("a month not begun: %v", err)
	}
	month := func(m string, approve bool) {
		t.Helper()
		row, err := f.svc.SubmitMonth(bg, f.admin, MonthInput{Variant: Service2024, Month: m})
		if err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		if !row.Amount.Equal(decimal.NewFromInt(87000)) {
			t.Fatalf("%s: %s, want 60,000 + 27,000", m, row.Amount)
		}
		if approve {
			if _, err := f.eng.Approve(bg, f.eco, *row.ApplicationID, ""); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.eng.Reject(bg, f.eco, *row.ApplicationID, "信息未更新"); err != nil {
			t.Fatal(err)
		}
	}
	month("2026-07", false)
	month("2026-07", true)
	if _, err := f.svc.SubmitMonth(bg, f.admin, MonthInput{Variant: Service2024, Month: "2026-07"}); key(err) != "fh.err.month_taken" {
		t.Fatalf("the month twice: %v", err)
	}
	f.clk.Advance(31 * 24 * time.Hour)
	month("2026-08", true)
	if _, err := f.svc.ApplyPayment(bg, f.admin, Service2024, "2026Q3"); key(err) != "fh.err.quarter_open" {
		t.Fatalf("a quarter with two months: %v", err)
	}
	f.clk.Advance(31 * 24 * time.Hour)
	month("2026-09", true)
	pay, err := f.svc.ApplyPayment(bg, f.admin, Service2024, "2026Q3")
	want := decimal.NewFromInt(50000 * 3).Mul(decimal.RequireFromString("1.2")).Add(decimal.NewFromInt(30000 * 3).Mul(decimal.RequireFromString("0.9")))
	if err != nil || !pay.Amount.Equal(want) {
		t.Fatalf("the quarter: %+v %v, want %s", pay, err, want)
	}
	if _, err := f.svc.ApplyPayment(bg, f.admin, Service2024, "2026Q3"); key(err) == "" {
		t.Fatal("the quarter twice")
	}
	for range 2 {
		if err := f.svc.Pay(bg, f.fin, pay.ID, "CMB-FH-Q3", "fh-pay-key-00000001"); err != nil {
			t.Fatalf("pay (twice, one key): %v", err)
		}
	}
	if err := f.svc.Pay(bg, f.admin, pay.ID, "x", "fh-pay-key-00000002"); !apperr.Is(err, apperr.KindForbidden) {
		t.Fatalf("a partner paid: %v", err)
	}
	if blocked, err := pathBlocked(f); err != nil || !blocked {
		t.Fatalf("a joined FH does not keep the partner in its path: %v", err)
	}
	var progID int64
	f.db.Raw(`SELECT id FROM fh_programs WHERE partner_id = ?`, f.admin.PartnerID).Scan(&progID)
	if err := f.svc.End(bg, f.eco, progID, "  "); key(err) != "fh.err.reason" {
		t.Fatalf("ended without a reason: %v", err)
	}
	if err := f.svc.End(bg, f.eco, progID, "计划到期"); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.End(bg, f.eco, progID, "计划到期"); key(err) != "fh.err.state" {
		t.Fatalf("ended twice: %v", err)
	}
	var ended Program
	f.db.Where("id = ?", progID).Take(&ended)
	if ended.Status != ProgramEnded || ended.EndReason == nil || *ended.EndReason != "计划到期" || ended.EndedAt == nil || ended.JoinedAt == nil {
		t.Fatalf("the ended programme: %+v", ended)
	}
	if blocked, _ := pathBlocked(f); blocked {
		t.Fatal("an ended FH still keeps the partner in its path")
	}
	if _, err := f.svc.SubmitMonth(bg, f.admin, MonthInput{Variant: Service2024, Month: "2026-09"}); key(err) != "fh.err.not_joined" {
		t.Fatalf("a month after the end: %v", err)
	}
	page, err := f.svc.PageOf(bg, f.admin, Service2024)
	if err != nil || len(page.Persons) != 2 || len(page.Months) != 4 || len(page.Payments) != 1 || page.Payments[0].Status != PaymentPaid {
		t.Fatalf("page: %+v %v", page, err)
	}
}

// pathBlocked reports whether FH keeps the partner in its path.
// pathBlocked reads the partner's 发展路径 page: does FH keep it in its
// path (message 9)?
func pathBlocked(f *fx) (bool, error) {
	o, err := (paths.Service{DB: f.db, Clock: f.clk}).Overview(bg, f.admin)
	if err != nil {
		return false, err
	}
	return slices.Contains(o.Blockers, paths.ErrExitFH), nil
}

// TestEndAnInvitation: an invitation the partner never accepted is ended
// without a join time, and the partner can no longer join it.
func TestEndAnInvitation(t *testing.T) {
	f, _ := setup(t)
	if err := f.svc.Invite(bg, f.eco, f.admin.PartnerID, Service2024, ""); err != nil {
		t.Fatal(err)
	}
	var progID int64
	f.db.Raw(`SELECT id FROM fh_programs WHERE partner_id = ?`, f.admin.PartnerID).Scan(&progID)
	if err := f.svc.End(bg, f.admin, progID, "x"); !apperr.Is(err, apperr.KindForbidden) {
		t.Fatalf("a partner ended its programme: %v", err)
	}
	if err := f.svc.End(bg, f.eco, progID, "伙伴未在期限内加入"); err != nil {
		t.Fatal(err)
	}
	var ended Program
	f.db.Where("id = ?", progID).Take(&ended)
	if ended.Status != ProgramEnded || ended.JoinedAt != nil || ended.EndedBy == nil || *ended.EndedBy != f.eco.UserID {
		t.Fatalf("the ended invitation: %+v", ended)
	}
	if err := f.svc.Join(bg, f.admin, Service2024, Compliance); err == nil {
		t.Fatal("joined an ended programme")
	}
}

// An ended programme's approved months are still paid once their quarter
// is over (§10.6.1.5 has no deadline), and the partner may be invited
// again; an application in review cannot be ended (its review decides).
func TestEndedProgrammeIsPaidAndReinvited(t *testing.T) {
	f, persons := setup(t)
	if err := f.svc.Invite(bg, f.eco, f.admin.PartnerID, Service2024, ""); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Join(bg, f.admin, Service2024, Compliance); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SavePerson(bg, f.admin, PersonInput{PersonID: persons[0], Role: "expert", City: "深圳"}); err != nil {
		t.Fatal(err)
	}
	row, err := f.svc.SubmitMonth(bg, f.admin, MonthInput{Variant: Service2024, Month: "2026-07"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.eng.Approve(bg, f.eco, *row.ApplicationID, ""); err != nil {
		t.Fatal(err)
	}
	var progID int64
	f.db.Raw(`SELECT id FROM fh_programs WHERE partner_id = ?`, f.admin.PartnerID).Scan(&progID)
	f.clk.Advance(35 * 24 * time.Hour) // 5 August
	if err := f.svc.End(bg, f.eco, progID, "伙伴申请退出"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ApplyPayment(bg, f.admin, Service2024, "2026Q3"); key(err) != "fh.err.quarter_running" {
		t.Fatalf("paid before the quarter is over: %v", err)
	}
	f.clk.Advance(60 * 24 * time.Hour) // 4 October
	pay, err := f.svc.ApplyPayment(bg, f.admin, Service2024, "2026Q3")
	if err != nil || !pay.Amount.Equal(decimal.NewFromInt(60000)) {
		t.Fatalf("the ended programme's July: %+v %v, want 60,000", pay, err)
	}
	if err := f.svc.Invite(bg, f.eco, f.admin.PartnerID, Service2024, ""); err != nil {
		t.Fatalf("invited again after the end: %v", err)
	}
	page, err := f.svc.PageOf(bg, f.admin, Service2024)
	if err != nil || page.Program.Status != ProgramInvited || page.Program.ID == progID {
		t.Fatalf("the new invitation: %+v %v", page.Program, err)
	}
}

package benefit

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/partner"
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
	admin *access.Principal
}

func setup(t *testing.T) *fx {
	t.Helper()
	g := dbtest.DB(t)
	clk := clock.NewFixed(time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC))
	f := &fx{db: g, clk: clk, svc: Service{DB: g, Clock: clk}}
	eid, _ := dbtest.User(t, g, 0, "eco_manager", false)
	f.eco = access.VendorStaff(eid, "eco_manager")
	aid, _ := dbtest.User(t, g, 0, "vendor_admin", false)
	f.admin = access.VendorStaff(aid, "vendor_admin")
	return f
}

// account makes an active account of the entity (credit code) on the
// software path at 角色认证, looked after by f.eco, and returns its main
// account.
func (f *fx) account(t *testing.T, code string) *access.Principal {
	t.Helper()
	n := seq.Add(1)
	p := partner.Partner{Name: fmt.Sprintf("权益测试%d有限公司", n), CreditCode: code, Status: partner.StatusActive, Site: "cn",
		EcoManagerID: &f.eco.UserID}
	if err := f.db.Create(&p).Error; err != nil {
		t.Fatal(err)
	}
	if err := (partner.Store{DB: f.db}).AddIdentity(bg, p.ID, access.IdentitySoftware, f.clk.Now()); err != nil {
		t.Fatal(err)
	}
	if err := f.db.Exec(`INSERT INTO path_enrollments (partner_id, path, stage, status, joined_at, stage_at, certificate_no, cert_valid_until, updated_at)
		VALUES (?, 'software', 'role_certified', 'active', ?, ?, ?, '2027-01-31', ?)`, p.ID, f.clk.Now(), f.clk.Now(),
		fmt.Sprintf("BEN-%d", n), f.clk.Now()).Error; err != nil {
		t.Fatal(err)
	}
	uid, _ := dbtest.User(t, f.db, p.ID, "", true)
	m := access.Member(uid, p.ID, true)
	m.Identities = []string{access.IdentitySoftware}
	return m
}

func entity() string { return partner.USCCWithCheck(fmt.Sprintf("9133000000%07d", seq.Add(1)+300)) }

func form(amount string) TestVoucherInput {
	return TestVoucherInput{Solution: "other", Amount: amount, Reason: "方案测试环境", Acknowledged: true,
		Resources: "https://www.huaweicloud.com/pricing/calculator.html?shareListId=2d1d0136f", StartOn: "2026-03-10", EndOn: "2026-05-10"}
}

func key(err error) string {
	if ae, ok := apperr.As(err); ok {
		return ae.MessageKey()
	}
	return ""
}

// The form's rules (§10.2.3): the price calculator's share link, the
// period from today, the 须知 ticked.
func TestTestVoucherForm(t *testing.T) {
	f := setup(t)
	a := f.account(t, entity())
	for field, in := range map[string]TestVoucherInput{
		"resources": func() TestVoucherInput {
			i := form("100")
			i.Resources = "https://evil.example.com/pricing/calculator.html?shareListId=1"
			return i
		}(),
		"start_on":     func() TestVoucherInput { i := form("100"); i.StartOn = "2026-03-01"; return i }(),
		"end_on":       func() TestVoucherInput { i := form("100"); i.EndOn = "2026-03-09"; return i }(),
		"acknowledged": func() TestVoucherInput { i := form("100"); i.Acknowledged = false; return i }(),
		"amount":       func() TestVoucherInput { i := form("0"); return i }(),
	} {
		_, err := f.svc.ApplyTestVoucher(bg, a, in, nil)
		if ae, ok := apperr.As(err); !ok || ae.Fields[field] == "" {
			t.Errorf("%s: %v", field, err)
		}
	}
	// Today (China date) is a valid start.
	in := form("100")
	in.StartOn = "2026-03-02"
	if _, err := f.svc.ApplyTestVoucher(bg, a, in, nil); err != nil {
		t.Fatalf("starting today: %v", err)
	}
}

// The cap is the entity's (§4.1.10, N12: ¥100,000 for software role
// certified): two accounts of one credit code share it; a rejection gives
// the amount back; approval is not issuance; issuance makes a voucher valid
// exactly 3 months; the vendor administrator alone issues.
func TestTestVoucherCapApprovalAndIssue(t *testing.T) {
	f := setup(t)
	code := entity()
	a, b := f.account(t, code), f.account(t, code)
	first, err := f.svc.ApplyTestVoucher(bg, a, form("60000"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ApplyTestVoucher(bg, b, form("50000"), nil); key(err) != ErrOverCap {
		t.Fatalf("over the entity's cap from its other account: %v", err)
	}
	second, err := f.svc.ApplyTestVoucher(bg, b, form("40000"), nil)
	if err != nil {
		t.Fatalf("exactly the cap: %v", err)
	}
	st, _ := f.svc.Standing(bg, b, TypeTestVoucher)
	if st.Count != 2 || !st.Remaining.IsZero() || !st.Issued.IsZero() {
		t.Fatalf("standing %+v", st)
	}
	eng := approval.Engine{DB: f.db, Clock: f.clk}
	if _, err := eng.Reject(bg, f.eco, *second.ApplicationID, "金额与方案不符"); err != nil {
		t.Fatal(err)
	}
	if st, _ := f.svc.Standing(bg, b, TypeTestVoucher); !st.Remaining.Equal(st.Policy.CapAmount.Sub(first.Amount)) {
		t.Fatalf("the rejection did not give the amount back: %s", st.Remaining)
	}
	if _, err := f.svc.Issue(bg, f.admin, first.ID); key(err) != "benefit.err.not_approved" {
		t.Fatalf("issued before approval: %v", err)
	}
	if _, err := eng.Approve(bg, f.eco, *first.ApplicationID, ""); err != nil {
		t.Fatal(err)
	}
	got, _ := f.svc.Get(bg, a, first.ID)
	if got.Status != StateApproved {
		t.Fatalf("after the review: %s", got.Status)
	}
	if _, err := f.svc.Issue(bg, f.eco, first.ID); err == nil {
		t.Fatal("an ecosystem manager issued")
	}
	f.clk.Advance(26 * time.Hour)
	v, err := f.svc.Issue(bg, f.admin, first.ID)
	if err != nil || !v.ValidUntil.Equal(f.clk.Now().AddDate(0, 3, 0)) || !v.FaceValue.Equal(first.Amount) {
		t.Fatalf("voucher %+v %v", v, err)
	}
	if _, err := f.svc.Issue(bg, f.admin, first.ID); key(err) != "benefit.err.not_approved" {
		t.Fatalf("issued twice: %v", err)
	}
	if st, _ := f.svc.Standing(bg, a, TypeTestVoucher); !st.Issued.Equal(first.Amount) {
		t.Fatalf("累计已发放金额 %s", st.Issued)
	}
	if _, err := f.svc.Get(bg, f.account(t, entity()), first.ID); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("another entity reads it: %v", err)
	}
}

// A tier without a policy cannot apply.
func TestTestVoucherNeedsAPolicy(t *testing.T) {
	f := setup(t)
	a := f.account(t, entity())
	if err := f.db.Exec(`UPDATE path_enrollments SET stage = 'differentiated' WHERE partner_id = ?`, a.PartnerID).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ApplyTestVoucher(bg, a, form("100"), nil); key(err) != ErrNoPolicy {
		t.Fatalf("a tier without a policy: %v", err)
	}
	if err := f.svc.SavePolicy(bg, f.admin, PolicyInput{Year: 2026, Type: TypeTestVoucher, Tier: "software:differentiated", Cap: "200000"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ApplyTestVoucher(bg, a, form("150000"), nil); err != nil {
		t.Fatalf("after the vendor's policy: %v", err)
	}
}

// Two accounts of one entity racing for the last of the cap: exactly one
// gets it (-race).
func TestConcurrentApplicationsShareTheCap(t *testing.T) {
	f := setup(t)
	code := entity()
	a, b := f.account(t, code), f.account(t, code)
	if _, err := f.svc.ApplyTestVoucher(bg, a, form("70000"), nil); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var won, refused atomic.Int32
	for _, p := range []*access.Principal{a, b, a, b} {
		wg.Add(1)
		go func(p *access.Principal) {
			defer wg.Done()
			_, err := f.svc.ApplyTestVoucher(bg, p, form("20000"), nil)
			switch {
			case err == nil:
				won.Add(1)
			case key(err) == ErrOverCap:
				refused.Add(1)
			default:
				t.Error(err)
			}
		}(p)
	}
	wg.Wait()
	if won.Load() != 1 || refused.Load() != 3 {
		t.Fatalf("won %d, refused %d", won.Load(), refused.Load())
	}
}

// linkedPerson registers a personal account (with an e-mail when given)
// and links it to the account's partner.
func (f *fx) linkedPerson(t *testing.T, admin *access.Principal, email, uniportal string) *access.Principal {
	t.Helper()
	n := seq.Add(1)
	ps := people.Service{DB: f.db, Clock: f.clk}
	pr, err := ps.Register(bg, people.RegisterInput{LoginName: fmt.Sprintf("bperson%d", n), Password: "Secret#2026pw", Name: fmt.Sprintf("员工%d", n),
		Site: people.SiteChina, RealName: people.RealNamePersonal, Mobile: fmt.Sprintf("137%08d", n+9000), Email: email})
	if err != nil {
		t.Fatal(err)
	}
	me := access.PersonalUser(pr.ID)
	if uniportal != "" {
		if err := ps.UpdateProfile(bg, me, people.ProfileInput{Email: email, Uniportal: uniportal}); err != nil {
			t.Fatal(err)
		}
	}
	inv, err := ps.Invite(bg, admin, pr.LoginName)
	if err != nil {
		t.Fatal(err)
	}
	if err := ps.Accept(bg, me, inv.ID); err != nil {
		t.Fatal(err)
	}
	return me
}

func ids(ps ...*access.Principal) []string {
	var out []string
	for _, p := range ps {
		out = append(out, fmt.Sprint(p.UserID))
	}
	return out
}

// 考试券 (§10.3): persons without a bound e-mail are not selectable, HCIX
// needs the Uniportal account; the cap counts vouchers; issuance gives each
// person a voucher of its own; HCCDX is redeemed within 7 natural days (both
// sides of the boundary), then valid 1 year; HCIX has no redeem day and is
// valid 1 year after redemption; the sweep expires the unredeemed.
func TestExamVouchers(t *testing.T) {
	f := setup(t)
	admin := f.account(t, entity())
	if err := f.svc.SavePolicy(bg, f.admin, PolicyInput{Year: 2026, Type: TypeExamVoucher, Tier: "software:role_certified", Cap: "3"}); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SavePolicy(bg, f.admin, PolicyInput{Year: 2026, Type: TypeExamVoucher, Tier: "software:role_certified", Cap: "2.5"}); err == nil {
		t.Fatal("a count cap of 2.5")
	}
	a := f.linkedPerson(t, admin, fmt.Sprintf("a%d@example.com", seq.Add(1)), "")
	b := f.linkedPerson(t, admin, fmt.Sprintf("b%d@example.com", seq.Add(1)), "uni-b")
	noMail := f.linkedPerson(t, admin, "", "")
	in := PersonsInput{Exam: "HCCDA", Persons: ids(noMail), Reason: "认证考试"}
	if _, err := f.svc.ApplyForPersons(bg, admin, TypeExamVoucher, in); err == nil || key(err) == "" {
		t.Fatalf("a person without an e-mail: %v", err)
	}
	in = PersonsInput{Exam: "HCIP", Persons: ids(a), Reason: "认证考试"}
	if _, err := f.svc.ApplyForPersons(bg, admin, TypeExamVoucher, in); err == nil {
		t.Fatal("HCIX for a person without a Uniportal account")
	}
	in = PersonsInput{Exam: "HCCDA", Persons: ids(a, b), Reason: "认证考试"}
	dev, err := f.svc.ApplyForPersons(bg, admin, TypeExamVoucher, in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ApplyForPersons(bg, admin, TypeExamVoucher, PersonsInput{Exam: "HCCDP", Persons: ids(b, a), Reason: "x"}); key(err) != ErrOverCapCount {
		t.Fatalf("over the cap of 3 vouchers: %v", err)
	}
	career, err := f.svc.ApplyForPersons(bg, admin, TypeExamVoucher, PersonsInput{Exam: "HCIE", Persons: ids(b), Reason: "认证考试"})
	if err != nil {
		t.Fatal(err)
	}
	eng := approval.Engine{DB: f.db, Clock: f.clk}
	for _, app := range []*Application{dev, career} {
		if _, err := eng.Approve(bg, f.eco, *app.ApplicationID, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Issue(bg, f.admin, app.ID); err != nil {
			t.Fatal(err)
		}
	}
	issued := f.clk.Now()
	mine, err := f.svc.MyVouchers(bg, a)
	if err != nil || len(mine) != 1 || mine[0].Exam != "HCCDA" || !mine[0].RedeemBy.Equal(issued.AddDate(0, 0, 7)) {
		t.Fatalf("a's vouchers %+v %v", mine, err)
	}
	bs, _ := f.svc.MyVouchers(bg, b)
	if len(bs) != 2 {
		t.Fatalf("b's vouchers %+v", bs)
	}
	var hcie, bDev MyVoucher
	for _, v := range bs {
		if v.Exam == "HCIE" {
			hcie = v
		} else {
			bDev = v
		}
	}
	if hcie.RedeemBy != nil || hcie.Uniportal != "uni-b" {
		t.Fatalf("HCIX voucher %+v", hcie)
	}
	if err := f.svc.Redeem(bg, b, mine[0].ID); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("b redeemed a's voucher: %v", err)
	}
	// A second before the 7 days: redeemed, valid a year.
	f.clk.Advance(7*24*time.Hour - time.Second)
	if err := f.svc.Redeem(bg, a, mine[0].ID); err != nil {
		t.Fatalf("a second before: %v", err)
	}
	got, _ := f.svc.MyVouchers(bg, a)
	if got[0].Status != PVRedeemed || !got[0].ValidUntil.Equal(f.clk.Now().AddDate(1, 0, 0)) {
		t.Fatalf("redeemed %+v", got[0])
	}
	// At the 7 days: too late.
	f.clk.Advance(time.Second)
	if err := f.svc.Redeem(bg, b, bDev.ID); key(err) != "benefit.err.redeem_expired" {
		t.Fatalf("redeemed at the 7 days: %v", err)
	}
	if n, err := f.svc.ExpireVouchers(bg); err != nil || n != 1 {
		t.Fatalf("sweep %d %v", n, err)
	}
	// HCIX: any time; a year from its redemption.
	f.clk.Advance(100 * 24 * time.Hour)
	if err := f.svc.Redeem(bg, b, hcie.ID); err != nil {
		t.Fatalf("HCIX after 100 days: %v", err)
	}
	if err := f.svc.Redeem(bg, b, hcie.ID); key(err) != "benefit.err.redeemed" {
		t.Fatalf("redeemed twice: %v", err)
	}
	if st, _ := f.svc.Standing(bg, admin, TypeExamVoucher); !st.Issued.Equal(st.Policy.CapAmount) {
		t.Fatalf("issued count %s", st.Issued)
	}
}

// 云实验 (§10.4): points per person count against a points cap; an
// unlinked person is not issued to (non-transferable).
func TestCloudLabPoints(t *testing.T) {
	f := setup(t)
	admin := f.account(t, entity())
	if err := f.svc.SavePolicy(bg, f.admin, PolicyInput{Year: 2026, Type: TypeCloudLab, Tier: "software:role_certified", Cap: "1000"}); err != nil {
		t.Fatal(err)
	}
	a := f.linkedPerson(t, admin, fmt.Sprintf("la%d@example.com", seq.Add(1)), "")
	b := f.linkedPerson(t, admin, fmt.Sprintf("lb%d@example.com", seq.Add(1)), "")
	if _, err := f.svc.ApplyForPersons(bg, admin, TypeCloudLab, PersonsInput{Points: "600", Persons: ids(a, b), Reason: "实验"}); key(err) != ErrOverCapCount {
		t.Fatalf("1200 points over 1000: %v", err)
	}
	app, err := f.svc.ApplyForPersons(bg, admin, TypeCloudLab, PersonsInput{Points: "500", Persons: ids(a, b), Reason: "实验"})
	if err != nil || !app.Amount.Equal(decimal.NewFromInt(1000)) {
		t.Fatalf("%+v %v", app, err)
	}
	if _, err := (approval.Engine{DB: f.db, Clock: f.clk}).Approve(bg, f.eco, *app.ApplicationID, ""); err != nil {
		t.Fatal(err)
	}
	if err := f.db.Exec(`UPDATE specialist_links SET unlinked_at = ? WHERE person_id = ?`, f.clk.Now(), b.UserID).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Issue(bg, f.admin, app.ID); err != nil {
		t.Fatal(err)
	}
	vs, _ := f.svc.MyVouchers(bg, a)
	if len(vs) != 1 || vs[0].Points != 500 || vs[0].RedeemBy == nil {
		t.Fatalf("lab points %+v", vs)
	}
	if bs, _ := f.svc.MyVouchers(bg, b); len(bs) != 0 {
		t.Fatalf("issued to a person unlinked since: %+v", bs)
	}
	if got, _ := f.svc.Get(bg, admin, app.ID); !got.Amount.Equal(decimal.NewFromInt(500)) {
		t.Fatalf("the unlinked person's points are not back in the cap: %s", got.Amount)
	}
}

// Exam vouchers for the last of a count cap, applied for at once by two
// accounts of one entity: one wins (-race).
func TestConcurrentExamVouchersShareTheCap(t *testing.T) {
	f := setup(t)
	code := entity()
	a, b := f.account(t, code), f.account(t, code)
	if err := f.svc.SavePolicy(bg, f.admin, PolicyInput{Year: 2026, Type: TypeExamVoucher, Tier: "software:role_certified", Cap: "1"}); err != nil {
		t.Fatal(err)
	}
	pa := f.linkedPerson(t, a, fmt.Sprintf("ca%d@example.com", seq.Add(1)), "")
	pb := f.linkedPerson(t, b, fmt.Sprintf("cb%d@example.com", seq.Add(1)), "")
	var wg sync.WaitGroup
	var won, refused atomic.Int32
	for i, acc := range []*access.Principal{a, b, a, b} {
		person := []*access.Principal{pa, pb}[i%2]
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.svc.ApplyForPersons(bg, acc, TypeExamVoucher, PersonsInput{Exam: "HCCDA", Persons: ids(person), Reason: "考试"})
			switch {
			case err == nil:
				won.Add(1)
			case key(err) == ErrOverCapCount:
				refused.Add(1)
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if won.Load() != 1 || refused.Load() != 3 {
		t.Fatalf("won %d, refused %d", won.Load(), refused.Load())
	}
}

// A cloud reseller with no other programme may not apply (its menus do not
// offer benefits, access.ResellerOnly); a path identity beside it changes
// nothing, a solution provider's programme does.
func TestResellerOnlyIsRefusedAsItsMenusAre(t *testing.T) {
	f := setup(t)
	a := f.account(t, entity())
	a.Identities = []string{access.IdentityCloudReseller, access.IdentitySoftware}
	if _, err := f.svc.ApplyTestVoucher(bg, a, form("100"), nil); !apperr.Is(err, apperr.KindForbidden) {
		t.Fatalf("reseller with a path: %v", err)
	}
	if _, err := f.svc.ApplyForPersons(bg, a, TypeExamVoucher, PersonsInput{}); !apperr.Is(err, apperr.KindForbidden) {
		t.Fatalf("reseller with a path, persons: %v", err)
	}
	a.Identities = append(a.Identities, access.IdentitySolutionProvider)
	if _, err := f.svc.ApplyTestVoucher(bg, a, form("100"), nil); err != nil {
		t.Fatalf("reseller and solution provider: %v", err)
	}
}

package opportunity

import (
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
	db    *gorm.DB
	clk   *clock.Fixed
	svc   Service
	eco   *access.Principal
	admin *access.Principal
}

func setup(t *testing.T) *fx {
	t.Helper()
	g := dbtest.DB(t)
	clk := clock.NewFixed(time.Date(2029, 6, 4, 2, 0, 0, 0, time.UTC))
	f := &fx{db: g, clk: clk, svc: Service{DB: g, Clock: clk}}
	id, _ := dbtest.User(t, g, 0, "eco_manager", false)
	f.eco = access.VendorStaff(id, "eco_manager")
	aid, _ := dbtest.User(t, g, 0, "vendor_admin", false)
	f.admin = access.VendorStaff(aid, "vendor_admin")
	return f
}

// company makes an active PCE member looked after by f.eco and returns its
// main account.
func (f *fx) company(t *testing.T, identities ...string) *access.Principal {
	t.Helper()
	n := seq.Add(1)
	p := partner.Partner{Name: fmt.Sprintf("机会点测试%d有限公司", n), CreditCode: partner.USCCWithCheck(fmt.Sprintf("9144000000%07d", n)),
		Status: partner.StatusActive, Site: "cn", EcoManagerID: &f.eco.UserID}
	if err := f.db.Create(&p).Error; err != nil {
		t.Fatal(err)
	}
	for _, id := range identities {
		if err := (partner.Store{DB: f.db}).AddIdentity(bg, p.ID, id, f.clk.Now()); err != nil {
			t.Fatal(err)
		}
	}
	uid, _ := dbtest.User(t, f.db, p.ID, "", true)
	m := access.Member(uid, p.ID, true)
	m.Identities = identities
	return m
}

func form(customer string) Input {
	return Input{CustomerName: customer, Industry: "manufacturing", ContactName: "李工", ContactPhone: "13800001234",
		Requirement: "生产系统上云与灾备", Budget: "800000", PurchaseOn: "2029-12-01", Description: "客户计划年底前完成核心生产系统迁移，已完成方案交流",
		Offerings: "伙伴Lead基线解决方案：制造上云", PartnerContact: "王经理", PartnerPhone: "13900001234", Authorized: true}
}

func (f *fx) status(t *testing.T, id int64) string {
	t.Helper()
	var st string
	if err := f.db.Raw(`SELECT status FROM opportunities WHERE id = ?`, id).Scan(&st).Error; err != nil {
		t.Fatal(err)
	}
	return st
}

func key(err error) string {
	if ae, ok := apperr.As(err); ok {
		return ae.MessageKey()
	}
	return ""
}

// The form's rules (§11.1.2.3, R1): a non-member cannot add; a contact,
// the authorisation and a purchase within a year are required.
func TestPOFormRules(t *testing.T) {
	f := setup(t)
	outsider := f.company(t, access.IdentitySolutionProvider)
	if _, err := f.svc.Create(bg, outsider, form("某客户")); key(err) != ErrNotPCE {
		t.Fatalf("a partner outside PCE: %v", err)
	}
	m := f.company(t, access.IdentityPCE)
	for field, in := range map[string]Input{
		"contact_phone": func() Input { i := form("某客户"); i.ContactPhone = ""; return i }(),
		"authorized":    func() Input { i := form("某客户"); i.Authorized = false; return i }(),
		"purchase_on":   func() Input { i := form("某客户"); i.PurchaseOn = "2030-06-05"; return i }(),
		"budget":        func() Input { i := form("某客户"); i.Budget = "0"; return i }(),
		"industry":      func() Input { i := form("某客户"); i.Industry = "space"; return i }(),
	} {
		_, err := f.svc.Create(bg, m, in)
		if ae, ok := apperr.As(err); !ok || ae.Fields[field] == "" {
			t.Errorf("%s: %v", field, err)
		}
	}
	// A year from today is still within a year; the day after is not.
	in := form("某客户")
	in.PurchaseOn = "2030-06-04"
	if _, err := f.svc.Create(bg, m, in); err != nil {
		t.Fatalf("purchase a year from today: %v", err)
	}
}

// The PO flow (§11.1.2.6–8): draft → in review (no withdrawal) → 审核不通过
// 【信息不完整】 → supplemented and resubmitted → 驳回 back to draft →
// submitted again → approved (valid from the decision) → won. Another
// tenant's PO is 404.
func TestPOFlow(t *testing.T) {
	f := setup(t)
	m := f.company(t, access.IdentityPCE)
	other := f.company(t, access.IdentityPCE)
	o, err := f.svc.Create(bg, m, form("华东精工制造股份有限公司"))
	if err != nil || o.Status != StateDraft || o.No == "" {
		t.Fatalf("created %+v %v", o, err)
	}
	if err := f.svc.Submit(bg, other, o.ID, ""); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("another tenant submits it: %v", err)
	}
	if err := f.svc.Submit(bg, m, o.ID, ""); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Update(bg, m, o.ID, form("改名")); key(err) != "opportunity.err.not_editable" {
		t.Fatalf("edited in review: %v", err)
	}
	o, _ = f.svc.Get(bg, m, o.ID)
	if _, err := (approval.Engine{DB: f.db, Clock: f.clk}).Withdraw(bg, m, *o.ApplicationID); key(err) != "opportunity.err.no_withdraw" {
		t.Fatalf("withdrawn: %v", err)
	}
	if err := f.svc.Fail(bg, f.eco, o.ID, ReasonIncomplete, "请补充客户预算来源"); err != nil {
		t.Fatal(err)
	}
	if st := f.status(t, o.ID); st != StateFailed {
		t.Fatalf("after 信息不完整: %s", st)
	}
	in := form("华东精工制造股份有限公司")
	in.Requirement = "生产系统上云与灾备，预算已列入年度计划"
	if err := f.svc.Update(bg, m, o.ID, in); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Submit(bg, m, o.ID, "已补充预算来源"); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SendBack(bg, f.eco, o.ID, "伙伴申请驳回修改客户全称"); err != nil {
		t.Fatal(err)
	}
	if st := f.status(t, o.ID); st != StateDraft {
		t.Fatalf("after 驳回: %s", st)
	}
	if err := f.svc.Submit(bg, m, o.ID, ""); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Approve(bg, f.eco, o.ID, ""); err != nil {
		t.Fatal(err)
	}
	got, _ := f.svc.Get(bg, m, o.ID)
	if got.Status != StateApproved || got.ValidFrom == nil || !got.ValidFrom.Equal(f.clk.Now()) {
		t.Fatalf("approved %+v", got)
	}
	if err := f.svc.Close(bg, m, o.ID, StateWon); err != nil || f.status(t, o.ID) != StateWon {
		t.Fatalf("won: %v", err)
	}
}

// Protection (§11.1.2.9): the same customer (its name normalised, or its
// credit code) approved earlier wins. The later one shows a warning and
// cannot be approved; it is closed with 【机会点重复】. Another customer
// is not affected.
func TestPODuplicateProtection(t *testing.T) {
	f := setup(t)
	a, b := f.company(t, access.IdentityPCE), f.company(t, access.IdentityPCE)
	first, _ := f.svc.Create(bg, a, form("南方 （广州）数据科技有限公司"))
	if err := f.svc.Submit(bg, a, first.ID, ""); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Approve(bg, f.eco, first.ID, ""); err != nil {
		t.Fatal(err)
	}
	later, _ := f.svc.Create(bg, b, form("南方(广州)数据科技有限公司"))
	if err := f.svc.Submit(bg, b, later.ID, ""); err != nil {
		t.Fatal(err)
	}
	r, err := f.svc.VendorGet(bg, f.eco, later.ID)
	if err != nil || len(r.Earlier) != 1 || r.Earlier[0].Same {
		t.Fatalf("the reviewer's warning: %+v %v", r, err)
	}
	if err := f.svc.Approve(bg, f.eco, later.ID, ""); key(err) != ErrDuplicateExists {
		t.Fatalf("approved over an earlier valid PO: %v", err)
	}
	if err := f.svc.Fail(bg, f.eco, later.ID, ReasonDuplicate, ""); err != nil {
		t.Fatal(err)
	}
	if st := f.status(t, later.ID); st != StateDuplicate {
		t.Fatalf("the duplicate is %s", st)
	}
	// By credit code, whatever the name.
	code := partner.USCCWithCheck("91440101MA5CP0001")
	in := form("甲公司")
	in.CustomerCreditCode = code
	x, _ := f.svc.Create(bg, a, in)
	f.svc.Submit(bg, a, x.ID, "")
	if err := f.svc.Approve(bg, f.eco, x.ID, ""); err != nil {
		t.Fatal(err)
	}
	in = form("甲公司（简称）")
	in.CustomerCreditCode = code
	y, _ := f.svc.Create(bg, b, in)
	f.svc.Submit(bg, b, y.ID, "")
	if err := f.svc.Approve(bg, f.eco, y.ID, ""); key(err) != ErrDuplicateExists {
		t.Fatalf("same credit code approved twice: %v", err)
	}
	z, _ := f.svc.Create(bg, b, form("乙公司"))
	f.svc.Submit(bg, b, z.ID, "")
	if err := f.svc.Approve(bg, f.eco, z.ID, ""); err != nil {
		t.Fatalf("another customer: %v", err)
	}
	// Another ecosystem manager does not see them.
	oid, _ := dbtest.User(t, f.db, 0, "eco_manager", false)
	if _, err := f.svc.VendorGet(bg, access.VendorStaff(oid, "eco_manager"), y.ID); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("another ecosystem manager: %v", err)
	}
}

// Two reviewers approving competing POs of one customer at the same
// moment: exactly one wins (-race).
func TestConcurrentApprovalsOfOneCustomer(t *testing.T) {
	f := setup(t)
	for round := range 4 {
		customer := fmt.Sprintf("并发客户%d科技有限公司", round)
		a, b := f.company(t, access.IdentityPCE), f.company(t, access.IdentityPCE)
		x, _ := f.svc.Create(bg, a, form(customer))
		y, _ := f.svc.Create(bg, b, form(customer))
		if err := f.svc.Submit(bg, a, x.ID, ""); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Submit(bg, b, y.ID, ""); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, c := range []struct {
			who *access.Principal
			id  int64
		}{{f.eco, x.ID}, {f.admin, y.ID}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = f.svc.Approve(bg, c.who, c.id, "")
			}()
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case key(err) != ErrDuplicateExists:
				t.Fatalf("round %d: %v", round, err)
			}
		}
		var approved int64
		f.db.Raw(`SELECT count(*) FROM opportunities WHERE customer_key = ? AND status = 'approved'`, NormalizeCustomer(customer)).Scan(&approved)
		if won != 1 || approved != 1 {
			t.Fatalf("round %d: %d approvals succeeded, %d approved", round, won, approved)
		}
	}
}

package onboarding

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/identity"
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

func svc(t *testing.T) (Service, *gorm.DB) {
	g := dbtest.DB(t)
	return Service{DB: g, Clock: clock.NewFixed(time.Date(2029, 6, 4, 2, 0, 0, 0, time.UTC))}, g
}

func body17() string { return fmt.Sprintf("9144030000%07d", seq.Add(1)) }

func registration(code string) Registration {
	n := seq.Add(1)
	return Registration{CompanyName: fmt.Sprintf("测试科技有限公司%d", n), CreditCode: code, Site: "cn",
		LoginName: fmt.Sprintf("reg_%d", n), DisplayName: "张三", Email: fmt.Sprintf("reg%d@example.cn", n),
		Mobile: fmt.Sprintf("137%08d", n), Password: "Str0ng!pass", Confirm: "Str0ng!pass", Agree: true}
}

func actorOf(u *identity.User) *access.Principal {
	p := access.Member(u.ID, u.TenantID(), u.IsMain)
	p.Name = u.LoginName
	return p
}

// engine is the approval engine on the service's database and clock.
func engine(s Service) approval.Engine { return approval.Engine{DB: s.DB, Clock: s.Clock} }

// vendorAdmin is a fresh vendor administrator's principal.
func vendorAdmin(t *testing.T, g *gorm.DB) *access.Principal {
	t.Helper()
	var id int64
	login := fmt.Sprintf("va_%d", seq.Add(1))
	if err := g.Raw(`INSERT INTO users (kind, vendor_role, login_name, password_hash) VALUES ('vendor', 'vendor_admin', ?, 'x') RETURNING id`,
		login).Scan(&id).Error; err != nil {
		t.Fatal(err)
	}
	p := access.VendorStaff(id, "vendor_admin")
	p.Name = login
	return p
}

func form(name string) Form {
	return Form{CompanyName: name, Address: "深圳市南山区科技园", LegalRepresentative: "李四", RegisteredCapital: "1000万人民币",
		BusinessScope: "软件开发", ContactName: "王五", ContactPosition: "经理", ContactMobile: "13912345678",
		ContactEmail: "wang@example.cn", Agreements: Agreements}
}

// activePartner makes an onboarded company with an eco manager.
func activePartner(t *testing.T, g *gorm.DB, name, code string) (*partner.Partner, int64) {
	t.Helper()
	var eco int64
	if err := g.Raw(`INSERT INTO users (kind, vendor_role, login_name, password_hash) VALUES ('vendor', 'eco_manager', ?, 'x') RETURNING id`,
		fmt.Sprintf("eco_%d", seq.Add(1))).Scan(&eco).Error; err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	p := &partner.Partner{Name: name, CreditCode: code, Status: partner.StatusActive, Site: "cn", Address: "上海市浦东新区",
		LegalRepresentative: "赵六", RegisteredCapital: "5000万人民币", BusinessScope: "云计算", EcoManagerID: &eco, JoinedHCPNAt: &now}
	if err := g.Create(p).Error; err != nil {
		t.Fatal(err)
	}
	return p, eco
}

func TestRegistrationRefusesBadCreditCodeChecksum(t *testing.T) {
	s, g := svc(t)
	before := int64(0)
	g.Table("partners").Count(&before)
	// seed 003 §3.1 illustration has a wrong check character.
	_, err := s.Register(bg, registration("91310117557415205K"))
	ae, ok := apperr.As(err)
	if !ok || ae.Fields["credit_code"] != "onboarding.err.credit_code_invalid" {
		t.Fatalf("got %v", err)
	}
	var after int64
	g.Table("partners").Count(&after)
	if after != before {
		t.Fatal("a refused registration creates nothing")
	}
	u, err := s.Register(bg, registration("913101175574152055"))
	if err != nil {
		t.Fatal(err)
	}
	p, _ := partner.Store{DB: g}.Get(bg, u.TenantID())
	if p.Status != partner.StatusRegistered || !u.IsMain || p.CreditCode != "913101175574152055" {
		t.Fatalf("registered %+v %+v", p, u)
	}
	var n int64
	g.Table("audit_log").Where("action = 'partner.register' AND partner_id = ?", p.ID).Count(&n)
	if n != 1 {
		t.Fatal("registration must be audited")
	}
}

func TestRegistrationValidatesEveryFieldAndUniqueness(t *testing.T) {
	s, _ := svc(t)
	r := registration(partner.USCCWithCheck(body17()))
	r.Password, r.Confirm, r.Agree, r.Email, r.Mobile = "short", "other", false, "not-an-email", "123"
	_, err := s.Register(bg, r)
	ae, _ := apperr.As(err)
	for _, f := range []string{"password", "password_confirm", "agree", "email", "mobile"} {
		if ae == nil || ae.Fields[f] == "" {
			t.Fatalf("no error for %s: %v", f, err)
		}
	}
	first := registration(partner.USCCWithCheck(body17()))
	if _, err := s.Register(bg, first); err != nil {
		t.Fatal(err)
	}
	dup := registration(partner.USCCWithCheck(body17()))
	dup.Email, dup.Mobile = strings.ToUpper(first.Email), first.Mobile
	_, err = s.Register(bg, dup)
	ae, _ = apperr.As(err)
	if ae == nil || ae.Fields["email"] != identity.ErrEmailTaken || ae.Fields["mobile"] != identity.ErrMobileTaken {
		t.Fatalf("uniqueness: %v", err)
	}
}

func TestFirstTimeOnboardingGoesToManualReviewThenApprovalActivates(t *testing.T) {
	s, g := svc(t)
	activePartner(t, g, "另一家公司", partner.USCCWithCheck(body17())) // makes sure an eco manager exists
	u, err := s.Register(bg, registration(partner.USCCWithCheck(body17())))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Submit(bg, actorOf(u), Form{}); !apperr.Is(err, apperr.KindInvalid) {
		t.Fatalf("empty form accepted: %v", err)
	}
	f := form("新注册公司")
	f.Agreements = Agreements[:3]
	_, err = s.Submit(bg, actorOf(u), f)
	if ae, _ := apperr.As(err); ae == nil || ae.Fields["agreements"] != "onboarding.err.agreements_required" {
		t.Fatalf("three agreements accepted: %v", err)
	}
	f.Licence = &Upload{Name: "licence.png", Data: []byte("\x89PNG\r\n\x1a\nrest")}
	f.Agreements = Agreements
	app, err := s.Submit(bg, actorOf(u), f)
	if err != nil {
		t.Fatal(err)
	}
	if app.State != approval.StateSubmitted || app.ReviewerID == nil {
		t.Fatalf("first-time onboarding must wait for a person: %+v", app)
	}
	p, _ := partner.Store{DB: g}.Get(bg, u.TenantID())
	if p.Status != partner.StatusPendingReview || p.Address != "深圳市南山区科技园" || p.ContactName != "王五" {
		t.Fatalf("partner after submit %+v", p)
	}
	if due := app.DueAt.Sub(*app.SubmittedAt); due < 72*time.Hour {
		t.Fatalf("3 working days: %v", due)
	}
	outcomes := map[string]string{}
	for _, c := range app.CheckResults() {
		outcomes[c.Name] = c.Outcome
	}
	if outcomes["onboarding.check.credit_code"] != "pass" || outcomes["onboarding.check.site"] != "pass" || outcomes["onboarding.check.same_entity"] != "warn" {
		t.Fatalf("checks %v", outcomes)
	}
	if _, err := s.Submit(bg, actorOf(u), form("再来一次")); !apperr.Is(err, apperr.KindConflict) {
		t.Fatal("a second submission while pending must be refused")
	}
	reviewer := access.VendorStaff(*app.ReviewerID, "eco_manager")
	reviewer.Name = "eco"
	if _, err := engine(s).Approve(bg, reviewer, app.ID, ""); err != nil {
		t.Fatal(err)
	}
	p, _ = partner.Store{DB: g}.Get(bg, u.TenantID())
	if p.Status != partner.StatusActive || p.JoinedHCPNAt == nil || p.EcoManagerID == nil || *p.EcoManagerID != *app.ReviewerID {
		t.Fatalf("approved partner %+v", p)
	}
	var subj string
	g.Table("messages").Select("subject_key").Where("user_id = ?", u.ID).Order("id DESC").Limit(1).Scan(&subj)
	if subj != "onboarding.msg.approved.subject" {
		t.Fatalf("admin message %q", subj)
	}
	pr, err := access.Load(bg, g, access.Subject{UserID: u.ID, PartnerID: p.ID, IsMain: true, PartnerStatus: p.Status})
	if err != nil || !pr.Can(access.OrgMembersManage) || pr.Can(access.OnboardingApply) {
		t.Fatalf("the admin of an active tenant holds the full menus: %v", pr.SortedItems())
	}
}

func TestSameEntityIsApprovedAtOnceWithTheSeedNotice(t *testing.T) {
	s, g := svc(t)
	code := partner.USCCWithCheck(body17())
	existing, eco := activePartner(t, g, "老牌伙伴（深圳）有限公司", code)
	r := registration(code)
	r.CompanyName = "老牌伙伴(深圳)有限公司" // half-width parentheses: same name
	u, err := s.Register(bg, r)
	if err != nil {
		t.Fatal(err)
	}
	st, err := s.Load(bg, actorOf(u))
	if err != nil || !st.Fast() || st.Existing.ID != existing.ID {
		t.Fatalf("fast onboarding expected: %v", err)
	}
	// Only contacts and agreements: no address or legal representative.
	f := Form{CompanyName: r.CompanyName, ContactName: "钱七", ContactPosition: "销售总监", ContactMobile: "13812345670",
		ContactEmail: "qian@example.cn", Agreements: Agreements}
	app, err := s.Submit(bg, actorOf(u), f)
	if err != nil {
		t.Fatal(err)
	}
	if app.State != approval.StateApproved {
		t.Fatalf("same entity must be approved automatically, got %s (%s)", app.State, app.Checks)
	}
	found := false
	for _, c := range app.CheckResults() {
		if c.Name == "onboarding.check.same_entity" && c.Outcome == "pass" && c.Message == "onboarding.check.same_entity.found" {
			found = true
		}
	}
	if !found {
		t.Fatalf("checks %s", app.Checks)
	}
	p, _ := partner.Store{DB: g}.Get(bg, u.TenantID())
	if p.Status != partner.StatusActive || p.Address != existing.Address || p.LegalRepresentative != "赵六" || p.EcoManagerID == nil || *p.EcoManagerID != eco {
		t.Fatalf("fast onboarded partner reuses the company data and eco manager: %+v", p)
	}
}

func TestSameCreditCodeUnderAnotherNameGoesToManualReview(t *testing.T) {
	s, g := svc(t)
	code := partner.USCCWithCheck(body17())
	_, eco := activePartner(t, g, "真实名称有限公司", code)
	r := registration(code)
	r.CompanyName = "另一个名字有限公司"
	u, err := s.Register(bg, r)
	if err != nil {
		t.Fatal(err)
	}
	f := Form{CompanyName: r.CompanyName, ContactName: "孙八", ContactPosition: "经理", ContactMobile: "13812345671",
		ContactEmail: "sun@example.cn", Agreements: Agreements}
	app, err := s.Submit(bg, actorOf(u), f)
	if err != nil {
		t.Fatal(err)
	}
	if app.State != approval.StateSubmitted {
		t.Fatalf("name mismatch must wait for a person, got %s", app.State)
	}
	if app.ReviewerID == nil || *app.ReviewerID != eco {
		t.Fatal("the same entity's eco manager reviews it")
	}
	var mismatch *approval.CheckResult
	for _, c := range app.CheckResults() {
		if c.Name == "onboarding.check.name" {
			c := c
			mismatch = &c
		}
	}
	if mismatch == nil || mismatch.Outcome != "warn" || mismatch.Args["Existing"] != "真实名称有限公司" {
		t.Fatalf("checks %s", app.Checks)
	}
}

func TestInternationalSiteCannotBeApprovedAutomatically(t *testing.T) {
	s, g := svc(t)
	code := partner.USCCWithCheck(body17())
	activePartner(t, g, "跨站公司", code)
	r := registration(code)
	r.CompanyName, r.Site = "跨站公司", "intl"
	u, err := s.Register(bg, r)
	if err != nil {
		t.Fatal(err)
	}
	app, err := s.Submit(bg, actorOf(u), Form{CompanyName: "跨站公司", ContactName: "周九", ContactPosition: "经理",
		ContactMobile: "13812345672", ContactEmail: "zhou@example.cn", Agreements: Agreements})
	if err != nil {
		t.Fatal(err)
	}
	if app.State != approval.StateSubmitted {
		t.Fatal("国内站跟国际站不互通: no automatic approval")
	}
}

func TestRejectedCompanyCanFixTheFormAndResubmit(t *testing.T) {
	s, g := svc(t)
	u, err := s.Register(bg, registration(partner.USCCWithCheck(body17())))
	if err != nil {
		t.Fatal(err)
	}
	app, err := s.Submit(bg, actorOf(u), form("待驳回公司"))
	if err != nil {
		t.Fatal(err)
	}
	admin := vendorAdmin(t, g)
	if _, err := engine(s).Reject(bg, admin, app.ID, "营业执照不清晰"); err != nil {
		t.Fatal(err)
	}
	p, _ := partner.Store{DB: g}.Get(bg, u.TenantID())
	if p.Status != partner.StatusRejected {
		t.Fatalf("status %s", p.Status)
	}
	st, _ := s.Load(bg, actorOf(u))
	if !st.CanSubmit || st.Latest.State != approval.StateRejected || st.Latest.DecisionComment != "营业执照不清晰" {
		t.Fatal("the rejected admin sees the reason and may resubmit")
	}
	again, err := s.Submit(bg, actorOf(u), form("待驳回公司"))
	if err != nil || again.ID == app.ID || again.State != approval.StateSubmitted {
		t.Fatalf("resubmission: %v", err)
	}
	// Withdrawing returns the tenant to registered.
	if _, err := engine(s).Withdraw(bg, actorOf(u), again.ID); err != nil {
		t.Fatal(err)
	}
	p, _ = partner.Store{DB: g}.Get(bg, u.TenantID())
	if p.Status != partner.StatusRegistered {
		t.Fatalf("after withdraw: %s", p.Status)
	}
}

func TestOnlyTheMainAccountSubmitsOnboarding(t *testing.T) {
	s, _ := svc(t)
	u, err := s.Register(bg, registration(partner.USCCWithCheck(body17())))
	if err != nil {
		t.Fatal(err)
	}
	a := actorOf(u)
	a.IsMain = false
	if _, err := s.Submit(bg, a, form("成员提交")); !apperr.Is(err, apperr.KindForbidden) {
		t.Fatalf("member submitted onboarding: %v", err)
	}
}

// Vendor staff, a customer and the system are refused the onboarding of
// a tenant (load and submit) and change nothing.
func TestOnboardingRefusesPrincipalsOfTheWrongKind(t *testing.T) {
	s, g := svc(t)
	u, err := s.Register(bg, registration(partner.USCCWithCheck(body17())))
	if err != nil {
		t.Fatal(err)
	}
	admin := vendorAdmin(t, g)
	for _, p := range []*access.Principal{admin, access.CustomerUser(u.ID), access.System, nil} {
		if _, err := s.Load(bg, p); !apperr.Is(err, apperr.KindForbidden) {
			t.Fatalf("load by %+v: %v", p, err)
		}
		if _, err := s.Submit(bg, p, form("越权提交")); !apperr.Is(err, apperr.KindForbidden) {
			t.Fatalf("submit by %+v: %v", p, err)
		}
	}
	p, _ := partner.Store{DB: g}.Get(bg, u.TenantID())
	var apps int64
	g.Table("applications").Where("partner_id = ?", u.TenantID()).Count(&apps)
	if p.Status != partner.StatusRegistered || p.Name == "越权提交" || apps != 0 {
		t.Fatalf("a refused principal changed the tenant: %+v, %d applications", p, apps)
	}
}

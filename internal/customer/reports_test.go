package customer

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/i18n"
)

// Seed 003 §12.1.2.4: a report protects the partner's claim for the
// validity period (setting, default 90 days).
func TestReportIsProtectedForTheValidityPeriod(t *testing.T) {
	f := setup(t)
	a := f.tenant(t, 0)
	r := f.report(t, a)
	if r.Status != ReportProtected || !r.ExpiresAt.Equal(f.clk.Now().AddDate(0, 0, 90)) {
		t.Fatalf("got %s until %v", r.Status, r.ExpiresAt)
	}
	if err := f.svc.SetReportValidityDays(ctx, 30); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.svc.SetReportValidityDays(ctx, 90) })
	r2 := f.report(t, a)
	if !r2.ExpiresAt.Equal(f.clk.Now().AddDate(0, 0, 30)) {
		t.Fatalf("validity setting ignored: %v", r2.ExpiresAt)
	}
	wantField(t, f.svc.SetReportValidityDays(ctx, 0), "days", "customer.err.validity_days")
}

// Seed 003 §12.1.2.4 / issue: the same customer (name, credit code, email
// or mobile) reported by another partner within its validity is refused
// with the reason, without naming that partner.
func TestReportOfCustomerProtectedByAnotherPartnerIsRefused(t *testing.T) {
	f := setup(t)
	a, b := f.tenant(t, 0), f.tenant(t, 0)
	r := f.report(t, a)
	n := uniq()
	fresh := func() ReportInput {
		m := uniq()
		return ReportInput{CustomerName: "另一家" + mobileOf(m), Kind: KindPersonal, Mobile: mobileOf(m)}
	}
	cases := map[string]func(*ReportInput){
		"name (case-insensitive)": func(in *ReportInput) { in.CustomerName = strings.ToUpper(r.CustomerName) + "" },
		"credit code": func(in *ReportInput) {
			in.Kind, in.CreditCode = KindEnterprise, *r.CreditCode
		},
		"email":  func(in *ReportInput) { in.Email = strings.ToUpper(r.Email) },
		"mobile": func(in *ReportInput) { in.Mobile = r.Mobile },
	}
	_ = n
	for name, mut := range cases {
		in := fresh()
		mut(&in)
		_, err := f.svc.CreateReport(ctx, b.Main, in)
		wantKey(t, err, apperr.KindConflict, "customer.err.report_protected_other")
		e, _ := apperr.As(err)
		msg := i18n.TL(i18n.ZhCN, e.Key, e.Args)
		if !strings.Contains(msg, dateCN(r.ExpiresAt)) {
			t.Errorf("%s: message %q lacks the protection date", name, msg)
		}
		var pname string
		f.db.Raw(`SELECT name FROM partners WHERE id = ?`, a.ID).Scan(&pname)
		if strings.Contains(msg, pname) {
			t.Errorf("%s: message reveals the partner", name)
		}
	}
	if got := f.count(t, `SELECT count(*) FROM customer_reports WHERE partner_id = ?`, b.ID); got != 0 {
		t.Fatalf("refused reports were stored: %d", got)
	}
}

// Reporting the same customer twice within its validity is a duplicate.
func TestSamePartnerReportingAgainIsDuplicate(t *testing.T) {
	f := setup(t)
	a := f.tenant(t, 0)
	r := f.report(t, a)
	_, err := f.svc.CreateReport(ctx, a.Main, ReportInput{CustomerName: r.CustomerName, Kind: KindPersonal, Mobile: mobileOf(uniq())})
	wantKey(t, err, apperr.KindConflict, "customer.err.report_duplicate")
}

// Once the other partner's protection has ended, the customer may be
// reported again; reads show the old report expired before the sweep.
func TestExpiredReportNoLongerProtectsAndIsSwept(t *testing.T) {
	f := setup(t)
	a, b := f.tenant(t, 0), f.tenant(t, 0)
	r := f.report(t, a)
	f.clk.Advance(90*24*time.Hour + time.Minute)
	got, err := f.svc.GetReport(ctx, a.Main, r.ID)
	if err != nil || got.Effective != ReportExpired || got.Status != ReportProtected {
		t.Fatalf("want computed expiry, got %+v %v", got, err)
	}
	if _, err := f.svc.InviteOnline(ctx, a.Main, r.ID, "x@example.com", ModeResale); err == nil {
		t.Fatal("an expired report must not be invitable")
	}
	if _, err := f.svc.CreateReport(ctx, b.Main, ReportInput{CustomerName: r.CustomerName, Kind: KindPersonal, Mobile: r.Mobile}); err != nil {
		t.Fatalf("report after expiry: %v", err)
	}
	n, _, err := f.svc.Expire(ctx, f.clk.Now())
	if err != nil || n < 1 {
		t.Fatalf("sweep: %d %v", n, err)
	}
	list, err := f.svc.ListReports(ctx, a.Main, ReportFilter{Status: ReportExpired})
	if err != nil || list.Total != 1 || list.Rows[0].ID != r.ID {
		t.Fatalf("expired filter: %+v %v", list, err)
	}
}

func TestReportValidatesFields(t *testing.T) {
	f := setup(t)
	a := f.tenant(t, 0)
	_, err := f.svc.CreateReport(ctx, a.Main, ReportInput{CustomerName: "某公司", Kind: KindEnterprise, Mobile: "12345"})
	wantField(t, err, "credit_code", "customer.err.credit_code_required")
	wantField(t, err, "mobile", "customer.err.mobile")
	_, err = f.svc.CreateReport(ctx, a.Main, ReportInput{CustomerName: "某公司", Kind: KindEnterprise, CreditCode: "91310115MA1K4A2B30", Mobile: "13912345678"})
	wantField(t, err, "credit_code", "customer.err.credit_code")
}

// Seed 001 报备规则: an existing account registered more than 7 days ago
// goes to manual review by the partner's ecosystem manager; approval
// protects the report from the decision and tells the partner.
func TestReportOfAccountRegisteredOver7DaysGoesToManualReviewAndApprovalProtects(t *testing.T) {
	f := setup(t)
	a := f.tenant(t, 0)
	mobile := mobileOf(uniq())
	f.register(t, mobile, nil)
	f.clk.Advance(8 * 24 * time.Hour)
	r, err := f.svc.CreateReport(ctx, a.Main, ReportInput{CustomerName: "老账号客户", Kind: KindPersonal, Mobile: mobile})
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != ReportInReview || r.ApplicationID == nil {
		t.Fatalf("want in review with an application, got %+v", r)
	}
	var app approval.Application
	if err := f.db.First(&app, *r.ApplicationID).Error; err != nil {
		t.Fatal(err)
	}
	if app.Type != ReviewTypeKey || app.State != approval.StateSubmitted || app.ReviewerID == nil || *app.ReviewerID != f.eco {
		t.Fatalf("application: %+v", app)
	}
	if !strings.Contains(app.Checks, ReasonRegistered) {
		t.Fatalf("checks lack the reason: %s", app.Checks)
	}
	// Not invitable while in review.
	if _, err := f.svc.InviteOffline(ctx, a.Main, r.ID, ModeResale); err == nil {
		t.Fatal("in-review report invited")
	}
	f.clk.Advance(24 * time.Hour)
	eng := approval.Engine{DB: f.db, Clock: f.clk}
	if _, err := eng.Approve(ctx, access.VendorStaff(f.eco, "eco_manager"), app.ID, "ok"); err != nil {
		t.Fatal(err)
	}
	got, _ := f.svc.GetReport(ctx, a.Main, r.ID)
	if got.Status != ReportProtected || !got.ExpiresAt.Equal(f.clk.Now().AddDate(0, 0, 90)) {
		t.Fatalf("after approval: %s %v", got.Status, got.ExpiresAt)
	}
	if n := f.count(t, `SELECT count(*) FROM messages WHERE user_id = ? AND subject_key = 'customer.msg.review_approved.subject'`, a.MainID); n != 1 {
		t.Fatalf("partner not notified: %d", n)
	}
}

// Seed 001 报备规则: an unassociated account with cash consumption (a
// positive cash balance) goes to manual review; rejection rejects the report.
func TestReportOfUnassociatedAccountWithCashGoesToReviewAndRejectionRejects(t *testing.T) {
	f := setup(t)
	a := f.tenant(t, 0)
	mobile := mobileOf(uniq())
	_, c := f.register(t, mobile, nil)
	f.db.Model(&Customer{}).Where("id = ?", c.ID).Update("cash_balance", decimal.NewFromInt(120))
	r, err := f.svc.CreateReport(ctx, a.Main, ReportInput{CustomerName: c.Name, Kind: KindPersonal, Mobile: mobile})
	if err != nil || r.Status != ReportInReview {
		t.Fatalf("%+v %v", r, err)
	}
	// While in review another partner is refused too.
	b := f.tenant(t, 0)
	_, err = f.svc.CreateReport(ctx, b.Main, ReportInput{CustomerName: c.Name, Kind: KindPersonal, Mobile: mobileOf(uniq())})
	wantKey(t, err, apperr.KindConflict, "customer.err.report_in_review_other")
	eng := approval.Engine{DB: f.db, Clock: f.clk}
	if _, err := eng.Reject(ctx, access.VendorStaff(f.eco, "eco_manager"), *r.ApplicationID, "直销团队已跟进"); err != nil {
		t.Fatal(err)
	}
	got, _ := f.svc.GetReport(ctx, a.Main, r.ID)
	if got.Status != ReportRejected {
		t.Fatalf("after rejection: %s", got.Status)
	}
	if n := f.count(t, `SELECT count(*) FROM messages WHERE user_id = ? AND subject_key = 'customer.msg.review_rejected.subject'`, a.MainID); n != 1 {
		t.Fatalf("partner not notified of rejection: %d", n)
	}
}

// Seed 001 不能报备: a finance-hosted enterprise sub-account.
func TestFinanceHostedSubAccountCannotBeReported(t *testing.T) {
	f := setup(t)
	a := f.tenant(t, 0)
	_, master := f.register(t, mobileOf(uniq()), nil)
	mobile := mobileOf(uniq())
	f.register(t, mobile, func(in *RegisterInput) { in.EnterpriseMaster, in.FinanceHosted = master.AccountName, true })
	_, err := f.svc.CreateReport(ctx, a.Main, ReportInput{CustomerName: "托管子账号", Kind: KindPersonal, Mobile: mobile})
	wantKey(t, err, apperr.KindConflict, "customer.err.report_hosted_sub")
}

func TestAnotherTenantsReportIsNotFound(t *testing.T) {
	f := setup(t)
	a, b := f.tenant(t, 0), f.tenant(t, 0)
	r := f.report(t, a)
	if _, err := f.svc.GetReport(ctx, b.Main, r.ID); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("got %v", err)
	}
	_, err := f.svc.InviteOnline(ctx, b.Main, r.ID, "x@example.com", ModeResale)
	wantKey(t, err, apperr.KindNotFound, "")
	_, err = f.svc.InviteOffline(ctx, b.Main, r.ID, ModeResale)
	wantKey(t, err, apperr.KindNotFound, "")
	if n := f.count(t, `SELECT count(*) FROM invitations WHERE report_id = ?`, r.ID); n != 0 {
		t.Fatalf("invitations created: %d", n)
	}
	_ = partner.ValidCreditCode
}

package bizinfo

import (
	"bytes"
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
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
	db      *gorm.DB
	svc     Service
	pt      partner.Partner
	main    *access.Principal
	member  *access.Principal
	finance *access.Principal
	other   *access.Principal // another tenant's main account
}

func user(t *testing.T, g *gorm.DB, _ string, pid int64, role string, main bool) int64 {
	t.Helper()
	id, _ := dbtest.User(t, g, pid, role, main)
	return id
}

func company(t *testing.T, g *gorm.DB, name string) partner.Partner {
	t.Helper()
	n := seq.Add(1)
	p := partner.Partner{Name: fmt.Sprintf("%s%d有限公司", name, n), CreditCode: partner.USCCWithCheck(fmt.Sprintf("9131000000%07d", n)),
		Status: partner.StatusActive, Site: "cn"}
	if err := g.Create(&p).Error; err != nil {
		t.Fatal(err)
	}
	return p
}

func setup(t *testing.T) *fx {
	t.Helper()
	g := dbtest.DB(t)
	f := &fx{db: g, svc: Service{DB: g, Clock: clock.NewFixed(time.Date(2029, 6, 4, 2, 0, 0, 0, time.UTC))}}
	f.pt = company(t, g, "认证测试")
	f.main = access.Member(user(t, g, "partner", f.pt.ID, "", true), f.pt.ID, true)
	f.member = access.Member(user(t, g, "partner", f.pt.ID, "", false), f.pt.ID, false)
	f.finance = access.VendorStaff(user(t, g, "vendor", 0, "finance", false), "finance")
	o := company(t, g, "别家")
	f.other = access.Member(user(t, g, "partner", o.ID, "", true), o.ID, true)
	return f
}

func (f *fx) input() Input {
	return Input{SupplierName: f.pt.Name, BankName: "招商银行", AccountNo: "755912345678901", BranchName: "招商银行上海分行",
		BranchNo: "308290003020", AccountName: f.pt.Name, TaxpayerType: TaxpayerGeneral, InvoiceAddress: "上海市浦东新区世纪大道100号",
		InvoicePhone: "021-50001234", FinanceName: "王会计", FinanceMobile: "13800001111", FinanceEmail: "finance@example.cn"}
}

func fieldKey(err error, field string) string {
	if ae, ok := apperr.As(err); ok {
		return ae.Fields[field]
	}
	return ""
}

func (f *fx) state(t *testing.T) *State {
	t.Helper()
	st, err := f.svc.Load(bg, f.main)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// The account must be the company's (§6.2.3, verbatim message), numbers
// well-formed; only the main account submits.
func TestSubmitRefusesPersonalAccountsBadNumbersAndMembers(t *testing.T) {
	f := setup(t)
	in := f.input()
	in.AccountName, in.AccountNo, in.BranchNo, in.FinanceMobile = "王小明", "12ab", "123", "123"
	_, err := f.svc.Submit(bg, f.main, in)
	for field, key := range map[string]string{"account_name": "bizinfo.err.personal_account", "account_no": "bizinfo.err.account_no",
		"branch_no": "bizinfo.err.branch_no", "finance_mobile": "bizinfo.err.mobile"} {
		if got := fieldKey(err, field); got != key {
			t.Errorf("%s: %q, want %q", field, got, key)
		}
	}
	if _, err := f.svc.Submit(bg, f.member, f.input()); !apperr.Is(err, apperr.KindForbidden) {
		t.Fatalf("a member submits: %v", err)
	}
	if st := f.state(t); len(st.History) != 0 {
		t.Fatalf("refused submissions stored: %d", len(st.History))
	}
}

// Without a supplier record the verification certifies; re-certifying
// keeps the old details as the payout target until the new ones are
// certified, and the taxpayer type stays the certified one.
func TestVerificationCertifiesAndRecertificationReplacesOnlyWhenCertified(t *testing.T) {
	f := setup(t)
	info, err := f.svc.Submit(bg, f.main, f.input())
	if err != nil || info.Status != StateVerifying || !info.RandomAmount.IsPositive() {
		t.Fatalf("submitted %+v %v", info, err)
	}
	var jobs int64
	f.db.Table("river_job").Where("kind = 'business_info_verify' AND args->>'id' = ?", fmt.Sprint(info.ID)).Count(&jobs)
	if jobs != 1 {
		t.Fatalf("verification jobs queued: %d", jobs)
	}
	if _, err := f.svc.Submit(bg, f.main, f.input()); !apperr.Is(err, apperr.KindConflict) {
		t.Fatalf("a second submission while verifying: %v", err)
	}
	if err := f.svc.Verify(bg, info.ID); err != nil {
		t.Fatal(err)
	}
	ok, cert, err := Certified(bg, f.db, f.pt.ID)
	if err != nil || !ok || cert.ID != info.ID {
		t.Fatalf("certified: %v %+v %v", ok, cert, err)
	}
	in := f.input()
	in.AccountNo, in.TaxpayerType = "6222020200112233445", TaxpayerSmallScale
	again, err := f.svc.Submit(bg, f.main, in)
	if err != nil {
		t.Fatal(err)
	}
	if again.TaxpayerType != TaxpayerGeneral {
		t.Errorf("taxpayer type changed by the partner to %s", again.TaxpayerType)
	}
	if _, cert, _ := Certified(bg, f.db, f.pt.ID); cert.AccountNo != "755912345678901" {
		t.Fatalf("during re-certification the payout target is %s", cert.AccountNo)
	}
	if err := f.svc.Verify(bg, again.ID); err != nil {
		t.Fatal(err)
	}
	if _, cert, _ := Certified(bg, f.db, f.pt.ID); cert.ID != again.ID {
		t.Fatal("the new details are certified")
	}
	st := f.state(t)
	if st.History[1].Status != StateSuperseded {
		t.Fatalf("the old details: %s", st.History[1].Status)
	}
	// The vendor changes the taxpayer type (§6.2.11).
	if err := f.svc.ChangeTaxpayer(bg, f.finance, again.ID, TaxpayerSmallScale); err != nil {
		t.Fatal(err)
	}
	if _, cert, _ := Certified(bg, f.db, f.pt.ID); cert.TaxpayerType != TaxpayerSmallScale {
		t.Fatal("taxpayer type not changed")
	}
	if err := f.svc.ChangeTaxpayer(bg, f.main, again.ID, TaxpayerGeneral); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("the partner changes its taxpayer type: %v", err)
	}
}

// Details that differ from the vendor's supplier record need a bank
// letter: the vendor drafts it, the partner uploads the stamped scan, the
// vendor refuses (reason) or accepts it.
func TestSupplierMismatchIsCertifiedThroughABankLetter(t *testing.T) {
	f := setup(t)
	if err := f.db.Exec(`INSERT INTO supplier_bank_records (credit_code, supplier_name, bank_name, account_no, branch_no, account_name)
		VALUES (?, ?, '中国银行', '601234567890', '104290003011', ?)`, f.pt.CreditCode, f.pt.Name, f.pt.Name).Error; err != nil {
		t.Fatal(err)
	}
	info, err := f.svc.Submit(bg, f.main, f.input())
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Verify(bg, info.ID); err != nil {
		t.Fatal(err)
	}
	if st := f.state(t); st.Open.Status != StateLetterNeeded || st.Certified != nil {
		t.Fatalf("after verification: %+v", st.Open)
	}
	d, err := f.svc.Get(bg, f.finance, info.ID)
	if err != nil || len(d.Differs) != 3 {
		t.Fatalf("differences: %v %v", d, err)
	}
	if _, err := f.svc.Get(bg, f.main, info.ID); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("a partner reads the vendor desk: %v", err)
	}
	if err := f.svc.UploadLetter(bg, f.main, files.Upload{Name: "函.pdf", Data: []byte("%PDF-1.4 x")}); !apperr.Is(err, apperr.KindConflict) {
		t.Fatalf("upload before the draft: %v", err)
	}
	if err := f.svc.GenerateLetter(bg, f.finance, info.ID); err != nil {
		t.Fatal(err)
	}
	draft, err := f.svc.File(bg, f.main, info.ID, "draft")
	if err != nil || !bytes.HasPrefix(draft.Data, []byte("%PDF")) {
		t.Fatalf("draft: %v", err)
	}
	if _, err := f.svc.File(bg, f.other, info.ID, "draft"); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("another tenant downloads the draft: %v", err)
	}
	if err := f.svc.UploadLetter(bg, f.member, files.Upload{Name: "函.pdf", Data: []byte("%PDF-1.4 x")}); !apperr.Is(err, apperr.KindForbidden) {
		t.Fatalf("a member uploads: %v", err)
	}
	if err := f.svc.UploadLetter(bg, f.main, files.Upload{Name: "函.pdf", Data: []byte("%PDF-1.4 stamped")}); err != nil {
		t.Fatal(err)
	}
	st := f.state(t)
	if st.Open.Status != StateLetterReview || st.Open.LetterDueAt == nil || st.Open.LetterDueAt.In(clock.China).Format(time.DateOnly) != "2029-06-11" {
		t.Fatalf("in review: %+v", st.Open)
	}
	if err := f.svc.DecideLetter(bg, f.finance, info.ID, false, ""); fieldKey(err, "reason") != "bizinfo.err.reason_required" {
		t.Fatalf("refusing without a reason: %v", err)
	}
	if err := f.svc.DecideLetter(bg, f.finance, info.ID, false, "银行函使用了截图粘贴的印章，请使用鲜章后重新上传。"); err != nil {
		t.Fatal(err)
	}
	if st := f.state(t); st.Open.Status != StateLetterPending || st.Open.FailureReason == "" {
		t.Fatalf("refused letter: %+v", st.Open)
	}
	if err := f.svc.UploadLetter(bg, f.main, files.Upload{Name: "函2.pdf", Data: []byte("%PDF-1.4 fresh seal")}); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.DecideLetter(bg, f.finance, info.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	if ok, _, _ := Certified(bg, f.db, f.pt.ID); !ok {
		t.Fatal("certified after the letter")
	}
}

// An account name equal to the company's only once normalised goes to a
// person, who may fail it with a reason; the partner then re-certifies.
func TestNormalisedNameGoesToAReviewer(t *testing.T) {
	f := setup(t)
	in := f.input()
	in.AccountName = f.pt.Name[:6] + " " + f.pt.Name[6:] // "认证 测试…": equal once normalised
	info, err := f.svc.Submit(bg, f.main, in)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Verify(bg, info.ID); err != nil {
		t.Fatal(err)
	}
	if st := f.state(t); st.Open == nil || st.Open.Status != StatePendingManual {
		t.Fatalf("after verification: %+v", st.Latest)
	}
	if err := f.svc.Decide(bg, f.finance, info.ID, false, "账户名称与营业执照不一致"); err != nil {
		t.Fatal(err)
	}
	if st := f.state(t); st.Latest.Status != StateFailed || st.Open != nil {
		t.Fatalf("failed: %+v", st.Latest)
	}
	if _, err := f.svc.Submit(bg, f.main, f.input()); err != nil {
		t.Fatalf("re-certify after a failure: %v", err)
	}
}

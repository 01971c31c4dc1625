package mdf

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
	db  *gorm.DB
	clk *clock.Fixed
	svc Service
	eco *access.Principal
	fin *access.Principal
	eng approval.Engine
}

// setup stops the clock on Monday 2 November 2026, 10:00 China time.
func setup(t *testing.T) *fx {
	t.Helper()
	g := dbtest.DB(t)
	clk := clock.NewFixed(time.Date(2026, 11, 2, 2, 0, 0, 0, time.UTC))
	f := &fx{db: g, clk: clk, svc: Service{DB: g, Clock: clk}, eng: approval.Engine{DB: g, Clock: clk}}
	eid, _ := dbtest.User(t, g, 0, "eco_manager", false)
	f.eco = access.VendorStaff(eid, "eco_manager")
	fid, _ := dbtest.User(t, g, 0, "finance", false)
	f.fin = access.VendorStaff(fid, "finance")
	return f
}

// distributor makes an active master distributor at the address, looked
// after by f.eco, with certified business information unless told not to,
// and returns its main account.
func (f *fx) distributor(t *testing.T, code, address string, certified bool) *access.Principal {
	t.Helper()
	n := seq.Add(1)
	if code == "" {
		code = partner.USCCWithCheck(fmt.Sprintf("9144000000%07d", n+700))
	}
	p := partner.Partner{Name: fmt.Sprintf("MDF测试%d有限公司", n), CreditCode: code, Status: partner.StatusActive, Site: "cn",
		Address: address, EcoManagerID: &f.eco.UserID}
	if err := f.db.Create(&p).Error; err != nil {
		t.Fatal(err)
	}
	if err := (partner.Store{DB: f.db}).AddIdentity(bg, p.ID, access.IdentityMasterDistributor, f.clk.Now()); err != nil {
		t.Fatal(err)
	}
	if certified {
		if err := f.db.Exec(`INSERT INTO business_infos (partner_id, status, supplier_name, bank_name, account_no, branch_name, branch_no,
			account_name, taxpayer_type, invoice_title, tax_id, invoice_address, invoice_phone, finance_name, finance_mobile, finance_email,
			random_amount, submitted_at, certified_at, updated_at) VALUES (?, 'certified', 'MDF测试', '招商银行', '6225880012345678', '上海分行',
			'308290003011', 'MDF测试', 'general', 'MDF测试', ?, '上海', '021-12345678', '王会计', '13800000001',
			'fin@example.cn', 0.37, now(), now(), now())`, p.ID, code).Error; err != nil {
			t.Fatal(err)
		}
	}
	uid, _ := dbtest.User(t, f.db, p.ID, "", true)
	m := access.Member(uid, p.ID, true)
	m.Identities = []string{access.IdentityMasterDistributor}
	return m
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

// usage is a valid form for one event on day (YYYY-MM-DD).
func usage(budget, day string) UsageInput {
	return UsageInput{ActivityType: "customer_seminar", Name: "云原生客户研讨会", Audience: "制造业客户CIO", Department: "华南生态部",
		Location: "深圳", Format: "线下研讨", Solutions: "智慧园区SaaS", Budget: budget, Starts: []string{day}, Ends: []string{day},
		Acknowledged: true}
}

func TestRegionClass(t *testing.T) {
	for addr, want := range map[string]int{"北京市海淀区": 1, "广东省东莞市": 1, "深圳市南山区": 1, "浙江省杭州市": 2, "杭州市西湖区": 2,
		"重庆市渝中区": 2, "云南省昆明市": 3, "": 3, "新疆乌鲁木齐": 3, "天津市和平区南京路": 3, "沈阳市和平区北京街": 3, "中国上海市": 1} {
		if got := RegionClass(addr); got != want {
			t.Errorf("%q: class %d, want %d", addr, got, want)
		}
	}
}

// The quota (§10.5.3, §10.5.8): a class-3 master distributor has
// ¥200,000, a class-1 one ¥300,000; business information must be certified
// (前往商业信息认证); a usage occupies its budget, a rejection releases it;
// more than remains is refused; two accounts of one entity share it.
func TestQuotaOccupiedAndReleased(t *testing.T) {
	f := setup(t)
	if st, _ := f.svc.Standing(bg, f.distributor(t, "", "黑龙江省哈尔滨市", false)); st.Refusal != ErrBizinfo || !st.Cap.Equal(decimal.NewFromInt(200000)) {
		t.Fatalf("uncertified class 3: %+v", st)
	}
	code := partner.USCCWithCheck(fmt.Sprintf("9144000000%07d", seq.Add(1)+900))
	a := f.distributor(t, code, "上海市浦东新区", true)
	b := f.distributor(t, code, "上海市浦东新区", true)
	st, err := f.svc.Standing(bg, a)
	if err != nil || st.Refusal != "" || st.Region != 1 || !st.Cap.Equal(decimal.NewFromInt(300000)) {
		t.Fatalf("class 1: %+v %v", st, err)
	}
	first, err := f.svc.Apply(bg, a, usage("250000", "2026-11-30"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Apply(bg, b, usage("60000", "2026-11-30")); key(err) != ErrOverQuota {
		t.Fatalf("over the entity's quota from its other account: %v", err)
	}
	st, _ = f.svc.Standing(bg, b)
	if !st.Occupied.Equal(decimal.NewFromInt(250000)) || !st.Remaining.Equal(decimal.NewFromInt(50000)) {
		t.Fatalf("occupied: %+v", st)
	}
	if _, err := f.eng.Reject(bg, f.eco, *first.ApplicationID, "活动形式不符"); err != nil {
		t.Fatal(err)
	}
	if st, _ = f.svc.Standing(bg, a); !st.Occupied.IsZero() || !st.Remaining.Equal(st.Cap) {
		t.Fatalf("after the rejection: %+v", st)
	}
	if err := f.db.Exec(`INSERT INTO mdf_violations (entity_key, year, reason, flagged_at) VALUES (?, 2026, '虚报费用', now())`, code).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Apply(bg, a, usage("1000", "2026-11-30")); key(err) != ErrViolation {
		t.Fatalf("a flagged entity: %v", err)
	}
}

// The 10 working days of §10.5.4, across a holiday: submitted Monday 2
// November with Friday 6 November a holiday, the 10th working day after is
// Tuesday 17 November; an event that day needs a late reason, one on the
// 18th does not. A series spans at most a quarter; this year's budget
// holds events until 31 January next year.
func TestUsageDateRules(t *testing.T) {
	f := setup(t)
	a := f.distributor(t, "", "成都市高新区", true)
	if err := f.db.Exec(`INSERT INTO calendar_days (day, kind) VALUES ('2026-11-06', 'holiday') ON CONFLICT DO NOTHING`).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Apply(bg, a, usage("1000", "2026-11-17")); field(err, "late_reason") != "mdf.err.late_reason" {
		t.Fatalf("on the 10th working day without a reason: %v", err)
	}
	in := usage("1000", "2026-11-17")
	in.LateReason = "客户临时确定日期"
	if u, err := f.svc.Apply(bg, a, in); err != nil || u.LateReason == "" {
		t.Fatalf("with the reason: %+v %v", u, err)
	}
	if u, err := f.svc.Apply(bg, a, usage("1000", "2026-11-18")); err != nil || u.LateReason != "" {
		t.Fatalf("the day after: %v", err)
	}
	series := usage("1000", "2026-11-20")
	series.Starts, series.Ends = []string{"2026-11-20", "2027-02-21"}, []string{"2026-11-20", "2027-02-21"}
	if _, err := f.svc.Apply(bg, a, series); field(err, "events") != "mdf.err.quarter" {
		t.Fatalf("a series over a quarter: %v", err)
	}
	series.Starts, series.Ends = []string{"2026-12-20", "2027-02-01"}, []string{"2026-12-20", "2027-02-01"}
	if _, err := f.svc.Apply(bg, a, series); field(err, "events") != "mdf.err.january" {
		t.Fatalf("an event after 31 January: %v", err)
	}
	series.Starts, series.Ends = []string{"2026-12-20", "2027-01-31"}, []string{"2026-12-20", "2027-01-31"}
	if _, err := f.svc.Apply(bg, a, series); err != nil {
		t.Fatalf("an event on 31 January: %v", err)
	}
	no := usage("1000", "2026-11-30")
	no.Acknowledged = false
	if _, err := f.svc.Apply(bg, a, no); field(err, "acknowledged") == "" {
		t.Fatal("without the acknowledgement")
	}
}

// On 1 January the applications still in review are rejected with
// "未在12月31日前通过审批" and their budget released; on 31 December at
// 23:59 China time they are not.
func TestYearEndRejectsOpenApplications(t *testing.T) {
	f := setup(t)
	a := f.distributor(t, "", "武汉市", true)
	open, err := f.svc.Apply(bg, a, usage("5000", "2026-12-20"))
	if err != nil {
		t.Fatal(err)
	}
	approved, err := f.svc.Apply(bg, a, usage("7000", "2026-12-21"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.eng.Approve(bg, f.eco, *approved.ApplicationID, ""); err != nil {
		t.Fatal(err)
	}
	late, err := f.svc.Apply(bg, a, usage("3000", "2026-12-22"))
	if err != nil {
		t.Fatal(err)
	}
	f.clk.Advance(time.Date(2026, 12, 31, 15, 59, 0, 0, time.UTC).Sub(f.clk.Now()))
	if n, err := f.svc.CloseYear(bg); err != nil || n != 0 {
		t.Fatalf("on 31 December: %d %v", n, err)
	}
	f.clk.Advance(time.Minute)
	// Approved at 00:00 on 1 January, before the job: refused all the same.
	if _, err := f.eng.Approve(bg, f.eco, *late.ApplicationID, ""); key(err) != "mdf.err.year_closed" {
		t.Fatalf("approved on 1 January: %v", err)
	}
	// (Other tests' applications of 2026 may be rejected with it.)
	if n, err := f.svc.CloseYear(bg); err != nil || n < 1 {
		t.Fatalf("on 1 January: %d %v", n, err)
	}
	var app approval.Application
	f.db.First(&app, *open.ApplicationID)
	if app.State != approval.StateRejected || app.DecisionComment != YearEndReason {
		t.Fatalf("the open application: %s %q", app.State, app.DecisionComment)
	}
	var q Quota
	f.db.First(&q, open.QuotaID)
	if !q.Occupied.Equal(decimal.NewFromInt(7000)) {
		t.Fatalf("occupied after the year end: %s", q.Occupied)
	}
}

func doc(name string) []files.Upload {
	return []files.Upload{{Name: name, Data: []byte("%PDF-1.4\n" + name + "\n%%EOF\n")}}
}

func materials() map[string][]files.Upload {
	return map[string][]files.Upload{MatProof: doc("照片.pdf"), MatReceipt: doc("水单.pdf"), MatInvoice: doc("发票.pdf"), MatSummary: doc("总结.pdf")}
}

// A claim (§10.5.10–10.5.17): not before the activity ended; one per
// activity (anti-splitting); at most the budget; the materials required;
// 90 days after the last day on both sides (then the extension e-mail);
// approval uses the amount and returns the rest; the invoice must equal the
// 开票清单; finance pays once per key.
func TestClaimThroughPayment(t *testing.T) {
	f := setup(t)
	a := f.distributor(t, "", "西安市", true)
	u, err := f.svc.Apply(bg, a, usage("80000", "2026-11-30"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SaveClaim(bg, a, u.ID, ClaimInput{Amount: "1000"}); key(err) != "mdf.err.not_approved" {
		t.Fatalf("a claim before approval: %v", err)
	}
	if _, err := f.eng.Approve(bg, f.eco, *u.ApplicationID, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SaveClaim(bg, a, u.ID, ClaimInput{Amount: "1000"}); key(err) != ErrClaimEarly {
		t.Fatalf("a claim before the activity ended: %v", err)
	}
	f.clk.Advance(time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC).Sub(f.clk.Now()))
	if _, err := f.svc.SaveClaim(bg, a, u.ID, ClaimInput{Amount: "80000.01"}); field(err, "amount") != ErrOverBudget {
		t.Fatalf("over the budget: %v", err)
	}
	c, err := f.svc.SaveClaim(bg, a, u.ID, ClaimInput{Amount: "62000", Uploads: map[string][]files.Upload{MatProof: doc("照片.pdf")}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SubmitClaim(bg, a, c.ID); field(err, "files_receipt") != "mdf.err.material" {
		t.Fatalf("without the receipts: %v", err)
	}
	if _, err := f.svc.SaveClaim(bg, a, u.ID, ClaimInput{Amount: "62000", Uploads: materials()}); err != nil {
		t.Fatal(err)
	}
	// 90 days after 30 November is 28 February: submitting on 1 March
	// needs the extension e-mail.
	f.clk.Advance(time.Date(2027, 3, 1, 2, 0, 0, 0, time.UTC).Sub(f.clk.Now()))
	if _, err := f.svc.SubmitClaim(bg, a, c.ID); key(err) != ErrClaimLate {
		t.Fatalf("on day 91: %v", err)
	}
	f.clk.Advance(-24 * time.Hour)
	if _, err := f.svc.SubmitClaim(bg, a, c.ID); err != nil {
		t.Fatalf("on day 90: %v", err)
	}
	if _, err := f.svc.SaveClaim(bg, a, u.ID, ClaimInput{Amount: "100"}); key(err) != ErrSplit {
		t.Fatalf("a second claim for the activity: %v", err)
	}
	f.db.First(c, c.ID)
	if _, err := f.eng.Approve(bg, f.eco, *c.ApplicationID, ""); err != nil {
		t.Fatal(err)
	}
	var q Quota
	f.db.First(&q, u.QuotaID)
	if !q.Occupied.IsZero() || !q.Used.Equal(decimal.NewFromInt(62000)) {
		t.Fatalf("after the claim: occupied %s used %s (the unused 18,000 returned)", q.Occupied, q.Used)
	}
	up := doc("发票.pdf")[0]
	if err := f.svc.RegisterInvoice(bg, a, c.ID, InvoiceInput{No: "04400123", Amount: "62000.01", File: &up}); field(err, "invoice_amount") != ErrInvoice {
		t.Fatalf("an invoice that differs from the billing list: %v", err)
	}
	if err := f.svc.RegisterInvoice(bg, a, c.ID, InvoiceInput{No: "04400123", Amount: "62000", File: &up}); err != nil {
		t.Fatal(err)
	}
	// The same invoice for another activity's claim is refused.
	u2, err := f.svc.Apply(bg, a, usage("1000", "2027-03-31"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.eng.Approve(bg, f.eco, *u2.ApplicationID, ""); err != nil {
		t.Fatal(err)
	}
	f.clk.Advance(40 * 24 * time.Hour)
	c2, err := f.svc.SaveClaim(bg, a, u2.ID, ClaimInput{Amount: "900", Uploads: materials()})
	if err != nil {
		t.Fatal(err)
	}
	if c2, err = f.svc.SubmitClaim(bg, a, c2.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.eng.Approve(bg, f.eco, *c2.ApplicationID, ""); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.RegisterInvoice(bg, a, c2.ID, InvoiceInput{No: "04400123", Amount: "900", File: &up}); field(err, "invoice_no") != "mdf.err.invoice_used" {
		t.Fatalf("one invoice for two claims: %v", err)
	}
	// Finance returns the invoice and the partner registers it again; the
	// desk form of the return (same key) then pays: a key replays only the
	// step it made.
	if err := f.svc.ReturnInvoice(bg, f.fin, c.ID, "抬头有误", "mdf-pay-key-0000001"); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.RegisterInvoice(bg, a, c.ID, InvoiceInput{No: "04400124", Amount: "62000", File: &up}); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Pay(bg, f.fin, c.ID, "", "mdf-pay-key-0000001"); field(err, "payment_ref") == "" {
		t.Fatal("paid without a reference")
	}
	for range 2 {
		if err := f.svc.Pay(bg, f.fin, c.ID, "CMB20270301001", "mdf-pay-key-0000001"); err != nil {
			t.Fatalf("pay (twice with one key): %v", err)
		}
	}
	var status string
	f.db.Raw(`SELECT status FROM mdf_claims WHERE id = ?`, c.ID).Scan(&status)
	if status != ClaimPaid {
		t.Fatalf("the claim after the pay: %s, want paid", status)
	}
	if err := f.svc.Pay(bg, f.fin, c.ID, "CMB20270301002", "mdf-pay-key-0000002"); key(err) != "mdf.err.state" {
		t.Fatalf("paid again with another key: %v", err)
	}
	if err := f.svc.Pay(bg, a, c.ID, "x", "mdf-pay-key-0000003"); !apperr.Is(err, apperr.KindForbidden) {
		t.Fatalf("a partner paid: %v", err)
	}
}

// A late claim goes with the extension e-mail; a draft untouched for 45
// days is deleted, one touched 44 days ago is kept.
func TestLateClaimAndStaleDrafts(t *testing.T) {
	f := setup(t)
	a := f.distributor(t, "", "郑州市", true)
	u1, _ := f.svc.Apply(bg, a, usage("1000", "2026-11-30"))
	u2, _ := f.svc.Apply(bg, a, usage("1000", "2026-11-30"))
	for _, u := range []*Usage{u1, u2} {
		if _, err := f.eng.Approve(bg, f.eco, *u.ApplicationID, ""); err != nil {
			t.Fatal(err)
		}
	}
	f.clk.Advance(time.Date(2027, 4, 1, 2, 0, 0, 0, time.UTC).Sub(f.clk.Now()))
	ext := doc("延期批复.pdf")[0]
	c, err := f.svc.SaveClaim(bg, a, u1.ID, ClaimInput{Amount: "800", Uploads: materials(), Extension: &ext})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SubmitClaim(bg, a, c.ID); err != nil {
		t.Fatalf("late with the extension: %v", err)
	}
	d, err := f.svc.SaveClaim(bg, a, u2.ID, ClaimInput{Amount: "500", Uploads: map[string][]files.Upload{MatProof: doc("照片.pdf")}})
	if err != nil {
		t.Fatal(err)
	}
	f.clk.Advance(44 * 24 * time.Hour)
	var left int64
	if _, err := f.svc.DropStaleDrafts(bg); err != nil {
		t.Fatal(err)
	}
	if f.db.Model(&Claim{}).Where("id = ?", d.ID).Count(&left); left != 1 {
		t.Fatal("dropped after 44 days")
	}
	f.clk.Advance(24*time.Hour + time.Second)
	if _, err := f.svc.DropStaleDrafts(bg); err != nil {
		t.Fatal(err)
	}
	f.db.Model(&Claim{}).Where("id = ?", d.ID).Count(&left)
	if left != 0 {
		t.Fatal("the stale draft is still there")
	}
}

// Many usage applications of one entity at once never occupy more than
// the cap (-race).
func TestConcurrentUsagesNeverExceedTheCap(t *testing.T) {
	f := setup(t)
	code := partner.USCCWithCheck(fmt.Sprintf("9144000000%07d", seq.Add(1)+950))
	accs := []*access.Principal{f.distributor(t, code, "长沙市", true), f.distributor(t, code, "长沙市", true)}
	var wg sync.WaitGroup
	var won atomic.Int32
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.svc.Apply(bg, accs[i%2], usage("70000", "2026-11-30"))
			switch {
			case err == nil:
				won.Add(1)
			case key(err) == ErrOverQuota:
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	st, _ := f.svc.Standing(bg, accs[0])
	if won.Load() != 4 || !st.Occupied.Equal(decimal.NewFromInt(280000)) || st.Occupied.GreaterThan(st.Cap) {
		t.Fatalf("won %d, occupied %s of %s", won.Load(), st.Occupied, st.Cap)
	}
}

// The quotas agree with their applications and claims after the flows
// above, and a tampered quota is found (check ledger).
func TestQuotaCheck(t *testing.T) {
	f := setup(t)
	a := f.distributor(t, "", "宁波市", true)
	u, err := f.svc.Apply(bg, a, usage("12000", "2026-11-30"))
	if err != nil {
		t.Fatal(err)
	}
	diffs, err := Check(bg, f.db)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range diffs {
		t.Errorf("unexpected: %s", d)
	}
	if err := f.db.Exec(`UPDATE mdf_quotas SET occupied = occupied + 1 WHERE id = ?`, u.QuotaID).Error; err != nil {
		t.Fatal(err)
	}
	if diffs, _ := Check(bg, f.db); len(diffs) != 1 {
		t.Fatalf("a tampered quota: %v", diffs)
	}
	f.db.Exec(`UPDATE mdf_quotas SET occupied = occupied - 1 WHERE id = ?`, u.QuotaID)
}

package performance

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"partnercenter/internal/access"
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
	db  *gorm.DB
	clk *clock.Fixed
	svc Service
	eco *access.Principal
}

func cst(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, clock.China) }

func setup(t *testing.T) *fx {
	t.Helper()
	g := dbtest.DB(t)
	clk := clock.NewFixed(cst(2029, 6, 10, 21))
	f := &fx{db: g, clk: clk, svc: Service{DB: g, Clock: clk}}
	id, _ := dbtest.User(t, g, 0, "eco_manager", false)
	f.eco = access.VendorStaff(id, "eco_manager")
	return f
}

func (f *fx) partner(t *testing.T, parent *int64) int64 {
	t.Helper()
	n := seq.Add(1)
	p := partner.Partner{Name: fmt.Sprintf("业绩测试%d", n), CreditCode: partner.USCCWithCheck(fmt.Sprintf("9133000000%07d", n)),
		Status: partner.StatusActive, Site: "cn", ParentPartnerID: parent, EcoManagerID: &f.eco.UserID}
	if err := f.db.Create(&p).Error; err != nil {
		t.Fatal(err)
	}
	return p.ID
}

// line imports one consumption line (cash, card and voucher parts of a
// charged amount; negative for a refund).
func (f *fx) line(t *testing.T, pid int64, product string, at time.Time, cash, card, voucher string) {
	t.Helper()
	c, k, v := decimal.RequireFromString(cash), decimal.RequireFromString(card), decimal.RequireFromString(voucher)
	total := c.Add(k).Add(v)
	bill := "consumption"
	if total.IsNegative() {
		bill = "refund"
	}
	period := time.Date(at.In(clock.China).Year(), at.In(clock.China).Month(), 1, 0, 0, 0, 0, time.UTC)
	if err := f.db.Exec(`INSERT INTO consumption_records (partner_id, customer_id, mode, bill_type, billing_period, transaction_at,
		signing_entity, product_type, billing_mode, list_price, amount_payable, charged_amount, rounding_off, cash_paid, card_paid,
		voucher_paid, source_ref) VALUES (?, -1, 'resale', ?, ?, ?, 'software', ?, 'on_demand', ?, ?, ?, 0, ?, ?, ?, ?)`,
		pid, bill, period, at, product, total, total, total, c, k, v, fmt.Sprintf("perf-%d", seq.Add(1))).Error; err != nil {
		t.Fatal(err)
	}
}

func (f *fx) summary(t *testing.T, pid int64, period time.Time) *Summary {
	t.Helper()
	var s []Summary
	if err := f.db.Where("partner_id = ? AND period = ?", pid, period).Find(&s).Error; err != nil {
		t.Fatal(err)
	}
	if len(s) == 0 {
		return nil
	}
	return &s[0]
}

func (f *fx) records(t *testing.T, pid int64) []Record {
	t.Helper()
	var rs []Record
	if err := f.db.Where("partner_id = ?", pid).Order("consumption_id").Find(&rs).Error; err != nil {
		t.Fatal(err)
	}
	return rs
}

var june = time.Date(2029, 6, 1, 0, 0, 0, 0, time.UTC)

// §12.1.5.1–2, R28, R75: cash and stored-value-card spend count, vouchers
// and card purchases do not, refunds are negative, a reseller's line is its
// master distributor's; lines form the evening after their day (§12.1.5.42).
func TestFormationRuleAndTiming(t *testing.T) {
	f := setup(t)
	sp := f.partner(t, nil)
	md := f.partner(t, nil)
	cr := f.partner(t, &md)
	f.line(t, sp, "云服务器 ECS", cst(2029, 6, 9, 10), "100.50", "20.00", "30.00")
	f.line(t, sp, "云服务器 ECS", cst(2029, 6, 9, 11), "-10.00", "0", "0")
	f.line(t, sp, StoredValueCard, cst(2029, 6, 9, 12), "500.00", "0", "0")
	f.line(t, sp, "对象存储 OBS", cst(2029, 6, 9, 13), "0", "0", "40.00")
	f.line(t, cr, "云数据库 RDS", cst(2029, 6, 8, 9), "60.00", "0", "0")
	f.line(t, sp, "云服务器 ECS", cst(2029, 6, 10, 10), "7.00", "0", "0") // today: tomorrow evening
	if _, err := f.svc.Form(bg); err != nil {
		t.Fatal(err)
	}
	rs := f.records(t, sp)
	if len(rs) != 2 || !rs[0].Amount.Equal(decimal.RequireFromString("120.5")) || !rs[1].Amount.Equal(decimal.RequireFromString("-10")) {
		t.Fatalf("SP records %+v", rs)
	}
	if s := f.summary(t, sp, june); s == nil || s.Status != StateEstimate || !s.Total.Equal(decimal.RequireFromString("110.5")) || s.Lines != 2 {
		t.Fatalf("SP summary %+v", s)
	}
	mdr := f.records(t, md)
	if len(mdr) != 1 || mdr[0].ResellerPartnerID == nil || *mdr[0].ResellerPartnerID != cr || !mdr[0].Amount.Equal(decimal.RequireFromString("60")) {
		t.Fatalf("MD records %+v", mdr)
	}
	if len(f.records(t, cr)) != 0 {
		t.Fatal("a reseller has performance of its own")
	}
	pending := func() (n int64) {
		f.db.Raw(`SELECT count(*) FROM performance_pending`).Scan(&n)
		return n
	}
	if n := pending(); n != 1 {
		t.Fatalf("today's line waits in performance_pending: %d", n)
	}
	// A line of yesterday imported after today's: formed at once, while
	// today's still waits (the low-water mark moved past it).
	f.line(t, sp, "云服务器 ECS", cst(2029, 6, 9, 15), "3.00", "0", "0")
	if _, err := f.svc.Form(bg); err != nil {
		t.Fatal(err)
	}
	if s := f.summary(t, sp, june); !s.Total.Equal(decimal.RequireFromString("113.5")) || len(f.records(t, sp)) != 3 || pending() != 1 {
		t.Fatalf("a second run: %+v, pending %d", s, pending())
	}
	f.clk.Advance(23 * time.Hour) // 2029-06-11 20:00 China
	if _, err := f.svc.Form(bg); err != nil {
		t.Fatal(err)
	}
	if s := f.summary(t, sp, june); !s.Total.Equal(decimal.RequireFromString("120.5")) || s.Lines != 4 || pending() != 0 {
		t.Fatalf("the next evening: %+v, pending %d", s, pending())
	}
	if diffs, err := Check(bg, f.db); err != nil || len(diffs) > 0 {
		t.Fatalf("check: %v %v", diffs, err)
	}
}

// §12.1.5.3: 预估 → 初稿 on the 1st → 公示中 (vendor, end date) → 公示结束 →
// 终稿; a late line of a published month counts in the running month (R44).
func TestSummaryStates(t *testing.T) {
	f := setup(t)
	sp := f.partner(t, nil)
	f.line(t, sp, "云服务器 ECS", cst(2029, 6, 9, 10), "50", "0", "0")
	if _, err := f.svc.Form(bg); err != nil {
		t.Fatal(err)
	}
	s := f.summary(t, sp, june)
	if err := f.svc.Publish(bg, f.eco, s.ID, "2029-07-10"); apperr.Is(err, apperr.KindNotFound) || err == nil {
		t.Fatalf("publishing a running month: %v", err)
	}
	f.clk.Advance(21 * 24 * time.Hour) // 2029-07-01 21:00
	if _, err := f.svc.CloseMonths(bg); err != nil {
		t.Fatal(err)
	}
	if s = f.summary(t, sp, june); s.Status != StateDraft {
		t.Fatalf("after the month: %s", s.Status)
	}
	if err := f.svc.Publish(bg, f.eco, s.ID, "2029-07-01"); err == nil {
		t.Fatal("a publicity ending today")
	}
	other := access.VendorStaff(f.eco.UserID+100000, "eco_manager")
	if err := f.svc.Publish(bg, other, s.ID, "2029-07-10"); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("another manager publishes: %v", err)
	}
	if err := f.svc.Publish(bg, f.eco, s.ID, "2029-07-10"); err != nil {
		t.Fatal(err)
	}
	// A June line imported late forms in July.
	f.line(t, sp, "云服务器 ECS", cst(2029, 6, 30, 23), "9", "0", "0")
	if _, err := f.svc.Form(bg); err != nil {
		t.Fatal(err)
	}
	july := time.Date(2029, 7, 1, 0, 0, 0, 0, time.UTC)
	if j := f.summary(t, sp, july); j == nil || !j.Total.Equal(decimal.RequireFromString("9")) {
		t.Fatalf("the late line: %+v", j)
	}
	if s = f.summary(t, sp, june); !s.Total.Equal(decimal.RequireFromString("50")) {
		t.Fatalf("a published month changed: %+v", s)
	}
	if err := f.svc.Finalize(bg, f.eco, s.ID); err == nil {
		t.Fatal("finalised during publicity")
	}
	f.clk.Advance(10 * 24 * time.Hour) // 2029-07-11
	if _, err := f.svc.EndPublicity(bg); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Finalize(bg, f.eco, s.ID); err != nil {
		t.Fatal(err)
	}
	if s = f.summary(t, sp, june); s.Status != StateFinal || s.FinalizedAt == nil {
		t.Fatalf("final: %+v", s)
	}
}

// A cloud reseller has no 业绩管理 (§12.3.4); a member sees its tenant's
// summaries only.
func TestResellerHasNoPerformancePages(t *testing.T) {
	f := setup(t)
	md := f.partner(t, nil)
	cr := f.partner(t, &md)
	p := access.Member(1, cr, true)
	p.Identities = []string{access.IdentityCloudReseller}
	if _, err := f.svc.Summaries(bg, p, ""); !apperr.Is(err, apperr.KindForbidden) {
		t.Fatalf("reseller: %v", err)
	}
}

// 问题反馈 (§12.1.5.3): on a running summary it reaches the ecosystem
// manager's inbox; after 公示结束 it is refused with the seed's sentence.
func TestFeedbackOpenUntilPublicityEnds(t *testing.T) {
	f := setup(t)
	sp := f.partner(t, nil)
	uid, _ := dbtest.User(t, f.db, sp, "", true)
	main := access.Member(uid, sp, true)
	f.line(t, sp, "云服务器 ECS", cst(2029, 6, 9, 10), "50", "0", "0")
	if _, err := f.svc.Form(bg); err != nil {
		t.Fatal(err)
	}
	s := f.summary(t, sp, june)
	if _, err := f.svc.Feedback(bg, main, s.ID, 0, "  ", nil); err == nil {
		t.Fatal("an empty opinion")
	}
	app, err := f.svc.Feedback(bg, main, s.ID, 0, "6月业绩少计了一笔包年订单", nil)
	if err != nil {
		t.Fatal(err)
	}
	if app.ReviewerID == nil || *app.ReviewerID != f.eco.UserID {
		t.Fatalf("feedback reviewer %v, want the partner's ecosystem manager", app.ReviewerID)
	}
	other := access.Member(uid+1000000, sp+1000000, true)
	if _, err := f.svc.Feedback(bg, other, s.ID, 0, "x", nil); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("another tenant's summary: %v", err)
	}
	f.clk.Advance(21 * 24 * time.Hour)
	if _, err := f.svc.CloseMonths(bg); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Publish(bg, f.eco, s.ID, "2029-07-05"); err != nil {
		t.Fatal(err)
	}
	f.clk.Advance(5 * 24 * time.Hour)
	if _, err := f.svc.EndPublicity(bg); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Feedback(bg, main, s.ID, 0, "还有疑问", nil)
	if ae, ok := apperr.As(err); !ok || ae.Key != ErrFinalized {
		t.Fatalf("after publicity: %v", err)
	}
}

// §12.1.8: indicators by year, quarter and month, per customer for the
// customer dimension, and the year-on-year growth rate derived from the
// annual one; a recompute after more performance updates the values.
func TestIndicatorsFollowPerformance(t *testing.T) {
	f := setup(t)
	sp := f.partner(t, nil)
	f.line(t, sp, "云服务器 ECS", cst(2028, 5, 9, 10), "100", "0", "0")
	f.line(t, sp, "云服务器 ECS", cst(2029, 2, 9, 10), "120", "0", "0")
	f.line(t, sp, "云服务器 ECS", cst(2029, 5, 9, 10), "30.01", "0", "0")
	if _, err := f.svc.Form(bg); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ComputeIndicators(bg); err != nil {
		t.Fatal(err)
	}
	value := func(name, code string) string {
		var v []string
		f.db.Raw(`SELECT i.value::text FROM indicators i JOIN indicator_definitions d ON d.id = i.definition_id
			WHERE i.partner_id = ? AND d.name = ? AND i.period_code = ?`, sp, name, code).Scan(&v)
		return strings.Join(v, ",")
	}
	for _, c := range []struct{ name, code, want string }{
		{"汇总-年度业绩", "2028Y", "100.00"},
		{"汇总-年度业绩", "2029Y", "150.01"},
		{"汇总-季度业绩", "2029Q1", "120.00"},
		{"汇总-季度业绩", "2029Q2", "30.01"},
		{"汇总-月度业绩", "2029M5", "30.01"},
		{"价值新客-客户月度业绩", "2029M2", "120.00"},
		{"汇总-年度业绩增长率", "2029Y", "50.01"},
	} {
		if got := value(c.name, c.code); got != c.want {
			t.Errorf("%s %s = %q, want %s", c.name, c.code, got, c.want)
		}
	}
	f.clk.Advance(24 * time.Hour)
	f.line(t, sp, "云服务器 ECS", cst(2029, 6, 10, 10), "49.99", "0", "0")
	if _, err := f.svc.Form(bg); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ComputeIndicators(bg); err != nil {
		t.Fatal(err)
	}
	if got := value("汇总-年度业绩增长率", "2029Y"); got != "100.00" {
		t.Fatalf("growth after more performance: %s", got)
	}
}

// §12.1.5.1–2, §12.1.5.37: a cash coupon that forms no performance is not
// cash, and a curated-mall item forms none.
func TestCouponsAndCuratedMallFormNoPerformance(t *testing.T) {
	f := setup(t)
	sp := f.partner(t, nil)
	ins := func(ref string, cash, coupon string, mall bool) {
		t.Helper()
		c, k := decimal.RequireFromString(cash), decimal.RequireFromString(coupon)
		total := c.Add(k)
		if err := f.db.Exec(`INSERT INTO consumption_records (partner_id, customer_id, mode, bill_type, billing_period, transaction_at,
			signing_entity, product_type, billing_mode, list_price, amount_payable, charged_amount, rounding_off, cash_paid, coupon_paid,
			curated_mall, source_ref) VALUES (?, -1, 'consulting', 'consumption', ?, ?, 'software', '云服务器 ECS', 'on_demand', ?, ?, ?, 0, ?, ?, ?, ?)`,
			sp, june, cst(2029, 6, 9, 10), total, total, total, c, k, mall, ref+fmt.Sprint(seq.Add(1))).Error; err != nil {
			t.Fatal(err)
		}
	}
	ins("coupon", "60.00", "40.00", false) // 100 charged, 40 by a non-counting coupon
	ins("mall", "80.00", "0", true)        // a curated-mall item
	if _, err := f.svc.Form(bg); err != nil {
		t.Fatal(err)
	}
	rs := f.records(t, sp)
	if len(rs) != 1 || !rs[0].Amount.Equal(decimal.RequireFromString("60")) {
		t.Fatalf("records %+v", rs)
	}
}

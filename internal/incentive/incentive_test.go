package incentive

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/consumption"
	"partnercenter/internal/ledger"
	"partnercenter/internal/partner"
	"partnercenter/internal/performance"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/dbtest"
	"partnercenter/internal/platform/money"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var (
	seq = atomic.Int64{}
	bg  = context.Background()
)

type fx struct {
	db   *gorm.DB
	clk  *clock.Fixed
	perf performance.Service
	svc  Service
	eco  *access.Principal
}

func cst(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, clock.China) }

func setup(t *testing.T, now time.Time) *fx {
	t.Helper()
	g := dbtest.DB(t)
	clk := clock.NewFixed(now)
	f := &fx{db: g, clk: clk, perf: performance.Service{DB: g, Clock: clk}, svc: Service{DB: g, Clock: clk}}
	id, _ := dbtest.User(t, g, 0, "vendor_admin", false)
	f.eco = access.VendorStaff(id, "vendor_admin")
	// Only the policies a test creates.
	if err := g.Exec(`UPDATE incentive_policies SET active = false`).Error; err != nil {
		t.Fatal(err)
	}
	return f
}

// partner creates an active partner in a programme (level: the SP level;
// "md" makes it a master distributor).
func (f *fx) partner(t *testing.T, level string) (int64, *access.Principal) {
	t.Helper()
	n := seq.Add(1)
	p := partner.Partner{Name: fmt.Sprintf("激励测试%d", n), CreditCode: partner.USCCWithCheck(fmt.Sprintf("9144000000%07d", n)),
		Status: partner.StatusActive, Site: "cn", EcoManagerID: &f.eco.UserID}
	if err := f.db.Create(&p).Error; err != nil {
		t.Fatal(err)
	}
	prog, lvl := access.IdentitySolutionProvider, level
	if level == "md" {
		prog, lvl = access.IdentityMasterDistributor, ""
	}
	md, class := "", any(nil)
	if prog == access.IdentityMasterDistributor {
		md, class = "national", 1
	}
	if err := f.db.Exec(`INSERT INTO program_memberships (partner_id, program, status, level, md_type, region_class, joined_at,
		valid_until, certificate_no, created_at, updated_at) VALUES (?, ?, 'active', ?, ?, ?, now(), now() + interval '1 year', ?, now(), now())`,
		p.ID, prog, lvl, md, class, fmt.Sprintf("CERT-%d", n)).Error; err != nil {
		t.Fatal(err)
	}
	if err := f.db.Exec(`INSERT INTO partner_identities (partner_id, identity) VALUES (?, ?)`, p.ID, prog).Error; err != nil {
		t.Fatal(err)
	}
	uid, _ := dbtest.User(t, f.db, p.ID, "", true)
	m := access.Member(uid, p.ID, true)
	m.Identities = []string{prog}
	return p.ID, m
}

func (f *fx) customer(t *testing.T) int64 {
	t.Helper()
	var id int64
	n := seq.Add(1)
	if err := f.db.Raw(`INSERT INTO customers (account_name, name, kind, registered_at) VALUES (?, ?, 'enterprise', now()) RETURNING id`,
		fmt.Sprintf("pepsi-%04d", n), fmt.Sprintf("百事测试%d", n)).Scan(&id).Error; err != nil {
		t.Fatal(err)
	}
	return id
}

// line imports a consumption line paid in cash of an 8-decimal payable
// amount (charged after 抹零, §12.1.9.14).
func (f *fx) line(t *testing.T, pid, cid int64, product string, at time.Time, payable string) {
	t.Helper()
	f.lineAs(t, "resale", pid, cid, product, at, payable)
}

// lineAs is line with the association mode (resale 代售, consulting 顾问销售).
func (f *fx) lineAs(t *testing.T, mode string, pid, cid int64, product string, at time.Time, payable string) {
	t.Helper()
	p := decimal.RequireFromString(payable)
	charged := p.Truncate(2)
	period := time.Date(at.In(clock.China).Year(), at.In(clock.China).Month(), 1, 0, 0, 0, 0, time.UTC)
	if err := f.db.Exec(`INSERT INTO consumption_records (partner_id, customer_id, mode, bill_type, billing_period, transaction_at,
		signing_entity, product_type, product_name, billing_mode, list_price, amount_payable, charged_amount, rounding_off, cash_paid,
		card_paid, voucher_paid, source_ref) VALUES (?, ?, ?, 'consumption', ?, ?, 'software', ?, ?, 'yearly_monthly', ?, ?, ?, ?, ?, 0, 0, ?)`,
		pid, cid, mode, period, at, product, product+" 包月", p, p, charged, p.Sub(charged), charged, fmt.Sprintf("inc-%d", seq.Add(1))).Error; err != nil {
		t.Fatal(err)
	}
}

// consumptionHeader is the vendor's consumption file's header (the
// template of 消费数据导入).
const consumptionHeader = "流水号,客户账号,账单类型,账期,交易时间,订单号,产品类型,产品名称,资源类型,资源ID,区域,计费模式,官网价,优惠金额,单价,用量,时长(秒),代金券抵扣,储值卡抵扣\n"

// consumed is one line of a consumption file: a product type and name and
// its 8-decimal payable amount (官网价, no discount), negative for a refund
// (退款), paid in cash.
type consumed struct {
	at            time.Time
	product, name string
	payable       string
}

// associated creates a customer associated with pid in mode (resale 代售,
// consulting 顾问销售) since 2022 and returns its account; a resale
// customer's funded account gets funded (recharged to the partner, then
// transferred), so its lines are paid in cash, not owed.
func (f *fx) associated(t *testing.T, pid int64, mode, funded string) string {
	t.Helper()
	cid := f.customer(t)
	var account string
	if err := f.db.Raw(`SELECT account_name FROM customers WHERE id = ?`, cid).Scan(&account).Error; err != nil {
		t.Fatal(err)
	}
	if err := f.db.Exec(`INSERT INTO associations (partner_id, customer_id, mode, status, associated_at) VALUES (?, ?, ?, 'active', '2022-01-01')`,
		pid, cid, mode).Error; err != nil {
		t.Fatal(err)
	}
	if mode != "resale" {
		return account
	}
	amount := d(funded)
	acct, err := ledger.CustomerFunded(bg, f.db, pid, cid)
	if err != nil {
		t.Fatal(err)
	}
	bank, err := ledger.Vendor(bg, f.db, "vendor_bank")
	if err != nil {
		t.Fatal(err)
	}
	cash, err := ledger.PartnerCash(bg, f.db, pid)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []ledger.Move{
		{PartnerID: pid, Kind: "recharge", Source: "bank_transfer", Amount: amount,
			Legs: []ledger.Leg{{AccountID: bank.ID, Amount: amount.Neg()}, {AccountID: cash.ID, Amount: amount}}},
		{PartnerID: pid, CustomerID: cid, Kind: "transfer", Amount: amount,
			Legs: []ledger.Leg{{AccountID: cash.ID, Amount: amount.Neg()}, {AccountID: acct.ID, Amount: amount}}},
	} {
		if _, err := ledger.Post(bg, f.db, m); err != nil {
			t.Fatal(err)
		}
	}
	return account
}

// imported runs a customer's lines through the real importer, as vendor
// finance uploads a consumption file (consumption.Importer.Run): every
// line must be accepted.
func (f *fx) imported(t *testing.T, account string, lines ...consumed) {
	t.Helper()
	var b strings.Builder
	b.WriteString(consumptionHeader)
	for _, l := range lines {
		typ, at := "消费", l.at.In(clock.China)
		if strings.HasPrefix(l.payable, "-") {
			typ = "退款"
		}
		fmt.Fprintf(&b, "INC-%d,%s,%s,%s,%s,,%s,%s,,,cn-east-3,包年/包月,%s,,,,,,\n", seq.Add(1), account, typ, at.Format("2006-01"),
			at.Format(time.DateTime), l.product, l.name, l.payable)
	}
	imp, err := consumption.Importer{DB: f.db, Clock: f.clk}.Run(bg, &access.Principal{IsVendor: true}, "激励对账.csv", strings.NewReader(b.String()))
	if err != nil || imp.RowsAccepted != len(lines) || imp.RowsRejected != 0 {
		t.Fatalf("import: %+v %v", imp, err)
	}
}

func (f *fx) definition(t *testing.T, name, product string) int64 {
	t.Helper()
	d, err := f.perf.CreateDefinition(bg, f.eco, performance.DefinitionInput{Name: name, Scope: "2024年度增长激励-数据计算",
		Cycle: performance.CycleYear, Dimension: performance.DimensionPartner, Kind: performance.KindThreshold, ProductType: product})
	if err != nil {
		t.Fatal(err)
	}
	return d.ID
}

// thresholdPolicy creates a quarterly threshold policy of the year on a
// quarterly indicator of the partner's performance (its threshold and its
// base), open to every programme member.
func (f *fx) thresholdPolicy(t *testing.T, year, name, tiers string) {
	t.Helper()
	def, err := f.perf.CreateDefinition(bg, f.eco, performance.DefinitionInput{Name: name + "-门槛", Scope: "季度门槛激励",
		Cycle: performance.CycleQuarter, Dimension: performance.DimensionPartner, Kind: performance.KindThreshold})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.CreatePolicy(bg, f.eco, PolicyInput{Year: year, Name: name, Kind: KindThreshold,
		ThresholdDefinitionID: def.ID, BaseDefinitionID: def.ID, Tiers: tiers, Eligibility: EligibleAll}); err != nil {
		t.Fatal(err)
	}
}

func (f *fx) run(t *testing.T) {
	t.Helper()
	if _, err := f.perf.Form(bg); err != nil {
		t.Fatal(err)
	}
	if _, err := f.perf.ComputeIndicators(bg); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Compute(bg); err != nil {
		t.Fatal(err)
	}
}

func (f *fx) bills(t *testing.T, pid int64) []Bill {
	t.Helper()
	var bs []Bill
	if err := f.db.Where("partner_id = ?", pid).Order("created_at, adjustment").Find(&bs).Error; err != nil {
		t.Fatal(err)
	}
	return bs
}

func (f *fx) checkClean(t *testing.T) {
	t.Helper()
	for _, c := range []func(context.Context, *gorm.DB) ([]string, error){Check, performance.Check} {
		diffs, err := c(bg, f.db)
		if err != nil {
			t.Fatal(err)
		}
		if len(diffs) > 0 {
			t.Errorf("check: %v", diffs)
		}
	}
}

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// Seed 003 §12.1.5.4 (增量激励明细示例, 手动确认增量激励金额; R29, R30):
// the 2024 growth incentive's worked example through the whole pipeline —
// the consumption imported through the real importer (a vendor's file, 抹零
// and the funded account's draw-down included) → performance formed →
// indicators (T 639,941.65 → 2,086,683.11; B 425,463.10 → 990,549.59) →
// the bill (growth 226%, increment 1,446,741.46 ⇒ 4%, 22,603.46) → its
// four lines, half-up to 8 places, adding up to 22,603.46000001.
func TestGrowthIncentiveWorkedExample(t *testing.T) {
	f := setup(t, cst(2025, 2, 17, 21))
	pid, member := f.partner(t, "core")
	account := f.associated(t, pid, "resale", "3000000.00")
	threshold := f.definition(t, "汇总-2024年度增长激励-SMB客户非成品产品门槛", "")
	base := f.definition(t, "汇总-2024年度增长激励-SMB客户标准产品基底数", "标准产品")
	pol, err := f.svc.CreatePolicy(bg, f.eco, PolicyInput{Year: "2024", Name: "2024年增量激励", Kind: KindGrowth,
		ThresholdDefinitionID: threshold, BaseDefinitionID: base, MinGrowth: "30", Tiers: "1000000:4, 3000000:6, 5000000:8",
		Eligibility: EligibleLeveled})
	if err != nil {
		t.Fatal(err)
	}
	// 2023: B 425,463.10 of standard products, T adds 214,478.55 of others.
	// 2024: the seed's four base lines (8-decimal payable amounts, charged
	// after 抹零: 694.005 forms 694.005 though 694.00 was paid) and
	// 1,096,133.52 of others.
	lines := []string{"445007.215", "694.005", "2094.055", "542754.315"}
	names := []string{"spku0599-OFFI88261621039268304", "按流量计费共享带宽 包月", "通用入门版_T6_4核8G_Linux 包月 0606", "GD3基础性云硬盘_包月"}
	file := []consumed{
		{cst(2023, 5, 3, 10), "标准产品", "云服务器 包月", "425463.10"},
		{cst(2023, 8, 9, 10), "解决方案", "行业解决方案 包年", "214478.55"},
		{cst(2024, 11, 2, 10), "解决方案", "行业解决方案 包年", "1096133.52"},
	}
	for i, l := range lines {
		file = append(file, consumed{cst(2024, 12, 30, 10), "标准产品", names[i], l})
	}
	f.imported(t, account, file...)
	var charged decimal.Decimal
	if err := f.db.Raw(`SELECT charged_amount FROM consumption_records WHERE partner_id = ? AND amount_payable = 694.005`, pid).
		Scan(&charged).Error; err != nil || !charged.Equal(d("694.00")) {
		t.Fatalf("694.005 charged %s (抹零: 694.00), %v", charged, err)
	}
	f.run(t)

	bs := f.bills(t, pid)
	if len(bs) != 1 {
		t.Fatalf("bills: %+v", bs)
	}
	b := bs[0]
	c := b.Calculation()
	if b.PeriodCode != "2024Y" || b.Status != StateEstimate || !b.Amount.Equal(d("22603.46")) {
		t.Fatalf("bill %s %s %s, calc %+v", b.PeriodCode, b.Status, b.Amount, c)
	}
	if !c.Threshold.Equal(d("2086683.11")) || !c.ThresholdPrev.Equal(d("639941.65")) || !c.Base.Equal(d("990549.59")) ||
		!c.BasePrev.Equal(d("425463.10")) || !c.Ratio.Equal(d("4")) || !c.Increment.Equal(d("1446741.46")) ||
		!c.Growth.Equal(d("226.07")) || !c.BaseIncrement.Equal(d("565086.49")) {
		t.Fatalf("calc %+v", c)
	}
	// 预估: no lines yet, one aggregate row on the page.
	if v, err := f.svc.Bill(bg, member, b.ID); err != nil || v.Lines != 0 {
		t.Fatalf("estimate bill view: %+v %v", v, err)
	}

	if err := f.svc.Publish(bg, f.eco, b.ID, "2025-02-20"); err != nil {
		t.Fatal(err)
	}
	// Every line is resale: the published bill names its association type.
	if v, err := f.svc.Bill(bg, member, b.ID); err != nil || v.Association != "resale" || v.Lines != 4 {
		t.Fatalf("published bill: association %q, %d lines, %v", v.Association, v.Lines, err)
	}
	rows, total, _, err := f.svc.Details(bg, member, DetailFilter{BillID: b.ID})
	if err != nil || total != 4 {
		t.Fatalf("details: %d %v", total, err)
	}
	want := map[string]string{"694.005": "15.8365764", "2094.055": "47.78447128", "542754.315": "12385.17038701",
		"445007.215": "10154.66856532"}
	perf := make([]decimal.Decimal, len(lines))
	for i, l := range lines {
		perf[i] = d(l)
	}
	alloc := money.AllocateHalfUp(b.Amount, perf)
	sum := decimal.Zero
	for _, r := range rows {
		w, ok := want[r.Performance.String()]
		if !ok || !r.Amount.Equal(d(w)) {
			t.Errorf("line %s → %s, want %s", r.Performance, r.Amount, w)
		}
		for i, l := range perf {
			if l.Equal(r.Performance) && !alloc[i].Equal(r.Amount) {
				t.Errorf("line %s: SQL %s, money.AllocateHalfUp %s", l, r.Amount, alloc[i])
			}
		}
		sum = sum.Add(r.Amount)
	}
	if !sum.Equal(d("22603.46000001")) {
		t.Errorf("Σ lines %s, the seed's 22,603.46000001", sum)
	}
	f.checkClean(t)

	// 待确认 → 已确认 by the partner; not twice, and not before.
	if err := f.svc.Confirm(bg, member, b.ID); !apperr.Is(err, apperr.KindConflict) {
		t.Fatalf("confirm in publicity: %v", err)
	}
	if err := f.svc.Finalize(bg, f.eco, b.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Confirm(bg, member, b.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Confirm(bg, member, b.ID); !apperr.Is(err, apperr.KindConflict) {
		t.Fatalf("second confirm: %v", err)
	}

	// A late 2024 line (imported in February for December) reopens the
	// year: a 逆向正向调整 bill of the difference, whose lines are the new
	// allocation less what the first bill gave each line.
	f.imported(t, account, consumed{cst(2024, 12, 31, 10), "标准产品", "云服务器 包月 补录", "10000.00"})
	f.clk.Advance(24 * time.Hour)
	f.run(t)
	bs = f.bills(t, pid)
	if len(bs) != 2 || bs[1].Adjustment != AdjustPositive || bs[1].Status != StateEstimate || !bs[1].Amount.Equal(d("400.00")) {
		t.Fatalf("after a late line: %+v", bs)
	}
	if bs[0].Status != StateConfirmed || !bs[0].Amount.Equal(d("22603.46")) {
		t.Fatalf("the confirmed bill changed: %+v", bs[0])
	}
	if err := f.svc.Publish(bg, f.eco, bs[1].ID, "2025-02-25"); err != nil {
		t.Fatal(err)
	}
	_, n, _, err := f.svc.Details(bg, member, DetailFilter{BillID: bs[1].ID})
	if err != nil || n != 5 {
		t.Fatalf("adjustment lines: %d %v", n, err)
	}
	f.checkClean(t)
	_ = pol
}

// §12.1.5.4: growth must exceed 30%, the increment must reach the first
// tier, and only core or leading solution providers (or master
// distributors) qualify; each zero says why.
func TestGrowthIncentiveZeroReasons(t *testing.T) {
	f := setup(t, cst(2025, 2, 17, 21))
	threshold := f.definition(t, "门槛-零激励", "")
	if _, err := f.svc.CreatePolicy(bg, f.eco, PolicyInput{Year: "2024", Name: "零激励测试", Kind: KindGrowth,
		ThresholdDefinitionID: threshold, BaseDefinitionID: threshold, MinGrowth: "30", Tiers: "1000000:4, 3000000:6",
		Eligibility: EligibleLeveled}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		level, prev, cur, reason, amount string
	}{
		{"core", "1000000", "1300000", ReasonGrowthLow, "0"},       // exactly 30%: not above
		{"core", "1000000", "1300000.01", ReasonBelowTier, "0"},    // > 30% but increment < 1,000,000
		{"", "4000000", "6000000", ReasonNotLeveled, "0"},          // an SP without a level
		{"md", "4000000", "6000000", "", "80000"},                  // MD: 4% of 2,000,000 (threshold = base)
		{"leading", "0", "6000000", ReasonNoPrior, "0"},            // nothing the year before
		{"leading", "3000000", "6000000", "", "180000"},            // 3,000,000 ⇒ 6%
		{"leading", "2500000", "3499999.99", ReasonBelowTier, "0"}, // 999,999.99 increment
	}
	for _, tc := range cases {
		pid, _ := f.partner(t, tc.level)
		cid := f.customer(t)
		if tc.prev != "0" {
			f.line(t, pid, cid, "云服务器", cst(2023, 6, 1, 10), tc.prev)
		}
		f.line(t, pid, cid, "云服务器", cst(2024, 6, 1, 10), tc.cur)
		f.run(t)
		bs := f.bills(t, pid)
		if len(bs) != 1 {
			t.Fatalf("%+v: bills %+v", tc, bs)
		}
		if c := bs[0].Calculation(); c.Reason != tc.reason || !bs[0].Amount.Equal(d(tc.amount)) {
			t.Errorf("%+v: amount %s reason %q", tc, bs[0].Amount, c.Reason)
		}
	}
}

// §12.1.5.45: a threshold incentive pays the ratio of the threshold's tier
// on the base, per quarter.
func TestThresholdIncentive(t *testing.T) {
	f := setup(t, cst(2026, 7, 2, 21))
	f.thresholdPolicy(t, "2026", "门槛测试", "100000:1, 500000:2")
	pid, _ := f.partner(t, "")
	cid := f.customer(t)
	f.line(t, pid, cid, "云服务器", cst(2026, 2, 1, 10), "99999.99")  // Q1: below the first step
	f.line(t, pid, cid, "云服务器", cst(2026, 5, 1, 10), "600000.00") // Q2: 2%
	f.run(t)
	got := map[string]string{}
	for _, b := range f.bills(t, pid) {
		got[b.PeriodCode] = b.Amount.String() + "/" + b.Calculation().Reason
	}
	if got["2026Q1"] != "0/"+ReasonBelowTier || got["2026Q2"] != "12000/" || len(got) != 2 {
		t.Fatalf("bills: %v", got)
	}
}

// Seed 003 §12.1.5.45 (查看激励核算过程: 2025Q1, 季度销售达成激励-季报,
// −6,462.14, 逆向负向调整, 代售) and §12.1.5.33 (有消费，激励为负数的原因：
// 子客户在激励发放账期内有退订或降配订单): once a quarter's bill left 预估,
// a refund of the quarter imported late (formed negative performance)
// lowers the recomputed incentive; the difference opens a 逆向负向调整
// bill of −6,462.14 whose lines add up to it, and the original bill
// stays as it was.
func TestRefundOpensReverseNegativeAdjustment(t *testing.T) {
	f := setup(t, cst(2025, 4, 10, 21))
	f.thresholdPolicy(t, "2025", "季度销售达成激励-季报", "100000:1, 500000:2, 1000000:3")
	pid, member := f.partner(t, "")
	account := f.associated(t, pid, "resale", "1000000.00")
	f.imported(t, account,
		consumed{cst(2025, 1, 15, 10), "云服务器", "c7.4xlarge.2 包年", "400000.00"},
		consumed{cst(2025, 2, 15, 10), "云数据库", "RDS MySQL 包年", "500000.00"})
	f.run(t)
	q1 := func() []Bill {
		var bs []Bill
		for _, b := range f.bills(t, pid) {
			if b.PeriodCode == "2025Q1" {
				bs = append(bs, b)
			}
		}
		return bs
	}
	bs := q1()
	if len(bs) != 1 || !bs[0].Amount.Equal(d("18000")) { // 900,000 ⇒ 2%
		t.Fatalf("Q1 bills: %+v", bs)
	}
	orig := bs[0]
	if err := f.svc.Publish(bg, f.eco, orig.ID, "2025-04-15"); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Finalize(bg, f.eco, orig.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Confirm(bg, member, orig.ID); err != nil {
		t.Fatal(err)
	}
	before := q1()[0]
	var origLines []Detail
	if err := f.db.Where("bill_id = ?", orig.ID).Order("id").Find(&origLines).Error; err != nil || len(origLines) != 2 {
		t.Fatalf("original lines: %+v %v", origLines, err)
	}

	// The customer unsubscribed in March; the refund comes in April's file.
	f.imported(t, account, consumed{cst(2025, 3, 28, 10), "云服务器", "c7.4xlarge.2 包年 退订", "-323107.00"})
	f.clk.Advance(24 * time.Hour)
	f.run(t)
	f.run(t) // once more: still one adjustment
	bs = q1()
	if len(bs) != 2 {
		t.Fatalf("Q1 bills after the refund: %+v", bs)
	}
	adj := bs[1]
	if adj.Adjustment != AdjustNegative || adj.Status != StateEstimate || !adj.Amount.Equal(d("-6462.14")) {
		t.Fatalf("adjustment %s %s %s", adj.Adjustment, adj.Status, adj.Amount)
	}
	// 576,893 still ⇒ 2%: 11,537.86, less the 18,000 already billed.
	if c := adj.Calculation(); !c.Base.Equal(d("576893")) || !c.Total.Equal(d("11537.86")) || !c.Ratio.Equal(d("2")) {
		t.Fatalf("adjustment calc %+v", c)
	}
	if b := bs[0]; b.Status != StateConfirmed || !b.Amount.Equal(before.Amount) || b.Lines != before.Lines ||
		!b.LinesTotal.Equal(before.LinesTotal) || !b.UpdatedAt.Equal(before.UpdatedAt) || string(b.Calc) != string(before.Calc) {
		t.Fatalf("the original bill changed: %+v, was %+v", b, before)
	}

	if err := f.svc.Publish(bg, f.eco, adj.ID, "2025-04-20"); err != nil {
		t.Fatal(err)
	}
	v, err := f.svc.Bill(bg, member, adj.ID)
	if err != nil || v.Association != "resale" || v.Status != StatePublicity {
		t.Fatalf("published adjustment: %+v %v", v, err)
	}
	rows, n, _, err := f.svc.Details(bg, member, DetailFilter{BillID: adj.ID})
	if err != nil || n != 1 {
		t.Fatalf("adjustment lines: %d %v", n, err)
	}
	sum := decimal.Zero
	for _, r := range rows {
		sum = sum.Add(r.Amount)
	}
	if !sum.Equal(adj.Amount) || !rows[0].Performance.Equal(d("-323107")) {
		t.Fatalf("adjustment lines %+v add up to %s, not %s", rows, sum, adj.Amount)
	}
	var now []Detail
	if err := f.db.Where("bill_id = ?", orig.ID).Order("id").Find(&now).Error; err != nil || len(now) != len(origLines) {
		t.Fatalf("original lines now: %+v %v", now, err)
	}
	for i := range now {
		if !now[i].Amount.Equal(origLines[i].Amount) {
			t.Errorf("original line %d: %s, was %s", now[i].ID, now[i].Amount, origLines[i].Amount)
		}
	}
	f.checkClean(t)
}

// A bill is the partner's: another tenant's is 404, a member confirms
// only its own; the vendor publishes only with an end date after today.
func TestBillsAreTenantScoped(t *testing.T) {
	f := setup(t, cst(2025, 2, 17, 21))
	th := f.definition(t, "门槛-隔离", "")
	if _, err := f.svc.CreatePolicy(bg, f.eco, PolicyInput{Year: "2024", Name: "隔离测试", Kind: KindGrowth,
		ThresholdDefinitionID: th, BaseDefinitionID: th, MinGrowth: "30", Tiers: "1000000:4", Eligibility: EligibleAll}); err != nil {
		t.Fatal(err)
	}
	pid, _ := f.partner(t, "")
	_, other := f.partner(t, "")
	cid := f.customer(t)
	f.line(t, pid, cid, "云服务器", cst(2023, 6, 1, 10), "1000000")
	f.line(t, pid, cid, "云服务器", cst(2024, 6, 1, 10), "2500000")
	f.run(t)
	b := f.bills(t, pid)[0]
	if _, err := f.svc.Bill(bg, other, b.ID); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("another tenant's bill: %v", err)
	}
	if _, err := f.svc.Bill(bg, other, "not-a-uuid"); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("malformed id: %v", err)
	}
	for _, end := range []string{"", "2025-02-17", "2025-13-01"} {
		if err := f.svc.Publish(bg, f.eco, b.ID, end); !apperr.Is(err, apperr.KindInvalid) {
			t.Errorf("publish until %q: %v", end, err)
		}
	}
	if err := f.svc.Publish(bg, f.eco, b.ID, "2025-02-18"); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Finalize(bg, f.eco, b.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Confirm(bg, other, b.ID); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("another tenant confirms: %v", err)
	}
}

// Two vendor staff publishing the same bill at once: one wins, the other
// is told the state changed; the lines are written once (-race).
func TestConcurrentPublishWritesLinesOnce(t *testing.T) {
	f := setup(t, cst(2025, 2, 17, 21))
	th := f.definition(t, "门槛-并发", "")
	if _, err := f.svc.CreatePolicy(bg, f.eco, PolicyInput{Year: "2024", Name: "并发测试", Kind: KindGrowth,
		ThresholdDefinitionID: th, BaseDefinitionID: th, MinGrowth: "30", Tiers: "1000000:4", Eligibility: EligibleAll}); err != nil {
		t.Fatal(err)
	}
	pid, _ := f.partner(t, "")
	cid := f.customer(t)
	f.line(t, pid, cid, "云服务器", cst(2023, 6, 1, 10), "1000000")
	for i := 0; i < 20; i++ {
		f.line(t, pid, cid, "云服务器", cst(2024, 6, 1+i, 10), "125000")
	}
	f.run(t)
	b := f.bills(t, pid)[0]
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			errs[i] = f.svc.Publish(bg, f.eco, b.ID, "2025-03-01")
		}(i)
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !apperr.Is(err, apperr.KindConflict):
			t.Errorf("publish: %v", err)
		}
	}
	var n int64
	f.db.Raw(`SELECT count(*) FROM incentive_details WHERE bill_id = ?`, b.ID).Scan(&n)
	if ok != 1 || n != 20 {
		t.Fatalf("%d publishes succeeded, %d lines", ok, n)
	}
	f.checkClean(t)
}

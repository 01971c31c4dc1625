package incentive

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"partnercenter/internal/access"
	"partnercenter/internal/events"
	"partnercenter/internal/funds"
	"partnercenter/internal/ledger"
	"partnercenter/internal/platform/apperr"
)

func (f *fx) certify(t *testing.T, pid int64) {
	t.Helper()
	if err := f.db.Exec(`INSERT INTO business_infos (partner_id, status, supplier_name, bank_name, account_no, branch_name, branch_no,
		account_name, taxpayer_type, invoice_title, tax_id, invoice_address, invoice_phone, finance_name, finance_mobile, finance_email,
		random_amount, submitted_at, certified_at, updated_at) VALUES (?, 'certified', '激励测试', '招商银行', '6225880012345678', '上海分行',
		'308290003011', '激励测试', 'general', '激励测试', '91310000000000000X', '上海', '021-12345678', '王会计', '13800000001',
		'fin@example.cn', 0.37, now(), now(), now())`, pid).Error; err != nil {
		t.Fatal(err)
	}
}

// confirmed publishes, finalises and confirms a partner's bills.
func (f *fx) confirmAll(t *testing.T, pid int64, member *access.Principal) {
	t.Helper()
	for _, b := range f.bills(t, pid) {
		if b.Status != StateEstimate {
			continue
		}
		if err := f.svc.Publish(bg, f.eco, b.ID, f.clk.Now().AddDate(0, 0, 3).Format(time.DateOnly)); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Finalize(bg, f.eco, b.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Confirm(bg, member, b.ID); err != nil {
			t.Fatal(err)
		}
	}
}

func (f *fx) items(t *testing.T, pid int64) []Item {
	t.Helper()
	var out []Item
	if err := f.db.Where("partner_id = ?", pid).Order("id").Find(&out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

// The seed's 22,603.46 bill through 确认对账 → 激励申请 with a negative
// incentive forced in (§12.1.5.36) → 返华为云账户-记欠票: the partner's
// balance is credited through the ledger (R19 source incentive) and the
// ledger stays balanced. A selection whose negatives
// exceed it is refused with the seed's sentence.
// workedExample forms the seed's worked example (§12.1.5.4) for a new
// partner whose customer is associated by mode, confirms its bill and
// returns its one payable incentive of 22,603.46.
func (f *fx) workedExample(t *testing.T, mode, policy string) (int64, *access.Principal, Item) {
	t.Helper()
	pid, member := f.partner(t, "core")
	cid := f.customer(t)
	th := f.definition(t, "门槛-"+policy, "")
	base := f.definition(t, "基数-"+policy, "标准产品")
	if _, err := f.svc.CreatePolicy(bg, f.eco, PolicyInput{Year: "2024", Name: "2024年增量激励（" + policy + "）", Kind: KindGrowth,
		ThresholdDefinitionID: th, BaseDefinitionID: base, MinGrowth: "30", Tiers: "1000000:4, 3000000:6, 5000000:8",
		Eligibility: EligibleLeveled}); err != nil {
		ae, _ := apperr.As(err)
		t.Fatal(err, ae.Fields)
	}
	f.lineAs(t, mode, pid, cid, "标准产品", cst(2023, 5, 3, 10), "425463.10")
	f.lineAs(t, mode, pid, cid, "解决方案", cst(2023, 8, 9, 10), "214478.55")
	for _, l := range []string{"445007.215", "694.005", "2094.055", "542754.315"} {
		f.lineAs(t, mode, pid, cid, "标准产品", cst(2024, 12, 30, 10), l)
	}
	f.lineAs(t, mode, pid, cid, "解决方案", cst(2024, 11, 2, 10), "1096133.52")
	f.run(t)
	f.confirmAll(t, pid, member)
	items := f.items(t, pid)
	if len(items) != 1 || !items[0].Amount.Equal(d("22603.46")) || items[0].Mode != mode {
		t.Fatalf("items of the confirmed bill: %+v", items)
	}
	return pid, member, items[0]
}

func TestPayoutOfTheWorkedExample(t *testing.T) {
	f := setup(t, cst(2025, 2, 17, 21))
	pid, member, item := f.workedExample(t, "resale", "付款")
	items := []Item{item}
	// A negative incentive of an unsubscription (an adjustment bill).
	neg := Item{BillID: items[0].BillID, PartnerID: pid, PeriodCode: "2024Y", Name: "2024年增量激励", Mode: "adjust", Amount: d("-603.46"),
		GeneratedAt: f.clk.Now(), Status: ItemPending}
	if err := f.db.Create(&neg).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Apply(bg, member, []int64{items[0].ID}, MethodAccount, "payout-key-uncertified-1"); !apperr.Is(err, apperr.KindConflict) {
		t.Fatalf("apply without certified business info: %v", err)
	}
	f.certify(t, pid)
	// The negative is included although only the positive was selected;
	// a resale incentive of 2025 goes to the account with the invoice
	// owed: completed at once.
	app, err := f.svc.Apply(bg, member, []int64{items[0].ID}, MethodAccountOwed, "payout-key-apply-0001")
	if err != nil {
		t.Fatal(err)
	}
	if !app.Total.Equal(d("22000")) || app.Status != AppCompleted || app.NeedsInvoice || len(app.No) != 17 {
		t.Fatalf("application %+v", app)
	}
	again, err := f.svc.Apply(bg, member, []int64{items[0].ID}, MethodAccountOwed, "payout-key-apply-0001")
	if err != nil || again.ID != app.ID {
		t.Fatalf("the same key returns the same application: %+v %v", again, err)
	}
	bal, err := ledger.SumBalances(bg, f.db, pid, ledger.KindPartnerCash)
	if err != nil || !bal[ledger.KindPartnerCash].Equal(d("22000")) {
		t.Fatalf("balance %v %v", bal, err)
	}
	for _, it := range f.items(t, pid) {
		if it.Status != ItemPaid {
			t.Errorf("item %d is %s", it.ID, it.Status)
		}
	}
	// The bill is 发放成功; the credit says its invoice is owed.
	if bs := f.bills(t, pid); bs[0].Status != StatePaid {
		t.Fatalf("the bill is %s after all its incentives were paid", bs[0].Status)
	}
	if owed, err := ledger.RechargesFrom(bg, f.db, pid, funds.SourceIncentiveOwed); err != nil || len(owed) != 1 || !owed[0].Amount.Equal(d("22000")) {
		t.Fatalf("owed-invoice credits %+v %v", owed, err)
	}
	if fs, err := ledger.Check(bg, f.db); err != nil || len(fs) > 0 {
		t.Fatalf("ledger check: %v %v", fs, err)
	}

	// Negatives above the positives: refused, nothing applied.
	big := Item{BillID: items[0].BillID, PartnerID: pid, PeriodCode: "2025Q1", Name: "门槛", Mode: "x", Amount: d("-600"),
		GeneratedAt: f.clk.Now(), Status: ItemPending}
	small := Item{BillID: items[0].BillID, PartnerID: pid, PeriodCode: "2025Q1", Name: "门槛", Mode: "y", Amount: d("200"),
		GeneratedAt: f.clk.Now(), Status: ItemPending}
	f.db.Create(&big)
	f.db.Create(&small)
	if _, err := f.svc.Apply(bg, member, []int64{small.ID}, MethodAccount, "payout-key-apply-0002"); err == nil || apperr.Is(err, apperr.KindConflict) == false {
		t.Fatalf("negative total: %v", err)
	} else if ae, _ := apperr.As(err); ae.Key != ErrNegativeTotal {
		t.Fatalf("refusal %s, want %s", ae.Key, ErrNegativeTotal)
	}
}

// The seed's 22,603.46 through the partner's invoice: a consulting
// incentive with a negative of −603.46 forced in → 返华为云账户 (needs an
// invoice) → the partner enters 22,000.00 at 6% (a general taxpayer:
// the invoice amount equals the incentive) → finance receives and pays →
// the balance is credited, the bill is 发放成功, the ledger balanced.
func TestPayoutOfTheWorkedExampleThroughTheInvoice(t *testing.T) {
	f := setup(t, cst(2025, 2, 17, 21))
	pid, member, item := f.workedExample(t, "consulting", "开票")
	f.certify(t, pid)
	neg := Item{BillID: item.BillID, PartnerID: pid, PeriodCode: "2024Y", Name: "2024年增量激励", Mode: "adjust", Amount: d("-603.46"),
		GeneratedAt: f.clk.Now(), Status: ItemPending}
	if err := f.db.Create(&neg).Error; err != nil {
		t.Fatal(err)
	}
	if got := item.Methods(); len(got) != 3 || got[0] != MethodBank {
		t.Fatalf("a consulting incentive's methods: %v", got)
	}
	app, err := f.svc.Apply(bg, member, []int64{item.ID}, MethodAccount, "payout-key-invoice-0001")
	if err != nil || !app.Total.Equal(d("22000")) || app.Status != AppAwaitingInvoice {
		t.Fatalf("application %+v %v", app, err)
	}
	if due := InvoiceAmount(app.Total, "general"); !due.Equal(d("22000")) {
		t.Fatalf("invoice amount %s", due)
	}
	if err := f.svc.AddInvoice(bg, member, app.ID, InvoiceInput{No: "04480001", Amount: "12000", Rate: "6", Type: InvoiceSpecial,
		Content: InvoiceContents[0]}); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.ReceiveInvoice(bg, f.eco, app.ID); err == nil {
		t.Fatal("received with 12,000.00 of 22,000.00 invoiced")
	}
	if err := f.svc.AddInvoice(bg, member, app.ID, InvoiceInput{No: "04480002", Amount: "10000", Rate: "6", Type: InvoiceESpecial,
		Content: InvoiceContents[0]}); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.ReceiveInvoice(bg, f.eco, app.ID); err != nil {
		t.Fatal(err)
	}
	if bal, _ := ledger.SumBalances(bg, f.db, pid, ledger.KindPartnerCash); !bal[ledger.KindPartnerCash].IsZero() {
		t.Fatalf("credited before payment: %v", bal)
	}
	if err := f.svc.Pay(bg, f.eco, app.ID, "", "payout-pay-invoice-001"); err != nil {
		t.Fatal(err)
	}
	bal, err := ledger.SumBalances(bg, f.db, pid, ledger.KindPartnerCash)
	if err != nil || !bal[ledger.KindPartnerCash].Equal(d("22000")) {
		t.Fatalf("balance %v %v", bal, err)
	}
	if bs := f.bills(t, pid); bs[0].Status != StatePaid {
		t.Fatalf("the bill is %s", bs[0].Status)
	}
	if credits, err := ledger.RechargesFrom(bg, f.db, pid, funds.SourceIncentive); err != nil || len(credits) != 1 || !credits[0].Amount.Equal(d("22000")) {
		t.Fatalf("incentive credits %+v %v", credits, err)
	}
	if fs, err := ledger.Check(bg, f.db); err != nil || len(fs) > 0 {
		t.Fatalf("ledger check: %v %v", fs, err)
	}
	f.checkClean(t)
}

// R34 (§12.1.5.14): a resale incentive generated from October 2023 is
// paid to the account with the invoice owed (at once, no invoice) or as
// voucher quota; one generated in September 2023 by bank or to the
// account with an invoice.
func TestPayoutMethodsAroundOctober2023(t *testing.T) {
	f := setup(t, cst(2025, 2, 17, 21))
	pid, member := f.partner(t, "core")
	f.certify(t, pid)
	bill := f.someBill(t, pid)
	before := Item{BillID: bill, PartnerID: pid, PeriodCode: "2023M9", Name: "历史代售", Mode: "resale", Amount: d("100"),
		GeneratedAt: cst(2023, 9, 30, 23), Status: ItemPending}
	after := Item{BillID: bill, PartnerID: pid, PeriodCode: "2023M10", Name: "新代售", Mode: "resale", Amount: d("50"),
		GeneratedAt: cst(2023, 10, 1, 0), Status: ItemPending}
	if err := f.db.Create(&before).Error; err != nil {
		t.Fatal(err)
	}
	after.BillID = f.someBill(t, pid)
	if err := f.db.Create(&after).Error; err != nil {
		t.Fatal(err)
	}
	if got := before.Methods(); len(got) != 3 || got[0] != MethodBank {
		t.Fatalf("September 2023 resale: %v", got)
	}
	if got := after.Methods(); len(got) != 2 || got[0] != MethodAccountOwed {
		t.Fatalf("October 2023 resale: %v", got)
	}
	if _, err := f.svc.Apply(bg, member, []int64{after.ID}, MethodBank, "payout-key-method-0001"); !apperr.Is(err, apperr.KindInvalid) {
		t.Fatalf("bank for a new resale incentive: %v", err)
	}
	app, err := f.svc.Apply(bg, member, []int64{after.ID}, MethodAccountOwed, "payout-key-method-0002")
	if err != nil || app.Status != AppCompleted || app.NeedsInvoice {
		t.Fatalf("记欠票 completes at once: %+v %v", app, err)
	}
	// The older one to the account with an invoice: 待开票 → 已收票 → paid.
	inv, err := f.svc.Apply(bg, member, []int64{before.ID}, MethodAccount, "payout-key-method-0003")
	if err != nil || inv.Status != AppAwaitingInvoice || !inv.NeedsInvoice {
		t.Fatalf("返华为云账户 waits for the invoice: %+v %v", inv, err)
	}
	if err := f.svc.Pay(bg, f.eco, inv.ID, "", "payout-pay-key-00001"); !apperr.Is(err, apperr.KindConflict) {
		t.Fatalf("paid before the invoice: %v", err)
	}
	// The partner enters its invoices (a general taxpayer: 6%, the
	// invoice amount equals the incentive, 100.00); finance verifies them.
	if err := f.svc.ReceiveInvoice(bg, f.eco, inv.ID); !apperr.Is(err, apperr.KindConflict) {
		t.Fatalf("received without invoices: %v", err)
	}
	add := func(app int64, no, amount, rate string) error {
		return f.svc.AddInvoice(bg, member, app, InvoiceInput{No: no, Amount: amount, Rate: rate, Type: InvoiceSpecial, Content: InvoiceContents[1]})
	}
	if err := add(inv.ID, "04412345", "60", "3"); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.ReceiveInvoice(bg, f.eco, inv.ID); err == nil {
		t.Fatal("an invoice at 3% received from a general taxpayer")
	} else if ae, _ := apperr.As(err); ae.Key != "incentive.err.invoice_rate" {
		t.Fatalf("rate mismatch refused with %v", err)
	}
	var wrong int64
	f.db.Raw(`SELECT id FROM incentive_invoices WHERE invoice_no = '04412345'`).Scan(&wrong)
	if err := f.svc.RemoveInvoice(bg, member, inv.ID, wrong); err != nil {
		t.Fatal(err)
	}
	if err := add(inv.ID, "04412345", "60", "6"); err != nil {
		t.Fatal(err)
	}
	if err := add(inv.ID, "04412346", "50", "6"); err == nil {
		t.Fatal("invoices above the invoice amount")
	}
	if err := add(inv.ID, "0441", "40", "6"); !apperr.Is(err, apperr.KindInvalid) {
		t.Fatalf("a malformed invoice number: %v", err)
	}
	for _, bad := range []InvoiceInput{{No: "04412399", Amount: "1", Rate: "6", Type: "general", Content: InvoiceContents[0]},
		{No: "04412399", Amount: "1", Rate: "6", Type: InvoiceSpecial, Content: "技术服务"}, {No: "04412399", Amount: "1", Rate: "13", Type: InvoiceSpecial, Content: InvoiceContents[0]}} {
		if err := f.svc.AddInvoice(bg, member, inv.ID, bad); !apperr.Is(err, apperr.KindInvalid) {
			t.Fatalf("%+v accepted: %v", bad, err)
		}
	}
	if err := add(inv.ID, "04412346", "40", "6"); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.ReceiveInvoice(bg, f.eco, inv.ID); err != nil {
		t.Fatal(err)
	}
	if err := add(inv.ID, "04412347", "0.01", "6"); !apperr.Is(err, apperr.KindConflict) {
		t.Fatalf("an invoice added after receipt: %v", err)
	}
	if err := f.svc.Pay(bg, f.eco, inv.ID, "", "payout-pay-key-00002"); err != nil {
		t.Fatal(err)
	}
	// The same 付款完成 again (its key): done already, nothing paid twice;
	// another submission is refused by the state.
	if err := f.svc.Pay(bg, f.eco, inv.ID, "", "payout-pay-key-00002"); err != nil {
		t.Fatalf("a repeated payment: %v", err)
	}
	if err := f.svc.Pay(bg, f.eco, inv.ID, "", "payout-pay-key-00003"); !apperr.Is(err, apperr.KindConflict) {
		t.Fatalf("a second payment: %v", err)
	}
	if err := f.svc.Pay(bg, f.eco, inv.ID, "", "short"); !apperr.Is(err, apperr.KindInvalid) {
		t.Fatalf("a payment without a valid key: %v", err)
	}
	bal, _ := ledger.SumBalances(bg, f.db, pid, ledger.KindPartnerCash)
	if !bal[ledger.KindPartnerCash].Equal(d("150")) {
		t.Fatalf("balance %v", bal)
	}
	// 站内信 at each step the partner cares about.
	var keys []string
	f.db.Raw(`SELECT subject_key FROM messages WHERE user_id = ? ORDER BY id`, member.UserID).Scan(&keys)
	if strings.Join(keys, ",") != "incentive.msg.paid.subject,incentive.msg.invoice.subject,incentive.msg.paid.subject" {
		t.Fatalf("messages %v", keys)
	}
	// A bank transfer rejected: its incentive waits again.
	third := Item{BillID: f.someBill(t, pid), PartnerID: pid, PeriodCode: "2022Y", Name: "顾问", Mode: "consulting", Amount: d("80"),
		GeneratedAt: cst(2024, 3, 1, 0), Status: ItemPending}
	if err := f.db.Create(&third).Error; err != nil {
		t.Fatal(err)
	}
	bank, err := f.svc.Apply(bg, member, []int64{third.ID}, MethodBank, "payout-key-method-0004")
	if err != nil {
		t.Fatal(err)
	}
	// One invoice never serves two applications (R40).
	if err := add(bank.ID, "04412345", "80", "6"); err == nil {
		t.Fatal("an invoice number of another application accepted")
	}
	// Another partner's application is not found.
	_, stranger := f.partner(t, "core")
	if err := f.svc.AddInvoice(bg, stranger, bank.ID, InvoiceInput{No: "04419999", Amount: "80", Rate: "6", Type: InvoiceSpecial,
		Content: InvoiceContents[0]}); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("another tenant's application: %v", err)
	}
	if err := f.svc.RejectApplication(bg, f.eco, bank.ID, RateMismatchReason, "payout-reject-key-0001"); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.RejectApplication(bg, f.eco, bank.ID, RateMismatchReason, "payout-reject-key-0001"); err != nil {
		t.Fatalf("a repeated rejection: %v", err)
	}
	var st string
	f.db.Raw(`SELECT status FROM incentive_items WHERE id = ?`, third.ID).Scan(&st)
	if st != ItemPending {
		t.Fatalf("a rejected application's incentive is %s", st)
	}
	// Webhook-ready events of every state change, in order.
	evs, err := events.Since(bg, f.db, pid, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var apps []string
	paidBills := 0
	for _, e := range evs {
		var data map[string]any
		if err := json.Unmarshal(e.Data, &data); err != nil {
			t.Fatal(err)
		}
		switch e.Type {
		case events.IncentiveApplicationStatus:
			apps = append(apps, data["status"].(string))
		case events.IncentiveBillStatus:
			if data["status"] == StatePaid {
				paidBills++
			}
		}
	}
	if strings.Join(apps, ",") != "submitted,completed,awaiting_invoice,invoice_received,completed,awaiting_invoice,rejected" || paidBills != 2 {
		t.Fatalf("events: applications %v, %d bills paid", apps, paidBills)
	}
	if fs, err := ledger.Check(bg, f.db); err != nil || len(fs) > 0 {
		t.Fatalf("ledger check: %v %v", fs, err)
	}
	f.checkClean(t)
}

// Two submissions over the same incentives at once: exactly one 申付单
// (-race).
func TestConcurrentApplicationsTakeTheIncentivesOnce(t *testing.T) {
	f := setup(t, cst(2025, 2, 17, 21))
	pid, member := f.partner(t, "core")
	f.certify(t, pid)
	it := Item{BillID: f.someBill(t, pid), PartnerID: pid, PeriodCode: "2024Y", Name: "并发", Mode: "consulting", Amount: d("300"),
		GeneratedAt: f.clk.Now(), Status: ItemPending}
	if err := f.db.Create(&it).Error; err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, errs[i] = f.svc.Apply(bg, member, []int64{it.ID}, MethodBank, "payout-key-race-000"+string(rune('1'+i)))
		}(i)
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else if !apperr.Is(err, apperr.KindConflict) {
			t.Errorf("apply: %v", err)
		}
	}
	var n int64
	f.db.Model(&Application{}).Where("partner_id = ?", pid).Count(&n)
	if ok != 1 || n != 1 {
		t.Fatalf("%d succeeded, %d applications", ok, n)
	}
}

// someBill is a bill of the partner to hang test incentives on.
func (f *fx) someBill(t *testing.T, pid int64) *string {
	t.Helper()
	var pol int64
	if err := f.db.Raw(`SELECT id FROM incentive_policies ORDER BY id LIMIT 1`).Scan(&pol).Error; err != nil {
		t.Fatal(err)
	}
	var id string
	code := "2020M" + string(rune('1'+int(seq.Add(1)%9)))
	if err := f.db.Raw(`INSERT INTO incentive_bills (partner_id, policy_id, period_code, period_start, adjustment, amount, status, calc,
		publicity_ends_on, confirmed_at) VALUES (?, ?, ?, '2020-01-01', 'reverse_positive', 1, 'confirmed', '{}', '2020-02-01', now())
		RETURNING id::text`, pid, pol, code).Scan(&id).Error; err != nil {
		t.Fatal(err)
	}
	return &id
}

// §12.1.5.16, R32: the invoice amount for a general taxpayer equals the
// incentive; a small-scale taxpayer invoices it ÷ 1.06 × 1.03.
func TestInvoiceAmountFormula(t *testing.T) {
	for _, c := range []struct{ amount, taxpayer, want string }{
		{"1060.00", "general", "1060"}, {"1060.00", "small_scale", "1030"},
		{"22000.00", "small_scale", "21377.36"}, {"100.01", "small_scale", "97.18"},
	} {
		if got := InvoiceAmount(d(c.amount), c.taxpayer); !got.Equal(d(c.want)) {
			t.Errorf("%s %s: %s, want %s", c.amount, c.taxpayer, got, c.want)
		}
	}
}

// 开票清单 (§12.1.5.19): the application number, the partner's invoicing
// details, the entity to invoice, the total and the invoice amount, the
// four allowed contents; read back through pdftotext. Another tenant's
// application is 404.
func TestBillingListReadsBack(t *testing.T) {
	f := setup(t, cst(2025, 2, 17, 21))
	pid, member := f.partner(t, "core")
	_, other := f.partner(t, "core")
	f.certify(t, pid)
	it := Item{BillID: f.someBill(t, pid), PartnerID: pid, PeriodCode: "2024Q4", Name: "季度门槛激励", Mode: "consulting", Amount: d("1060"),
		GeneratedAt: f.clk.Now(), Status: ItemPending}
	if err := f.db.Create(&it).Error; err != nil {
		t.Fatal(err)
	}
	app, err := f.svc.Apply(bg, member, []int64{it.ID}, MethodBank, "payout-key-billing-0001")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.BillingList(bg, other, app.ID); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("another tenant's billing list: %v", err)
	}
	// The partner changed its signing entity before it applied: the
	// invoice goes to 华为云计算 (R54); the guide says so too.
	if err := f.db.Exec(`UPDATE partners SET signing_entity_changed_at = ? WHERE id = ?`, cst(2025, 1, 1, 0), pid).Error; err != nil {
		t.Fatal(err)
	}
	g, err := f.svc.InvoiceGuide(bg, member, app.ID)
	if err != nil || g.Buyer != "华为云计算技术有限公司" || !g.Amount.Equal(d("1060")) || g.Rate != 6 || !g.Net.Add(g.Tax).Equal(g.Amount) || !g.Net.Equal(d("1000")) {
		t.Fatalf("guide %+v %v", g, err)
	}
	if err := f.db.Exec(`UPDATE partners SET signing_entity_changed_at = ? WHERE id = ?`, cst(2025, 3, 1, 0), pid).Error; err != nil {
		t.Fatal(err)
	}
	if g, err := f.svc.InvoiceGuide(bg, member, app.ID); err != nil || g.Buyer != "华为软件技术有限公司" {
		t.Fatalf("applied before the change: %+v %v", g, err)
	}
	if _, err := f.svc.InvoiceGuide(bg, other, app.ID); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("another tenant's guide: %v", err)
	}
	f.db.Exec(`UPDATE partners SET signing_entity_changed_at = ? WHERE id = ?`, cst(2025, 1, 1, 0), pid)
	name, data, err := f.svc.BillingList(bg, member, app.ID)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext (poppler-utils; .ci/run and make setup install it): %v\n%s", err, out)
	}
	text := strings.ReplaceAll(string(out), "\n", "")
	for _, want := range []string{"开票清单", app.No, "华为云计算技术有限公司", "1,060.00", "信息技术服务-信息系统服务", "2024Q4", "一般纳税人"} {
		if !strings.Contains(text, want) {
			t.Errorf("billing list lacks %q:\n%s", want, out)
		}
	}
}

// 自动申请 (§12.1.5.29): the admin's switch; the daily job applies the
// resale incentive from October 2023 to the account (invoice owed) and the
// others by the default method, once a day; a member cannot set it.
func TestAutoApply(t *testing.T) {
	f := setup(t, cst(2025, 2, 17, 21))
	pid, admin := f.partner(t, "core")
	f.certify(t, pid)
	member := access.Member(admin.UserID+1000000, pid, false)
	member.Identities = admin.Identities
	if err := f.svc.SetAutoApply(bg, member, true, MethodBank); !apperr.Is(err, apperr.KindForbidden) {
		t.Fatalf("a member sets 自动申请: %v", err)
	}
	if err := f.svc.SetAutoApply(bg, admin, true, MethodBank); err != nil {
		t.Fatal(err)
	}
	for _, it := range []Item{
		{BillID: f.someBill(t, pid), PartnerID: pid, PeriodCode: "2024Q4", Name: "新代售", Mode: "resale", Amount: d("300"), GeneratedAt: cst(2024, 12, 1, 0)},
		{BillID: f.someBill(t, pid), PartnerID: pid, PeriodCode: "2022Y", Name: "顾问", Mode: "consulting", Amount: d("200"), GeneratedAt: cst(2023, 1, 1, 0)},
	} {
		it.Status = ItemPending
		if err := f.db.Create(&it).Error; err != nil {
			t.Fatal(err)
		}
	}
	n, err := f.svc.AutoApply(bg)
	if err != nil || n != 2 {
		t.Fatalf("auto-applied %d: %v", n, err)
	}
	var methods []string
	f.db.Raw(`SELECT method FROM payment_applications WHERE partner_id = ? ORDER BY method`, pid).Scan(&methods)
	if strings.Join(methods, ",") != "account_owed,bank" {
		t.Fatalf("methods %v", methods)
	}
	if n, err := f.svc.AutoApply(bg); err != nil || n != 0 {
		t.Fatalf("a second run the same day: %d %v", n, err)
	}
}

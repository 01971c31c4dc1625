package incentive

import (
	"strings"
	"testing"
	"time"

	"partnercenter/internal/events"
	"partnercenter/internal/ledger"
	"partnercenter/internal/platform/apperr"
)

// 转代金券额度 (§12.1.5.14): no invoice, completed at once, the voucher
// quota account credited through the ledger; the cash balance untouched.
func TestVoucherQuotaCreditsTheQuotaAccount(t *testing.T) {
	f := setup(t, cst(2025, 2, 17, 21))
	pid, member := f.partner(t, "core")
	f.certify(t, pid)
	it := Item{BillID: f.someBill(t, pid), PartnerID: pid, PeriodCode: "2024Y", Name: "顾问", Mode: "consulting", Amount: d("300"),
		GeneratedAt: f.clk.Now(), Status: ItemPending}
	if err := f.db.Create(&it).Error; err != nil {
		t.Fatal(err)
	}
	app, err := f.svc.Apply(bg, member, []int64{it.ID}, MethodVoucherQuota, "payout-key-quota-0001")
	if err != nil || app.Status != AppCompleted || app.NeedsInvoice || app.LedgerTxID == nil {
		t.Fatalf("转代金券额度: %+v %v", app, err)
	}
	bal, err := ledger.SumBalances(bg, f.db, pid, ledger.KindPartnerVoucherQuota, ledger.KindPartnerCash)
	if err != nil || !bal[ledger.KindPartnerVoucherQuota].Equal(d("300")) || !bal[ledger.KindPartnerCash].IsZero() {
		t.Fatalf("balances %v %v", bal, err)
	}
	page, err := f.svc.Payouts(bg, member)
	if err != nil || !page.Quota.Equal(d("300")) {
		t.Fatalf("the page's quota %+v %v", page, err)
	}
	if fs, err := ledger.Check(bg, f.db); err != nil || len(fs) > 0 {
		t.Fatalf("ledger check: %v %v", fs, err)
	}
	f.checkClean(t)
	// The check sees a completed application whose credit is missing.
	if err := f.db.Exec(`UPDATE payment_applications SET ledger_tx_id = NULL WHERE id = ?`, app.ID).Error; err != nil {
		t.Fatal(err)
	}
	diffs, err := Check(bg, f.db)
	f.db.Exec(`UPDATE payment_applications SET ledger_tx_id = ? WHERE id = ?`, *app.LedgerTxID, app.ID)
	if err != nil || len(diffs) != 1 || !strings.Contains(diffs[0], app.No) {
		t.Fatalf("check of a missing credit: %v %v", diffs, err)
	}
}

// lapse ends a partner's programme membership at t.
func (f *fx) lapse(t *testing.T, pid int64, at time.Time) {
	t.Helper()
	if err := f.db.Exec(`UPDATE program_memberships SET status = 'exited', ended_at = ?, end_reason = '退出' WHERE partner_id = ?`, at, pid).Error; err != nil {
		t.Fatal(err)
	}
}

func (f *fx) item(t *testing.T, pid int64, amount string) *Item {
	t.Helper()
	it := Item{BillID: f.someBill(t, pid), PartnerID: pid, PeriodCode: "2024Y", Name: "到期测试", Mode: "consulting", Amount: d(amount),
		GeneratedAt: f.clk.Now(), Status: ItemPending}
	if err := f.db.Create(&it).Error; err != nil {
		t.Fatal(err)
	}
	return &it
}

func (f *fx) reload(t *testing.T, it *Item) Item {
	t.Helper()
	var out Item
	if err := f.db.First(&out, it.ID).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

// The seed's vector (§12.1.5.35): +200 expires while −600 is unapplied →
// expired +200, expired −600, a new −400. A negative that arises later is
// not netted; negatives never expire; a year after the lapse, not before.
func TestExpiryNetsTheSeedsVector(t *testing.T) {
	f := setup(t, cst(2025, 3, 1, 10))
	pid, member := f.partner(t, "core")
	pos, neg := f.item(t, pid, "200"), f.item(t, pid, "-600")
	lapsed := cst(2025, 3, 1, 0)
	f.lapse(t, pid, lapsed)

	// A year less a day after the lapse: dated, nothing expires.
	f.clk.Advance(lapsed.AddDate(1, 0, -1).Sub(f.clk.Now()))
	if _, err := f.svc.Expire(bg); err != nil {
		t.Fatal(err)
	}
	p := f.reload(t, pos)
	if p.Status != ItemPending || p.ExpiresAt == nil || !p.ExpiresAt.Equal(lapsed.AddDate(1, 0, 0)) {
		t.Fatalf("the positive before its expiry: %+v", p)
	}
	if n := f.reload(t, neg); n.ExpiresAt != nil {
		t.Fatalf("a negative got an expiry: %+v", n)
	}

	// The day after: netted.
	f.clk.Advance(48 * time.Hour)
	if _, err := f.svc.Expire(bg); err != nil {
		t.Fatal(err)
	}
	p, n := f.reload(t, pos), f.reload(t, neg)
	if p.Status != ItemExpired || n.Status != ItemExpired || p.NettingID == nil || n.NettingID == nil || *p.NettingID != *n.NettingID {
		t.Fatalf("expired records: %+v %+v", p, n)
	}
	page, err := f.svc.Payouts(bg, member)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 1 || !page.Items[0].Amount.Equal(d("-400")) || page.Items[0].Origin != "netting" || page.Items[0].BillID != nil {
		t.Fatalf("the remainder: %+v", page.Items)
	}
	if len(page.Nettings) != 1 || !page.Nettings[0].Positive.Equal(d("200")) || !page.Nettings[0].Negative.Equal(d("-600")) ||
		!page.Nettings[0].Remainder.Equal(d("-400")) || len(page.Netted[page.Nettings[0].ID]) != 3 {
		t.Fatalf("the netting: %+v %+v", page.Nettings, page.Netted)
	}
	if evs, err := events.Since(bg, f.db, pid, 0, 10); err != nil || len(evs) != 1 || evs[0].Type != events.IncentiveExpired {
		t.Fatalf("the expiry's event: %+v %v", evs, err)
	}
	// Expired incentives cannot be applied for (restored).
	if _, err := f.svc.Apply(bg, member, []int64{pos.ID}, MethodBank, "payout-key-expired-001"); !apperr.Is(err, apperr.KindConflict) {
		t.Fatalf("an expired incentive applied for: %v", err)
	}

	// A negative arising after the expiry is not netted, and never expires.
	late := f.item(t, pid, "-50")
	f.clk.Advance(24 * time.Hour)
	if _, err := f.svc.Expire(bg); err != nil {
		t.Fatal(err)
	}
	if l := f.reload(t, late); l.Status != ItemPending || l.ExpiresAt != nil {
		t.Fatalf("the later negative: %+v", l)
	}
	var nettings int64
	f.db.Model(&Netting{}).Where("partner_id = ?", pid).Count(&nettings)
	if nettings != 1 {
		t.Fatalf("%d nettings", nettings)
	}
}

// When the positives cover the negatives, the negatives are offset in full
// and no remainder is written; a partner back in a programme keeps its
// incentives.
func TestExpiryOffsetsInFullAndSparesActivePartners(t *testing.T) {
	f := setup(t, cst(2025, 3, 1, 10))
	pid, member := f.partner(t, "core")
	f.item(t, pid, "500")
	f.item(t, pid, "-200")
	f.lapse(t, pid, cst(2024, 1, 1, 0))
	back, _ := f.partner(t, "core")
	kept := f.item(t, back, "80")
	f.db.Exec(`INSERT INTO program_memberships (partner_id, program, status, level, ended_at, end_reason, created_at, updated_at)
		VALUES (?, 'solution_provider', 'exited', 'core', ?, '退出', now(), now())`, back, cst(2023, 1, 1, 0))

	if _, err := f.svc.Expire(bg); err != nil {
		t.Fatal(err)
	}
	page, err := f.svc.Payouts(bg, member)
	if err != nil || len(page.Items) != 0 || len(page.Nettings) != 1 || !page.Nettings[0].Remainder.IsZero() {
		t.Fatalf("offset in full: %+v %v", page, err)
	}
	if k := f.reload(t, kept); k.Status != ItemPending || k.ExpiresAt != nil {
		t.Fatalf("an active partner's incentive: %+v", k)
	}
}

// The daily expiry and an application over the same incentives at once:
// exactly one of them takes them (-race).
func TestConcurrentExpiryAndApplication(t *testing.T) {
	f := setup(t, cst(2025, 3, 1, 10))
	for round := 0; round < 4; round++ {
		pid, member := f.partner(t, "core")
		f.certify(t, pid)
		pos := f.item(t, pid, "300")
		f.item(t, pid, "-100")
		f.lapse(t, pid, f.clk.Now().AddDate(-1, 0, -1))
		done := make(chan error, 2)
		go func() { _, err := f.svc.Expire(bg); done <- err }()
		go func() {
			_, err := f.svc.Apply(bg, member, []int64{pos.ID}, MethodBank, "payout-key-expiry-race-"+string(rune('a'+round)))
			if apperr.Is(err, apperr.KindConflict) {
				err = nil // the expiry took them first
			}
			done <- err
		}()
		for range 2 {
			if err := <-done; err != nil {
				t.Fatal(err)
			}
		}
		var apps, nettings int64
		f.db.Model(&Application{}).Where("partner_id = ?", pid).Count(&apps)
		f.db.Model(&Netting{}).Where("partner_id = ?", pid).Count(&nettings)
		if apps+nettings != 1 {
			t.Fatalf("round %d: %d applications and %d nettings", round, apps, nettings)
		}
	}
}

package invoice

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// The three examples of seed 003 §12.1.9.4 (R51–R53) with the seed's
// numbers. The change instant is 2025-07-01 00:00 China time.
func TestSigningEntityChangeExamplesOfSeed(t *testing.T) {
	change := time.Date(2025, 6, 30, 16, 0, 0, 0, time.UTC)
	before := change.Add(-30 * 24 * time.Hour)
	after := change.Add(24 * time.Hour)
	later := change.Add(10 * 24 * time.Hour)
	latest := change.Add(20 * 24 * time.Hour)
	cases := []struct {
		name     string
		events   []Event
		software string
		cloud    string
		owed     string
		balance  string
	}{
		{
			// R51: balance 100, 20 of it invoiced before (欠票), 80 not;
			// after the change 90 is consumed → balance 10, invoiceable 70
			// by 华为云计算; the 20 is not invoiced again.
			name: "R51 balance invoiced in advance is not invoiced again",
			events: []Event{
				{Kind: EventRecharge, At: before, Amount: d("100")},
				{Kind: EventInvoice, At: before.Add(time.Hour), Amount: d("20"), Entity: EntitySoftware},
				{Kind: EventConsume, At: after, Amount: d("90")},
			},
			software: "0", cloud: "70", owed: "0", balance: "10",
		},
		{
			// 返华为云账户-记欠票 (§12.1.5.16): an incentive of 100 credited
			// with its invoice owed; 60 consumed draws the owed amount down
			// and nothing is invoiceable; 50 more (40 of the incentive, 10
			// of a bank recharge) leaves 10 invoiceable.
			name: "incentive credited with the invoice owed is not invoiced when consumed",
			events: []Event{
				{Kind: EventOwedCredit, At: after, Amount: d("100")},
				{Kind: EventConsume, At: later, Amount: d("60")},
				{Kind: EventRecharge, At: later.Add(time.Hour), Amount: d("10")},
				{Kind: EventConsume, At: latest, Amount: d("50")},
			},
			software: "0", cloud: "10", owed: "0", balance: "0",
		},
		{
			name: "incentive credited with the invoice owed, not yet consumed",
			events: []Event{
				{Kind: EventOwedCredit, At: after, Amount: d("100")},
				{Kind: EventConsume, At: later, Amount: d("60")},
			},
			software: "0", cloud: "0", owed: "40", balance: "40",
		},
		{
			// R52: 100 consumed before the change and never invoiced →
			// 100 invoiceable from 华为软件 after it.
			name: "R52 consumption before the change is invoiced by Huawei Software",
			events: []Event{
				{Kind: EventRecharge, At: before.Add(-time.Hour), Amount: d("100")},
				{Kind: EventConsume, At: before, Amount: d("100")},
			},
			software: "100", cloud: "0", owed: "0", balance: "0",
		},
		{
			// R53 example 1: 100 consumed, not invoiced; after the change
			// the order is unsubscribed with an 80 refund; 50 consumed →
			// invoiceable 50 by 华为云计算 (华为软件 keeps the 20 not refunded).
			name: "R53 ex1 refund of an uninvoiced order then new consumption",
			events: []Event{
				{Kind: EventRecharge, At: before.Add(-time.Hour), Amount: d("100")},
				{Kind: EventConsume, At: before, Amount: d("100")},
				{Kind: EventRefund, At: after, Amount: d("80"), Entity: EntitySoftware},
				{Kind: EventConsume, At: later, Amount: d("50")},
			},
			software: "20", cloud: "50", owed: "0", balance: "30",
		},
		{
			// R53 example 2: 100 consumed and invoiced; after the change
			// unsubscribed without returning the invoice, refund 80 → owed
			// invoice 80; 50 consumed → owed 30.
			name: "R53 ex2 refund of an invoiced order is owed, consumption draws it down",
			events: []Event{
				{Kind: EventRecharge, At: before.Add(-time.Hour), Amount: d("100")},
				{Kind: EventConsume, At: before, Amount: d("100")},
				{Kind: EventInvoice, At: before.Add(time.Hour), Amount: d("100"), Entity: EntitySoftware},
				{Kind: EventRefund, At: after, Amount: d("80"), Entity: EntitySoftware},
			},
			software: "0", cloud: "0", owed: "80", balance: "80",
		},
		{
			name: "R53 ex2 continued",
			events: []Event{
				{Kind: EventRecharge, At: before.Add(-time.Hour), Amount: d("100")},
				{Kind: EventConsume, At: before, Amount: d("100")},
				{Kind: EventInvoice, At: before.Add(time.Hour), Amount: d("100"), Entity: EntitySoftware},
				{Kind: EventRefund, At: after, Amount: d("80"), Entity: EntitySoftware},
				{Kind: EventConsume, At: latest, Amount: d("50")},
			},
			software: "0", cloud: "0", owed: "30", balance: "30",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Compute(&change, c.events)
			if !got.Invoiceable[EntitySoftware].Equal(d(c.software)) || !got.Invoiceable[EntityCloud].Equal(d(c.cloud)) ||
				!got.Owed.Equal(d(c.owed)) || !got.Balance.Equal(d(c.balance)) {
				t.Fatalf("software %s cloud %s owed %s balance %s; want %s %s %s %s", got.Invoiceable[EntitySoftware],
					got.Invoiceable[EntityCloud], got.Owed, got.Balance, c.software, c.cloud, c.owed, c.balance)
			}
		})
	}
}

// Events are applied in time order whatever order they are given in, and
// a partner that never changed bills everything by 华为软件.
func TestComputeOrdersEventsAndWithoutChangeEverythingIsSoftware(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	got := Compute(nil, []Event{
		{Kind: EventConsume, At: t0.Add(2 * time.Hour), Amount: d("30")},
		{Kind: EventInvoice, At: t0, Amount: d("10"), Entity: EntitySoftware}, // advance invoice: owed 10
	})
	if !got.Invoiceable[EntitySoftware].Equal(d("20")) || !got.Owed.IsZero() || !got.Invoiceable[EntityCloud].IsZero() {
		t.Fatalf("%+v", got)
	}
}

func TestTaxIsSixPercentIncludedRoundedHalfUpToFen(t *testing.T) {
	for _, c := range []struct{ amount, tax string }{
		{"106.00", "6.00"}, {"100.00", "5.66"}, {"99.99", "5.66"}, {"1.00", "0.06"}, {"0.08", "0.00"},
		{"0.09", "0.01"}, {"12345.67", "698.81"}, {"70.00", "3.96"},
	} {
		if got := Tax(d(c.amount)); !got.Equal(d(c.tax)) {
			t.Errorf("Tax(%s) = %s, want %s", c.amount, got, c.tax)
		}
	}
}

func TestPostageUnder100IsFreightCollect(t *testing.T) {
	if Postage(MediumPaper, d("99.99")) != PostageCollect || Postage(MediumPaper, d("100")) != PostageVendor ||
		Postage(MediumElectronic, d("5")) != PostageNone {
		t.Fatal("R23 postage rule")
	}
}

// TestTitleLimitIs100GBKBytes: "发票抬头长度不能超过100个字节（50个汉字）"
// (§12.1.4.22) counts as the tax system does — 2 bytes a Chinese
// character, 1 an ASCII one — on both sides of every boundary.
func TestTitleLimitIs100GBKBytes(t *testing.T) {
	zh := func(n int) string { return strings.Repeat("云", n) }
	ascii := func(n int) string { return strings.Repeat("a", n) }
	for _, c := range []struct {
		title string
		ok    bool
	}{
		{zh(50), true}, {zh(51), false}, // all Chinese: 100 / 102 bytes
		{zh(34), true},                          // refused when UTF-8 bytes were counted (102)
		{ascii(100), true}, {ascii(101), false}, // all ASCII
		{zh(49) + ascii(2), true}, {zh(49) + ascii(3), false}, // mixed: 100 / 101
		{zh(48) + "（" + ascii(2), true},             // full-width punctuation is 2 bytes too
		{zh(48) + "😀", true}, {zh(49) + "😀", false}, // outside GBK: 4 bytes (100 / 102)
		{"", false},
	} {
		if got := ValidTitle(c.title); got != c.ok {
			t.Errorf("ValidTitle(%d runes, %d GBK bytes) = %v, want %v", len([]rune(c.title)), TitleBytes(c.title), got, c.ok)
		}
	}
}

func bill(period string, amount string, refund bool) Bill {
	p, _ := ParsePeriod(period)
	return Bill{Period: p, Invoiceable: d(amount), HasRefund: refund}
}

// R26: a specified amount is matched refunds first, then oldest to newest,
// whole bills only (R22).
func TestSpecifiedAmountMatchesRefundsFirstThenOldestWithoutSplitting(t *testing.T) {
	bills := []Bill{bill("2025-06", "300", false), bill("2025-04", "100", false), bill("2025-05", "-40", true), bill("2025-03", "50", true)}
	plan, err := PlanAmount(bills, d("110"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range plan.Bills {
		got = append(got, PeriodKey(b.Period))
	}
	// -40 (net refunds) + 50 (refunds and consumption) + 100 (oldest) = 110
	if len(got) != 3 || got[0] != "2025-05" || got[1] != "2025-03" || got[2] != "2025-04" || !plan.Amount.Equal(d("110")) {
		t.Fatalf("matched %v = %s", got, plan.Amount)
	}
	if _, err := PlanAmount(bills, d("200")); err == nil {
		t.Fatal("an amount inside 2025-06 would split that bill")
	}
	if _, err := PlanAmount(bills, d("411")); err == nil {
		t.Fatal("an amount above the invoiceable total accepted")
	}
	if p, err := PlanAmount(bills, d("410")); err != nil || len(p.Bills) != 4 {
		t.Fatalf("the whole invoiceable amount: %v", err)
	}
}

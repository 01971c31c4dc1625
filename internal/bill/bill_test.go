package bill

import (
	"context"
	"testing"

	"partnercenter/internal/access"
	"partnercenter/internal/bill/billtest"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func eq(t *testing.T, what, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %s, want %s", what, got, want)
	}
}

// TestSummaryFormulaAndTypes (§12.1.9.8): total = cash + voucher + card +
// arrears over consumption, refunds (negative) and adjustments of the
// period; discounts and 抹零 summed; another period and another partner
// are not included.
func TestSummaryFormulaAndTypes(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	a := billtest.NewTenant(t, g, 2)
	other := billtest.NewTenant(t, g, 1)
	billtest.Insert(t, g, a.ID,
		// §12.1.9.8's example: ¥3.64 of 云硬盘 paid in cash.
		billtest.Row{Customer: a.Customers[0], Period: "2024-06", Product: "云硬盘", ListPrice: "3.64"},
		// R61: 0.04599822 charged 0.04, 抹零 0.00599822.
		billtest.Row{Customer: a.Customers[0], Period: "2024-06", Product: "云审计服务", ListPrice: "0.04599822"},
		billtest.Row{Customer: a.Customers[1], Period: "2024-06", Product: "弹性云服务器", Resource: "通用计算型", ListPrice: "120.50", Discount: "20.50", Voucher: "30.00", Card: "10.00", Arrears: "5.00", BillingMode: "yearly_monthly"},
		billtest.Row{Customer: a.Customers[1], Period: "2024-06", Type: "refund", Product: "弹性云服务器", Resource: "通用计算型", ListPrice: "-12.00", BillingMode: "yearly_monthly"},
		billtest.Row{Customer: a.Customers[1], Period: "2024-06", Type: "adjustment", Product: "云硬盘", ListPrice: "1.10"},
		billtest.Row{Customer: a.Customers[0], Period: "2024-05", Product: "云硬盘", ListPrice: "99.00"},
	)
	billtest.Insert(t, g, other.ID, billtest.Row{Customer: other.Customers[0], Period: "2024-06", Product: "云硬盘", ListPrice: "1000"})

	s, err := Service{DB: g}.Summary(ctx, a.Member(), ParsePeriod("2024-06"))
	if err != nil {
		t.Fatal(err)
	}
	// 3.64 + 0.04 + 100.00 − 12.00 + 1.10 = 92.78
	eq(t, "total", s.Total.Amount.StringFixed(2), "92.78")
	eq(t, "cash", s.Total.Cash.StringFixed(2), "47.78")
	eq(t, "voucher", s.Total.Voucher.StringFixed(2), "30.00")
	eq(t, "card", s.Total.Card.StringFixed(2), "10.00")
	eq(t, "arrears", s.Total.Arrears.StringFixed(2), "5.00")
	eq(t, "cash+voucher+card+arrears", s.Total.Cash.Add(s.Total.Voucher).Add(s.Total.Card).Add(s.Total.Arrears).StringFixed(2), "92.78")
	eq(t, "discount", s.Total.Discount.StringFixed(2), "20.50")
	eq(t, "rounding", s.Total.RoundingOff.StringFixed(8), "0.00599822")
	eq(t, "refunds", s.ByType[TypeRefund].Amount.StringFixed(2), "-12.00")
	eq(t, "adjustments", s.ByType[TypeAdjustment].Amount.StringFixed(2), "1.10")
	if s.Total.Rows != 5 {
		t.Errorf("rows = %d, want 5", s.Total.Rows)
	}

	periods, err := Service{DB: g}.Periods(ctx, a.Member())
	if err != nil {
		t.Fatal(err)
	}
	if len(periods) != 2 || periods[0].Format(PeriodFormat) != "2024-06" || periods[1].Format(PeriodFormat) != "2024-05" {
		t.Fatalf("periods = %v", periods)
	}

	lines, err := Service{DB: g}.Lines(ctx, a.Member(), ParsePeriod("2024-06"), TypeConsumption, 1)
	if err != nil {
		t.Fatal(err)
	}
	if lines.Total != 3 || lines.Lines[0].ProductType != "弹性云服务器" || lines.Lines[0].Amount.StringFixed(2) != "100.00" {
		t.Fatalf("consumption lines = %+v", lines)
	}
	refunds, _ := Service{DB: g}.Lines(ctx, a.Member(), ParsePeriod("2024-06"), TypeRefund, 1)
	if refunds.Total != 1 || refunds.Lines[0].Amount.StringFixed(2) != "-12.00" {
		t.Fatalf("refund lines = %+v", refunds)
	}

	bars, _ := Service{DB: g}.ByProduct(ctx, a.Member(), ParsePeriod("2024-06"), 10)
	if len(bars) != 3 || bars[0].ProductType != "弹性云服务器" {
		t.Fatalf("bars = %+v", bars)
	}

	cs, err := Service{DB: g}.Customers(ctx, a.Member(), ParsePeriod("2024-06"), CustomerFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if cs.Total != 2 || cs.Rows[0].CustomerID != a.Customers[1] || cs.Rows[0].Amount.StringFixed(2) != "89.10" ||
		cs.Rows[0].Refunds.StringFixed(2) != "-12.00" {
		t.Fatalf("customers = %+v", cs)
	}
	none, _ := Service{DB: g}.Customers(ctx, a.Member(), ParsePeriod("2024-06"), CustomerFilter{Mode: "consulting"})
	if none.Total != 0 {
		t.Fatalf("consulting filter found %d", none.Total)
	}
}

// TestOtherTenantSeesNothing: a partner's bill never includes another
// partner's rows (tenant first).
func TestOtherTenantSeesNothing(t *testing.T) {
	g := dbtest.DB(t)
	a := billtest.NewTenant(t, g, 1)
	b := billtest.NewTenant(t, g, 1)
	billtest.Insert(t, g, a.ID, billtest.Row{Customer: a.Customers[0], Period: "2024-07", Product: "云硬盘", ListPrice: "5"})
	s, err := Service{DB: g}.Summary(context.Background(), b.Member(), ParsePeriod("2024-07"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Total.Rows != 0 {
		t.Fatalf("partner b sees %d rows of partner a", s.Total.Rows)
	}
	ps, _ := Service{DB: g}.Periods(context.Background(), b.Member())
	if len(ps) != 0 {
		t.Fatalf("partner b has periods %v", ps)
	}
}

// TestOnlyAPartnerMemberReadsABill: vendor staff, a customer account, the
// system and no principal at all are refused (Forbidden) by every method,
// whatever tenant they might carry; nothing of the bill is returned.
func TestOnlyAPartnerMemberReadsABill(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	a := billtest.NewTenant(t, g, 1)
	billtest.Insert(t, g, a.ID, billtest.Row{Customer: a.Customers[0], Period: "2024-08", Product: "云硬盘", ListPrice: "5"})
	vendor := access.VendorStaff(a.UserID, "finance")
	vendor.PartnerID = a.ID // a stray tenant on a vendor principal grants nothing
	customer := access.CustomerUser(a.UserID)
	customer.PartnerID = a.ID
	s := Service{DB: g}
	per := ParsePeriod("2024-08")
	for name, p := range map[string]*access.Principal{"vendor": vendor, "customer": customer, "system": access.System, "nil": nil} {
		checks := map[string]error{}
		ps, err := s.Periods(ctx, p)
		checks["Periods"] = err
		sum, err := s.Summary(ctx, p, per)
		checks["Summary"] = err
		lines, err := s.Lines(ctx, p, per, TypeConsumption, 1)
		checks["Lines"] = err
		bars, err := s.ByProduct(ctx, p, per, 8)
		checks["ByProduct"] = err
		cs, err := s.Customers(ctx, p, per, CustomerFilter{})
		checks["Customers"] = err
		for m, err := range checks {
			if !apperr.Is(err, apperr.KindForbidden) {
				t.Errorf("%s %s: %v, want forbidden", name, m, err)
			}
		}
		if ps != nil || sum != nil || lines != nil || bars != nil || cs != nil {
			t.Errorf("%s read something: %v %v %v %v %v", name, ps, sum, lines, bars, cs)
		}
	}
}

// TestStreamDetailsInOrder: every line of the period, in transaction
// order, with the exact 8-decimal text of the amounts.
func TestStreamDetailsInOrder(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	a := billtest.NewTenant(t, g, 3)
	billtest.Generate(t, g, a.ID, a.Customers, "2024-03", 500)
	n, err := CountDetails(ctx, g, a.ID, ParsePeriod("2024-03"))
	if err != nil || n != 500 {
		t.Fatalf("count = %d, %v", n, err)
	}
	var seen int64
	var last Detail
	err = StreamDetails(ctx, g, a.ID, ParsePeriod("2024-03"), func(d *Detail) error {
		if seen > 0 && d.TransactionAt.Before(last.TransactionAt) {
			t.Fatalf("row %d out of order", seen)
		}
		last = *d
		seen++
		return nil
	})
	if err != nil || seen != 500 {
		t.Fatalf("streamed %d, %v", seen, err)
	}
}

// TestTrendIsEachPeriodsSummaryTotal: the home page's trend gives, oldest
// first, the latest n periods with the amount Summary totals for each.
func TestTrendIsEachPeriodsSummaryTotal(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	a := billtest.NewTenant(t, g, 1)
	billtest.Insert(t, g, a.ID,
		billtest.Row{Customer: a.Customers[0], Period: "2024-04", Product: "云硬盘", ListPrice: "1.00"},
		billtest.Row{Customer: a.Customers[0], Period: "2024-05", Product: "云硬盘", ListPrice: "2.50"},
		billtest.Row{Customer: a.Customers[0], Period: "2024-06", Product: "云硬盘", ListPrice: "3.64"},
		billtest.Row{Customer: a.Customers[0], Period: "2024-06", Type: "refund", Product: "云硬盘", ListPrice: "-0.64"},
	)
	s := Service{DB: g}
	trend, err := s.Trend(ctx, a.Member(), 2)
	if err != nil || len(trend) != 2 {
		t.Fatalf("trend %+v %v", trend, err)
	}
	for i, want := range []string{"2024-05", "2024-06"} {
		if got := trend[i].Period.Format(PeriodFormat); got != want {
			t.Errorf("bar %d is %s, want %s", i, got, want)
		}
		sum, err := s.Summary(ctx, a.Member(), trend[i].Period)
		if err != nil || !sum.Total.Amount.Equal(trend[i].Amount) {
			t.Errorf("%s: trend %s, summary %s (%v)", want, trend[i].Amount, sum.Total.Amount, err)
		}
	}
}

package consumption

import (
	"context"
	"fmt"
	"testing"
	"time"

	"partnercenter/internal/platform/dbtest"
)

// The partner bill reads a period through consumption (issue 8): the
// periods with lines, totals by bill type, lines by product, the chart,
// the per-customer summary and the detail lines all agree with what was
// imported.
func TestBillReadsOfAPeriod(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	w := fixture(t, g, "")
	n := uniq()
	run(t, g, "bill.csv", csvOf(
		fmt.Sprintf("ba-%d,%s,消费,2025-05,2025-05-20 08:00:00,B1,弹性云服务器 ECS,s6,ecs,i-1,cn-north-4,包年/包月,10,0,,,,,", n, w.consult),
		fmt.Sprintf("bb-%d,%s,消费,2025-06,2025-06-01 08:00:00,B2,弹性云服务器 ECS,s6,ecs,i-1,cn-north-4,包年/包月,30,0,,,,,", n, w.consult),
		fmt.Sprintf("bc-%d,%s,消费,2025-06,2025-06-02 08:00:00,B3,对象存储 OBS,标准,obs,b-1,cn-north-4,按需,5,0,,,,,", n, w.resale),
		fmt.Sprintf("bd-%d,%s,退款,2025-06,2025-06-03 08:00:00,B2,弹性云服务器 ECS,s6,ecs,i-1,cn-north-4,包年/包月,-4,0,,,,,", n, w.consult),
	))
	june := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

	periods, err := BillingPeriods(ctx, g, w.partner)
	if err != nil || len(periods) != 2 || !periods[0].Equal(june) || periods[1].Month() != time.May {
		t.Fatalf("periods = %v %v", periods, err)
	}
	totals, err := PeriodTotals(ctx, g, w.partner, june)
	if err != nil {
		t.Fatal(err)
	}
	if c, r := totals["consumption"], totals["refund"]; len(totals) != 2 || c.Rows != 2 || !c.Amount.Equal(dec("35")) ||
		r.Rows != 1 || !r.Amount.Equal(dec("-4")) || !c.Add(r).Amount.Equal(dec("31")) {
		t.Fatalf("totals = %+v", totals)
	}
	lines, total, err := PeriodLines(ctx, g, w.partner, june, "consumption", 1, 0)
	if err != nil || total != 2 || len(lines) != 1 || lines[0].ProductType != "弹性云服务器 ECS" || !lines[0].Amount.Equal(dec("30")) {
		t.Fatalf("lines = %+v (of %d) %v", lines, total, err)
	}
	chart, err := PeriodByProduct(ctx, g, w.partner, june, 10)
	if err != nil || len(chart) != 2 || chart[0].ProductType != "弹性云服务器 ECS" || !chart[1].Amount.Equal(dec("5")) {
		t.Fatalf("chart = %+v %v", chart, err)
	}
	customers, total, err := PeriodCustomers(ctx, g, w.partner, june, CustomerQuery{Limit: 20})
	if err != nil || total != 2 || len(customers) != 2 || customers[0].Account != w.consult ||
		!customers[0].Amount.Equal(dec("26")) || !customers[0].Refunds.Equal(dec("-4")) || customers[1].Mode != "resale" {
		t.Fatalf("customers = %+v (of %d) %v", customers, total, err)
	}
	only, total, err := PeriodCustomers(ctx, g, w.partner, june, CustomerQuery{Like: "%" + w.resale + "%", Mode: "resale", Limit: 20})
	if err != nil || total != 1 || len(only) != 1 || only[0].Account != w.resale {
		t.Fatalf("filtered customers = %+v (of %d) %v", only, total, err)
	}
	count, err := CountPeriodLines(ctx, g, w.partner, june)
	if err != nil || count != 3 {
		t.Fatalf("count = %d %v", count, err)
	}
	var got []string
	if err := StreamPeriodLines(ctx, g, w.partner, june, func(d *LineDetail) error {
		got = append(got, d.BillType+" "+d.Charged+" "+d.Account)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprint([]string{"consumption 30 " + w.consult, "consumption 5 " + w.resale, "refund -4 " + w.consult})
	if fmt.Sprint(got) != want {
		t.Fatalf("details = %v, want %v", got, want)
	}
}

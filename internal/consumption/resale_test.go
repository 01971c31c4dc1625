package consumption

import (
	"context"
	"fmt"
	"testing"

	"partnercenter/internal/platform/dbtest"
)

// invoice asks consumption for the resale cash of a set of partners
// (issue 8): per billing period and entity from the rollups, and per
// minute and direction from the lines. Consulting lines and other
// partners' lines are not in it.
func TestResaleCashByPeriodAndByMinute(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	w := fixture(t, g, "100.00")
	other := fixture(t, g, "100.00")
	n := uniq()
	run(t, g, "resale.csv", csvOf(
		fmt.Sprintf("ra-%d,%s,消费,2025-06,2025-06-01 08:00:00,CS1,弹性云服务器 ECS,s6.large,ecs,i-1,cn-north-4,包年/包月,80.12345678,0,,,,,", n, w.resale),
		fmt.Sprintf("rb-%d,%s,消费,2025-06,2025-06-02 08:00:00,CS2,对象存储 OBS,标准存储,obs,b-1,cn-north-4,按需,50,5,,,,10.00,", n, w.resale),
		fmt.Sprintf("rc-%d,%s,退款,2025-06,2025-06-03 08:00:00,CS1,弹性云服务器 ECS,s6.large,ecs,i-1,cn-north-4,包年/包月,-20.5,0,,,,,", n, w.resale),
		fmt.Sprintf("rd-%d,%s,消费,2025-06,2025-06-04 08:00:00,CS3,弹性云服务器 ECS,s6.large,ecs,i-2,cn-north-4,包年/包月,7,0,,,,,", n, w.consult),
		fmt.Sprintf("re-%d,%s,消费,2025-06,2025-06-05 08:00:00,CS4,弹性云服务器 ECS,s6.large,ecs,i-3,cn-north-4,包年/包月,9,0,,,,,", n, other.resale),
	))

	periods, err := ResaleByPeriod(ctx, g, []int64{w.partner}, "software")
	if err != nil {
		t.Fatal(err)
	}
	if len(periods) != 1 {
		t.Fatalf("periods = %+v", periods)
	}
	p := periods[0]
	// Cash: 80.12 + (45.00 − 10 voucher − 15.12 arrears = 19.88) − 20.50.
	if p.BillingPeriod.Format("2006-01") != "2025-06" || !p.Consumption.Equal(dec("100.00")) || !p.Refunds.Equal(dec("-20.50")) ||
		!p.Adjustments.IsZero() || !p.Cash.Equal(dec("79.50")) || !p.HasRefund {
		t.Fatalf("period = %+v", p)
	}
	if none, err := ResaleByPeriod(ctx, g, []int64{w.partner}, "cloud"); err != nil || len(none) != 0 {
		t.Fatalf("cloud entity = %+v %v", none, err)
	}
	both, err := ResaleByPeriod(ctx, g, []int64{w.partner, other.partner}, "software")
	if err != nil || len(both) != 1 || !both[0].Cash.Equal(dec("88.50")) {
		t.Fatalf("both partners = %+v %v", both, err)
	}
	if none, err := ResaleByPeriod(ctx, g, nil, "software"); err != nil || len(none) != 0 {
		t.Fatalf("no partners = %+v %v", none, err)
	}

	minutes, err := ResaleByMinute(ctx, g, []int64{w.partner})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range minutes {
		got = append(got, m.Cash.StringFixed(2)+" "+m.Entity)
	}
	if fmt.Sprint(got) != "[80.12 software 19.88 software -20.50 software]" {
		t.Fatalf("minutes = %v, want the three resale moves in time order", got)
	}
	for i := 1; i < len(minutes); i++ {
		if minutes[i].At.Before(minutes[i-1].At) || minutes[i].At.Second() != 0 {
			t.Fatalf("minutes out of order or not at a minute's start: %+v", minutes)
		}
	}
}

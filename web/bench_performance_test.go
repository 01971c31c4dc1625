package web

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"partnercenter/internal/access"
	"partnercenter/internal/bill/billtest"
	"partnercenter/internal/demo"
	"partnercenter/internal/platform/benchdoc"
	"partnercenter/internal/platform/clock"
)

// benchPerformanceLines is the consumption the performance benchmark
// forms: a year for one large partner (示例云科技) and others (华东数智).
const benchPerformanceLines = 10_000_000

// BenchmarkPerformanceAtScale (issue 12): over 10,000,000 consumption
// lines — twelve months of 示例云科技 (9,360,000 lines over 1,000
// customers) and of 华东数智 (640,000 over 200) — the daily job (forming a
// day's lines, then recomputing the large partner's indicators and
// incentive bills) next to a bare SELECT … SUM … GROUP BY over the same
// lines in the same run; then the 激励 lists and 运营看板 under 20
// concurrent clients next to the trivial handler, with each page's SQL
// statements counted.
func BenchmarkPerformanceAtScale(b *testing.B) {
	env := newEnv(b)
	ctx := b.Context()
	took := map[string]time.Duration{}
	start := time.Now()
	customers := func(prefix string, partner int64, n int) []int64 {
		if err := env.DB.Exec(`INSERT INTO customers (account_name, name, kind, registered_at)
			SELECT ? || g, '业绩客户' || ? || g, 'enterprise', now() - interval '2 years' FROM generate_series(1, ?) g
			ON CONFLICT DO NOTHING`, prefix, prefix, n).Error; err != nil {
			b.Fatal(err)
		}
		if err := env.DB.Exec(`INSERT INTO associations (partner_id, customer_id, mode, status, associated_at)
			SELECT ?, c.id, CASE WHEN c.id % 7 = 0 THEN 'consulting' ELSE 'resale' END, 'active', now() - interval '2 years'
			FROM customers c WHERE c.account_name LIKE ? || '%' AND NOT EXISTS (SELECT 1 FROM associations a WHERE a.customer_id = c.id AND a.status = 'active')`,
			partner, prefix).Error; err != nil {
			b.Fatal(err)
		}
		var ids []int64
		if err := env.DB.Raw(`SELECT id FROM customers WHERE account_name LIKE ? || '%' ORDER BY id`, prefix).Scan(&ids).Error; err != nil || len(ids) != n {
			b.Fatalf("customers %s: %d %v", prefix, len(ids), err)
		}
		return ids
	}
	large := customers("perf_sp_", env.World.SP, 1000)
	other := customers("perf_md_", env.World.MD, 200)
	// Statistics of the new customers and associations, as autovacuum would
	// gather them (the formation joins associations for the manager).
	if err := env.DB.Exec(`ANALYZE customers, associations`).Error; err != nil {
		b.Fatal(err)
	}
	today := clock.ChinaDate(time.Now())
	month := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC)
	perMonthLarge, perMonthOther := 780_000, 53_334
	for m := 12; m >= 1; m-- {
		p := month.AddDate(0, -m, 0).Format("2006-01")
		billtest.Generate(b, env.DB, env.World.SP, large, p, perMonthLarge)
		billtest.Generate(b, env.DB, env.World.MD, other, p, perMonthOther)
	}
	var lines int64
	env.DB.Raw(`SELECT count(*) FROM consumption_records`).Scan(&lines)
	took["generate"] = time.Since(start)
	for _, s := range []string{`VACUUM ANALYZE consumption_records`, `VACUUM ANALYZE consumption_rollups`, `VACUUM ANALYZE consumption_months`,
		`VACUUM ANALYZE consumption_customer_months`, `CHECKPOINT`} {
		if err := env.DB.Exec(s).Error; err != nil {
			b.Fatal(err)
		}
	}

	// The first formation of the whole year (a deployment's catch-up).
	start = time.Now()
	formed, err := env.App.svc.Performance.Form(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := env.App.svc.Performance.ComputeIndicators(ctx); err != nil {
		b.Fatal(err)
	}
	if _, err := env.App.svc.Incentive.Compute(ctx); err != nil {
		b.Fatal(err)
	}
	took["catch-up"] = time.Since(start)
	for _, s := range []string{`VACUUM ANALYZE performance_records`, `VACUUM ANALYZE performance_rollups`, `VACUUM ANALYZE performance_months`,
		`CHECKPOINT`} {
		if err := env.DB.Exec(s).Error; err != nil {
			b.Fatal(err)
		}
	}

	// A day's lines (a 365th of the year) of the day before yesterday,
	// imported late: the next run forms them whatever the hour (before
	// 20:00 China time yesterday's lines are not due yet).
	day := benchPerformanceLines / 365
	due := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, clock.China).AddDate(0, 0, -2)
	billtest.GenerateDay(b, env.DB, env.World.SP, large, due, day)

	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// The bare aggregate: every line's cash and card by partner and month.
		start = time.Now()
		var groups []struct{ N int64 }
		if err := env.DB.Raw(`SELECT count(*) AS n FROM (SELECT partner_id, billing_period, sum(cash_paid + card_paid)
			FROM consumption_records GROUP BY partner_id, billing_period) g`).Scan(&groups).Error; err != nil {
			b.Fatal(err)
		}
		bare := time.Since(start)

		// The daily job for the large partner.
		start = time.Now()
		dayFormed, err := env.App.svc.Performance.Form(ctx)
		if err != nil {
			b.Fatal(err)
		}
		formDay := time.Since(start)
		start = time.Now()
		if _, err := env.App.svc.Performance.ComputeIndicatorsFor(ctx, env.World.SP); err != nil {
			b.Fatal(err)
		}
		indicators := time.Since(start)
		start = time.Now()
		if _, err := env.App.svc.Incentive.ComputeFor(ctx, env.World.SP); err != nil {
			b.Fatal(err)
		}
		bills := time.Since(start)
		job := formDay + indicators + bills

		// Publish the last quarter's threshold bill of the large partner:
		// its lines are allocated then (one INSERT … SELECT).
		var bill string
		env.DB.Raw(`SELECT b.id::text FROM incentive_bills b JOIN incentive_policies p ON p.id = b.policy_id
			WHERE b.partner_id = ? AND p.kind = 'threshold' AND b.status = 'estimate' AND b.amount > 0
			AND b.period_start < date_trunc('quarter', ?::date) ORDER BY b.period_start DESC LIMIT 1`, env.World.SP, today).Scan(&bill)
		publish := time.Duration(0)
		var billLines int64
		if bill != "" {
			start = time.Now()
			vendor := access.VendorStaff(env.World.Users[demo.VendorAdmin], "vendor_admin")
			if err := env.App.svc.Incentive.Publish(ctx, vendor, bill, today.AddDate(0, 0, 7).Format(time.DateOnly)); err != nil {
				b.Fatal(err)
			}
			publish = time.Since(start)
			env.DB.Raw(`SELECT count(*) FROM incentive_details WHERE bill_id = ?`, bill).Scan(&billLines)
			// Statistics of the new lines, as autovacuum gathers them within a
			// minute of such a write (without them the first pages plan a sort).
			if err := env.DB.Exec(`ANALYZE incentive_details`).Error; err != nil {
				b.Fatal(err)
			}
		}

		var sb strings.Builder
		fmt.Fprintf(&sb, "%d consumption lines: 示例云科技 %d a month over %d customers and 华东数智 %d over %d, for the twelve months "+
			"before this one (generated in %s). The first formation of all of them (%d performance records), the indicators and the "+
			"bills took %s.\n\nMeasured %s on %d cores.\n\n", lines, perMonthLarge, len(large), perMonthOther, len(other),
			took["generate"].Round(time.Second), formed, took["catch-up"].Round(time.Second), time.Now().UTC().Format("2006-01-02 15:04 MST"), numCPU())
		sb.WriteString("| step | time | ÷ bare aggregate |\n|---|---|---|\n")
		row := func(name string, d time.Duration) {
			fmt.Fprintf(&sb, "| %s | %s | %.2f |\n", name, ms(d), float64(d)/float64(bare))
		}
		row("bare `SELECT partner_id, billing_period, sum(cash_paid + card_paid) … GROUP BY` over every line", bare)
		row(fmt.Sprintf("form a day's lines (%d records)", dayFormed), formDay)
		row("recompute 示例云科技's indicators (from performance_rollups)", indicators)
		row("recompute 示例云科技's incentive bills", bills)
		row("**the daily job** (the three above)", job)
		if bill != "" {
			row(fmt.Sprintf("publish a quarter's threshold bill: %d lines allocated (once per bill, not daily)", billLines), publish)
		}
		fmt.Fprintf(&sb, "\nAim: the daily job ≤ 1.5× the bare aggregate — %s.\n", map[bool]string{true: "met", false: "not met"}[float64(job) <= 1.5*float64(bare)])
		if err := benchdoc.WriteSection("Performance and incentives over 10,000,000 lines", sb.String()); err != nil {
			b.Fatal(err)
		}

		admin := env.as(b, demo.SPAdmin)
		pages := []benchResult{
			{name: "业绩汇总", path: "/incentives/performance"},
			{name: "业绩明细, first page", path: "/incentives/performance/records"},
			{name: "业绩明细 of one customer", path: "/incentives/performance/records?customer=perf_sp_17"},
			{name: "业绩明细 by 客户经理姓名", path: "/incentives/performance/records?manager=" + url.QueryEscape("钱伟")},
			{name: "指标信息", path: "/incentives/indicators"},
			{name: "激励汇总", path: "/incentives/bills"},
			{name: "激励明细 of the published bill", path: "/incentives/details?bill=" + bill},
			{name: "客户看板", path: "/sales/dashboards/customers"},
			{name: "消费看板", path: "/sales/dashboards/consumption"},
			{name: "业绩看板", path: "/sales/dashboards/performance"},
			{name: "激励看板", path: "/sales/dashboards/incentives"},
		}
		var counts strings.Builder
		counts.WriteString("SQL statements per page (one request, as 示例云科技's admin):\n\n| page | statements |\n|---|---|\n")
		for _, p := range pages {
			fmt.Fprintf(&counts, "| %s | %d |\n", p.name, env.queries(b, admin.get(p.path)))
		}
		report(b, "Performance and incentive pages over 10,000,000 lines", counts.String(), admin, pages, nil)

		// The vendor's desks over the same data: 业绩公示 and 激励账单.
		vendorAdmin := env.as(b, demo.VendorAdmin)
		desks := []benchResult{
			{name: "业绩公示 (vendor)", path: "/partners/performance"},
			{name: "激励账单 (vendor)", path: "/partners/incentives"},
		}
		counts.Reset()
		counts.WriteString("SQL statements per page (one request, as the vendor administrator):\n\n| page | statements |\n|---|---|\n")
		for _, p := range desks {
			fmt.Fprintf(&counts, "| %s | %d |\n", p.name, env.queries(b, vendorAdmin.get(p.path)))
		}
		report(b, "Performance and incentive vendor desks over 10,000,000 lines", counts.String(), vendorAdmin, desks, nil)
	}
}

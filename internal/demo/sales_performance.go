package demo

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/bizinfo"
	"partnercenter/internal/consumption"
	"partnercenter/internal/incentive"
	"partnercenter/internal/performance"
	"partnercenter/internal/platform/clock"
)

func init() { seeders = append(seeders, seedPerformance) }

// HistoryMonths is how far back the demo's key accounts consume.
const HistoryMonths = 17

// historyLine is one line of the key accounts' consumption file.
type historyLine struct {
	ref, account, typ          string
	at                         time.Time
	order, product, name, mode string
	amount                     string
}

// keyAccounts are the key accounts and their first month's ECS amount.
var keyAccounts = []struct {
	login string
	base  float64
}{{"suzhou_zhizao", 52000}, {"md_qiantang", 31000}, {"cr_linping", 9000}}

// Renewals of 苏州工业园区智造's annual package (包年) in January of the two
// years before the demo's: last year's expansion makes 示例云科技's growth
// incentive of last year against the year before (seed 003 §12.1.5.4: more
// than 30% and an increment from 1,000,000, so 4%) whatever the day the
// demo is seeded; lateRefund is part of last year's renewal unsubscribed,
// imported once that bill is published: a 逆向负向调整 of −6,462.14 (4%
// of it, the amount of §12.1.5.45's example).
const (
	renewalTwoYearsAgo = "200000.00"
	renewalLastYear    = "1200000.00"
	lateRefund         = "-161553.50"
)

// keyAccountHistory is the key accounts' consumption up to now: every
// month since HistoryMonths ago an ECS package and OBS usage growing 9% a
// month, a partial refund every fifth month, and 苏州工业园区智造's
// January renewals of the two years before now's (its association covers
// them).
func keyAccountHistory(now time.Time) []historyLine {
	today := clock.ChinaDate(now)
	thisMonth := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC)
	start := thisMonth.AddDate(0, -HistoryMonths, 0)
	var out []historyLine
	for _, y := range []int{today.Year() - 2, today.Year() - 1} {
		amount := renewalTwoYearsAgo
		if y == today.Year()-1 {
			amount = renewalLastYear
		}
		out = append(out, historyLine{fmt.Sprintf("HIST-RENEW-%d", y), "suzhou_zhizao", "消费", time.Date(y, 1, 8, 2, 0, 0, 0, time.UTC),
			fmt.Sprintf("CS%d0108%06d", y%100, 800000+y), "弹性云服务器 ECS", "年度资源包 包年", "包年/包月", amount})
	}
	n := 0
	for m := start; !m.After(thisMonth); m = m.AddDate(0, 1, 0) {
		k := int(m.Sub(start).Hours() / 24 / 30)
		at := time.Date(m.Year(), m.Month(), 3, 2, 0, 0, 0, time.UTC) // 10:00 China on the 3rd
		if !at.Before(now.Add(-26 * time.Hour)) {
			at = now.Add(-26 * time.Hour)
			if at.Before(m) {
				continue
			}
		}
		for i, a := range keyAccounts {
			n++
			// Growth: +9% a month.
			amount := a.base
			for j := 0; j < k; j++ {
				amount *= 1.09
			}
			order := fmt.Sprintf("CS%s%06d", at.Format("060102"), 900000+n)
			out = append(out, historyLine{fmt.Sprintf("HIST-%05d-ECS", n), a.login, "消费", at.Add(time.Duration(i) * time.Hour), order,
				"弹性云服务器 ECS", "c7.4xlarge.2 | 16vCPUs | 32GiB 包月", "包年/包月", strconv.FormatFloat(amount, 'f', 2, 64)})
			out = append(out, historyLine{fmt.Sprintf("HIST-%05d-OBS", n), a.login, "消费", at.Add(time.Duration(i)*time.Hour + 2*time.Hour), "",
				"对象存储 OBS", "标准存储 按需", "按需", fmt.Sprintf("%.8f", amount*0.18+0.00456789)})
			if k%5 == 4 {
				out = append(out, historyLine{fmt.Sprintf("HIST-%05d-RF", n), a.login, "退款", at.Add(time.Duration(i)*time.Hour + 30*time.Hour), order,
					"弹性云服务器 ECS", "c7.4xlarge.2 | 16vCPUs | 32GiB 包月", "包年/包月", fmt.Sprintf("-%.2f", amount*0.25)})
			}
		}
	}
	return out
}

// consumptionFile is the importer's CSV of lines.
func consumptionFile(lines []historyLine) string {
	var b strings.Builder
	b.WriteString("流水号,客户账号,账单类型,账期,交易时间,订单号,产品类型,产品名称,资源类型,资源ID,区域,计费模式,官网价,优惠金额,单价,用量,时长(秒),代金券抵扣,储值卡抵扣\n")
	for _, l := range lines {
		at := l.at.In(clock.China)
		fmt.Fprintf(&b, "%s,%s,%s,%s,%s,%s,%s,%s,,,cn-east-3,%s,%s,,,,,,\n", l.ref, l.account, l.typ, at.Format("2006-01"),
			at.Format(time.DateTime), l.order, l.product, l.name, l.mode, l.amount)
	}
	return b.String()
}

// seedPerformance gives 激励 and 运营看板 a year and a half to show (issue
// 12): 示例云科技's 苏州工业园区智造 and 华东数智's 钱塘智慧城市 (and 杭州云启's
// 临平新能源, counted for 华东数智, R75) are key accounts associated for
// nineteen months (苏州工业园区智造 since before its renewals) whose
// monthly consumption grows, imported through the real importer; the
// performance is formed, the indicators and the bills computed as the
// jobs would; summaries are 终稿, 公示结束, 公示中, 初稿 and 预估 by month;
// 示例云科技's growth bill of last year pays 4% (the renewals) and is in
// publicity with a late refund's 逆向负向调整, this year's is an estimate;
// its quarterly threshold bills are 发放成功, 已确认, 待确认 and 公示中, one
// with a late line's 逆向正向调整 — on any day (demo_test.go).
func seedPerformance(ctx context.Context, tx *gorm.DB, w *World) error {
	now := w.Now
	today := clock.ChinaDate(now)
	thisMonth := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC)
	start := thisMonth.AddDate(0, -HistoryMonths, 0)
	renewed := time.Date(today.Year()-3, 12, 1, 0, 0, 0, 0, time.UTC)
	partners := map[string]int64{"suzhou_zhizao": w.SP, "md_qiantang": w.MD, "cr_linping": w.CR}
	for _, a := range keyAccounts {
		since := start.AddDate(0, -2, 0)
		if a.login == "suzhou_zhizao" && renewed.Before(since) {
			since = renewed
		}
		if err := tx.Exec(`UPDATE associations SET associated_at = ? WHERE partner_id = ? AND status = 'active'
			AND customer_id = (SELECT id FROM customers WHERE account_name = ?)`, since, partners[a.login], a.login).Error; err != nil {
			return err
		}
		if err := tx.Exec(`UPDATE customers SET registered_at = least(registered_at, ?) WHERE account_name = ?`,
			since.AddDate(0, -1, 0), a.login).Error; err != nil {
			return err
		}
	}
	fin := &access.Principal{UserID: w.Users[VendorFinance], IsVendor: true}
	imp := consumption.Importer{Clock: clock.NewFixed(now)}
	if _, err := imp.RunTx(ctx, tx, fin, fmt.Sprintf("华为云出账-大客户历史-%s.csv", now.Format("200601")),
		strings.NewReader(consumptionFile(keyAccountHistory(now)))); err != nil {
		return fmt.Errorf("demo history import: %w", err)
	}

	// Policies of this year and the last (the migration seeds 2024–2026).
	vendor := access.VendorStaff(w.Users[VendorAdmin], "vendor_admin")
	inc := incentive.Service{DB: tx, Clock: clock.NewFixed(now)}
	if err := ensurePolicies(ctx, tx, inc, vendor, today.Year()); err != nil {
		return err
	}
	perf := performance.Service{DB: tx, Clock: clock.NewFixed(now)}
	if err := form(ctx, perf, inc); err != nil {
		return err
	}

	// 业绩汇总 in every state (示例云科技: five months back to now).
	summaries := func(pid int64) (map[string]int64, error) {
		var rows []struct {
			ID     int64
			Period time.Time
		}
		err := tx.Raw(`SELECT id, period FROM performance_summaries WHERE partner_id = ?`, pid).Scan(&rows).Error
		out := map[string]int64{}
		for _, r := range rows {
			out[r.Period.Format("2006-01")] = r.ID
		}
		return out, err
	}
	sp, err := summaries(w.SP)
	if err != nil {
		return err
	}
	month := func(back int) string { return thisMonth.AddDate(0, -back, 0).Format("2006-01") }
	past := func(days int) performance.Service {
		return performance.Service{DB: tx, Clock: clock.NewFixed(now.AddDate(0, 0, -days))}
	}
	for _, s := range []struct {
		back, publishedDaysAgo, endsInDays int
		final                              bool
	}{{4, 40, -30, true}, {3, 20, -10, false}, {2, 3, 5, false}} {
		id := sp[month(s.back)]
		if id == 0 {
			continue
		}
		ends := now.AddDate(0, 0, s.endsInDays).In(clock.China).Format(time.DateOnly)
		if err := past(s.publishedDaysAgo).Publish(ctx, vendor, id, ends); err != nil {
			return fmt.Errorf("demo performance publish %s: %w", month(s.back), err)
		}
	}
	if _, err := perf.EndPublicity(ctx); err != nil {
		return err
	}
	if id := sp[month(4)]; id != 0 {
		if err := perf.Finalize(ctx, vendor, id); err != nil {
			return err
		}
	}

	// 激励: 示例云科技's growth bill of last year published yesterday; then
	// part of last year's renewal is refunded (a late file): 逆向负向调整.
	if err := lastYearsGrowth(ctx, tx, w, vendor, fin, perf, inc); err != nil {
		return fmt.Errorf("demo growth incentive: %w", err)
	}

	// 激励: 示例云科技's last four ended quarters 发放成功, 已确认, 待确认, 公示中.
	var bills []struct {
		ID         string
		PeriodCode string
	}
	if err := tx.Raw(`SELECT b.id::text AS id, b.period_code FROM incentive_bills b JOIN incentive_policies p ON p.id = b.policy_id
		WHERE b.partner_id = ? AND p.kind = 'threshold' AND b.adjustment = 'normal' AND b.amount > 0
		AND b.period_start < date_trunc('quarter', ?::date) ORDER BY b.period_start DESC LIMIT 4`, w.SP, today).Scan(&bills).Error; err != nil {
		return err
	}
	spAdmin := access.Member(w.Users[SPAdmin], w.SP, true)
	spAdmin.Identities = []string{access.IdentitySolutionProvider}
	at := func(days int) incentive.Service {
		return incentive.Service{DB: tx, Clock: clock.NewFixed(now.AddDate(0, 0, -days))}
	}
	for i, bl := range bills {
		switch i {
		case 3: // paid out below, once the others have their applications
		case 2: // the oldest: confirmed
			if err := at(30).Publish(ctx, vendor, bl.ID, now.AddDate(0, 0, -25).In(clock.China).Format(time.DateOnly)); err != nil {
				return fmt.Errorf("demo incentive publish %s: %w", bl.PeriodCode, err)
			}
			if err := at(20).Finalize(ctx, vendor, bl.ID); err != nil {
				return err
			}
			if err := at(18).Confirm(ctx, spAdmin, bl.ID); err != nil {
				return err
			}
			// Its consulting incentive applied for, to the account: the
			// application waits for 示例云科技's invoice on vendor finance's
			// 激励付款 desk; the resale one waits in 激励申请.
			var item int64
			if err := tx.Raw(`SELECT id FROM incentive_items WHERE bill_id = ? AND mode = 'consulting'`, bl.ID).Scan(&item).Error; err != nil {
				return err
			}
			if item != 0 {
				if _, err := at(15).Apply(ctx, spAdmin, []int64{item}, incentive.MethodAccount, "demo-payout-0001"); err != nil {
					return fmt.Errorf("demo incentive application: %w", err)
				}
			}
		case 1: // waiting for 确认对账
			if err := at(12).Publish(ctx, vendor, bl.ID, now.AddDate(0, 0, -6).In(clock.China).Format(time.DateOnly)); err != nil {
				return err
			}
			if err := at(5).Finalize(ctx, vendor, bl.ID); err != nil {
				return err
			}
		case 0: // in publicity
			if err := at(1).Publish(ctx, vendor, bl.ID, now.AddDate(0, 0, 6).In(clock.China).Format(time.DateOnly)); err != nil {
				return err
			}
		}
	}
	// A late line of a month still in 初稿 reopens the newest of these
	// quarters that has one (a month in publicity or final takes a late
	// line in the month it forms).
	for i := 0; i < len(bills) && i < 3; i++ {
		done, err := lateLine(ctx, tx, w, bills[i].PeriodCode, fin, perf, inc)
		if err != nil {
			return err
		}
		if done {
			break
		}
	}
	if len(bills) == 4 {
		if err := paidOut(ctx, tx, w, bills[3].ID, vendor, spAdmin, now); err != nil {
			return fmt.Errorf("demo incentive paid out %s: %w", bills[3].PeriodCode, err)
		}
	}
	return nil
}

// lastYearsGrowth publishes 示例云科技's growth bill of last year
// (yesterday, until six days on), then imports the late refund of part of
// last year's renewal and runs the jobs: the recomputed bill is 4% of the
// refund less, a 逆向负向调整 (seed 003 §12.1.5.45), published today.
func lastYearsGrowth(ctx context.Context, tx *gorm.DB, w *World, vendor, fin *access.Principal, perf performance.Service, inc incentive.Service) error {
	now := w.Now
	year := clock.ChinaDate(now).Year() - 1
	var bill string
	if err := tx.Raw(`SELECT b.id::text FROM incentive_bills b JOIN incentive_policies p ON p.id = b.policy_id
		WHERE b.partner_id = ? AND p.kind = 'growth' AND b.period_code = ? AND b.adjustment = 'normal' AND b.amount > 0`,
		w.SP, fmt.Sprintf("%dY", year)).Scan(&bill).Error; err != nil || bill == "" {
		return fmt.Errorf("no paying growth bill of %d: %v", year, err)
	}
	publish := func(days int, id string) error {
		return incentive.Service{DB: tx, Clock: clock.NewFixed(now.AddDate(0, 0, -days))}.Publish(ctx, vendor, id,
			now.AddDate(0, 0, 6).In(clock.China).Format(time.DateOnly))
	}
	if err := publish(1, bill); err != nil {
		return err
	}
	refund := historyLine{fmt.Sprintf("HIST-RENEW-%d-RF", year), "suzhou_zhizao", "退款", time.Date(year, 1, 20, 2, 0, 0, 0, time.UTC),
		fmt.Sprintf("CS%d0108%06d", year%100, 800000+year), "弹性云服务器 ECS", "年度资源包 包年 部分退订", "包年/包月", lateRefund}
	if _, err := (consumption.Importer{Clock: clock.NewFixed(now)}).RunTx(ctx, tx, fin, "华为云出账-退订补录.csv",
		strings.NewReader(consumptionFile([]historyLine{refund}))); err != nil {
		return err
	}
	if err := form(ctx, perf, inc); err != nil {
		return err
	}
	var adjustment string
	if err := tx.Raw(`SELECT id::text FROM incentive_bills WHERE partner_id = ? AND policy_id = (SELECT policy_id FROM incentive_bills
		WHERE id = ?) AND period_code = ? AND adjustment = 'reverse_negative' AND status = 'estimate'`, w.SP, bill, fmt.Sprintf("%dY", year)).
		Scan(&adjustment).Error; err != nil || adjustment == "" {
		return fmt.Errorf("no 逆向负向调整 of %d: %v", year, err)
	}
	return publish(0, adjustment)
}

// paidOut takes 示例云科技's fourth-newest quarter bill to 发放成功: a
// consulting incentive by bank transfer with the partner's invoice entered,
// received and paid; a resale incentive, when the bill has one (from
// October 2023: no invoice), as voucher quota.
func paidOut(ctx context.Context, tx *gorm.DB, w *World, bill string, vendor, spAdmin *access.Principal, now time.Time) error {
	at := func(days int) incentive.Service {
		return incentive.Service{DB: tx, Clock: clock.NewFixed(now.AddDate(0, 0, -days))}
	}
	if err := at(60).Publish(ctx, vendor, bill, now.AddDate(0, 0, -55).In(clock.China).Format(time.DateOnly)); err != nil {
		return err
	}
	if err := at(50).Finalize(ctx, vendor, bill); err != nil {
		return err
	}
	if err := at(45).Confirm(ctx, spAdmin, bill); err != nil {
		return err
	}
	var items []incentive.Item
	if err := tx.Where("bill_id = ?", bill).Order("id").Find(&items).Error; err != nil {
		return err
	}
	fin := access.VendorStaff(w.Users[VendorFinance], "finance")
	for i, it := range items {
		key := fmt.Sprintf("demo-payout-paid-%04d", i)
		if it.Methods()[0] != incentive.MethodBank {
			if _, err := at(40).Apply(ctx, spAdmin, []int64{it.ID}, incentive.MethodVoucherQuota, key); err != nil {
				return err
			}
			continue
		}
		app, err := at(40).Apply(ctx, spAdmin, []int64{it.ID}, incentive.MethodBank, key)
		if err != nil {
			return err
		}
		due := incentive.InvoiceAmount(app.Total, bizinfo.TaxpayerGeneral)
		if err := at(36).AddInvoice(ctx, spAdmin, app.ID, incentive.InvoiceInput{No: fmt.Sprintf("0448%04d", app.ID%10000),
			Amount: due.StringFixed(2), Rate: "6", Type: incentive.InvoiceSpecial, Content: incentive.InvoiceContents[1]}); err != nil {
			return err
		}
		if err := at(33).ReceiveInvoice(ctx, fin, app.ID); err != nil {
			return err
		}
		if err := at(25).Pay(ctx, fin, app.ID, fmt.Sprintf("CMB%s%04d", now.Format("0102"), app.ID), fmt.Sprintf("demo-payout-pay-%04d", i)); err != nil {
			return err
		}
	}
	return nil
}

// lateLine imports a line of a quarter's month whose summary is still a
// draft and runs the jobs: the quarter's published bill gets a 逆向正向调整.
// It reports whether the quarter had such a month.
func lateLine(ctx context.Context, tx *gorm.DB, w *World, quarter string, fin *access.Principal, perf performance.Service, inc incentive.Service) (bool, error) {
	from, to, ok := performance.PeriodRange(quarter)
	if !ok {
		return false, nil
	}
	var draft struct{ Month *time.Time }
	if err := tx.Raw(`SELECT min(period) AS month FROM performance_summaries WHERE partner_id = ? AND period >= ? AND period < ? AND status = 'draft'`,
		w.SP, from, to).Scan(&draft).Error; err != nil || draft.Month == nil {
		return false, err
	}
	at := time.Date(draft.Month.Year(), draft.Month.Month(), 27, 3, 0, 0, 0, time.UTC)
	late := historyLine{"HIST-LATE-" + quarter, "suzhou_zhizao", "消费", at, "", "云数据库 RDS", "MySQL 8.0 补录", "按需", "86420.50000000"}
	if _, err := (consumption.Importer{Clock: clock.NewFixed(w.Now)}).RunTx(ctx, tx, fin, "华为云出账-补录.csv",
		strings.NewReader(consumptionFile([]historyLine{late}))); err != nil {
		return false, fmt.Errorf("demo late line: %w", err)
	}
	return true, form(ctx, perf, inc)
}

// form runs the performance and incentive jobs once, as at start.
func form(ctx context.Context, perf performance.Service, inc incentive.Service) error {
	if _, err := perf.Form(ctx); err != nil {
		return err
	}
	if _, err := perf.ComputeIndicators(ctx); err != nil {
		return err
	}
	if _, err := perf.CloseMonths(ctx); err != nil {
		return err
	}
	_, err := inc.Compute(ctx)
	return err
}

// ensurePolicies creates this year's and last year's growth and quarterly
// threshold policies when the migration's seeds do not cover them.
func ensurePolicies(ctx context.Context, tx *gorm.DB, inc incentive.Service, vendor *access.Principal, year int) error {
	var defs []struct {
		ID   int64
		Name string
	}
	if err := tx.Raw(`SELECT id, name FROM indicator_definitions WHERE name IN ('汇总-年度业绩', '汇总-季度业绩')`).Scan(&defs).Error; err != nil {
		return err
	}
	ids := map[string]int64{}
	for _, d := range defs {
		ids[d.Name] = d.ID
	}
	for _, y := range []int{year - 1, year} {
		for _, in := range []incentive.PolicyInput{
			{Name: fmt.Sprintf("%d年度增长激励", y), Kind: incentive.KindGrowth, ThresholdDefinitionID: ids["汇总-年度业绩"],
				BaseDefinitionID: ids["汇总-年度业绩"], MinGrowth: "30", Tiers: "1000000:4, 3000000:6, 5000000:8",
				Eligibility: incentive.EligibleLeveled},
			{Name: fmt.Sprintf("%d季度门槛激励", y), Kind: incentive.KindThreshold, ThresholdDefinitionID: ids["汇总-季度业绩"],
				BaseDefinitionID: ids["汇总-季度业绩"], Tiers: "100000:1, 500000:2, 1000000:3", Eligibility: incentive.EligibleAll},
		} {
			var n int64
			if err := tx.Raw(`SELECT count(*) FROM incentive_policies WHERE name = ?`, in.Name).Scan(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				continue
			}
			in.Year = strconv.Itoa(y)
			if _, err := inc.CreatePolicy(ctx, vendor, in); err != nil {
				return fmt.Errorf("demo policy %s: %w", in.Name, err)
			}
		}
	}
	return nil
}

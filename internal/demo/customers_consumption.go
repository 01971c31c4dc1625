package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/consumption"
)

func init() { seeders = append(seeders, seedConsumption) }

// seedConsumption loads three months of consumption for the demo
// partners' customers through the real import (as vendor finance would
// upload it): yearly/monthly orders, on-demand usage rated at 8 decimals
// (the seed's EVS example of §12.1.9.14 among them, charged 0.04 with
// 抹零 0.00599822), vouchers, an unsubscription refund, an adjustment and
// resale customers whose balance runs out (arrears). A second, smaller
// file has bad lines so the import report shows rejects, and a third
// import failed as a whole. 示例云科技's
// signing entity changes at the start of last month (§12.1.9.4), so its
// lines belong to both entities.
func seedConsumption(ctx context.Context, tx *gorm.DB, w *World) error {
	now := w.Now
	thisMonth := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	change := thisMonth.AddDate(0, -1, 0)
	if err := tx.Exec(`UPDATE partners SET signing_entity_changed_at = ? WHERE id = ?`, change, w.SP).Error; err != nil {
		return err
	}
	var custs []struct {
		AccountName  string
		Mode         string
		AssociatedAt time.Time
	}
	if err := tx.WithContext(ctx).Raw(`SELECT c.account_name, a.mode, a.associated_at FROM associations a
		JOIN customers c ON c.id = a.customer_id
		WHERE a.status = 'active' AND a.partner_id IN (?, ?, ?) ORDER BY a.partner_id, a.id`, w.SP, w.MD, w.CR).
		Scan(&custs).Error; err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("流水号,客户账号,账单类型,账期,交易时间,订单号,产品类型,产品名称,资源类型,资源ID,区域,计费模式,官网价,优惠金额,单价,用量,时长(秒),代金券抵扣,储值卡抵扣\n")
	line := func(ref, acct, typ string, at time.Time, order, product, name, rtype, rid, mode, list, disc, unit, qty, secs, voucher string) {
		fmt.Fprintf(&b, "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,cn-north-4,%s,%s,%s,%s,%s,%s,%s,\n", ref, acct, typ,
			at.Format("2006-01"), at.In(time.FixedZone("CST", 8*3600)).Format("2006-01-02 15:04:05"), order, product, name, rtype, rid, mode,
			list, disc, unit, qty, secs, voucher)
	}
	n := 0
	for i, c := range custs {
		for m := 2; m >= 0; m-- {
			period := thisMonth.AddDate(0, -m, 0)
			at := period.Add(time.Duration(24+i%20*24) * time.Hour)
			if at.Before(c.AssociatedAt) {
				at = c.AssociatedAt.Add(2 * time.Hour)
			}
			if at.After(now) || at.Format("2006-01") != period.Format("2006-01") {
				continue
			}
			n++
			ref := fmt.Sprintf("DEMO-%05d", n)
			order := fmt.Sprintf("CS%s%06d", at.Format("060102"), n)
			// A yearly/monthly ECS order, some with a voucher.
			voucher := ""
			if i%4 == 1 {
				voucher = "20.00"
			}
			line(ref+"-ECS", c.AccountName, "消费", at, order, "弹性云服务器 ECS", "s6.large.2 | 2vCPUs | 4GiB", "ecs.instance",
				fmt.Sprintf("i-%08x", n*7919), "包年/包月", fmt.Sprintf("%d.00000000", 150+i*37%400), fmt.Sprintf("%d.50000000", i%3*10), "", "", "", voucher)
			// On-demand storage rated from usage (10 GB × 0.00064 per GB-hour).
			line(ref+"-EVS", c.AccountName, "消费", at.Add(3*time.Hour), "", "云硬盘 EVS", "高IO", "evs.volume",
				fmt.Sprintf("vol-%06d", n), "按需", "", "", "0.00064000", "10", fmt.Sprint(25874+i*3600*24), "")
			// On-demand bandwidth with 8-decimal list prices.
			line(ref+"-EIP", c.AccountName, "消费", at.Add(5*time.Hour), "", "弹性公网IP EIP", "按流量计费", "eip.bandwidth",
				fmt.Sprintf("eip-%06d", n), "按需", fmt.Sprintf("%d.%08d", 3+i%9, (i*12345677)%100000000), "", "", "", "", "")
			if m == 1 && i%5 == 2 {
				// An unsubscription of last month's order: a refund.
				line(ref+"-RF", c.AccountName, "退款", at.Add(48*time.Hour), order, "弹性云服务器 ECS", "s6.large.2 | 2vCPUs | 4GiB", "ecs.instance",
					fmt.Sprintf("i-%08x", n*7919), "包年/包月", "-60.00000000", "", "", "", "", "")
			}
			if m == 2 && i%7 == 3 {
				line(ref+"-ADJ", c.AccountName, "调账", at.Add(72*time.Hour), "", "对象存储 OBS", "账单调整", "obs.bucket",
					"", "按需", "12.34567891", "", "", "", "", "")
			}
		}
	}
	fin := &access.Principal{UserID: w.Users[VendorFinance], IsVendor: true}
	imp := consumption.Importer{}
	if _, err := imp.RunTx(ctx, tx, fin, fmt.Sprintf("华为云出账-%s.csv", now.Format("200601")), strings.NewReader(b.String())); err != nil {
		return fmt.Errorf("demo consumption import: %w", err)
	}
	// A file with mistakes, as people make them: the report lists them.
	bad := "流水号,客户账号,账单类型,账期,交易时间,订单号,产品类型,产品名称,资源类型,资源ID,区域,计费模式,官网价,优惠金额,单价,用量,时长(秒),代金券抵扣,储值卡抵扣\n" +
		"DEMO-BAD-1,no_such_account,消费,2026-13,2026-01-01 10:00:00,,ECS,,,,,按需,1.00,,,,,,\n" +
		"DEMO-BAD-2,no_such_account,消费,2026-01,2026-01-01 10:00:00,,ECS,,,,,按时,1.123456789,,,,,,\n" +
		"DEMO-00001-ECS,no_such_account,消费,2026-01,2026-01-01 10:00:00,,ECS,,,,,按需,1.00,,,,,,\n"
	if _, err := imp.RunTx(ctx, tx, fin, "补录流水（有误）.csv", strings.NewReader(bad)); err != nil {
		return fmt.Errorf("demo consumption import (bad lines): %w", err)
	}
	// An import that failed as a whole (the database refused it): nothing
	// of it was kept, its report says so.
	return tx.Exec(`INSERT INTO consumption_imports (file_name, status, rows_total, failure, created_by, created_at, finished_at)
		VALUES ('华为云出账-重复提交.csv', 'failed', 0, 'canceling statement due to user request', ?, ?, ?)`,
		fin.UserID, now.Add(-26*time.Hour), now.Add(-26*time.Hour+3*time.Second)).Error
}

package demo

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/invoice"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/clock"
)

func init() { seeders = append(seeders, seedInvoices) }

// seedInvoices gives 账务 > 发票管理 something in every state for 示例云科技
// (sp_admin; its signing entity changed, so it has both tabs) and for the
// master distributor (md_admin): invoice information, older months of
// resale cash consumption (source_ref 'demo-inv-…', next to the imported
// demo consumption), and invoices applied, issued (electronic, with its
// PDF), mailed (paper), in return (退票中) and returned, all through the
// invoice services at the times they would have happened. 示例云科技 also
// gets a refund of an invoiced order after all its software bills were
// invoiced, so the page shows an owed invoice amount (欠票, R53). The
// custom role 财务 of 示例云科技 may view invoices.
func seedInvoices(ctx context.Context, tx *gorm.DB, w *World) error {
	now := w.Now
	thisMonth := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	month := func(m int) time.Time { return thisMonth.AddDate(0, -m, 0) }
	if err := tx.Exec(`INSERT INTO role_items (role_id, item) VALUES (?, ?)`, w.FinanceRoleID, string(access.BillingInvoiceView)).Error; err != nil {
		return err
	}
	resale := func(pid int64) (int64, error) {
		var id int64
		err := tx.Raw(`SELECT customer_id FROM associations WHERE partner_id = ? AND mode = 'resale' AND status = 'active'
			ORDER BY associated_at LIMIT 1`, pid).Scan(&id).Error
		if err == nil && id == 0 {
			err = fmt.Errorf("demo invoices: partner %d has no resale customer", pid)
		}
		return id, err
	}
	n := 0
	// line is one month's cash consumption of a resale customer (or a
	// refund when cash is negative), billed by the software entity.
	line := func(pid, cid int64, period time.Time, at time.Time, billType, cash string) error {
		n++
		return tx.Exec(`INSERT INTO consumption_records (partner_id, customer_id, mode, bill_type, billing_period, transaction_at,
			signing_entity, order_no, product_type, product_name, billing_mode, list_price, discount_amount, amount_payable,
			charged_amount, rounding_off, cash_paid, source_ref)
			VALUES (?, ?, 'resale', ?, ?, ?, 'software', ?, '弹性云服务器 ECS', 's6.xlarge.2 | 4vCPUs | 8GiB', 'yearly_monthly',
			?::numeric, 0, ?::numeric, ?::numeric, 0, ?::numeric, ?)`,
			pid, cid, billType, period, at, fmt.Sprintf("CS-INV-%04d", n), cash, cash, cash, cash,
			fmt.Sprintf("demo-inv-%d-%04d", pid, n)).Error
	}
	at := func(period time.Time, days int) time.Time { return period.AddDate(0, 1, days).Add(2 * time.Hour) }
	svc := func(t time.Time) invoice.Service { return invoice.Service{DB: tx, Clock: clock.NewFixed(t)} }
	desk := func(t time.Time) invoice.Desk { return invoice.Desk{Service: svc(t)} }
	fin := access.VendorStaff(w.Users[VendorFinance], "finance")
	apply := func(p *access.Principal, t time.Time, in invoice.ApplyInput) (int64, error) {
		inv, err := svc(t).Apply(ctx, p, in)
		if err != nil {
			return 0, fmt.Errorf("demo invoice %v: %w", in.Periods, err)
		}
		return inv.ID, nil
	}
	ret := invoice.ReturnInput{Reason: "发票抬头有误", Courier: "顺丰速运", TrackingNo: "SF1402938475610", Remark: "抬头需改为全称，已寄回发票联"}
	paper := func(in invoice.ApplyInput, recipient, phone, address string) invoice.ApplyInput {
		in.Medium, in.Recipient, in.Phone, in.Address = invoice.MediumPaper, recipient, phone, address
		return in
	}

	for _, pl := range []struct {
		pid    int64
		login  string
		info   invoice.InfoInput
		cash   map[int]string
		mailTo [3]string
	}{
		{w.SP, SPAdmin, invoice.InfoInput{Title: "示例云科技有限公司", TaxpayerID: partner.USCCWithCheck("91310115MA1K4A2B3"),
			BankName: "招商银行上海张江支行", BankAccount: "121908765410001", Address: "上海市浦东新区张江高科技园区碧波路690号", Phone: "021-50801234"},
			map[int]string{7: "1280.00", 6: "960.50", 5: "1045.20", 4: "730.00", 3: "612.40", 2: "388.00"},
			[3]string{"刘洋", "13800000001", "上海市浦东新区张江高科技园区碧波路690号 示例云科技 财务部"}},
		{w.MD, MDAdmin, invoice.InfoInput{Title: "华东数智分销有限公司", TaxpayerID: partner.USCCWithCheck("91330100MA2H7C8D9"),
			BankName: "中国工商银行杭州文三路支行", BankAccount: "1202021409900123456", Address: "浙江省杭州市西湖区文三路90号", Phone: "0571-88001234"},
			map[int]string{6: "520.00", 5: "66.60", 4: "815.30", 3: "298.00", 2: "150.00"},
			[3]string{"吴敏", "13800000011", "浙江省杭州市西湖区文三路90号 华东数智分销 运营部"}},
	} {
		p := &access.Principal{UserID: w.Users[pl.login], PartnerID: pl.pid, IsMain: true, PartnerActive: true}
		cid, err := resale(pl.pid)
		if err != nil {
			return err
		}
		for m, cash := range pl.cash {
			if err := line(pl.pid, cid, month(m), month(m).AddDate(0, 0, 9).Add(3*time.Hour), "consumption", cash); err != nil {
				return err
			}
		}
		if _, err := svc(month(8)).SaveInfo(ctx, p, pl.info); err != nil {
			return fmt.Errorf("demo invoice info: %w", err)
		}
		per := func(ms ...int) invoice.ApplyInput {
			in := invoice.ApplyInput{Entity: invoice.EntitySoftware, Mode: invoice.ModePeriods, Type: invoice.TypeGeneral, Medium: invoice.MediumElectronic}
			for _, m := range ms {
				in.Periods = append(in.Periods, invoice.PeriodKey(month(m)))
			}
			return in
		}
		mail := func(in invoice.ApplyInput) invoice.ApplyInput {
			return paper(in, pl.mailTo[0], pl.mailTo[1], pl.mailTo[2])
		}
		issued := func(m int, in invoice.ApplyInput) (int64, error) {
			id, err := apply(p, at(month(m), 2), in)
			if err != nil {
				return 0, err
			}
			return id, desk(at(month(m), 4)).Issue(ctx, fin, id, "")
		}
		if pl.pid == w.SP {
			// 已开票 (electronic, PDF downloadable).
			if _, err := issued(7, per(7)); err != nil {
				return err
			}
			// 已邮寄: a special invoice over two months.
			special := mail(per(6, 5))
			special.Type, special.Remark = invoice.TypeSpecial, "项目编号 SH-2025-018"
			id, err := issued(5, special)
			if err != nil {
				return err
			}
			if err := desk(at(month(5), 5)).Mail(ctx, fin, id, "顺丰速运", "SF1029384756001"); err != nil {
				return err
			}
			// 退票中.
			if id, err = issued(4, mail(per(4))); err != nil {
				return err
			}
			if err := desk(at(month(4), 5)).Mail(ctx, fin, id, "中国邮政EMS", "EMS98765432101"); err != nil {
				return err
			}
			if err := svc(at(month(4), 12)).RequestReturn(ctx, p, id, ret); err != nil {
				return err
			}
			// 已退票, then applied for again (已申请).
			if id, err = issued(3, per(3)); err != nil {
				return err
			}
			if err := svc(at(month(3), 6)).RequestReturn(ctx, p, id, invoice.ReturnInput{Reason: "合并开票", Courier: "顺丰速运",
				TrackingNo: "SF1402938475699", Remark: "与下月账期合并开票"}); err != nil {
				return err
			}
			if err := desk(at(month(3), 9)).AcceptReturn(ctx, fin, id); err != nil {
				return err
			}
			if _, err := apply(p, at(month(3), 10), per(3, 2)); err != nil {
				return err
			}
			// After every software bill was invoiced, an order of an
			// invoiced month is unsubscribed and its invoice kept: owed
			// invoice (欠票, R53) until new consumption offsets it.
			if err := line(w.SP, cid, thisMonth, now.Add(-time.Minute), "refund", "-45.00"); err != nil {
				return err
			}
			continue
		}
		// The distributor: 已开票, 已邮寄 (under ¥100: freight collect),
		// 退票中, 已退票 and 已申请.
		if _, err := issued(6, per(6)); err != nil {
			return err
		}
		id, err := issued(5, mail(per(5)))
		if err != nil {
			return err
		}
		if err := desk(at(month(5), 6)).Mail(ctx, fin, id, "圆通速递", "YT7788990011223"); err != nil {
			return err
		}
		if id, err = issued(4, per(4)); err != nil {
			return err
		}
		if err := svc(at(month(4), 8)).RequestReturn(ctx, p, id, ret); err != nil {
			return err
		}
		if id, err = issued(3, per(3)); err != nil {
			return err
		}
		if err := svc(at(month(3), 6)).RequestReturn(ctx, p, id, ret); err != nil {
			return err
		}
		if err := desk(at(month(3), 9)).AcceptReturn(ctx, fin, id); err != nil {
			return err
		}
		special := mail(per(2))
		special.Type = invoice.TypeSpecial
		if _, err := apply(p, at(month(2), 3), special); err != nil {
			return err
		}
	}
	return nil
}

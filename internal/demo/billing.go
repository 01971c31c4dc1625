package demo

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/funds"
	"partnercenter/internal/ledger"
	"partnercenter/internal/platform/clock"
)

// VendorFinance is the vendor finance (财务) demo login: it confirms bank
// receipts on partners' dedicated recharge accounts and pays withdrawals.
const VendorFinance = "vendor_finance"

func init() { seeders = append(seeders, seedBilling) }

func demoKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// seedBilling gives 账务 > 资金管理 something in every state: recharges
// from several sources, transfers, a recovery, an unbinding recovery, a
// balance alert threshold, a pending and a paid withdrawal, for 示例云科技
// and smaller histories for the distributor and its cloud reseller.
func seedBilling(ctx context.Context, tx *gorm.DB, w *World) error {
	var hash string
	if err := tx.WithContext(ctx).Raw(`SELECT password_hash FROM users WHERE id = ?`, w.Users[SPAdmin]).Scan(&hash).Error; err != nil {
		return err
	}
	var finID int64
	if err := tx.Raw(`INSERT INTO users (kind, vendor_role, login_name, display_name, email, mobile, position, password_hash)
		VALUES ('vendor', 'finance', ?, '周琳', 'zhou.lin@vendor.example.com', '13900000004', '财务结算专员', ?) RETURNING id`,
		VendorFinance, hash).Scan(&finID).Error; err != nil {
		return fmt.Errorf("demo vendor finance: %w", err)
	}
	w.Users[VendorFinance] = finID
	finance := access.VendorStaff(finID, "finance")

	now := w.Now
	customer := func(pid int64, account, name, mode string, manager int64, daysAgo int) (int64, error) {
		var id int64
		reg := now.AddDate(0, 0, -daysAgo-3)
		if err := tx.Raw(`INSERT INTO customers (account_name, name, kind, real_name_status, credit_code, industry, region, registered_at)
			VALUES (?, ?, 'enterprise', 'enterprise', NULL, ?, ?, ?) RETURNING id`, account, name, "零售", "华东", reg).Scan(&id).Error; err != nil {
			return 0, fmt.Errorf("demo customer %s: %w", account, err)
		}
		var mgr any
		if manager != 0 {
			mgr = manager
		}
		if err := tx.Exec(`INSERT INTO associations (partner_id, customer_id, mode, status, manager_user_id, associated_at)
			VALUES (?, ?, ?, 'active', ?, ?)`, pid, id, mode, mgr, now.AddDate(0, 0, -daysAgo)).Error; err != nil {
			return 0, err
		}
		return id, nil
	}
	hemiao, err := customer(w.SP, "hemiao_retail", "上海禾苗零售连锁有限公司", "resale", w.Users[SPManager1], 120)
	if err != nil {
		return err
	}
	xingchen, err := customer(w.SP, "xingchen_edu", "苏州星辰教育科技有限公司", "resale", w.Users[SPManager2], 75)
	if err != nil {
		return err
	}
	lanhai, err := customer(w.SP, "lanhai_logistics", "宁波蓝海物流有限公司", "resale", 0, 30)
	if err != nil {
		return err
	}
	qingshan, err := customer(w.SP, "qingshan_pharma", "杭州青山医药有限公司", "resale", 0, 200)
	if err != nil {
		return err
	}
	mdCust, err := customer(w.MD, "xihu_tea", "杭州西湖茶业有限公司", "resale", 0, 60)
	if err != nil {
		return err
	}
	crCust, err := customer(w.CR, "binjiang_design", "杭州滨江创意设计有限公司", "resale", 0, 45)
	if err != nil {
		return err
	}

	// Each movement happens some days ago, in order, so every list reads
	// like a real history.
	ago := func(days float64) clock.Clock {
		return clock.NewFixed(now.Add(-time.Duration(days * float64(24*time.Hour))))
	}
	recharge := func(days float64, pid int64, amount, source, payer, ref string) error {
		_, err := funds.Recharges{DB: tx, Clock: ago(days)}.Confirm(ctx, finance, funds.RechargeInput{
			AccountNo: ledger.RechargeAccountNo(pid), Amount: amount, Source: source, PayerName: payer, Reference: ref, Key: demoKey()})
		if err != nil {
			return fmt.Errorf("demo recharge: %w", err)
		}
		return nil
	}
	principal := func(pid int64, login string) *access.Principal {
		return &access.Principal{UserID: w.Users[login], PartnerID: pid, IsMain: true, PartnerActive: true}
	}
	sp, md, cr := principal(w.SP, SPAdmin), principal(w.MD, MDAdmin), principal(w.CR, CRAdmin)
	move := func(days float64, p *access.Principal, op string, memo string, items ...funds.MoveItem) error {
		_, err := funds.Service{DB: tx, Clock: ago(days)}.Move(ctx, p, funds.MoveInput{Op: op, Items: items, Memo: memo, Key: demoKey()})
		if err != nil {
			return fmt.Errorf("demo %s: %w", op, err)
		}
		return nil
	}
	withdraw := func(days float64, amount, bank, account, holder string) (*funds.Withdrawal, error) {
		return funds.Service{DB: tx, Clock: ago(days)}.RequestWithdrawal(ctx, sp, funds.WithdrawInput{Amount: amount,
			BankName: bank, AccountNo: account, HolderName: holder, Key: demoKey()})
	}
	steps := []func() error{
		func() error {
			return recharge(95, w.SP, "50000.00", funds.SourceBankTransfer, "示例云科技有限公司", "CMB20250103001")
		},
		func() error {
			return move(90, sp, funds.OpTransfer, "首期项目资金", funds.MoveItem{CustomerID: hemiao, Amount: "8000.00"},
				funds.MoveItem{CustomerID: xingchen, Amount: "3500.00"})
		},
		func() error {
			return recharge(80, w.MD, "200000.00", funds.SourceBankTransfer, "华东数智分销有限公司", "ICBC20250105009")
		},
		func() error {
			return recharge(70.2, w.SP, "5000.00", funds.SourceAlipay, "刘洋", "ALI2025011500021")
		},
		func() error {
			return move(60, sp, funds.OpTransfer, "年度续费", funds.MoveItem{CustomerID: qingshan, Amount: "2600.00"})
		},
		func() error {
			return move(55, md, funds.OpTransfer, "", funds.MoveItem{CustomerID: mdCust, Amount: "15000.00"})
		},
		func() error {
			return recharge(50, w.CR, "8000.00", funds.SourceOnlineBanking, "杭州云启网络科技有限公司", "ABC20250108112")
		},
		func() error { return recharge(40.5, w.SP, "12800.00", funds.SourceIncentive, "", "INC-2024Q4") },
		func() error {
			return move(30, cr, funds.OpTransfer, "设计云资源预付", funds.MoveItem{CustomerID: crCust, Amount: "900.00"})
		},
		func() error {
			return move(25, sp, funds.OpTransfer, "", funds.MoveItem{CustomerID: lanhai, Amount: "1200.50"})
		},
		func() error {
			// A withdrawal to the Alipay subject (R19), paid two days later.
			paid, err := withdraw(20, "1000.00", "中国工商银行上海分行", "6222021001123456789", "刘洋")
			if err != nil {
				return err
			}
			return funds.Payouts{DB: tx, Clock: ago(18)}.Pay(ctx, finance, paid.ID)
		},
		func() error {
			return move(12, sp, funds.OpRecover, "项目结束回收余额", funds.MoveItem{CustomerID: hemiao, Amount: "1500.00"})
		},
		func() error {
			// 青山医药 unbound two days ago: its remaining balance came back
			// as 解除关联回收.
			at := now.Add(-48 * time.Hour)
			if err := tx.Exec(`UPDATE associations SET status = 'ended', ended_at = ? WHERE customer_id = ? AND status = 'active'`,
				at, qingshan).Error; err != nil {
				return err
			}
			_, err := funds.RecoverOnUnbind(ctx, tx, w.SP, qingshan, 0, at)
			return err
		},
		func() error { return funds.Service{DB: tx, Clock: ago(0)}.SetAlert(ctx, sp, "20000.00") },
		func() error {
			// Pending: vendor finance has it in 提现审核.
			_, err := withdraw(0.2, "2000.00", "招商银行上海张江支行", "6214830212345678", "示例云科技有限公司")
			return err
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

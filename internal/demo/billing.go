package demo

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/billing"
	"partnercenter/internal/ledger"
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

	now := time.Now().UTC()
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

	rec := billing.Recharges{DB: tx}
	recharge := func(pid int64, amount, source, payer, ref string) error {
		_, err := rec.Confirm(ctx, finID, billing.RechargeInput{AccountNo: ledger.RechargeAccountNo(pid), Amount: amount,
			Source: source, PayerName: payer, Reference: ref, Key: demoKey()})
		return err
	}
	for _, r := range []struct {
		pid                        int64
		amount, source, payer, ref string
	}{
		{w.SP, "50000.00", billing.SourceBankTransfer, "示例云科技有限公司", "CMB20250103001"},
		{w.SP, "5000.00", billing.SourceAlipay, "刘洋", "ALI2025011500021"},
		{w.SP, "12800.00", billing.SourceIncentive, "", "INC-2024Q4"},
		{w.MD, "200000.00", billing.SourceBankTransfer, "华东数智分销有限公司", "ICBC20250105009"},
		{w.CR, "8000.00", billing.SourceOnlineBanking, "杭州云启网络科技有限公司", "ABC20250108112"},
	} {
		if err := recharge(r.pid, r.amount, r.source, r.payer, r.ref); err != nil {
			return fmt.Errorf("demo recharge: %w", err)
		}
	}

	principal := func(pid int64, login string) *access.Principal {
		return &access.Principal{UserID: w.Users[login], PartnerID: pid, IsMain: true, PartnerActive: true}
	}
	sp := principal(w.SP, SPAdmin)
	funds := billing.Funds{DB: tx}
	move := func(p *access.Principal, op string, memo string, items ...billing.MoveItem) error {
		_, err := funds.Move(ctx, p, billing.MoveInput{Op: op, Items: items, Memo: memo, Key: demoKey()})
		return err
	}
	if err := move(sp, billing.OpTransfer, "首期项目资金", billing.MoveItem{CustomerID: hemiao, Amount: "8000.00"},
		billing.MoveItem{CustomerID: xingchen, Amount: "3500.00"}); err != nil {
		return fmt.Errorf("demo transfer: %w", err)
	}
	if err := move(sp, billing.OpTransfer, "", billing.MoveItem{CustomerID: lanhai, Amount: "1200.50"}); err != nil {
		return err
	}
	if err := move(sp, billing.OpTransfer, "年度续费", billing.MoveItem{CustomerID: qingshan, Amount: "2600.00"}); err != nil {
		return err
	}
	if err := move(sp, billing.OpRecover, "项目结束回收余额", billing.MoveItem{CustomerID: hemiao, Amount: "1500.00"}); err != nil {
		return err
	}
	// 青山医药 unbound: its remaining balance came back as 解除关联回收.
	if err := tx.Exec(`UPDATE associations SET status = 'ended', ended_at = ? WHERE customer_id = ? AND status = 'active'`,
		now.Add(-48*time.Hour), qingshan).Error; err != nil {
		return err
	}
	if _, err := billing.RecoverOnUnbind(ctx, tx, w.SP, qingshan, 0); err != nil {
		return err
	}
	if err := funds.SetAlert(ctx, sp, "20000.00"); err != nil {
		return err
	}
	if _, err := funds.RequestWithdrawal(ctx, sp, billing.WithdrawInput{Amount: "2000.00", BankName: "招商银行上海张江支行",
		AccountNo: "6214830212345678", HolderName: "示例云科技有限公司", Key: demoKey()}); err != nil {
		return fmt.Errorf("demo withdrawal: %w", err)
	}
	paid, err := funds.RequestWithdrawal(ctx, sp, billing.WithdrawInput{Amount: "1000.00", BankName: "中国工商银行上海分行",
		AccountNo: "6222021001123456789", HolderName: "刘洋", Key: demoKey()})
	if err != nil {
		return err
	}
	if err := (billing.Payouts{DB: tx}).Pay(ctx, finID, paid.ID); err != nil {
		return err
	}

	md := principal(w.MD, MDAdmin)
	if err := move(md, billing.OpTransfer, "", billing.MoveItem{CustomerID: mdCust, Amount: "15000.00"}); err != nil {
		return err
	}
	cr := principal(w.CR, CRAdmin)
	return move(cr, billing.OpTransfer, "设计云资源预付", billing.MoveItem{CustomerID: crCust, Amount: "900.00"})
}

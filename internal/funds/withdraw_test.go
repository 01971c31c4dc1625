package funds

import (
	"context"
	"testing"

	"partnercenter/internal/access"
	"partnercenter/internal/ledger"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/dbtest"
)

// R19 (seed 003 §12.1.3.7): money recharged through Alipay goes back to an
// account held by the Alipay subject; bank money to the partner's
// real-name subject; any other holder is refused.
func TestWithdrawalHolderMustMatchTheFundingSource(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	s := Service{DB: g, Clock: clock.System{}}
	finance := fixtureFinance(t, g)
	tn := fixtureTenant(t, g, 0)
	recharge(t, g, tn.ID, "300") // bank transfer → the partner's own name
	if _, err := (Recharges{DB: g, Clock: clock.System{}}).Confirm(ctx, finance, RechargeInput{AccountNo: ledger.RechargeAccountNo(tn.ID), Amount: "100",
		Source: SourceAlipay, PayerName: "张 三", Key: newKey()}); err != nil {
		t.Fatal(err)
	}
	w := func(amount, holder string) error {
		_, err := s.RequestWithdrawal(ctx, tn.Main, WithdrawInput{Amount: amount, BankName: "招商银行上海分行",
			AccountNo: "6225880012345678", HolderName: holder, Key: newKey()})
		return err
	}
	if ae, ok := apperr.As(w("10", "李四")); !ok || ae.Fields["holder_name"] != "billing.err.holder_mismatch" {
		t.Fatalf("unrelated holder: %v", ae)
	}
	if ae, ok := apperr.As(w("100.01", "张三")); !ok || ae.Fields["amount"] != "billing.err.exceeds_withdrawable" {
		t.Fatalf("more than the Alipay funds: %v", ae)
	}
	if err := w("100", "张三"); err != nil {
		t.Fatal(err)
	}
	if err := w("300", tn.Name); err != nil {
		t.Fatal(err)
	}
	if b := cashOf(t, g, tn.ID); !b.IsZero() {
		t.Errorf("cash %s while withdrawals are held", b)
	}
	rows, total, err := s.Withdrawals(ctx, tn.Main, 1)
	if err != nil || total != 2 {
		t.Fatal(err, total)
	}
	p := Payouts{DB: g, Clock: clock.System{}}
	if err := p.Pay(ctx, finance, rows[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := p.Pay(ctx, finance, rows[0].ID); !apperr.Is(err, apperr.KindConflict) {
		t.Errorf("paid twice: %v", err)
	}
	if err := p.Reject(ctx, finance, rows[1].ID, ""); !apperr.Is(err, apperr.KindInvalid) {
		t.Errorf("reject without reason: %v", err)
	}
	if err := p.Reject(ctx, finance, rows[1].ID, "开户名与实名主体不一致"); err != nil {
		t.Fatal(err)
	}
	if b := cashOf(t, g, tn.ID); !b.Equal(dec("100")) {
		t.Errorf("cash %s after one paid and one rejected", b)
	}
	mustConsistent(t, g)
}

// TestWrongKindOfPrincipalIsRefusedAndNothingMoves: vendor staff and a
// customer account cannot use a tenant's 资金管理 (even carrying its tenant
// id); a partner member, even the main account, cannot confirm recharges
// nor pay or reject withdrawals. Each is Forbidden and no money, row,
// setting or audit entry changes.
func TestWrongKindOfPrincipalIsRefusedAndNothingMoves(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	s := Service{DB: g, Clock: clock.System{}}
	rc := Recharges{DB: g, Clock: clock.System{}}
	po := Payouts{DB: g, Clock: clock.System{}}
	tn := fixtureTenant(t, g, 1)
	finance := fixtureFinance(t, g)
	recharge(t, g, tn.ID, "300")
	if _, err := s.Move(ctx, tn.Main, transfer(tn.Resale[0], "50")); err != nil {
		t.Fatal(err)
	}
	pending, err := s.RequestWithdrawal(ctx, tn.Main, WithdrawInput{Amount: "10", BankName: "招商银行上海分行",
		AccountNo: "6225880012345678", HolderName: tn.Name, Key: newKey()})
	if err != nil {
		t.Fatal(err)
	}
	state := func() string {
		var out string
		g.Raw(`SELECT concat_ws('|',
			(SELECT count(*) FROM ledger_transactions WHERE partner_id = ?),
			(SELECT string_agg(balance::text, ',' ORDER BY id) FROM ledger_accounts WHERE partner_id = ?),
			(SELECT string_agg(status, ',' ORDER BY id) FROM withdrawals WHERE partner_id = ?),
			(SELECT count(*) FROM billing_settings WHERE partner_id = ?),
			(SELECT count(*) FROM audit_log WHERE partner_id = ?),
			(SELECT count(*) FROM messages WHERE user_id = ?))`,
			tn.ID, tn.ID, tn.ID, tn.ID, tn.ID, tn.Main.UserID).Scan(&out)
		return out
	}
	before := state()
	forbidden := func(what string, err error) {
		t.Helper()
		if !apperr.Is(err, apperr.KindForbidden) {
			t.Errorf("%s: %v, want forbidden", what, err)
		}
	}
	vendor := *finance
	vendor.PartnerID, vendor.IsMain = tn.ID, true // a stray tenant on a vendor principal grants nothing
	customer := access.CustomerUser(tn.Main.UserID)
	customer.PartnerID, customer.IsMain = tn.ID, true
	for name, p := range map[string]*access.Principal{"vendor": &vendor, "customer": customer, "system": access.System} {
		_, err := s.Overview(ctx, p)
		forbidden(name+" Overview", err)
		forbidden(name+" SetAlert", s.SetAlert(ctx, p, "1.00"))
		forbidden(name+" SetStepUp", s.SetStepUp(ctx, p, true))
		_, err = s.Lines(ctx, p, LineFilter{})
		forbidden(name+" Lines", err)
		forbidden(name+" ExportLines", s.ExportLines(ctx, p, LineFilter{}, func(Line) error { return nil }))
		_, err = s.Adjustments(ctx, p, AdjustmentFilter{})
		forbidden(name+" Adjustments", err)
		_, err = s.Customers(ctx, p, CustomerFilter{})
		forbidden(name+" Customers", err)
		_, err = s.CustomersByID(ctx, p, tn.Resale)
		forbidden(name+" CustomersByID", err)
		_, err = s.Allowances(ctx, p)
		forbidden(name+" Allowances", err)
		_, _, err = s.Withdrawals(ctx, p, 1)
		forbidden(name+" Withdrawals", err)
		_, err = s.StepUpRequired(ctx, p)
		forbidden(name+" StepUpRequired", err)
		_, err = s.StepUpByCode(ctx, p)
		forbidden(name+" StepUpByCode", err)
		_, err = s.Preview(ctx, p, transfer(tn.Resale[0], "10"))
		forbidden(name+" Preview", err)
		_, err = s.Move(ctx, p, transfer(tn.Resale[0], "10"))
		forbidden(name+" Move", err)
		_, err = s.RequestWithdrawal(ctx, p, WithdrawInput{Amount: "10", BankName: "招商银行上海分行",
			AccountNo: "6225880012345678", HolderName: tn.Name, Key: newKey()})
		forbidden(name+" RequestWithdrawal", err)
	}
	for name, p := range map[string]*access.Principal{"partner": tn.Main, "customer": customer, "system": access.System} {
		_, err := rc.Confirm(ctx, p, RechargeInput{AccountNo: ledger.RechargeAccountNo(tn.ID), Amount: "1000",
			Source: SourceBankTransfer, PayerName: "自充", Key: newKey()})
		forbidden(name+" Confirm", err)
		_, err = rc.List(ctx, p, "", 1)
		forbidden(name+" Recharges.List", err)
		_, _, err = po.List(ctx, p, "", 1)
		forbidden(name+" Payouts.List", err)
		forbidden(name+" Pay", po.Pay(ctx, p, pending.ID))
		forbidden(name+" Reject", po.Reject(ctx, p, pending.ID, "越权驳回"))
	}
	if after := state(); after != before {
		t.Fatalf("state changed: %s → %s", before, after)
	}
	mustConsistent(t, g)
}

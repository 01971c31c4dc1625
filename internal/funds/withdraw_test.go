package funds

import (
	"context"
	"testing"

	"partnercenter/internal/ledger"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/dbtest"
)

// R19 (seed 003 §12.1.3.7): money recharged through Alipay goes back to an
// account held by the Alipay subject; bank money to the partner's
// real-name subject; any other holder is refused.
func TestWithdrawalHolderMustMatchTheFundingSource(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	s := Service{DB: g}
	tn := fixtureTenant(t, g, 0)
	recharge(t, g, tn.ID, "300") // bank transfer → the partner's own name
	if _, err := (Recharges{DB: g}).Confirm(ctx, 0, RechargeInput{AccountNo: ledger.RechargeAccountNo(tn.ID), Amount: "100",
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
	p := Payouts{DB: g}
	if err := p.Pay(ctx, 0, rows[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := p.Pay(ctx, 0, rows[0].ID); !apperr.Is(err, apperr.KindConflict) {
		t.Errorf("paid twice: %v", err)
	}
	if err := p.Reject(ctx, 0, rows[1].ID, ""); !apperr.Is(err, apperr.KindInvalid) {
		t.Errorf("reject without reason: %v", err)
	}
	if err := p.Reject(ctx, 0, rows[1].ID, "开户名与实名主体不一致"); err != nil {
		t.Fatal(err)
	}
	if b := cashOf(t, g, tn.ID); !b.Equal(dec("100")) {
		t.Errorf("cash %s after one paid and one rejected", b)
	}
	mustConsistent(t, g)
}

package customer

import (
	"crypto/rand"
	"encoding/hex"
	"testing"

	"github.com/shopspring/decimal"

	"partnercenter/internal/access"
	"partnercenter/internal/funds"
	"partnercenter/internal/ledger"
	"partnercenter/internal/platform/clock"
)

func billingKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// fund recharges the tenant and allocates amount to the resale customer.
func (f *fx) fund(t *testing.T, tn *tenant, cid int64, amount string) {
	t.Helper()
	finance := access.VendorStaff(f.rawUser(t, "vendor", 0, "finance", false), "finance")
	if _, err := (funds.Recharges{DB: f.db, Clock: clock.System{}}).Confirm(ctx, finance, funds.RechargeInput{AccountNo: ledger.RechargeAccountNo(tn.ID),
		Amount: "1000", Source: funds.SourceBankTransfer, PayerName: "测试", Key: billingKey()}); err != nil {
		t.Fatal(err)
	}
	if _, err := (funds.Service{DB: f.db, Clock: clock.System{}}).Move(ctx, tn.Main, funds.MoveInput{Op: funds.OpTransfer, Key: billingKey(),
		Items: []funds.MoveItem{{CustomerID: cid, Amount: amount}}}); err != nil {
		t.Fatal(err)
	}
}

func (f *fx) funded(t *testing.T, tn *tenant, cid int64) (cash, customer decimal.Decimal, recoveries int64) {
	t.Helper()
	c, _ := ledger.PartnerCash(ctx, f.db, tn.ID)
	a, _ := ledger.FindCustomerFunded(ctx, f.db, tn.ID, cid)
	recoveries = f.count(t, `SELECT count(*) FROM ledger_transactions WHERE partner_id = ? AND customer_id = ? AND kind = 'unbind_recover'`, tn.ID, cid)
	return c.Balance, a.Balance, recoveries
}

// Unbinding a resale customer returns its partner-funded balance to the
// partner as 解除关联回收, in the transaction that ends the association.
func TestUnbindingAResaleCustomerRecoversItsBalanceToThePartner(t *testing.T) {
	f := setup(t)
	a := f.tenant(t, 0)
	uid, cid := f.associated(t, a, ModeResale)
	f.fund(t, a, cid, "321.09")
	req, err := f.svc.RequestUnbind(ctx, a.Main, cid, "合作结束")
	if err != nil {
		t.Fatal(err)
	}
	if cash, cust, n := f.funded(t, a, cid); !cust.Equal(decimal.RequireFromString("321.09")) || n != 0 || !cash.Equal(decimal.RequireFromString("678.91")) {
		t.Fatalf("recovered before consent: %s %s %d", cash, cust, n)
	}
	if _, err := f.svc.Consent(ctx, access.CustomerUser(uid), req.ID, true); err != nil {
		t.Fatal(err)
	}
	cash, cust, n := f.funded(t, a, cid)
	if !cust.IsZero() || n != 1 || !cash.Equal(decimal.RequireFromString("1000")) {
		t.Fatalf("after unbinding: cash %s, customer %s, %d recoveries", cash, cust, n)
	}
	if got := f.assoc(t, cid); got.Status != AssociationEnded {
		t.Fatalf("association %s", got.Status)
	}
	fs, err := ledger.Check(ctx, f.db)
	if err != nil || len(fs) != 0 {
		t.Fatalf("ledger: %v %v", fs, err)
	}
}

// Switching resale → consulting recovers the balance too; a refused
// unbinding recovers nothing.
func TestSwitchToConsultingRecoversAndRefusalKeepsTheBalance(t *testing.T) {
	f := setup(t)
	a := f.tenant(t, 0)
	uid, cid := f.associated(t, a, ModeResale)
	f.fund(t, a, cid, "50")
	req, err := f.svc.RequestUnbind(ctx, a.Main, cid, "试试")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Consent(ctx, access.CustomerUser(uid), req.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, cust, n := f.funded(t, a, cid); !cust.Equal(decimal.NewFromInt(50)) || n != 0 {
		t.Fatalf("refused unbinding moved money: %s %d", cust, n)
	}
	sw, err := f.svc.RequestSwitch(ctx, a.Main, cid, "客户自行支付")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Consent(ctx, access.CustomerUser(uid), sw.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, cust, n := f.funded(t, a, cid); !cust.IsZero() || n != 1 {
		t.Fatalf("switch to consulting: %s %d", cust, n)
	}
}

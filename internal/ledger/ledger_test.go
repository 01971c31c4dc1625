package ledger

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
	"partnercenter/internal/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var seq atomic.Int64

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// fixturePartner creates a partner and returns its id.
func fixturePartner(t *testing.T, g *gorm.DB) int64 {
	t.Helper()
	n := seq.Add(1) + time.Now().UnixNano()%100000
	var id int64
	if err := g.Raw(`INSERT INTO partners (name, credit_code, status) VALUES (?, ?, 'active') RETURNING id`,
		fmt.Sprintf("账本测试伙伴%d", n), fmt.Sprintf("%018d", n)).Scan(&id).Error; err != nil {
		t.Fatal(err)
	}
	return id
}

func fixtureCustomer(t *testing.T, g *gorm.DB) int64 {
	t.Helper()
	n := seq.Add(1) + time.Now().UnixNano()%100000
	var id int64
	if err := g.Raw(`INSERT INTO customers (account_name, name, kind, registered_at) VALUES (?, ?, 'enterprise', now()) RETURNING id`,
		fmt.Sprintf("ledger_cust_%d", n), fmt.Sprintf("账本客户%d", n)).Scan(&id).Error; err != nil {
		t.Fatal(err)
	}
	return id
}

// recharge posts a bank receipt to the partner.
func recharge(t *testing.T, g *gorm.DB, pid int64, amount string) {
	t.Helper()
	ctx := context.Background()
	err := db.WithTx(ctx, g, func(tx *gorm.DB) error {
		cash, err := PartnerCash(ctx, tx, pid)
		if err != nil {
			return err
		}
		bank, err := Vendor(ctx, tx, KindVendorBank)
		if err != nil {
			return err
		}
		a := dec(amount)
		_, err = Post(ctx, tx, Move{PartnerID: pid, Kind: TxRecharge, Amount: a, Source: "bank_transfer",
			Legs: []Leg{{bank.ID, a.Neg()}, {cash.ID, a}}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// move posts a transfer (partner → customer) or a recovery.
func move(ctx context.Context, g *gorm.DB, pid, cid int64, kind string, amount decimal.Decimal) error {
	return db.WithTx(ctx, g, func(tx *gorm.DB) error {
		cash, err := PartnerCash(ctx, tx, pid)
		if err != nil {
			return err
		}
		cust, err := CustomerFunded(ctx, tx, pid, cid)
		if err != nil {
			return err
		}
		from, to := cash.ID, cust.ID
		if kind == TxRecover {
			from, to = to, from
		}
		_, err = Post(ctx, tx, Move{PartnerID: pid, CustomerID: cid, Kind: kind, Amount: amount,
			Legs: []Leg{{from, amount.Neg()}, {to, amount}}})
		return err
	})
}

func balanceOf(t *testing.T, g *gorm.DB, id int64) decimal.Decimal {
	t.Helper()
	var a Account
	if err := g.First(&a, id).Error; err != nil {
		t.Fatal(err)
	}
	return a.Balance
}

func mustConsistent(t *testing.T, g *gorm.DB) {
	t.Helper()
	fs, err := Check(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		t.Errorf("ledger inconsistent: %s", f)
	}
}

func TestPostRefusesMovesThatDoNotBalance(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	pid := fixturePartner(t, g)
	recharge(t, g, pid, "100")
	cash, _ := PartnerCash(ctx, g, pid)
	cust, _ := CustomerFunded(ctx, g, pid, fixtureCustomer(t, g))
	bad := []Move{
		{Kind: TxTransfer, Amount: dec("1"), Legs: []Leg{{cash.ID, dec("-1")}, {cust.ID, dec("0.99")}}},
		{Kind: TxTransfer, Amount: dec("1"), Legs: []Leg{{cash.ID, dec("-1")}}},
		{Kind: TxTransfer, Amount: dec("0.001"), Legs: []Leg{{cash.ID, dec("-0.001")}, {cust.ID, dec("0.001")}}},
		{Kind: TxTransfer, Amount: dec("1"), Legs: []Leg{{cash.ID, dec("-1")}, {cash.ID, dec("1")}}},
		{Kind: TxTransfer, Amount: dec("-1"), Legs: []Leg{{cash.ID, dec("1")}, {cust.ID, dec("-1")}}},
	}
	for i, m := range bad {
		err := db.WithTx(ctx, g, func(tx *gorm.DB) error { _, err := Post(ctx, tx, m); return err })
		if err == nil {
			t.Errorf("move %d was posted", i)
		}
	}
	if b := balanceOf(t, g, cash.ID); !b.Equal(dec("100")) {
		t.Errorf("cash %s after refused moves", b)
	}
	mustConsistent(t, g)
}

func TestOverdraftIsRefusedWithInsufficientFundsAndMovesNothing(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	pid := fixturePartner(t, g)
	cid := fixtureCustomer(t, g)
	recharge(t, g, pid, "50.00")
	err := move(ctx, g, pid, cid, TxTransfer, dec("50.01"))
	if ae, ok := apperr.As(err); !ok || ae.Kind != apperr.KindConflict || ae.Key != ErrInsufficient {
		t.Fatalf("overdraft: %v", err)
	}
	var n int64
	g.Model(&Transaction{}).Where("partner_id = ? AND kind = ?", pid, TxTransfer).Count(&n)
	if n != 0 {
		t.Errorf("%d transfer rows written", n)
	}
	cash, _ := PartnerCash(ctx, g, pid)
	if !cash.Balance.Equal(dec("50")) {
		t.Errorf("cash %s", cash.Balance)
	}
	// Recovering more than the customer holds is refused the same way.
	if err := move(ctx, g, pid, cid, TxTransfer, dec("20")); err != nil {
		t.Fatal(err)
	}
	if err := move(ctx, g, pid, cid, TxRecover, dec("20.01")); !apperr.Is(err, apperr.KindConflict) {
		t.Fatalf("recover more than held: %v", err)
	}
	mustConsistent(t, g)
}

func TestSchemaRefusesNegativeBalancesAndUnbalancedTransactions(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	pid := fixturePartner(t, g)
	cash, _ := PartnerCash(ctx, g, pid)
	if err := g.Exec(`UPDATE ledger_accounts SET balance = -1 WHERE id = ?`, cash.ID).Error; err == nil {
		t.Error("a partner cash account went negative")
	}
	if err := g.Exec(`UPDATE ledger_accounts SET balance = 0.001 WHERE id = ?`, cash.ID).Error; err == nil {
		t.Error("a balance took a third decimal")
	}
	// Entries written by hand that do not sum to zero fail at commit.
	err := g.Transaction(func(tx *gorm.DB) error {
		var tid int64
		if err := tx.Raw(`INSERT INTO ledger_transactions (partner_id, kind, amount, source) VALUES (?, 'recharge', 5, 'bank_transfer') RETURNING id`, pid).
			Scan(&tid).Error; err != nil {
			return err
		}
		return tx.Exec(`INSERT INTO ledger_entries (transaction_id, account_id, amount, balance_after) VALUES (?, ?, 5, 5)`, tid, cash.ID).Error
	})
	if err == nil {
		t.Error("an unbalanced transaction was committed")
	}
	mustConsistent(t, g)
}

func TestEntriesAndTransactionsAreAppendOnly(t *testing.T) {
	g := dbtest.DB(t)
	pid := fixturePartner(t, g)
	recharge(t, g, pid, "10")
	for _, q := range []string{
		`UPDATE ledger_entries SET amount = amount * 2`,
		`DELETE FROM ledger_entries`,
		`UPDATE ledger_transactions SET memo = 'x'`,
		`DELETE FROM ledger_transactions`,
	} {
		if err := g.Exec(q).Error; err == nil {
			t.Errorf("%s succeeded", q)
		}
	}
	mustConsistent(t, g)
}

func TestRechargeAccountNumbersAreUniqueAndMistypesAreCaught(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	a, b := fixturePartner(t, g), fixturePartner(t, g)
	na, nb := RechargeAccountNo(a), RechargeAccountNo(b)
	if na == nb || !ValidRechargeAccountNo(na) {
		t.Fatalf("numbers %s %s", na, nb)
	}
	if got, err := PartnerByRechargeNo(ctx, g, na); err != nil || got != a {
		t.Errorf("lookup %s: %d %v", na, got, err)
	}
	typo := []byte(na)
	typo[10] = '0' + (typo[10]-'0'+1)%10
	if _, err := PartnerByRechargeNo(ctx, g, string(typo)); !apperr.Is(err, apperr.KindNotFound) {
		t.Errorf("mistyped number found a partner: %v", err)
	}
	ca, _ := PartnerCash(ctx, g, a)
	if *ca.RechargeAccountNo != na {
		t.Errorf("stored number %s", *ca.RechargeAccountNo)
	}
	if err := g.Exec(`INSERT INTO ledger_accounts (kind, partner_id, recharge_account_no) VALUES ('partner_cash', ?, ?)`, b, na).Error; err == nil {
		t.Error("two partners share a dedicated recharge account number")
	}
}

func TestReplayedKeyReturnsFirstResultAndReusedKeyConflicts(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	pid := fixturePartner(t, g)
	type result struct{ TxID int64 }
	run := func(key, hash string) (result, bool, error) {
		var r result
		var replayed bool
		err := db.WithTx(ctx, g, func(tx *gorm.DB) error {
			var err error
			replayed, err = Claim(ctx, tx, pid, key, hash, &r)
			if err != nil || replayed {
				return err
			}
			r = result{TxID: seq.Add(1)}
			return Complete(ctx, tx, pid, key, r)
		})
		return r, replayed, err
	}
	first, replayed, err := run("key-0123456789abcdef", Hash("transfer", "1", "10.00"))
	if err != nil || replayed {
		t.Fatal(err, replayed)
	}
	again, replayed, err := run("key-0123456789abcdef", Hash("transfer", "1", "10.00"))
	if err != nil || !replayed || again != first {
		t.Fatalf("replay: %v %v %v (first %v)", again, replayed, err, first)
	}
	if _, _, err := run("key-0123456789abcdef", Hash("transfer", "1", "99.00")); !apperr.Is(err, apperr.KindConflict) {
		t.Fatalf("reused key with other parameters: %v", err)
	}
	if _, _, err := run("short", "x"); !apperr.Is(err, apperr.KindInvalid) {
		t.Fatalf("malformed key: %v", err)
	}
}

func TestCheckReportsCorruptedEntriesAndBalances(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	pid := fixturePartner(t, g)
	recharge(t, g, pid, "30")
	mustConsistent(t, g)
	cash, _ := PartnerCash(ctx, g, pid)
	sentinel := errors.New("rollback")
	err := g.Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`ALTER TABLE ledger_entries DISABLE TRIGGER ledger_entries_append_only`).Error; err != nil {
			return err
		}
		if err := tx.Exec(`UPDATE ledger_entries SET amount = amount + 1, kind = 'withdraw' WHERE account_id = ?`, cash.ID).Error; err != nil {
			return err
		}
		fs, err := Check(ctx, tx)
		if err != nil {
			return err
		}
		kinds := map[string]bool{}
		for _, f := range fs {
			kinds[f.Kind] = true
		}
		for _, k := range []string{"unbalanced_transaction", "unbalanced_total", "balance_mismatch", "entry_kind_mismatch"} {
			if !kinds[k] {
				t.Errorf("corruption not reported as %s: %v", k, fs)
			}
		}
		return sentinel
	})
	if !errors.Is(err, sentinel) {
		t.Fatal(err)
	}
	mustConsistent(t, g)
}

// TestConcurrentTransfersAndRecoveriesKeepTheLedgerConsistent: 50
// simultaneous transfers and recoveries on one partner and three
// customers (run with -race) never deadlock, never overdraw, and leave
// balances equal to the sum of their entries.
func TestConcurrentTransfersAndRecoveriesKeepTheLedgerConsistent(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	pid := fixturePartner(t, g)
	cids := []int64{fixtureCustomer(t, g), fixtureCustomer(t, g), fixtureCustomer(t, g)}
	recharge(t, g, pid, "100.00")
	var wg sync.WaitGroup
	var ok, refused atomic.Int64
	errs := make(chan error, 50)
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			kind := TxTransfer
			if i%3 == 2 {
				kind = TxRecover
			}
			err := move(ctx, g, pid, cids[i%3], kind, dec("7.50"))
			switch {
			case err == nil:
				ok.Add(1)
			case apperr.Is(err, apperr.KindConflict):
				refused.Add(1)
			default:
				errs <- err
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("unexpected error: %v", err)
	}
	if ok.Load() == 0 {
		t.Fatal("no move went through")
	}
	cash, _ := PartnerCash(ctx, g, pid)
	total := cash.Balance
	for _, c := range cids {
		a, _ := CustomerFunded(ctx, g, pid, c)
		if a.Balance.IsNegative() {
			t.Errorf("customer %d balance %s", c, a.Balance)
		}
		total = total.Add(a.Balance)
	}
	if cash.Balance.IsNegative() || !total.Equal(dec("100")) {
		t.Errorf("cash %s, partner + customers %s, want 100", cash.Balance, total)
	}
	mustConsistent(t, g)
}

package ledger

import (
	"context"
	"fmt"
	"testing"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/platform/dbtest"
)

// funds asks the ledger for a partner's balances by kind and its
// recharges by source and payer (issue 8) instead of reading the tables.
func TestSumBalancesAndRechargedBy(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	pid, c1, c2 := fixturePartner(t, g), fixtureCustomer(t, g), fixtureCustomer(t, g)
	recharge(t, g, pid, "100.00")
	recharge(t, g, pid, "20.50")
	for _, c := range []int64{c1, c2} {
		if err := move(ctx, g, pid, c, TxTransfer, dec("30.00")); err != nil {
			t.Fatal(err)
		}
	}
	sums, err := SumBalances(ctx, g, pid, KindCustomerFunded, KindPartnerCash, KindPartnerWithdrawing)
	if err != nil {
		t.Fatal(err)
	}
	if len(sums) != 2 || !sums[KindCustomerFunded].Equal(dec("60.00")) || !sums[KindPartnerCash].Equal(dec("60.50")) {
		t.Fatalf("sums = %v, want funded 60.00 and cash 60.50 (no withdrawing account)", sums)
	}
	rows, err := RechargedBy(ctx, g, pid)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Source != "bank_transfer" || !rows[0].Sum.Equal(dec("120.50")) {
		t.Fatalf("recharged = %+v", rows)
	}
}

// consumption locks the funded accounts an import touches through the
// ledger, in id order; pairs without an account are skipped.
func TestLockCustomerFundedLocksTheAccountsOfThePairs(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	pid, c1, c2, none := fixturePartner(t, g), fixtureCustomer(t, g), fixtureCustomer(t, g), fixtureCustomer(t, g)
	a1, err := CustomerFunded(ctx, g, pid, c1)
	if err != nil {
		t.Fatal(err)
	}
	a2, err := CustomerFunded(ctx, g, pid, c2)
	if err != nil {
		t.Fatal(err)
	}
	err = g.Transaction(func(tx *gorm.DB) error {
		locked, err := LockCustomerFunded(ctx, tx, []int64{pid, pid, pid}, []int64{c2, none, c1})
		if err != nil {
			return err
		}
		// The two accounts that exist, in id order.
		if len(locked) != 2 || locked[0].ID != min(a1.ID, a2.ID) || locked[1].ID != max(a1.ID, a2.ID) {
			t.Errorf("locked %+v, want accounts %d and %d in id order", locked, a1.ID, a2.ID)
		}
		// Another session cannot take the rows without waiting.
		other := g.Session(&gorm.Session{NewDB: true})
		for _, id := range []int64{a1.ID, a2.ID} {
			var got []int64
			if err := other.Raw(`SELECT id FROM ledger_accounts WHERE id = ? FOR UPDATE SKIP LOCKED`, id).Scan(&got).Error; err != nil {
				return err
			}
			if len(got) != 0 {
				t.Errorf("account %d is not locked", id)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if locked, err := LockCustomerFunded(ctx, g, nil, nil); err != nil || len(locked) != 0 {
		t.Fatalf("no pairs: %v %v", locked, err)
	}
}

// consumption's check asks the ledger what it drew down per import, net
// of the refunds it credited back.
func TestConsumptionNetsAreDrawDownsMinusCreditsPerImport(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	pid, cid := fixturePartner(t, g), fixtureCustomer(t, g)
	recharge(t, g, pid, "100.00")
	if err := move(ctx, g, pid, cid, TxTransfer, dec("50.00")); err != nil {
		t.Fatal(err)
	}
	var imp int64
	if err := g.Raw(`INSERT INTO consumption_imports (file_name, status) VALUES ('nets.csv', 'done') RETURNING id`).Scan(&imp).Error; err != nil {
		t.Fatal(err)
	}
	funded, err := CustomerFunded(ctx, g, pid, cid)
	if err != nil {
		t.Fatal(err)
	}
	revenue, err := Vendor(ctx, g, KindVendorRevenue)
	if err != nil {
		t.Fatal(err)
	}
	err = g.Transaction(func(tx *gorm.DB) error {
		if err := PostBulk(ctx, tx, "consumption", time.Now(), imp,
			[]BulkMove{{PartnerID: pid, CustomerID: cid, From: funded.ID, To: revenue.ID, Amount: dec("30.00")}}); err != nil {
			return err
		}
		return PostBulk(ctx, tx, "consumption_refund", time.Now(), imp,
			[]BulkMove{{PartnerID: pid, CustomerID: cid, From: revenue.ID, To: funded.ID, Amount: dec("4.25")}})
	})
	if err != nil {
		t.Fatal(err)
	}
	nets, err := ConsumptionNets(ctx, g)
	if err != nil {
		t.Fatal(err)
	}
	if !nets[imp].Equal(dec("25.75")) {
		t.Fatalf("net of import %d = %s, want 25.75", imp, nets[imp])
	}
	mustConsistent(t, g)
}

// The funds pages read the ledger's history through these reports: a
// partner's cash statement (paged and streamed, filtered by direction and
// customer), its customer transactions with their sum, and the recharges.
func TestStatementTransactionsAndRecharges(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	pid, cid := fixturePartner(t, g), fixtureCustomer(t, g)
	recharge(t, g, pid, "100.00")
	if err := move(ctx, g, pid, cid, TxTransfer, dec("30.00")); err != nil {
		t.Fatal(err)
	}
	if err := move(ctx, g, pid, cid, TxRecover, dec("10.00")); err != nil {
		t.Fatal(err)
	}
	var account string
	if err := g.Raw(`SELECT account_name FROM customers WHERE id = ?`, cid).Scan(&account).Error; err != nil {
		t.Fatal(err)
	}

	lines, total, capped, err := Statement(ctx, g, StatementQuery{PartnerID: pid}, 2, 0)
	if err != nil || total != 3 || capped || len(lines) != 2 || lines[0].Kind != TxRecover || !lines[0].Amount.Equal(dec("10.00")) ||
		!lines[0].BalanceAfter.Equal(dec("80.00")) || lines[0].CustomerAccount != account {
		t.Fatalf("statement = %+v (of %d) %v", lines, total, err)
	}
	out, total, _, err := Statement(ctx, g, StatementQuery{PartnerID: pid, Direction: "out", CustomerLike: "%" + account + "%"}, 10, 0)
	if err != nil || total != 1 || out[0].Kind != TxTransfer || !out[0].Amount.Equal(dec("-30.00")) {
		t.Fatalf("outgoing to the customer = %+v (of %d) %v", out, total, err)
	}
	// By kind: the entries' own copy of their transaction's kind (migration 00026).
	for kind, want := range map[string]string{TxTransfer: "-30.00", TxRecover: "10.00", "recharge": "100.00"} {
		got, total, _, err := Statement(ctx, g, StatementQuery{PartnerID: pid, Kind: kind}, 10, 0)
		if err != nil || total != 1 || got[0].Kind != kind || !got[0].Amount.Equal(dec(want)) {
			t.Fatalf("kind %s = %+v (of %d) %v", kind, got, total, err)
		}
	}
	if _, total, _, err := Statement(ctx, g, StatementQuery{PartnerID: pid, Kind: TxTransfer, Direction: "in"}, 10, 0); err != nil || total != 0 {
		t.Fatalf("incoming transfers: %d %v", total, err)
	}
	if _, total, _, err := Statement(ctx, g, StatementQuery{PartnerID: pid, Until: time.Now().Add(-time.Hour)}, 10, 0); err != nil || total != 0 {
		t.Fatalf("before the first entry: %d %v", total, err)
	}
	var streamed []string
	if err := StreamStatement(ctx, g, StatementQuery{PartnerID: pid}, func(l StatementLine) error {
		streamed = append(streamed, l.Kind)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(streamed) != "[recover transfer recharge]" {
		t.Fatalf("streamed = %v, newest first", streamed)
	}

	// Money out (拨款 30) and money in (回收 10) are summed apart, never added.
	txs, total, sums, err := Transactions(ctx, g, TransactionQuery{PartnerID: pid, Kinds: []string{TxTransfer, TxRecover}}, 1, 0)
	if err != nil || total != 2 || !sums[TxTransfer].Equal(dec("30.00")) || !sums[TxRecover].Equal(dec("10.00")) || len(txs) != 1 || txs[0].Kind != TxRecover || txs[0].CustomerID != cid {
		t.Fatalf("transactions = %+v (of %d, Σ %v) %v", txs, total, sums, err)
	}

	no := RechargeAccountNo(pid)
	recharges, total, err := Recharges(ctx, g, "", no, 10, 0)
	if err != nil || total != 1 || recharges[0].PartnerID != pid || recharges[0].AccountNo != no || !recharges[0].Amount.Equal(dec("100.00")) {
		t.Fatalf("recharges by account number = %+v (of %d) %v", recharges, total, err)
	}
	if _, total, err := Recharges(ctx, g, "%no such partner%", "", 10, 0); err != nil || total != 0 {
		t.Fatalf("recharges of nobody: %d %v", total, err)
	}
}

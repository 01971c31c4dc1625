package ledger

import (
	"context"
	"fmt"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// Finding is one inconsistency found by Check.
type Finding struct {
	Kind          string // unbalanced_transaction, unbalanced_total, balance_mismatch, negative_balance, single_leg, entry_kind_mismatch
	TransactionID int64
	AccountID     int64
	Expected      decimal.Decimal
	Actual        decimal.Decimal
}

func (f Finding) String() string {
	switch f.Kind {
	case "unbalanced_transaction":
		return fmt.Sprintf("transaction %d: entries sum to %s, not 0", f.TransactionID, f.Actual)
	case "single_leg":
		return fmt.Sprintf("transaction %d: %s entries, a transaction needs at least 2", f.TransactionID, f.Actual)
	case "unbalanced_total":
		return fmt.Sprintf("all entries sum to %s, not 0", f.Actual)
	case "balance_mismatch":
		return fmt.Sprintf("account %d: cached balance %s, entries sum to %s", f.AccountID, f.Actual, f.Expected)
	case "entry_kind_mismatch":
		return fmt.Sprintf("transaction %d: an entry's kind is not the transaction's", f.TransactionID)
	case "negative_balance":
		return fmt.Sprintf("account %d: balance %s below zero on an account that must not overdraw", f.AccountID, f.Actual)
	}
	return f.Kind
}

// Check verifies the ledger with g (a database or a transaction): every
// transaction's entries sum to zero and there are at least two; all
// entries sum to zero; every account's cached balance equals the sum of
// its entries; no account that must not overdraw is negative. It returns
// the findings (none: consistent).
func Check(ctx context.Context, g *gorm.DB) ([]Finding, error) {
	g = g.WithContext(ctx)
	var out []Finding
	var unbalanced []struct {
		TransactionID int64
		Sum           decimal.Decimal
		N             int64
	}
	if err := g.Raw(`SELECT transaction_id, sum(amount) AS sum, count(*) AS n FROM ledger_entries
		GROUP BY transaction_id HAVING sum(amount) <> 0 OR count(*) < 2 ORDER BY transaction_id`).Scan(&unbalanced).Error; err != nil {
		return nil, err
	}
	for _, u := range unbalanced {
		if !u.Sum.IsZero() {
			out = append(out, Finding{Kind: "unbalanced_transaction", TransactionID: u.TransactionID, Actual: u.Sum})
		}
		if u.N < 2 {
			out = append(out, Finding{Kind: "single_leg", TransactionID: u.TransactionID, Actual: decimal.NewFromInt(u.N)})
		}
	}
	var orphans []int64
	if err := g.Raw(`SELECT t.id FROM ledger_transactions t
		WHERE NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.transaction_id = t.id) ORDER BY t.id`).Scan(&orphans).Error; err != nil {
		return nil, err
	}
	for _, id := range orphans {
		out = append(out, Finding{Kind: "single_leg", TransactionID: id, Actual: decimal.Zero})
	}
	// An entry's kind is its transaction's (migration 00026, for 收支明细).
	var miskinded []int64
	if err := g.Raw(`SELECT DISTINCT e.transaction_id FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id
		WHERE e.kind <> t.kind ORDER BY e.transaction_id`).Scan(&miskinded).Error; err != nil {
		return nil, err
	}
	for _, id := range miskinded {
		out = append(out, Finding{Kind: "entry_kind_mismatch", TransactionID: id})
	}
	var total decimal.Decimal
	if err := g.Raw(`SELECT coalesce(sum(amount), 0) FROM ledger_entries`).Scan(&total).Error; err != nil {
		return nil, err
	}
	if !total.IsZero() {
		out = append(out, Finding{Kind: "unbalanced_total", Actual: total})
	}
	var mism []struct {
		ID      int64
		Balance decimal.Decimal
		Sum     decimal.Decimal
	}
	if err := g.Raw(`SELECT a.id, a.balance, coalesce(s.sum, 0) AS sum FROM ledger_accounts a
		LEFT JOIN (SELECT account_id, sum(amount) AS sum FROM ledger_entries GROUP BY account_id) s ON s.account_id = a.id
		WHERE a.balance <> coalesce(s.sum, 0) ORDER BY a.id`).Scan(&mism).Error; err != nil {
		return nil, err
	}
	for _, m := range mism {
		out = append(out, Finding{Kind: "balance_mismatch", AccountID: m.ID, Expected: m.Sum, Actual: m.Balance})
	}
	var neg []struct {
		ID      int64
		Balance decimal.Decimal
	}
	if err := g.Raw(`SELECT id, balance FROM ledger_accounts WHERE NOT allow_negative AND balance < 0 ORDER BY id`).Scan(&neg).Error; err != nil {
		return nil, err
	}
	for _, n := range neg {
		out = append(out, Finding{Kind: "negative_balance", AccountID: n.ID, Actual: n.Balance})
	}
	return out, nil
}

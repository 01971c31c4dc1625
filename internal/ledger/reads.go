package ledger

import (
	"context"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// The reads below answer other packages' questions about the ledger
// (issue 8, "Tables have owners": ledger owns its accounts, transactions
// and entries; funds and consumption ask here). Each runs with g, the
// caller's database or transaction.

// LockCustomerFunded takes row locks on the customer-funded accounts of
// the given (partner, customer) pairs — partnerIDs[i] with customerIDs[i]
// — in ascending account id order (the one lock order, see Lock) and
// returns them, in that order. Pairs without an account are skipped.
func LockCustomerFunded(ctx context.Context, tx *gorm.DB, partnerIDs, customerIDs []int64) ([]Account, error) {
	if len(partnerIDs) != len(customerIDs) {
		panic("ledger: LockCustomerFunded needs one customer per partner")
	}
	if len(partnerIDs) == 0 {
		return nil, nil
	}
	var locked []Account
	err := tx.WithContext(ctx).Raw(`SELECT * FROM ledger_accounts WHERE kind = 'customer_funded' AND (partner_id, customer_id) IN
		(SELECT * FROM unnest(?::bigint[], ?::bigint[])) ORDER BY id FOR UPDATE`, pgArray(partnerIDs), pgArray(customerIDs)).
		Scan(&locked).Error
	return locked, err
}

// EnsureCustomerFunded creates, in one statement, the customer-funded
// accounts of the pairs (partnerIDs[i], customerIDs[i]) that have none
// (CustomerFunded's bulk form). Give the pairs in a stable order:
// concurrent creators meet in the unique index in that order.
func EnsureCustomerFunded(ctx context.Context, tx *gorm.DB, partnerIDs, customerIDs []int64) error {
	if len(partnerIDs) != len(customerIDs) {
		panic("ledger: EnsureCustomerFunded needs one customer per partner")
	}
	if len(partnerIDs) == 0 {
		return nil
	}
	return tx.WithContext(ctx).Exec(`INSERT INTO ledger_accounts (kind, partner_id, customer_id, allow_negative)
		SELECT 'customer_funded', p, c, false FROM unnest(?::bigint[], ?::bigint[]) AS t (p, c)
		ON CONFLICT DO NOTHING`, pgArray(partnerIDs), pgArray(customerIDs)).Error
}

// SumBalances adds up the balances of a partner's accounts of the given
// kinds, by kind; kinds without an account are absent.
func SumBalances(ctx context.Context, g *gorm.DB, partnerID int64, kinds ...string) (map[string]decimal.Decimal, error) {
	out := map[string]decimal.Decimal{}
	if len(kinds) == 0 {
		return out, nil
	}
	var rows []struct {
		Kind string
		Sum  decimal.Decimal
	}
	if err := g.WithContext(ctx).Raw(`SELECT kind, coalesce(sum(balance), 0) AS sum FROM ledger_accounts
		WHERE partner_id = ? AND kind IN ? GROUP BY kind`, partnerID, kinds).Scan(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.Kind] = r.Sum
	}
	return out, nil
}

// Recharged is what a partner's recharges brought in from one source and
// payer.
type Recharged struct {
	Source    string
	PayerName string
	Sum       decimal.Decimal
}

// RechargedBy sums a partner's recharges by source and payer name
// (unordered).
func RechargedBy(ctx context.Context, g *gorm.DB, partnerID int64) ([]Recharged, error) {
	var out []Recharged
	err := g.WithContext(ctx).Raw(`SELECT source, payer_name, sum(amount) AS sum FROM ledger_transactions
		WHERE partner_id = ? AND kind = ? GROUP BY source, payer_name`, partnerID, TxRecharge).Scan(&out).Error
	return out, err
}

// Credit is one recharge: when and how much.
type Credit struct {
	At     time.Time
	Amount decimal.Decimal
}

// RechargesFrom lists a partner's recharges from one source, oldest
// first.
func RechargesFrom(ctx context.Context, g *gorm.DB, partnerID int64, source string) ([]Credit, error) {
	var out []Credit
	err := g.WithContext(ctx).Raw(`SELECT created_at AS at, amount FROM ledger_transactions
		WHERE partner_id = ? AND kind = ? AND source = ? ORDER BY created_at, id`, partnerID, TxRecharge, source).Scan(&out).Error
	return out, err
}

// ConsumptionNets is what the ledger drew down for each consumption
// import minus what it credited back (refunds), by import id; imports
// without ledger transactions are absent.
func ConsumptionNets(ctx context.Context, g *gorm.DB) (map[int64]decimal.Decimal, error) {
	var rows []struct {
		ImportID int64
		Net      decimal.Decimal
	}
	if err := g.WithContext(ctx).Raw(`SELECT consumption_import_id AS import_id,
			sum(CASE kind WHEN 'consumption' THEN amount ELSE -amount END) AS net
		FROM ledger_transactions WHERE consumption_import_id IS NOT NULL GROUP BY consumption_import_id`).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[int64]decimal.Decimal, len(rows))
	for _, r := range rows {
		out[r.ImportID] = r.Net
	}
	return out, nil
}

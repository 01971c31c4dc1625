package ledger

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"partnercenter/internal/platform/money"
)

// BulkMove is one two-legged movement of a batch: Amount leaves From and
// reaches To, on behalf of a partner (tenant) and a customer.
type BulkMove struct {
	PartnerID, CustomerID int64
	From, To              int64
	Amount                decimal.Decimal
}

// PostBulk appends many two-legged transactions of one kind in a few
// set-based statements, for batch work such as a consumption import
// drawing down thousands of customers' balances at once (Post would cost
// five round trips per move). The rules are Post's: amounts positive and
// in fen, accounts locked in ascending id order, no non-negative account
// taken below zero (the whole batch fails: callers size amounts to the
// locked balances first), entries carrying each account's running
// balance, cached balances updated, every transaction balanced (the
// commit-time trigger still checks). consumptionImportID, when non-zero,
// links the transactions to their import.
func PostBulk(ctx context.Context, tx *gorm.DB, kind string, at time.Time, consumptionImportID int64, moves []BulkMove) error {
	if len(moves) == 0 {
		return nil
	}
	n := len(moves)
	partners, customers, froms, tos := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
	amounts := make([]string, n)
	ids := make([]int64, 0, 2*n)
	for i, m := range moves {
		if !m.Amount.IsPositive() || !money.IsFen(m.Amount) {
			return fmt.Errorf("ledger: bulk amount %s is not a positive amount in fen", m.Amount)
		}
		if m.From == m.To {
			return fmt.Errorf("ledger: bulk move from and to the same account %d", m.From)
		}
		partners[i], customers[i], froms[i], tos[i] = m.PartnerID, m.CustomerID, m.From, m.To
		amounts[i] = m.Amount.String()
		ids = append(ids, m.From, m.To)
	}
	if _, err := Lock(ctx, tx, ids...); err != nil {
		return err
	}
	var imp *int64
	if consumptionImportID != 0 {
		imp = &consumptionImportID
	}
	g := tx.WithContext(ctx)
	// One statement: the transactions, their two entries each with the
	// running balance per account (ordered by the move's position), and
	// the cached balances. A negative result on a non-negative account
	// violates ledger_accounts' CHECK and fails the statement.
	err := g.Exec(`
		WITH input AS (
			SELECT t.ord, t.partner_id, t.customer_id, t.from_acct, t.to_acct, t.amount
			FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::numeric[])
			     WITH ORDINALITY AS t(partner_id, customer_id, from_acct, to_acct, amount, ord)
		), txs AS (
			INSERT INTO ledger_transactions (partner_id, customer_id, kind, amount, consumption_import_id, created_at)
			SELECT nullif(partner_id, 0), nullif(customer_id, 0), ?, amount, ?, ? FROM input ORDER BY ord
			RETURNING id
		), numbered AS (
			SELECT id, row_number() OVER (ORDER BY id) AS ord FROM txs
		), legs AS (
			SELECT n.id AS transaction_id, i.ord, i.from_acct AS account_id, -i.amount AS amount, 0 AS side
			FROM input i JOIN numbered n USING (ord)
			UNION ALL
			SELECT n.id, i.ord, i.to_acct, i.amount, 1
			FROM input i JOIN numbered n USING (ord)
		), running AS (
			SELECT l.transaction_id, l.account_id, l.amount,
			       a.balance + sum(l.amount) OVER (PARTITION BY l.account_id ORDER BY l.ord, l.side
			                                       ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS balance_after
			FROM legs l JOIN ledger_accounts a ON a.id = l.account_id
		), entries AS (
			INSERT INTO ledger_entries (transaction_id, account_id, amount, balance_after, created_at)
			SELECT transaction_id, account_id, amount, balance_after, ? FROM running
			RETURNING 1
		)
		UPDATE ledger_accounts a SET balance = a.balance + d.delta
		FROM (SELECT account_id, sum(amount) AS delta FROM legs GROUP BY account_id) d
		WHERE a.id = d.account_id`,
		pgArray(partners), pgArray(customers), pgArray(froms), pgArray(tos), pgTextArray(amounts), kind, imp, at.UTC(), at.UTC()).Error
	if err != nil {
		return fmt.Errorf("ledger: bulk post: %w", err)
	}
	return nil
}

// pgArray renders ids as a PostgreSQL array literal: GORM would expand a
// Go slice into a list of placeholders.
func pgArray(ids []int64) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	b.WriteByte('}')
	return b.String()
}

// pgTextArray renders plain decimal literals (no quoting needed) as an
// array literal.
func pgTextArray(vs []string) string { return "{" + strings.Join(vs, ",") + "}" }

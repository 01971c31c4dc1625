// Package ledger is the product's double-entry, append-only book of money
// (docs/ARCHITECTURE.md, "Money"). Balances change only by Post, which appends one
// balanced transaction (entries summing to zero) and updates the cached
// balances of its accounts in the caller's database transaction — the
// same one that writes the business record and its audit row.
//
//   - Accounts: a partner's cash account (充值账户) with its unique
//     dedicated recharge account number (R18, seed 003 §12.1.3.5); money a
//     partner's pending withdrawals hold; a resale customer's balance
//     funded by one partner (one account per partner and customer, kept
//     apart from customers.cash_balance, the customer's own recharges that
//     R12 looks at); vendor clearing accounts (bank receipts and payouts,
//     revenue).
//   - Locking: Lock takes row locks (SELECT … FOR UPDATE) in ascending
//     account id order, so concurrent movements never deadlock; Post
//     refuses a movement that would take a non-negative account below zero
//     with apperr Conflict "ledger.err.insufficient" (the schema's CHECK is
//     the second line of defence).
//   - Idempotency: Claim records a request key per tenant with a hash of
//     its parameters; a replay returns the first result, a reuse with
//     other parameters is a conflict.
//   - Check verifies Σ entries = 0 per transaction and overall, and that
//     every cached balance equals the sum of its entries.
//   - Other packages read the ledger's tables through it (issue 8, "Tables
//     have owners"): balances by kind (SumBalances), recharges by payer
//     (RechargedBy), draw-downs per consumption import (ConsumptionNets),
//     locks on customer-funded accounts (LockCustomerFunded), and the
//     reports of the funds pages (reports.go: Statement, StreamStatement,
//     Transactions, Recharges), which are the ledger's history with
//     customers, users and partners joined for display; funds keeps who
//     may read them and the filters' defaults. A recharge number's
//     partner is checked through partner.
//
// No HTTP or HTML here; business rules (who may move what) live in
// internal/funds.
package ledger

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/metrics"
	"partnercenter/internal/platform/money"
)

// Account kinds.
const (
	KindPartnerCash        = "partner_cash"
	KindPartnerWithdrawing = "partner_withdrawing"
	KindCustomerFunded     = "customer_funded"
	KindVendorBank         = "vendor_bank"
	KindVendorRevenue      = "vendor_revenue"
	// KindPartnerVoucherQuota is the partner's voucher quota (代金券额度),
	// credited by 转代金券额度 (seed 003 §12.1.5.14); the voucher menu
	// spends it.
	KindPartnerVoucherQuota = "partner_voucher_quota"
)

// Transaction kinds.
const (
	TxRecharge         = "recharge"          // 充值
	TxTransfer         = "transfer"          // 拨款
	TxRecover          = "recover"           // 回收
	TxUnbindRecover    = "unbind_recover"    // 解除关联回收
	TxWithdraw         = "withdraw"          // 提现 (held)
	TxWithdrawPaid     = "withdraw_paid"     // 提现 paid
	TxWithdrawRejected = "withdraw_rejected" // 提现 refused, released
	TxVoucherQuota     = "voucher_quota"     // 转代金券额度 (incentive to voucher quota)
)

// ErrInsufficient is the catalog key of a movement that would overdraw.
const ErrInsufficient = "ledger.err.insufficient"

// Account is a row of ledger_accounts.
type Account struct {
	ID                int64
	Kind              string
	PartnerID         *int64
	CustomerID        *int64
	RechargeAccountNo *string
	Balance           decimal.Decimal
	AllowNegative     bool
	CreatedAt         time.Time
}

// TableName maps Account to ledger_accounts.
func (Account) TableName() string { return "ledger_accounts" }

// Transaction is a row of ledger_transactions: one business movement.
type Transaction struct {
	ID           int64
	PartnerID    *int64
	CustomerID   *int64
	Kind         string
	Amount       decimal.Decimal
	Source       *string
	PayerName    string
	Reference    string
	WithdrawalID *int64
	Memo         string
	RequestKey   string
	CreatedBy    *int64
	CreatedAt    time.Time
}

// TableName maps Transaction to ledger_transactions.
func (Transaction) TableName() string { return "ledger_transactions" }

// Entry is a row of ledger_entries: one leg of a transaction.
type Entry struct {
	ID            int64
	TransactionID int64
	AccountID     int64
	Amount        decimal.Decimal
	BalanceAfter  decimal.Decimal
	CreatedAt     time.Time
}

// TableName maps Entry to ledger_entries.
func (Entry) TableName() string { return "ledger_entries" }

// Leg is one side of a movement: what the account gains (negative: loses).
type Leg struct {
	AccountID int64
	Amount    decimal.Decimal
}

// Move describes one transaction to post. Amount is the business amount
// (positive); Legs carry the signed entries.
type Move struct {
	PartnerID    int64 // tenant that sees it (0: none)
	CustomerID   int64 // counterpart (0: none)
	Kind         string
	Amount       decimal.Decimal
	Source       string
	PayerName    string
	Reference    string
	WithdrawalID int64
	Memo         string
	RequestKey   string
	CreatedBy    int64
	// At is when it happened (zero: now), from the caller's clock.
	At   time.Time
	Legs []Leg
}

// Change is what a posting did to one account.
type Change struct {
	Before, After decimal.Decimal
}

// Posted is the result of Post.
type Posted struct {
	Transaction Transaction
	Changes     map[int64]Change // by account id
}

func ptr[T comparable](v T) *T {
	var zero T
	if v == zero {
		return nil
	}
	return &v
}

// validate checks a move before anything is written: known kind, legs on
// distinct accounts, amounts in fen, non-zero, summing to zero.
func (m Move) validate() error {
	if len(m.Legs) < 2 {
		return fmt.Errorf("ledger: a transaction needs at least two legs")
	}
	if !m.Amount.IsPositive() || !money.IsFen(m.Amount) {
		return fmt.Errorf("ledger: amount %s is not a positive amount in fen", m.Amount)
	}
	sum := decimal.Zero
	seen := map[int64]bool{}
	for _, l := range m.Legs {
		if l.Amount.IsZero() || !money.IsFen(l.Amount) {
			return fmt.Errorf("ledger: leg amount %s is zero or not in fen", l.Amount)
		}
		if seen[l.AccountID] {
			return fmt.Errorf("ledger: account %d appears twice in one transaction", l.AccountID)
		}
		seen[l.AccountID] = true
		sum = sum.Add(l.Amount)
	}
	if !sum.IsZero() {
		return fmt.Errorf("ledger: legs sum to %s, not zero", sum)
	}
	return nil
}

// Lock takes row locks on accounts in ascending id order (the one order
// every movement uses, so two movements never wait on each other in a
// cycle) and returns them by id. Call it first in a transaction that
// posts several moves; Post locks again, which costs nothing then.
func Lock(ctx context.Context, tx *gorm.DB, ids ...int64) (map[int64]*Account, error) {
	uniq := map[int64]bool{}
	var sorted []int64
	for _, id := range ids {
		if !uniq[id] {
			uniq[id] = true
			sorted = append(sorted, id)
		}
	}
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	var rows []Account
	if err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).
		Where("id IN ?", sorted).Order("id").Find(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) != len(sorted) {
		return nil, fmt.Errorf("ledger: %d of %d accounts exist", len(rows), len(sorted))
	}
	out := make(map[int64]*Account, len(rows))
	for i := range rows {
		out[rows[i].ID] = &rows[i]
	}
	return out, nil
}

// Post appends one balanced transaction with tx (the caller's
// transaction): it locks the accounts in ascending order, refuses to take
// a non-negative account below zero (apperr Conflict ErrInsufficient,
// nothing written), writes the transaction and its entries with each
// account's balance after, and updates the cached balances.
func Post(ctx context.Context, tx *gorm.DB, m Move) (*Posted, error) {
	if err := m.validate(); err != nil {
		return nil, err
	}
	ids := make([]int64, len(m.Legs))
	for i, l := range m.Legs {
		ids[i] = l.AccountID
	}
	accts, err := Lock(ctx, tx, ids...)
	if err != nil {
		return nil, err
	}
	changes := map[int64]Change{}
	for _, l := range m.Legs {
		a := accts[l.AccountID]
		after := a.Balance.Add(l.Amount)
		if after.IsNegative() && !a.AllowNegative {
			return nil, apperr.Conflict(ErrInsufficient, map[string]any{
				"Balance": money.Grouped(a.Balance, money.AmountPlaces), "Amount": money.Grouped(l.Amount.Neg(), money.AmountPlaces)})
		}
		changes[a.ID] = Change{Before: a.Balance, After: after}
	}
	t := Transaction{PartnerID: ptr(m.PartnerID), CustomerID: ptr(m.CustomerID), Kind: m.Kind, Amount: m.Amount,
		Source: ptr(m.Source), PayerName: m.PayerName, Reference: m.Reference, WithdrawalID: ptr(m.WithdrawalID),
		Memo: m.Memo, RequestKey: m.RequestKey, CreatedBy: ptr(m.CreatedBy), CreatedAt: m.At.UTC()}
	if m.At.IsZero() {
		t.CreatedAt = time.Now().UTC()
	}
	g := tx.WithContext(ctx)
	if err := g.Create(&t).Error; err != nil {
		return nil, err
	}
	entries := make([]Entry, 0, len(m.Legs))
	for _, l := range m.Legs {
		entries = append(entries, Entry{TransactionID: t.ID, AccountID: l.AccountID, Amount: l.Amount,
			BalanceAfter: changes[l.AccountID].After, CreatedAt: t.CreatedAt})
	}
	if err := g.Create(&entries).Error; err != nil {
		return nil, err
	}
	for _, l := range m.Legs {
		a := accts[l.AccountID]
		if err := g.Model(&Account{}).Where("id = ?", a.ID).Update("balance", changes[a.ID].After).Error; err != nil {
			return nil, err
		}
		a.Balance = changes[a.ID].After
	}
	metrics.MoneyMoves.WithLabelValues(m.Kind).Inc()
	return &Posted{Transaction: t, Changes: changes}, nil
}

package ledger

import (
	"context"
	"partnercenter/internal/platform/db"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// Reports over the ledger's history for the funds pages (收支明细, 调账记录,
// vendor finance's recharges). The ledger's tables are read here only
// (issue 8, "Tables have owners"); internal/funds keeps who may read,
// filters' defaults and paging. Customers, users and partners are joined
// for display and for the name filters. Each runs with g, the caller's
// database or transaction; like patterns come escaped from the caller.

// StatementQuery selects entries of a partner's cash account (充值账户).
type StatementQuery struct {
	PartnerID    int64
	Kind         string    // transaction kind, "" for all
	Direction    string    // "in" (amount > 0), "out" (< 0) or ""
	CustomerLike string    // LIKE pattern on the customer's account or name, "" for all
	From, Until  time.Time // entry time ≥ From and < Until (zero: open)
	Oldest       bool      // oldest first (default: newest first)
}

// StatementLine is one entry of a partner's cash account with its
// transaction. Amount is signed: income positive.
type StatementLine struct {
	EntryID         int64
	TransactionID   int64
	At              time.Time
	Kind            string
	Amount          decimal.Decimal
	BalanceAfter    decimal.Decimal
	CustomerID      *int64
	CustomerName    string // empty when the customer deregistered (§12.1.9.23)
	CustomerAccount string
	Source          *string
	PayerName       string
	Reference       string
	Memo            string
	Operator        string
}

// matching selects the entries of the partner's cash account that q
// keeps, joining the transaction and its customer only for a customer
// search: counting and paging walk ledger_entries_account_idx (by kind:
// ledger_entries_account_kind_idx) alone.
func matching(ctx context.Context, g *gorm.DB, q StatementQuery) *gorm.DB {
	m := g.WithContext(ctx).Table("ledger_entries e").
		Where("e.account_id = (SELECT id FROM ledger_accounts WHERE kind = ? AND partner_id = ?)", KindPartnerCash, q.PartnerID)
	if q.CustomerLike != "" {
		m = m.Joins("JOIN ledger_transactions t ON t.id = e.transaction_id")
	}
	if q.Kind != "" {
		// The entry's copy of its transaction's kind (migration 00026):
		// ledger_entries_account_kind_idx walks the kind in list order.
		m = m.Where("e.kind = ?", q.Kind)
	}
	switch q.Direction {
	case "in":
		m = m.Where("e.amount > 0")
	case "out":
		m = m.Where("e.amount < 0")
	}
	if q.CustomerLike != "" {
		m = m.Joins("LEFT JOIN customers c ON c.id = t.customer_id").
			Where("(c.account_name ILIKE ? OR c.name ILIKE ?)", q.CustomerLike, q.CustomerLike)
	}
	if !q.From.IsZero() {
		m = m.Where("e.created_at >= ?", q.From.UTC())
	}
	if !q.Until.IsZero() {
		m = m.Where("e.created_at < ?", q.Until.UTC())
	}
	return m
}

// lines selects the statement's columns for the entries of ids (a
// subquery or a list).
func lines(ctx context.Context, g *gorm.DB, ids any) *gorm.DB {
	return g.WithContext(ctx).Table("ledger_entries e").
		Joins("JOIN ledger_transactions t ON t.id = e.transaction_id").
		Joins("LEFT JOIN customers c ON c.id = t.customer_id").
		Joins("LEFT JOIN users u ON u.id = t.created_by").
		Where("e.id IN (?)", ids).Select(statementColumns)
}

const statementColumns = `e.id AS entry_id, e.transaction_id, e.created_at AS at, t.kind, e.amount, e.balance_after,
	t.customer_id, coalesce(c.name, '') AS customer_name, coalesce(c.account_name, '') AS customer_account,
	t.source, t.payer_name, t.reference, t.memo, coalesce(nullif(u.display_name, ''), u.login_name, '') AS operator`

// Statement is one page (limit, offset) of the entries q selects, newest
// first, and how many there are up to db.MaxCount (capped: more). The page's
// entry ids are found on the account's index (a subquery); only those rows
// are joined to their transactions, customers and operators.
func Statement(ctx context.Context, g *gorm.DB, q StatementQuery, limit, offset int) (_ []StatementLine, total int64, capped bool, err error) {
	if total, capped, err = db.CappedCount(matching(ctx, g, q)); err != nil {
		return nil, 0, false, err
	}
	page := matching(ctx, g, q).Select("e.id").Order(newestFirst("e.id", q.Oldest)).Limit(limit).Offset(offset)
	var out []StatementLine
	err = lines(ctx, g, page).Order(newestFirst("e.id", q.Oldest)).Scan(&out).Error
	return out, total, capped, err
}

// StreamStatement calls fn for every entry q selects, newest first,
// reading row by row so a long history is never held in memory.
func StreamStatement(ctx context.Context, g *gorm.DB, q StatementQuery, fn func(StatementLine) error) error {
	return db.Each(lines(ctx, g, matching(ctx, g, q).Select("e.id")).Order(newestFirst("e.id", q.Oldest)), fn)
}

// TransactionQuery selects a partner's transactions of some kinds.
type TransactionQuery struct {
	PartnerID    int64
	Kinds        []string
	CustomerLike string    // LIKE pattern on the customer's account or name, "" for all
	From, Until  time.Time // created ≥ From and < Until (zero: open)
	Oldest       bool      // oldest first (default: newest first)
}

// newestFirst orders by an id that grows with time.
func newestFirst(col string, oldest bool) string {
	if oldest {
		return col + " ASC"
	}
	return col + " DESC"
}

// CustomerTransaction is a transaction with its counterpart customer.
type CustomerTransaction struct {
	ID              int64
	At              time.Time
	Kind            string
	Amount          decimal.Decimal
	CustomerID      int64
	CustomerName    string
	CustomerAccount string
	Operator        string
	Memo            string
}

// Transactions is one page (limit, offset) of the transactions q selects,
// newest first, with how many there are and the sum of their amounts by
// kind (money out and money in are never added together).
func Transactions(ctx context.Context, g *gorm.DB, q TransactionQuery, limit, offset int) (_ []CustomerTransaction, total int64, sums map[string]decimal.Decimal, err error) {
	base := func() *gorm.DB {
		db := g.WithContext(ctx).Table("ledger_transactions t").
			Joins("LEFT JOIN customers c ON c.id = t.customer_id").
			Joins("LEFT JOIN users u ON u.id = t.created_by").
			Where("t.partner_id = ? AND t.kind IN ?", q.PartnerID, q.Kinds)
		if q.CustomerLike != "" {
			db = db.Where("(c.account_name ILIKE ? OR c.name ILIKE ?)", q.CustomerLike, q.CustomerLike)
		}
		if !q.From.IsZero() {
			db = db.Where("t.created_at >= ?", q.From.UTC())
		}
		if !q.Until.IsZero() {
			db = db.Where("t.created_at < ?", q.Until.UTC())
		}
		return db
	}
	var agg []struct {
		Kind string
		N    int64
		Sum  decimal.Decimal
	}
	if err := base().Select("t.kind, count(*) AS n, coalesce(sum(t.amount), 0) AS sum").Group("t.kind").Scan(&agg).Error; err != nil {
		return nil, 0, nil, err
	}
	sums = map[string]decimal.Decimal{}
	for _, a := range agg {
		total += a.N
		sums[a.Kind] = a.Sum
	}
	var out []CustomerTransaction
	err = base().Select(`t.id, t.created_at AS at, t.kind, t.amount, t.customer_id, coalesce(c.name, '') AS customer_name,
		coalesce(c.account_name, '') AS customer_account, t.memo,
		coalesce(nullif(u.display_name, ''), u.login_name, '') AS operator`).
		Order(newestFirst("t.id", q.Oldest)).Limit(limit).Offset(offset).Scan(&out).Error
	return out, total, sums, err
}

// Recharge is a recorded recharge with its partner and account number.
type Recharge struct {
	ID          int64
	At          time.Time
	PartnerID   int64
	PartnerName string
	AccountNo   string
	Amount      decimal.Decimal
	Source      string
	PayerName   string
	Reference   string
	Operator    string
}

// Recharges is one page (limit, offset) of every partner's recharges,
// newest first, and how many there are; like (a LIKE pattern on the
// partner's name) or accountNo (an exact dedicated account number)
// narrows them when either is not "".
func Recharges(ctx context.Context, g *gorm.DB, like, accountNo string, limit, offset int) ([]Recharge, int64, error) {
	base := func() *gorm.DB {
		db := g.WithContext(ctx).Table("ledger_transactions t").
			Joins("JOIN partners p ON p.id = t.partner_id").
			Joins("JOIN ledger_accounts a ON a.kind = 'partner_cash' AND a.partner_id = t.partner_id").
			Joins("LEFT JOIN users u ON u.id = t.created_by").
			Where("t.kind = 'recharge'")
		if like != "" || accountNo != "" {
			db = db.Where("(p.name ILIKE ? OR a.recharge_account_no = ?)", like, accountNo)
		}
		return db
	}
	var total int64
	if err := base().Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var out []Recharge
	err := base().Select(`t.id, t.created_at AS at, t.partner_id, p.name AS partner_name, a.recharge_account_no AS account_no,
		t.amount, t.source, t.payer_name, t.reference, coalesce(nullif(u.display_name, ''), u.login_name, '') AS operator`).
		Order("t.id DESC").Limit(limit).Offset(offset).Scan(&out).Error
	return out, total, err
}

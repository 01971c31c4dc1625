package funds

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/events"
	"partnercenter/internal/ledger"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
	"partnercenter/internal/platform/money"
)

// Operations that move money between a partner and its resale customers.
const (
	OpTransfer = ledger.TxTransfer // 拨款
	OpRecover  = ledger.TxRecover  // 回收
)

// MaxMemo is the longest remark on a movement.
const MaxMemo = 200

// MoveItem is one customer of a transfer or recovery with the amount as typed.
type MoveItem struct {
	CustomerID int64
	Amount     string
}

// MoveInput is a transfer or recovery request: one customer or a batch.
// Key is the idempotency key the form carried; Password the current
// password when the tenant requires step-up.
type MoveInput struct {
	Op       string
	Items    []MoveItem
	Memo     string
	Key      string
	Password string
}

// PlannedItem is one line of a preview.
type PlannedItem struct {
	Customer FundedCustomer
	Amount   decimal.Decimal
	After    decimal.Decimal // the customer's funded balance afterwards
}

// Plan is what a movement will do, shown before it is confirmed.
type Plan struct {
	Op           string
	Items        []PlannedItem
	Total        decimal.Decimal
	Balance      decimal.Decimal // the partner's cash balance now
	BalanceAfter decimal.Decimal
	StepUp       bool
	StepUpByCode bool // the credential asked is a one-time code
	Memo         string
}

// MoveResult is what a confirmed movement did. A replay of the same
// request (same key) returns the first result with Replayed set.
type MoveResult struct {
	Op             string
	TransactionIDs []int64
	Total          decimal.Decimal
	Count          int
	Replayed       bool `json:"-"`
}

// parse validates the input's shape and amounts: field errors are keyed
// "amount_<customer id>" so the form shows them on the right row.
func (in *MoveInput) parse() (map[int64]decimal.Decimal, []int64, error) {
	f := apperr.Fields{}
	if in.Op != OpTransfer && in.Op != OpRecover {
		return nil, nil, apperr.NotFound()
	}
	in.Memo = strings.TrimSpace(in.Memo)
	if utf8.RuneCountInString(in.Memo) > MaxMemo {
		f.Add("memo", "billing.err.memo_too_long")
	}
	if len(in.Items) == 0 {
		f.Add("customers", "billing.err.no_customers")
	}
	amounts := map[int64]decimal.Decimal{}
	var ids []int64
	for _, it := range in.Items {
		if it.CustomerID <= 0 {
			return nil, nil, apperr.NotFound()
		}
		if _, dup := amounts[it.CustomerID]; dup {
			f.Add("customers", "billing.err.duplicate_customer")
			continue
		}
		d, err := money.Parse(it.Amount, money.Amount)
		if err != nil {
			f.Add("amount_"+strconv.FormatInt(it.CustomerID, 10), money.Key(err))
		}
		amounts[it.CustomerID] = d
		ids = append(ids, it.CustomerID)
	}
	return amounts, ids, f.Err()
}

// hash fingerprints the request for its idempotency key.
func (in MoveInput) hash(amounts map[int64]decimal.Decimal) string {
	parts := []string{in.Op, in.Memo}
	for _, id := range uniqueSorted(keys(amounts)) {
		parts = append(parts, strconv.FormatInt(id, 10)+"="+amounts[id].StringFixed(2))
	}
	return ledger.Hash(parts...)
}

func keys(m map[int64]decimal.Decimal) []int64 {
	out := make([]int64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// plan checks a movement against the current balances (with g: the
// database for a preview, the locked transaction for the real thing).
func (s Service) plan(ctx context.Context, g *gorm.DB, p *access.Principal, in MoveInput, amounts map[int64]decimal.Decimal, ids []int64, lock bool) (*Plan, error) {
	partnerID, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	custs, err := customersByID(ctx, g, p, ids, lock)
	if err != nil {
		return nil, err
	}
	f := apperr.Fields{}
	for _, c := range custs {
		// Only resale (代售) customers take partner money (seed 003
		// §12.1.3.3, §12.4.7); a consulting customer pays for itself.
		if c.Mode != modeResale {
			f.Add("amount_"+strconv.FormatInt(c.CustomerID, 10), "billing.err.not_resale")
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	cash, err := ledger.PartnerCash(ctx, g, partnerID)
	if err != nil {
		return nil, err
	}
	st, err := settingsOf(ctx, g, partnerID, false)
	if err != nil {
		return nil, err
	}
	pl := &Plan{Op: in.Op, Balance: cash.Balance, StepUp: st.StepupRequired, Memo: in.Memo}
	if pl.StepUp {
		if pl.StepUpByCode, err = s.StepUpByCode(ctx, p); err != nil {
			return nil, err
		}
	}
	for _, c := range custs {
		a := amounts[c.CustomerID]
		after := c.Balance.Add(a)
		if in.Op == OpRecover {
			after = c.Balance.Sub(a)
			if after.IsNegative() {
				f.Add("amount_"+strconv.FormatInt(c.CustomerID, 10), "billing.err.exceeds_customer_balance")
			}
		}
		pl.Items = append(pl.Items, PlannedItem{Customer: c, Amount: a, After: after})
		pl.Total = pl.Total.Add(a)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	pl.BalanceAfter = pl.Balance.Sub(pl.Total)
	if in.Op == OpRecover {
		pl.BalanceAfter = pl.Balance.Add(pl.Total)
	}
	if pl.BalanceAfter.IsNegative() {
		return nil, apperr.Conflict("billing.err.insufficient", map[string]any{
			"Balance": money.Plain(pl.Balance, 2), "Total": money.Plain(pl.Total, 2)})
	}
	return pl, nil
}

// Preview validates a transfer or recovery and tells what it would do,
// without changing anything.
func (s Service) Preview(ctx context.Context, p *access.Principal, in MoveInput) (_ *Plan, err error) {
	defer apperr.Wrap(&err, "funds.Preview")
	if _, err := p.Tenant(); err != nil {
		return nil, err
	}
	amounts, ids, err := in.parse()
	if err != nil {
		return nil, err
	}
	return s.plan(ctx, s.DB, p, in, amounts, ids, false)
}

// Move transfers money to (拨款) or recovers it from (回收) one or many
// resale customers of the tenant, all or nothing, in one transaction
// with one ledger transaction and one audit row per customer. There is
// no limit on how often (R17, seed 003 §12.1.3.3). Insufficient funds:
// apperr Conflict, nothing changes. Another tenant's customer: NotFound,
// nothing changes. A replay of the same key returns the first result and
// moves nothing; the same key with other parameters is a conflict. When
// the tenant requires step-up, the current password must be given.
func (s Service) Move(ctx context.Context, p *access.Principal, in MoveInput) (_ *MoveResult, err error) {
	defer apperr.Wrap(&err, "funds.Move")
	partnerID, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	amounts, ids, err := in.parse()
	if err != nil {
		return nil, err
	}
	if !ledger.ValidKey(in.Key) {
		return nil, apperr.Invalid(ledger.ErrKeyMissing)
	}
	if err := s.stepUp(ctx, p, in.Password); err != nil {
		return nil, err
	}
	var res MoveResult
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		res = MoveResult{}
		replayed, err := ledger.Claim(ctx, tx, partnerID, in.Key, in.hash(amounts), &res)
		if err != nil {
			return err
		}
		if replayed {
			res.Replayed = true
			return nil
		}
		// Lock order: association rows (shared, so an unbinding waits for
		// this movement), then ledger accounts in ascending id order.
		custs, err := customersByID(ctx, tx, p, ids, true)
		if err != nil {
			return err
		}
		cash, err := ledger.PartnerCash(ctx, tx, partnerID)
		if err != nil {
			return err
		}
		lockIDs := []int64{cash.ID}
		accts := map[int64]int64{}
		for _, c := range custs {
			a, err := ledger.CustomerFunded(ctx, tx, partnerID, c.CustomerID)
			if err != nil {
				return err
			}
			accts[c.CustomerID] = a.ID
			lockIDs = append(lockIDs, a.ID)
		}
		if _, err := ledger.Lock(ctx, tx, lockIDs...); err != nil {
			return err
		}
		pl, err := s.plan(ctx, tx, p, in, amounts, ids, false)
		if err != nil {
			return err
		}
		var first, last decimal.Decimal
		for i, it := range pl.Items {
			from, to := cash.ID, accts[it.Customer.CustomerID]
			if in.Op == OpRecover {
				from, to = to, from
			}
			posted, err := ledger.Post(ctx, tx, ledger.Move{PartnerID: partnerID, CustomerID: it.Customer.CustomerID,
				Kind: in.Op, Amount: it.Amount, Memo: in.Memo, RequestKey: in.Key, CreatedBy: p.UserID, At: s.Clock.Now().UTC(),
				Legs: []ledger.Leg{{AccountID: from, Amount: it.Amount.Neg()}, {AccountID: to, Amount: it.Amount}}})
			if err != nil {
				if apperr.Is(err, apperr.KindConflict) {
					return apperr.Conflict("billing.err.insufficient", map[string]any{
						"Balance": money.Plain(pl.Balance, 2), "Total": money.Plain(pl.Total, 2)})
				}
				return err
			}
			ch := posted.Changes[cash.ID]
			if i == 0 {
				first = ch.Before
			}
			last = ch.After
			res.TransactionIDs = append(res.TransactionIDs, posted.Transaction.ID)
			if err := audit.Record(ctx, tx, audit.Change{PartnerID: partnerID, Action: "billing." + in.Op,
				ObjectType: "ledger_transaction", ObjectID: posted.Transaction.ID,
				Before: map[string]any{"customer_id": it.Customer.CustomerID, "customer_balance": posted.Changes[to].Before, "partner_balance": ch.Before},
				After: map[string]any{"customer_id": it.Customer.CustomerID, "amount": it.Amount, "customer_balance": posted.Changes[to].After,
					"partner_balance": ch.After, "memo": in.Memo}}); err != nil {
				return err
			}
			if err := events.Record(ctx, tx, partnerID, map[string]string{OpTransfer: EventTransferred, OpRecover: EventRecovered}[in.Op],
				s.Clock.Now(), map[string]any{"customer_id": it.Customer.CustomerID, "amount": it.Amount.StringFixed(2)}); err != nil {
				return err
			}
		}
		if in.Op == OpTransfer {
			if err := alertIfCrossed(ctx, tx, partnerID, first, last); err != nil {
				return err
			}
		}
		res.Op, res.Total, res.Count = in.Op, pl.Total, len(pl.Items)
		return ledger.Complete(ctx, tx, partnerID, in.Key, res)
	})
	if err != nil {
		return nil, err
	}
	return &res, nil
}

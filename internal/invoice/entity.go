package invoice

import (
	"sort"
	"time"

	"github.com/shopspring/decimal"
)

// Signing entities (签约主体, seed 003 §12.1.9.4).
const (
	EntitySoftware = "software" // 华为软件技术有限公司
	EntityCloud    = "cloud"    // 华为云计算技术有限公司
)

// Entities in tab order.
var Entities = []string{EntitySoftware, EntityCloud}

// ValidEntity reports a known signing entity.
func ValidEntity(e string) bool { return e == EntitySoftware || e == EntityCloud }

// EntityAt is the entity that bills what happens at t: 华为软件 before the
// partner's change instant, 华为云计算 from it (nil: never changed).
func EntityAt(changedAt *time.Time, t time.Time) string {
	if changedAt != nil && !t.Before(*changedAt) {
		return EntityCloud
	}
	return EntitySoftware
}

// Event kinds of a partner's invoicing history.
const (
	// EventRecharge puts money in the balance (never invoiceable, R21).
	EventRecharge = "recharge"
	// EventConsume spends cash of the balance on cloud services.
	EventConsume = "consume"
	// EventRefund returns the cash of an unsubscribed order to the balance.
	EventRefund = "refund"
	// EventInvoice is an invoice issued by Entity (negative: returned).
	EventInvoice = "invoice"
	// EventOwedCredit puts money in the balance whose invoice is owed: an
	// incentive returned to the account with 记欠票 (seed 003 §12.1.5.14,
	// §12.1.5.16). It counts as invoiced already, so the consumption it
	// pays for is not invoiced again.
	EventOwedCredit = "owed_credit"
)

// Event is one thing that happened to a partner's money or invoices.
// Amounts are positive; Entity is the entity of an invoice, or of the
// order a refund unsubscribes (empty: the entity at At).
type Event struct {
	Kind   string
	At     time.Time
	Amount decimal.Decimal
	Entity string
}

// Position is the outcome of a partner's events.
type Position struct {
	// Invoiceable is consumed cash not yet invoiced, per signing entity.
	Invoiceable map[string]decimal.Decimal
	// Owed (欠票) is money already invoiced that was not consumed: a
	// balance invoiced in advance, or a refund of an invoiced order whose
	// invoice was kept. Later consumption draws it down before anything
	// becomes invoiceable again.
	Owed decimal.Decimal
	// Balance is the cash balance the events leave.
	Balance decimal.Decimal
}

// Compute applies the signing-entity rules of seed 003 §12.1.9.4 (R51–R53)
// to a partner's events in time order:
//
//   - Consumption first uses up money already invoiced (owed); only the rest
//     is invoiceable, by the entity at the time of consumption (R51: a
//     balance of 100 with 20 invoiced, 90 consumed after the change → 70
//     invoiceable by 华为云计算, the 20 is not invoiced again).
//   - Consumption before the change stays invoiceable by 华为软件 after it
//     (R52).
//   - A refund lowers what its order's entity can still invoice; the part
//     of it that had been invoiced (more than that entity's invoiceable
//     amount) becomes owed (R53: refund 80 of an uninvoiced 100 → 20 left,
//     new consumption 50 invoiceable by 华为云计算; refund 80 of an invoiced
//     100 → owed 80, then 50 consumed → owed 30).
//   - An incentive returned to the account with the invoice owed (记欠票)
//     adds to the balance and to the owed amount at once.
//   - An invoice takes its amount off its entity's invoiceable amount;
//     invoicing more than is invoiceable (an advance invoice) is owed.
//     A returned invoice (negative amount) gives it back.
func Compute(changedAt *time.Time, events []Event) Position {
	evs := append([]Event(nil), events...)
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].At.Before(evs[j].At) })
	pos := Position{Invoiceable: map[string]decimal.Decimal{EntitySoftware: decimal.Zero, EntityCloud: decimal.Zero}}
	for _, e := range evs {
		entity := e.Entity
		if entity == "" {
			entity = EntityAt(changedAt, e.At)
		}
		amt := e.Amount
		switch e.Kind {
		case EventRecharge:
			pos.Balance = pos.Balance.Add(amt)
		case EventOwedCredit:
			pos.Balance = pos.Balance.Add(amt)
			pos.Owed = pos.Owed.Add(amt)
		case EventConsume:
			pos.Balance = pos.Balance.Sub(amt)
			fromOwed := decimal.Min(amt, pos.Owed)
			pos.Owed = pos.Owed.Sub(fromOwed)
			pos.Invoiceable[entity] = pos.Invoiceable[entity].Add(amt.Sub(fromOwed))
		case EventRefund:
			pos.Balance = pos.Balance.Add(amt)
			open := decimal.Max(pos.Invoiceable[entity], decimal.Zero)
			uninvoiced := decimal.Min(amt, open)
			pos.Invoiceable[entity] = pos.Invoiceable[entity].Sub(uninvoiced)
			pos.Owed = pos.Owed.Add(amt.Sub(uninvoiced))
		case EventInvoice:
			if amt.IsNegative() { // returned: the amount is invoiceable again, less what was owed
				back := amt.Neg()
				fromOwed := decimal.Min(back, pos.Owed)
				pos.Owed = pos.Owed.Sub(fromOwed)
				pos.Invoiceable[entity] = pos.Invoiceable[entity].Add(back.Sub(fromOwed))
				continue
			}
			open := decimal.Max(pos.Invoiceable[entity], decimal.Zero)
			covered := decimal.Min(amt, open)
			pos.Invoiceable[entity] = pos.Invoiceable[entity].Sub(covered)
			pos.Owed = pos.Owed.Add(amt.Sub(covered))
		}
	}
	return pos
}

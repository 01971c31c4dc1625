package invoice

import (
	"context"
	"slices"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/consumption"
	"partnercenter/internal/funds"
	"partnercenter/internal/ledger"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
)

// Bill is one bill (账单): the cash the partner's resale customers
// consumed in a billing period, billed by one signing entity (R21: cash
// only — vouchers, stored-value cards, prepaid recharges and reward money
// are never invoiceable). A master distributor's bills include its cloud
// resellers' resale customers (§12.2.4).
type Bill struct {
	Period      time.Time
	Entity      string
	Consumption decimal.Decimal // cash of consumption lines
	Refunds     decimal.Decimal // cash of refund lines (negative)
	Adjustments decimal.Decimal // cash of adjustment lines
	Invoiceable decimal.Decimal // their sum: the bill's invoiceable amount
	// HasRefund: the bill has refund or adjustment lines (matched first, R26).
	HasRefund bool
	// The live invoice holding the bill (nil: free to apply for).
	InvoiceID    *int64
	InvoiceNo    string
	InvoiceState string
}

// Free reports whether the bill can go on a new invoice.
func (b Bill) Free() bool { return b.InvoiceID == nil && !b.Invoiceable.IsZero() }

// PeriodKey is the form value of a billing period ("2025-06").
func PeriodKey(t time.Time) string { return t.Format("2006-01") }

// ParsePeriod reads "2025-06" as the first day of that month.
func ParsePeriod(s string) (time.Time, bool) {
	t, err := time.Parse("2006-01", s)
	if err != nil || t.Year() < 2000 || t.Year() > 2100 {
		return time.Time{}, false
	}
	return t, true
}

// Entities returns the tenant's signing entities: 华为软件 always, and
// 华为云计算 once the partner's signing entity changed (§12.1.9.4).
func (s Service) Entities(ctx context.Context, p *access.Principal) (_ []string, _ *time.Time, err error) {
	defer apperr.Wrap(&err, "invoice.Entities")
	partnerID, err := p.Tenant()
	if err != nil {
		return nil, nil, err
	}
	changed, err := changedAt(ctx, s.DB, partnerID)
	if err != nil {
		return nil, nil, err
	}
	if changed == nil {
		return []string{EntitySoftware}, nil, nil
	}
	return []string{EntitySoftware, EntityCloud}, changed, nil
}

// TabSet is 发票管理's entity tabs (seed 003 §12.1.4.21): one per signing
// entity, except that an entity with only owed or negative invoices — no
// bill left to invoice and no live invoice of a positive amount — is
// merged into the other entity's tab (Merged), whose list then shows each
// invoice's entity; with two entities the tab names are hidden. Bills are
// every entity's bills, read once for the page.
type TabSet struct {
	Tabs   []string
	Merged []string
	Bills  map[string][]Bill
}

// Tabs reads the member's tenant's tab set.
func (s Service) Tabs(ctx context.Context, p *access.Principal) (_ *TabSet, err error) {
	defer apperr.Wrap(&err, "invoice.Tabs")
	partnerID, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	entities, _, err := s.Entities(ctx, p)
	if err != nil {
		return nil, err
	}
	ts := &TabSet{}
	if ts.Bills, err = billsByEntity(ctx, s.DB, partnerID, entities); err != nil {
		return nil, err
	}
	if len(entities) < 2 {
		ts.Tabs = entities
		return ts, nil
	}
	var invoiced []string
	if err := s.DB.WithContext(ctx).Raw(`SELECT DISTINCT signing_entity FROM invoices WHERE partner_id = ? AND state <> 'returned' AND amount > 0`,
		partnerID).Scan(&invoiced).Error; err != nil {
		return nil, err
	}
	for _, e := range entities {
		positive := slices.Contains(invoiced, e)
		for _, b := range ts.Bills[e] {
			positive = positive || (b.Free() && b.Invoiceable.IsPositive())
		}
		if positive {
			ts.Tabs = append(ts.Tabs, e)
		} else {
			ts.Merged = append(ts.Merged, e)
		}
	}
	if len(ts.Tabs) == 0 { // nothing anywhere: the newest entity's tab
		ts.Tabs, ts.Merged = entities[len(entities)-1:], entities[:len(entities)-1]
	}
	return ts, nil
}

func changedAt(ctx context.Context, g *gorm.DB, partnerID int64) (*time.Time, error) {
	return partner.Store{DB: g}.SigningEntityChangedAt(ctx, partnerID)
}

// Bills lists the tenant's bills of one entity, newest period first.
func (s Service) Bills(ctx context.Context, p *access.Principal, entity string) (_ []Bill, err error) {
	defer apperr.Wrap(&err, "invoice.Bills")
	partnerID, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	return bills(ctx, s.DB, partnerID, entity)
}

// sourcePartners is the partner and its cloud resellers (§12.2.4): the
// partners whose resale lines its bills hold.
func sourcePartners(ctx context.Context, g *gorm.DB, partnerID int64) ([]int64, error) {
	resellers, err := partner.Store{DB: g}.ResellerIDs(ctx, partnerID)
	if err != nil {
		return nil, err
	}
	return append([]int64{partnerID}, resellers...), nil
}

func bills(ctx context.Context, g *gorm.DB, partnerID int64, entity string) ([]Bill, error) {
	by, err := billsByEntity(ctx, g, partnerID, []string{entity})
	return by[entity], err
}

// billsByEntity are the partner's bills of the entities, by entity, in
// three queries whatever their number.
func billsByEntity(ctx context.Context, g *gorm.DB, partnerID int64, entities []string) (map[string][]Bill, error) {
	sources, err := sourcePartners(ctx, g, partnerID)
	if err != nil {
		return nil, err
	}
	rows, err := consumption.ResaleByPeriod(ctx, g, sources, entities...)
	if err != nil {
		return nil, err
	}
	var claims []struct {
		SigningEntity string
		BillingPeriod time.Time
		Amount        decimal.Decimal
		InvoiceID     int64
		No            string
		State         string
	}
	if err := g.WithContext(ctx).Raw(`SELECT b.signing_entity, b.billing_period, b.amount, i.id AS invoice_id, i.no, i.state
		FROM invoice_bills b JOIN invoices i ON i.id = b.invoice_id
		WHERE b.partner_id = ? AND b.signing_entity IN ? AND b.active`, partnerID, entities).Scan(&claims).Error; err != nil {
		return nil, err
	}
	out := map[string][]Bill{}
	for _, r := range rows {
		out[r.Entity] = append(out[r.Entity], Bill{Period: r.BillingPeriod, Entity: r.Entity, Consumption: r.Consumption, Refunds: r.Refunds,
			Adjustments: r.Adjustments, Invoiceable: r.Cash, HasRefund: r.HasRefund})
	}
	for _, c := range claims {
		found := false
		for _, b := range out[c.SigningEntity] {
			found = found || b.Period.Equal(c.BillingPeriod)
		}
		if !found { // an invoiced bill with no lines left in view still shows
			out[c.SigningEntity] = append(out[c.SigningEntity], Bill{Period: c.BillingPeriod, Entity: c.SigningEntity, Invoiceable: c.Amount})
		}
	}
	for _, c := range claims {
		bs := out[c.SigningEntity]
		for i := range bs {
			if bs[i].Period.Equal(c.BillingPeriod) {
				id := c.InvoiceID
				bs[i].InvoiceID, bs[i].InvoiceNo, bs[i].InvoiceState = &id, c.No, c.State
			}
		}
	}
	for e := range out {
		sortBillsDesc(out[e])
	}
	return out, nil
}

func sortBillsDesc(bs []Bill) {
	for i := 1; i < len(bs); i++ {
		for j := i; j > 0 && bs[j].Period.After(bs[j-1].Period); j-- {
			bs[j], bs[j-1] = bs[j-1], bs[j]
		}
	}
}

// Summary is the head of an entity's tab.
type Summary struct {
	Entity      string
	Invoiceable decimal.Decimal // Σ of free bills (what can still be applied for)
	Invoiced    decimal.Decimal // Σ of live invoices
	Owed        decimal.Decimal // 欠票 (R51–R53), partner-wide
}

// Summarize adds up an entity's bills and computes the owed amount from
// the partner's events with the signing-entity rules (Compute).
func (s Service) Summarize(ctx context.Context, p *access.Principal, entity string, bs []Bill) (_ Summary, err error) {
	defer apperr.Wrap(&err, "invoice.Summarize")
	sum := Summary{Entity: entity}
	partnerID, err := p.Tenant()
	if err != nil {
		return sum, err
	}
	for _, b := range bs {
		if b.Free() {
			sum.Invoiceable = sum.Invoiceable.Add(b.Invoiceable)
		}
	}
	// Net refunds beyond what is left to invoice are not a negative
	// invoiceable amount: nothing can be applied for, and the refunded
	// part already invoiced shows as 欠票 (Owed).
	if sum.Invoiceable.IsNegative() {
		sum.Invoiceable = decimal.Zero
	}
	if err := s.DB.WithContext(ctx).Raw(`SELECT coalesce(sum(amount), 0) FROM invoices
		WHERE partner_id = ? AND signing_entity = ? AND state <> 'returned'`, partnerID, entity).Scan(&sum.Invoiced).Error; err != nil {
		return sum, err
	}
	pos, err := position(ctx, s.DB, partnerID)
	if err != nil {
		return sum, err
	}
	sum.Owed = pos.Owed
	return sum, nil
}

// Position runs Compute over the member's tenant's recorded events: resale
// cash consumption and refunds (with the entity each line is billed by)
// and its live invoices.
func (s Service) Position(ctx context.Context, p *access.Principal) (_ Position, err error) {
	defer apperr.Wrap(&err, "invoice.Position")
	partnerID, err := p.Tenant()
	if err != nil {
		return Position{}, err
	}
	return position(ctx, s.DB, partnerID)
}

func position(ctx context.Context, g *gorm.DB, partnerID int64) (Position, error) {
	changed, err := changedAt(ctx, g, partnerID)
	if err != nil {
		return Position{}, err
	}
	sources, err := sourcePartners(ctx, g, partnerID)
	if err != nil {
		return Position{}, err
	}
	// Lines come summed per minute, entity and direction (a period of a
	// million lines becomes a few thousand events), each sum placed at the
	// start of its minute.
	lines, err := consumption.ResaleByMinute(ctx, g, sources)
	if err != nil {
		return Position{}, err
	}
	var invs []struct {
		AppliedAt     time.Time
		Amount        decimal.Decimal
		SigningEntity string
	}
	if err := g.WithContext(ctx).Raw(`SELECT applied_at, amount, signing_entity FROM invoices
		WHERE partner_id = ? AND state <> 'returned'`, partnerID).Scan(&invs).Error; err != nil {
		return Position{}, err
	}
	owed, err := ledger.RechargesFrom(ctx, g, partnerID, funds.SourceIncentiveOwed)
	if err != nil {
		return Position{}, err
	}
	evs := make([]Event, 0, len(lines)+len(invs)+len(owed))
	for _, o := range owed {
		evs = append(evs, Event{Kind: EventOwedCredit, At: o.At, Amount: o.Amount})
	}
	for _, l := range lines {
		if l.Cash.IsPositive() {
			evs = append(evs, Event{Kind: EventConsume, At: l.At, Amount: l.Cash, Entity: l.Entity})
		} else {
			evs = append(evs, Event{Kind: EventRefund, At: l.At, Amount: l.Cash.Neg(), Entity: l.Entity})
		}
	}
	for _, i := range invs {
		evs = append(evs, Event{Kind: EventInvoice, At: i.AppliedAt, Amount: i.Amount, Entity: i.SigningEntity})
	}
	return Compute(changed, evs), nil
}

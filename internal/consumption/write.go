package consumption

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"hash/maphash"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"partnercenter/internal/customer"
	"partnercenter/internal/partner"
)

// How the import writes each line once (issue 10). The validated lines
// are read in chunks of chunkLines; for each chunk one query loads the
// customers the chunk names that are not cached yet (with their
// associations and partners) and one query finds the source ids already
// imported. Each line is then resolved in Go and sent to one of two
// sinks:
//
//   - direct: straight into consumption_records (COPY inside the import's
//     transaction) — every line whose stored values are known now;
//   - staged: into consumption_import_stage, resolved — a resale debit
//     (its cash is drawn from the balance in time order over the whole
//     file, so it waits for the file's end) and a line whose source id
//     hashes like one already seen in this file (a possible duplicate,
//     decided exactly in SQL).
//
// Resolution refusals (no customer, no partner at the transaction time,
// imported before) are rejects with the line's values.

// chunkLines is how many validated lines are resolved together.
const chunkLines = 5000

// maxCachedCustomers bounds the resolver's cache (it starts again empty).
const maxCachedCustomers = 200_000

// resolver finds customers by lower-cased account name and the signing
// entity change of their partners, loading in batches what it has not
// seen (a nil customer: no such account). Customers and associations are
// the customer package's, partners the partner package's.
type resolver struct {
	customers customer.Service
	partners  partner.Store
	known     map[string]*customer.Associated
	changes   map[int64]*time.Time // partner → its change instant (nil: none)
}

func newResolver(g *gorm.DB) resolver {
	return resolver{customers: customer.Service{DB: g}, partners: partner.Store{DB: g}, changes: map[int64]*time.Time{}}
}

func (r *resolver) load(ctx context.Context, accounts []string) error {
	if r.known == nil || len(r.known) > maxCachedCustomers {
		r.known = map[string]*customer.Associated{}
	}
	var missing []string
	for _, a := range accounts {
		if _, ok := r.known[a]; !ok {
			r.known[a] = nil
			missing = append(missing, a)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	found, err := r.customers.ByAccounts(ctx, missing)
	if err != nil {
		return err
	}
	var partners []int64
	for account, c := range found {
		r.known[account] = c
		for _, s := range c.Spans {
			if _, ok := r.changes[s.PartnerID]; !ok {
				r.changes[s.PartnerID] = nil
				partners = append(partners, s.PartnerID)
			}
		}
	}
	changes, err := r.partners.SigningEntityChanges(ctx, partners)
	for id, at := range changes {
		r.changes[id] = &at
	}
	return err
}

// entity is the signing entity of partner's lines at t (§12.1.9.4).
func (r *resolver) entity(partnerID int64, t time.Time) string {
	if at := r.changes[partnerID]; at != nil && !t.Before(*at) {
		return "cloud"
	}
	return "software"
}

// imported returns which of refs are already in consumption_records.
func imported(ctx context.Context, q *gorm.DB, refs []string) (map[string]bool, error) {
	var found []string
	if err := q.WithContext(ctx).Raw(`SELECT source_ref FROM consumption_records WHERE source_ref IN ?`, refs).
		Scan(&found).Error; err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(found))
	for _, f := range found {
		out[f] = true
	}
	return out, nil
}

// pair is a partner's customer (a funded account's owners).
type pair struct{ PartnerID, CustomerID int64 }

// placer resolves chunks of validated lines and sends each to its sink.
type placer struct {
	importID int64
	now      time.Time
	res      resolver
	lookup   *gorm.DB // where existing source ids are looked up
	seed     maphash.Seed
	seen     map[uint64]struct{}
	direct   sink
	staged   sink

	// What went straight in: lines, 抹零, and per resale customer the cash
	// its refunds return to its balance.
	accepted int
	rounding decimal.Decimal
	credits  map[pair]decimal.Decimal
	// Resale customers with staged lines (their accounts are locked and
	// their balances read when the stage is stored).
	resale map[pair]bool
}

func newPlacer(importID int64, now time.Time, lookup *gorm.DB, direct, staged sink) *placer {
	return &placer{importID: importID, now: now, res: newResolver(lookup), lookup: lookup, seed: maphash.MakeSeed(),
		seen: map[uint64]struct{}{}, direct: direct, staged: staged, credits: map[pair]decimal.Decimal{}, resale: map[pair]bool{}}
}

// drain places every line st yields, then closes both sinks whatever
// happened (a COPY ends with what it has; the transaction decides).
func (pl *placer) drain(ctx context.Context, st *stager) error {
	err := pl.run(ctx, st)
	errDirect := pl.direct.close()
	errStaged := pl.staged.close()
	return cmp.Or(err, errDirect, errStaged)
}

// run places every line st yields.
func (pl *placer) run(ctx context.Context, st *stager) error {
	chunk := make([]*Line, 0, chunkLines)
	for {
		chunk = chunk[:0]
		for len(chunk) < chunkLines && st.Next() {
			chunk = append(chunk, st.cur)
		}
		if len(chunk) == 0 {
			return st.err
		}
		if err := pl.place(ctx, st, chunk); err != nil {
			return err
		}
	}
}

func (pl *placer) place(ctx context.Context, st *stager, chunk []*Line) error {
	accounts := make([]string, len(chunk))
	refs := make([]string, len(chunk))
	for i, l := range chunk {
		accounts[i], refs[i] = l.CustomerAccount, l.SourceRef
	}
	if err := pl.res.load(ctx, accounts); err != nil {
		return err
	}
	before, err := imported(ctx, pl.lookup, refs)
	if err != nil {
		return err
	}
	for _, l := range chunk {
		k := pl.res.known[l.CustomerAccount]
		var a *customer.Span
		if k != nil {
			a = k.At(l.TransactionAt)
		}
		switch {
		case k == nil:
			st.refuse(l, Reject{l.LineNo, "customer_account", ErrNoCustomer, l.CustomerAccount})
			continue
		case a == nil:
			st.refuse(l, Reject{l.LineNo, "customer_account", ErrNoPartner, l.CustomerAccount})
			continue
		case before[l.SourceRef]:
			st.refuse(l, Reject{l.LineNo, "source_ref", ErrDuplicate, l.SourceRef})
			continue
		}
		entity := pl.res.entity(a.PartnerID, l.TransactionAt)
		h := maphash.String(pl.seed, l.SourceRef)
		_, maybeRepeat := pl.seen[h]
		pl.seen[h] = struct{}{}
		resale := a.Mode == "resale"
		if (resale && l.Cash.IsPositive()) || maybeRepeat {
			if resale {
				pl.resale[pair{a.PartnerID, k.ID}] = true
			}
			if err := pl.staged.add(stageRow(l, k.ID, a, entity, maybeRepeat)); err != nil {
				return err
			}
			continue
		}
		if err := pl.direct.add(recordRow(l, k.ID, a, entity, pl.importID, pl.now)); err != nil {
			return err
		}
		pl.accepted++
		pl.rounding = pl.rounding.Add(l.RoundingOff)
		if resale && l.Cash.IsNegative() {
			p := pair{a.PartnerID, k.ID}
			pl.credits[p] = pl.credits[p].Sub(l.Cash)
		}
	}
	return nil
}

// refuse records a line refused on resolution with its values.
func (st *stager) refuse(l *Line, r Reject) {
	st.rejected++
	if len(st.rejects) < maxStoredRejects {
		st.rejects = append(st.rejects, r)
		if st.raw == nil {
			st.raw = map[int][]string{}
		}
		st.raw[l.LineNo] = l.cells()
	}
}

// cells are a resolved line's values in the order of Columns, in the
// file's formats, so a refused line imports again once fixed (unit price,
// usage and seconds are not kept: the list price they gave stands in).
func (l *Line) cells() []string {
	return []string{l.SourceRef, l.CustomerAccount, l.BillType, l.BillingPeriod.Format("2006-01"),
		l.TransactionAt.In(chinaTime).Format("2006-01-02 15:04:05"), l.OrderNo, l.ProductType, l.ProductName,
		l.ResourceType, l.ResourceID, l.Region, l.BillingMode, l.ListPrice.String(), l.DiscountAmount.String(), "", "", "",
		l.VoucherPaid.String(), l.CardPaid.String(), l.CouponPaid.String(), yesNo(l.CuratedMall)}
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// recordColumns are the consumption_records columns the import writes.
var recordColumns = []string{"partner_id", "customer_id", "mode", "bill_type", "billing_period", "transaction_at",
	"signing_entity", "order_no", "product_type", "product_name", "resource_type", "resource_id", "region", "billing_mode",
	"list_price", "discount_amount", "amount_payable", "charged_amount", "rounding_off",
	"cash_paid", "voucher_paid", "card_paid", "arrears", "import_id", "source_ref", "created_at", "coupon_paid", "curated_mall"}

// recordRow is a line that needs no draw-down: its cash is paid as it is
// (a consulting customer's, or a resale refund returned to the balance).
func recordRow(l *Line, customerID int64, a *customer.Span, entity string, importID int64, now time.Time) []any {
	return []any{a.PartnerID, customerID, a.Mode, l.BillType, l.BillingPeriod, l.TransactionAt,
		entity, l.OrderNo, l.ProductType, l.ProductName, l.ResourceType, l.ResourceID, l.Region, l.BillingMode,
		num(l.ListPrice), num(l.DiscountAmount), num(l.Payable()), num(l.Charged), num(l.RoundingOff),
		num(l.Cash), num(l.VoucherPaid), num(l.CardPaid), num(decimal.Zero), importID, l.SourceRef, now, num(l.CouponPaid), l.CuratedMall}
}

// stageColumns are consumption_import_stage's columns.
var stageColumns = []string{"line_no", "source_ref", "customer_account", "customer_id", "partner_id", "mode",
	"signing_entity", "bill_type", "billing_period", "transaction_at", "order_no", "product_type", "product_name",
	"resource_type", "resource_id", "region", "billing_mode", "list_price", "discount_amount", "charged",
	"voucher_paid", "card_paid", "repeat", "coupon_paid", "curated_mall"}

func stageRow(l *Line, customerID int64, a *customer.Span, entity string, repeat bool) []any {
	return []any{l.LineNo, l.SourceRef, l.CustomerAccount, customerID, a.PartnerID, a.Mode,
		entity, l.BillType, l.BillingPeriod, l.TransactionAt, l.OrderNo, l.ProductType, l.ProductName,
		l.ResourceType, l.ResourceID, l.Region, l.BillingMode, num(l.ListPrice), num(l.DiscountAmount), num(l.Charged),
		num(l.VoucherPaid), num(l.CardPaid), repeat, num(l.CouponPaid), l.CuratedMall}
}

// num is a decimal as pgx encodes numeric (COPY is binary).
func num(d decimal.Decimal) pgtype.Numeric {
	return pgtype.Numeric{Int: d.Coefficient(), Exp: d.Exponent(), Valid: true}
}

// sink takes rows for one table.
type sink interface {
	add(row []any) error
	// close flushes what is left and reports the first failure.
	close() error
}

// copySink streams rows into a table with COPY on its own goroutine, on
// the connection under conn (which nobody else uses meanwhile).
type copySink struct {
	batches chan [][]any
	batch   [][]any
	failed  chan struct{}
	done    chan struct{}
	once    sync.Once
	err     error
}

const copyBatch = 1000

func startCopy(ctx context.Context, conn *sql.Conn, table string, columns []string) *copySink {
	s := &copySink{batches: make(chan [][]any, 8), failed: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		err := conn.Raw(func(dc any) error {
			c, ok := dc.(*stdlib.Conn)
			if !ok {
				return fmt.Errorf("consumption: driver connection %T is not pgx", dc)
			}
			_, err := c.Conn().CopyFrom(ctx, pgx.Identifier{table}, columns, &batchSource{batches: s.batches})
			return err
		})
		if err != nil {
			s.err = err
			close(s.failed)
		}
	}()
	return s
}

func (s *copySink) add(row []any) error {
	s.batch = append(s.batch, row)
	if len(s.batch) < copyBatch {
		return nil
	}
	return s.send()
}

func (s *copySink) send() error {
	select {
	case s.batches <- s.batch:
		s.batch = make([][]any, 0, copyBatch)
		return nil
	case <-s.failed:
		return s.err
	}
}

func (s *copySink) close() error {
	var err error
	if len(s.batch) > 0 {
		err = s.send()
	}
	s.once.Do(func() { close(s.batches) })
	<-s.done
	if s.err != nil {
		return s.err
	}
	return err
}

// batchSource is pgx's CopyFromSource over batches of rows.
type batchSource struct {
	batches <-chan [][]any
	cur     [][]any
	i       int
}

func (b *batchSource) Next() bool {
	for b.i+1 >= len(b.cur) {
		next, ok := <-b.batches
		if !ok {
			return false
		}
		b.cur, b.i = next, -1
	}
	b.i++
	return true
}

func (b *batchSource) Values() ([]any, error) { return b.cur[b.i], nil }
func (b *batchSource) Err() error             { return nil }

// insertSink writes rows with multi-row INSERTs in tx (the demo's import
// inside its seeding transaction).
type insertSink struct {
	tx      *gorm.DB
	table   string
	columns []string
	batch   [][]any
}

func (s *insertSink) add(row []any) error {
	if s.batch = append(s.batch, row); len(s.batch) == 500 {
		return s.flush()
	}
	return nil
}

func (s *insertSink) flush() error {
	if len(s.batch) == 0 {
		return nil
	}
	marks := make([]string, len(s.batch))
	args := make([]any, 0, len(s.batch)*len(s.columns))
	for i, r := range s.batch {
		marks[i] = "(" + strings.TrimSuffix(strings.Repeat("?,", len(s.columns)), ",") + ")"
		args = append(args, r...)
	}
	s.batch = s.batch[:0]
	return s.tx.Exec("INSERT INTO "+s.table+" ("+strings.Join(s.columns, ", ")+") VALUES "+strings.Join(marks, ", "), args...).Error
}

func (s *insertSink) close() error { return s.flush() }

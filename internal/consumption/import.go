package consumption

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/ledger"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
)

// Import is a consumption_imports row.
type Import struct {
	ID           int64
	FileName     string
	Status       string // running | done | failed
	RowsTotal    int
	RowsAccepted int
	RowsRejected int
	RoundingOff  decimal.Decimal
	Failure      string
	CreatedBy    *int64
	CreatedAt    time.Time
	FinishedAt   *time.Time
	// The uploaded file while the import waits for its job (blob id),
	// its size, and how far the job got (0–100).
	FileID   *int64
	FileSize int64
	Progress int
	// Phases are the wall times of the import's steps (not stored): read,
	// validate and COPY; resolve; store; ledger.
	Phases []Phase `gorm:"-"`
}

// Phase is one timed step of an import.
type Phase struct {
	Name     string
	Duration time.Duration
}

func (imp *Import) timed(name string, since time.Time) {
	imp.Phases = append(imp.Phases, Phase{name, time.Since(since)})
}

// TableName maps Import to consumption_imports.
func (Import) TableName() string { return "consumption_imports" }

// progressEvery is how many lines pass between progress reports.
const progressEvery = 10000

// maxStoredRejects bounds the rejects kept per import (all are counted).
const maxStoredRejects = 10000

// importLockKey serializes imports (they share the staging table).
const importLockKey = 7_240_001

// Importer loads consumption files (vendor finance).
type Importer struct {
	DB    *gorm.DB
	Clock clock.Clock
}

func (s Importer) now() time.Time {
	if s.Clock == nil {
		return time.Now().UTC()
	}
	return s.Clock.Now().UTC()
}

// Run imports one file: name decides the format (.csv or .xlsx). A file
// without the required header columns is refused whole (apperr Invalid,
// nothing recorded). Otherwise an import row records the outcome: every
// valid line stored, every invalid one listed in the rejects.
func (s Importer) Run(ctx context.Context, actor *access.Principal, name string, r io.Reader) (_ *Import, err error) {
	defer apperr.Wrap(&err, "consumption.Run")
	src, pos, err := open(name, r)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	imp := s.newImport(actor, name)
	if err := s.DB.WithContext(ctx).Create(&imp).Error; err != nil {
		return nil, err
	}
	return &imp, s.process(ctx, &imp, src, pos, nil)
}

// process runs an import whose row exists: in one transaction it streams
// src through validation and resolution, COPYing each line straight into
// consumption_records or, when it has to wait for the file's end, into
// the stage (write.go), then stores the staged lines and completes the
// import. progress, when set, is called as reading goes on (every
// progressEvery lines). On failure the row is marked failed with the
// reason and nothing of the file stays.
func (s Importer) process(ctx context.Context, imp *Import, src rows, pos map[string]int, progress func()) error {
	fail := func(cause error) error {
		if ctx.Err() != nil {
			return cause // cut short (a stop past its grace): rolled back, and the next attempt runs it again
		}
		msg := truncate(cause.Error(), 500)
		_ = s.DB.WithContext(context.WithoutCancel(ctx)).Model(&Import{}).Where("id = ? AND status IN ?", imp.ID, []string{"queued", "running"}).
			Updates(map[string]any{"status": "failed", "failure": msg, "progress": 100, "finished_at": s.now()}).Error
		imp.Status, imp.Failure = "failed", msg
		return cause
	}
	st := &stager{src: src, pos: pos, line: 1, progress: progress}
	err := s.DB.WithContext(ctx).Connection(func(c *gorm.DB) error {
		conn, ok := c.Statement.ConnPool.(*sql.Conn)
		if !ok {
			return fmt.Errorf("consumption: connection %T is not *sql.Conn", c.Statement.ConnPool)
		}
		if err := c.Exec(`SELECT pg_advisory_lock(?)`, importLockKey).Error; err != nil {
			return err
		}
		defer c.WithContext(context.WithoutCancel(ctx)).Exec(`SELECT pg_advisory_unlock(?)`, importLockKey)
		// The stage is written on a connection of its own, beside the
		// transaction (it is scratch space, emptied before and after).
		sqlDB, err := s.DB.DB()
		if err != nil {
			return err
		}
		stageConn, err := sqlDB.Conn(ctx)
		if err != nil {
			return err
		}
		defer stageConn.Close()
		if _, err := stageConn.ExecContext(ctx, `TRUNCATE consumption_import_stage`); err != nil {
			return err
		}
		defer stageConn.ExecContext(context.WithoutCancel(ctx), `TRUNCATE consumption_import_stage`)
		// No retry: the file is read once.
		return c.Transaction(func(tx *gorm.DB) error {
			t0 := time.Now()
			pl := newPlacer(imp.ID, s.now(), s.DB,
				startCopy(ctx, conn, "consumption_records", recordColumns),
				startCopy(ctx, stageConn, "consumption_import_stage", stageColumns))
			if err := pl.drain(ctx, st); err != nil {
				return err
			}
			imp.RowsTotal = st.total
			imp.timed("read, resolve and COPY", t0)
			return s.finish(ctx, tx, imp, st, pl)
		})
	})
	if err != nil {
		var ae *apperr.Error
		if errors.As(err, &ae) {
			// A file that breaks mid-way (bad CSV quoting, corrupt xlsx).
			return fail(fmt.Errorf("line %d: %s", st.line, ae.Key))
		}
		return fail(err)
	}
	return nil
}

// open reads the header line and checks the required columns.
func open(name string, r io.Reader) (rows, map[string]int, error) {
	src, err := openRows(name, r)
	if err != nil {
		return nil, nil, err
	}
	head, err := src.Next()
	if err != nil {
		_ = src.Close()
		if errors.Is(err, io.EOF) {
			return nil, nil, apperr.Invalid(ErrEmpty)
		}
		return nil, nil, apperr.Invalid(ErrFileType)
	}
	pos, missing := header(head)
	if len(missing) > 0 {
		_ = src.Close()
		names := make([]string, len(missing))
		for i, m := range missing {
			names[i] = m.Value
		}
		return nil, nil, apperr.Invalid(ErrHeaderMissing, map[string]any{"Columns": strings.Join(names, "、")})
	}
	return src, pos, nil
}

func (s Importer) newImport(actor *access.Principal, name string) Import {
	imp := Import{FileName: truncate(name, 255), Status: "running", CreatedAt: s.now()}
	if actor != nil && actor.UserID != 0 {
		imp.CreatedBy = &actor.UserID
	}
	return imp
}

// RunTx imports a small file entirely inside the caller's transaction
// (INSERTs instead of COPY, lookups in tx): the demo seeder uses it, so
// its consumption goes through the same rules as a vendor's upload. An
// invalid file is refused like Run; any other error fails tx.
func (s Importer) RunTx(ctx context.Context, tx *gorm.DB, actor *access.Principal, name string, r io.Reader) (_ *Import, err error) {
	defer apperr.Wrap(&err, "consumption.RunTx")
	src, pos, err := open(name, r)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	imp := s.newImport(actor, name)
	g := tx.WithContext(ctx)
	if err := g.Create(&imp).Error; err != nil {
		return nil, err
	}
	if err := g.Exec(`SELECT pg_advisory_xact_lock(?)`, importLockKey).Error; err != nil {
		return nil, err
	}
	if err := g.Exec(`DELETE FROM consumption_import_stage`).Error; err != nil {
		return nil, err
	}
	st := &stager{src: src, pos: pos, line: 1}
	pl := newPlacer(imp.ID, s.now(), g,
		&insertSink{tx: g, table: "consumption_records", columns: recordColumns},
		&insertSink{tx: g, table: "consumption_import_stage", columns: stageColumns})
	if err := pl.drain(ctx, st); err != nil {
		var ae *apperr.Error
		if errors.As(err, &ae) {
			return nil, apperr.Invalid(ErrFileType)
		}
		return nil, err
	}
	imp.RowsTotal = st.total
	if err := s.finish(ctx, tx, &imp, st, pl); err != nil {
		return nil, err
	}
	return &imp, g.Exec(`DELETE FROM consumption_import_stage`).Error
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

// stager reads lines, validates them and yields the good ones; bad ones
// become rejects (and so do lines refused on resolution, stager.refuse).
type stager struct {
	progress func() // called every progressEvery lines (nil: nobody)
	src      rows
	pos      map[string]int
	line     int
	total    int
	rejected int
	rejects  []Reject
	// raw are the cells of the rejected lines kept (by line number, in
	// the order of Columns), for the rejected-lines file.
	raw map[int][]string
	cur *Line
	err error
}

func (st *stager) Next() bool {
	for {
		rec, err := st.src.Next()
		if errors.Is(err, io.EOF) {
			return false
		}
		if err != nil {
			st.err = err
			return false
		}
		st.line++
		if st.progress != nil && st.line%progressEvery == 0 {
			st.progress()
		}
		if blank(rec) {
			continue
		}
		st.total++
		l, rejects := parseLine(st.line, func(key string) string {
			if i, ok := st.pos[key]; ok && i < len(rec) {
				return rec[i]
			}
			return ""
		})
		if l == nil {
			st.rejected++
			if len(st.rejects) < maxStoredRejects {
				st.rejects = append(st.rejects, rejects...)
				st.keepRaw(rec)
			}
			continue
		}
		st.cur = l
		return true
	}
}

// keepRaw keeps the current line's cells in the order of Columns.
func (st *stager) keepRaw(rec []string) {
	cells := make([]string, len(Columns))
	for i, c := range Columns {
		if j, ok := st.pos[c.Key]; ok && j < len(rec) {
			cells[i] = truncate(rec[j], 500)
		}
	}
	if st.raw == nil {
		st.raw = map[int][]string{}
	}
	st.raw[st.line] = cells
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// finish completes an import in tx once every line is placed: it refuses
// the staged lines whose source id came earlier (in this file or before),
// locks the resale customers' funded accounts in id order, stores the
// staged lines — a resale debit covered in time order by what is left of
// the balance, the rest arrears — posts the ledger (per resale customer
// one draw-down and one refund credit), and records the rejects, the
// import row and the audit.
func (s Importer) finish(ctx context.Context, tx *gorm.DB, imp *Import, st *stager, pl *placer) error {
	g := tx.WithContext(ctx)
	t0 := time.Now()
	// The draw-down sorts a short customer's lines: keep it in memory.
	if err := g.Exec(`SET LOCAL work_mem = '128MB'`).Error; err != nil {
		return err
	}
	var repeats []*Line
	if err := g.Raw(`
		WITH refs AS (SELECT DISTINCT source_ref FROM consumption_import_stage WHERE repeat),
		     ranked AS (SELECT s.line_no, s.source_ref, s.repeat,
		                       row_number() OVER (PARTITION BY s.source_ref ORDER BY s.line_no) AS n
		                FROM consumption_import_stage s JOIN refs USING (source_ref))
		DELETE FROM consumption_import_stage s USING ranked d
		WHERE s.line_no = d.line_no AND d.repeat
		  AND (d.n > 1 OR EXISTS (SELECT 1 FROM consumption_records r WHERE r.source_ref = d.source_ref))
		RETURNING s.line_no, s.source_ref, s.customer_account, s.bill_type, s.billing_period, s.transaction_at,
		          s.order_no, s.product_type, s.product_name, s.resource_type, s.resource_id, s.region, s.billing_mode,
		          s.list_price, s.discount_amount, s.voucher_paid, s.card_paid, s.coupon_paid, s.curated_mall`).Scan(&repeats).Error; err != nil {
		return err
	}
	sort.Slice(repeats, func(i, j int) bool { return repeats[i].LineNo < repeats[j].LineNo })
	for _, l := range repeats {
		st.refuse(l, Reject{l.LineNo, "source_ref", ErrDuplicate, l.SourceRef})
	}

	// Refunds return to a funded account, created when missing; then every
	// resale customer's account is locked (the ledger's one lock order)
	// before its balance is read.
	var stagedRefunds []pair
	if err := g.Raw(`SELECT DISTINCT partner_id, customer_id FROM consumption_import_stage
		WHERE mode = 'resale' AND charged - voucher_paid - card_paid - coupon_paid < 0`).Scan(&stagedRefunds).Error; err != nil {
		return err
	}
	funded := map[pair]bool{}
	for p := range pl.credits {
		funded[p] = true
	}
	for _, p := range stagedRefunds {
		funded[p] = true
	}
	partners, customers := pairs(funded)
	if err := ledger.EnsureCustomerFunded(ctx, tx, partners, customers); err != nil {
		return err
	}
	for p := range pl.resale {
		funded[p] = true
	}
	partners, customers = pairs(funded)
	accounts, err := ledger.LockCustomerFunded(ctx, tx, partners, customers)
	if err != nil {
		return err
	}
	imp.timed("lock", t0)
	t0 = time.Now()

	// Store the staged lines. Only customers whose debits exceed their
	// balance need the running sum (the sort); everyone else's is covered.
	var stored []struct {
		PartnerID, CustomerID     int64
		Resale                    bool
		Lines                     int
		Drawn, Credited, Rounding decimal.Decimal
	}
	storeSQL := `
		WITH drawn AS (
			SELECT line_no, partner_id, customer_id, transaction_at, charged - voucher_paid - card_paid - coupon_paid AS cash
			FROM consumption_import_stage WHERE mode = 'resale' AND charged - voucher_paid - card_paid - coupon_paid > 0),
		short AS (
			SELECT d.partner_id, d.customer_id, coalesce(max(la.balance), 0) AS balance
			FROM drawn d
			LEFT JOIN ledger_accounts la ON la.kind = 'customer_funded' AND la.partner_id = d.partner_id
			                            AND la.customer_id = d.customer_id
			GROUP BY d.partner_id, d.customer_id HAVING sum(d.cash) > coalesce(max(la.balance), 0)),
		covered AS (
			SELECT d.line_no, greatest(0, least(d.cash, short.balance - (sum(d.cash) OVER w - d.cash))) AS covered
			FROM drawn d JOIN short USING (partner_id, customer_id)
			WINDOW w AS (PARTITION BY d.partner_id, d.customer_id ORDER BY d.transaction_at, d.line_no)),
		ins AS (
			INSERT INTO consumption_records (` + strings.Join(recordColumns, ", ") + `)
			SELECT r.partner_id, r.customer_id, r.mode, r.bill_type, r.billing_period, r.transaction_at,
				r.signing_entity, r.order_no, r.product_type, r.product_name, r.resource_type, r.resource_id, r.region,
				r.billing_mode, r.list_price, r.discount_amount, r.list_price - r.discount_amount, r.charged,
				r.list_price - r.discount_amount - r.charged,
				CASE WHEN r.drawn THEN coalesce(c.covered, r.cash) ELSE r.cash END, r.voucher_paid, r.card_paid,
				CASE WHEN r.drawn THEN r.cash - coalesce(c.covered, r.cash) ELSE 0 END, ?, r.source_ref, ?, r.coupon_paid, r.curated_mall
			FROM (SELECT s.*, s.charged - s.voucher_paid - s.card_paid - s.coupon_paid AS cash,
			             (s.mode = 'resale' AND s.charged - s.voucher_paid - s.card_paid - s.coupon_paid > 0) AS drawn
			      FROM consumption_import_stage s) r
			LEFT JOIN covered c USING (line_no)
			RETURNING partner_id, customer_id, mode, cash_paid, rounding_off)
		SELECT partner_id, customer_id, mode = 'resale' AS resale, count(*) AS lines,
		       coalesce(sum(cash_paid) FILTER (WHERE cash_paid > 0), 0) AS drawn,
		       coalesce(-sum(cash_paid) FILTER (WHERE cash_paid < 0), 0) AS credited,
		       sum(rounding_off) AS rounding
		FROM ins GROUP BY partner_id, customer_id, mode`
	if err := g.Raw(storeSQL, imp.ID, pl.now).Scan(&stored).Error; err != nil {
		return err
	}
	accepted, rounding := pl.accepted, pl.rounding
	drawn, credited := map[pair]decimal.Decimal{}, pl.credits
	for _, x := range stored {
		accepted += x.Lines
		rounding = rounding.Add(x.Rounding)
		if x.Resale {
			p := pair{x.PartnerID, x.CustomerID}
			drawn[p] = drawn[p].Add(x.Drawn)
			credited[p] = credited[p].Add(x.Credited)
		}
	}
	imp.timed("store staged lines", t0)
	t0 = time.Now()

	// Ledger: per resale customer, one draw-down and one refund credit,
	// in account order.
	revenue, err := ledger.Vendor(ctx, tx, "vendor_revenue")
	if err != nil {
		return err
	}
	var draws, credits []ledger.BulkMove
	for _, a := range accounts {
		p := pair{*a.PartnerID, *a.CustomerID}
		if d := drawn[p]; d.IsPositive() {
			draws = append(draws, ledger.BulkMove{PartnerID: p.PartnerID, CustomerID: p.CustomerID, From: a.ID, To: revenue.ID, Amount: d})
		}
		if c := credited[p]; c.IsPositive() {
			credits = append(credits, ledger.BulkMove{PartnerID: p.PartnerID, CustomerID: p.CustomerID, From: revenue.ID, To: a.ID, Amount: c})
		}
	}
	if err := ledger.PostBulk(ctx, tx, "consumption", pl.now, imp.ID, draws); err != nil {
		return err
	}
	if err := ledger.PostBulk(ctx, tx, "consumption_refund", pl.now, imp.ID, credits); err != nil {
		return err
	}
	imp.timed("ledger draw-down", t0)

	if err := storeRejects(ctx, tx, imp.ID, st.rejects); err != nil {
		return err
	}
	if err := storeRejectLines(ctx, tx, imp.ID, st.raw); err != nil {
		return err
	}
	now := s.now()
	imp.Status, imp.RowsAccepted, imp.RowsRejected, imp.RoundingOff, imp.FinishedAt = "done", accepted, st.rejected, rounding, &now
	if err := g.Model(&Import{}).Where("id = ?", imp.ID).Updates(map[string]any{
		"status": "done", "progress": 100, "rows_total": imp.RowsTotal, "rows_accepted": accepted, "rows_rejected": st.rejected,
		"rounding_off": rounding, "finished_at": now}).Error; err != nil {
		return err
	}
	return audit.Record(ctx, tx, audit.Change{Action: "consumption.import", ObjectType: "consumption_import", ObjectID: imp.ID,
		After: map[string]any{"file": imp.FileName, "total": imp.RowsTotal, "accepted": accepted, "rejected": st.rejected,
			"rounding_off": rounding.String(), "drawn_customers": len(draws), "refunded_customers": len(credits)}})
}

// pairs lists a set of partner's customers in a stable order.
func pairs(set map[pair]bool) (partners, customers []int64) {
	list := make([]pair, 0, len(set))
	for p := range set {
		list = append(list, p)
	}
	sort.Slice(list, func(i, j int) bool {
		return list[i].PartnerID < list[j].PartnerID || list[i].PartnerID == list[j].PartnerID && list[i].CustomerID < list[j].CustomerID
	})
	for _, p := range list {
		partners, customers = append(partners, p.PartnerID), append(customers, p.CustomerID)
	}
	return partners, customers
}

// storeRejectLines keeps the cells of the rejected lines: those refused
// by validation as read, those refused on resolution as resolved
// (Line.cells), in the file's formats so the file imports again once
// fixed. At most
// maxStoredRejects lines are kept, like the rejects.
func storeRejectLines(ctx context.Context, tx *gorm.DB, importID int64, raw map[int][]string) error {
	g := tx.WithContext(ctx)
	type row struct {
		ImportID int64
		LineNo   int
		Cells    string
	}
	out := make([]row, 0, len(raw))
	for line, cells := range raw {
		b, err := json.Marshal(cells)
		if err != nil {
			return err
		}
		out = append(out, row{importID, line, string(b)})
	}
	if len(out) == 0 {
		return nil
	}
	return g.Table("consumption_import_reject_lines").CreateInBatches(out, 1000).Error
}

// storeRejects writes the rejects (one row per line and column; a second
// problem in the same cell keeps the first).
func storeRejects(ctx context.Context, tx *gorm.DB, importID int64, rejects []Reject) error {
	if len(rejects) == 0 {
		return nil
	}
	seen := map[[2]any]bool{}
	type row struct {
		ImportID   int64
		LineNo     int
		ColumnName string
		MessageKey string
		Value      string
	}
	var out []row
	for _, r := range rejects {
		k := [2]any{r.LineNo, r.Column}
		if seen[k] || len(out) >= maxStoredRejects {
			continue
		}
		seen[k] = true
		out = append(out, row{importID, r.LineNo, r.Column, r.Message, truncate(r.Value, 200)})
	}
	return tx.WithContext(ctx).Table("consumption_import_rejects").CreateInBatches(out, 1000).Error
}

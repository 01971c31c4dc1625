package consumption

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/ledger"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
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

// process runs an import whose row exists: it streams src through
// validation into the staging table, then applies it in one transaction.
// progress, when set, is called as reading goes on (every progressEvery
// lines). On failure
// the row is marked failed with the reason and nothing of the file stays.
func (s Importer) process(ctx context.Context, imp *Import, src rows, pos map[string]int, progress func()) error {
	fail := func(cause error) error {
		msg := truncate(cause.Error(), 500)
		_ = s.DB.WithContext(context.WithoutCancel(ctx)).Model(&Import{}).Where("id = ?", imp.ID).
			Updates(map[string]any{"status": "failed", "failure": msg, "progress": 100, "finished_at": s.now()}).Error
		imp.Status, imp.Failure = "failed", msg
		return cause
	}

	sqlDB, err := s.DB.DB()
	if err != nil {
		return fail(err)
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return fail(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, importLockKey); err != nil {
		return fail(err)
	}
	defer func() {
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, importLockKey)
	}()
	if _, err := conn.ExecContext(ctx, `TRUNCATE consumption_import_stage`); err != nil {
		return fail(err)
	}

	st := &stager{src: src, pos: pos, line: 1, progress: progress}
	tCopy := time.Now()
	if err := copyStage(ctx, conn, st); err != nil {
		var ae *apperr.Error
		if errors.As(err, &ae) {
			// A file that breaks mid-way (bad CSV quoting, corrupt xlsx).
			return fail(fmt.Errorf("line %d: %s", st.line, ae.Key))
		}
		return fail(err)
	}
	imp.RowsTotal = st.total
	imp.timed("read, validate and COPY", tCopy)

	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		return s.apply(ctx, tx, imp, st)
	})
	_, _ = conn.ExecContext(context.WithoutCancel(ctx), `TRUNCATE consumption_import_stage`)
	if err != nil {
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
// (staging with INSERTs instead of COPY): the demo seeder uses it, so its
// consumption goes through the same rules as a vendor's upload. An
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
	placeholders := "(" + strings.TrimSuffix(strings.Repeat("?,", len(stageColumns)), ",") + ")"
	insert := func(batch [][]any) error {
		if len(batch) == 0 {
			return nil
		}
		var args []any
		marks := make([]string, len(batch))
		for i, b := range batch {
			args = append(args, b...)
			marks[i] = placeholders
		}
		return g.Exec(`INSERT INTO consumption_import_stage (`+strings.Join(stageColumns, ", ")+`) VALUES `+
			strings.Join(marks, ", "), args...).Error
	}
	var batch [][]any
	for st.Next() {
		v, _ := st.Values()
		if batch = append(batch, v); len(batch) == 500 {
			if err := insert(batch); err != nil {
				return nil, err
			}
			batch = batch[:0]
		}
	}
	if st.err != nil {
		return nil, apperr.Invalid(ErrFileType)
	}
	if err := insert(batch); err != nil {
		return nil, err
	}
	imp.RowsTotal = st.total
	if err := s.apply(ctx, tx, &imp, st); err != nil {
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

// stager feeds COPY: it reads lines, validates them and yields the good
// ones; bad ones become rejects.
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

func (st *stager) Values() ([]any, error) {
	l := st.cur
	return []any{l.LineNo, l.SourceRef, l.CustomerAccount, l.BillType, l.BillingPeriod, l.TransactionAt, l.OrderNo,
		l.ProductType, l.ProductName, l.ResourceType, l.ResourceID, l.Region, l.BillingMode,
		l.ListPrice.String(), l.DiscountAmount.String(), l.VoucherPaid.String(), l.CardPaid.String(), l.Charged.String()}, nil
}

func (st *stager) Err() error { return st.err }

var stageColumns = []string{"line_no", "source_ref", "customer_account", "bill_type", "billing_period", "transaction_at",
	"order_no", "product_type", "product_name", "resource_type", "resource_id", "region", "billing_mode",
	"list_price", "discount_amount", "voucher_paid", "card_paid", "charged_fen"}

// copyStage streams the validated lines into the staging table with COPY
// on the pgx connection under conn.
func copyStage(ctx context.Context, conn *sql.Conn, st *stager) error {
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("consumption: driver connection %T is not pgx", dc)
		}
		_, err := c.Conn().CopyFrom(ctx, pgx.Identifier{"consumption_import_stage"}, stageColumns, st)
		if err == nil {
			err = st.err
		}
		return err
	})
}

// apply moves the staged lines into consumption_records in tx: it
// resolves customers, partners, modes and signing entities, rejects what
// does not resolve or was imported before, draws resale customers'
// balances down (arrears for what they cannot cover), posts the ledger
// and completes the import row.
func (s Importer) apply(ctx context.Context, tx *gorm.DB, imp *Import, st *stager) error {
	rejects, rejected := st.rejects, st.rejected
	g := tx.WithContext(ctx)
	t0 := time.Now()
	// The draw-down sorts the period's lines per customer: keep it in memory.
	if err := g.Exec(`SET LOCAL work_mem = '128MB'`).Error; err != nil {
		return err
	}
	// Resolve. An association covers [associated_at, ended_at). (A second
	// import in the same transaction replaces the first one's table.)
	if err := g.Exec(`DROP TABLE IF EXISTS consumption_resolved`).Error; err != nil {
		return err
	}
	if err := g.Exec(`
		CREATE TEMP TABLE consumption_resolved ON COMMIT DROP AS
		SELECT s.*, c.id AS customer_id, a.partner_id, a.mode,
		       CASE WHEN p.signing_entity_changed_at IS NOT NULL AND s.transaction_at >= p.signing_entity_changed_at
		            THEN 'cloud' ELSE 'software' END AS signing_entity,
		       (s.list_price::numeric - s.discount_amount::numeric) AS payable,
		       -- 抹零: charged is money.ChargeToFen's, staged by the validator.
		       s.charged_fen::numeric AS charged,
		       s.charged_fen::numeric - s.voucher_paid::numeric - s.card_paid::numeric AS cash,
		       (a.mode = 'resale' AND s.charged_fen::numeric - s.voucher_paid::numeric - s.card_paid::numeric > 0) AS drawn,
		       CASE WHEN c.id IS NULL THEN ?
		            WHEN a.partner_id IS NULL THEN ?
		            WHEN EXISTS (SELECT 1 FROM consumption_records r WHERE r.source_ref = s.source_ref) THEN ?
		            WHEN row_number() OVER (PARTITION BY s.source_ref ORDER BY s.line_no) > 1 THEN ?
		       END AS reject
		FROM consumption_import_stage s
		LEFT JOIN customers c ON lower(c.account_name) = s.customer_account
		LEFT JOIN associations a ON a.customer_id = c.id AND a.associated_at <= s.transaction_at
		                        AND (a.ended_at IS NULL OR a.ended_at > s.transaction_at)
		LEFT JOIN partners p ON p.id = a.partner_id`,
		ErrNoCustomer, ErrNoPartner, ErrDuplicate, ErrDuplicate).Error; err != nil {
		return err
	}
	imp.timed("resolve", t0)
	t0 = time.Now()
	var late []Reject
	if err := g.Raw(`SELECT line_no, CASE reject WHEN ? THEN 'customer_account' ELSE CASE WHEN reject = ? THEN 'customer_account' ELSE 'source_ref' END END AS "column",
		reject AS message, CASE WHEN reject = ? THEN source_ref ELSE customer_account END AS value
		FROM consumption_resolved WHERE reject IS NOT NULL ORDER BY line_no`, ErrNoCustomer, ErrNoPartner, ErrDuplicate).
		Scan(&late).Error; err != nil {
		return err
	}
	rejected += len(late)
	rejects = append(rejects, late...)

	// Resale customers that get refunds need a funded account to credit.
	var refundPairs []struct{ PartnerID, CustomerID int64 }
	if err := g.Raw(`SELECT DISTINCT partner_id, customer_id FROM consumption_resolved
		WHERE reject IS NULL AND mode = 'resale' AND cash < 0`).
		Scan(&refundPairs).Error; err != nil {
		return err
	}
	for _, p := range refundPairs {
		if _, err := ledger.CustomerFunded(ctx, tx, p.PartnerID, p.CustomerID); err != nil {
			return err
		}
	}
	// Lock the resale customers' funded accounts in id order (the ledger's
	// one lock order) before reading their balances.
	var resale []struct{ PartnerID, CustomerID int64 }
	if err := g.Raw(`SELECT DISTINCT partner_id, customer_id FROM consumption_resolved WHERE reject IS NULL AND mode = 'resale'`).
		Scan(&resale).Error; err != nil {
		return err
	}
	partners, customers := make([]int64, len(resale)), make([]int64, len(resale))
	for i, r := range resale {
		partners[i], customers[i] = r.PartnerID, r.CustomerID
	}
	if err := ledger.LockCustomerFunded(ctx, tx, partners, customers); err != nil {
		return err
	}
	// Store. A resale debit (cash > 0) is covered in time order by what is
	// left of the balance; the rest is arrears. Credits (cash < 0) return
	// to the balance in full.
	insertSQL := `
		INSERT INTO consumption_records (partner_id, customer_id, mode, bill_type, billing_period, transaction_at,
			signing_entity, order_no, product_type, product_name, resource_type, resource_id, region, billing_mode,
			list_price, discount_amount, amount_payable, charged_amount, rounding_off,
			cash_paid, voucher_paid, card_paid, arrears, import_id, source_ref, created_at)
		SELECT r.partner_id, r.customer_id, r.mode, r.bill_type, r.billing_period, r.transaction_at,
			r.signing_entity, r.order_no, r.product_type, r.product_name, r.resource_type, r.resource_id, r.region, r.billing_mode,
			r.list_price::numeric, r.discount_amount::numeric, r.payable, r.charged, r.payable - r.charged,
			CASE WHEN r.drawn THEN coalesce(w.covered, r.cash) ELSE r.cash END, r.voucher_paid::numeric, r.card_paid::numeric,
			CASE WHEN r.drawn THEN r.cash - coalesce(w.covered, r.cash) ELSE 0 END, ?, r.source_ref, ?
		FROM consumption_resolved r
		LEFT JOIN (
			-- Only customers whose debits exceed their balance need the
			-- running sum (the sort); everyone else's cash is covered.
			SELECT d.line_no, greatest(0, least(d.cash, coalesce(la.balance, 0) - (sum(d.cash) OVER w - d.cash))) AS covered
			FROM consumption_resolved d
			JOIN (SELECT d2.partner_id, d2.customer_id FROM consumption_resolved d2
			      LEFT JOIN ledger_accounts la2 ON la2.kind = 'customer_funded' AND la2.partner_id = d2.partner_id
			                                   AND la2.customer_id = d2.customer_id
			      WHERE d2.reject IS NULL AND d2.drawn
			      GROUP BY d2.partner_id, d2.customer_id HAVING sum(d2.cash) > coalesce(max(la2.balance), 0)) short
			  ON short.partner_id = d.partner_id AND short.customer_id = d.customer_id
			LEFT JOIN ledger_accounts la ON la.kind = 'customer_funded' AND la.partner_id = d.partner_id AND la.customer_id = d.customer_id
			WHERE d.reject IS NULL AND d.drawn
			WINDOW w AS (PARTITION BY d.partner_id, d.customer_id ORDER BY d.transaction_at, d.line_no)
		) w ON w.line_no = r.line_no
		WHERE r.reject IS NULL`
	res := g.Exec(insertSQL, imp.ID, s.now())
	if res.Error != nil {
		return res.Error
	}
	accepted := int(res.RowsAffected)
	imp.timed("store lines", t0)
	t0 = time.Now()

	// Ledger: per resale customer, one draw-down and one refund credit.
	var sums []struct {
		PartnerID, CustomerID, AccountID int64
		Drawn, Credited                  decimal.Decimal
	}
	if err := g.Raw(`SELECT r.partner_id, r.customer_id, la.id AS account_id,
			coalesce(sum(r.cash_paid) FILTER (WHERE r.cash_paid > 0), 0) AS drawn,
			coalesce(-sum(r.cash_paid) FILTER (WHERE r.cash_paid < 0), 0) AS credited
		FROM consumption_records r
		JOIN ledger_accounts la ON la.kind = 'customer_funded' AND la.partner_id = r.partner_id AND la.customer_id = r.customer_id
		WHERE r.import_id = ? AND r.mode = 'resale'
		GROUP BY r.partner_id, r.customer_id, la.id ORDER BY la.id`, imp.ID).Scan(&sums).Error; err != nil {
		return err
	}
	revenue, err := ledger.Vendor(ctx, tx, "vendor_revenue")
	if err != nil {
		return err
	}
	var draws, credits []ledger.BulkMove
	for _, x := range sums {
		if x.Drawn.IsPositive() {
			draws = append(draws, ledger.BulkMove{PartnerID: x.PartnerID, CustomerID: x.CustomerID, From: x.AccountID, To: revenue.ID, Amount: x.Drawn})
		}
		if x.Credited.IsPositive() {
			credits = append(credits, ledger.BulkMove{PartnerID: x.PartnerID, CustomerID: x.CustomerID, From: revenue.ID, To: x.AccountID, Amount: x.Credited})
		}
	}
	if err := ledger.PostBulk(ctx, tx, "consumption", s.now(), imp.ID, draws); err != nil {
		return err
	}
	if err := ledger.PostBulk(ctx, tx, "consumption_refund", s.now(), imp.ID, credits); err != nil {
		return err
	}

	imp.timed("ledger draw-down", t0)
	if err := storeRejects(ctx, tx, imp.ID, rejects); err != nil {
		return err
	}
	if err := storeRejectLines(ctx, tx, imp.ID, st.raw); err != nil {
		return err
	}
	var rounding decimal.Decimal
	if err := g.Raw(`SELECT coalesce(sum(rounding_off), 0) FROM consumption_records WHERE import_id = ?`, imp.ID).
		Scan(&rounding).Error; err != nil {
		return err
	}
	now := s.now()
	imp.Status, imp.RowsAccepted, imp.RowsRejected, imp.RoundingOff, imp.FinishedAt = "done", accepted, rejected, rounding, &now
	if err := g.Model(&Import{}).Where("id = ?", imp.ID).Updates(map[string]any{
		"status": "done", "progress": 100, "rows_total": imp.RowsTotal, "rows_accepted": accepted, "rows_rejected": rejected,
		"rounding_off": rounding, "finished_at": now}).Error; err != nil {
		return err
	}
	return audit.Record(ctx, tx, audit.Change{Action: "consumption.import", ObjectType: "consumption_import", ObjectID: imp.ID,
		After: map[string]any{"file": imp.FileName, "total": imp.RowsTotal, "accepted": accepted, "rejected": rejected,
			"rounding_off": rounding.String(), "drawn_customers": len(draws), "refunded_customers": len(credits)}})
}

// storeRejectLines keeps the cells of the rejected lines: those refused
// by validation as read (raw), those refused after staging as staged, in
// the file's formats so the file imports again once fixed. At most
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
	if len(out) > 0 {
		if err := g.Table("consumption_import_reject_lines").CreateInBatches(out, 1000).Error; err != nil {
			return err
		}
	}
	// The staged lines refused on resolution, with the columns of the
	// template (unit price, usage and seconds are not staged: the list
	// price they gave stands in for them).
	return g.Exec(`INSERT INTO consumption_import_reject_lines (import_id, line_no, cells)
		SELECT ?, line_no, to_jsonb(ARRAY[source_ref, customer_account, bill_type, to_char(billing_period, 'YYYY-MM'),
			to_char(transaction_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS'), order_no, product_type,
			product_name, resource_type, resource_id, region, billing_mode, list_price, discount_amount, '', '', '',
			voucher_paid, card_paid])
		FROM consumption_resolved WHERE reject IS NOT NULL ORDER BY line_no LIMIT ?`,
		importID, max(0, maxStoredRejects-len(out))).Error
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

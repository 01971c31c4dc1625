package consumption

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"partnercenter/internal/access"
	"partnercenter/internal/ledger"
	"partnercenter/internal/platform/benchdoc"
	"partnercenter/internal/platform/dbtest"
)

func benchRows() int {
	if v, err := strconv.Atoi(os.Getenv("BENCH_IMPORT_ROWS")); err == nil && v > 0 {
		return v
	}
	return 1_000_000
}

// BenchmarkImport: one file of 1,000,000 rated lines (CSV, 19 columns)
// for 10,000 customers of 100 partners, half of them resale customers
// (four in five with a funded balance), imported through the vendor's path (stream,
// validate, COPY, resolve, 抹零, draw-down, bulk ledger). Figures go to
// docs/PERFORMANCE.md.
func BenchmarkImport(b *testing.B) {
	g := dbtest.DB(b)
	ctx := context.Background()
	const partners, perPartner = 100, 100
	total := benchRows()
	start := time.Now()
	if err := g.Exec(`INSERT INTO partners (name, credit_code, status)
		SELECT '导入基准伙伴' || p, lpad((800000 + p)::text, 18, '7'), 'active' FROM generate_series(1, ?) p`, partners).Error; err != nil {
		b.Fatal(err)
	}
	if err := g.Exec(`INSERT INTO customers (account_name, name, kind, registered_at)
		SELECT 'bench_imp_' || c, '导入基准客户' || c, 'enterprise', '2024-01-01' FROM generate_series(1, ?) c`, partners*perPartner).Error; err != nil {
		b.Fatal(err)
	}
	if err := g.Exec(`INSERT INTO associations (partner_id, customer_id, mode, status, associated_at)
		SELECT p.id, c.id, CASE WHEN c.id % 2 = 0 THEN 'resale' ELSE 'consulting' END, 'active', '2024-01-01'
		FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM customers WHERE account_name LIKE 'bench_imp_%') c
		JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM partners WHERE name LIKE '导入基准伙伴%') p
		  ON p.n = (c.n - 1) / ?`, perPartner).Error; err != nil {
		b.Fatal(err)
	}
	// Fund four in five resale customers (5,000.00 each) through the ledger.
	var pairs []struct{ PartnerID, CustomerID int64 }
	g.Raw(`SELECT partner_id, customer_id FROM associations a JOIN customers c ON c.id = a.customer_id
		WHERE c.account_name LIKE 'bench_imp_%' AND a.mode = 'resale'`).Scan(&pairs)
	bank, err := ledger.Vendor(ctx, g, "vendor_bank")
	if err != nil {
		b.Fatal(err)
	}
	var moves []ledger.BulkMove
	for _, p := range pairs {
		if p.CustomerID%5 == 0 {
			continue // a fifth of the resale customers are unfunded: their cash becomes arrears
		}
		acct, err := ledger.CustomerFunded(ctx, g, p.PartnerID, p.CustomerID)
		if err != nil {
			b.Fatal(err)
		}
		moves = append(moves, ledger.BulkMove{PartnerID: p.PartnerID, CustomerID: p.CustomerID, From: bank.ID, To: acct.ID, Amount: dec("5000.00")})
	}
	if err := ledger.PostBulk(ctx, g, "transfer", time.Now(), 0, moves); err != nil {
		b.Fatal(err)
	}
	// The file: every customer gets total/10,000 lines in 2026-10; on-demand
	// lines at 8 decimals (so 抹零 is non-zero), some rated from usage, some
	// yearly/monthly with vouchers, 1 in 50 a refund.
	path := filepath.Join(b.TempDir(), "bench.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString(head)
	customers := partners * perPartner
	for i := 0; i < total; i++ {
		c := i%customers + 1
		at := time.Date(2026, 10, 1+i%28, i%24, i%60, 0, 0, time.UTC).Format("2006-01-02 15:04:05")
		switch {
		case i%50 == 49:
			fmt.Fprintf(w, "B%d,bench_imp_%d,退款,2026-10,%s,CS%d,弹性云服务器 ECS,,,,,包年/包月,-1.50000000,,,,,,\n", i, c, at, i)
		case i%5 == 0:
			fmt.Fprintf(w, "B%d,bench_imp_%d,消费,2026-10,%s,,云硬盘 EVS,,evs,vol-%d,cn-north-4,按需,,,0.00064000,10,%d,,\n", i, c, at, c, 3600+i%86400)
		case i%5 == 1:
			fmt.Fprintf(w, "B%d,bench_imp_%d,消费,2026-10,%s,CS%d,弹性云服务器 ECS,s6,ecs,i-%d,cn-north-4,包年/包月,12.00000000,1.20000000,,,,1.00,\n", i, c, at, i, c)
		default:
			fmt.Fprintf(w, "B%d,bench_imp_%d,消费,2026-10,%s,,弹性公网IP EIP,,eip,eip-%d,cn-north-4,按需,0.%08d,,,,,,\n", i, c, at, c, (i*7919)%100000000)
		}
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	st, _ := os.Stat(path)
	setup := time.Since(start)

	// Peak heap while importing, sampled every 50 ms.
	var peak atomic.Uint64
	stop := make(chan struct{})
	go func() {
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}()
	b.ResetTimer()
	in, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	t0 := time.Now()
	imp, err := Importer{DB: g}.Run(ctx, &access.Principal{IsVendor: true}, "bench.csv", in)
	elapsed := time.Since(t0)
	close(stop)
	in.Close()
	if err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	if imp.RowsAccepted != total {
		b.Fatalf("accepted %d of %d (rejected %d)", imp.RowsAccepted, total, imp.RowsRejected)
	}
	rate := float64(total) / elapsed.Seconds()
	b.ReportMetric(rate, "rows/s")

	// Reading it back: one partner's period summary (消费汇总 page query)
	// and the ledger check over the whole database.
	var pid int64
	g.Raw(`SELECT id FROM partners WHERE name = '导入基准伙伴1'`).Scan(&pid)
	p := access.Member(1, pid, true) // the partner's main account (the summary reads its tenant only)
	t1 := time.Now()
	sum, err := Service{DB: g}.Summary(ctx, p, Filter{Period: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		b.Fatal(err)
	}
	summary := time.Since(t1)
	t2 := time.Now()
	findings, err := ledger.Check(ctx, g)
	if err != nil || len(findings) > 0 {
		b.Fatalf("ledger check: %v %v", err, findings)
	}
	check := time.Since(t2)
	var drawn, arrears, rounding string
	g.Raw(`SELECT sum(cash_paid) FILTER (WHERE mode = 'resale')::text, sum(arrears)::text, sum(rounding_off)::text FROM consumption_records WHERE import_id = ?`, imp.ID).
		Row().Scan(&drawn, &arrears, &rounding)

	// The floor, in the same run: a raw COPY of the same lines (the
	// stored rows, all 25 columns, written out by the server) into a copy
	// of the table without constraints or indexes, and into a copy with its
	// CHECKs and indexes (no rollup trigger).
	dump := filepath.Join(os.TempDir(), fmt.Sprintf("pc-bench-copy-%d.csv", time.Now().UnixNano()))
	defer os.Remove(dump)
	if err := g.Exec(fmt.Sprintf(`COPY (SELECT * FROM consumption_records WHERE import_id = %d) TO '%s' (FORMAT csv)`, imp.ID, dump)).Error; err != nil {
		b.Fatal(err)
	}
	rawCopy := func(like string) time.Duration {
		if err := g.Exec(`DROP TABLE IF EXISTS bench_copy; CREATE TABLE bench_copy (LIKE consumption_records ` + like + `)`).Error; err != nil {
			b.Fatal(err)
		}
		t := time.Now()
		if err := g.Exec(fmt.Sprintf(`COPY bench_copy FROM '%s' (FORMAT csv)`, dump)).Error; err != nil {
			b.Fatal(err)
		}
		d := time.Since(t)
		g.Exec(`DROP TABLE bench_copy`)
		return d
	}
	copyBare, copyFull := rawCopy(""), rawCopy("INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES")
	// And with the rollup trigger too (the import keeps the rollups exact),
	// in a transaction rolled back so the rollups stay as they are.
	copyRollup := func() time.Duration {
		tx := g.Begin()
		defer tx.Rollback()
		if err := tx.Exec(`CREATE TABLE bench_copy (LIKE consumption_records INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES);
			CREATE TRIGGER bench_copy_rollup AFTER INSERT ON bench_copy REFERENCING NEW TABLE AS new_lines
			FOR EACH STATEMENT EXECUTE FUNCTION consumption_rollup_add()`).Error; err != nil {
			b.Fatal(err)
		}
		t := time.Now()
		if err := tx.Exec(fmt.Sprintf(`COPY bench_copy FROM '%s' (FORMAT csv)`, dump)).Error; err != nil {
			b.Fatal(err)
		}
		return time.Since(t)
	}()

	var phases strings.Builder
	for _, ph := range imp.Phases {
		fmt.Fprintf(&phases, "| &nbsp;&nbsp;of which %s | %s |\n", ph.Name, ph.Duration.Round(time.Millisecond))
	}
	body := fmt.Sprintf(`Written by `+"`BenchmarkImport`"+` (internal/consumption/bench_test.go), %s, %d cores, PostgreSQL on the same machine.

Vendor finance's import path end to end: one CSV file of **%d lines** (%.1f MB, 19 columns) for %d customers of %d
partners, half of them resale customers, four in five of those with a funded balance. In one transaction the importer
streams the file, validates every line, resolves customer → partner, mode and signing entity at the transaction time in
Go against a cache loaded in batches of 5,000 lines, and COPYs each line straight into consumption_records with its 抹零
(R61) — except a resale customer's debits, which wait in an unlogged stage until the file's end because they draw the
balance down in time order (arrears for what is left). Then it stores those and posts one ledger transaction per
customer and kind in bulk.

| Measure | Result |
|---|---|
| Import, wall time | %s |
%s| **Import rate** | **%.0f lines/s** (aim: ≥ 100,000) |
| Raw `+"`COPY`"+` of the same %d stored lines (25 columns) into a bare copy of the table (no constraints, no indexes) | %s (%.0f lines/s) |
| Raw `+"`COPY`"+` into a copy with its CHECKs and indexes (no rollup trigger) | %s (%.0f lines/s); the import takes **%.2f×** this |
| Raw `+"`COPY`"+` into a copy with its CHECKs, indexes and the rollup trigger (the table as the import writes it) | %s (%.0f lines/s); the import takes **%.2f×** this |
| Peak Go heap in use during the import | %.1f MB (the file is streamed, never held; what grows is the set of source-id hashes that finds repeats within the file, about 40 bytes a line, and the customer cache) |
| Lines accepted / rejected | %d / %d |
| Resale cash drawn / arrears / 抹零 recorded | ¥%s / ¥%s / ¥%s |
| One partner's 消费汇总 for the period (%d customers) | %s |
| `+"`partnercenter check ledger`"+` over every account afterwards | %s, no findings |
| Setup (partners, customers, funding, writing the file) | %s |

Reading (the aim of 100,000 lines/s is **not met** on this machine; the alternative aim, within 1.5× of a raw COPY
into the table as the import writes it, is the line above):
- The Go side is not the limit: validating alone runs at about 140,000 lines/s on one core (`+"`BenchmarkParse`"+`) with a
  flat heap, beside PostgreSQL's COPY on the other core. A raw COPY into the table with its CHECKs, four indexes and the
  rollup trigger is itself below 60,000 lines/s on this machine: that is the floor, and 100,000 lines/s is above it.
- Lines are written once, except a resale customer's debits (half the lines here): they are staged, then stored with
  their draw-down in one INSERT … SELECT (the phase "store staged lines"). Their coverage depends on every earlier line
  of the customer in time, wherever it is in the file, so they cannot be stored before the file's end without holding
  them in memory.
- Storing 1,000,000 lines costs about 16 s in PostgreSQL alone: the unique index on the source line id (idempotent
  re-imports) about 3–5 s, the rollup trigger about 3 s (it is what makes the 伙伴账单 page read a few hundred rows
  instead of a million), heap, primary key, the two period indexes and the CHECKs of the 抹零 rule the rest. Foreign keys
  were removed from this table after they were measured at 3.1 s per 100,000 lines (migrations/00006 explains;
  `+"`check ledger`"+` reports orphans instead).
- Not done: partitioning consumption_records by billing period. Its unique index on the source id must span every
  period, which a partitioned table cannot have, so it would need a table of its own — a second write per line for
  a gain that shows only when a month's partition is much smaller than the whole (At 10×, below).

Run it alone with `+"`go test -run '^$' -bench BenchmarkImport -benchtime 1x ./internal/consumption/`"+`
(`+"`BENCH_IMPORT_ROWS`"+` changes the size).
`, time.Now().UTC().Format("2006-01-02"), runtime.NumCPU(), total, float64(st.Size())/1e6, customers, partners,
		elapsed.Round(time.Millisecond), phases.String(), rate,
		total, copyBare.Round(time.Millisecond), float64(total)/copyBare.Seconds(),
		copyFull.Round(time.Millisecond), float64(total)/copyFull.Seconds(), elapsed.Seconds()/copyFull.Seconds(),
		copyRollup.Round(time.Millisecond), float64(total)/copyRollup.Seconds(), elapsed.Seconds()/copyRollup.Seconds(),
		float64(peak.Load())/1e6, imp.RowsAccepted, imp.RowsRejected,
		drawn, arrears, rounding, len(sum.Rows), summary.Round(time.Millisecond), check.Round(time.Millisecond), setup.Round(time.Second))
	if err := benchdoc.WriteSection("Consumption import", body); err != nil {
		b.Fatal(err)
	}
}

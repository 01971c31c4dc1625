package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"gorm.io/gorm"

	"partnercenter/internal/demo"
	"partnercenter/internal/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// `partnercenter check ledger` passes on the demo world (recharges,
// transfers, recoveries, performance formed, incentive bills published)
// and fails, naming the differences, on each corruption made behind the
// services' back (and the append-only trigger's): a ledger entry off by a
// fen (ledger.Check), an incentive line off by 0.01 (incentive.Check: the
// bill's lines no longer add up to it) and a performance record off by
// 0.01 (performance.Check: it differs from its consumption line, and its
// summary and rollups from it). Each corruption is rolled back, and the
// check passes again.
func TestCheckLedgerPassesWhenConsistentAndFailsOnCorruption(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	if _, err := demo.Seed(ctx, g); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"ledger_entries", "incentive_details", "performance_records"} {
		var n int64
		g.Raw(`SELECT count(*) FROM ` + table).Scan(&n)
		if n == 0 {
			t.Fatalf("the demo world has no %s to check", table)
		}
	}
	var out bytes.Buffer
	if err := checkLedger(ctx, g, &out); err != nil {
		t.Fatalf("consistent ledger: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "0 differences") {
		t.Errorf("output: %s", out.String())
	}

	// The corrupted rows: the first ledger entry, the first line of a
	// published incentive bill, the first performance record.
	var line struct {
		ID     int64
		BillID string
	}
	var record struct{ ID, ConsumptionID int64 }
	if err := g.Raw(`SELECT id, bill_id::text AS bill_id FROM incentive_details ORDER BY id LIMIT 1`).Scan(&line).Error; err != nil {
		t.Fatal(err)
	}
	if err := g.Raw(`SELECT id, consumption_id FROM performance_records ORDER BY id LIMIT 1`).Scan(&record).Error; err != nil {
		t.Fatal(err)
	}
	sentinel := errors.New("rollback")
	for _, c := range []struct {
		name    string
		corrupt []string
		want    []string
	}{
		{"ledger entry", []string{`ALTER TABLE ledger_entries DISABLE TRIGGER ledger_entries_append_only`,
			`UPDATE ledger_entries SET amount = amount + 0.01 WHERE id = (SELECT min(id) FROM ledger_entries)`},
			[]string{"entries sum to 0.01, not 0", "cached balance", "; 3 differences"}},
		{"incentive line", []string{fmt.Sprintf(`UPDATE incentive_details SET amount = amount + 0.01 WHERE id = %d`, line.ID)},
			[]string{fmt.Sprintf("DIFFERENCE: incentive bill %s: amount ", line.BillID), "lines add up to", "; 1 differences"}},
		{"performance record", []string{fmt.Sprintf(`UPDATE performance_records SET amount = amount + 0.01 WHERE id = %d`, record.ID)},
			[]string{fmt.Sprintf("DIFFERENCE: performance record %d (consumption line %d): amount differs from its source", record.ID,
				record.ConsumptionID), "DIFFERENCE: performance summary ", "DIFFERENCE: performance rollup ", "; 3 differences"}},
	} {
		err := g.Transaction(func(tx *gorm.DB) error {
			for _, q := range c.corrupt {
				if err := tx.Exec(q).Error; err != nil {
					return err
				}
			}
			out.Reset()
			if err := checkLedger(ctx, tx, &out); err == nil {
				t.Errorf("%s: the corruption passed the check:\n%s", c.name, out.String())
			}
			for _, w := range c.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("%s: finding %q not printed:\n%s", c.name, w, out.String())
				}
			}
			return sentinel
		})
		if !errors.Is(err, sentinel) {
			t.Fatalf("%s: %v", c.name, err)
		}
		out.Reset()
		if err := checkLedger(ctx, g, &out); err != nil {
			t.Fatalf("after the %s's rollback: %v\n%s", c.name, err, out.String())
		}
	}
}

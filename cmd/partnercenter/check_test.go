package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"gorm.io/gorm"

	"partnercenter/internal/demo"
	"partnercenter/internal/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// `partnercenter check ledger` passes on the demo world (recharges,
// transfers, recoveries) and fails, naming the differences, on a ledger
// corrupted behind the append-only trigger's back.
func TestCheckLedgerPassesWhenConsistentAndFailsOnCorruption(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	if _, err := demo.Seed(ctx, g); err != nil {
		t.Fatal(err)
	}
	var entries int64
	g.Raw(`SELECT count(*) FROM ledger_entries`).Scan(&entries)
	if entries == 0 {
		t.Fatal("the demo world has no ledger entries to check")
	}
	var out bytes.Buffer
	if err := checkLedger(ctx, g, &out); err != nil {
		t.Fatalf("consistent ledger: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "0 differences") {
		t.Errorf("output: %s", out.String())
	}

	sentinel := errors.New("rollback")
	err := g.Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`ALTER TABLE ledger_entries DISABLE TRIGGER ledger_entries_append_only`).Error; err != nil {
			return err
		}
		if err := tx.Exec(`UPDATE ledger_entries SET amount = amount + 0.01 WHERE id = (SELECT min(id) FROM ledger_entries)`).Error; err != nil {
			return err
		}
		out.Reset()
		if err := checkLedger(ctx, tx, &out); err == nil {
			t.Errorf("corrupted ledger passed the check:\n%s", out.String())
		}
		if !strings.Contains(out.String(), "entries sum to 0.01, not 0") || !strings.Contains(out.String(), "cached balance") {
			t.Errorf("findings not printed:\n%s", out.String())
		}
		return sentinel
	})
	if !errors.Is(err, sentinel) {
		t.Fatal(err)
	}
	out.Reset()
	if err := checkLedger(ctx, g, &out); err != nil {
		t.Fatalf("after rollback: %v", err)
	}
}

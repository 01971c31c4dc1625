package main

import (
	"context"
	"fmt"
	"io"

	"gorm.io/gorm"

	"partnercenter/internal/ledger"
)

// checkLedger is `partnercenter check ledger`: it verifies that every
// ledger transaction's entries sum to zero, that all entries sum to zero
// and that every account's cached balance equals the sum of its entries
// (DESIGN.md §7). It prints each finding and returns an error (exit
// status 1) when there is any.
func checkLedger(ctx context.Context, g *gorm.DB, w io.Writer) error {
	fs, err := ledger.Check(ctx, g)
	if err != nil {
		return err
	}
	var stats struct {
		Transactions, Entries, Accounts int64
	}
	if err := g.WithContext(ctx).Raw(`SELECT (SELECT count(*) FROM ledger_transactions) AS transactions,
		(SELECT count(*) FROM ledger_entries) AS entries, (SELECT count(*) FROM ledger_accounts) AS accounts`).Scan(&stats).Error; err != nil {
		return err
	}
	for _, f := range fs {
		fmt.Fprintln(w, "DIFFERENCE:", f.String())
	}
	fmt.Fprintf(w, "ledger: %d transactions, %d entries, %d accounts checked; %d differences\n",
		stats.Transactions, stats.Entries, stats.Accounts, len(fs))
	if len(fs) > 0 {
		return fmt.Errorf("ledger check found %d differences", len(fs))
	}
	return nil
}

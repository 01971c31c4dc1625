package main

import (
	"context"
	"fmt"
	"io"

	"gorm.io/gorm"

	"partnercenter/internal/consumption"
	"partnercenter/internal/customer"
	"partnercenter/internal/incentive"
	"partnercenter/internal/ledger"
	"partnercenter/internal/mdf"
	"partnercenter/internal/performance"
)

// checkLedger is `partnercenter check ledger`: it verifies that every
// ledger transaction's entries sum to zero, that all entries sum to zero
// and that every account's cached balance equals the sum of its entries
// (docs/ARCHITECTURE.md, "Money"), that consumption lines match their draw-downs
// (consumption.Check) and that the association counters match the
// associations (customer.CheckCounts), that performance equals its
// source lines (performance.Check) and that every published incentive
// bill's lines add up to its amount within the allocation residue
// (incentive.Check), and that every MDF quota equals what its
// applications occupy and its claims used (mdf.Check). It prints each finding and returns an error (exit
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
	var diffs []string
	for _, f := range fs {
		diffs = append(diffs, f.String())
	}
	cons, err := consumption.Check(ctx, g)
	if err != nil {
		return err
	}
	diffs = append(diffs, cons...)
	counts, err := customer.CheckCounts(ctx, g)
	if err != nil {
		return err
	}
	diffs = append(diffs, counts...)
	perf, err := performance.Check(ctx, g)
	if err != nil {
		return err
	}
	diffs = append(diffs, perf...)
	inc, err := incentive.Check(ctx, g)
	if err != nil {
		return err
	}
	diffs = append(diffs, inc...)
	quotas, err := mdf.Check(ctx, g)
	if err != nil {
		return err
	}
	diffs = append(diffs, quotas...)
	for _, d := range diffs {
		fmt.Fprintln(w, "DIFFERENCE:", d)
	}
	fmt.Fprintf(w, "ledger: %d transactions, %d entries, %d accounts checked; consumption lines against their draw-downs; association counters; performance against its source lines; incentive lines against their bills; MDF quotas against their applications and claims; %d differences\n",
		stats.Transactions, stats.Entries, stats.Accounts, len(diffs))
	if len(diffs) > 0 {
		return fmt.Errorf("ledger check found %d differences", len(diffs))
	}
	return nil
}

package incentive

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// Check verifies that every published bill's lines add up to its amount
// within the allocation residue (issue 12: each line is rounded half-up
// to 8 places, so n lines may differ from the total by n × 0.5e-8, and an
// adjustment's lines, differences of two roundings, by n × 1e-8). It
// returns one sentence per difference.
func Check(ctx context.Context, g *gorm.DB) ([]string, error) {
	var bad []struct {
		ID     string
		Amount string
		Lines  string
		N      int64
	}
	err := g.WithContext(ctx).Raw(`
		SELECT b.id::text AS id, b.amount::text AS amount, coalesce(t.sum, 0)::text AS lines, coalesce(t.n, 0) AS n
		FROM incentive_bills b
		LEFT JOIN (SELECT bill_id, sum(amount) AS sum, count(*) AS n FROM incentive_details GROUP BY bill_id) t ON t.bill_id = b.id
		WHERE b.status <> 'estimate' AND coalesce(t.n, 0) > 0
		  AND abs(b.amount - coalesce(t.sum, 0)) > coalesce(t.n, 0) * 0.00000001
		ORDER BY b.created_at LIMIT 100`).Scan(&bad).Error
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(bad))
	for _, b := range bad {
		out = append(out, fmt.Sprintf("incentive bill %s: amount %s, its %d lines add up to %s", b.ID, b.Amount, b.N, b.Lines))
	}
	payouts, err := checkPayouts(ctx, g)
	return append(out, payouts...), err
}

// checkPayouts verifies the money of the payment applications: each one's
// incentives add up to its total; a completed application paid to the
// account or as voucher quota has its ledger transaction — a recharge from
// the incentive source (incentive_owed for 记欠票) or a voucher_quota
// credit — of its total, for its partner; paid incentives belong to a
// completed application.
func checkPayouts(ctx context.Context, g *gorm.DB) ([]string, error) {
	var bad []struct {
		No      string
		Problem string
	}
	err := g.WithContext(ctx).Raw(`
		SELECT a.no, 'its incentives add up to ' || coalesce(i.sum, 0)::text || ', not ' || a.total::text AS problem
		FROM payment_applications a LEFT JOIN (SELECT application_id, sum(amount) AS sum FROM incentive_items
			WHERE application_id IS NOT NULL GROUP BY application_id) i ON i.application_id = a.id
		WHERE a.status <> 'rejected' AND coalesce(i.sum, 0) <> a.total
		UNION ALL
		SELECT a.no, 'completed by ' || a.method || ' without its ledger credit of ' || a.total::text
		FROM payment_applications a LEFT JOIN ledger_transactions t ON t.id = a.ledger_tx_id
		WHERE a.status = 'completed' AND a.method <> 'bank' AND a.total > 0
		  AND (t.id IS NULL OR t.amount <> a.total OR t.partner_id IS DISTINCT FROM a.partner_id
		    OR t.kind <> CASE a.method WHEN 'voucher_quota' THEN 'voucher_quota' ELSE 'recharge' END
		    OR coalesce(t.source, '') <> CASE a.method WHEN 'account' THEN 'incentive' WHEN 'account_owed' THEN 'incentive_owed' ELSE '' END)
		UNION ALL
		SELECT a.no, 'an incentive is paid while the application is ' || a.status
		FROM incentive_items it JOIN payment_applications a ON a.id = it.application_id
		WHERE it.status = 'paid' AND a.status <> 'completed'
		LIMIT 100`).Scan(&bad).Error
	out := make([]string, 0, len(bad))
	for _, b := range bad {
		out = append(out, fmt.Sprintf("payment application %s: %s", b.No, b.Problem))
	}
	return out, err
}

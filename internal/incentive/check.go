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
	out := make([]string, 0, len(bad))
	for _, b := range bad {
		out = append(out, fmt.Sprintf("incentive bill %s: amount %s, its %d lines add up to %s", b.ID, b.Amount, b.N, b.Lines))
	}
	return out, err
}

package performance

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/consumption"
)

// Check verifies that performance equals its source lines (issue 12):
// every record carries the amount and partner the formation rule gives
// its consumption line; every line the formation has passed that forms
// performance has its record; every summary's total and line count are
// its records'. It returns one sentence per difference.
func Check(ctx context.Context, g *gorm.DB) ([]string, error) {
	var out []string
	src := consumption.PerformanceSource(g, 0, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC))
	var bad []struct {
		ID, ConsumptionID int64
		Why               string
	}
	if err := g.WithContext(ctx).Raw(`
		SELECT r.id, r.consumption_id, CASE WHEN s.id IS NULL THEN 'no source line' WHEN s.amount <> r.amount THEN 'amount'
		       ELSE 'partner' END AS why
		FROM performance_records r LEFT JOIN (?) s ON s.id = r.consumption_id
		WHERE s.id IS NULL OR s.amount <> r.amount OR s.credited <> r.partner_id
		ORDER BY r.id LIMIT 100`, src).Scan(&bad).Error; err != nil {
		return nil, err
	}
	for _, b := range bad {
		out = append(out, fmt.Sprintf("performance record %d (consumption line %d): %s differs from its source", b.ID, b.ConsumptionID, b.Why))
	}
	var missing []int64
	if err := g.WithContext(ctx).Raw(`
		SELECT s.id FROM (?) s WHERE s.id <= (SELECT low_id FROM performance_state WHERE id = 1)
		AND NOT EXISTS (SELECT 1 FROM performance_records r WHERE r.consumption_id = s.id) ORDER BY s.id LIMIT 100`, src).
		Scan(&missing).Error; err != nil {
		return nil, err
	}
	for _, id := range missing {
		out = append(out, fmt.Sprintf("consumption line %d forms performance but has no record", id))
	}
	var sums []struct {
		ID      int64
		Total   string
		Records string
	}
	if err := g.WithContext(ctx).Raw(`
		SELECT ps.id, ps.total::text AS total, coalesce(t.amount, 0)::text AS records
		FROM performance_summaries ps
		LEFT JOIN (SELECT summary_id, sum(amount) AS amount, count(*) AS n FROM performance_records GROUP BY summary_id) t
		     ON t.summary_id = ps.id
		WHERE ps.total <> coalesce(t.amount, 0) OR ps.lines <> coalesce(t.n, 0) ORDER BY ps.id LIMIT 100`).Scan(&sums).Error; err != nil {
		return nil, err
	}
	for _, s := range sums {
		out = append(out, fmt.Sprintf("performance summary %d: total %s, its records add up to %s", s.ID, s.Total, s.Records))
	}
	return out, nil
}

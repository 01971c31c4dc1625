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
// its records'; the monthly rollups add up to the records. It returns one
// sentence per difference.
func Check(ctx context.Context, g *gorm.DB) ([]string, error) {
	var out []string
	var st struct {
		LowID      int64
		FormedTill *time.Time
	}
	if err := g.WithContext(ctx).Raw(`SELECT low_id, formed_till FROM performance_state WHERE id = 1`).Scan(&st).Error; err != nil {
		return nil, err
	}
	src := consumption.PerformanceSource(g, 0, 1<<62, nil, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC))
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
	// Every line the formation has passed (ids up to its low-water mark)
	// that was due at its last run has its record.
	var missing []int64
	if st.FormedTill != nil {
		due := consumption.PerformanceSource(g, 0, st.LowID, nil, *st.FormedTill)
		if err := g.WithContext(ctx).Raw(`SELECT s.id FROM (?) s
			WHERE NOT EXISTS (SELECT 1 FROM performance_records r WHERE r.consumption_id = s.id) ORDER BY s.id LIMIT 100`, due).
			Scan(&missing).Error; err != nil {
			return nil, err
		}
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
	var rolls []struct {
		PartnerID int64
		Period    time.Time
		Why       string
	}
	if err := g.WithContext(ctx).Raw(`
		WITH rec AS (
			SELECT partner_id, period, customer_id, product_type, coalesce(reseller_partner_id, 0) AS reseller,
			       coalesce(manager_user_id, 0) AS manager, coalesce(sum(amount) FILTER (WHERE amount > 0), 0) AS positive,
			       coalesce(sum(amount) FILTER (WHERE amount < 0), 0) AS negative, count(*) AS lines
			FROM performance_records GROUP BY 1, 2, 3, 4, 5, 6)
		SELECT coalesce(rec.partner_id, ro.partner_id) AS partner_id, coalesce(rec.period, ro.period) AS period,
		       CASE WHEN ro.partner_id IS NULL THEN 'no rollup' WHEN rec.partner_id IS NULL THEN 'a rollup without records'
		            ELSE 'sums' END AS why
		FROM rec FULL JOIN performance_rollups ro ON ro.partner_id = rec.partner_id AND ro.period = rec.period
		     AND ro.customer_id = rec.customer_id AND ro.product_type = rec.product_type AND ro.reseller_partner_id = rec.reseller
		     AND ro.manager_user_id = rec.manager
		WHERE ro.partner_id IS NULL OR rec.partner_id IS NULL OR ro.positive <> rec.positive OR ro.negative <> rec.negative
		      OR ro.lines <> rec.lines
		LIMIT 100`).Scan(&rolls).Error; err != nil {
		return nil, err
	}
	for _, r := range rolls {
		out = append(out, fmt.Sprintf("performance rollup of partner %d, %s: %s differ from its records", r.PartnerID,
			r.Period.Format("2006-01"), r.Why))
	}
	var months []struct {
		PartnerID int64
		Period    time.Time
	}
	if err := g.WithContext(ctx).Raw(`
		WITH ro AS (
			SELECT partner_id, period, reseller_partner_id, manager_user_id, sum(positive) AS positive, sum(negative) AS negative,
			       sum(lines) AS lines
			FROM performance_rollups GROUP BY 1, 2, 3, 4)
		SELECT coalesce(ro.partner_id, pm.partner_id) AS partner_id, coalesce(ro.period, pm.period) AS period
		FROM ro FULL JOIN performance_months pm ON pm.partner_id = ro.partner_id AND pm.period = ro.period
		     AND pm.reseller_partner_id = ro.reseller_partner_id AND pm.manager_user_id = ro.manager_user_id
		WHERE pm.partner_id IS NULL OR ro.partner_id IS NULL OR pm.positive <> ro.positive OR pm.negative <> ro.negative
		      OR pm.lines <> ro.lines
		LIMIT 100`).Scan(&months).Error; err != nil {
		return nil, err
	}
	for _, m := range months {
		out = append(out, fmt.Sprintf("performance month of partner %d, %s differs from its rollups", m.PartnerID,
			m.Period.Format("2006-01")))
	}
	return out, nil
}

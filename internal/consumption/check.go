package consumption

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// Check verifies what the schema does not (consumption_records has no
// foreign keys, see migrations/00006): every line's partner, customer and
// import exist, every import's resale cash equals what the ledger drew
// down minus what it credited back for that import, and the per-period
// rollups equal the sums of their lines. It returns one
// readable line per difference (none: consistent).
func Check(ctx context.Context, g *gorm.DB) ([]string, error) {
	g = g.WithContext(ctx)
	var out []string
	var orphans []struct {
		What string
		N    int64
	}
	if err := g.Raw(`
		SELECT 'partner' AS what, count(*) AS n FROM consumption_records r WHERE NOT EXISTS (SELECT 1 FROM partners p WHERE p.id = r.partner_id)
		UNION ALL
		SELECT 'customer', count(*) FROM consumption_records r WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = r.customer_id)
		UNION ALL
		SELECT 'import', count(*) FROM consumption_records r WHERE r.import_id IS NOT NULL
			AND NOT EXISTS (SELECT 1 FROM consumption_imports i WHERE i.id = r.import_id)`).Scan(&orphans).Error; err != nil {
		return nil, err
	}
	for _, o := range orphans {
		if o.N > 0 {
			out = append(out, fmt.Sprintf("%d consumption lines refer to a %s that does not exist", o.N, o.What))
		}
	}
	var diffs []struct {
		ImportID     int64
		Cash, Ledger string
	}
	if err := g.Raw(`
		WITH c AS (SELECT import_id, sum(cash_paid) AS cash FROM consumption_records WHERE mode = 'resale' AND import_id IS NOT NULL GROUP BY import_id),
		     l AS (SELECT consumption_import_id AS import_id,
		                  sum(CASE kind WHEN 'consumption' THEN amount ELSE -amount END) AS net
		           FROM ledger_transactions WHERE consumption_import_id IS NOT NULL GROUP BY consumption_import_id)
		SELECT coalesce(c.import_id, l.import_id) AS import_id, coalesce(c.cash, 0)::text AS cash, coalesce(l.net, 0)::text AS ledger
		FROM c FULL JOIN l ON l.import_id = c.import_id
		WHERE coalesce(c.cash, 0) <> coalesce(l.net, 0) ORDER BY 1`).Scan(&diffs).Error; err != nil {
		return nil, err
	}
	for _, d := range diffs {
		out = append(out, fmt.Sprintf("import %d: resale cash %s, ledger draw-down %s", d.ImportID, d.Cash, d.Ledger))
	}
	// The rollups (migrations/00010) equal the sums of the lines.
	var stale int64
	if err := g.Raw(`
		WITH a AS (
			SELECT partner_id, billing_period, signing_entity, bill_type, mode, customer_id, product_type, resource_type, billing_mode,
			       count(*) AS lines, sum(charged_amount) AS charged, sum(cash_paid) AS cash, sum(rounding_off) AS rounding,
			       sum(amount_payable) AS payable, sum(arrears) AS arrears
			FROM consumption_records
			GROUP BY partner_id, billing_period, signing_entity, bill_type, mode, customer_id, product_type, resource_type, billing_mode)
		SELECT count(*) FROM a FULL JOIN consumption_rollups r
			USING (partner_id, billing_period, signing_entity, bill_type, mode, customer_id, product_type, resource_type, billing_mode)
		WHERE a.lines IS DISTINCT FROM r.lines OR a.charged IS DISTINCT FROM r.charged_amount OR a.cash IS DISTINCT FROM r.cash_paid
		   OR a.rounding IS DISTINCT FROM r.rounding_off OR a.payable IS DISTINCT FROM r.amount_payable OR a.arrears IS DISTINCT FROM r.arrears`).
		Scan(&stale).Error; err != nil {
		return nil, err
	}
	if stale > 0 {
		out = append(out, fmt.Sprintf("%d consumption rollups differ from the sums of their lines", stale))
	}
	return out, nil
}

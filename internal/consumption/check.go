package consumption

import (
	"context"
	"fmt"
	"slices"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"partnercenter/internal/customer"
	"partnercenter/internal/ledger"
	"partnercenter/internal/partner"
)

// Check verifies what the schema does not (consumption_records has no
// foreign keys, see migrations/00006): every line's partner, customer and
// import exist, every import's resale cash equals what the ledger drew
// down minus what it credited back for that import, the per-period
// rollups equal the sums of their lines, and the coarser sums by month
// (consumption_months, consumption_customer_months) equal the sums of
// those rollups. It returns one readable line per difference (none:
// consistent).
func Check(ctx context.Context, g *gorm.DB) ([]string, error) {
	g = g.WithContext(ctx)
	var out []string
	// Lines whose partner or customer does not exist: the owners say which
	// of the ids the lines name exist (one query each), the lines are
	// counted here.
	linesOf := func(column string) (map[int64]int64, []int64, error) {
		var rows []struct {
			ID int64
			N  int64
		}
		if err := g.Raw(`SELECT ` + column + ` AS id, count(*) AS n FROM consumption_records GROUP BY 1`).Scan(&rows).Error; err != nil {
			return nil, nil, err
		}
		counts := make(map[int64]int64, len(rows))
		ids := make([]int64, len(rows))
		for i, r := range rows {
			counts[r.ID], ids[i] = r.N, r.ID
		}
		return counts, ids, nil
	}
	orphans := func(counts map[int64]int64, exists map[int64]bool) int64 {
		var n int64
		for id, c := range counts {
			if !exists[id] {
				n += c
			}
		}
		return n
	}
	byPartner, partnerIDs, err := linesOf("partner_id")
	if err != nil {
		return nil, err
	}
	partners, err := partner.Store{DB: g}.Names(ctx, partnerIDs)
	if err != nil {
		return nil, err
	}
	knownPartner := make(map[int64]bool, len(partners))
	for id := range partners {
		knownPartner[id] = true
	}
	byCustomer, customerIDs, err := linesOf("customer_id")
	if err != nil {
		return nil, err
	}
	knownCustomer, err := (&customer.Service{DB: g}).Existing(ctx, customerIDs)
	if err != nil {
		return nil, err
	}
	var noImport int64
	if err := g.Raw(`SELECT count(*) FROM consumption_records r WHERE r.import_id IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM consumption_imports i WHERE i.id = r.import_id)`).Scan(&noImport).Error; err != nil {
		return nil, err
	}
	for _, o := range []struct {
		What string
		N    int64
	}{{"partner", orphans(byPartner, knownPartner)}, {"customer", orphans(byCustomer, knownCustomer)}, {"import", noImport}} {
		if o.N > 0 {
			out = append(out, fmt.Sprintf("%d consumption lines refer to a %s that does not exist", o.N, o.What))
		}
	}
	// Each import's resale cash against what the ledger drew down for it
	// minus what it credited back (ledger.ConsumptionNets).
	var cash []struct {
		ImportID int64
		Cash     decimal.Decimal
	}
	if err := g.Raw(`SELECT import_id, sum(cash_paid) AS cash FROM consumption_records
		WHERE mode = 'resale' AND import_id IS NOT NULL GROUP BY import_id`).Scan(&cash).Error; err != nil {
		return nil, err
	}
	nets, err := ledger.ConsumptionNets(ctx, g)
	if err != nil {
		return nil, err
	}
	cashOf := make(map[int64]decimal.Decimal, len(cash))
	for _, c := range cash {
		cashOf[c.ImportID] = c.Cash
	}
	var ids []int64
	for id := range cashOf {
		ids = append(ids, id)
	}
	for id := range nets {
		if _, ok := cashOf[id]; !ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	for _, id := range ids {
		c, hasCash := cashOf[id]
		l, hasNet := nets[id]
		if c.Equal(l) {
			continue
		}
		ct, lt := "0", "0"
		if hasCash {
			ct = numericText(c)
		}
		if hasNet {
			lt = numericText(l)
		}
		out = append(out, fmt.Sprintf("import %d: resale cash %s, ledger draw-down %s", id, ct, lt))
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
	// The sums by month (migrations/00068) equal the sums of the rollups,
	// which equal the lines (above).
	for _, m := range monthSums {
		var stale int64
		if err := g.Raw(`
			WITH a AS (
				SELECT ` + m.Key + `, sum(lines) AS lines, sum(charged_amount) AS charged, sum(cash_paid) AS cash,
				       sum(voucher_paid) AS voucher, sum(card_paid) AS card, sum(arrears) AS arrears
				FROM consumption_rollups GROUP BY ` + m.Key + `)
			SELECT count(*) FROM a FULL JOIN ` + m.Table + ` m USING (` + m.Key + `)
			WHERE a.lines IS DISTINCT FROM m.lines OR a.charged IS DISTINCT FROM m.charged_amount OR a.cash IS DISTINCT FROM m.cash_paid
			   OR a.voucher IS DISTINCT FROM m.voucher_paid OR a.card IS DISTINCT FROM m.card_paid OR a.arrears IS DISTINCT FROM m.arrears`).
			Scan(&stale).Error; err != nil {
			return nil, err
		}
		if stale > 0 {
			out = append(out, fmt.Sprintf("%d rows of %s differ from the sums of the rollups", stale, m.Table))
		}
	}
	return out, nil
}

// monthSums are the tables of sums by month that the rollup trigger keeps
// beside the rollups, with their keys.
var monthSums = []struct{ Table, Key string }{
	{"consumption_months", "partner_id, billing_period, bill_type, product_type"},
	{"consumption_customer_months", "partner_id, billing_period, bill_type, customer_id"},
}

// numericText prints d as PostgreSQL prints a NUMERIC: with the scale it
// came with (100.00, not 100).
func numericText(d decimal.Decimal) string {
	if e := d.Exponent(); e < 0 {
		return d.StringFixed(-e)
	}
	return d.String()
}

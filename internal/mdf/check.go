package mdf

import (
	"context"
	"fmt"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// Check verifies every quota against what it holds (for `partnercenter
// check ledger`): occupied = the budgets of the usage applications in
// review or approved and not yet claimed; used = the amounts of the
// approved claims (approved, invoiced or paid). It returns one line per
// difference.
func Check(ctx context.Context, g *gorm.DB) ([]string, error) {
	var rows []struct {
		ID             int64
		EntityKey      string
		Year           int
		Occupied, Used decimal.Decimal
		WantOccupied   decimal.Decimal
		WantUsed       decimal.Decimal
	}
	err := g.WithContext(ctx).Raw(`SELECT q.id, q.entity_key, q.year, q.occupied, q.used,
		coalesce((SELECT sum(u.budget) FROM mdf_usages u WHERE u.quota_id = q.id AND u.status IN ('submitted', 'approved')), 0) AS want_occupied,
		coalesce((SELECT sum(c.amount) FROM mdf_claims c JOIN mdf_usages u ON u.id = c.usage_id
			WHERE u.quota_id = q.id AND c.status IN ('approved', 'invoiced', 'paid')), 0) AS want_used
		FROM mdf_quotas q ORDER BY q.id`).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	var out []string
	for _, r := range rows {
		if !r.Occupied.Equal(r.WantOccupied) || !r.Used.Equal(r.WantUsed) {
			out = append(out, fmt.Sprintf("MDF quota %d (%s %d): occupied %s used %s, its applications and claims say %s and %s",
				r.ID, r.EntityKey, r.Year, r.Occupied, r.Used, r.WantOccupied, r.WantUsed))
		}
	}
	return out, nil
}

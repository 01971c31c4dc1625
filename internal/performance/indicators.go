package performance

import (
	"context"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
)

// Indicator definitions' cycles, dimensions and kinds (§12.1.8).
const (
	CycleYear    = "year"
	CycleQuarter = "quarter"
	CycleMonth   = "month"

	DimensionPartner  = "partner"
	DimensionCustomer = "customer" // per customer (价值新客, §12.1.8.1)

	KindThreshold = "threshold"
	KindBase      = "base"
	KindDerived   = "derived" // growth rate (%) of another, year on year
)

// Definition is an indicator definition the vendor keeps.
type Definition struct {
	ID          int64
	Name        string
	Scope       string
	Cycle       string
	Dimension   string
	Kind        string
	ProductType string
	DerivedFrom *int64
	Active      bool
}

// TableName maps Definition to indicator_definitions.
func (Definition) TableName() string { return "indicator_definitions" }

// Indicator is one value of a definition for a partner (and customer)
// and period (对账期次: 2024Y, 2025Q3, 2025M2).
type Indicator struct {
	ID           int64
	DefinitionID int64
	PartnerID    int64
	CustomerID   int64
	PeriodCode   string
	PeriodStart  time.Time
	Value        decimal.Decimal
	UpdatedAt    time.Time
}

// TableName maps Indicator to indicators.
func (Indicator) TableName() string { return "indicators" }

// periodSQL are a cycle's period start and code over performance_rollups.period.
var periodSQL = map[string][2]string{
	CycleYear:    {"date_trunc('year', r.period)::date", "to_char(r.period, 'YYYY') || 'Y'"},
	CycleQuarter: {"date_trunc('quarter', r.period)::date", "to_char(r.period, 'YYYY') || 'Q' || extract(quarter FROM r.period)::int"},
	CycleMonth:   {"r.period", "to_char(r.period, 'YYYY') || 'M' || extract(month FROM r.period)::int"},
}

// IndicatorYears is how many China years back the indicators are
// recomputed (this year and two before: a growth incentive of last year
// compares it with the year before, §12.1.5.4).
const IndicatorYears = 3

// ComputeIndicators recomputes every active definition's values of the
// last IndicatorYears China years from the formed performance (its monthly
// rollups, so the cost follows months and customers, not lines; the values
// rounded half-up to 2 places; a growth rate in percent), in one
// transaction. It returns how many values it wrote.
func (s Service) ComputeIndicators(ctx context.Context) (int64, error) {
	return s.ComputeIndicatorsFor(ctx, 0)
}

// ComputeIndicatorsFor is ComputeIndicators for one partner (0: all).
func (s Service) ComputeIndicatorsFor(ctx context.Context, partnerID int64) (n int64, err error) {
	defer apperr.Wrap(&err, "performance.ComputeIndicators")
	now := s.now()
	from := time.Date(clock.ChinaDate(now).Year()-IndicatorYears+1, time.January, 1, 0, 0, 0, 0, time.UTC)
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		n = 0
		var defs []Definition
		if err := tx.WithContext(ctx).Where("active").Order("kind = 'derived', id").Find(&defs).Error; err != nil {
			return err
		}
		for _, d := range defs {
			if d.Kind == KindDerived {
				res := tx.WithContext(ctx).Exec(`
					INSERT INTO indicators (definition_id, partner_id, customer_id, period_code, period_start, value, updated_at)
					SELECT ?, cur.partner_id, cur.customer_id, cur.period_code, cur.period_start,
					       round((cur.value / prev.value - 1) * 100, 2), ?
					FROM indicators cur
					JOIN indicators prev ON prev.definition_id = cur.definition_id AND prev.partner_id = cur.partner_id
					     AND prev.customer_id = cur.customer_id AND prev.period_start = (cur.period_start - interval '1 year')::date
					WHERE cur.definition_id = ? AND cur.period_start >= ? AND prev.value > 0 AND (? = 0 OR cur.partner_id = ?)
					ON CONFLICT (definition_id, partner_id, customer_id, period_code)
					DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
					d.ID, now, *d.DerivedFrom, from, partnerID, partnerID)
				if res.Error != nil {
					return res.Error
				}
				n += res.RowsAffected
				continue
			}
			p := periodSQL[d.Cycle]
			customer, group := "0", "r.partner_id"
			if d.Dimension == DimensionCustomer {
				customer, group = "r.customer_id", "r.partner_id, r.customer_id"
			}
			q := `INSERT INTO indicators (definition_id, partner_id, customer_id, period_code, period_start, value, updated_at)
				SELECT ?, r.partner_id, ` + customer + `, ` + p[1] + `, ` + p[0] + `, round(sum(r.positive + r.negative), 2), ?
				FROM performance_rollups r
				WHERE r.period >= ? AND (? = '' OR r.product_type = ?) AND (? = 0 OR r.partner_id = ?)
				GROUP BY ` + group + `, ` + p[1] + `, ` + p[0] + `
				ON CONFLICT (definition_id, partner_id, customer_id, period_code)
				DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`
			res := tx.WithContext(ctx).Exec(q, d.ID, now, from, d.ProductType, d.ProductType, partnerID, partnerID)
			if res.Error != nil {
				return res.Error
			}
			n += res.RowsAffected
		}
		return nil
	})
	return n, err
}

// IndicatorRow is a row of 指标信息 with its definition and customer.
type IndicatorRow struct {
	Indicator
	Name            string
	Scope           string
	Cycle           string
	Dimension       string
	Kind            string
	CustomerName    string
	CustomerAccount string
	ProductType     string // the definition's product type ("" all)
	// MultiAccount marks a partner-level indicator of a master distributor
	// whose performance sums its resellers' accounts too (§12.1.8.2).
	MultiAccount bool
}

// HasDetail reports an indicator formed directly from this account's
// performance (§12.1.8.2): a derived one (a growth rate) has none, nor a
// partner-level one summing several accounts' performance.
func (r *IndicatorRow) HasDetail() bool { return r.Kind != KindDerived && !r.MultiAccount }

// IsRate reports a value in percent.
func (r *IndicatorRow) IsRate() bool { return r.Kind == KindDerived }

// PeriodEnd is the day after the indicator's period (for its details).
func (r *IndicatorRow) PeriodEnd() time.Time {
	switch r.Cycle {
	case CycleYear:
		return r.PeriodStart.AddDate(1, 0, 0)
	case CycleQuarter:
		return r.PeriodStart.AddDate(0, 3, 0)
	}
	return r.PeriodStart.AddDate(0, 1, 0)
}

// IndicatorFilter narrows 指标信息 (§12.1.8.1): definition, period code,
// customer (name or account); Page from 1.
type IndicatorFilter struct {
	DefinitionID int64
	Period       string
	Customer     string
	Page, Per    int
}

// indicatorQuery is the actor's tenant's indicators of a filter, with
// their definitions and customers (a customer manager: those of its
// customers; the partner-level ones are hidden).
func (s Service) indicatorQuery(ctx context.Context, p *access.Principal, f IndicatorFilter) (*gorm.DB, error) {
	pid, err := TenantOf(p)
	if err != nil {
		return nil, err
	}
	q := s.DB.WithContext(ctx).Table("indicators i").Joins("JOIN indicator_definitions d ON d.id = i.definition_id").
		Joins("LEFT JOIN customers cu ON cu.id = i.customer_id").Where("i.partner_id = ?", pid)
	if cond, args := p.CustomerCondition("i.customer_id"); cond != "" {
		q = q.Where(cond, args...)
	}
	if f.DefinitionID > 0 {
		q = q.Where("i.definition_id = ?", f.DefinitionID)
	}
	if c := strings.TrimSpace(f.Period); c != "" {
		q = q.Where("i.period_code = ?", strings.ToUpper(c))
	}
	if c := strings.TrimSpace(f.Customer); c != "" {
		if q, err = WhereCustomerNamed(ctx, s.DB, q, pid, "i.customer_id", c); err != nil {
			return nil, err
		}
	}
	return q, nil
}

const indicatorColumns = `i.*, d.name, d.scope, d.cycle, d.dimension, d.kind, d.product_type, coalesce(cu.name, '') AS customer_name,
	coalesce(cu.account_name, '') AS customer_account`

// Indicators reads a page of the actor's tenant's indicators, newest
// period first, with the total.
func (s Service) Indicators(ctx context.Context, p *access.Principal, f IndicatorFilter) (_ []IndicatorRow, _ int64, err error) {
	defer apperr.Wrap(&err, "performance.Indicators")
	q, err := s.indicatorQuery(ctx, p, f)
	if err != nil {
		return nil, 0, err
	}
	var total int64
	if err := q.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, err
	}
	per := f.Per
	if per <= 0 || per > 100 {
		per = PerPage
	}
	var rows []IndicatorRow
	if err := q.Select(indicatorColumns).Order("i.period_start DESC, d.id, i.customer_id").Limit(per).Offset((max(f.Page, 1) - 1) * per).
		Scan(&rows).Error; err != nil {
		return nil, 0, err
	}
	if len(rows) > 0 {
		resellers, err := partner.Store{DB: s.DB}.ResellerIDs(ctx, rows[0].PartnerID)
		if err != nil {
			return nil, 0, err
		}
		for i := range rows {
			rows[i].MultiAccount = len(resellers) > 0 && rows[i].Dimension == DimensionPartner
		}
	}
	return rows, total, nil
}

// ExportIndicators streams the actor's tenant's indicators of a filter
// (指标信息 > 导出).
func (s Service) ExportIndicators(ctx context.Context, p *access.Principal, f IndicatorFilter, each func(IndicatorRow) error) (err error) {
	defer apperr.Wrap(&err, "performance.ExportIndicators")
	q, err := s.indicatorQuery(ctx, p, f)
	if err != nil {
		return err
	}
	return db.Each(q.Select(indicatorColumns).Order("i.period_start DESC, d.id, i.customer_id"), each)
}

// Definitions lists the active definitions (the filter's choices).
func (s Service) Definitions(ctx context.Context) (_ []Definition, err error) {
	defer apperr.Wrap(&err, "performance.Definitions")
	var out []Definition
	err = s.DB.WithContext(ctx).Where("active").Order("id").Find(&out).Error
	return out, err
}

package performance

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
)

// The reads below give internal/incentive the indicators and performance
// lines its bills are computed from (performance owns both tables).

// IndicatorValues are a partner-level definition's values of a period
// (2024Y), by partner: every partner's, or one's (partnerID not 0).
func IndicatorValues(ctx context.Context, g *gorm.DB, definitionID int64, periodCode string, partnerID int64) (map[int64]decimal.Decimal, error) {
	var rows []struct {
		PartnerID int64
		Value     decimal.Decimal
	}
	q := g.WithContext(ctx).Table("indicators").Select("partner_id, value").
		Where("definition_id = ? AND period_code = ? AND customer_id = 0", definitionID, periodCode)
	if partnerID != 0 {
		q = q.Where("partner_id = ?", partnerID)
	}
	err := q.Scan(&rows).Error
	out := make(map[int64]decimal.Decimal, len(rows))
	for _, r := range rows {
		out[r.PartnerID] = r.Value
	}
	return out, err
}

// DefinitionByID reads one definition.
func DefinitionByID(ctx context.Context, g *gorm.DB, id int64) (*Definition, error) {
	var d Definition
	if err := g.WithContext(ctx).Where("id = ?", id).First(&d).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, apperr.NotFound()
		}
		return nil, err
	}
	return &d, nil
}

// BaseLines is a subquery of the performance lines a definition counts
// for a partner in [from, to) (by the records' months): columns
// record_id, reseller_partner_id, customer_id, product_type,
// product_name, formed_at, performance, mode.
func BaseLines(g *gorm.DB, definitionID, partnerID int64, from, to time.Time) *gorm.DB {
	return g.Table("performance_records r").Joins("JOIN indicator_definitions d ON d.id = ?", definitionID).
		Select(`r.id AS record_id, r.reseller_partner_id, r.customer_id, r.product_type, r.product_name, r.formed_at,
			r.amount AS performance, r.mode`).
		Where("r.partner_id = ? AND r.period >= ? AND r.period < ? AND (d.product_type = '' OR r.product_type = d.product_type)",
			partnerID, from, to)
}

// PeriodRange is a period code's first day and the day after its last
// (2024Y, 2025Q3, 2025M2), or false.
func PeriodRange(code string) (from, to time.Time, ok bool) {
	if len(code) < 5 {
		return from, to, false
	}
	y, err := time.Parse("2006", code[:4])
	if err != nil {
		return from, to, false
	}
	n := 0
	for _, c := range code[5:] {
		if c < '0' || c > '9' {
			return from, to, false
		}
		n = n*10 + int(c-'0')
	}
	switch code[4] {
	case 'Y':
		return y, y.AddDate(1, 0, 0), len(code) == 5
	case 'Q':
		if n < 1 || n > 4 {
			return from, to, false
		}
		from = y.AddDate(0, 3*(n-1), 0)
		return from, from.AddDate(0, 3, 0), true
	case 'M':
		if n < 1 || n > 12 {
			return from, to, false
		}
		from = y.AddDate(0, n-1, 0)
		return from, from.AddDate(0, 1, 0), true
	}
	return from, to, false
}

// PeriodCodes are a cycle's period codes of a year (2025Y; 2025Q1…Q4;
// 2025M1…M12).
func PeriodCodes(cycle string, year int) []string {
	y := itoa(int64(year))
	switch cycle {
	case CycleQuarter:
		return []string{y + "Q1", y + "Q2", y + "Q3", y + "Q4"}
	case CycleMonth:
		out := make([]string, 12)
		for i := range out {
			out[i] = y + "M" + itoa(int64(i+1))
		}
		return out
	}
	return []string{y + "Y"}
}

// DefinitionInput is the vendor's form for a new indicator definition.
type DefinitionInput struct {
	Name, Scope, Cycle, Dimension, Kind, ProductType string
	DerivedFrom                                      int64
}

// AllDefinitions lists every definition, active first (the vendor's page).
func (s Service) AllDefinitions(ctx context.Context, p *access.Principal) (_ []Definition, err error) {
	defer apperr.Wrap(&err, "performance.AllDefinitions")
	if _, err := p.Staff(); err != nil {
		return nil, err
	}
	var out []Definition
	err = s.DB.WithContext(ctx).Order("active DESC, id").Find(&out).Error
	return out, err
}

// CreateDefinition adds an indicator definition (vendor staff): name
// unique, ≤ 100 characters; cycle, dimension and kind from their lists;
// a derived one names the annual definition it is the growth rate of.
func (s Service) CreateDefinition(ctx context.Context, p *access.Principal, in DefinitionInput) (_ *Definition, err error) {
	defer apperr.Wrap(&err, "performance.CreateDefinition")
	if _, err := p.Staff(); err != nil {
		return nil, err
	}
	d := Definition{Name: strings.TrimSpace(in.Name), Scope: strings.TrimSpace(in.Scope), Cycle: in.Cycle, Dimension: in.Dimension,
		Kind: in.Kind, ProductType: strings.TrimSpace(in.ProductType), Active: true}
	fields := apperr.Fields{}
	if d.Name == "" || utf8.RuneCountInString(d.Name) > 100 {
		fields.Add("name", "indicator.err.name")
	}
	if d.Scope == "" || utf8.RuneCountInString(d.Scope) > 100 {
		fields.Add("scope", "indicator.err.scope")
	}
	if utf8.RuneCountInString(d.ProductType) > 100 {
		fields.Add("product_type", "indicator.err.product_type")
	}
	if d.Cycle != CycleYear && d.Cycle != CycleQuarter && d.Cycle != CycleMonth {
		fields.Add("cycle", "indicator.err.cycle")
	}
	if d.Dimension != DimensionPartner && d.Dimension != DimensionCustomer {
		fields.Add("dimension", "indicator.err.dimension")
	}
	switch d.Kind {
	case KindThreshold, KindBase:
	case KindDerived:
		src, err := DefinitionByID(ctx, s.DB, in.DerivedFrom)
		if err != nil || src.Kind == KindDerived || src.Cycle != CycleYear || d.Cycle != CycleYear {
			fields.Add("derived_from", "indicator.err.derived_from")
		} else {
			d.DerivedFrom = &src.ID
			d.Dimension = src.Dimension
		}
	default:
		fields.Add("kind", "indicator.err.kind")
	}
	if err := fields.Err(); err != nil {
		return nil, err
	}
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		var n int64
		if err := tx.WithContext(ctx).Model(&Definition{}).Where("name = ?", d.Name).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return apperr.FieldError("name", "indicator.err.name_taken")
		}
		if err := tx.WithContext(ctx).Create(&d).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: s.now(), Action: "indicator.define", ObjectType: "indicator_definition",
			ObjectID: d.ID, After: map[string]any{"name": d.Name, "cycle": d.Cycle, "dimension": d.Dimension, "kind": d.Kind,
				"product_type": d.ProductType}})
	})
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// SetDefinitionActive starts or stops computing a definition (vendor
// staff); its values stay.
func (s Service) SetDefinitionActive(ctx context.Context, p *access.Principal, id int64, active bool) (err error) {
	defer apperr.Wrap(&err, "performance.SetDefinitionActive(%d)", id)
	if _, err := p.Staff(); err != nil {
		return err
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		res := tx.WithContext(ctx).Model(&Definition{}).Where("id = ? AND active = ?", id, !active).Update("active", active)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			if _, err := DefinitionByID(ctx, tx, id); err != nil {
				return err
			}
			return apperr.Conflict("indicator.err.state")
		}
		return audit.Record(ctx, tx, audit.Change{At: s.now(), Action: "indicator.active", ObjectType: "indicator_definition",
			ObjectID: id, Before: map[string]any{"active": !active}, After: map[string]any{"active": active}})
	})
}

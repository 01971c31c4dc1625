package incentive

import (
	"context"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/performance"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
)

// Policy kinds and eligibilities.
const (
	KindGrowth    = "growth"    // 增长激励 (§12.1.5.4)
	KindThreshold = "threshold" // 门槛激励 (§12.1.5.45)

	EligibleLeveled = "leveled_sp_or_md" // core or leading SP, or MD
	EligibleAll     = "sp_or_md"         // any SP or MD
)

// Tier is a step of a policy: from (inclusive) up to the next step's
// from, the ratio in percent.
type Tier struct {
	From  decimal.Decimal `json:"from"`
	Ratio decimal.Decimal `json:"ratio"`
}

// Tiers is a policy's step table, lowest first.
type Tiers []Tier

// Ratio is the ratio (percent) of the tier x falls in, 0 below the first.
func (ts Tiers) Ratio(x decimal.Decimal) decimal.Decimal {
	r := decimal.Zero
	for _, t := range ts {
		if x.GreaterThanOrEqual(t.From) {
			r = t.Ratio
		}
	}
	return r
}

// Policy is an incentive policy of a year.
type Policy struct {
	ID                    int64
	Year                  int
	Name                  string
	Kind                  string
	ThresholdDefinitionID int64
	BaseDefinitionID      int64
	MinGrowth             *decimal.Decimal
	Tiers                 json.RawMessage `gorm:"type:jsonb"`
	Eligibility           string
	Active                bool
	CreatedBy             *int64
	CreatedAt             time.Time
	UpdatedAt             time.Time
}

// TableName maps Policy to incentive_policies.
func (Policy) TableName() string { return "incentive_policies" }

// Steps decodes the tiers.
func (p *Policy) Steps() Tiers {
	var ts Tiers
	_ = json.Unmarshal(p.Tiers, &ts)
	return ts
}

// Service computes and shows incentives.
type Service struct {
	DB    *gorm.DB
	Clock clock.Clock
}

func (s Service) now() time.Time { return s.Clock.Now().UTC() }

// PolicyInput is the vendor's policy form. Tiers are written one step per
// line or comma-separated as "from:ratio" (1000000:4, 3000000:6).
type PolicyInput struct {
	Year                  string
	Name                  string
	Kind                  string
	ThresholdDefinitionID int64
	BaseDefinitionID      int64
	MinGrowth             string
	Tiers                 string
	Eligibility           string
}

// ParseTiers reads "from:ratio" steps, ascending from, ratios in (0, 100].
func ParseTiers(s string) (Tiers, bool) {
	var out Tiers
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' || r == ';' || r == '，' }) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		a, b, ok := strings.Cut(strings.ReplaceAll(part, "：", ":"), ":")
		if !ok {
			return nil, false
		}
		from, err1 := decimal.NewFromString(strings.ReplaceAll(strings.TrimSpace(a), ",", ""))
		ratio, err2 := decimal.NewFromString(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(b), "%")))
		if err1 != nil || err2 != nil || from.IsNegative() || !ratio.IsPositive() || ratio.GreaterThan(decimal.NewFromInt(100)) ||
			from.Exponent() < -2 || ratio.Exponent() < -4 {
			return nil, false
		}
		out = append(out, Tier{From: from, Ratio: ratio})
	}
	if len(out) == 0 || len(out) > 10 {
		return nil, false
	}
	if !sort.SliceIsSorted(out, func(i, j int) bool { return out[i].From.LessThan(out[j].From) }) {
		return nil, false
	}
	for i := 1; i < len(out); i++ {
		if out[i].From.Equal(out[i-1].From) {
			return nil, false
		}
	}
	return out, true
}

// TiersText writes tiers as the form reads them.
func TiersText(ts Tiers) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = t.From.String() + ":" + t.Ratio.String()
	}
	return strings.Join(parts, ", ")
}

// Policies lists every policy, newest year first (the vendor's page).
func (s Service) Policies(ctx context.Context, p *access.Principal) (_ []Policy, err error) {
	defer apperr.Wrap(&err, "incentive.Policies")
	if _, err := p.Staff(); err != nil {
		return nil, err
	}
	var out []Policy
	err = s.DB.WithContext(ctx).Order("year DESC, id").Find(&out).Error
	return out, err
}

// CreatePolicy adds a policy (vendor staff). The threshold and base
// indicators must be partner-level, not derived, of one cycle; a growth
// policy's indicators are annual and it names the growth rate to exceed.
func (s Service) CreatePolicy(ctx context.Context, p *access.Principal, in PolicyInput) (_ *Policy, err error) {
	defer apperr.Wrap(&err, "incentive.CreatePolicy")
	uid, err := p.Staff()
	if err != nil {
		return nil, err
	}
	f := apperr.Fields{}
	pol := Policy{Name: strings.TrimSpace(in.Name), Kind: in.Kind, Eligibility: in.Eligibility, Active: true, CreatedBy: &uid,
		ThresholdDefinitionID: in.ThresholdDefinitionID, BaseDefinitionID: in.BaseDefinitionID, CreatedAt: s.now(), UpdatedAt: s.now()}
	if y, err := strconv.Atoi(strings.TrimSpace(in.Year)); err != nil || y < 2000 || y > 2100 {
		f.Add("year", "incentive.err.year")
	} else {
		pol.Year = y
	}
	if pol.Name == "" || utf8.RuneCountInString(pol.Name) > 100 {
		f.Add("name", "incentive.err.name")
	}
	if pol.Kind != KindGrowth && pol.Kind != KindThreshold {
		f.Add("kind", "incentive.err.kind")
	}
	if pol.Eligibility != EligibleLeveled && pol.Eligibility != EligibleAll {
		f.Add("eligibility", "incentive.err.eligibility")
	}
	tiers, ok := ParseTiers(in.Tiers)
	if !ok {
		f.Add("tiers", "incentive.err.tiers")
	}
	pol.Tiers, _ = json.Marshal(tiers)
	if pol.Kind == KindGrowth {
		g, err := decimal.NewFromString(strings.TrimSuffix(strings.TrimSpace(in.MinGrowth), "%"))
		if err != nil || g.IsNegative() || g.Exponent() < -2 {
			f.Add("min_growth", "incentive.err.min_growth")
		} else {
			pol.MinGrowth = &g
		}
	}
	th, terr := performance.DefinitionByID(ctx, s.DB, in.ThresholdDefinitionID)
	if terr != nil || th.Kind == performance.KindDerived || th.Dimension != performance.DimensionPartner {
		f.Add("threshold_definition_id", "incentive.err.definition")
	}
	base, berr := performance.DefinitionByID(ctx, s.DB, in.BaseDefinitionID)
	if berr != nil || base.Kind == performance.KindDerived || base.Dimension != performance.DimensionPartner {
		f.Add("base_definition_id", "incentive.err.definition")
	}
	if terr == nil && berr == nil && th.Cycle != base.Cycle {
		f.Add("base_definition_id", "incentive.err.cycle")
	}
	if terr == nil && pol.Kind == KindGrowth && th.Cycle != performance.CycleYear {
		f.Add("threshold_definition_id", "incentive.err.growth_cycle")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		var n int64
		if err := tx.WithContext(ctx).Model(&Policy{}).Where("name = ?", pol.Name).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return apperr.FieldError("name", "incentive.err.name_taken")
		}
		if err := tx.WithContext(ctx).Create(&pol).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: s.now(), Action: "incentive.policy_create", ObjectType: "incentive_policy",
			ObjectID: pol.ID, After: map[string]any{"name": pol.Name, "year": pol.Year, "kind": pol.Kind, "tiers": TiersText(tiers)}})
	})
	if err != nil {
		return nil, err
	}
	return &pol, nil
}

// SetPolicyActive starts or stops a policy's bills being computed (its
// bills stay).
func (s Service) SetPolicyActive(ctx context.Context, p *access.Principal, id int64, active bool) (err error) {
	defer apperr.Wrap(&err, "incentive.SetPolicyActive(%d)", id)
	if _, err := p.Staff(); err != nil {
		return err
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		res := tx.WithContext(ctx).Model(&Policy{}).Where("id = ? AND active = ?", id, !active).
			Updates(map[string]any{"active": active, "updated_at": s.now()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			var n int64
			if err := tx.WithContext(ctx).Model(&Policy{}).Where("id = ?", id).Count(&n).Error; err != nil {
				return err
			}
			if n == 0 {
				return apperr.NotFound()
			}
			return apperr.Conflict("incentive.err.state")
		}
		return audit.Record(ctx, tx, audit.Change{At: s.now(), Action: "incentive.policy_active", ObjectType: "incentive_policy",
			ObjectID: id, Before: map[string]any{"active": !active}, After: map[string]any{"active": active}})
	})
}

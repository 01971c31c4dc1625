package benefit

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/partner"
	"partnercenter/internal/paths"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
)

// Benefit types (§10.1.1); part 1 builds 测试券, 考试券 and 云实验
// (persons.go).
const (
	TypeTestVoucher = "test_voucher" // 测试券 (§10.2)
)

// Types lists the benefit types in the seeds' order.
var Types = []string{TypeTestVoucher, TypeExamVoucher, TypeCloudLab}

// States of an application.
const (
	StateSubmitted = "submitted" // 已提交 (in review)
	StateApproved  = "approved"  // 审核通过
	StateIssued    = "issued"    // 权益已发放
	StateRejected  = "rejected"  // 已驳回
	StateWithdrawn = "withdrawn" // 已撤回
)

// States lists them in display order.
var States = []string{StateSubmitted, StateApproved, StateIssued, StateRejected, StateWithdrawn}

// counting are the states whose amount counts against the cap.
var counting = []string{StateSubmitted, StateApproved, StateIssued}

// Tiers a policy may name: the development paths at each stage, and the
// programmes.
var Tiers = func() []string {
	var out []string
	for _, p := range paths.All {
		for _, st := range paths.Stages {
			out = append(out, p+":"+st)
		}
	}
	return append(out, access.IdentitySolutionProvider, access.IdentityMasterDistributor)
}()

// Policy is a row of benefit_policies: a benefit's yearly cap for a tier.
type Policy struct {
	ID        int64
	Year      int
	Type      string
	Tier      string
	CapAmount decimal.Decimal
	Notes     string
	UpdatedBy *int64
	UpdatedAt time.Time
}

// TableName maps Policy to benefit_policies.
func (Policy) TableName() string { return "benefit_policies" }

// Application is a row of benefit_applications.
type Application struct {
	ID            int64
	PartnerID     int64
	EntityKey     string // the partner entity: its credit code (§4.1.10)
	Year          int
	Type          string
	Tier          string
	Status        string
	Amount        decimal.Decimal
	Form          json.RawMessage `gorm:"type:jsonb"`
	ApplicationID *int64
	DecidedAt     *time.Time
	IssuedAt      *time.Time
	IssuedBy      *int64
	CreatedBy     *int64
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// TableName maps Application to benefit_applications.
func (Application) TableName() string { return "benefit_applications" }

// Voucher is a row of benefit_vouchers: a test voucher issued to the
// partner, valid 3 months (§10.2.5, N37).
type Voucher struct {
	ID            int64
	No            string
	PartnerID     int64
	ApplicationID int64
	FaceValue     decimal.Decimal
	IssuedAt      time.Time
	ValidUntil    time.Time
}

// TableName maps Voucher to benefit_vouchers.
func (Voucher) TableName() string { return "benefit_vouchers" }

// TestVoucherMonths is a test voucher's validity (§10.2.5).
const TestVoucherMonths = 3

// Service is 权益. Every method takes the acting principal first.
type Service struct {
	DB    *gorm.DB
	Clock clock.Clock
}

func (s Service) now() time.Time { return s.Clock.Now().UTC() }

// yearOf is the China year of t: policies and caps are yearly.
func yearOf(t time.Time) int { return t.In(clock.China).Year() }

// tierOf is the partner's tier: its development path and stage, else its
// programme; "" when it has neither.
func tierOf(ctx context.Context, g *gorm.DB, p *access.Principal) (string, error) {
	en, err := paths.LiveOf(ctx, g, p.PartnerID)
	if err != nil {
		return "", err
	}
	if en != nil {
		return en.Path + ":" + en.Stage, nil
	}
	for _, id := range []string{access.IdentitySolutionProvider, access.IdentityMasterDistributor} {
		if slices.Contains(p.Identities, id) {
			return id, nil
		}
	}
	return "", nil
}

// entityOf is the partner entity's key (its credit code).
func entityOf(ctx context.Context, g *gorm.DB, partnerID int64) (string, error) {
	pt, err := (partner.Store{DB: g}).Get(ctx, partnerID)
	if err != nil {
		return "", err
	}
	return pt.EntityKey(), nil
}

// Standing is what a benefit form shows (§10.2.3): the tier, the year's
// cap, 申请次数 and 累计已发放金额 of the entity, and what is still free.
type Standing struct {
	Type      string
	Year      int
	Tier      string
	Policy    *Policy
	Count     int64
	Issued    decimal.Decimal
	Committed decimal.Decimal // pending, approved and issued
	Remaining decimal.Decimal
	Entity    string
	Solutions []paths.Solution
}

// ErrNoPolicy refuses a benefit the partner's tier has no policy for.
const ErrNoPolicy = "benefit.err.no_policy"

// standings computes the entity's positions for the types of a year: the
// tier and solutions read once, the policies and the entity's
// applications in one query each.
func (s Service) standings(ctx context.Context, g *gorm.DB, p *access.Principal, entity string, year int, types []string) (map[string]*Standing, error) {
	if _, err := p.Tenant(); err != nil {
		return nil, err
	}
	tier, err := tierOf(ctx, g, p)
	if err != nil {
		return nil, err
	}
	sols, err := paths.SolutionsOf(ctx, g, p.PartnerID)
	if err != nil {
		return nil, err
	}
	out := map[string]*Standing{}
	for _, t := range types {
		out[t] = &Standing{Type: t, Year: year, Tier: tier, Entity: entity, Solutions: sols}
	}
	var pols []Policy
	if err := g.WithContext(ctx).Where("year = ? AND tier = ? AND type IN ?", year, tier, types).Find(&pols).Error; err != nil {
		return nil, err
	}
	for i := range pols {
		if st := out[pols[i].Type]; st != nil {
			st.Policy = &pols[i]
		}
	}
	var aggs []struct {
		Type      string
		Count     int64
		Issued    decimal.Decimal
		Committed decimal.Decimal
	}
	if err := g.WithContext(ctx).Model(&Application{}).Where("entity_key = ? AND year = ? AND type IN ?", entity, year, types).Group("type").
		Select(`type, count(*) AS count, coalesce(sum(amount) FILTER (WHERE status = ?), 0) AS issued,
			coalesce(sum(amount) FILTER (WHERE status IN ?), 0) AS committed`, StateIssued, counting).Scan(&aggs).Error; err != nil {
		return nil, err
	}
	for _, a := range aggs {
		if st := out[a.Type]; st != nil {
			st.Count, st.Issued, st.Committed = a.Count, a.Issued, a.Committed
		}
	}
	for _, st := range out {
		if st.Policy != nil {
			st.Remaining = decimal.Max(st.Policy.CapAmount.Sub(st.Committed), decimal.Zero)
		}
	}
	return out, nil
}

// Standings are the actor's positions for every benefit type at once
// (权益申请).
func (s Service) Standings(ctx context.Context, p *access.Principal) (_ map[string]*Standing, err error) {
	defer apperr.Wrap(&err, "benefit.Standings")
	return s.standingsNow(ctx, p, Types)
}

// Standing is the actor's position for a benefit type.
func (s Service) Standing(ctx context.Context, p *access.Principal, typ string) (_ *Standing, err error) {
	defer apperr.Wrap(&err, "benefit.Standing(%s)", typ)
	if !slices.Contains(Types, typ) {
		return nil, apperr.NotFound()
	}
	out, err := s.standingsNow(ctx, p, []string{typ})
	if err != nil {
		return nil, err
	}
	return out[typ], nil
}

// standingsNow are the standings of the actor's entity this year.
func (s Service) standingsNow(ctx context.Context, p *access.Principal, types []string) (map[string]*Standing, error) {
	if _, err := p.Tenant(); err != nil {
		return nil, err
	}
	entity, err := entityOf(ctx, s.DB, p.PartnerID)
	if err != nil {
		return nil, err
	}
	return s.standings(ctx, s.DB, p, entity, yearOf(s.now()), types)
}

// voucherNo numbers a voucher: TV-<application>-<yymmdd>.
func voucherNo(appID int64, at time.Time) string {
	return fmt.Sprintf("TV%s%06d", at.In(clock.China).Format("060102"), appID)
}

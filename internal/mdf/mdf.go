package mdf

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/access"
	"partnercenter/internal/bizinfo"
	"partnercenter/internal/partner"
	"partnercenter/internal/paths"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/program"
)

// ActivityTypes are the activity types of §10.5.9 (the seed's table has
// twelve rows while N51 says eleven: all twelve are kept).
var ActivityTypes = []string{"cxo_visit", "customer_seminar", "partner_cxo_visit", "partner_enablement", "partner_recruitment",
	"advertising", "joint_marketing", "digital_marketing", "collateral", "exhibition", "showroom", "success_case"}

// Tiers a cap may name (§10.5.3).
var Tiers = []string{"master_distributor:1", "master_distributor:2", "master_distributor:3", "solution_provider:leading",
	"solution_provider:core", "software:role_certified", "software:differentiated", "service:role_certified",
	"service:differentiated", "si:role_certified", "si:differentiated", "learning:differentiated"}

// Refusals.
const (
	ErrNotEligible = "mdf.err.not_eligible"
	ErrBizinfo     = "mdf.err.bizinfo" // 前往商业信息认证
	ErrViolation   = "mdf.err.violation"
	ErrOverQuota   = "mdf.err.over_quota"
)

// Quota is a row of mdf_quotas.
type Quota struct {
	ID        int64
	EntityKey string
	Year      int
	Occupied  decimal.Decimal
	Used      decimal.Decimal
	UpdatedAt time.Time
}

// TableName maps Quota to mdf_quotas.
func (Quota) TableName() string { return "mdf_quotas" }

// Cap is a row of mdf_caps.
type Cap struct {
	Year      int
	Tier      string
	CapAmount decimal.Decimal
	UpdatedBy *int64
	UpdatedAt time.Time
}

// TableName maps Cap to mdf_caps.
func (Cap) TableName() string { return "mdf_caps" }

// Service is MDF. Every method takes the acting principal first.
type Service struct {
	DB    *gorm.DB
	Clock clock.Clock
}

func (s Service) now() time.Time { return s.Clock.Now().UTC() }

// yearOf is the China year of t: quotas are yearly.
func yearOf(t time.Time) int { return t.In(clock.China).Year() }

// regions of class 1 and 2 (§10.5.3, N43) with their main cities, to read
// a partner's address; the rest is class 3.
var regionClasses = map[int][]string{
	1: {"北京", "上海", "广东", "深圳", "广州", "珠海", "佛山", "东莞", "中山", "惠州", "汕头", "江门", "湛江", "肇庆"},
	2: {"江苏", "南京", "苏州", "无锡", "常州", "南通", "徐州", "浙江", "杭州", "宁波", "温州", "绍兴", "嘉兴", "金华", "湖北", "武汉",
		"宜昌", "襄阳", "四川", "成都", "绵阳", "山东", "济南", "青岛", "烟台", "潍坊", "陕西", "西安", "福建", "福州", "厦门", "泉州",
		"湖南", "长沙", "株洲", "河南", "郑州", "洛阳", "重庆"},
}

// RegionClass is the region class of an address: the province or city
// it starts with (after "中国") is of class 1 or 2, anything else 3.
func RegionClass(address string) int {
	a := strings.TrimPrefix(strings.TrimSpace(address), "中国")
	for _, class := range []int{1, 2} {
		for _, n := range regionClasses[class] {
			if strings.HasPrefix(a, n) {
				return class
			}
		}
	}
	return 3
}

// Standing is what 额度 shows: eligibility, the tier and its cap, and the
// quota's occupied, used and remaining amounts.
type Standing struct {
	Year      int
	Entity    string
	Tier      string
	Region    int // a master distributor's region class, else 0
	Cap       decimal.Decimal
	Occupied  decimal.Decimal
	Used      decimal.Decimal
	Remaining decimal.Decimal
	// Refusal is why the partner cannot apply ("" when it can):
	// ErrBizinfo, ErrViolation or ErrNotEligible.
	Refusal   string
	Violation string // the vendor's reason, with ErrViolation
	QuotaID   int64
}

// tierOf is the partner's MDF tier ("" when it has none).
func tierOf(ctx context.Context, g *gorm.DB, p *access.Principal, pt *partner.Partner) (string, int, error) {
	var tiers []string
	region := 0
	if slices.Contains(p.Identities, access.IdentityMasterDistributor) {
		// The membership's region class when the vendor recorded one,
		// else the class of the address.
		region = RegionClass(pt.Address)
		m, err := program.Active(ctx, g, pt.ID, program.MasterDistributor)
		if err != nil {
			return "", 0, err
		}
		if m != nil && m.RegionClass != nil && *m.RegionClass >= 1 && *m.RegionClass <= 3 {
			region = *m.RegionClass
		}
		tiers = append(tiers, "master_distributor:"+string(rune('0'+region)))
	}
	if slices.Contains(p.Identities, access.IdentitySolutionProvider) {
		m, err := program.Active(ctx, g, pt.ID, program.SolutionProvider)
		if err != nil {
			return "", 0, err
		}
		if m != nil && m.Level != "" {
			tiers = append(tiers, "solution_provider:"+m.Level)
		}
	}
	en, err := paths.LiveOf(ctx, g, pt.ID)
	if err != nil {
		return "", 0, err
	}
	if en != nil {
		tiers = append(tiers, en.Path+":"+en.Stage)
	}
	// The first tier the vendor has a cap for wins; the caller reads the
	// caps of all.
	return strings.Join(tiers, ","), region, nil
}

// standing computes the actor's MDF position with g; lock takes the
// quota row FOR UPDATE (creating it first when needed).
func (s Service) standing(ctx context.Context, g *gorm.DB, p *access.Principal, lock bool) (*Standing, error) {
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	pt, err := (partner.Store{DB: g}).Get(ctx, pid)
	if err != nil {
		return nil, err
	}
	st := &Standing{Year: yearOf(s.now()), Entity: pt.EntityKey()}
	tiers, region, err := tierOf(ctx, g, p, pt)
	if err != nil {
		return nil, err
	}
	st.Region = region
	if tiers != "" {
		var caps []Cap
		if err := g.WithContext(ctx).Where("year = ? AND tier IN ?", st.Year, strings.Split(tiers, ",")).Find(&caps).Error; err != nil {
			return nil, err
		}
		for _, c := range caps {
			if c.CapAmount.GreaterThan(st.Cap) || st.Tier == "" {
				st.Tier, st.Cap = c.Tier, c.CapAmount
			}
		}
	}
	q, err := quotaOf(ctx, g, st.Entity, st.Year, lock, s.now())
	if err != nil {
		return nil, err
	}
	st.QuotaID, st.Occupied, st.Used = q.ID, q.Occupied, q.Used
	st.Remaining = decimal.Max(st.Cap.Sub(st.Occupied).Sub(st.Used), decimal.Zero)
	ok, _, err := bizinfo.Certified(ctx, g, pid)
	if err != nil {
		return nil, err
	}
	var vs []Violation
	if err := g.WithContext(ctx).Where("entity_key = ? AND year = ?", st.Entity, st.Year).Limit(1).Find(&vs).Error; err != nil {
		return nil, err
	}
	switch {
	case len(vs) == 1:
		st.Refusal, st.Violation = ErrViolation, vs[0].Reason
	case st.Tier == "" || !st.Cap.IsPositive():
		st.Refusal = ErrNotEligible
	case !ok:
		st.Refusal = ErrBizinfo
	}
	return st, nil
}

// quotaOf reads an entity's quota of a year; lock creates it when
// missing and takes its row FOR UPDATE (a read alone sees an empty quota
// where none was created yet).
func quotaOf(ctx context.Context, g *gorm.DB, entity string, year int, lock bool, now time.Time) (*Quota, error) {
	q := g.WithContext(ctx)
	if lock {
		if err := g.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).
			Create(&Quota{EntityKey: entity, Year: year, UpdatedAt: now}).Error; err != nil {
			return nil, err
		}
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var out []Quota
	if err := q.Where("entity_key = ? AND year = ?", entity, year).Limit(1).Find(&out).Error; err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return &Quota{EntityKey: entity, Year: year}, nil
	}
	return &out[0], nil
}

// Standing is the actor's MDF position (额度).
func (s Service) Standing(ctx context.Context, p *access.Principal) (_ *Standing, err error) {
	defer apperr.Wrap(&err, "mdf.Standing")
	return s.standing(ctx, s.DB, p, false)
}

// Violation is a row of mdf_violations.
type Violation struct {
	EntityKey string
	Year      int
	Reason    string
	FlaggedBy *int64
	FlaggedAt time.Time
}

// TableName maps Violation to mdf_violations.
func (Violation) TableName() string { return "mdf_violations" }

// Event is one event of a series (§10.5.5).
type Event struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

// Usage is a row of mdf_usages.
type Usage struct {
	ID            int64
	No            string
	PartnerID     int64
	QuotaID       int64
	Status        string
	ActivityType  string
	Name          string
	Audience      string
	Department    string
	Location      string
	Format        string
	Solutions     string
	Budget        decimal.Decimal
	Events        json.RawMessage `gorm:"type:jsonb"`
	FirstDay      time.Time
	LastDay       time.Time
	LateReason    string
	OverReason    string
	ApplicationID *int64
	CreatedBy     *int64
	CreatedAt     time.Time
	DecidedAt     *time.Time
	UpdatedAt     time.Time
}

// TableName maps Usage to mdf_usages.
func (Usage) TableName() string { return "mdf_usages" }

// EventList decodes the events.
func (u *Usage) EventList() []Event {
	var out []Event
	_ = json.Unmarshal(u.Events, &out)
	return out
}

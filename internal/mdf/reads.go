package mdf

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"gorm.io/gorm/clause"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
	"partnercenter/internal/platform/money"

	"gorm.io/gorm"
)

// PerPage is a page of an MDF list.
const PerPage = 20

// Filter narrows a list: a state, a name or number, a page.
type Filter struct {
	Status string
	Q      string
	Page   int
}

func (f *Filter) normalize(states []string) {
	f.Q = strings.TrimSpace(f.Q)
	if !slices.Contains(states, f.Status) {
		f.Status = ""
	}
	if f.Page <= 0 {
		f.Page = 1
	}
}

// UsageRow is a line of 使用申请 with its claim's state.
type UsageRow struct {
	Usage
	ClaimID     *int64
	ClaimStatus *string
}

// Usages is a page of the tenant's usage applications, newest first.
func (s Service) Usages(ctx context.Context, p *access.Principal, f Filter) (_ []UsageRow, total int64, err error) {
	defer apperr.Wrap(&err, "mdf.Usages")
	pid, err := p.Tenant()
	if err != nil {
		return nil, 0, err
	}
	f.normalize(UsageStates)
	q := s.DB.WithContext(ctx).Table("mdf_usages u").Joins("LEFT JOIN mdf_claims c ON c.usage_id = u.id").Where("u.partner_id = ?", pid)
	if f.Status != "" {
		q = q.Where("u.status = ?", f.Status)
	}
	if f.Q != "" {
		q = q.Where("(u.name ILIKE ? OR u.no ILIKE ?)", db.Contains(f.Q), db.Contains(f.Q))
	}
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var out []UsageRow
	err = q.Select("u.*, c.id AS claim_id, c.status AS claim_status").Order("u.created_at DESC, u.id DESC").
		Limit(PerPage).Offset((f.Page - 1) * PerPage).Scan(&out).Error
	return out, total, err
}

// UsageDetail is a usage application with its claim.
type UsageDetail struct {
	Usage Usage
	Claim *Claim
}

// UsageOf reads one of the tenant's usage applications (another's is
// 404) with its claim.
func (s Service) UsageOf(ctx context.Context, p *access.Principal, id int64) (_ *UsageDetail, err error) {
	defer apperr.Wrap(&err, "mdf.UsageOf(%d)", id)
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	d := &UsageDetail{}
	if err := s.DB.WithContext(ctx).Where("id = ? AND partner_id = ?", id, pid).Take(&d.Usage).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, apperr.NotFound()
		}
		return nil, err
	}
	var cs []Claim
	if err := s.DB.WithContext(ctx).Where("usage_id = ?", id).Limit(1).Find(&cs).Error; err != nil {
		return nil, err
	}
	if len(cs) == 1 {
		d.Claim = &cs[0]
	}
	return d, nil
}

// ClaimRow is a line of 兑现申报.
type ClaimRow struct {
	Claim
	UsageNo     string
	UsageName   string
	Budget      decimal.Decimal
	PartnerName string
}

// Claims is a page of the tenant's claims, newest first.
func (s Service) Claims(ctx context.Context, p *access.Principal, f Filter) (_ []ClaimRow, total int64, err error) {
	defer apperr.Wrap(&err, "mdf.Claims")
	pid, err := p.Tenant()
	if err != nil {
		return nil, 0, err
	}
	return s.claims(ctx, f, "c.partner_id = ?", pid)
}

func (s Service) claims(ctx context.Context, f Filter, where string, args ...any) ([]ClaimRow, int64, error) {
	f.normalize(ClaimStates)
	q := s.DB.WithContext(ctx).Table("mdf_claims c").Joins("JOIN mdf_usages u ON u.id = c.usage_id").
		Joins("JOIN partners pt ON pt.id = c.partner_id").Where(where, args...)
	if f.Status != "" {
		q = q.Where("c.status = ?", f.Status)
	}
	if f.Q != "" {
		q = q.Where("(u.name ILIKE ? OR u.no ILIKE ? OR pt.name ILIKE ?)", db.Contains(f.Q), db.Contains(f.Q), db.Contains(f.Q))
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var out []ClaimRow
	err := q.Select("c.*, u.no AS usage_no, u.name AS usage_name, u.budget AS budget, pt.name AS partner_name").
		Order("c.updated_at DESC, c.id DESC").Limit(PerPage).Offset((f.Page - 1) * PerPage).Scan(&out).Error
	return out, total, err
}

// FinanceQueue is vendor finance's page of claims (default: invoiced, to
// pay).
func (s Service) FinanceQueue(ctx context.Context, p *access.Principal, f Filter) (_ []ClaimRow, total int64, err error) {
	defer apperr.Wrap(&err, "mdf.FinanceQueue")
	if _, err := p.Staff(); err != nil {
		return nil, 0, err
	}
	return s.claims(ctx, f, "c.status IN ?", ClaimBilled)
}

// Caps lists a year's caps for the vendor administrator.
func (s Service) Caps(ctx context.Context, p *access.Principal, year int) (_ []Cap, err error) {
	defer apperr.Wrap(&err, "mdf.Caps")
	if _, err := p.VendorAdmin(); err != nil {
		return nil, err
	}
	var out []Cap
	err = s.DB.WithContext(ctx).Where("year = ?", year).Order("tier").Find(&out).Error
	return out, err
}

// SaveCap sets a tier's cap for a year (vendor administrator).
func (s Service) SaveCap(ctx context.Context, p *access.Principal, year int, tier, amount string) (err error) {
	defer apperr.Wrap(&err, "mdf.SaveCap")
	uid, err := p.VendorAdmin()
	if err != nil {
		return err
	}
	f := apperr.Fields{}
	if year < 2020 || year > 2100 {
		f.Add("year", "mdf.err.year")
	}
	if !slices.Contains(Tiers, tier) {
		f.Add("tier", "mdf.err.tier")
	}
	cap, cerr := money.Parse(amount, money.Amount)
	if cerr != nil {
		f.Add("cap", money.Key(cerr))
	}
	if err := f.Err(); err != nil {
		return err
	}
	now := s.now()
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		c := Cap{Year: year, Tier: tier, CapAmount: cap, UpdatedBy: &uid, UpdatedAt: now}
		if err := tx.WithContext(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "year"}, {Name: "tier"}},
			DoUpdates: clause.AssignmentColumns([]string{"cap_amount", "updated_by", "updated_at"})}).Create(&c).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, Action: "mdf.cap", ObjectType: "mdf_cap", ObjectKey: tier,
			After: map[string]any{"year": year, "tier": tier, "cap": cap}})
	})
}

// Flag records a violation of a partner's entity for the year: it loses
// its MDF eligibility (§10.5.13, §10.5.19, N55). The ecosystem manager
// responsible for the partner or the vendor administrator flags.
func (s Service) Flag(ctx context.Context, p *access.Principal, partnerID int64, reason string) (err error) {
	defer apperr.Wrap(&err, "mdf.Flag(%d)", partnerID)
	uid, err := p.Staff()
	if err != nil {
		return err
	}
	f := apperr.Fields{}
	if partnerID == 0 {
		f.Add("partner_id", "mdf.err.partner")
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 500 {
		f.Add("reason", "mdf.err.reason")
	}
	if err := f.Err(); err != nil {
		return err
	}
	now := s.now()
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		pt, err := (partner.Directory{DB: tx}).Get(ctx, p, partnerID)
		if err != nil {
			return err
		}
		v := Violation{EntityKey: pt.EntityKey(), Year: yearOf(now), Reason: reason, FlaggedBy: &uid, FlaggedAt: now}
		if err := tx.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&v).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: partnerID, Action: "mdf.violation", ObjectType: "mdf_violation",
			ObjectKey: v.EntityKey, After: map[string]any{"year": v.Year, "reason": reason}})
	})
}

// Violations lists a year's flags for vendor staff.
func (s Service) Violations(ctx context.Context, p *access.Principal, year int) (_ []Violation, err error) {
	defer apperr.Wrap(&err, "mdf.Violations")
	if _, err := p.Staff(); err != nil {
		return nil, err
	}
	var out []Violation
	err = s.DB.WithContext(ctx).Where("year = ?", year).Order("flagged_at DESC").Limit(200).Find(&out).Error
	return out, err
}

// ClaimUsage is the usage application of one of the tenant's claims
// (another tenant's is 404), to come back to its page.
func (s Service) ClaimUsage(ctx context.Context, p *access.Principal, claimID int64) (_ int64, err error) {
	defer apperr.Wrap(&err, "mdf.ClaimUsage(%d)", claimID)
	pid, err := p.Tenant()
	if err != nil {
		return 0, err
	}
	var ids []int64
	if err := s.DB.WithContext(ctx).Model(&Claim{}).Where("id = ? AND partner_id = ?", claimID, pid).Pluck("usage_id", &ids).Error; err != nil {
		return 0, err
	}
	if len(ids) == 0 {
		return 0, apperr.NotFound()
	}
	return ids[0], nil
}

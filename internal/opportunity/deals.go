package opportunity

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/customer"
	"partnercenter/internal/identity"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
	"partnercenter/internal/platform/money"
)

// 商机 (seed 002 L17–18; build-plan 5.D): a partner's business
// opportunities on its sub-customers and its cloud resellers', with
// progress entries. A customer manager sees and records only its own (on
// customers it manages); its supervisor sees its managers' and records
// none.

// Deal kinds (商机类型), confidences (把握度, %) and stages (商机阶段).
var (
	DealKinds       = []string{"new", "expansion", "migration", "renewal"}
	DealConfidences = []int{10, 30, 50, 70, 90}
	DealStages      = []string{"lead", "qualified", "proposal", "negotiation", "won", "lost"}
)

// ErrSupervisorCannotCreate is the seed's sentence for a supervisor.
const ErrSupervisorCannotCreate = "deal.err.supervisor"

// Deal is a row of deals.
type Deal struct {
	ID                int64
	PartnerID         int64
	CustomerID        int64
	CustomerPartnerID int64
	Title             string
	Industry          string
	Kind              string
	Confidence        int
	Stage             string
	MonthlyRevenue    decimal.Decimal
	Description       string
	OwnerUserID       int64
	CreatedBy         *int64
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// TableName maps Deal to deals.
func (Deal) TableName() string { return "deals" }

// Progress is a row of deal_progress (新增商机进展).
type Progress struct {
	ID        int64
	DealID    int64
	Note      string
	Stage     string
	CreatedBy *int64
	CreatedAt time.Time
}

// TableName maps Progress to deal_progress.
func (Progress) TableName() string { return "deal_progress" }

// DealInput is the 商机 form.
type DealInput struct {
	CustomerID                                                            int64
	Title, Industry, Kind, Confidence, Stage, MonthlyRevenue, Description string
}

func (in DealInput) parse() (Deal, error) {
	f := apperr.Fields{}
	d := Deal{CustomerID: in.CustomerID, Title: text(f, "title", in.Title, 100, true), Industry: strings.TrimSpace(in.Industry),
		Kind: in.Kind, Stage: in.Stage, Description: text(f, "description", in.Description, 1000, false)}
	if in.CustomerID == 0 {
		f.Add("customer_id", "deal.err.customer")
	}
	if !slices.Contains(Industries, d.Industry) {
		f.Add("industry", "opportunity.err.industry")
	}
	if !slices.Contains(DealKinds, d.Kind) {
		f.Add("kind", "deal.err.kind")
	}
	if !slices.Contains(DealStages, d.Stage) {
		f.Add("stage", "deal.err.stage")
	}
	c, err := strconv.Atoi(in.Confidence)
	if err != nil || !slices.Contains(DealConfidences, c) {
		f.Add("confidence", "deal.err.confidence")
	}
	d.Confidence = c
	rev, err := money.Parse(in.MonthlyRevenue, money.Amount)
	if err != nil {
		f.Add("monthly_revenue", money.Key(err))
	}
	d.MonthlyRevenue = rev
	return d, f.Err()
}

// dealScope narrows deals to what the actor sees: its tenant's, and for a
// customer manager those it (or a manager it supervises) owns.
func dealScope(q *gorm.DB, p *access.Principal) (*gorm.DB, error) {
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	q = q.Where("d.partner_id = ?", pid)
	if cond, args := p.ManagerCondition("d.owner_user_id"); cond != "" {
		q = q.Where(cond, args...)
	}
	return q, nil
}

// DealRow is a list row with the customer's and the owner's names.
type DealRow struct {
	Deal
	CustomerName string
	PartnerName  string // the customer's partner (a reseller's, or the tenant)
	OwnerName    string
}

// DealFilter narrows 商机: a stage, a keyword (title or customer), a page.
type DealFilter struct {
	Stage, Q  string
	Page, Per int
}

// Deals is one page of the 商机 the actor sees, most recently updated first.
func (s Service) Deals(ctx context.Context, p *access.Principal, f DealFilter) (_ []DealRow, total int64, err error) {
	defer apperr.Wrap(&err, "opportunity.Deals")
	q, err := dealScope(s.DB.WithContext(ctx).Table("deals d").Joins("JOIN customers c ON c.id = d.customer_id").
		Joins("JOIN partners pt ON pt.id = d.customer_partner_id").Joins("JOIN users u ON u.id = d.owner_user_id"), p)
	if err != nil {
		return nil, 0, err
	}
	if slices.Contains(DealStages, f.Stage) {
		q = q.Where("d.stage = ?", f.Stage)
	}
	if kw := strings.TrimSpace(f.Q); kw != "" {
		like := db.Contains(kw)
		q = q.Where("(d.title ILIKE ? OR c.name ILIKE ?)", like, like)
	}
	if f.Page <= 0 {
		f.Page = 1
	}
	if f.Per <= 0 || f.Per > 100 {
		f.Per = PerPage
	}
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var out []DealRow
	err = q.Select("d.*, c.name AS customer_name, pt.name AS partner_name, coalesce(nullif(u.display_name, ''), u.login_name) AS owner_name").
		Order("d.updated_at DESC, d.id DESC").Limit(f.Per).Offset((f.Page - 1) * f.Per).Scan(&out).Error
	return out, total, err
}

// DealDetail is a 商机 with its progress, newest first.
type DealDetail struct {
	DealRow
	Progress []Progress
}

// Deal reads one 商机 the actor sees (else 404).
func (s Service) Deal(ctx context.Context, p *access.Principal, id int64) (_ *DealDetail, err error) {
	defer apperr.Wrap(&err, "opportunity.Deal(%d)", id)
	rows, _, err := s.dealRows(ctx, p, id)
	if err != nil {
		return nil, err
	}
	d := &DealDetail{DealRow: rows}
	err = s.DB.WithContext(ctx).Where("deal_id = ?", id).Order("created_at DESC, id DESC").Find(&d.Progress).Error
	return d, err
}

func (s Service) dealRows(ctx context.Context, p *access.Principal, id int64) (DealRow, bool, error) {
	q, err := dealScope(s.DB.WithContext(ctx).Table("deals d").Joins("JOIN customers c ON c.id = d.customer_id").
		Joins("JOIN partners pt ON pt.id = d.customer_partner_id").Joins("JOIN users u ON u.id = d.owner_user_id"), p)
	if err != nil {
		return DealRow{}, false, err
	}
	var out []DealRow
	if err := q.Where("d.id = ?", id).Select("d.*, c.name AS customer_name, pt.name AS partner_name, " +
		"coalesce(nullif(u.display_name, ''), u.login_name) AS owner_name").Limit(1).Scan(&out).Error; err != nil {
		return DealRow{}, false, err
	}
	if len(out) == 0 {
		return DealRow{}, false, apperr.NotFound()
	}
	return out[0], true, nil
}

// resellersOf is the tenant's cloud resellers (a master distributor's).
func resellersOf(ctx context.Context, g *gorm.DB, p *access.Principal) ([]int64, error) {
	if !p.HasIdentity(access.IdentityMasterDistributor) {
		return nil, nil
	}
	return (partner.Store{DB: g}).ResellerIDs(ctx, p.PartnerID)
}

// DealCustomers is the customers the actor may pick on the form.
func (s Service) DealCustomers(ctx context.Context, p *access.Principal, q string) (_ []customer.DealCustomer, err error) {
	defer apperr.Wrap(&err, "opportunity.DealCustomers")
	rs, err := resellersOf(ctx, s.DB, p)
	if err != nil {
		return nil, err
	}
	return customer.DealCustomers(ctx, s.DB, p, rs, q, 200)
}

// mayRecord refuses a supervisor of customer managers (its sentence).
func (s Service) mayRecord(ctx context.Context, p *access.Principal) error {
	if !p.Scoped() {
		return nil
	}
	sup, err := (identity.Users{DB: s.DB}).Supervises(ctx, p.UserID)
	if err != nil {
		return err
	}
	if sup {
		return apperr.Conflict(ErrSupervisorCannotCreate)
	}
	return nil
}

// CreateDeal records a 商机 on a customer the actor may pick; the owner is
// the actor (a customer manager's own).
func (s Service) CreateDeal(ctx context.Context, p *access.Principal, in DealInput) (_ *Deal, err error) {
	defer apperr.Wrap(&err, "opportunity.CreateDeal")
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	if err := s.mayRecord(ctx, p); err != nil {
		return nil, err
	}
	d, err := in.parse()
	if err != nil {
		return nil, err
	}
	rs, err := resellersOf(ctx, s.DB, p)
	if err != nil {
		return nil, err
	}
	c, err := customer.DealCustomerOf(ctx, s.DB, p, rs, in.CustomerID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	d.PartnerID, d.CustomerPartnerID, d.OwnerUserID, d.CreatedBy, d.CreatedAt, d.UpdatedAt = pid, c.PartnerID, p.UserID, &p.UserID, now, now
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		if err := tx.WithContext(ctx).Create(&d).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pid, Action: "deal.create", ObjectType: "deal", ObjectID: d.ID,
			After: map[string]any{"title": d.Title, "customer_name": c.Name, "stage": d.Stage, "monthly_revenue": d.MonthlyRevenue}})
	})
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// lockDeal locks a 商机 the actor may change: one it sees, and for a
// customer manager one it owns.
func (s Service) lockDeal(ctx context.Context, tx *gorm.DB, p *access.Principal, id int64) (*Deal, error) {
	if err := s.mayRecord(ctx, p); err != nil {
		return nil, err
	}
	q, err := dealScope(tx.WithContext(ctx).Table("deals d"), p)
	if err != nil {
		return nil, err
	}
	if p.Scoped() {
		q = q.Where("d.owner_user_id = ?", p.UserID)
	}
	var d Deal
	if err := q.Clauses(clause.Locking{Strength: "UPDATE"}).Where("d.id = ?", id).Select("d.*").Take(&d).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, apperr.NotFound()
		}
		return nil, err
	}
	return &d, nil
}

// UpdateDeal changes a 商机's fields (its customer stays).
func (s Service) UpdateDeal(ctx context.Context, p *access.Principal, id int64, in DealInput) (err error) {
	defer apperr.Wrap(&err, "opportunity.UpdateDeal(%d)", id)
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		d, err := s.lockDeal(ctx, tx, p, id)
		if err != nil {
			return err
		}
		in.CustomerID = d.CustomerID
		n, err := in.parse()
		if err != nil {
			return err
		}
		now := s.now()
		if err := tx.WithContext(ctx).Model(&Deal{}).Where("id = ?", id).Updates(map[string]any{"title": n.Title, "industry": n.Industry,
			"kind": n.Kind, "confidence": n.Confidence, "stage": n.Stage, "monthly_revenue": n.MonthlyRevenue, "description": n.Description,
			"updated_at": now}).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: d.PartnerID, Action: "deal.update", ObjectType: "deal", ObjectID: id,
			Before: map[string]any{"stage": d.Stage, "monthly_revenue": d.MonthlyRevenue}, After: map[string]any{"stage": n.Stage,
				"monthly_revenue": n.MonthlyRevenue}})
	})
}

// AddProgress is 新增商机进展: a note, and the stage it leaves the 商机 in.
func (s Service) AddProgress(ctx context.Context, p *access.Principal, id int64, note, stage string) (err error) {
	defer apperr.Wrap(&err, "opportunity.AddProgress(%d)", id)
	note = strings.TrimSpace(note)
	f := apperr.Fields{}
	switch n := utf8.RuneCountInString(note); {
	case n == 0:
		f.Add("note", "deal.err.note")
	case n > 1000:
		f.Add("note", "opportunity.err.too_long")
	}
	if !slices.Contains(DealStages, stage) {
		f.Add("progress_stage", "deal.err.stage")
	}
	if err := f.Err(); err != nil {
		return err
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		d, err := s.lockDeal(ctx, tx, p, id)
		if err != nil {
			return err
		}
		now := s.now()
		pr := Progress{DealID: id, Note: note, Stage: stage, CreatedBy: &p.UserID, CreatedAt: now}
		if err := tx.WithContext(ctx).Create(&pr).Error; err != nil {
			return err
		}
		if err := tx.WithContext(ctx).Model(&Deal{}).Where("id = ?", id).Updates(map[string]any{"stage": stage, "updated_at": now}).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: d.PartnerID, Action: "deal.progress", ObjectType: "deal", ObjectID: id,
			Before: map[string]any{"stage": d.Stage}, After: map[string]any{"stage": stage, "note": note}})
	})
}

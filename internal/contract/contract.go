package contract

import (
	"context"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/files"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
)

// Kinds.
const (
	KindOnline  = "online"
	KindOffline = "offline"
)

// Contract types. TypePaymentAgreement is the online 华为云付款协议; the
// others are offline contracts entered by vendor staff.
const (
	TypePaymentAgreement    = "payment_agreement"    // 华为云付款协议
	TypeResellerDevelopment = "reseller_development" // 华为云经销商发展合作协议
	TypePaymentRequest      = "payment_request"      // 请款合同 (§12.1.9.2)
	TypeFramework           = "framework"            // 框架协议
	TypeOther               = "other"
)

// OfflineTypes are the types vendor staff may enter.
var OfflineTypes = []string{TypeResellerDevelopment, TypePaymentRequest, TypeFramework, TypeOther}

// Signing entities (签约主体, §12.1.9.4).
const (
	EntitySoftware = "software" // 华为软件技术有限公司
	EntityCloud    = "cloud"    // 华为云计算技术有限公司
)

// Entities lists the signing entities in order.
var Entities = []string{EntitySoftware, EntityCloud}

// EntityName is the legal name of a signing entity, as printed in the
// agreement.
func EntityName(e string) string {
	if e == EntityCloud {
		return "华为云计算技术有限公司"
	}
	return "华为软件技术有限公司"
}

// States: Active and Terminated are stored, Expired is computed from the
// end date.
const (
	StateActive     = "active"     // 生效中
	StateExpired    = "expired"    // 已到期
	StateTerminated = "terminated" // 已终止
)

// States lists the states in display order.
var States = []string{StateActive, StateExpired, StateTerminated}

// PerPage is the page size of contract lists.
const PerPage = 20

// Contract is a row of contracts with the computed state and the partner's
// name (for the master distributor's reseller column and vendor lists).
type Contract struct {
	ID                int64
	PartnerID         int64
	Kind              string
	Code              string
	Name              string
	ContractType      string
	SigningEntity     string
	Amount            decimal.NullDecimal
	StartsOn          *time.Time
	EndsOn            *time.Time
	Status            string
	SignedAt          *time.Time
	SignedBy          *int64
	Terms             string
	FileID            *int64
	CreatedBy         *int64
	CreatedAt         time.Time
	TerminatedAt      *time.Time
	TerminatedBy      *int64
	TerminationReason string
	State             string `gorm:"->;-:migration"`
	PartnerName       string `gorm:"->;-:migration"`
	PartnerCode       string `gorm:"->;-:migration"`
	FileName          string `gorm:"->;-:migration"`
}

// TableName maps Contract to contracts.
func (Contract) TableName() string { return "contracts" }

// Service reads and changes contracts. Every method takes the acting
// principal first: a partner member for its tenant's contracts
// (access.Principal.Tenant), vendor staff for every partner's
// (access.Principal.Staff); anyone else is refused.
type Service struct {
	DB    *gorm.DB
	Clock clock.Clock
}

// today is the current date in China time, as the date columns count days.
func (s Service) today() string { return s.Clock.Now().In(clock.China).Format(time.DateOnly) }

// columns selects a contract with its computed state; ? is today.
const columns = `c.*, p.name AS partner_name, p.credit_code AS partner_code,
	COALESCE(f.name, '') AS file_name,
	CASE WHEN c.status = 'terminated' THEN 'terminated'
	     WHEN c.ends_on IS NOT NULL AND c.ends_on < ?::date THEN 'expired'
	     ELSE 'active' END AS state`

func (s Service) base(ctx context.Context) *gorm.DB { return baseOn(ctx, s.DB) }

func baseOn(ctx context.Context, g *gorm.DB) *gorm.DB {
	return g.WithContext(ctx).Table("contracts c").
		Joins("JOIN partners p ON p.id = c.partner_id").
		Joins("LEFT JOIN files f ON f.id = c.file_id AND f.partner_id = c.partner_id")
}

// Filter narrows a contract list.
type Filter struct {
	Kind    string // online | offline (partner tabs; vendor list: "" is both)
	Code    string // partner lists: exact contract code (精确查找, §12.3.11)
	Query   string // vendor list: code or partner name, contains
	State   string // active | expired | terminated
	Type    string
	Partner int64 // vendor list: one partner
	// Sort is one of SortFields ("": newest first); Desc reverses it.
	Sort string
	Desc bool
	Page int
	Per  int // 1–100; 0: PerPage
}

// SortFields are the sortable columns of the contract lists.
var SortFields = map[string]string{"created": "c.created_at", "ends": "c.ends_on"}

// List is one page of contracts.
type List struct {
	Rows  []Contract
	Total int64
	Page  int
	Per   int
}

func (s Service) filtered(q *gorm.DB, f Filter) *gorm.DB {
	if f.Kind == KindOnline || f.Kind == KindOffline {
		q = q.Where("c.kind = ?", f.Kind)
	}
	if code := strings.TrimSpace(f.Code); code != "" {
		q = q.Where("lower(c.code) = lower(?)", code)
	}
	if s := strings.TrimSpace(f.Query); s != "" {
		like := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(strings.ToLower(s)) + "%"
		q = q.Where("(lower(c.code) LIKE ? OR lower(p.name) LIKE ? OR p.credit_code = ?)", like, like, strings.ToUpper(s))
	}
	switch f.State {
	case StateTerminated:
		q = q.Where("c.status = 'terminated'")
	case StateExpired:
		q = q.Where("c.status = 'active' AND c.ends_on < ?::date", s.today())
	case StateActive:
		q = q.Where("c.status = 'active' AND (c.ends_on IS NULL OR c.ends_on >= ?::date)", s.today())
	}
	if f.Type != "" {
		q = q.Where("c.contract_type = ?", f.Type)
	}
	if f.Partner != 0 {
		q = q.Where("c.partner_id = ?", f.Partner)
	}
	return q
}

func (s Service) page(q *gorm.DB, f Filter) (*List, error) {
	if f.Page <= 0 {
		f.Page = 1
	}
	if f.Per <= 0 || f.Per > 100 {
		f.Per = PerPage
	}
	col, ok := SortFields[f.Sort]
	if !ok {
		col, f.Desc = SortFields["created"], true
	}
	dir := " ASC NULLS FIRST"
	if f.Desc {
		dir = " DESC NULLS LAST"
	}
	out := &List{Page: f.Page, Per: f.Per}
	if err := q.Session(&gorm.Session{}).Count(&out.Total).Error; err != nil {
		return nil, err
	}
	err := q.Select(columns, s.today()).Order(col + dir + ", c.id DESC").
		Limit(f.Per).Offset((f.Page - 1) * f.Per).Scan(&out.Rows).Error
	return out, err
}

// visible restricts to what a partner sees: its own contracts, and the
// offline contracts of the cloud resellers it is master distributor of
// (§12.3.11).
func visible(q *gorm.DB, partnerID int64) *gorm.DB {
	return q.Where(`(c.partner_id = ? OR (c.kind = 'offline' AND p.parent_partner_id = ?))`, partnerID, partnerID)
}

// ForPartner lists the contracts the member's tenant sees.
func (s Service) ForPartner(ctx context.Context, p *access.Principal, f Filter) (_ *List, err error) {
	defer apperr.Wrap(&err, "contract.ForPartner")
	partnerID, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	return s.page(s.filtered(visible(s.base(ctx), partnerID), f), f)
}

// Get returns a contract the member's tenant sees; any other answers not
// found.
func (s Service) Get(ctx context.Context, p *access.Principal, id int64) (_ *Contract, err error) {
	defer apperr.Wrap(&err, "contract.Get(%d)", id)
	partnerID, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	return s.take(visible(s.base(ctx), partnerID).Where("c.id = ?", id))
}

func (s Service) take(q *gorm.DB) (*Contract, error) {
	var c Contract
	err := q.Select(columns, s.today()).Take(&c).Error
	if db.IsNotFound(err) {
		return nil, apperr.NotFound()
	}
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// File returns the PDF of a contract the member's tenant sees (the
// generated agreement or the uploaded scan); none answers not found.
func (s Service) File(ctx context.Context, p *access.Principal, id int64) (_ *files.File, err error) {
	defer apperr.Wrap(&err, "contract.File(%d)", id)
	c, err := s.Get(ctx, p, id)
	if err != nil {
		return nil, err
	}
	return s.fileOf(ctx, c)
}

func (s Service) fileOf(ctx context.Context, c *Contract) (*files.File, error) {
	if c.FileID == nil {
		return nil, apperr.NotFound()
	}
	// The file belongs to the contract's partner (a reseller's scan for
	// its master distributor), read with that tenant's id.
	return files.Get(ctx, s.DB, c.PartnerID, *c.FileID)
}

// Vendor lists every partner's contracts for vendor staff.
func (s Service) Vendor(ctx context.Context, p *access.Principal, f Filter) (_ *List, err error) {
	defer apperr.Wrap(&err, "contract.Vendor")
	if _, err := p.Staff(); err != nil {
		return nil, err
	}
	return s.page(s.filtered(s.base(ctx), f), f)
}

// VendorGet returns any contract for vendor staff.
func (s Service) VendorGet(ctx context.Context, p *access.Principal, id int64) (_ *Contract, err error) {
	defer apperr.Wrap(&err, "contract.VendorGet(%d)", id)
	if _, err := p.Staff(); err != nil {
		return nil, err
	}
	return s.take(s.base(ctx).Where("c.id = ?", id))
}

// VendorFile returns any contract's PDF for vendor staff.
func (s Service) VendorFile(ctx context.Context, p *access.Principal, id int64) (_ *files.File, err error) {
	defer apperr.Wrap(&err, "contract.VendorFile(%d)", id)
	c, err := s.VendorGet(ctx, p, id)
	if err != nil {
		return nil, err
	}
	return s.fileOf(ctx, c)
}

// HasResellers reports whether the member's tenant is master distributor
// of any cloud reseller (its offline list then names the reseller of each
// row).
func (s Service) HasResellers(ctx context.Context, p *access.Principal) (_ bool, err error) {
	defer apperr.Wrap(&err, "contract.HasResellers")
	partnerID, err := p.Tenant()
	if err != nil {
		return false, err
	}
	return partner.Store{DB: s.DB}.HasResellers(ctx, partnerID)
}

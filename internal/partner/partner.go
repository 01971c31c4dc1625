package partner

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
)

// Statuses of a partner tenant through HCPN onboarding (seed 003 §3.4).
const (
	StatusRegistered    = "registered"     // signed up, onboarding form not yet submitted
	StatusPendingReview = "pending_review" // onboarding application with the ecosystem manager
	StatusActive        = "active"
	StatusRejected      = "rejected"
	StatusDisabled      = "disabled"
)

// Partner is a partner tenant (one partner account of a company).
type Partner struct {
	ID                  int64
	Name                string
	CreditCode          string
	Status              string
	Address             string
	PostalCode          string
	LegalRepresentative string
	RegisteredCapital   string
	EstablishedOn       *time.Time
	BusinessScope       string
	Introduction        string
	LogoFileID          *int64
	ContactName         string
	ContactPosition     string
	ContactMobile       string
	ContactEmail        string
	Site                string
	ParentPartnerID     *int64
	EcoManagerID        *int64
	JoinedHCPNAt        *time.Time `gorm:"column:joined_hcpn_at"`
	// SigningEntityChangedAt is when the partner's signing entity became
	// 华为云计算 (§12.1.9.4); nil: still 华为软件.
	SigningEntityChangedAt *time.Time
	// PCEWhitelisted is the vendor's PCE whitelist (seed 003 §11.1.1.7).
	PCEWhitelisted bool `gorm:"column:pce_whitelisted"`
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// EntityKey is the partner entity's key: its credit code, upper case. The
// accounts of one entity (the same credit code) share its benefit caps and
// MDF quota (§10.1).
func (p *Partner) EntityKey() string { return strings.ToUpper(p.CreditCode) }

// Identity is one program or path a partner has joined.
type Identity struct {
	PartnerID int64
	Identity  string
	JoinedAt  time.Time
}

// TableName maps Identity to partner_identities.
func (Identity) TableName() string { return "partner_identities" }

// Store reads partners.
type Store struct{ DB *gorm.DB }

// Get loads a partner by id.
func (s Store) Get(ctx context.Context, id int64) (_ *Partner, err error) {
	defer apperr.Wrap(&err, "partner.Get(%d)", id)
	var p Partner
	err = s.DB.WithContext(ctx).First(&p, id).Error
	if db.IsNotFound(err) {
		return nil, apperr.NotFound()
	}
	return &p, err
}

// Own loads the acting partner member's own tenant; anyone but a
// partner member is refused.
func (s Store) Own(ctx context.Context, actor *access.Principal) (_ *Partner, err error) {
	defer apperr.Wrap(&err, "partner.Own")
	pid, err := actor.Tenant()
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, pid)
}

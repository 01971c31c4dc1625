package identity

import (
	"context"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
)

// Kinds of user.
const (
	KindPartner  = "partner"
	KindVendor   = "vendor"
	KindCustomer = "customer" // a customer's cloud account, signing in to the customer console
	KindPersonal = "personal" // a personal Huawei account (个人华为账号) of a partner's employee
)

// Vendor roles.
const (
	VendorEcoManager = "eco_manager"
	VendorAdmin      = "vendor_admin"
)

// Statuses of a user.
const (
	StatusActive   = "active"
	StatusDisabled = "disabled"
)

// User is anyone who signs in: a partner main account (IsMain), an
// organization member of a partner, or vendor staff.
type User struct {
	ID           int64
	Kind         string
	PartnerID    *int64
	VendorRole   *string
	LoginName    string
	DisplayName  string
	Email        *string
	Mobile       *string
	PasswordHash string `json:"-"`
	IsMain       bool
	Status       string
	// OnboardingReviewer marks an ecosystem manager who reviews the
	// onboarding of companies without an ecosystem manager.
	OnboardingReviewer bool
	// SupervisorID is the member supervising this customer manager (R57).
	SupervisorID      *int64
	Locale            string
	Position          string
	LastLoginAt       *time.Time
	PasswordChangedAt time.Time
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// Name returns the display name, or the login name.
func (u *User) Name() string {
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return u.LoginName
}

// TenantID returns the partner id, or 0 for vendor staff.
func (u *User) TenantID() int64 {
	if u.PartnerID == nil {
		return 0
	}
	return *u.PartnerID
}

// IsVendor reports vendor staff.
func (u *User) IsVendor() bool { return u.Kind == KindVendor }

// IsCustomer reports a customer's console account.
func (u *User) IsCustomer() bool { return u.Kind == KindCustomer }

// IsPersonal reports a personal Huawei account.
func (u *User) IsPersonal() bool { return u.Kind == KindPersonal }

// VendorRoleName returns the vendor role or "".
func (u *User) VendorRoleName() string {
	if u.VendorRole == nil {
		return ""
	}
	return *u.VendorRole
}

// Str returns the value of an optional string.
func Str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// Ptr returns nil for "" and a pointer otherwise (for nullable unique columns).
func Ptr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// Users reads and updates users. Clock stamps the self-service changes
// (UpdateProfile, EndSession, EndOtherSessions); reads need none.
type Users struct {
	DB    *gorm.DB
	Clock clock.Clock
}

// ByID loads a user.
func (s Users) ByID(ctx context.Context, id int64) (_ *User, err error) {
	defer apperr.Wrap(&err, "identity.ByID(%d)", id)
	var u User
	err = s.DB.WithContext(ctx).First(&u, id).Error
	if db.IsNotFound(err) {
		return nil, apperr.NotFound()
	}
	return &u, err
}

// ByLogin loads a user by login name, case-insensitively.
func (s Users) ByLogin(ctx context.Context, login string) (_ *User, err error) {
	defer apperr.Wrap(&err, "identity.ByLogin")
	var u User
	err = s.DB.WithContext(ctx).Where("lower(login_name) = lower(?)", login).First(&u).Error
	if db.IsNotFound(err) {
		return nil, apperr.NotFound()
	}
	return &u, err
}

// SetLocale remembers the user's language.
func (s Users) SetLocale(ctx context.Context, id int64, lang string) (err error) {
	defer apperr.Wrap(&err, "identity.SetLocale(%d)", id)
	return s.DB.WithContext(ctx).Model(&User{}).Where("id = ?", id).
		Updates(map[string]any{"locale": lang, "updated_at": time.Now().UTC()}).Error
}

package onboarding

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"partnercenter/internal/audit"
	"partnercenter/internal/identity"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
	"partnercenter/internal/platform/reqctx"
)

// Service registers companies and takes their onboarding applications.
type Service struct {
	DB    *gorm.DB
	Clock clock.Clock
}

func (s Service) now() time.Time { return s.Clock.Now().UTC() }

// Registration is the public sign-up form.
type Registration struct {
	CompanyName string
	CreditCode  string
	Site        string
	LoginName   string
	DisplayName string
	Email       string
	Mobile      string
	Password    string
	Confirm     string
	Agree       bool
}

// Sites a company may register on; this Partner Center serves the China
// site (seed 003 §3.5).
var Sites = []string{"cn", "intl"}

func (r *Registration) normalize() {
	r.CompanyName = strings.TrimSpace(r.CompanyName)
	r.CreditCode = partner.NormalizeCreditCode(r.CreditCode)
	r.LoginName = strings.TrimSpace(r.LoginName)
	r.DisplayName = strings.TrimSpace(r.DisplayName)
	r.Email = strings.ToLower(strings.TrimSpace(r.Email))
	r.Mobile = strings.TrimSpace(r.Mobile)
	if r.Site == "" {
		r.Site = "cn"
	}
}

func (r Registration) validate() apperr.Fields {
	f := apperr.Fields{}
	switch n := utf8.RuneCountInString(r.CompanyName); {
	case n == 0:
		f.Add("company_name", "onboarding.err.company_name_required")
	case n > 200:
		f.Add("company_name", "onboarding.err.company_name_too_long")
	}
	switch {
	case r.CreditCode == "":
		f.Add("credit_code", "onboarding.err.credit_code_required")
	case !partner.ValidCreditCode(r.CreditCode):
		// seed 003 §3.1: 18-character USCC (or 9-character organization code)
		f.Add("credit_code", "onboarding.err.credit_code_invalid")
	}
	if r.Site != "cn" && r.Site != "intl" {
		f.Add("site", "onboarding.err.site_invalid")
	}
	if !identity.ValidLoginName(r.LoginName) {
		f.Add("login_name", "onboarding.err.login_name_invalid")
	}
	switch n := utf8.RuneCountInString(r.DisplayName); {
	case n == 0:
		f.Add("display_name", "onboarding.err.display_name_required")
	case n > 50:
		f.Add("display_name", "onboarding.err.display_name_too_long")
	}
	if !identity.ValidEmail(r.Email) {
		f.Add("email", "onboarding.err.email_invalid")
	}
	if !identity.ValidMobile(r.Mobile) {
		f.Add("mobile", "onboarding.err.mobile_invalid")
	}
	if k := identity.ValidatePassword(r.Password, r.LoginName); k != "" {
		f.Add("password", k)
	}
	if r.Confirm != r.Password {
		f.Add("password_confirm", "onboarding.err.password_mismatch")
	}
	if !r.Agree {
		f.Add("agree", "onboarding.err.agree_required")
	}
	return f
}

// Register creates a company in status registered and its main account in
// one transaction, and returns the new user (the caller signs it in).
func (s Service) Register(ctx context.Context, in Registration) (_ *identity.User, err error) {
	defer apperr.Wrap(&err, "onboarding.Register")
	in.normalize()
	f := in.validate()
	if err := f.Err(); err != nil {
		return nil, err
	}
	hash, err := identity.HashPassword(in.Password)
	if err != nil {
		return nil, err
	}
	var user *identity.User
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		// Friendly messages first; the unique indexes decide races.
		taken := apperr.Fields{}
		if err := identity.CheckAvailable(ctx, tx, identity.Claim{LoginName: in.LoginName, Email: in.Email, Mobile: in.Mobile}, taken); err != nil {
			return err
		}
		if err := taken.Err(); err != nil {
			return err
		}
		now := s.now()
		p := &partner.Partner{Name: in.CompanyName, CreditCode: in.CreditCode, Status: partner.StatusRegistered, Site: in.Site,
			CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(p).Error; err != nil {
			return err
		}
		pid := p.ID
		u := &identity.User{Kind: identity.KindPartner, PartnerID: &pid, LoginName: in.LoginName, DisplayName: in.DisplayName,
			Email: identity.Ptr(in.Email), Mobile: identity.Ptr(in.Mobile), PasswordHash: hash, IsMain: true,
			Status: identity.StatusActive, Locale: "zh-CN", PasswordChangedAt: now, CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(u).Error; err != nil {
			return identity.TakenError(err)
		}
		// The new account is the actor of its own registration.
		if m := reqctx.From(ctx); m.ActorID == 0 {
			m.ActorID, m.ActorName, m.PartnerID = u.ID, u.LoginName, pid
		}
		if err := audit.Record(ctx, tx, audit.Change{PartnerID: pid, Action: "partner.register", ObjectType: "partner", ObjectID: pid,
			After: map[string]any{"name": p.Name, "credit_code": p.CreditCode, "site": p.Site, "status": p.Status, "main_account": u.LoginName}}); err != nil {
			return err
		}
		user = u
		return nil
	})
	if err != nil {
		return nil, err
	}
	return user, nil
}

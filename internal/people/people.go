package people

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/identity"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
)

// Sites of a Huawei Cloud account (§7.2.4): accounts of each site are
// managed apart; the partner center is the China site's.
const (
	SiteChina = "cn"
	SiteIntl  = "intl"
	SiteEU    = "eu"
)

// Sites lists them.
var Sites = []string{SiteChina, SiteIntl, SiteEU}

// Real-name statuses of a personal account.
const (
	RealNameNone       = "none"
	RealNamePersonal   = "personal"
	RealNameEnterprise = "enterprise"
)

// RealNames lists them.
var RealNames = []string{RealNameNone, RealNamePersonal, RealNameEnterprise}

// Profile is a row of personal_profiles.
type Profile struct {
	UserID    int64 `gorm:"primaryKey"`
	Site      string
	RealName  string
	Uniportal string
	Company   string
	Position  string
	JoinedOn  *time.Time
	City      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TableName maps Profile to personal_profiles.
func (Profile) TableName() string { return "personal_profiles" }

// Person is a personal account with its profile.
type Person struct {
	identity.User
	Profile Profile
}

// Email is the bound e-mail, "" when none.
func (p Person) BoundEmail() string { return identity.Str(p.Email) }

// Service is the people side. Every method takes the acting principal
// first.
type Service struct {
	DB    *gorm.DB
	Clock clock.Clock
}

func (s Service) now() time.Time { return s.Clock.Now().UTC() }

// RegisterInput is the personal sign-up form (a simulation of Huawei ID).
type RegisterInput struct {
	LoginName, Password, Name string
	Site, RealName            string
	Email, Mobile             string
}

func runes(s string) int { return utf8.RuneCountInString(s) }

// Register creates a personal account: a user of kind personal (its login
// name is its tenant name) and its profile.
func (s Service) Register(ctx context.Context, in RegisterInput) (_ *Person, err error) {
	defer apperr.Wrap(&err, "people.Register")
	in.LoginName, in.Name = strings.TrimSpace(in.LoginName), strings.TrimSpace(in.Name)
	in.Email, in.Mobile = strings.TrimSpace(in.Email), strings.TrimSpace(in.Mobile)
	f := apperr.Fields{}
	if !identity.ValidLoginName(in.LoginName) {
		f.Add("login_name", "people.err.login_name")
	}
	if key := identity.ValidatePassword(in.Password, in.LoginName); key != "" {
		f.Add("password", key)
	}
	switch n := runes(in.Name); {
	case n == 0:
		f.Add("name", "people.err.required")
	case n > 50:
		f.Add("name", "people.err.too_long")
	}
	if !slices.Contains(Sites, in.Site) {
		f.Add("site", "people.err.site")
	}
	if !slices.Contains(RealNames, in.RealName) {
		f.Add("real_name", "people.err.real_name")
	}
	if in.Mobile == "" {
		f.Add("mobile", "people.err.required")
	} else if !identity.ValidMobile(in.Mobile) {
		f.Add("mobile", "people.err.mobile")
	}
	if in.Email != "" && !identity.ValidEmail(in.Email) {
		f.Add("email", "people.err.email")
	}
	now := s.now()
	var out *Person
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		if err := identity.CheckAvailable(ctx, tx, identity.Claim{LoginName: in.LoginName, Email: in.Email, Mobile: in.Mobile}, f); err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		hash, err := identity.HashPassword(in.Password)
		if err != nil {
			return err
		}
		u := identity.User{Kind: identity.KindPersonal, LoginName: in.LoginName, DisplayName: in.Name, Email: identity.Ptr(in.Email),
			Mobile: identity.Ptr(in.Mobile), PasswordHash: hash, Status: identity.StatusActive, Locale: "zh-CN",
			PasswordChangedAt: now, CreatedAt: now, UpdatedAt: now}
		if err := tx.WithContext(ctx).Create(&u).Error; err != nil {
			return identity.TakenError(err)
		}
		pr := Profile{UserID: u.ID, Site: in.Site, RealName: in.RealName, CreatedAt: now, UpdatedAt: now}
		if err := tx.WithContext(ctx).Create(&pr).Error; err != nil {
			return err
		}
		out = &Person{User: u, Profile: pr}
		return audit.Record(ctx, tx, audit.Change{At: now, Action: "people.account.register", ObjectType: "personal_account", ObjectID: u.ID,
			After: map[string]any{"login_name": u.LoginName, "name": u.DisplayName, "site": in.Site, "real_name": in.RealName,
				"email": in.Email, "mobile": in.Mobile}})
	})
	return out, err
}

// person reads a personal account and its profile.
func person(ctx context.Context, g *gorm.DB, userID int64) (*Person, error) {
	var u identity.User
	if err := g.WithContext(ctx).Where("id = ? AND kind = ?", userID, identity.KindPersonal).Take(&u).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, apperr.NotFound()
		}
		return nil, err
	}
	out := &Person{User: u}
	if err := g.WithContext(ctx).Where("user_id = ?", userID).Take(&out.Profile).Error; err != nil {
		return nil, err
	}
	return out, nil
}

// Me is the signed-in person's account.
func (s Service) Me(ctx context.Context, p *access.Principal) (_ *Person, err error) {
	defer apperr.Wrap(&err, "people.Me")
	uid, err := p.Person()
	if err != nil {
		return nil, err
	}
	return person(ctx, s.DB, uid)
}

// ProfileInput is what a person keeps of its own (个人信息): the bound
// e-mail (考试券 needs one, §10.3.5), the Uniportal account (HCIX,
// §10.3.3), 就职信息 and 常驻地.
type ProfileInput struct {
	Email, Uniportal, Company, Position, JoinedOn, City string
}

// UpdateProfile saves the person's own information.
func (s Service) UpdateProfile(ctx context.Context, p *access.Principal, in ProfileInput) (err error) {
	defer apperr.Wrap(&err, "people.UpdateProfile")
	uid, err := p.Person()
	if err != nil {
		return err
	}
	for _, v := range []*string{&in.Email, &in.Uniportal, &in.Company, &in.Position, &in.JoinedOn, &in.City} {
		*v = strings.TrimSpace(*v)
	}
	f := apperr.Fields{}
	if in.Email != "" && !identity.ValidEmail(in.Email) {
		f.Add("email", "people.err.email")
	}
	if runes(in.Uniportal) > 64 {
		f.Add("uniportal", "people.err.too_long")
	}
	if runes(in.Company) > 100 {
		f.Add("company", "people.err.too_long")
	}
	if runes(in.Position) > 50 {
		f.Add("position", "people.err.too_long")
	}
	if runes(in.City) > 50 {
		f.Add("city", "people.err.too_long")
	}
	now := s.now()
	var joined *time.Time
	if in.JoinedOn != "" {
		d, err := time.Parse(time.DateOnly, in.JoinedOn)
		switch {
		case err != nil:
			f.Add("joined_on", "people.err.date")
		case d.After(clock.ChinaDate(now)):
			f.Add("joined_on", "people.err.future")
		default:
			joined = &d
		}
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		me, err := person(ctx, tx, uid)
		if err != nil {
			return err
		}
		if in.Email != "" && !strings.EqualFold(in.Email, me.BoundEmail()) {
			if err := identity.CheckAvailable(ctx, tx, identity.Claim{Email: in.Email, SelfID: uid}, f); err != nil {
				return err
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		if err := tx.WithContext(ctx).Model(&identity.User{}).Where("id = ?", uid).
			Updates(map[string]any{"email": identity.Ptr(in.Email), "updated_at": now}).Error; err != nil {
			return identity.TakenError(err)
		}
		if err := tx.WithContext(ctx).Model(&Profile{}).Where("user_id = ?", uid).Updates(map[string]any{"uniportal": in.Uniportal,
			"company": in.Company, "position": in.Position, "joined_on": joined, "city": in.City, "updated_at": now}).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, Action: "people.profile", ObjectType: "personal_account", ObjectID: uid,
			Before: map[string]any{"email": me.BoundEmail(), "uniportal": me.Profile.Uniportal, "company": me.Profile.Company,
				"position": me.Profile.Position, "city": me.Profile.City},
			After: map[string]any{"email": in.Email, "uniportal": in.Uniportal, "company": in.Company, "position": in.Position, "city": in.City}})
	})
}

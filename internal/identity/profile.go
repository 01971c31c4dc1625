package identity

import (
	"context"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
)

// self is the signed-in partner member acting on its own account in
// 基本信息 (profile, password, authenticator, devices): its user id and
// its tenant. Principal.Tenant refuses vendor staff, customers and the
// system principal: 基本信息 is a partner member's (seed 003 §6.1).
func self(p *access.Principal) (userID, partnerID int64, err error) {
	partnerID, err = p.Tenant()
	if err != nil {
		return 0, 0, err
	}
	return p.UserID, partnerID, nil
}

// ownUser loads the acting member's own user row, bound to its tenant
// (locked for update when lock), or NotFound.
func ownUser(ctx context.Context, g *gorm.DB, userID, partnerID int64, lock bool) (*User, error) {
	q := g.WithContext(ctx).Where("id = ? AND partner_id = ? AND kind = ?", userID, partnerID, KindPartner)
	if lock {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var u User
	err := q.First(&u).Error
	if db.IsNotFound(err) {
		return nil, apperr.NotFound()
	}
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// ProfileInput is what a user edits of its own profile (基本信息 > 个人资料,
// seed 003 §6.1.1): the login name is not editable.
type ProfileInput struct {
	DisplayName string
	Email       string
	Mobile      string
	Position    string
	Locale      string
}

type profileSnapshot struct {
	DisplayName string `json:"display_name"`
	Email       string `json:"email"`
	Mobile      string `json:"mobile"`
	Position    string `json:"position"`
	Locale      string `json:"locale"`
}

func cleanLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
}

// normalize trims the input and validates it, returning field errors.
func (in *ProfileInput) normalize() apperr.Fields {
	in.DisplayName = cleanLine(in.DisplayName)
	in.Email = strings.ToLower(cleanLine(in.Email))
	in.Mobile = cleanLine(in.Mobile)
	in.Position = cleanLine(in.Position)
	f := apperr.Fields{}
	if in.DisplayName == "" {
		f.Add("display_name", "profile.err.required")
	} else if utf8.RuneCountInString(in.DisplayName) > 64 {
		f.Add("display_name", "profile.err.too_long")
	}
	if in.Email == "" {
		f.Add("email", "profile.err.required")
	} else if !ValidEmail(in.Email) {
		f.Add("email", "profile.err.email")
	}
	if in.Mobile == "" {
		f.Add("mobile", "profile.err.required")
	} else if !ValidMobile(in.Mobile) {
		f.Add("mobile", "profile.err.mobile")
	}
	if utf8.RuneCountInString(in.Position) > 64 {
		f.Add("position", "profile.err.too_long")
	}
	if in.Locale != "zh-CN" && in.Locale != "en-US" {
		f.Add("locale", "profile.err.locale")
	}
	return f
}

// UpdateProfile changes the acting member's own display name, bound
// email and mobile, position and language. An email or mobile bound to
// another account is refused with the seed's message 邮箱/手机号已被注册
// (seed 003 §7.1.5).
func (s Users) UpdateProfile(ctx context.Context, p *access.Principal, in ProfileInput) (err error) {
	defer apperr.Wrap(&err, "identity.UpdateProfile")
	userID, partnerID, err := self(p)
	if err != nil {
		return err
	}
	f := in.normalize()
	if err := f.Err(); err != nil {
		return err
	}
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		u, err := ownUser(ctx, tx, userID, partnerID, true)
		if err != nil {
			return err
		}
		if u.Status != StatusActive {
			return apperr.NotFound()
		}
		taken := apperr.Fields{}
		if err := CheckAvailable(ctx, tx, Claim{Email: in.Email, Mobile: in.Mobile, SelfID: u.ID}, taken); err != nil {
			return err
		}
		if err := taken.Err(); err != nil {
			return err
		}
		before := profileSnapshot{u.DisplayName, Str(u.Email), Str(u.Mobile), u.Position, u.Locale}
		after := profileSnapshot(in)
		if before == after {
			return nil
		}
		now := s.Clock.Now()
		if err := tx.Model(&User{}).Where("id = ? AND partner_id = ?", u.ID, partnerID).Updates(map[string]any{
			"display_name": in.DisplayName, "email": in.Email, "mobile": in.Mobile, "position": in.Position,
			"locale": in.Locale, "updated_at": now,
		}).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: partnerID, Action: "user.profile.update", ObjectType: "user",
			ObjectID: u.ID, Before: before, After: after})
	})
	// A concurrent request may have bound the same email or mobile first.
	return TakenError(err)
}

package identity

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/audit"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
)

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

// UpdateProfile changes the user's own display name, bound email and
// mobile, position and language. An email or mobile bound to another
// account is refused with the seed's message 邮箱/手机号已被注册 (seed 003
// §7.1.5).
func (s Users) UpdateProfile(ctx context.Context, userID int64, in ProfileInput) error {
	f := in.normalize()
	if err := f.Err(); err != nil {
		return err
	}
	err := db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		var u User
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).First(&u, userID).Error; err != nil {
			if db.IsNotFound(err) {
				return apperr.NotFound()
			}
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
		if err := tx.Model(&User{}).Where("id = ?", u.ID).Updates(map[string]any{
			"display_name": in.DisplayName, "email": in.Email, "mobile": in.Mobile, "position": in.Position,
			"locale": in.Locale, "updated_at": time.Now().UTC(),
		}).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{PartnerID: u.TenantID(), Action: "user.profile.update", ObjectType: "user",
			ObjectID: u.ID, Before: before, After: after})
	})
	// A concurrent request may have bound the same email or mobile first.
	return TakenError(err)
}

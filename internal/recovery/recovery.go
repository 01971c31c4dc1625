// Package recovery is 忘记密码 (seed 003 §7.1.7; issue 15): a partner
// account that forgot its password names its main account (管理员账号) and
// its login name or e-mail, receives a 6-digit code by e-mail and SMS
// through the outbox, and sets a new password with it; a personal Huawei
// account names itself (its tenant name or e-mail). It owns
// password_resets.
//
// Rules it holds:
//   - nobody learns which accounts exist: the form's answer and its link
//     are the same whether or not the account matched (a request for no
//     account is stored without a user and can never succeed);
//   - a code is valid 15 minutes, for 5 tries, once; only its hash is
//     kept; a new request replaces the older ones;
//   - at most 3 codes per account in 15 minutes (more requests are
//     answered as usual and send nothing);
//   - the code goes to the bound e-mail and mobile whatever the 消息接收设置
//     (it is the account's own security), in the account's language;
//   - a new password ends every session (identity.Passwords.Reset).
package recovery

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"math/big"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/identity"
	"partnercenter/internal/outbox"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
	"partnercenter/internal/platform/i18n"
)

// Limits.
const (
	CodeValid   = 15 * time.Minute
	MaxAttempts = 5
	MaxRequests = 3 // per account within CodeValid
)

// ErrCode is the one refusal of a wrong, used, expired or unknown code.
const ErrCode = "recovery.err.code"

// Reset is a row of password_resets.
type Reset struct {
	ID        int64
	Token     string
	UserID    *int64
	CodeHash  []byte
	Attempts  int
	ExpiresAt time.Time
	UsedAt    *time.Time
	CreatedAt time.Time
}

// TableName maps Reset to password_resets.
func (Reset) TableName() string { return "password_resets" }

// Service is 忘记密码.
type Service struct {
	DB    *gorm.DB
	Clock clock.Clock
}

func hashCode(token, code string) []byte {
	h := sha256.Sum256([]byte(token + ":" + code))
	return h[:]
}

func randomToken() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func randomCode() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%06d", n.Int64()), nil
}

// Request starts a reset and returns the token of the page where the code
// is entered — the same kind of answer for an account that does not
// exist. A matching account gets the code by e-mail and SMS.
func (s Service) Request(ctx context.Context, mainLogin, who string) (token string, err error) {
	defer apperr.Wrap(&err, "recovery.Request")
	f := apperr.Fields{}
	if strings.TrimSpace(mainLogin) == "" {
		f.Add("main_login", "recovery.err.required")
	}
	if strings.TrimSpace(who) == "" {
		f.Add("who", "recovery.err.required")
	}
	if err := f.Err(); err != nil {
		return "", err
	}
	if token, err = randomToken(); err != nil {
		return "", err
	}
	code, err := randomCode()
	if err != nil {
		return "", err
	}
	now := s.Clock.Now().UTC()
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		u, err := (identity.Users{DB: tx}).MemberForReset(ctx, mainLogin, who)
		if err != nil {
			return err
		}
		r := Reset{Token: token, CodeHash: hashCode(token, code), ExpiresAt: now.Add(CodeValid), CreatedAt: now}
		if u != nil {
			var recent int64
			if err := tx.WithContext(ctx).Model(&Reset{}).Where("user_id = ? AND created_at > ?", u.ID, now.Add(-CodeValid)).
				Count(&recent).Error; err != nil {
				return err
			}
			if recent >= MaxRequests {
				// Over the limit: answered as usual, nothing sent (a
				// refusal would tell that the account exists).
				u = nil
			}
		}
		if u != nil {
			// A new request replaces the older ones.
			if err := tx.WithContext(ctx).Model(&Reset{}).Where("user_id = ? AND used_at IS NULL", u.ID).
				Update("expires_at", now).Error; err != nil {
				return err
			}
			r.UserID = &u.ID
		}
		if err := tx.WithContext(ctx).Create(&r).Error; err != nil {
			return err
		}
		if u == nil {
			return nil
		}
		note := outbox.Note{Template: "recovery.code", Params: map[string]any{"Code": code, "Minutes": int(CodeValid / time.Minute)}, At: now}
		if u.PartnerID != nil {
			note.Partner = *u.PartnerID
		}
		lang := i18n.Normalize(u.Locale)
		if u.Email != nil && *u.Email != "" {
			if err := outbox.ToAddress(ctx, tx, outbox.Email, *u.Email, lang, note); err != nil {
				return err
			}
		}
		if u.Mobile != nil && *u.Mobile != "" {
			return outbox.ToAddress(ctx, tx, outbox.SMS, *u.Mobile, lang, note)
		}
		return nil
	})
	return token, err
}

// Complete checks the code of a reset and sets the new password: a wrong
// code counts a try; after MaxAttempts, expiry or use the reset is dead.
func (s Service) Complete(ctx context.Context, token, code, newPassword, confirm string) (err error) {
	defer apperr.Wrap(&err, "recovery.Complete")
	code = strings.TrimSpace(code)
	if len(code) != 6 {
		return apperr.FieldError("code", ErrCode)
	}
	now := s.Clock.Now().UTC()
	var wrong bool
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		var r Reset
		if err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("token = ?", token).Take(&r).Error; err != nil {
			if db.IsNotFound(err) {
				return apperr.FieldError("code", ErrCode)
			}
			return err
		}
		if r.UsedAt != nil || !now.Before(r.ExpiresAt) || r.Attempts >= MaxAttempts || r.UserID == nil {
			return apperr.FieldError("code", ErrCode)
		}
		if subtle.ConstantTimeCompare(r.CodeHash, hashCode(token, code)) != 1 {
			wrong = true
			return tx.WithContext(ctx).Model(&r).UpdateColumn("attempts", r.Attempts+1).Error
		}
		if err := (identity.Passwords{DB: tx, Clock: s.Clock}).Reset(ctx, tx, *r.UserID, newPassword, confirm); err != nil {
			return err
		}
		return tx.WithContext(ctx).Model(&r).UpdateColumn("used_at", now).Error
	})
	if err == nil && wrong {
		return apperr.FieldError("code", ErrCode)
	}
	return err
}

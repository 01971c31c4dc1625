package identity

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"net/url"
	"strings"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
	"partnercenter/internal/platform/secretbox"
)

// One-time codes (动态验证码) from an authenticator app: TOTP of RFC 6238
// (HMAC-SHA1, 30-second steps, 6 digits), the codes every authenticator
// app (Google Authenticator, Microsoft Authenticator, 华为云 MFA …) makes
// from a secret shown once as a QR code. A member who has enrolled one
// confirms money operations with a code instead of the password (the
// step-up of 账务, seed 003 §12.1.2.2 "验证码"; ASVS 6.3.2, 7.5.3).
// Codes are accepted one step either side of now (clock drift), and a
// step once used is refused afterwards (no replay).

// TOTP parameters.
const (
	TOTPStep   = 30 * time.Second
	TOTPDigits = 6
)

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewTOTPSecret returns a random 160-bit secret in base32.
func NewTOTPSecret() (string, error) {
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return b32.EncodeToString(b), nil
}

// TOTPCode is the code of secret at step (RFC 4226 dynamic truncation).
func TOTPCode(secret string, step int64) (string, error) {
	key, err := b32.DecodeString(strings.ToUpper(strings.TrimSpace(secret)))
	if err != nil {
		return "", err
	}
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(step))
	mac := hmac.New(sha1.New, key)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%06d", v%1_000_000), nil
}

// TOTPStepAt is the step number of t.
func TOTPStepAt(t time.Time) int64 { return t.Unix() / int64(TOTPStep/time.Second) }

// matchTOTP returns the step (now−1, now, now+1) whose code is code, or
// 0 when none matches.
func matchTOTP(secret, code string, now time.Time) int64 {
	code = strings.TrimSpace(code)
	if len(code) != TOTPDigits {
		return 0
	}
	cur := TOTPStepAt(now)
	for _, s := range []int64{cur - 1, cur, cur + 1} {
		want, err := TOTPCode(secret, s)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return s
		}
	}
	return 0
}

// TOTPURI is the otpauth:// URI an authenticator app scans.
func TOTPURI(issuer, account, secret string) string {
	label := url.PathEscape(issuer + ":" + account)
	q := url.Values{"secret": {secret}, "issuer": {issuer}, "algorithm": {"SHA1"}, "digits": {"6"}, "period": {"30"}}
	return "otpauth://totp/" + label + "?" + q.Encode()
}

// TOTP is a user's authenticator: enrolment and verification. Now is the
// injected clock (required).
type TOTP struct {
	DB  *gorm.DB
	Now func() time.Time
}

func (s TOTP) now() time.Time { return s.Now().UTC() }

// Error keys.
const (
	ErrTOTPCode     = "identity.err.totp_code"
	ErrTOTPEnrolled = "identity.err.totp_enrolled"
	ErrTOTPNone     = "identity.err.totp_none"
)

// Enrolled reports whether the acting partner member has an
// authenticator (基本信息 > 安全设置).
func (s TOTP) Enrolled(ctx context.Context, p *access.Principal) (_ bool, err error) {
	defer apperr.Wrap(&err, "identity.Enrolled")
	userID, partnerID, err := self(p)
	if err != nil {
		return false, err
	}
	var n int64
	err = s.DB.WithContext(ctx).Table("users").Where("id = ? AND partner_id = ? AND totp_enabled_at IS NOT NULL", userID, partnerID).
		Count(&n).Error
	return n > 0, err
}

// enabled reports whether the user has an authenticator. It and verify
// serve Authenticator.StepUp, which has checked the principal already.
func (s TOTP) enabled(ctx context.Context, userID int64) (bool, error) {
	var n int64
	err := s.DB.WithContext(ctx).Table("users").Where("id = ? AND totp_enabled_at IS NOT NULL", userID).Count(&n).Error
	return n > 0, err
}

// Enrol turns the acting member's authenticator on: it proves it holds
// the current password (ASVS 7.5.1) and that its app makes the right code
// from the secret shown (a first code).
func (s TOTP) Enrol(ctx context.Context, p *access.Principal, password, secret, code string) (err error) {
	defer apperr.Wrap(&err, "identity.Enrol")
	userID, partnerID, err := self(p)
	if err != nil {
		return err
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		u, err := lockOwnTOTPUser(ctx, tx, userID, partnerID)
		if err != nil {
			return err
		}
		if u.EnabledAt != nil {
			return apperr.Conflict(ErrTOTPEnrolled)
		}
		if !CheckPassword(u.PasswordHash, password) {
			return apperr.FieldError("password", "profile.err.old_password_wrong")
		}
		if _, err := b32.DecodeString(secret); err != nil || len(secret) < 32 {
			return apperr.Invalid(ErrTOTPCode)
		}
		now := s.now()
		step := matchTOTP(secret, code, now)
		if step == 0 {
			return apperr.FieldError("code", ErrTOTPCode)
		}
		sealed, err := secretbox.Default().Seal(secret)
		if err != nil {
			return err
		}
		if err := tx.Exec(`UPDATE users SET totp_secret = ?, totp_enabled_at = ?, totp_last_step = ? WHERE id = ?`,
			sealed, now, step, userID).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: partnerID, Action: "user.totp_enrol", ObjectType: "user", ObjectID: userID})
	})
}

// Disable removes the acting member's authenticator (password and a
// current code).
func (s TOTP) Disable(ctx context.Context, p *access.Principal, password, code string) (err error) {
	defer apperr.Wrap(&err, "identity.Disable")
	userID, partnerID, err := self(p)
	if err != nil {
		return err
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		u, err := lockOwnTOTPUser(ctx, tx, userID, partnerID)
		if err != nil {
			return err
		}
		if u.EnabledAt == nil {
			return apperr.Conflict(ErrTOTPNone)
		}
		if !CheckPassword(u.PasswordHash, password) {
			return apperr.FieldError("password", "profile.err.old_password_wrong")
		}
		if err := s.use(ctx, tx, u, code); err != nil {
			return err
		}
		if err := tx.Exec(`UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL WHERE id = ?`, userID).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: s.now(), PartnerID: partnerID, Action: "user.totp_disable", ObjectType: "user", ObjectID: userID})
	})
}

// verify checks a code of the user's authenticator and spends its step:
// the same code (or an older one) is refused afterwards.
func (s TOTP) verify(ctx context.Context, userID int64, code string) error {
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		u, err := lockTOTPUser(ctx, tx, userID)
		if err != nil {
			return err
		}
		if u.EnabledAt == nil {
			return apperr.Conflict(ErrTOTPNone)
		}
		return s.use(ctx, tx, u, code)
	})
}

// totpUser is the part of a user row the authenticator needs (kept out
// of User so the secret never travels with it).
type totpUser struct {
	ID           int64
	PartnerID    *int64
	PasswordHash string
	Secret       *string
	EnabledAt    *time.Time
	LastStep     *int64
}

func lockTOTPUser(ctx context.Context, tx *gorm.DB, userID int64) (*totpUser, error) {
	var rows []totpUser
	if err := tx.WithContext(ctx).Raw(`SELECT id, partner_id, password_hash, totp_secret AS secret, totp_enabled_at AS enabled_at,
		totp_last_step AS last_step FROM users WHERE id = ? FOR UPDATE`, userID).Scan(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, apperr.NotFound()
	}
	return &rows[0], nil
}

// lockOwnTOTPUser is lockTOTPUser for the acting member's own row, bound
// to its tenant.
func lockOwnTOTPUser(ctx context.Context, tx *gorm.DB, userID, partnerID int64) (*totpUser, error) {
	u, err := lockTOTPUser(ctx, tx, userID)
	if err != nil {
		return nil, err
	}
	if u.PartnerID == nil || *u.PartnerID != partnerID {
		return nil, apperr.NotFound()
	}
	return u, nil
}

func (s TOTP) use(ctx context.Context, tx *gorm.DB, u *totpUser, code string) error {
	secret, err := secretbox.Default().Open(*u.Secret)
	if err != nil {
		return err
	}
	step := matchTOTP(secret, code, s.now())
	if step == 0 || (u.LastStep != nil && step <= *u.LastStep) {
		return apperr.FieldError("code", ErrTOTPCode)
	}
	return tx.WithContext(ctx).Exec(`UPDATE users SET totp_last_step = ? WHERE id = ?`, step, u.ID).Error
}

// ResealTOTP seals with the current key every TOTP seed that is not (of
// the users among only, when given): one stored before sealing, or sealed
// with a key being rotated out (`partnercenter secrets reseal`, once every
// server holds the sealing key). A seed no key opens is left as it is and
// counted in the error; the others are resealed. It returns how many it
// resealed.
func ResealTOTP(ctx context.Context, g *gorm.DB, only ...int64) (int, error) {
	box := secretbox.Default()
	var rows []struct {
		ID     int64
		Secret string
	}
	q := g.WithContext(ctx).Table("users").Select("id, totp_secret AS secret").Where("totp_secret IS NOT NULL")
	if len(only) > 0 {
		q = q.Where("id IN ?", only)
	}
	if err := q.Scan(&rows).Error; err != nil {
		return 0, err
	}
	n, unopened := 0, 0
	for _, r := range rows {
		if box.Current(r.Secret) {
			continue
		}
		plain, err := box.Open(r.Secret)
		if err != nil {
			unopened++ // a key missing from SECRET_KEYS, or a damaged row: the others go on
			continue
		}
		sealed, err := box.Seal(plain)
		if err != nil {
			return n, err
		}
		if err := g.WithContext(ctx).Exec(`UPDATE users SET totp_secret = ? WHERE id = ? AND totp_secret = ?`, sealed, r.ID, r.Secret).Error; err != nil {
			return n, err
		}
		n++
	}
	if unopened > 0 {
		return n, fmt.Errorf("%d authenticator seeds open with no key of SECRET_KEYS: %w", unopened, secretbox.ErrOpen)
	}
	return n, nil
}

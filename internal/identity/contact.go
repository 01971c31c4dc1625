package identity

import (
	"context"
	"net/mail"
	"regexp"
	"strings"

	"gorm.io/gorm"

	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
)

// The rules for the fields of an account, shared by every form that
// creates or edits one (members, registration, personal profile, company
// contacts, vendor staff).

var (
	// loginNamePattern matches the users table's check.
	loginNamePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.-]{2,31}$`)
	// mobilePattern is a mainland China mobile number: 11 digits, 1[3-9]….
	mobilePattern = regexp.MustCompile(`^1[3-9][0-9]{9}$`)
)

// ValidLoginName reports a login name: a letter, then 2 to 31 letters,
// digits, '_', '.' or '-'.
func ValidLoginName(s string) bool { return loginNamePattern.MatchString(s) }

// ValidMobile reports a mainland China mobile number.
func ValidMobile(s string) bool { return mobilePattern.MatchString(s) }

// ValidEmail reports a plain address (no display name), at most 254
// bytes, with a dot in the domain.
func ValidEmail(s string) bool {
	if len(s) > 254 || strings.ContainsAny(s, " <>\"") {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	domain := s[at+1:]
	return at > 0 && strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

// Message keys of taken account fields. Seed 003 §7.1.5: an email or
// mobile already bound to an account gives 邮箱/手机号已被注册.
const (
	ErrLoginTaken  = "identity.err.login_taken"
	ErrEmailTaken  = "identity.err.email_taken"
	ErrMobileTaken = "identity.err.mobile_taken"
)

// Claim is what an account wants to hold uniquely; empty fields are not
// checked. SelfID is the account being edited (0 when creating).
type Claim struct {
	LoginName string
	Email     string
	Mobile    string
	SelfID    int64
}

// CheckAvailable adds a field error for each claimed login name, email or
// mobile already used by another account of any kind (members of any
// tenant, vendor staff). Fields that already have an error are skipped.
// The unique indexes still decide races: map their error with TakenError.
func CheckAvailable(ctx context.Context, tx *gorm.DB, c Claim, f apperr.Fields) error {
	checks := []struct{ field, value, where, key string }{
		{"login_name", c.LoginName, "lower(login_name) = lower(?)", ErrLoginTaken},
		{"email", c.Email, "lower(email) = lower(?)", ErrEmailTaken},
		{"mobile", c.Mobile, "mobile = ?", ErrMobileTaken},
	}
	for _, ch := range checks {
		if _, bad := f[ch.field]; bad || ch.value == "" {
			continue
		}
		var n int64
		if err := tx.WithContext(ctx).Model(&User{}).Where(ch.where+" AND id <> ?", ch.value, c.SelfID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			f.Add(ch.field, ch.key)
		}
	}
	return nil
}

// TakenError maps a violation of the users' unique indexes (a concurrent
// request claimed the value first) to the field error CheckAvailable
// gives; other errors pass through.
func TakenError(err error) error {
	c, ok := db.IsUniqueViolation(err)
	if !ok {
		return err
	}
	switch c {
	case "users_login_name_key":
		return apperr.FieldError("login_name", ErrLoginTaken)
	case "users_email_key":
		return apperr.FieldError("email", ErrEmailTaken)
	case "users_mobile_key":
		return apperr.FieldError("mobile", ErrMobileTaken)
	}
	return err
}

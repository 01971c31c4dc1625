package identity

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
	"partnercenter/internal/platform/metrics"
)

// Throttling of sign-in failures: after MaxFailuresPerName failures for
// one login name within FailureWindow, or MaxFailuresPerIP from one
// address, sign-in is refused until the window has passed. Counting per
// name and per address (not locking the account) keeps an attacker from
// locking a real user out for long.
const (
	MaxFailuresPerName = 5
	MaxFailuresPerIP   = 30
	FailureWindow      = 15 * time.Minute
)

// LoginFailure is one failed sign-in.
type LoginFailure struct {
	ID        int64
	LoginName string
	IP        string
	At        time.Time
}

// Authenticator checks credentials.
type Authenticator struct {
	DB    *gorm.DB
	Clock clock.Clock
}

// Authenticate returns the active user with these credentials. Wrong
// credentials, unknown names and disabled users all get the same message.
func (a Authenticator) Authenticate(ctx context.Context, login, password, ip string) (*User, error) {
	return a.AuthenticateFor(ctx, login, password, ip, nil)
}

// AuthenticateFor is Authenticate on a sign-in page meant for some kinds
// of user: admit, when given, may refuse the user once the credentials
// are right (an account that signs in on the other page). A refused user
// is not signed in: its failures are not cleared and its last sign-in
// time stays.
func (a Authenticator) AuthenticateFor(ctx context.Context, login, password, ip string, admit func(*User) error) (_ *User, err error) {
	defer apperr.Wrap(&err, "identity.Authenticate")
	login = strings.TrimSpace(login)
	if login == "" || password == "" {
		return nil, apperr.Invalid("identity.err.credentials_required")
	}
	now := a.Clock.Now()
	if err := a.throttled(ctx, login, ip); err != nil {
		return nil, err
	}
	u, err := Users{DB: a.DB}.ByLogin(ctx, login)
	if err != nil && !apperr.Is(err, apperr.KindNotFound) {
		return nil, err
	}
	ok := false
	if u != nil {
		ok = CheckPassword(u.PasswordHash, password) && u.Status == StatusActive
	} else {
		CheckPassword(dummyHash, password)
	}
	if !ok {
		if err := a.recordFailure(ctx, login, ip); err != nil {
			return nil, err
		}
		if u != nil && u.Status == StatusDisabled && CheckPassword(u.PasswordHash, password) {
			return nil, apperr.Invalid("identity.err.disabled")
		}
		return nil, apperr.Invalid("identity.err.bad_credentials")
	}
	if admit != nil {
		if err := admit(u); err != nil {
			return nil, err
		}
	}
	err = db.WithTx(ctx, a.DB, func(tx *gorm.DB) error {
		if err := tx.Where("lower(login_name) = lower(?)", login).Delete(&LoginFailure{}).Error; err != nil {
			return err
		}
		return tx.Model(&User{}).Where("id = ?", u.ID).Update("last_login_at", now).Error
	})
	return u, err
}

// throttled refuses a credential check (sign-in or step-up) once the login
// name or the address has failed too often within FailureWindow.
func (a Authenticator) throttled(ctx context.Context, login, ip string) error {
	since := a.Clock.Now().Add(-FailureWindow)
	var byName, byIP int64
	if err := a.DB.WithContext(ctx).Model(&LoginFailure{}).Where("lower(login_name) = lower(?) AND at > ?", login, since).Count(&byName).Error; err != nil {
		return err
	}
	if err := a.DB.WithContext(ctx).Model(&LoginFailure{}).Where("ip = ? AND at > ?", ip, since).Count(&byIP).Error; err != nil {
		return err
	}
	if byName >= MaxFailuresPerName || byIP >= MaxFailuresPerIP {
		return apperr.TooMany("identity.err.throttled", map[string]any{"Minutes": int(FailureWindow.Minutes())})
	}
	return nil
}

// recordFailure counts one failed credential check against the login name
// and the address.
func (a Authenticator) recordFailure(ctx context.Context, login, ip string) error {
	metrics.SignInFailures.WithLabelValues("credentials").Inc()
	return a.DB.WithContext(ctx).Create(&LoginFailure{LoginName: truncate(login, 64), IP: ip, At: a.Clock.Now()}).Error
}

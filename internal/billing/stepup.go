package billing

import (
	"context"

	"partnercenter/internal/access"
	"partnercenter/internal/identity"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/reqctx"
)

// StepUpRequired reports whether the tenant asks for the password again
// before money moves.
func (s Funds) StepUpRequired(ctx context.Context, partnerID int64) (bool, error) {
	st, err := settingsOf(ctx, s.DB, partnerID, false)
	return st.StepupRequired, err
}

// stepUp checks the acting user's current password when the tenant
// requires it. A wrong password counts as a sign-in failure of the login
// name (the sign-in throttle applies), so a stolen session cannot guess
// it; it is a field error on "password" and nothing moves.
func (s Funds) stepUp(ctx context.Context, p *access.Principal, password string) error {
	on, err := s.StepUpRequired(ctx, p.PartnerID)
	if err != nil || !on {
		return err
	}
	if password == "" {
		return apperr.FieldError("password", "billing.err.password_required")
	}
	u, err := identity.Users{DB: s.DB}.ByID(ctx, p.UserID)
	if err != nil {
		return err
	}
	now := s.now()
	var failures int64
	if err := s.DB.WithContext(ctx).Model(&identity.LoginFailure{}).
		Where("lower(login_name) = lower(?) AND at > ?", u.LoginName, now.Add(-identity.FailureWindow)).Count(&failures).Error; err != nil {
		return err
	}
	if failures >= identity.MaxFailuresPerName {
		return apperr.TooMany("identity.err.throttled", map[string]any{"Minutes": int(identity.FailureWindow.Minutes())})
	}
	if !identity.CheckPassword(u.PasswordHash, password) {
		ln := u.LoginName
		if len(ln) > 64 {
			ln = ln[:64]
		}
		if err := s.DB.WithContext(ctx).Create(&identity.LoginFailure{LoginName: ln, IP: reqctx.From(ctx).IP, At: now}).Error; err != nil {
			return err
		}
		return apperr.FieldError("password", "billing.err.password_wrong")
	}
	return nil
}

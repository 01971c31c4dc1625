package funds

import (
	"context"

	"partnercenter/internal/access"
	"partnercenter/internal/identity"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/reqctx"
)

// StepUpRequired reports whether the member's tenant asks for the
// password again before money moves.
func (s Service) StepUpRequired(ctx context.Context, p *access.Principal) (bool, error) {
	partnerID, err := p.Tenant()
	if err != nil {
		return false, err
	}
	st, err := settingsOf(ctx, s.DB, partnerID, false)
	return st.StepupRequired, err
}

// StepUpByCode reports whether the acting member confirms money
// operations with a one-time code of its authenticator (identity.TOTP)
// instead of the password.
func (s Service) StepUpByCode(ctx context.Context, p *access.Principal) (bool, error) {
	if _, err := p.Tenant(); err != nil {
		return false, err
	}
	return identity.TOTP{DB: s.DB, Now: s.Clock.Now}.Enabled(ctx, p.UserID)
}

// stepUp checks, when the tenant requires it, the acting user's
// credential: a one-time code when the user has an authenticator
// (seed 003 §12.1.2.2 验证码), else the current password. A wrong one
// counts as a sign-in failure of the login name (the sign-in throttle
// applies), so a stolen session cannot guess it; it is a field error on
// "password" (the form's one credential field) and nothing moves.
func (s Service) stepUp(ctx context.Context, p *access.Principal, credential string) error {
	on, err := s.StepUpRequired(ctx, p)
	if err != nil || !on {
		return err
	}
	byCode, err := s.StepUpByCode(ctx, p)
	if err != nil {
		return err
	}
	if credential == "" {
		if byCode {
			return apperr.FieldError("password", "billing.err.otp_required")
		}
		return apperr.FieldError("password", "billing.err.password_required")
	}
	u, err := identity.Users{DB: s.DB}.ByID(ctx, p.UserID)
	if err != nil {
		return err
	}
	now := s.Clock.Now().UTC()
	var failures int64
	if err := s.DB.WithContext(ctx).Model(&identity.LoginFailure{}).
		Where("lower(login_name) = lower(?) AND at > ?", u.LoginName, now.Add(-identity.FailureWindow)).Count(&failures).Error; err != nil {
		return err
	}
	if failures >= identity.MaxFailuresPerName {
		return apperr.TooMany("identity.err.throttled", map[string]any{"Minutes": int(identity.FailureWindow.Minutes())})
	}
	wrong := "billing.err.password_wrong"
	ok := false
	if byCode {
		wrong = "billing.err.otp_wrong"
		verr := identity.TOTP{DB: s.DB, Now: s.Clock.Now}.Verify(ctx, p.UserID, credential)
		if verr != nil && !apperr.Is(verr, apperr.KindInvalid) {
			return verr
		}
		ok = verr == nil
	} else {
		ok = identity.CheckPassword(u.PasswordHash, credential)
	}
	if !ok {
		ln := u.LoginName
		if len(ln) > 64 {
			ln = ln[:64]
		}
		if err := s.DB.WithContext(ctx).Create(&identity.LoginFailure{LoginName: ln, IP: reqctx.From(ctx).IP, At: now}).Error; err != nil {
			return err
		}
		return apperr.FieldError("password", wrong)
	}
	return nil
}

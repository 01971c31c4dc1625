package identity

import (
	"context"

	"partnercenter/internal/access"

	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/reqctx"
)

// Step-up verification: before a sensitive operation (money moves, seed 003
// §12.1.3 资金操作安全验证) the signed-in user proves itself again — with a
// one-time code when it bound an authenticator (TOTP), else with its
// current password. It shares the sign-in throttle: a wrong credential
// counts as a failed sign-in of the login name and address, and a
// throttled name or address is refused, so a stolen session cannot guess.

// StepUpByCode reports whether the user confirms with a one-time code of
// its authenticator (rather than the password).
func (a Authenticator) StepUpByCode(ctx context.Context, p *access.Principal) (_ bool, err error) {
	defer apperr.Wrap(&err, "identity.StepUpByCode")
	userID, err := p.Self()
	if err != nil {
		return false, err
	}
	return TOTP{DB: a.DB, Now: a.Clock.Now}.enabled(ctx, userID)
}

// StepUp checks the user's credential. Errors are field errors on
// "password" (the form's one credential field; the keys are the money
// forms' own wording), or TooMany when throttled.
func (a Authenticator) StepUp(ctx context.Context, p *access.Principal, credential string) (err error) {
	defer apperr.Wrap(&err, "identity.StepUp")
	userID, err := p.Self()
	if err != nil {
		return err
	}
	byCode, err := a.StepUpByCode(ctx, p)
	if err != nil {
		return err
	}
	if credential == "" {
		if byCode {
			return apperr.FieldError("password", "billing.err.otp_required")
		}
		return apperr.FieldError("password", "billing.err.password_required")
	}
	u, err := Users{DB: a.DB}.ByID(ctx, userID)
	if err != nil {
		return err
	}
	ip := reqctx.From(ctx).IP
	if err := a.throttled(ctx, u.LoginName, ip); err != nil {
		return err
	}
	wrong := "billing.err.password_wrong"
	ok := false
	if byCode {
		wrong = "billing.err.otp_wrong"
		verr := TOTP{DB: a.DB, Now: a.Clock.Now}.verify(ctx, userID, credential)
		if verr != nil && !apperr.Is(verr, apperr.KindInvalid) {
			return verr
		}
		ok = verr == nil
	} else {
		ok = CheckPassword(u.PasswordHash, credential)
	}
	if !ok {
		if err := a.recordFailure(ctx, u.LoginName, ip); err != nil {
			return err
		}
		return apperr.FieldError("password", wrong)
	}
	return nil
}

package funds

import (
	"context"
	"partnercenter/internal/platform/apperr"

	"partnercenter/internal/access"
	"partnercenter/internal/identity"
)

// StepUpRequired reports whether the member's tenant asks for the
// password again before money moves.
func (s Service) StepUpRequired(ctx context.Context, p *access.Principal) (_ bool, err error) {
	defer apperr.Wrap(&err, "funds.StepUpRequired")
	partnerID, err := p.Tenant()
	if err != nil {
		return false, err
	}
	st, err := settingsOf(ctx, s.DB, partnerID, false)
	return st.StepupRequired, err
}

// StepUpByCode reports whether the acting member confirms money
// operations with a one-time code of its authenticator instead of the
// password (identity.Authenticator.StepUpByCode).
func (s Service) StepUpByCode(ctx context.Context, p *access.Principal) (_ bool, err error) {
	defer apperr.Wrap(&err, "funds.StepUpByCode")
	if _, err := p.Tenant(); err != nil {
		return false, err
	}
	return identity.Authenticator{DB: s.DB, Clock: s.Clock}.StepUpByCode(ctx, p)
}

// stepUp asks identity to check the acting user's credential when the
// tenant requires it (identity.Authenticator.StepUp: one-time code or
// password, the sign-in throttle shared); a refusal moves nothing.
func (s Service) stepUp(ctx context.Context, p *access.Principal, credential string) error {
	on, err := s.StepUpRequired(ctx, p)
	if err != nil || !on {
		return err
	}
	return identity.Authenticator{DB: s.DB, Clock: s.Clock}.StepUp(ctx, p, credential)
}

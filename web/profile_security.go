package web

import (
	"encoding/base64"
	"net/http"

	"github.com/labstack/echo/v4"
	qrcode "github.com/skip2/go-qrcode"

	"partnercenter/internal/identity"
	"partnercenter/internal/platform/apperr"
	"partnercenter/views/profile"
)

// 安全设置: the user's authenticator app (动态验证码). With one enrolled,
// money operations that ask for step-up take a one-time code instead of
// the password (internal/identity/totp.go).

func (a *App) renderSecurity(c echo.Context, status int, secret string, formErr error) error {
	u := currentUser(c)
	on, err := a.svc.TOTP.Enrolled(c.Request().Context(), principalOf(c))
	if err != nil {
		return err
	}
	vm := profile.SecurityVM{Enabled: on, Errors: map[string]string{}}
	if !on {
		if secret == "" {
			if secret, err = identity.NewTOTPSecret(); err != nil {
				return err
			}
		}
		uri := identity.TOTPURI("PartnerCenter", u.LoginName, secret)
		png, err := qrcode.Encode(uri, qrcode.Medium, 220)
		if err != nil {
			return err
		}
		vm.Secret, vm.QR = secret, "data:image/png;base64,"+base64.StdEncoding.EncodeToString(png)
	}
	if ae, ok := apperr.As(formErr); ok {
		vm.Summary = ae.Key
		if ae.Fields != nil {
			vm.Errors = ae.Fields
		}
	}
	return render(c, status, profile.Security(vm))
}

func (a *App) securityPage(c echo.Context) error { return a.renderSecurity(c, http.StatusOK, "", nil) }

// securityEnrol turns the authenticator on (current password and a
// first code from the app).
func (a *App) securityEnrol(c echo.Context) error {
	secret := c.FormValue("secret")
	err := a.svc.TOTP.Enrol(c.Request().Context(), principalOf(c), c.FormValue("password"), secret, c.FormValue("code"))
	if apperr.Is(err, apperr.KindInvalid) || apperr.Is(err, apperr.KindConflict) {
		return a.renderSecurity(c, http.StatusUnprocessableEntity, secret, err)
	}
	if err != nil {
		return err
	}
	return a.done(c, "/profile/security", "profile.security.enrolled")
}

// securityDisable turns it off (current password and a current code).
func (a *App) securityDisable(c echo.Context) error {
	err := a.svc.TOTP.Disable(c.Request().Context(), principalOf(c), c.FormValue("password"), c.FormValue("code"))
	if apperr.Is(err, apperr.KindInvalid) || apperr.Is(err, apperr.KindConflict) {
		return a.renderSecurity(c, http.StatusUnprocessableEntity, "", err)
	}
	if err != nil {
		return err
	}
	return a.done(c, "/profile/security", "profile.security.disabled")
}

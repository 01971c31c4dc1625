package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/identity"
	"partnercenter/views/profile"
)

// renderPersonal draws the page with the signed-in user the middleware
// loaded for this request (a refused change changed nothing; a saved one
// redirects).
func (a *App) renderPersonal(c echo.Context, status int, prof, pw profile.Form) error {
	u := currentUser(c)
	if prof.Values == nil {
		prof.Values = profile.ProfileValues(u)
	}
	return render(c, status, profile.Personal(profile.PersonalVM{User: u, Profile: prof, Password: pw}))
}

// personalPage is 基本信息 > 个人资料 with the password form (seed 003
// §6.1.1, §7.1.7).
func (a *App) personalPage(c echo.Context) error {
	return a.renderPersonal(c, http.StatusOK, profile.Form{}, profile.Form{})
}

func (a *App) personalSave(c echo.Context) error {
	in := identity.ProfileInput{DisplayName: c.FormValue("display_name"), Email: c.FormValue("email"),
		Mobile: c.FormValue("mobile"), Position: c.FormValue("position"), Locale: c.FormValue("locale")}
	err := a.svc.Users.UpdateProfile(c.Request().Context(), principalOf(c), in)
	if err == nil {
		return a.done(c, "/profile/personal", "profile.personal.saved")
	}
	form, ferr := formError(err, map[string]string{"display_name": in.DisplayName, "email": in.Email,
		"mobile": in.Mobile, "position": in.Position, "locale": in.Locale})
	if ferr != nil {
		return ferr
	}
	return a.renderPersonal(c, formStatus(err), form, profile.Form{})
}

// passwordChange changes the signed-in user's own password; every other
// session of the user ends, the current one stays.
func (a *App) passwordChange(c echo.Context) error {
	in := identity.PasswordChange{Old: c.FormValue("old_password"), New: c.FormValue("new_password"),
		Confirm: c.FormValue("confirm_password")}
	keep := identity.RowID(a.state(c).sess)
	err := a.svc.Passwords.Change(c.Request().Context(), principalOf(c), in, keep)
	if err == nil {
		return a.done(c, "/profile/personal", "profile.password.changed")
	}
	form, ferr := formError(err, nil)
	if ferr != nil {
		return ferr
	}
	return a.renderPersonal(c, formStatus(err), profile.Form{}, form)
}

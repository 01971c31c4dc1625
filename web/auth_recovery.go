package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/views/auth"
)

// recoveryRoutes are 忘记密码 (seed 003 §7.1.7; issue 15): the main account
// and the member's login name or e-mail, then the 6-digit code sent by
// e-mail and SMS and a new password. The answer never tells whether the
// account exists.
func (a *App) recoveryRoutes() []Route {
	return []Route{
		get("/login/forgot", access.Public, a.forgotPage),
		post("/login/forgot", access.Public, a.forgot),
		get("/login/reset/:token", access.Public, a.resetPage),
		post("/login/reset/:token", access.Public, a.reset),
	}
}

// forgotPage is the form; ?personal=1 is a personal Huawei account's,
// which names the account alone.
func (a *App) forgotPage(c echo.Context) error {
	return render(c, http.StatusOK, auth.Forgot(auth.ForgotVM{Personal: c.QueryParam("personal") == "1", Errors: map[string]string{}}))
}

func (a *App) forgot(c echo.Context) error {
	vm := auth.ForgotVM{MainLogin: c.FormValue("main_login"), Who: c.FormValue("who"), Personal: c.FormValue("personal") == "1"}
	main := vm.MainLogin
	if vm.Personal {
		main = vm.Who // a personal account is its own 管理员账号
	}
	token, err := a.svc.Recovery.Request(c.Request().Context(), main, vm.Who)
	if err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		vm.Errors, vm.Summary = ae.Fields, ae.MessageKey()
		return render(c, status, auth.Forgot(vm))
	}
	return c.Redirect(http.StatusSeeOther, "/login/reset/"+token)
}

func (a *App) resetPage(c echo.Context) error {
	return render(c, http.StatusOK, auth.ResetPage(auth.ResetVM{Token: c.Param("token"), Errors: map[string]string{}}))
}

func (a *App) reset(c echo.Context) error {
	token := c.Param("token")
	err := a.svc.Recovery.Complete(c.Request().Context(), token, c.FormValue("code"), c.FormValue("new_password"), c.FormValue("confirm_password"))
	if err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return render(c, status, auth.ResetPage(auth.ResetVM{Token: token, Errors: ae.Fields, Summary: ae.MessageKey()}))
	}
	a.flash(c, "success", "recovery.done")
	return c.Redirect(http.StatusSeeOther, "/login")
}

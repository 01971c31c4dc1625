package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/customer"
	"partnercenter/internal/identity"
	"partnercenter/internal/platform/apperr"
	cv "partnercenter/views/console"
)

// consoleLoginPath is the customer console's sign-in page.
const consoleLoginPath = cv.LoginPath

// consoleAuthRoutes are the customer console's own sign-in (登录华为云账号).
// It shares the partner sign-in's authenticator, throttling, session
// rotation and CSRF (a.signIn in auth.go); only cloud accounts are let in.
func (a *App) consoleAuthRoutes() []Route {
	return []Route{
		get("/console/login", access.Public, a.consoleLoginPage),
		post("/console/login", access.Public, a.consoleLogin),
	}
}

// consoleNext is where the console sign-in goes on to: next when given
// (an invitation, a console page), else 账号中心.
func consoleNext(next string) string {
	if next = safeNext(next); next == "/" {
		return "/console"
	}
	return next
}

// inviteOf is the invitation token a next path leads to, if any: the
// console sign-in's registration link carries it so that registering
// also comes back to the invitation.
func inviteOf(next string) string {
	tok, ok := strings.CutPrefix(next, customer.InvitePathPrefix)
	if !ok || strings.ContainsAny(tok, "/?#") {
		return ""
	}
	return tok
}

func (a *App) consoleLoginPage(c echo.Context) error {
	next := consoleNext(c.QueryParam("next"))
	if p := principalOf(c); p != nil {
		if !p.IsCustomer {
			return c.Redirect(http.StatusSeeOther, "/")
		}
		return c.Redirect(http.StatusSeeOther, next)
	}
	return render(c, http.StatusOK, cv.Login(cv.LoginVM{Next: next, Invite: inviteOf(next), SignedOut: c.QueryParam("out") == "1"}))
}

// consoleLogin signs a customer's cloud account in. A partner member's or
// vendor staff's account — right password or not, it is checked first —
// is refused in words and pointed to the partner sign-in, and no session
// is made for it.
func (a *App) consoleLogin(c echo.Context) error {
	next := consoleNext(c.FormValue("next"))
	vm := cv.LoginVM{LoginName: c.FormValue("login_name"), Next: next, Invite: inviteOf(next)}
	_, err := a.signIn(c, func(u *identity.User) error {
		if !u.IsCustomer() {
			return apperr.Invalid("console.login.err.partner_account")
		}
		return nil
	})
	if err != nil {
		if ae, ok := apperr.As(err); ok {
			vm.Error, vm.ErrArgs = ae.Key, ae.Args
			vm.PartnerAccount = ae.Key == "console.login.err.partner_account"
			return render(c, signInStatus(ae), cv.Login(vm))
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, next)
}

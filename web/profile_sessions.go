package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/identity"
	"partnercenter/views/profile"
)

// sessionsPage lists the signed-in user's own live sessions.
func (a *App) sessionsPage(c echo.Context) error {
	rows, err := a.Sessions.ListForUser(c.Request().Context(), principalOf(c))
	if err != nil {
		return err
	}
	cur := identity.RowID(a.state(c).sess)
	vm := profile.SessionsVM{}
	for _, r := range rows {
		vm.Rows = append(vm.Rows, profile.SessionRow{Row: r, Current: r.ID == cur})
	}
	return render(c, http.StatusOK, profile.Sessions(vm))
}

// sessionEnd signs one of the user's other devices out; another user's
// session id is a 404.
func (a *App) sessionEnd(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	cur := identity.RowID(a.state(c).sess)
	if err := (a.svc.Users).EndSession(c.Request().Context(), principalOf(c), id, cur); err != nil {
		return err
	}
	return a.done(c, "/profile/sessions", "profile.sessions.ended")
}

// sessionsEndOthers signs every other device of the user out.
func (a *App) sessionsEndOthers(c echo.Context) error {
	cur := identity.RowID(a.state(c).sess)
	if _, err := (a.svc.Users).EndOtherSessions(c.Request().Context(), principalOf(c), cur); err != nil {
		return err
	}
	return a.done(c, "/profile/sessions", "profile.sessions.others_ended")
}

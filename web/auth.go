package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/identity"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/i18n"
	"partnercenter/views/auth"
)

func (a *App) authRoutes() []Route {
	return []Route{
		get("/login", access.Public, a.loginPage),
		post("/login", access.Public, a.login),
		post("/logout", access.SignedIn, a.logout),
		post("/locale", access.Public, a.setLocale),
	}
}

func (a *App) loginPage(c echo.Context) error {
	if principalOf(c) != nil {
		return c.Redirect(http.StatusSeeOther, "/")
	}
	return render(c, http.StatusOK, auth.Login(auth.LoginForm{Next: safeNext(c.QueryParam("next")), SignedOut: c.QueryParam("out") == "1"}))
}

// login checks the credentials, rotates the session (a new token and row,
// the old one deleted) and sends the user on.
func (a *App) login(c echo.Context) error {
	form := auth.LoginForm{LoginName: c.FormValue("login_name"), Next: safeNext(c.FormValue("next"))}
	u, err := a.svc.Authenticator.
		Authenticate(c.Request().Context(), form.LoginName, c.FormValue("password"), c.RealIP())
	if err != nil {
		ae, ok := apperr.As(err)
		if !ok {
			return err
		}
		form.Error, form.ErrorArgs = ae.Key, ae.Args
		status := http.StatusUnprocessableEntity
		if ae.Kind == apperr.KindTooMany {
			status = http.StatusTooManyRequests
		}
		return render(c, status, auth.Login(form))
	}
	// A language picked on the sign-in page (the lang cookie) is kept: it
	// becomes the user's language, as if switched after signing in.
	if ck, err := c.Cookie("lang"); err == nil && ck.Value != "" {
		if lang := i18n.Normalize(ck.Value); lang != u.Locale {
			if err := a.svc.Users.SetLocale(c.Request().Context(), u.ID, lang); err != nil {
				return err
			}
		}
	}
	st := a.state(c)
	for k := range st.sess.Values {
		delete(st.sess.Values, k)
	}
	st.sess.Values[identity.KeyUserID] = strconv.FormatInt(u.ID, 10)
	if err := a.Sessions.Rotate(c.Request(), c.Response().Writer, st.sess); err != nil {
		return err
	}
	st.dirty = false
	if form.Next == "/" && u.IsCustomer() {
		form.Next = "/console" // a customer's home is its console
	}
	return c.Redirect(http.StatusSeeOther, form.Next)
}

func (a *App) logout(c echo.Context) error {
	st := a.state(c)
	st.sess.Options.MaxAge = -1
	st.dirty = true
	return a.seeOther(c, "/login?out=1")
}

// setLocale switches the language; it is remembered per user (and in a
// cookie for the sign-in page).
func (a *App) setLocale(c echo.Context) error {
	lang := i18n.Normalize(c.FormValue("lang"))
	c.SetCookie(&http.Cookie{Name: "lang", Value: lang, Path: "/", MaxAge: int((365 * 24 * time.Hour).Seconds()),
		HttpOnly: true, Secure: a.Config.SecureCookies, SameSite: http.SameSiteLaxMode})
	if u := currentUser(c); u != nil {
		if err := (a.svc.Users).SetLocale(c.Request().Context(), u.ID, lang); err != nil {
			return err
		}
	}
	back := "/"
	if ref, err := url.Parse(c.Request().Referer()); err == nil && ref.Host == c.Request().Host {
		back = safeNext(ref.RequestURI())
	}
	return a.seeOther(c, back)
}

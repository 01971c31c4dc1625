package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/customer"
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

// login is the partner sign-in (伙伴中心). A customer's cloud account signs
// in here too and is sent on to its console.
func (a *App) login(c echo.Context) error {
	form := auth.LoginForm{LoginName: c.FormValue("login_name"), Next: safeNext(c.FormValue("next"))}
	u, err := a.signIn(c, nil)
	if err != nil {
		if ae, ok := apperr.As(err); ok {
			form.Error, form.ErrorArgs = ae.Key, ae.Args
			return render(c, signInStatus(ae), auth.Login(form))
		}
		return err
	}
	if form.Next == "/" && u.IsCustomer() {
		form.Next = "/console" // a customer's home is its console
	}
	if form.Next == "/" && u.IsPersonal() {
		form.Next = "/me" // a person's home is its personal console
	}
	return c.Redirect(http.StatusSeeOther, form.Next)
}

// signIn is the one sign-in behind both sign-in pages (伙伴中心 /login and
// the customer console /console/login): the form's login_name and password
// go through the one authenticator (its failure throttling included);
// admit, when given, may then refuse an account that belongs on the other
// page — inside the authenticator, so a refused account is not signed in
// and its last sign-in time and failure count stay as they were.
// An admitted user keeps the language picked on the page and gets a
// rotated session. A refusal is an *apperr.Error for the page to show.
func (a *App) signIn(c echo.Context, admit func(*identity.User) error) (*identity.User, error) {
	ctx := c.Request().Context()
	u, err := a.svc.Authenticator.AuthenticateFor(ctx, c.FormValue("login_name"), c.FormValue("password"), c.RealIP(), admit)
	if err != nil {
		return nil, err
	}
	// A language picked on the sign-in page (the lang cookie) is kept: it
	// becomes the user's language, as if switched after signing in.
	if ck, err := c.Cookie("lang"); err == nil && ck.Value != "" {
		if lang := i18n.Normalize(ck.Value); lang != u.Locale {
			if err := a.svc.Users.SetLocale(ctx, u.ID, lang); err != nil {
				return nil, err
			}
		}
	}
	if err := a.startSession(c, u.ID, ""); err != nil {
		return nil, err
	}
	return u, nil
}

// startSession signs the user in on a fresh session: the old session's
// values are dropped and it is rotated (a new token and row, the old one
// deleted), so a token from before sign-in is worth nothing after. flash,
// when set, is a "kind|key" toast for the next page. Sign-in and the
// console's registration both go through it.
func (a *App) startSession(c echo.Context, userID int64, flash string) error {
	st := a.state(c)
	for k := range st.sess.Values {
		delete(st.sess.Values, k)
	}
	st.sess.Values[identity.KeyUserID] = strconv.FormatInt(userID, 10)
	if flash != "" {
		st.sess.Values[identity.KeyFlash] = flash
	}
	if err := a.Sessions.Rotate(c.Request(), c.Response().Writer, st.sess); err != nil {
		return err
	}
	st.dirty = false
	return nil
}

// signInStatus is the status of a refused sign-in: 429 when throttled,
// else 422.
func signInStatus(ae *apperr.Error) int {
	if ae.Kind == apperr.KindTooMany {
		return http.StatusTooManyRequests
	}
	return http.StatusUnprocessableEntity
}

// logout ends the session and returns to the sign-in page the user came
// through: the console's for a customer, the partner one otherwise.
func (a *App) logout(c echo.Context) error {
	back := "/login?out=1"
	if p := principalOf(c); p != nil && p.IsCustomer {
		back = consoleLoginPath + "?out=1"
	}
	st := a.state(c)
	st.sess.Options.MaxAge = -1
	st.dirty = true
	return a.seeOther(c, back)
}

// signInPage is the sign-in page for a request that needs one: the
// customer console's (/console/…, and the invitation links that customers
// open) or the partner one.
func signInPage(path string) string {
	if path == "/console" || strings.HasPrefix(path, "/console/") || strings.HasPrefix(path, customer.InvitePathPrefix) {
		return consoleLoginPath
	}
	return "/login"
}

// afterSignIn is where a signed-out form post (which cannot be replayed)
// continues after signing in: the invitation it was accepting, the
// console, or the home page.
func afterSignIn(path string) string {
	if tok, ok := strings.CutPrefix(path, customer.InvitePathPrefix); ok {
		if tok, _, _ = strings.Cut(tok, "/"); tok != "" {
			return customer.InvitePathPrefix + tok
		}
	}
	if signInPage(path) == consoleLoginPath {
		return "/console"
	}
	return "/"
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

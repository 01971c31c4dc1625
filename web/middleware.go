package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/identity"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/i18n"
	"partnercenter/internal/platform/metrics"
	"partnercenter/internal/platform/reqctx"
	"partnercenter/views/ui"
)

var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9-]{8,64}$`)

func randomID(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// knownMethods are the methods metrics label as they are.
var knownMethods = map[string]bool{http.MethodGet: true, http.MethodHead: true, http.MethodPost: true, http.MethodPut: true,
	http.MethodPatch: true, http.MethodDelete: true, http.MethodOptions: true}

// quietPaths are the probes logged at debug level only.
var quietPaths = map[string]bool{"/healthz": true, "/readyz": true}

// requestMeta gives every request an id, records the client address in
// the context for logs and the audit trail, and logs the outcome.
func (a *App) requestMeta(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		req := c.Request()
		id := req.Header.Get(echo.HeaderXRequestID)
		if !requestIDPattern.MatchString(id) {
			id = randomID(12)
		}
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		meta := &reqctx.Meta{RequestID: id, IP: c.RealIP(), UserAgent: req.UserAgent()}
		c.SetRequest(req.WithContext(reqctx.With(req.Context(), meta)))
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		status := c.Response().Status
		route := c.Path() // the route's pattern: ids do not make new series
		if route == "" {
			route = "unmatched"
		}
		method := req.Method
		if !knownMethods[method] {
			method = "other" // any string is a method to net/http: not a label
		}
		metrics.HTTPRequests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
		metrics.HTTPDuration.WithLabelValues(route, method).Observe(time.Since(start).Seconds())
		level := slog.LevelInfo
		switch {
		case status >= 500:
			level = slog.LevelError
		case quietPaths[req.URL.Path]:
			level = slog.LevelDebug // probes every few seconds would drown the log
		}
		a.Log.LogAttrs(req.Context(), level, "request",
			slog.String("request_id", id), slog.String("method", req.Method), slog.String("path", req.URL.Path),
			slog.Int("status", c.Response().Status), slog.Duration("duration", time.Since(start)),
			slog.Int64("user_id", meta.ActorID), slog.String("ip", meta.IP), slog.Int64("queries", meta.Queries.Load()))
		return nil
	}
}

func (a *App) recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				a.Log.Error("panic", "request_id", reqctx.From(c.Request().Context()).RequestID,
					"panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				err = fmt.Errorf("panic: %v", r)
			}
		}()
		return next(c)
	}
}

// contentSecurityPolicy allows no inline script and no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"

// noStore keeps every page out of shared and browser caches: pages show
// balances, customers and CSRF tokens (a download sets its own, stricter
// or equal, Cache-Control).
func noStore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "private, no-store")
		return next(c)
	}
}

func (a *App) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if a.Config.SecureCookies {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		return next(c)
	}
}

// sessionState is the request's server-side session and whether it must
// be written back.
type sessionState struct {
	sess  *sessions.Session
	dirty bool
}

const ctxSession = "pc.session"

func (a *App) state(c echo.Context) *sessionState {
	st, _ := c.Get(ctxSession).(*sessionState)
	return st
}

// loadSession reads the session and writes it back (when changed) just
// before the response header goes out.
func (a *App) loadSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		sess, err := a.Sessions.Get(c.Request(), a.Sessions.CookieName())
		if err != nil {
			return err
		}
		st := &sessionState{sess: sess}
		c.Set(ctxSession, st)
		c.Response().Before(func() {
			if st.dirty {
				if err := a.Sessions.Save(c.Request(), c.Response().Writer, st.sess); err != nil {
					a.Log.Error("session save", "err", err)
				}
				st.dirty = false
			}
		})
		return next(c)
	}
}

// csrfToken returns the session's CSRF token, creating it on first use.
func (a *App) csrfToken(c echo.Context) string {
	st := a.state(c)
	if st == nil {
		return ""
	}
	if tok, _ := st.sess.Values[identity.KeyCSRF].(string); tok != "" {
		return tok
	}
	tok := randomID(32)
	st.sess.Values[identity.KeyCSRF] = tok
	st.dirty = true
	return tok
}

func isSafeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// checkCSRF requires the session's token on every unsafe request, from
// the X-CSRF-Token header (htmx) or the _csrf form field. There is no
// exception for same-origin requests.
func (a *App) checkCSRF(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if isSafeMethod(c.Request().Method) {
			return next(c)
		}
		want, _ := a.state(c).sess.Values[identity.KeyCSRF].(string)
		got := c.Request().Header.Get("X-CSRF-Token")
		if got == "" {
			got = c.FormValue("_csrf")
		}
		if want == "" || subtle.ConstantTimeCompare([]byte(want), []byte(got)) != 1 {
			return &apperr.Error{Kind: apperr.KindForbidden, Key: "error.csrf"}
		}
		return next(c)
	}
}

const (
	ctxPrincipal = "pc.principal"
	ctxUser      = "pc.user"
)

// authenticate resolves the signed-in user, its partner and principal,
// the language, and the view context. A disabled or deleted user's
// session is ended on its next request.
func (a *App) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		ctx := req.Context()
		st := a.state(c)
		page := &ui.Page{Path: req.URL.Path, RequestID: reqctx.From(ctx).RequestID, HTMX: isHTMX(c)}
		page.CSRFToken = func() string { return a.csrfToken(c) }

		lang := ""
		if ck, err := req.Cookie("lang"); err == nil {
			lang = ck.Value
		}
		var principal *access.Principal
		if uidStr, _ := st.sess.Values[identity.KeyUserID].(string); uidStr != "" {
			uid, _ := strconv.ParseInt(uidStr, 10, 64)
			who, err := a.svc.signedInUser(ctx, uid, identity.AuthzStamp(st.sess))
			if err != nil {
				return err
			}
			if who == nil {
				// Revoked: drop the session and continue as anonymous.
				st.sess.Options.MaxAge = -1
				st.dirty = true
			} else {
				u, tenant := who.user, who.tenant
				principal = who.principal
				view := &ui.User{ID: u.ID, LoginName: u.LoginName, Name: u.Name(), IsMain: u.IsMain, IsVendor: u.IsVendor(), IsCustomer: u.IsCustomer(), IsPersonal: u.IsPersonal()}
				if tenant != nil {
					view.PartnerID, view.PartnerName = tenant.ID, tenant.Name
				}
				lang = u.Locale
				page.User = view
				m := reqctx.From(ctx)
				m.ActorID, m.ActorName, m.PartnerID = u.ID, u.LoginName, u.TenantID()
				c.Set(ctxUser, u)
				c.Set(ctxPrincipal, principal)
				// The unread badge is in the page frame, which an htmx
				// swap of a list never shows.
				if !page.HTMX {
					if page.Unread, err = a.svc.Notify.UnreadCount(ctx, principal); err != nil {
						return err
					}
				}
			}
		}
		// Chinese unless the user (or this browser, before sign-in) chose
		// English: the product's users work in Chinese whatever their
		// browser's default.
		page.Lang = i18n.Normalize(lang)
		page.Principal = principal
		page.Allow = func(key string) bool { return principal.Can(a.Perm(key)) }
		page.Nav, page.UserMenu = a.navigation(principal, req.URL.Path)
		if f, _ := st.sess.Values[identity.KeyFlash].(string); f != "" {
			page.Flash = decodeFlash(f)
			delete(st.sess.Values, identity.KeyFlash)
			st.dirty = true
		}
		ctx = i18n.WithLang(ctx, page.Lang)
		ctx = ui.With(ctx, page)
		c.SetRequest(req.WithContext(ctx))
		return next(c)
	}
}

// require refuses a request whose user lacks the route's item: anonymous
// users are sent to sign in, others get 没有访问权限.
func (a *App) require(perm access.Item) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if perm == access.Public {
				return next(c)
			}
			p := principalOf(c)
			if p == nil {
				return apperr.Unauthenticated()
			}
			if !p.Can(perm) {
				return apperr.Forbidden()
			}
			return next(c)
		}
	}
}

func principalOf(c echo.Context) *access.Principal {
	p, _ := c.Get(ctxPrincipal).(*access.Principal)
	return p
}

func currentUser(c echo.Context) *identity.User {
	u, _ := c.Get(ctxUser).(*identity.User)
	return u
}

func isHTMX(c echo.Context) bool { return c.Request().Header.Get("HX-Request") == "true" }

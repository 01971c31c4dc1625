package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/identity"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/config"
	"partnercenter/internal/platform/jobs"
	"partnercenter/static"
)

// App holds what handlers need: the domain services (built once by
// NewServices, the composition root), configuration, clock, session store
// and logger. It holds no database handle: handlers call services.
type App struct {
	svc      *Services
	Config   config.Config
	Clock    clock.Clock
	Sessions *identity.SessionStore
	Log      *slog.Logger
	// Jobs is the River client working background jobs in this process
	// (set by serve; nil when none runs here). Handlers enqueue with
	// jobs.WithTx in their own transaction and do not need it.
	Jobs *jobs.Client
	// Replica is the read replica's pool (set by serve when
	// DATABASE_REPLICA_URL is): bill exports read from it.
	Replica *gorm.DB
	// Stopping turns readiness to 503 while the server shuts down, so the
	// load balancer stops sending new requests before connections close.
	Stopping atomic.Bool

	perms map[string]access.Item // route key → permission item
}

// New builds the application and its Echo server.
func New(db *gorm.DB, cfg config.Config, clk clock.Clock, log *slog.Logger) (*App, *echo.Echo, error) {
	if clk == nil {
		return nil, nil, fmt.Errorf("web.New: a clock is required")
	}
	a := &App{
		svc: NewServices(db, clk), Config: cfg, Clock: clk, Log: log,
		Sessions: &identity.SessionStore{DB: db, Clock: clk, Idle: cfg.SessionIdle, Absolute: cfg.SessionAbsolute, Secure: cfg.SecureCookies},
	}
	a.svc.Webhooks.AllowPrivate = cfg.WebhookAllowPrivate
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = a.handleError
	// The client address is the socket's unless a proxy is configured:
	// X-Forwarded-For from anyone would let a client pick the IP that
	// sign-in throttling and the audit trail record.
	e.IPExtractor = echo.ExtractIPDirect()
	if cfg.TrustProxy {
		e.IPExtractor = echo.ExtractIPFromXFFHeader()
	}
	// Uploads are at most 10 MB (licence files, attachments); the limit
	// applies before anything parses the body. Consumption files, which
	// vendor finance uploads for a background import, may be larger
	// (largeUploads).
	e.Use(a.requestMeta, a.recoverPanics, a.securityHeaders, middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{
		Limit: "12M", Skipper: func(c echo.Context) bool { return largeUploads[c.Request().Method+" "+c.Path()] != "" },
	}), a.largeUploadLimit)
	// Static files: compressed, and cached for a year when asked for by
	// their fingerprinted URL (static.Path); revalidated otherwise.
	assets := e.Group("/static", staticCache, middleware.GzipWithConfig(middleware.GzipConfig{MinLength: 1024}))
	assets.StaticFS("/", echo.MustSubFS(static.FS, "."))

	a.perms = map[string]access.Item{}
	for _, r := range a.Routes() {
		if !access.Known(r.Perm) {
			return nil, nil, fmt.Errorf("route %s declares unknown permission item %q", r.Key(), r.Perm)
		}
		if _, dup := a.perms[r.Key()]; dup {
			return nil, nil, fmt.Errorf("route %s registered twice", r.Key())
		}
		a.perms[r.Key()] = r.Perm
		// Permission before CSRF: a refused request is refused the same way
		// whatever its token; the handler runs only with both.
		// Input is cleaned (cleanInput) once the route is allowed: a body
		// is parsed only for someone who may post it.
		mw := []echo.MiddlewareFunc{noStore, a.loadSession, a.authenticate, a.require(r.Perm), a.cleanInput, a.checkCSRF, exactCounts}
		e.Add(r.Method, r.Path, r.Handler, mw...)
		// HEAD works wherever GET does (uptime checks, link checkers); the
		// server sends the headers and drops the body.
		if r.Method == http.MethodGet {
			e.Add(http.MethodHead, r.Path, r.Handler, mw...)
		}
	}
	return a, e, nil
}

// Perm returns the permission item of a route key ("GET /org/members").
// It panics on an unknown key so that a typo in a view fails every test
// that renders it.
func (a *App) Perm(key string) access.Item {
	p, ok := a.perms[key]
	if !ok {
		panic("web: no route " + key)
	}
	return p
}

func (a *App) systemRoutes() []Route {
	return []Route{
		get("/healthz", access.Public, func(c echo.Context) error { return c.String(http.StatusOK, "ok") }),
		get("/readyz", access.Public, a.ready),
	}
}

func (a *App) ready(c echo.Context) error {
	if a.Stopping.Load() {
		return c.String(http.StatusServiceUnavailable, "shutting down")
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2e9)
	defer cancel()
	if err := a.svc.Ping(ctx); err != nil {
		return c.String(http.StatusServiceUnavailable, "database unavailable")
	}
	return c.String(http.StatusOK, "ready")
}

// staticCache: a file asked for with its current content hash (?v=, as
// static.Path writes it) never changes at that URL; any other request
// revalidates.
func staticCache(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		name := strings.TrimPrefix(c.Request().URL.Path, "/static/")
		if v := c.QueryParam("v"); v != "" && v == static.Version(name) {
			c.Response().Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			c.Response().Header().Set("Cache-Control", "no-cache")
		}
		return next(c)
	}
}

// Package config reads the process configuration from the environment.
// Every setting has a default that makes `make run` work untouched on a
// developer machine; Load validates every value and names the variable a
// bad one came from, and production mode (APP_ENV=production) refuses the
// development database and insecure cookies. The standard library does
// the parsing (a handful of scalar variables do not justify a
// dependency); docs/OPERATIONS.md lists every variable.
package config

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"partnercenter/internal/platform/secretbox"
)

// Config is the whole runtime configuration of the server.
type Config struct {
	// Env is development (default) or production (APP_ENV).
	Env string
	// DatabaseURL is the PostgreSQL DSN (DATABASE_URL).
	DatabaseURL string
	// Addr is the listen address (ADDR), default ":8080".
	Addr string
	// BaseURL is what the app prints and puts in links (BASE_URL).
	BaseURL string
	// SecureCookies marks cookies Secure and uses the __Host- prefix
	// (SECURE_COOKIES=1, set it whenever the app is served over HTTPS).
	SecureCookies bool
	// SessionIdle ends a session after this much inactivity (SESSION_IDLE).
	SessionIdle time.Duration
	// SessionAbsolute ends a session this long after sign-in whatever the
	// activity (SESSION_ABSOLUTE).
	SessionAbsolute time.Duration
	// TrustProxy takes the client address from X-Forwarded-For
	// (TRUST_PROXY=1, only behind a reverse proxy that sets it).
	TrustProxy bool
	// LogLevel is debug, info, warn or error (LOG_LEVEL).
	LogLevel string
	// SMTP sends e-mail when SMTPHost is set (SMTP_HOST, SMTP_PORT default
	// 587, SMTP_USERNAME, SMTP_PASSWORD, SMTP_FROM, SMTP_TLS: starttls,
	// required, tls or none); otherwise e-mails are only logged.
	SMTPHost, SMTPUsername, SMTPPassword, SMTPFrom, SMTPTLS string
	SMTPPort                                                int
	// SMSGatewayURL sends SMS through a provider's HTTP gateway
	// (SMS_GATEWAY_URL, SMS_GATEWAY_TOKEN); otherwise SMS are only logged.
	SMSGatewayURL, SMSGatewayToken string
	// WebhookAllowPrivate accepts webhook endpoints on loopback and
	// private addresses (WEBHOOK_ALLOW_PRIVATE=1; development and tests
	// only: in production an endpoint must not reach the internal network).
	WebhookAllowPrivate bool

	// DBMaxConns and DBMaxIdleConns size the web pool (DB_MAX_CONNS 20,
	// DB_MAX_IDLE_CONNS 10); JobsMaxConns River's pool (JOBS_MAX_CONNS 6)
	// and JobsWorkers the jobs worked at once (JOBS_WORKERS 2). A server
	// holds up to DBMaxConns + JobsMaxConns connections.
	DBMaxConns, DBMaxIdleConns, JobsMaxConns, JobsWorkers int
	// ApplicationName names the server's connections in pg_stat_activity
	// (DB_APPLICATION_NAME, default partnercenter; River's pool adds
	// "-jobs").
	ApplicationName string
	// SlowQuery logs every statement slower than this with its request id
	// (SLOW_QUERY, default 500ms; 0 turns it off).
	SlowQuery time.Duration
	// AdminAddr serves /metrics (and /debug/pprof with Pprof) on a second
	// listener (ADMIN_ADDR, off by default; bind it to a private address).
	AdminAddr string
	// Pprof adds Go's profiler to the admin listener (PPROF=1).
	Pprof bool
	// ShutdownGrace is how long a stopping server lets requests and
	// running jobs finish before it cancels them (SHUTDOWN_GRACE, 25s).
	ShutdownGrace time.Duration
	// ShutdownDrain is how long readiness answers 503 before the listener
	// closes (SHUTDOWN_DRAIN, 5s; 0 in tests), within the grace.
	ShutdownDrain time.Duration
	// Migrate runs the migrations when serve starts (MIGRATE_ON_START,
	// default on; off where a release step runs migrate up).
	Migrate bool
	// ExportRetention is how long a finished export's file is kept
	// (EXPORT_RETENTION_DAYS, default 7); the task's row stays, expired.
	ExportRetention time.Duration
	// ReplicaURL is a read replica's DSN (DATABASE_REPLICA_URL, optional):
	// bill exports read their lines from it.
	ReplicaURL string
	// SecretKeys seal the TOTP seeds at rest (SECRET_KEYS: comma-separated
	// id:base64 32-byte keys, the sealing one first; unset outside
	// production: a development key). Rotation: docs/OPERATIONS.md.
	SecretKeys string
}

// Environments.
const (
	Development = "development"
	Production  = "production"
)

// DefaultDatabaseURL is the local development database.
const DefaultDatabaseURL = "postgres://postgres:postgres@127.0.0.1:5432/partner_dev?sslmode=disable"

// reader reads variables and gathers every bad one.
type reader struct {
	get  func(string) string
	errs []error
}

func (r *reader) bad(key, v, want string) {
	r.errs = append(r.errs, fmt.Errorf("%s=%q: %s", key, v, want))
}

func (r *reader) str(key, def string) string {
	if v := strings.TrimSpace(r.get(key)); v != "" {
		return v
	}
	return def
}

// boolean accepts 1/0, true/false, yes/no, on/off (any case); anything
// else is an error, not false. Unset is false.
func (r *reader) boolean(key string) bool { return r.booleanDefault(key, false) }

// booleanDefault is boolean with def for unset.
func (r *reader) booleanDefault(key string, def bool) bool {
	v := strings.ToLower(strings.TrimSpace(r.get(key)))
	switch v {
	case "":
		return def
	case "0", "false", "no", "off":
		return false
	case "1", "true", "yes", "on":
		return true
	}
	r.bad(key, v, "want 1 or 0 (true/false, yes/no, on/off)")
	return def
}

// durationOrZero is duration where 0 means off.
func (r *reader) durationOrZero(key string, def time.Duration) time.Duration {
	if strings.TrimSpace(r.get(key)) == "0" {
		return 0
	}
	return r.duration(key, def)
}

func (r *reader) duration(key string, def time.Duration) time.Duration {
	v := strings.TrimSpace(r.get(key))
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		r.bad(key, v, "want a positive duration such as 30m or 12h")
		return def
	}
	return d
}

func (r *reader) integer(key string, def, lo, hi int) int {
	v := strings.TrimSpace(r.get(key))
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		r.bad(key, v, fmt.Sprintf("want a whole number from %d to %d", lo, hi))
		return def
	}
	return n
}

func (r *reader) oneOf(key, def string, allowed ...string) string {
	v := r.str(key, def)
	if !slices.Contains(allowed, v) {
		r.bad(key, v, "want one of "+strings.Join(allowed, ", "))
		return def
	}
	return v
}

// Load reads the configuration from the environment and validates it.
func Load() (Config, error) { return load(os.Getenv) }

func load(get func(string) string) (Config, error) {
	r := &reader{get: get}
	c := Config{
		Env:             r.oneOf("APP_ENV", Development, Development, Production),
		DatabaseURL:     r.str("DATABASE_URL", ""),
		Addr:            r.str("ADDR", ":8080"),
		SecureCookies:   r.boolean("SECURE_COOKIES"),
		TrustProxy:      r.boolean("TRUST_PROXY"),
		SessionIdle:     r.duration("SESSION_IDLE", 30*time.Minute),
		SessionAbsolute: r.duration("SESSION_ABSOLUTE", 12*time.Hour),
		LogLevel:        r.oneOf("LOG_LEVEL", "info", "debug", "info", "warn", "error"),
		SMTPHost:        r.str("SMTP_HOST", ""),
		SMTPPort:        r.integer("SMTP_PORT", 587, 1, 65535),
		SMTPUsername:    r.str("SMTP_USERNAME", ""),
		SMTPPassword:    r.get("SMTP_PASSWORD"),
		SMTPFrom:        r.str("SMTP_FROM", "noreply@partnercenter.local"),
		SMTPTLS:         r.oneOf("SMTP_TLS", "starttls", "starttls", "required", "tls", "none"),
		SMSGatewayURL:   r.str("SMS_GATEWAY_URL", ""),
		SMSGatewayToken: r.get("SMS_GATEWAY_TOKEN"),

		WebhookAllowPrivate: r.boolean("WEBHOOK_ALLOW_PRIVATE"),

		DBMaxConns:      r.integer("DB_MAX_CONNS", 20, 2, 1000),
		DBMaxIdleConns:  -1, // below: at most DB_MAX_CONNS unless set
		JobsMaxConns:    r.integer("JOBS_MAX_CONNS", 6, 3, 1000),
		JobsWorkers:     r.integer("JOBS_WORKERS", 2, 1, 1000),
		ApplicationName: r.str("DB_APPLICATION_NAME", "partnercenter"),
		SlowQuery:       r.durationOrZero("SLOW_QUERY", 500*time.Millisecond),
		AdminAddr:       r.str("ADMIN_ADDR", ""),
		Pprof:           r.boolean("PPROF"),
		ShutdownGrace:   r.duration("SHUTDOWN_GRACE", 25*time.Second),
		ShutdownDrain:   r.durationOrZero("SHUTDOWN_DRAIN", 5*time.Second),
		Migrate:         r.booleanDefault("MIGRATE_ON_START", true),
		ExportRetention: time.Duration(r.integer("EXPORT_RETENTION_DAYS", 7, 1, 3650)) * 24 * time.Hour,
		SecretKeys:      r.get("SECRET_KEYS"),
		ReplicaURL:      r.str("DATABASE_REPLICA_URL", ""),
	}
	switch {
	case c.SecretKeys == "" && c.Env == Production:
		r.bad("SECRET_KEYS", "", "production seals the authenticator seeds with its own key: set SECRET_KEYS (docs/OPERATIONS.md)")
	case c.SecretKeys == "":
		c.SecretKeys = secretbox.DevelopmentKeys
	default:
		if _, err := secretbox.Parse(c.SecretKeys); err != nil {
			r.bad("SECRET_KEYS", "(hidden)", err.Error())
		}
	}
	c.DBMaxIdleConns = r.integer("DB_MAX_IDLE_CONNS", min(10, c.DBMaxConns), 0, 1000)
	if c.DBMaxIdleConns > c.DBMaxConns {
		r.bad("DB_MAX_IDLE_CONNS", strconv.Itoa(c.DBMaxIdleConns), "want at most DB_MAX_CONNS")
	}
	if c.JobsWorkers >= c.JobsMaxConns {
		r.bad("JOBS_WORKERS", strconv.Itoa(c.JobsWorkers), "want fewer than JOBS_MAX_CONNS (River keeps connections for fetching and LISTEN)")
	}
	if c.AdminAddr != "" && !strings.Contains(c.AdminAddr, ":") {
		r.bad("ADMIN_ADDR", c.AdminAddr, "want host:port")
	}
	if c.Pprof && c.AdminAddr == "" {
		r.bad("PPROF", "1", "the profiler is served on ADMIN_ADDR: set it too")
	}
	if n := len(c.ApplicationName); n == 0 || n > 50 || strings.ContainsAny(c.ApplicationName, " '\"&=?") {
		r.bad("DB_APPLICATION_NAME", c.ApplicationName, "want a short name without spaces or quotes")
	}
	if !strings.Contains(c.Addr, ":") {
		r.bad("ADDR", c.Addr, "want host:port or :port")
	}
	c.BaseURL = r.str("BASE_URL", "http://localhost"+portOf(c.Addr))
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		r.bad("BASE_URL", c.BaseURL, "want an absolute http(s) URL")
	}
	if c.SessionAbsolute < c.SessionIdle {
		r.bad("SESSION_ABSOLUTE", c.SessionAbsolute.String(), "want at least SESSION_IDLE")
	}
	if c.SMSGatewayURL != "" {
		if u, err := url.Parse(c.SMSGatewayURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			r.bad("SMS_GATEWAY_URL", c.SMSGatewayURL, "want an absolute http(s) URL")
		}
	}
	switch {
	case c.Env == Development && c.DatabaseURL == "":
		c.DatabaseURL = DefaultDatabaseURL
	case c.Env == Production && (c.DatabaseURL == "" || c.DatabaseURL == DefaultDatabaseURL):
		r.bad("DATABASE_URL", c.DatabaseURL, "production needs its own database, not the development default")
	}
	if c.Env == Production {
		if !c.SecureCookies {
			r.bad("SECURE_COOKIES", get("SECURE_COOKIES"), "production serves over HTTPS: set SECURE_COOKIES=1")
		}
		if c.WebhookAllowPrivate {
			r.bad("WEBHOOK_ALLOW_PRIVATE", get("WEBHOOK_ALLOW_PRIVATE"), "production must not deliver webhooks to the internal network")
		}
		if strings.HasPrefix(c.BaseURL, "http://") {
			r.bad("BASE_URL", c.BaseURL, "production links are https")
		}
	}
	if len(r.errs) > 0 {
		return c, fmt.Errorf("configuration: %w", errors.Join(r.errs...))
	}
	return c, nil
}

// FromEnv is Load for tests and tools that take the defaults for whatever
// is unset or bad.
func FromEnv() Config {
	c, _ := Load()
	return c
}

func portOf(addr string) string {
	for i := len(addr) - 1; i >= 0; i-- {
		if addr[i] == ':' {
			return addr[i:]
		}
	}
	return ":8080"
}

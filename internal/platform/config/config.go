// Package config reads the process configuration from the environment.
// Every setting has a default that makes `make run` work untouched on a
// developer machine.
package config

import (
	"os"
	"strconv"
	"time"
)

// Config is the whole runtime configuration of the server.
type Config struct {
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
}

// DefaultDatabaseURL is the local development database.
const DefaultDatabaseURL = "postgres://postgres:postgres@127.0.0.1:5432/partner_dev?sslmode=disable"

// FromEnv returns the configuration from the environment with defaults.
func FromEnv() Config {
	c := Config{
		DatabaseURL:     env("DATABASE_URL", DefaultDatabaseURL),
		Addr:            env("ADDR", ":8080"),
		SecureCookies:   envBool("SECURE_COOKIES"),
		TrustProxy:      envBool("TRUST_PROXY"),
		SessionIdle:     envDuration("SESSION_IDLE", 30*time.Minute),
		SessionAbsolute: envDuration("SESSION_ABSOLUTE", 12*time.Hour),
		LogLevel:        env("LOG_LEVEL", "info"),
	}
	c.BaseURL = env("BASE_URL", "http://localhost"+portOf(c.Addr))
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

func env(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func envBool(key string) bool {
	v, _ := strconv.ParseBool(os.Getenv(key))
	return v
}

func envDuration(key string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(key)); err == nil && d > 0 {
		return d
	}
	return def
}

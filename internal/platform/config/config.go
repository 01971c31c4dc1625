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
		SMTPHost:        os.Getenv("SMTP_HOST"),
		SMTPPort:        envInt("SMTP_PORT", 587),
		SMTPUsername:    os.Getenv("SMTP_USERNAME"),
		SMTPPassword:    os.Getenv("SMTP_PASSWORD"),
		SMTPFrom:        env("SMTP_FROM", "noreply@partnercenter.local"),
		SMTPTLS:         env("SMTP_TLS", "starttls"),
		SMSGatewayURL:   os.Getenv("SMS_GATEWAY_URL"),
		SMSGatewayToken: os.Getenv("SMS_GATEWAY_TOKEN"),

		WebhookAllowPrivate: envBool("WEBHOOK_ALLOW_PRIVATE"),
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

func envInt(key string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(key)); err == nil && n > 0 {
		return n
	}
	return def
}

package config

import (
	"strings"
	"testing"
	"time"
)

func loadFrom(vars map[string]string) (Config, error) {
	return load(func(k string) string { return vars[k] })
}

// Nothing set: the development defaults that make `make run` work.
func TestDefaults(t *testing.T) {
	c, err := loadFrom(nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Env != Development || c.DatabaseURL != DefaultDatabaseURL || c.Addr != ":8080" || c.BaseURL != "http://localhost:8080" ||
		c.SessionIdle != 30*time.Minute || c.SecureCookies || c.LogLevel != "info" || c.SMTPPort != 587 {
		t.Fatalf("%+v", c)
	}
}

// Every spelling of a boolean the docs name; anything else is an error,
// not false.
func TestBooleans(t *testing.T) {
	for v, want := range map[string]bool{"1": true, "true": true, "YES": true, "on": true, "0": false, "false": false, "no": false, "Off": false} {
		c, err := loadFrom(map[string]string{"SECURE_COOKIES": v})
		if err != nil || c.SecureCookies != want {
			t.Errorf("SECURE_COOKIES=%s: %v %v", v, c.SecureCookies, err)
		}
	}
}

// Each bad value is named in one error listing them all.
func TestBadValuesNameTheirVariables(t *testing.T) {
	_, err := loadFrom(map[string]string{"SECURE_COOKIES": "yep", "SESSION_IDLE": "ten minutes", "LOG_LEVEL": "verbose", "SMTP_PORT": "0",
		"SMTP_TLS": "ssl", "BASE_URL": "partner.example.cn", "APP_ENV": "staging", "ADDR": "8080"})
	if err == nil {
		t.Fatal("bad values accepted")
	}
	for _, v := range []string{"SECURE_COOKIES", "SESSION_IDLE", "LOG_LEVEL", "SMTP_PORT", "SMTP_TLS", "BASE_URL", "APP_ENV", "ADDR"} {
		if !strings.Contains(err.Error(), v+"=") {
			t.Errorf("%s is not named: %v", v, err)
		}
	}
	if _, err := loadFrom(map[string]string{"SESSION_IDLE": "2h", "SESSION_ABSOLUTE": "1h"}); err == nil || !strings.Contains(err.Error(), "SESSION_ABSOLUTE") {
		t.Errorf("an absolute session shorter than the idle one: %v", err)
	}
}

// Production refuses the development database (or none), insecure
// cookies, private webhooks and an http base URL; set right, it loads.
func TestProductionRefusesDevelopmentSettings(t *testing.T) {
	_, err := loadFrom(map[string]string{"APP_ENV": "production"})
	if err == nil || !strings.Contains(err.Error(), "DATABASE_URL") || !strings.Contains(err.Error(), "SECURE_COOKIES") || !strings.Contains(err.Error(), "BASE_URL") {
		t.Fatalf("production with the defaults: %v", err)
	}
	if _, err := loadFrom(map[string]string{"APP_ENV": "production", "DATABASE_URL": DefaultDatabaseURL, "SECURE_COOKIES": "1",
		"BASE_URL": "https://partner.example.cn"}); err == nil || !strings.Contains(err.Error(), "DATABASE_URL") {
		t.Fatalf("production on the development database: %v", err)
	}
	prod := map[string]string{"APP_ENV": "production", "DATABASE_URL": "postgres://pc@db.internal:5432/partner?sslmode=require",
		"SECURE_COOKIES": "1", "BASE_URL": "https://partner.example.cn", "TRUST_PROXY": "1"}
	if _, err := loadFrom(prod); err == nil || !strings.Contains(err.Error(), "SECRET_KEYS") {
		t.Fatalf("production without its own secret key: %v", err)
	}
	prod["SECRET_KEYS"] = "k1:tooshort"
	if _, err := loadFrom(prod); err == nil || !strings.Contains(err.Error(), "SECRET_KEYS") || strings.Contains(err.Error(), "tooshort") {
		t.Fatalf("a bad key, or its value in the message: %v", err)
	}
	prod["SECRET_KEYS"] = "k1:" + strings.Repeat("A", 43) + "="
	c, err := loadFrom(prod)
	if err != nil || c.Env != Production || !c.SecureCookies || !c.TrustProxy {
		t.Fatalf("a production configuration: %+v %v", c, err)
	}
}

// A small web pool alone is valid: the idle default follows it.
func TestSmallPoolsAreValid(t *testing.T) {
	c, err := loadFrom(map[string]string{"DB_MAX_CONNS": "4", "JOBS_MAX_CONNS": "3"})
	if err != nil || c.DBMaxIdleConns != 4 || c.JobsWorkers != 2 {
		t.Fatalf("%+v %v", c, err)
	}
}

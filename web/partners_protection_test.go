package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"partnercenter/internal/demo"
)

// 保护期设置: out-of-range days are refused in the page (in Chinese) and
// change nothing; valid ones are saved.
func TestProtectionSettingsForm(t *testing.T) {
	env := newEnv(t)
	c := env.as(t, demo.VendorAdmin)
	if r := c.get("/partners/protection"); r.Status != http.StatusOK || !strings.Contains(r.Body, `data-testid="protection-form"`) {
		t.Fatalf("the page: %d", r.Status)
	}
	r := c.post("/partners/protection", url.Values{"report_days": {"90"}, "warn_days": {"99"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "提醒天数须在 0 到 60 之间") {
		t.Fatalf("99 warning days: %d", r.Status)
	}
	var warn string
	env.DB.Raw(`SELECT value FROM settings WHERE key = 'protection_warn_days'`).Scan(&warn)
	if warn != "7" {
		t.Fatalf("a refused form changed the setting to %q", warn)
	}
	if r := c.post("/partners/protection", url.Values{"report_days": {"90"}, "warn_days": {"10"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("save: %d", r.Status)
	}
	env.DB.Raw(`SELECT value FROM settings WHERE key = 'protection_warn_days'`).Scan(&warn)
	if warn != "10" {
		t.Fatalf("saved %q", warn)
	}
	_ = env.DB.Exec(`UPDATE settings SET value = '7' WHERE key = 'protection_warn_days'`)
}

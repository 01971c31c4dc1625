// Package ui is what every view reads from the request context: the
// language and translations, the signed-in user, the permission set (Can,
// Allowed), the CSRF token, the navigation, the flash toast. The web layer
// fills a Page per request; views never reach into the database.
package ui

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"partnercenter/internal/access"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/i18n"
	"partnercenter/internal/platform/money"
)

// User is the signed-in user as views see it.
type User struct {
	ID          int64
	LoginName   string
	Name        string
	IsMain      bool
	IsVendor    bool
	IsCustomer  bool
	IsPersonal  bool
	PartnerID   int64
	PartnerName string
}

// NavPage is one page link of the navigation.
type NavPage struct {
	Label  string // catalog id
	Path   string
	Active bool
}

// NavGroup groups pages in a menu's left sub-navigation.
type NavGroup struct {
	Label string // catalog id, may be empty
	Pages []NavPage
}

// NavMenu is a top-level menu with its sub-navigation.
type NavMenu struct {
	Key    string
	Label  string // catalog id
	Path   string // first visible page
	Active bool
	Groups []NavGroup
}

// Flash is a toast carried across a redirect.
type Flash struct {
	Kind string // success, error, info
	Key  string
}

// Crumb is one breadcrumb step.
type Crumb struct {
	Label string // catalog id or literal when Raw
	Path  string
	Raw   bool
}

// Page is the per-request view context.
type Page struct {
	Lang      string
	User      *User
	Principal *access.Principal
	Nav       []NavMenu
	UserMenu  []NavPage // 伙伴信息 pages in the user dropdown
	Unread    int64
	Flash     *Flash
	Path      string
	RequestID string
	HTMX      bool

	CSRFToken func() string
	Allow     func(routeKey string) bool
}

type key struct{}

// With returns ctx carrying p.
func With(ctx context.Context, p *Page) context.Context { return context.WithValue(ctx, key{}, p) }

// P returns the page context (an empty anonymous page when unset).
func P(ctx context.Context) *Page {
	if p, ok := ctx.Value(key{}).(*Page); ok && p != nil {
		return p
	}
	return &Page{Lang: i18n.ZhCN}
}

// T translates a catalog id in the request's language.
func T(ctx context.Context, id string, data ...map[string]any) string {
	return i18n.T(ctx, id, data...)
}

// Can reports whether the user holds a permission item.
func Can(ctx context.Context, it access.Item) bool { return P(ctx).Principal.Can(it) }

// Allowed reports whether the user may call a route ("POST /org/members").
// Buttons are drawn with it so that they match the route table exactly.
func Allowed(ctx context.Context, routeKey string) bool {
	p := P(ctx)
	if p.Allow == nil {
		return false
	}
	return p.Allow(routeKey)
}

// CSRF returns the CSRF token for forms and htmx headers.
func CSRF(ctx context.Context) string {
	p := P(ctx)
	if p.CSRFToken == nil {
		return ""
	}
	return p.CSRFToken()
}

// HXHeaders is the hx-headers attribute value carrying the CSRF token.
func HXHeaders(ctx context.Context) string {
	return fmt.Sprintf(`{"X-CSRF-Token": %q}`, CSRF(ctx))
}

// DateTime formats a time in China time, as the seeds show it.
func DateTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(clock.China).Format("2006-01-02 15:04:05")
}

// DateTimeP formats an optional time.
func DateTimeP(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return DateTime(*t)
}

// Date formats a date in China time.
func Date(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(clock.China).Format("2006-01-02")
}

// Money formats an amount with ¥, thousands separators and the given
// number of decimals (2 for charged amounts, 8 for prices), through the
// one formatter (money.Grouped).
func Money(d decimal.Decimal, places int32) string {
	g := money.Grouped(d, places)
	if strings.HasPrefix(g, "-") {
		return "-¥" + g[1:]
	}
	return "¥" + g
}

// Itoa formats an id for URLs.
func Itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Count is a count with thousands separators (10,000), for totals.
func Count(n int64) string { return money.Grouped(decimal.NewFromInt(n), 0) }

// Path joins URL parts: Path("/org/members/", id, "/edit").
func Path(parts ...any) string {
	var b strings.Builder
	for _, p := range parts {
		fmt.Fprint(&b, p)
	}
	return b.String()
}

// Bool is a boolean as a data attribute holds it ("true" / "false").
func Bool(b bool) string { return strconv.FormatBool(b) }

// FileSize is a file's size for people: 1.2 MB, 340 KB, 12 B.
func FileSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// Package profile renders 伙伴信息 > 基本信息: company info (licence data,
// contacts, logo, introduction), account info (accounts of the same legal
// entity), the personal profile with the password form, and the signed-in
// devices.
package profile

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"partnercenter/internal/identity"
	"partnercenter/internal/partner"
	"partnercenter/views/ui"
)

// Form carries a form's entered values and errors for re-rendering.
type Form struct {
	Values  map[string]string
	Errors  map[string]string // field → catalog key
	Summary string            // catalog key shown above the form
	Args    map[string]any
}

// V returns an entered value.
func (f Form) V(name string) string {
	if f.Values == nil {
		return ""
	}
	return f.Values[name]
}

// E returns a field's error key.
func (f Form) E(name string) string {
	if f.Errors == nil {
		return ""
	}
	return f.Errors[name]
}

// CompanyVM is 基本信息 > 公司信息.
type CompanyVM struct {
	Partner *partner.Partner
	// Edit is the section shown as a form: "", "licence", "contacts", "intro".
	Edit string
	Form Form
	// LogoForm holds the logo upload's error.
	LogoForm Form
}

// AccountVM is 基本信息 > 账号信息.
type AccountVM struct {
	Info       *partner.AccountInfo
	EcoManager *identity.User
}

// PersonalVM is 基本信息 > 个人资料.
type PersonalVM struct {
	User     *identity.User
	Profile  Form
	Password Form
}

// SessionRow is one signed-in device.
type SessionRow struct {
	Row     identity.SessionRow
	Current bool
}

// SessionsVM is 基本信息 > 登录设备.
type SessionsVM struct {
	Rows []SessionRow
}

func initial(name string) string {
	r, _ := utf8.DecodeRuneInString(name)
	if r == utf8.RuneError {
		return "?"
	}
	return string(r)
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}

func dateOf(p *partner.Partner) string {
	if p.EstablishedOn == nil {
		return ""
	}
	return p.EstablishedOn.Format("2006-01-02")
}

// LicenceValues are the licence form's initial values.
func LicenceValues(p *partner.Partner) map[string]string {
	return map[string]string{
		"name": p.Name, "registered_capital": p.RegisteredCapital, "established_on": dateOf(p),
		"legal_representative": p.LegalRepresentative, "address": p.Address, "postal_code": p.PostalCode,
		"business_scope": p.BusinessScope,
	}
}

// ContactValues are the contacts form's initial values.
func ContactValues(p *partner.Partner) map[string]string {
	return map[string]string{"contact_name": p.ContactName, "contact_position": p.ContactPosition,
		"contact_mobile": p.ContactMobile, "contact_email": p.ContactEmail}
}

// ProfileValues are the personal form's initial values.
func ProfileValues(u *identity.User) map[string]string {
	return map[string]string{"display_name": u.DisplayName, "email": identity.Str(u.Email),
		"mobile": identity.Str(u.Mobile), "position": u.Position, "locale": u.Locale}
}

// maskMobile shows 138****0001.
func maskMobile(s string) string {
	if len(s) != 11 {
		return orDash(s)
	}
	return s[:3] + "****" + s[7:]
}

// maskEmail shows a***@example.com.
func maskEmail(s string) string {
	at := strings.LastIndexByte(s, '@')
	if at <= 0 {
		return orDash(s)
	}
	r, _ := utf8.DecodeRuneInString(s)
	return string(r) + "***" + s[at:]
}

var (
	reEdge    = regexp.MustCompile(`Edg(?:e|A|iOS)?/(\d+)`)
	reChrome  = regexp.MustCompile(`(?:Chrome|CriOS)/(\d+)`)
	reFirefox = regexp.MustCompile(`(?:Firefox|FxiOS)/(\d+)`)
	reSafari  = regexp.MustCompile(`Version/(\d+)[\d.]* .*Safari/`)
)

// Device summarises a user agent as "Chrome 120 · Windows".
func Device(ua string) string {
	if strings.TrimSpace(ua) == "" {
		return ""
	}
	browser := ""
	switch {
	case reEdge.MatchString(ua):
		browser = "Edge " + reEdge.FindStringSubmatch(ua)[1]
	case strings.Contains(ua, "MicroMessenger"):
		browser = "WeChat"
	case reFirefox.MatchString(ua):
		browser = "Firefox " + reFirefox.FindStringSubmatch(ua)[1]
	case reChrome.MatchString(ua):
		browser = "Chrome " + reChrome.FindStringSubmatch(ua)[1]
	case reSafari.MatchString(ua):
		browser = "Safari " + reSafari.FindStringSubmatch(ua)[1]
	case strings.HasPrefix(ua, "Go-http-client"):
		browser = "Go HTTP"
	case strings.HasPrefix(ua, "curl/"):
		browser = "curl"
	}
	os := ""
	switch {
	case strings.Contains(ua, "Windows"):
		os = "Windows"
	case strings.Contains(ua, "iPhone"), strings.Contains(ua, "iPad"):
		os = "iOS"
	case strings.Contains(ua, "Mac OS X"), strings.Contains(ua, "Macintosh"):
		os = "macOS"
	case strings.Contains(ua, "HarmonyOS"):
		os = "HarmonyOS"
	case strings.Contains(ua, "Android"):
		os = "Android"
	case strings.Contains(ua, "Linux"):
		os = "Linux"
	}
	switch {
	case browser != "" && os != "":
		return browser + " · " + os
	case browser != "":
		return browser
	case os != "":
		return os
	}
	if r := []rune(ua); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return ua
}

func siteKey(s string) string { return "profile.site." + s }

var _ = ui.Itoa

// SecurityVM is 安全设置: the authenticator app (动态验证码).
type SecurityVM struct {
	Enabled bool
	// Secret and QR (a data: URI PNG) of a new authenticator to enrol.
	Secret, QR string
	Summary    string
	Errors     map[string]string
}

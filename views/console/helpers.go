// Package console renders the customer console (云账号中心) that customers
// of partners (子客户) use: registration, the invitation landing page with
// its pre-checks and the agreement 《客户关联华为云合作伙伴须知》, 账号中心,
// 我的合作伙伴 with pending requests (立即处理), consent to a partner's
// switch or unbinding, and the customer's own unbinding request (seed 003
// §12.4; spec §4.4–4.6).
package console

import (
	"net/url"

	"partnercenter/internal/customer"
	"partnercenter/internal/partner"
	"partnercenter/views/components"
)

// RegisterVM is the registration page. Invite is the invitation token the
// visitor came from (carried through so it lands back on the invitation).
type RegisterVM struct {
	Form    customer.RegisterInput
	Invite  string
	Errors  map[string]string
	Error   string
	ErrArgs map[string]any
}

// LoginVM is the console sign-in page. Invite is the invitation token
// next leads to (its registration link carries it on).
type LoginVM struct {
	LoginName string
	Next      string
	Invite    string
	SignedOut bool
	Error     string
	ErrArgs   map[string]any
	// PartnerAccount: a partner or vendor account tried to sign in here;
	// the page links to the partner sign-in.
	PartnerAccount bool
}

// LandingVM is the invitation landing page.
type LandingVM struct {
	Landing *customer.Landing
	// Anonymous visitor: offer 注册新账号 and 登录.
	Anonymous bool
	// Customer is set when a customer is signed in: the pre-checks ran.
	Pre *customer.Precheck
	// NotCustomer: a partner or vendor account is signed in.
	NotCustomer bool
	// AgreeErr is the inline error under the agreement checkbox.
	AgreeErr string
	// Error is a refusal at acceptance (a check failed in the meantime).
	Error   string
	ErrArgs map[string]any
}

// AccountVM is 账号中心.
type AccountVM struct {
	Account *customer.Account
}

// PartnersVM is 我的合作伙伴.
type PartnersVM struct {
	P       *customer.MyPartners
	Partner *partner.Partner // the associated partner's company, nil without one
	// Agreement is the version of the agreement the customer signed.
	Agreement string
}

// RequestVM is the 立即处理 page of one request.
type RequestVM struct {
	Row     customer.RequestRow
	Current *customer.CurrentPartner
	AckErr  string
	Error   string
	ErrArgs map[string]any
}

// UnbindVM is the customer's unbinding request form.
type UnbindVM struct {
	P       *customer.MyPartners
	Reason  string
	Errors  map[string]string
	Error   string
	ErrArgs map[string]any
}

func errOf(m map[string]string, k string) string {
	if m == nil {
		return ""
	}
	return m[k]
}

// registerPath is the registration URL, with the invitation carried on.
func registerPath(invite string) string {
	if invite == "" {
		return "/console/register"
	}
	return "/console/register?invite=" + url.QueryEscape(invite)
}

// LoginPath is the customer console's sign-in page (web's route and
// redirects use it too).
const LoginPath = "/console/login"

// loginPath signs in on the console's sign-in page and comes back to the
// invitation (without one, to 账号中心).
func loginPath(token string) string {
	if token == "" {
		return LoginPath
	}
	return LoginPath + "?next=" + url.QueryEscape(customer.InvitePathPrefix+token)
}

func kindOptions() []components.Option {
	return []components.Option{
		{Value: customer.KindPersonal, Label: "console.kind.personal"},
		{Value: customer.KindEnterprise, Label: "console.kind.enterprise"},
	}
}

func realNameOptions() []components.Option {
	return []components.Option{
		{Value: customer.RealNamePersonal, Label: "console.realname.personal"},
		{Value: customer.RealNameEnterprise, Label: "console.realname.enterprise"},
		{Value: customer.RealNameNone, Label: "console.realname.none"},
	}
}

func str(p *string) string {
	if p == nil || *p == "" {
		return "-"
	}
	return *p
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// modeOf is the request's target (switch) or current mode.
func modePtr(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// effectKeys are the notes (注意事项) shown before a customer consents to a
// partner's request, from seed 003 §12.4.4, §12.4.11, §12.4.19, §12.4.24.
func effectKeys(r customer.RequestRow) []string {
	switch r.Type {
	case customer.RequestSwitch:
		if modePtr(r.FromMode) == customer.ModeResale {
			return []string{"console.effect.r2c.balance", "console.effect.vouchers", "console.effect.r2c.signing",
				"console.effect.r2c.recharge", "console.effect.refunds.partner", "console.effect.resources"}
		}
		return []string{"console.effect.c2r.balance", "console.effect.vouchers", "console.effect.c2r.signing",
			"console.effect.c2r.allocate", "console.effect.resources"}
	case customer.RequestUnbind:
		if r.Mode == customer.ModeResale {
			return []string{"console.effect.unbind.resale.balance", "console.effect.refunds.partner", "console.effect.vouchers",
				"console.effect.r2c.signing", "console.effect.unbind.grace", "console.effect.unbind.after"}
		}
		return []string{"console.effect.unbind.consulting.vouchers", "console.effect.r2c.recharge",
			"console.effect.unbind.direct", "console.effect.unbind.after"}
	}
	return nil
}

func ackKey(r customer.RequestRow) string {
	if r.Type == customer.RequestSwitch {
		return "console.request.ack.switch"
	}
	return "console.request.ack.unbind"
}

func requestTitle(r customer.RequestRow) string {
	if r.Type == customer.RequestSwitch {
		return "console.request.title.switch"
	}
	return "console.request.title.unbind"
}

package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"partnercenter/internal/customer"
	"partnercenter/internal/demo"
)

// Browser journeys of issue 3 (customers). The partner half (reporting,
// inviting, assigning managers, approving an unbinding in the partner
// pages) and the customer half (the console) are written as step
// functions so that one journey can chain both.

// ---------------------------------------------------------------------
// Customer half (customer console).
// ---------------------------------------------------------------------

// journeyCustomer is a customer the browser registers.
type journeyCustomer struct {
	Login, Password, Mobile, Email, Name string
}

func newJourneyCustomer(mobile string) journeyCustomer {
	a := newConsoleAccount(mobile)
	return journeyCustomer{Login: a.Login, Password: a.Password, Mobile: a.Mobile, Email: a.Email, Name: a.Name}
}

// customerRegistersThroughLink opens the invitation link (a local path)
// without an account, sees the partner, then registers through 注册新账号
// and comes back to the invitation signed in.
func customerRegistersThroughLink(t *testing.T, b *browser, link string, jc journeyCustomer, partnerName string) {
	t.Helper()
	b.open(link)
	b.waitVisible(`[data-testid="invite-partner"]`)
	if got := b.text(`[data-testid="invite-partner"]`); !strings.Contains(got, partnerName) {
		t.Fatalf("the invitation shows the partner: %q", got)
	}
	b.shot("customer-invitation")
	b.click(`[data-testid="invite-register"]`)
	b.waitVisible(`[data-testid="console-register-form"]`)
	if !b.has(`[data-testid="invite-note"]`) {
		t.Fatal("the registration page says it comes back to the invitation")
	}
	b.fill("#login_name", jc.Login)
	b.fill("#name", jc.Name)
	b.fill("#password", jc.Password)
	b.fill("#password_confirm", jc.Password)
	b.fill("#mobile", jc.Mobile)
	b.fill("#email", jc.Email)
	b.shot("customer-register")
	b.click(`[data-testid="console-register-submit"]`)
	b.waitPath(link)
	b.waitVisible(`[data-testid="prechecks"]`)
}

// customerAcceptsInvitation passes every pre-check on the landing page,
// accepts the agreement and finds the partner on 我的合作伙伴.
func customerAcceptsInvitation(t *testing.T, b *browser, partnerName string) {
	t.Helper()
	b.waitVisible(`[data-testid="prechecks-ok"]`)
	b.check(`[data-testid="agree"]`)
	b.shot("customer-prechecks")
	b.click(`[data-testid="accept"]`)
	b.waitPath("/console/partners")
	b.waitVisible(`[data-testid="partner-name"]`)
	if got := b.text(`[data-testid="partner-name"]`); !strings.Contains(got, partnerName) {
		t.Fatalf("我的合作伙伴 shows the partner: %q", got)
	}
	if got := b.text(`[data-testid="partner-status"]`); !strings.Contains(got, "合作中") {
		t.Fatalf("合作状态: %q", got)
	}
	b.shot("customer-associated")
}

// customerAsksToUnbind applies to unbind through 更多操作 > 解除关联; the
// application waits for the partner admin.
func customerAsksToUnbind(t *testing.T, b *browser, reason string) {
	t.Helper()
	b.open("/console/partners")
	b.click(`[data-testid="more-ops"] summary`)
	b.click(`[data-testid="unbind-link"]`)
	b.waitVisible(`[data-testid="unbind-form"]`)
	if got := b.text(`[data-testid="unbind-limit"]`); !strings.Contains(got, "3 个月内最多可提交 3 次") {
		t.Fatalf("the R15 limit is explained: %q", got)
	}
	b.do(chromedp.SendKeys(chromedp.CSS("#reason"), reason)) // an empty textarea cannot be cleared
	b.shot("customer-unbind")
	b.click(`[data-testid="unbind-submit"]`)
	b.waitPath("/console/partners")
	b.waitVisible(`[data-testid="own-pending"]`)
	if !strings.Contains(b.lastDialog(), "解除关联") {
		t.Fatalf("the application was confirmed: %q", b.lastDialog())
	}
}

// customerSeesUnbound finds 我的合作伙伴 empty after the partner admin
// approved, with the completed unbinding in the operation log.
func customerSeesUnbound(t *testing.T, b *browser) {
	t.Helper()
	b.open("/console/partners")
	b.waitVisible(`[data-testid="empty-state"]`)
	if got := b.text(`[data-testid="log-rows"]`); !strings.Contains(got, "解除关联") || !strings.Contains(got, "已完成") {
		t.Fatalf("the operation log shows the unbinding: %q", got)
	}
	b.shot("customer-unbound")
}

// customerSeesExpiredLink opens an expired online link: its message and
// no way to register or accept through it.
func customerSeesExpiredLink(t *testing.T, b *browser, link string) {
	t.Helper()
	b.open(link)
	b.waitVisible(`[data-testid="invite-expired"]`)
	if got := b.text(`[data-testid="invite-expired"]`); !strings.Contains(got, "已过期") {
		t.Fatalf("expired message: %q", got)
	}
	if b.has(`[data-testid="invite-register"]`) || b.has(`[data-testid="accept"]`) {
		t.Fatal("an expired link offers neither registration nor acceptance")
	}
	b.shot("customer-expired-link")
}

// TestJourneyCustomerRegistersThroughTheLinkAcceptsAndUnbinds is the
// customer half on its own: the partner's steps are made through the
// domain service (report, online invitation, the admin's approval).
func TestJourneyCustomerRegistersThroughTheLinkAcceptsAndUnbinds(t *testing.T) {
	env := newEnv(t)
	jc := newJourneyCustomer("")
	inv := consoleInvite(t, env, demo.SPAdmin, customer.ChannelOnline, customer.ModeResale, jc.Mobile, nil)

	b := newBrowser(t, env)
	customerRegistersThroughLink(t, b, inv.Path(), jc, "示例云科技")
	customerAcceptsInvitation(t, b, "示例云科技")
	customerAsksToUnbind(t, b, "业务调整，改由公司直接采购")

	ctx := context.Background()
	mp, err := consoleSvc(env, nil).MyPartners(ctx, userIDOf(t, env, jc.Login))
	if err != nil || len(mp.Own) != 1 {
		t.Fatalf("the pending application: %v", err)
	}
	if _, err := consoleSvc(env, nil).Decide(ctx, consolePrincipal(t, env, demo.SPAdmin), mp.Own[0].ID, true, ""); err != nil {
		t.Fatal(err)
	}
	customerSeesUnbound(t, b)

	past := time.Now().AddDate(0, 0, -8)
	expired := consoleInvite(t, env, demo.SPAdmin, customer.ChannelOnline, customer.ModeConsulting, consoleMobile(), &past)
	customerSeesExpiredLink(t, newBrowser(t, env), expired.Path())
}

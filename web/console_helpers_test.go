package web

import (
	"context"
	"fmt"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"partnercenter/internal/access"
	"partnercenter/internal/customer"
	"partnercenter/internal/demo"
	"partnercenter/internal/platform/clock"
)

// Fixtures of the customer console tests: partners' reports and
// invitations made through the domain service (the partner pages are
// another engineer's), customers registered through the console or, for
// backdated accounts, through the service with a past clock.

var consoleSeq atomic.Int64

// consoleUnique is a short suffix unique within the test run.
func consoleUnique() string {
	return fmt.Sprintf("%04d%04d", time.Now().UnixNano()/1e5%10000, consoleSeq.Add(1)%10000)
}

// consoleMobile is a fresh valid mainland mobile number.
func consoleMobile() string {
	return fmt.Sprintf("188%08d", (time.Now().UnixNano()/1e3+consoleSeq.Add(1)*7919)%1e8)
}

// consolePrincipal is the principal of a demo partner account.
func consolePrincipal(t testing.TB, env *testEnv, login string) *access.Principal {
	t.Helper()
	uid := env.World.Users[login]
	pid := map[string]int64{demo.SPAdmin: env.World.SP, demo.MDAdmin: env.World.MD, demo.CRAdmin: env.World.CR}[login]
	if uid == 0 || pid == 0 {
		t.Fatalf("no partner admin %s", login)
	}
	p, err := access.Load(context.Background(), env.DB, access.Subject{UserID: uid, PartnerID: pid, IsMain: true, PartnerStatus: "active"})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// consoleSvc is the customer service at a given time (nil: the system clock).
func consoleSvc(env *testEnv, at *time.Time) *customer.Service {
	if at == nil {
		return &customer.Service{DB: env.DB, Clock: clock.System{}}
	}
	return &customer.Service{DB: env.DB, Clock: clock.NewFixed(*at)}
}

// consoleInvite is a fresh report of a prospect with the given mobile by
// the partner admin login, and an invitation of it, made at `at` (nil:
// now). It returns the invitation.
func consoleInvite(t testing.TB, env *testEnv, admin, channel, mode, mobile string, at *time.Time) *customer.Invitation {
	t.Helper()
	ctx := context.Background()
	svc := consoleSvc(env, at)
	p := consolePrincipal(t, env, admin)
	u := consoleUnique()
	r, err := svc.CreateReport(ctx, p, customer.ReportInput{CustomerName: "控制台测试客户" + u, Kind: customer.KindPersonal,
		ContactName: "测试联系人", Mobile: mobile, Email: "cc" + u + "@example-customer.cn"})
	if err != nil {
		t.Fatalf("report: %v", err)
	}
	if r.Status != customer.ReportProtected {
		t.Fatalf("report %d is %s, want protected", r.ID, r.Status)
	}
	var inv *customer.Invitation
	if channel == customer.ChannelOnline {
		inv, err = svc.InviteOnline(ctx, p, r.ID, r.Email, mode)
	} else {
		inv, err = svc.InviteOffline(ctx, p, r.ID, mode)
	}
	if err != nil {
		t.Fatalf("invite: %v", err)
	}
	return inv
}

// consoleAccount is what a test registers.
type consoleAccount struct {
	Login, Password, Mobile, Email, Name string
}

func newConsoleAccount(mobile string) consoleAccount {
	u := consoleUnique()
	if mobile == "" {
		mobile = consoleMobile()
	}
	return consoleAccount{Login: "cust" + u, Password: "Cust@2025pass", Mobile: mobile, Email: "cust" + u + "@example-customer.cn", Name: "客户" + u}
}

func (a consoleAccount) form(invite string) url.Values {
	return url.Values{"login_name": {a.Login}, "password": {a.Password}, "password_confirm": {a.Password}, "name": {a.Name},
		"kind": {customer.KindPersonal}, "real_name": {customer.RealNamePersonal}, "mobile": {a.Mobile}, "email": {a.Email},
		"invite": {invite}}
}

// registerConsole registers the account through the console (signed in
// afterwards) and returns the client.
func registerConsole(t testing.TB, env *testEnv, a consoleAccount, invite string) *client {
	t.Helper()
	c := env.client(t)
	c.get("/console/register?invite=" + url.QueryEscape(invite))
	r := c.post("/console/register", a.form(invite))
	if r.Status != 303 {
		t.Fatalf("register %s: status %d: %s", a.Login, r.Status, r.doc(t).Find(`[data-testid^="error-"], [data-testid="form-error"]`).Text())
	}
	c.get("/console") // refresh the CSRF token
	return c
}

// registerBackdated registers a customer account through the service as of
// `at` (its registration date), then signs it in.
func registerBackdated(t testing.TB, env *testEnv, a consoleAccount, at time.Time, mutate func(*customer.RegisterInput)) *client {
	t.Helper()
	in := customer.RegisterInput{LoginName: a.Login, Password: a.Password, Name: a.Name, Kind: customer.KindPersonal,
		RealName: customer.RealNamePersonal, Mobile: a.Mobile, Email: a.Email}
	if mutate != nil {
		mutate(&in)
	}
	if _, err := consoleSvc(env, &at).Register(context.Background(), in); err != nil {
		t.Fatalf("register %s: %v", a.Login, err)
	}
	return env.client(t).loginWith(a.Login, a.Password)
}

// loginWith signs a customer's cloud account in on the console's sign-in
// page and fails the test otherwise.
func (c *client) loginWith(login, password string) *client {
	c.t.Helper()
	c.get("/console/login")
	r := c.post("/console/login", url.Values{"login_name": {login}, "password": {password}})
	if r.Status != 303 {
		c.t.Fatalf("login %s: status %d", login, r.Status)
	}
	c.get(r.Location)
	return c
}

// associatedCustomer registers a customer through an online invitation of
// the partner admin in mode and accepts it; it returns the signed-in client.
func associatedCustomer(t testing.TB, env *testEnv, admin, mode string) (*client, consoleAccount) {
	t.Helper()
	a := newConsoleAccount("")
	inv := consoleInvite(t, env, admin, customer.ChannelOnline, mode, a.Mobile, nil)
	c := registerConsole(t, env, a, inv.Token)
	c.get("/invite/" + inv.Token)
	if r := c.post("/invite/"+inv.Token+"/accept", url.Values{"agree": {"1"}}); r.Status != 303 {
		t.Fatalf("accept: status %d: %s", r.Status, r.doc(t).Find(`[data-testid="form-error"], [data-testid="error-agree"]`).Text())
	}
	c.get("/console/partners")
	return c, a
}

// customerIDOf is the customers.id of a console login.
func customerIDOf(t testing.TB, env *testEnv, login string) int64 {
	t.Helper()
	var id int64
	if err := env.DB.Raw(`SELECT c.id FROM customers c JOIN users u ON u.id = c.user_id WHERE u.login_name = ?`, login).Scan(&id).Error; err != nil || id == 0 {
		t.Fatalf("customer of %s: %v", login, err)
	}
	return id
}

// userIDOf is the users.id of a login.
func userIDOf(t testing.TB, env *testEnv, login string) int64 {
	t.Helper()
	var id int64
	if err := env.DB.Raw(`SELECT id FROM users WHERE login_name = ?`, login).Scan(&id).Error; err != nil || id == 0 {
		t.Fatalf("user %s: %v", login, err)
	}
	return id
}

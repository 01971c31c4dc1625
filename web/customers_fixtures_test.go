package web

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"partnercenter/internal/access"
	"partnercenter/internal/customer"
	"partnercenter/internal/platform/clock"
)

// Fixtures of the partner pages (客户, 销售): reports, invitations and
// associated customers made through the customer service, so tests never
// depend on (nor break) the demo customers.

var custSeq atomic.Int64

func custUnique() string {
	return fmt.Sprintf("%05d%03d", time.Now().UnixNano()/1e4%100000, custSeq.Add(1)%1000)
}

// custMobile is a fresh valid mobile number.
func custMobile() string {
	return fmt.Sprintf("177%08d", (time.Now().UnixNano()/1e3+custSeq.Add(1)*7907)%1e8)
}

func custService(env *testEnv) *customer.Service {
	return &customer.Service{DB: env.DB, Clock: clock.System{}}
}

// custPrincipal is the principal of any demo partner login.
func custPrincipal(t testing.TB, env *testEnv, login string) *access.Principal {
	t.Helper()
	var u struct {
		ID        int64
		PartnerID int64
		IsMain    bool
	}
	if err := env.DB.Raw(`SELECT id, partner_id, is_main FROM users WHERE login_name = ? AND kind = 'partner'`, login).Scan(&u).Error; err != nil || u.ID == 0 {
		t.Fatalf("partner user %s: %v", login, err)
	}
	p, err := access.Load(context.Background(), env.DB, access.Subject{UserID: u.ID, PartnerID: u.PartnerID, IsMain: u.IsMain, PartnerStatus: "active"})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// custReport is a fresh protected report of the partner of admin.
func custReport(t testing.TB, env *testEnv, admin string) *customer.Report {
	t.Helper()
	u := custUnique()
	r, err := custService(env).CreateReport(context.Background(), custPrincipal(t, env, admin), customer.ReportInput{
		CustomerName: "页面测试客户" + u, Kind: customer.KindPersonal, ContactName: "测试联系人", Mobile: custMobile(),
		Email: "pc" + u + "@example-customer.cn", Industry: "互联网", Region: "上海"})
	if err != nil {
		t.Fatalf("report: %v", err)
	}
	if r.Status != customer.ReportProtected {
		t.Fatalf("report %d is %s, want protected", r.ID, r.Status)
	}
	return r
}

// custInvitation is a fresh invitation (online or offline) of a fresh report.
func custInvitation(t testing.TB, env *testEnv, admin, channel string) *customer.Invitation {
	t.Helper()
	r := custReport(t, env, admin)
	p := custPrincipal(t, env, admin)
	var inv *customer.Invitation
	var err error
	if channel == customer.ChannelOnline {
		inv, err = custService(env).InviteOnline(context.Background(), p, r.ID, r.Email, customer.ModeResale)
	} else {
		inv, err = custService(env).InviteOffline(context.Background(), p, r.ID, customer.ModeConsulting)
	}
	if err != nil {
		t.Fatalf("invite: %v", err)
	}
	return inv
}

// custFixture is a customer associated with a partner.
type custFixture struct {
	ID, UserID int64
	Login      string
	Name       string
	Mobile     string
}

// custAssociated registers a customer, reports and invites it for the
// partner of admin in mode, accepts, and assigns manager (a login, or ""
// for none).
func custAssociated(t testing.TB, env *testEnv, admin, mode, manager string) custFixture {
	t.Helper()
	ctx := context.Background()
	svc := custService(env)
	p := custPrincipal(t, env, admin)
	u := custUnique()
	f := custFixture{Login: "pcust" + u, Name: "页面测试关联客户" + u, Mobile: custMobile()}
	email := f.Login + "@example-customer.cn"
	r, err := svc.CreateReport(ctx, p, customer.ReportInput{CustomerName: f.Name, Kind: customer.KindPersonal, Mobile: f.Mobile, Email: email})
	if err != nil {
		t.Fatalf("report: %v", err)
	}
	c, err := svc.Register(ctx, customer.RegisterInput{LoginName: f.Login, Password: "Cust@2025pass", Name: f.Name,
		Kind: customer.KindPersonal, RealName: customer.RealNamePersonal, Mobile: f.Mobile, Email: email})
	if err != nil {
		t.Fatalf("register: %v", err)
	}
	f.ID, f.UserID = c.ID, *c.UserID
	inv, err := svc.InviteOnline(ctx, p, r.ID, email, mode)
	if err != nil {
		t.Fatalf("invite: %v", err)
	}
	if _, err := svc.Accept(ctx, access.CustomerUser(f.UserID), inv.Token, true); err != nil {
		t.Fatalf("accept: %v", err)
	}
	if manager != "" {
		if _, err := svc.Assign(ctx, p, []int64{f.ID}, env.World.Users[manager]); err != nil {
			t.Fatalf("assign %s: %v", manager, err)
		}
	}
	return f
}

// custUnbindRequest is a pending unbinding application by a fresh
// customer of the partner of admin (R14: the admin decides it).
func custUnbindRequest(t testing.TB, env *testEnv, admin string) (*customer.Request, custFixture) {
	t.Helper()
	f := custAssociated(t, env, admin, customer.ModeConsulting, "")
	r, err := custService(env).CustomerRequestUnbind(context.Background(), access.CustomerUser(f.UserID), "不再需要合作伙伴服务")
	if err != nil {
		t.Fatalf("unbind request: %v", err)
	}
	return r, f
}

// custShared caches read-only fixtures (GET targets) across tests.
var custShared struct {
	sync.Mutex
	byManager map[string]custFixture
}

// custSharedCustomer is a customer of 示例云科技 assigned to manager (""
// for none), created once per test run; tests must not change it.
func custSharedCustomer(t testing.TB, env *testEnv, manager string) custFixture {
	t.Helper()
	custShared.Lock()
	defer custShared.Unlock()
	if custShared.byManager == nil {
		custShared.byManager = map[string]custFixture{}
	}
	if f, ok := custShared.byManager[manager]; ok {
		return f
	}
	f := custAssociated(t, env, "sp_admin", customer.ModeResale, manager)
	custShared.byManager[manager] = f
	return f
}

// custSwitchRequest is a pending switch request the partner of admin sent
// to a fresh customer (the customer has not answered).
func custSwitchRequest(t testing.TB, env *testEnv, admin string) (*customer.Request, custFixture) {
	t.Helper()
	f := custAssociated(t, env, admin, customer.ModeConsulting, "")
	r, err := custService(env).RequestSwitch(context.Background(), custPrincipal(t, env, admin), f.ID, "切换为代售以便统一结算")
	if err != nil {
		t.Fatalf("switch request: %v", err)
	}
	return r, f
}

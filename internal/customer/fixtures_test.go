package customer

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/identity"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var seq atomic.Int64

func uniq() int64 { return seq.Add(1) }

var ctx = context.Background()

const testPassword = "Cust#Pass2025"

// fx is a small world with its own clock: an ecosystem manager and the
// tenants each test creates.
type fx struct {
	db  *gorm.DB
	clk *clock.Fixed
	svc *Service
	eco int64
}

type tenant struct {
	ID     int64
	MainID int64
	Main   *access.Principal
}

func setup(t *testing.T) *fx {
	t.Helper()
	g := dbtest.DB(t)
	f := &fx{db: g, clk: clock.NewFixed(time.Date(2029, 6, 4, 2, 0, 0, 0, time.UTC))}
	f.svc = &Service{DB: g, Clock: f.clk}
	f.eco = f.rawUser(t, "vendor", 0, "eco_manager", false)
	return f
}

func (f *fx) rawUser(t *testing.T, kind string, pid int64, vendorRole string, main bool) int64 {
	t.Helper()
	n := uniq()
	var p, vr any
	if pid != 0 {
		p = pid
	}
	if vendorRole != "" {
		vr = vendorRole
	}
	var id int64
	if err := f.db.Raw(`INSERT INTO users (kind, partner_id, vendor_role, login_name, display_name, password_hash, is_main)
		VALUES (?, ?, ?, ?, ?, 'x', ?) RETURNING id`, kind, p, vr, fmt.Sprintf("u%d_%d", n, time.Now().UnixNano()%100000),
		fmt.Sprintf("成员%d", n), main).Scan(&id).Error; err != nil {
		t.Fatal(err)
	}
	return id
}

// tenant creates an active partner (a cloud reseller of parent when
// parent != 0) with its main account.
func (f *fx) tenant(t *testing.T, parent int64) *tenant {
	t.Helper()
	n := uniq()
	p := partner.Partner{Name: fmt.Sprintf("测试伙伴%d", n), CreditCode: partner.USCCWithCheck(fmt.Sprintf("9131000000%07d", n)),
		Status: partner.StatusActive, Site: "cn", EcoManagerID: &f.eco}
	if parent != 0 {
		p.ParentPartnerID = &parent
	}
	if err := f.db.Create(&p).Error; err != nil {
		t.Fatal(err)
	}
	ident := "solution_provider"
	if parent != 0 {
		ident = "cloud_reseller"
	}
	if err := f.db.Create(&partner.Identity{PartnerID: p.ID, Identity: ident, JoinedAt: time.Now()}).Error; err != nil {
		t.Fatal(err)
	}
	tn := &tenant{ID: p.ID, MainID: f.rawUser(t, "partner", p.ID, "", true)}
	tn.Main = f.principal(t, tn.MainID)
	return tn
}

func (f *fx) principal(t *testing.T, userID int64) *access.Principal {
	t.Helper()
	var u identity.User
	if err := f.db.First(&u, userID).Error; err != nil {
		t.Fatal(err)
	}
	pr, err := access.Load(ctx, f.db, access.Subject{UserID: u.ID, PartnerID: u.TenantID(), IsMain: u.IsMain, PartnerStatus: "active",
		Customer: u.IsCustomer()})
	if err != nil {
		t.Fatal(err)
	}
	return pr
}

// member adds a member holding the preset 客户经理 role (manager) and/or a
// custom role with items; supervisor is its supervisor (0 for none).
func (f *fx) member(t *testing.T, tn *tenant, manager bool, items []access.Item, supervisor int64) (int64, *access.Principal) {
	t.Helper()
	id := f.rawUser(t, "partner", tn.ID, "", false)
	if manager {
		if err := f.db.Exec(`INSERT INTO user_roles (user_id, role_id) SELECT ?, id FROM roles WHERE preset = 'customer_manager'`, id).Error; err != nil {
			t.Fatal(err)
		}
	}
	if len(items) > 0 {
		var rid int64
		if err := f.db.Raw(`INSERT INTO roles (partner_id, name) VALUES (?, ?) RETURNING id`, tn.ID, fmt.Sprintf("角色%d", uniq())).Scan(&rid).Error; err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			if err := f.db.Exec(`INSERT INTO role_items (role_id, item) VALUES (?, ?)`, rid, string(it)).Error; err != nil {
				t.Fatal(err)
			}
		}
		if err := f.db.Exec(`INSERT INTO user_roles (user_id, role_id) VALUES (?, ?)`, id, rid).Error; err != nil {
			t.Fatal(err)
		}
	}
	if supervisor != 0 {
		if err := f.db.Exec(`UPDATE users SET supervisor_id = ? WHERE id = ?`, supervisor, id).Error; err != nil {
			t.Fatal(err)
		}
	}
	return id, f.principal(t, id)
}

func mobileOf(n int64) string { return fmt.Sprintf("135%08d", n) }

// report reports a fresh enterprise customer for tn.
func (f *fx) report(t *testing.T, tn *tenant) *Report {
	t.Helper()
	n := uniq()
	r, err := f.svc.CreateReport(ctx, tn.Main, ReportInput{CustomerName: fmt.Sprintf("客户公司%d", n), Kind: KindEnterprise,
		CreditCode: partner.USCCWithCheck(fmt.Sprintf("9144030000%07d", n)), ContactName: "张三", Mobile: mobileOf(n),
		Email: fmt.Sprintf("c%d@example.com", n)})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// register creates a customer account with the report's mobile.
func (f *fx) register(t *testing.T, mobile string, mut func(*RegisterInput)) (int64, *Customer) {
	t.Helper()
	n := uniq()
	in := RegisterInput{LoginName: fmt.Sprintf("cust%d", n), Password: testPassword, Name: fmt.Sprintf("客户%d", n),
		Kind: KindEnterprise, RealName: RealNameNone, Mobile: mobile}
	if mut != nil {
		mut(&in)
	}
	c, err := f.svc.Register(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	return *c.UserID, c
}

// invite reports a customer and sends an online (or offline) invitation.
func (f *fx) invite(t *testing.T, tn *tenant, channel, mode string) (*Report, *Invitation) {
	t.Helper()
	r := f.report(t, tn)
	var inv *Invitation
	var err error
	if channel == ChannelOnline {
		inv, err = f.svc.InviteOnline(ctx, tn.Main, r.ID, r.Email, mode)
	} else {
		inv, err = f.svc.InviteOffline(ctx, tn.Main, r.ID, mode)
	}
	if err != nil {
		t.Fatal(err)
	}
	return r, inv
}

// associated gives tn a new customer associated in mode; it returns the
// customer's user id and customer id.
func (f *fx) associated(t *testing.T, tn *tenant, mode string) (int64, int64) {
	t.Helper()
	r, inv := f.invite(t, tn, ChannelOnline, mode)
	uid, c := f.register(t, r.Mobile, nil)
	if _, err := f.svc.Accept(ctx, access.CustomerUser(uid), inv.Token, true); err != nil {
		t.Fatal(err)
	}
	return uid, c.ID
}

func wantKey(t *testing.T, err error, kind apperr.Kind, key string) {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Kind != kind || (key != "" && e.Key != key) {
		t.Fatalf("want %v %q, got %v", kind, key, err)
	}
}

func wantField(t *testing.T, err error, field, key string) {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.KindInvalid || e.Fields[field] != key {
		t.Fatalf("want field %s=%s, got %v (%v)", field, key, err, fieldsOf(err))
	}
}

func fieldsOf(err error) map[string]string {
	if e, ok := apperr.As(err); ok {
		return e.Fields
	}
	return nil
}

func (f *fx) count(t *testing.T, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := f.db.Raw(q, args...).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func (f *fx) assoc(t *testing.T, customerID int64) *Association {
	t.Helper()
	var a []Association
	if err := f.db.Where("customer_id = ?", customerID).Order("id DESC").Limit(1).Find(&a).Error; err != nil {
		t.Fatal(err)
	}
	if len(a) == 0 {
		return nil
	}
	return &a[0]
}

func (f *fx) customer(t *testing.T, id int64) *Customer {
	t.Helper()
	var c Customer
	if err := f.db.First(&c, id).Error; err != nil {
		t.Fatal(err)
	}
	return &c
}

func itoa(n int64) string { return fmt.Sprint(n) }

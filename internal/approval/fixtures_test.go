package approval

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var seq atomic.Int64

// fx is a small world: two tenants with an admin and a member each, two
// ecosystem managers and a vendor administrator.
type fx struct {
	db                   *gorm.DB
	eng                  Engine
	clk                  *clock.Fixed
	p1, p2               int64
	admin1, member1      *access.Principal
	admin2               *access.Principal
	eco, eco2, vendorAdm *access.Principal
}

func mkUser(t *testing.T, g *gorm.DB, kind string, partnerID int64, vendorRole string, main bool) *access.Principal {
	t.Helper()
	n := seq.Add(1)
	login := fmt.Sprintf("u%d_%d", n, time.Now().UnixNano()%100000)
	var id int64
	var pid any
	if partnerID != 0 {
		pid = partnerID
	}
	var vr any
	if vendorRole != "" {
		vr = vendorRole
	}
	if err := g.Raw(`INSERT INTO users (kind, partner_id, vendor_role, login_name, display_name, password_hash, is_main)
		VALUES (?, ?, ?, ?, ?, 'x', ?) RETURNING id`, kind, pid, vr, login, "User "+login, main).Scan(&id).Error; err != nil {
		t.Fatal(err)
	}
	p := access.Member(id, partnerID, main)
	if kind == "vendor" {
		p = access.VendorStaff(id, vendorRole)
	}
	p.Name = login
	return p
}

func mkPartner(t *testing.T, g *gorm.DB, name string, eco *int64) int64 {
	t.Helper()
	n := seq.Add(1)
	p := partner.Partner{Name: fmt.Sprintf("%s%d", name, n), CreditCode: partner.USCCWithCheck(fmt.Sprintf("9131000000%07d", n)),
		Status: partner.StatusActive, Site: "cn", EcoManagerID: eco}
	if err := g.Create(&p).Error; err != nil {
		t.Fatal(err)
	}
	return p.ID
}

func setup(t *testing.T) *fx {
	t.Helper()
	g := dbtest.DB(t)
	f := &fx{db: g, clk: clock.NewFixed(time.Date(2029, 6, 4, 2, 0, 0, 0, time.UTC))}
	f.eng = Engine{DB: g, Clock: f.clk}
	f.eco = mkUser(t, g, "vendor", 0, "eco_manager", false)
	f.eco2 = mkUser(t, g, "vendor", 0, "eco_manager", false)
	f.vendorAdm = mkUser(t, g, "vendor", 0, "vendor_admin", false)
	f.p1 = mkPartner(t, g, "甲公司", &f.eco.UserID)
	f.p2 = mkPartner(t, g, "乙公司", &f.eco2.UserID)
	f.admin1 = mkUser(t, g, "partner", f.p1, "", true)
	f.member1 = mkUser(t, g, "partner", f.p1, "", false)
	f.admin2 = mkUser(t, g, "partner", f.p2, "", true)
	return f
}

// submit creates and submits an application of the actor's tenant.
func (f *fx) submit(t *testing.T, actor *access.Principal, typ string) *Application {
	t.Helper()
	var app *Application
	err := f.db.Transaction(func(tx *gorm.DB) error {
		var err error
		app, err = f.eng.SubmitNew(context.Background(), tx, actor, New{Type: typ, Title: "测试申请", Payload: map[string]any{"x": 1}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return app
}

func (f *fx) draft(t *testing.T, actor *access.Principal) *Application {
	t.Helper()
	var app *Application
	err := f.db.Transaction(func(tx *gorm.DB) error {
		var err error
		app, err = f.eng.CreateDraft(context.Background(), tx, actor, New{Type: "test_manual", Title: "草稿"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return app
}

func (f *fx) reload(t *testing.T, id int64) *Application {
	t.Helper()
	var a Application
	if err := f.db.First(&a, id).Error; err != nil {
		t.Fatal(err)
	}
	return &a
}

// Test types: manual review with hook counters, auto approve, auto reject.
type manualType struct{ Base }

var hookCalls = map[string]int{}

func (manualType) Key() string { return "test_manual" }
func (manualType) OnApprove(_ context.Context, _ *gorm.DB, a *Application) error {
	hookCalls[fmt.Sprintf("approve:%d", a.ID)]++
	return nil
}
func (manualType) OnReject(_ context.Context, _ *gorm.DB, a *Application) error {
	hookCalls[fmt.Sprintf("reject:%d", a.ID)]++
	return nil
}
func (manualType) OnWithdraw(_ context.Context, _ *gorm.DB, a *Application) error {
	hookCalls[fmt.Sprintf("withdraw:%d", a.ID)]++
	return nil
}

type autoOK struct{ Base }

func (autoOK) Key() string { return "test_auto_ok" }
func (autoOK) AutoCheck(context.Context, *gorm.DB, *Application) (Decision, []CheckResult, error) {
	return AutoApprove, []CheckResult{{Name: "approval.check.pass", Outcome: CheckPass, Message: "approval.check.pass"}}, nil
}

type autoNo struct{ Base }

func (autoNo) Key() string { return "test_auto_no" }
func (autoNo) AutoCheck(context.Context, *gorm.DB, *Application) (Decision, []CheckResult, error) {
	return AutoReject, []CheckResult{{Name: "approval.check.fail", Outcome: CheckFail, Message: "approval.check.fail"}}, nil
}

func init() {
	Register(manualType{})
	Register(autoOK{})
	Register(autoNo{})
}

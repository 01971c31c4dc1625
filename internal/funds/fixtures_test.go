package funds

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/identity"
	"partnercenter/internal/ledger"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var seq atomic.Int64

const testPassword = "Billing@2025pass"

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func newKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

type tenant struct {
	ID     int64
	Name   string
	Main   *access.Principal
	Login  string
	Resale []int64
	Consul int64
}

func uniq() int64 { return seq.Add(1)*1000 + time.Now().UnixNano()%1000 }

// fixtureTenant: an active partner with a main account, resale customers
// and one consulting customer, all actively associated.
func fixtureTenant(t *testing.T, g *gorm.DB, resale int) *tenant {
	t.Helper()
	n := uniq()
	tn := &tenant{Name: fmt.Sprintf("资金测试伙伴%d", n)}
	if err := g.Raw(`INSERT INTO partners (name, credit_code, status) VALUES (?, ?, 'active') RETURNING id`,
		tn.Name, fmt.Sprintf("%018d", n)).Scan(&tn.ID).Error; err != nil {
		t.Fatal(err)
	}
	hash, err := identity.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	tn.Login = fmt.Sprintf("fund%d", n)
	var uid int64
	if err := g.Raw(`INSERT INTO users (kind, partner_id, login_name, password_hash, is_main) VALUES ('partner', ?, ?, ?, true) RETURNING id`,
		tn.ID, tn.Login, hash).Scan(&uid).Error; err != nil {
		t.Fatal(err)
	}
	tn.Main = &access.Principal{UserID: uid, PartnerID: tn.ID, IsMain: true, PartnerActive: true, Items: map[access.Item]bool{}}
	for i := 0; i < resale; i++ {
		tn.Resale = append(tn.Resale, fixtureCustomer(t, g, tn.ID, modeResale))
	}
	tn.Consul = fixtureCustomer(t, g, tn.ID, modeConsulting)
	return tn
}

func fixtureCustomer(t *testing.T, g *gorm.DB, partnerID int64, mode string) int64 {
	t.Helper()
	n := uniq()
	var id int64
	if err := g.Raw(`INSERT INTO customers (account_name, name, kind, registered_at) VALUES (?, ?, 'enterprise', now()) RETURNING id`,
		fmt.Sprintf("fund_cust_%d", n), fmt.Sprintf("资金客户%d", n)).Scan(&id).Error; err != nil {
		t.Fatal(err)
	}
	if err := g.Exec(`INSERT INTO associations (partner_id, customer_id, mode, status, associated_at) VALUES (?, ?, ?, 'active', now())`,
		partnerID, id, mode).Error; err != nil {
		t.Fatal(err)
	}
	return id
}

// fixtureFinance: a vendor finance (财务) user, the principal of recharges
// and payouts.
func fixtureFinance(t *testing.T, g *gorm.DB) *access.Principal {
	t.Helper()
	var uid int64
	if err := g.Raw(`INSERT INTO users (kind, vendor_role, login_name, password_hash) VALUES ('vendor', 'finance', ?, 'x') RETURNING id`,
		fmt.Sprintf("fin%d", uniq())).Scan(&uid).Error; err != nil {
		t.Fatal(err)
	}
	return access.VendorStaff(uid, "finance")
}

// recharge records a bank receipt for the tenant through vendor finance.
func recharge(t *testing.T, g *gorm.DB, pid int64, amount string) {
	t.Helper()
	_, err := Recharges{DB: g, Clock: clock.System{}}.Confirm(context.Background(), fixtureFinance(t, g), RechargeInput{AccountNo: ledger.RechargeAccountNo(pid),
		Amount: amount, Source: SourceBankTransfer, PayerName: "测试付款人", Key: newKey()})
	if err != nil {
		t.Fatal(err)
	}
}

func cashOf(t *testing.T, g *gorm.DB, pid int64) decimal.Decimal {
	t.Helper()
	a, err := ledger.PartnerCash(context.Background(), g, pid)
	if err != nil {
		t.Fatal(err)
	}
	return a.Balance
}

func fundedOf(t *testing.T, g *gorm.DB, pid, cid int64) decimal.Decimal {
	t.Helper()
	a, err := ledger.FindCustomerFunded(context.Background(), g, pid, cid)
	if err != nil {
		t.Fatal(err)
	}
	if a == nil {
		return decimal.Zero
	}
	return a.Balance
}

func mustConsistent(t *testing.T, g *gorm.DB) {
	t.Helper()
	fs, err := ledger.Check(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		t.Errorf("ledger inconsistent: %s", f)
	}
}

func count(t *testing.T, g *gorm.DB, table, where string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := g.Table(table).Where(where, args...).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

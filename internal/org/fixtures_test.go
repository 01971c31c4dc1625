package org

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/identity"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var seq atomic.Int64

// uniq returns a short unique suffix for names, emails and mobiles.
func uniq() int64 { return seq.Add(1) }

// tenant is an active partner with its main account.
type tenant struct {
	ID     int64
	MainID int64
	Main   *access.Principal
}

var testHash = func() string {
	h, err := identity.HashPassword("Initial#Pass1")
	if err != nil {
		panic(err)
	}
	return h
}()

func newTenant(t *testing.T, g *gorm.DB) *tenant {
	t.Helper()
	n := uniq()
	p := partner.Partner{Name: fmt.Sprintf("测试伙伴%d", n), CreditCode: fmt.Sprintf("91310115MA%08d", n),
		Status: partner.StatusActive, Site: "cn"}
	if err := g.Create(&p).Error; err != nil {
		t.Fatal(err)
	}
	if err := g.Create(&partner.Identity{PartnerID: p.ID, Identity: "solution_provider", JoinedAt: time.Now()}).Error; err != nil {
		t.Fatal(err)
	}
	u := rawUser(t, g, p.ID, true)
	tn := &tenant{ID: p.ID, MainID: u.ID}
	tn.Main = principal(t, g, u)
	return tn
}

// rawUser inserts a user directly (bypassing the service).
func rawUser(t *testing.T, g *gorm.DB, pid int64, main bool) *identity.User {
	t.Helper()
	n := uniq()
	u := identity.User{Kind: identity.KindPartner, PartnerID: &pid, LoginName: fmt.Sprintf("user%d", n),
		DisplayName: fmt.Sprintf("用户%d", n), Email: identity.Ptr(fmt.Sprintf("user%d@example.com", n)),
		Mobile: identity.Ptr(fmt.Sprintf("139%08d", n)), PasswordHash: testHash, IsMain: main,
		Status: identity.StatusActive, Locale: "zh-CN", PasswordChangedAt: time.Now()}
	if err := g.Create(&u).Error; err != nil {
		t.Fatal(err)
	}
	return &u
}

func principal(t *testing.T, g *gorm.DB, u *identity.User) *access.Principal {
	t.Helper()
	p, err := access.Load(context.Background(), g, access.Subject{UserID: u.ID, PartnerID: u.TenantID(), IsMain: u.IsMain,
		PartnerStatus: partner.StatusActive})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// customRole creates a role of the tenant holding items.
func customRole(t *testing.T, g *gorm.DB, pid int64, items ...access.Item) int64 {
	t.Helper()
	var id int64
	if err := g.Raw(`INSERT INTO roles (partner_id, name) VALUES (?, ?) RETURNING id`, pid, fmt.Sprintf("角色%d", uniq())).
		Scan(&id).Error; err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if err := g.Exec(`INSERT INTO role_items (role_id, item) VALUES (?, ?)`, id, string(it)).Error; err != nil {
			t.Fatal(err)
		}
	}
	return id
}

func presetID(t *testing.T, g *gorm.DB) int64 {
	t.Helper()
	var id int64
	if err := g.Raw(`SELECT id FROM roles WHERE preset = 'customer_manager'`).Scan(&id).Error; err != nil {
		t.Fatal(err)
	}
	return id
}

// session inserts a live session row for a user.
func session(t *testing.T, g *gorm.DB, userID int64) {
	t.Helper()
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	now := time.Now()
	row := identity.SessionRow{TokenHash: []byte(hex.EncodeToString(b)), UserID: &userID, Data: "{}",
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
	if err := g.Create(&row).Error; err != nil {
		t.Fatal(err)
	}
}

func countSessions(t *testing.T, g *gorm.DB, userID int64) int64 {
	t.Helper()
	var n int64
	if err := g.Table("user_sessions").Where("user_id = ?", userID).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func countUsers(t *testing.T, g *gorm.DB) int64 {
	t.Helper()
	var n int64
	if err := g.Table("users").Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// input is a valid member form with unique values.
func input() Input {
	n := uniq()
	return Input{LoginName: fmt.Sprintf("member%d", n), DisplayName: "王小明", Email: fmt.Sprintf("m%d@example.cn", n),
		Mobile: fmt.Sprintf("137%08d", n), Position: "销售", Password: "Welcome#2025"}
}

package demo

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/identity"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/db"
)

// DemoPassword is the password of every demo account.
const DemoPassword = "Demo@2025pass"

// Login names of the demo accounts (kept exactly: outside checks use them).
const (
	SPAdmin     = "sp_admin"
	SPFinance   = "sp_finance"
	SPManager1  = "sp_manager1"
	SPManager2  = "sp_manager2"
	SPViewer    = "sp_viewer"
	MDAdmin     = "md_admin"
	CRAdmin     = "cr_admin"
	EcoManager  = "eco_manager"
	VendorAdmin = "vendor_admin"
)

// World holds the ids of what Seed created, for tests and later seeders.
type World struct {
	SP, MD, CR                     int64 // partner ids
	Users                          map[string]int64
	FinanceRoleID, ManagerPresetID int64
	EcoManager2                    int64
	// Now is the demo's present (UTC): every seeder dates its data from it
	// and gives the services it calls clocks fixed around it.
	Now time.Time
}

// seeders run after the foundation, each adding one menu's demo data.
// Menu packages register theirs in this package's other files.
var seeders []func(ctx context.Context, tx *gorm.DB, w *World) error

// SeedIfEmpty loads the demo world when the database has no partner yet.
func SeedIfEmpty(ctx context.Context, g *gorm.DB) (bool, error) {
	var n int64
	if err := g.WithContext(ctx).Table("partners").Count(&n).Error; err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	_, err := Seed(ctx, g)
	return err == nil, err
}

// Seed loads the demo world in one transaction, as of now.
func Seed(ctx context.Context, g *gorm.DB) (*World, error) {
	var w *World
	err := db.WithTx(ctx, g, func(tx *gorm.DB) (err error) {
		w, err = seedWorld(ctx, tx, time.Now())
		return err
	})
	if err != nil {
		return w, err
	}
	// Work that must go through a path with its own transaction (a
	// background job enqueued with its business row).
	for _, s := range afterSeed {
		if err := s(ctx, g, w); err != nil {
			return w, err
		}
	}
	return w, nil
}

// seedWorld loads the demo world with tx as of `now` (the tests seed it
// on fixed dates, to prove it shows every state whatever the day).
func seedWorld(ctx context.Context, tx *gorm.DB, now time.Time) (*World, error) {
	w := &World{Users: map[string]int64{}, Now: now.UTC()}
	hash, err := identity.HashPassword(DemoPassword)
	if err != nil {
		return w, err
	}
	if err := seedFoundation(ctx, tx, w, hash); err != nil {
		return w, err
	}
	for _, s := range seeders {
		if err := s(ctx, tx, w); err != nil {
			return w, err
		}
	}
	return w, nil
}

// afterSeed run once the demo world is committed.
var afterSeed []func(ctx context.Context, g *gorm.DB, w *World) error

func seedFoundation(ctx context.Context, tx *gorm.DB, w *World, hash string) error {
	now := w.Now
	joined := now.AddDate(-2, 0, 0)
	mkUser := func(u identity.User) (int64, error) {
		u.PasswordHash = hash
		if u.Status == "" {
			u.Status = identity.StatusActive
		}
		if u.Locale == "" {
			u.Locale = "zh-CN"
		}
		u.PasswordChangedAt = now
		if err := tx.Create(&u).Error; err != nil {
			return 0, fmt.Errorf("demo user %s: %w", u.LoginName, err)
		}
		w.Users[u.LoginName] = u.ID
		return u.ID, nil
	}
	str := func(s string) *string { return &s }
	eco := identity.VendorEcoManager
	adm := identity.VendorAdmin

	ecoID, err := mkUser(identity.User{Kind: identity.KindVendor, VendorRole: &eco, LoginName: EcoManager, DisplayName: "王立新",
		Email: str("wang.lixin@vendor.example.com"), Mobile: str("13900000001"), Position: "生态经理 PDM", OnboardingReviewer: true})
	if err != nil {
		return err
	}
	if _, err := mkUser(identity.User{Kind: identity.KindVendor, VendorRole: &adm, LoginName: VendorAdmin, DisplayName: "陈静",
		Email: str("chen.jing@vendor.example.com"), Mobile: str("13900000002"), Position: "生态运营管理员"}); err != nil {
		return err
	}
	if w.EcoManager2, err = mkUser(identity.User{Kind: identity.KindVendor, VendorRole: &eco, LoginName: "eco_manager2", DisplayName: "李华",
		Email: str("li.hua@vendor.example.com"), Mobile: str("13900000003"), Position: "生态经理 PSA"}); err != nil {
		return err
	}

	mkPartner := func(p partner.Partner, identities ...string) (int64, error) {
		p.Status = partner.StatusActive
		p.JoinedHCPNAt = &joined
		p.Site = "cn"
		if err := tx.Create(&p).Error; err != nil {
			return 0, fmt.Errorf("demo partner %s: %w", p.Name, err)
		}
		for _, id := range identities {
			if err := tx.Create(&partner.Identity{PartnerID: p.ID, Identity: id, JoinedAt: joined}).Error; err != nil {
				return 0, err
			}
		}
		return p.ID, nil
	}
	if w.SP, err = mkPartner(partner.Partner{Name: "示例云科技有限公司", CreditCode: partner.USCCWithCheck("91310115MA1K4A2B3"),
		Address: "上海市浦东新区张江高科技园区碧波路690号", PostalCode: "201203", LegalRepresentative: "张明",
		RegisteredCapital: "5000万人民币", BusinessScope: "云计算技术服务；软件开发；信息系统集成服务",
		Introduction: "示例云科技专注于企业上云迁移、云原生改造与SaaS软件交付。",
		ContactName:  "刘洋", ContactPosition: "渠道总监", ContactMobile: "13800000001", ContactEmail: "liuyang@example-cloud.cn",
		EcoManagerID: &ecoID}, "solution_provider"); err != nil {
		return err
	}
	if w.MD, err = mkPartner(partner.Partner{Name: "华东数智分销有限公司", CreditCode: partner.USCCWithCheck("91330100MA2H7C8D9"),
		Address: "浙江省杭州市西湖区文三路90号", PostalCode: "310012", LegalRepresentative: "周强", RegisteredCapital: "1亿人民币",
		ContactName: "吴敏", ContactPosition: "运营经理", ContactMobile: "13800000011", ContactEmail: "wumin@hd-distri.cn",
		EcoManagerID: &ecoID}, "master_distributor"); err != nil {
		return err
	}
	if w.CR, err = mkPartner(partner.Partner{Name: "杭州云启网络科技有限公司", CreditCode: partner.USCCWithCheck("91330106MA2J1E2F3"),
		Address: "浙江省杭州市滨江区江南大道3880号", PostalCode: "310051", LegalRepresentative: "郑凯", RegisteredCapital: "500万人民币",
		ContactName: "孙丽", ContactPosition: "总经理", ContactMobile: "13800000021", ContactEmail: "sunli@yunqi.cn",
		EcoManagerID: &w.EcoManager2, ParentPartnerID: &w.MD}, "cloud_reseller"); err != nil {
		return err
	}

	member := func(pid int64, login, name, email, mobile, position string, main bool) (int64, error) {
		return mkUser(identity.User{Kind: identity.KindPartner, PartnerID: &pid, LoginName: login, DisplayName: name,
			Email: str(email), Mobile: str(mobile), Position: position, IsMain: main})
	}
	users := []struct {
		pid                                  int64
		login, name, email, mobile, position string
		main                                 bool
	}{
		{w.SP, SPAdmin, "刘洋", "admin@example-cloud.cn", "13800000001", "渠道总监", true},
		{w.SP, SPFinance, "赵敏", "finance@example-cloud.cn", "13800000002", "财务经理", false},
		{w.SP, SPManager1, "钱伟", "qianwei@example-cloud.cn", "13800000003", "客户经理", false},
		{w.SP, SPManager2, "孙婷", "sunting@example-cloud.cn", "13800000004", "客户经理", false},
		{w.SP, SPViewer, "李雷", "lilei@example-cloud.cn", "13800000005", "实习生", false},
		{w.MD, MDAdmin, "吴敏", "admin@hd-distri.cn", "13800000011", "运营经理", true},
		{w.CR, CRAdmin, "孙丽", "admin@yunqi.cn", "13800000021", "总经理", true},
	}
	for _, u := range users {
		if _, err := member(u.pid, u.login, u.name, u.email, u.mobile, u.position, u.main); err != nil {
			return err
		}
	}

	// The admin of 示例云科技 built a custom role 财务 (finance).
	if err := tx.Raw(`INSERT INTO roles (partner_id, name, description) VALUES (?, '财务', '财务人员：查看公司信息与操作日志，导出日志') RETURNING id`, w.SP).
		Scan(&w.FinanceRoleID).Error; err != nil {
		return err
	}
	for _, it := range []string{"org.audit.view", "org.audit.export", "applications.view", "customers.consumption.view"} {
		if err := tx.Exec(`INSERT INTO role_items (role_id, item) VALUES (?, ?)`, w.FinanceRoleID, it).Error; err != nil {
			return err
		}
	}
	if err := tx.Raw(`SELECT id FROM roles WHERE preset = 'customer_manager'`).Scan(&w.ManagerPresetID).Error; err != nil {
		return err
	}
	for login, role := range map[string]int64{SPFinance: w.FinanceRoleID, SPManager1: w.ManagerPresetID, SPManager2: w.ManagerPresetID} {
		if err := tx.Exec(`INSERT INTO user_roles (user_id, role_id) VALUES (?, ?)`, w.Users[login], role).Error; err != nil {
			return err
		}
	}
	_ = ctx
	return nil
}

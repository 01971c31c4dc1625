package demo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"time"

	"gorm.io/gorm"
)

// SPServiceAdmin is the main account of a second partner account of the
// same legal entity as 示例云科技 (same credit code), which joined HCPN
// later on the service path: 基本信息 > 账号信息 lists both (seed 003
// §6.1.1). Its password is DemoPassword too.
const SPServiceAdmin = "spsvc_admin"

func init() { seeders = append(seeders, seedProfile) }

// seedProfile completes the licence data of the demo companies, gives
// 示例云科技 a logo and a sibling account of the same legal entity, and a
// short audit history for 组织 > 操作日志.
func seedProfile(ctx context.Context, tx *gorm.DB, w *World) error {
	tx = tx.WithContext(ctx)
	now := w.Now
	for id, day := range map[int64]string{w.SP: "2014-08-18", w.MD: "2009-03-26", w.CR: "2017-11-02"} {
		if err := tx.Exec(`UPDATE partners SET established_on = ? WHERE id = ?`, day, id).Error; err != nil {
			return err
		}
	}
	if err := tx.Exec(`UPDATE partners SET business_scope = ? WHERE id = ? AND business_scope = ''`,
		"计算机软硬件及辅助设备批发；云计算产品分销；信息技术咨询服务", w.MD).Error; err != nil {
		return err
	}
	if err := tx.Exec(`UPDATE partners SET business_scope = ? WHERE id = ? AND business_scope = ''`,
		"网络技术服务；云计算技术服务；软件销售", w.CR).Error; err != nil {
		return err
	}

	// Logo of 示例云科技: a cloud on a blue square, drawn here.
	logo, err := demoLogo()
	if err != nil {
		return err
	}
	sum := sha256.Sum256(logo)
	var fileID int64
	if err := tx.Raw(`INSERT INTO files (partner_id, name, content_type, size, sha256, data, created_by, created_at)
		VALUES (?, 'logo.png', 'image/png', ?, ?, ?, ?, ?) RETURNING id`,
		w.SP, len(logo), sum[:], logo, w.Users[SPAdmin], now.AddDate(0, -3, 0)).Scan(&fileID).Error; err != nil {
		return err
	}
	if err := tx.Exec(`UPDATE partners SET logo_file_id = ? WHERE id = ?`, fileID, w.SP).Error; err != nil {
		return err
	}

	// A second account of the same legal entity (same credit code).
	joined := now.AddDate(-1, -2, 0)
	eco := w.Users[EcoManager]
	var sibling int64
	if err := tx.Raw(`INSERT INTO partners (name, credit_code, status, address, postal_code, legal_representative,
		registered_capital, established_on, business_scope, contact_name, contact_position, contact_mobile, contact_email,
		site, eco_manager_id, joined_hcpn_at, created_at, updated_at)
		SELECT name, credit_code, 'active', address, postal_code, legal_representative, registered_capital, established_on,
		business_scope, '陈晨', '服务交付经理', '13800000031', 'chenchen@example-cloud.cn', 'cn', ?, ?, ?, ?
		FROM partners WHERE id = ? RETURNING id`, eco, joined, joined, joined, w.SP).Scan(&sibling).Error; err != nil {
		return fmt.Errorf("demo sibling account: %w", err)
	}
	// Its service path is seeded with the paths (programs_paths.go).
	var hash string
	if err := tx.Raw(`SELECT password_hash FROM users WHERE id = ?`, w.Users[SPAdmin]).Scan(&hash).Error; err != nil {
		return err
	}
	var uid int64
	if err := tx.Raw(`INSERT INTO users (kind, partner_id, login_name, display_name, email, mobile, password_hash, is_main, position, created_at, updated_at)
		VALUES ('partner', ?, ?, '陈晨', 'svc-admin@example-cloud.cn', '13800000031', ?, true, '服务交付经理', ?, ?) RETURNING id`,
		sibling, SPServiceAdmin, hash, joined, joined).Scan(&uid).Error; err != nil {
		return err
	}
	w.Users[SPServiceAdmin] = uid

	// A short history in the audit trail of 示例云科技 and 华东数智.
	type row struct {
		daysAgo    int
		login      string
		pid        int64
		action     string
		objectType string
		objectID   int64
		before     any
		after      any
	}
	rows := []row{
		{45, SPAdmin, w.SP, "org.role.create", "role", w.FinanceRoleID, nil,
			map[string]any{"name": "财务", "items": []string{"org.audit.view", "org.audit.export", "applications.view", "customers.consumption.view"}}},
		{30, SPAdmin, w.SP, "partner.contacts.update", "partner", w.SP,
			map[string]string{"contact_name": "刘洋", "contact_position": "渠道经理", "contact_mobile": "13800000001", "contact_email": "liuyang@example-cloud.cn"},
			map[string]string{"contact_name": "刘洋", "contact_position": "渠道总监", "contact_mobile": "13800000001", "contact_email": "liuyang@example-cloud.cn"}},
		{21, SPAdmin, w.SP, "partner.intro.update", "partner", w.SP,
			map[string]string{"introduction": "示例云科技专注于企业上云迁移。"},
			map[string]string{"introduction": "示例云科技专注于企业上云迁移、云原生改造与SaaS软件交付。"}},
		{12, SPViewer, w.SP, "user.password.change", "user", w.Users[SPViewer], nil, map[string]any{"other_sessions_ended": 1}},
		{6, SPFinance, w.SP, "user.profile.update", "user", w.Users[SPFinance],
			map[string]string{"position": "财务专员"}, map[string]string{"position": "财务经理"}},
		{2, SPFinance, w.SP, "audit.export", "audit_log", 0, nil, map[string]string{"format": "csv", "from": "", "to": ""}},
		{9, MDAdmin, w.MD, "partner.contacts.update", "partner", w.MD,
			map[string]string{"contact_position": "运营专员"}, map[string]string{"contact_position": "运营经理"}},
	}
	for i, r := range rows {
		at := now.AddDate(0, 0, -r.daysAgo).Add(-time.Duration(i*37) * time.Minute)
		actor := w.Users[r.login]
		var before, after *string
		if r.before != nil {
			b, _ := json.Marshal(r.before)
			s := string(b)
			before = &s
		}
		if r.after != nil {
			b, _ := json.Marshal(r.after)
			s := string(b)
			after = &s
		}
		objectID := ""
		if r.objectID != 0 {
			objectID = fmt.Sprint(r.objectID)
		}
		if err := tx.Exec(`INSERT INTO audit_log (at, actor_user_id, actor_name, partner_id, action, object_type, object_id, before, after, request_id, ip)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?)`,
			at, actor, r.login, r.pid, r.action, r.objectType, objectID, before, after,
			fmt.Sprintf("demo%06d", i+1), fmt.Sprintf("203.0.113.%d", 10+i)).Error; err != nil {
			return err
		}
	}
	return nil
}

// demoLogo draws a 96×96 PNG: a white cloud on a sky-blue rounded square.
func demoLogo() ([]byte, error) {
	const n = 96
	img := image.NewNRGBA(image.Rect(0, 0, n, n))
	inRounded := func(x, y int) bool {
		const r = 18
		cx, cy := float64(x), float64(y)
		switch {
		case x < r && y < r:
			return math.Hypot(cx-r, cy-r) <= r
		case x >= n-r && y < r:
			return math.Hypot(cx-(n-r-1), cy-r) <= r
		case x < r && y >= n-r:
			return math.Hypot(cx-r, cy-(n-r-1)) <= r
		case x >= n-r && y >= n-r:
			return math.Hypot(cx-(n-r-1), cy-(n-r-1)) <= r
		}
		return true
	}
	inCloud := func(x, y int) bool {
		fx, fy := float64(x), float64(y)
		return math.Hypot(fx-38, fy-50) <= 16 || math.Hypot(fx-56, fy-44) <= 20 || math.Hypot(fx-70, fy-56) <= 12 ||
			(fx >= 26 && fx <= 74 && fy >= 50 && fy <= 66)
	}
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			switch {
			case !inRounded(x, y):
				img.Set(x, y, color.NRGBA{})
			case inCloud(x, y):
				img.Set(x, y, color.NRGBA{255, 255, 255, 255})
			default:
				t := float64(x+y) / float64(2*n)
				img.Set(x, y, color.NRGBA{uint8(2 + 10*t), uint8(132 - 40*t), uint8(199 - 30*t), 255})
			}
		}
	}
	var b bytes.Buffer
	err := png.Encode(&b, img)
	return b.Bytes(), err
}

package demo

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Extra organization members of 示例云科技 for 组织 > 组织成员 (seed 003
// §7.1): an operations role and members in varied states, one disabled.
// Their password is DemoPassword too.
const (
	SPOps1  = "sp_ops1"
	SPOps2  = "sp_ops2"
	SPSales = "sp_sales1"
)

func init() { seeders = append(seeders, seedOrg) }

func seedOrg(ctx context.Context, tx *gorm.DB, w *World) error {
	var hash string
	if err := tx.WithContext(ctx).Raw(`SELECT password_hash FROM users WHERE id = ?`, w.Users[SPAdmin]).Scan(&hash).Error; err != nil {
		return err
	}
	var opsRole int64
	if err := tx.Raw(`INSERT INTO roles (partner_id, name, description) VALUES (?, '运营', '运营人员：查看组织成员与客户，查看申请进度') RETURNING id`, w.SP).
		Scan(&opsRole).Error; err != nil {
		return err
	}
	for _, it := range []string{"org.members.view", "customers.view", "applications.view"} {
		if err := tx.Exec(`INSERT INTO role_items (role_id, item) VALUES (?, ?)`, opsRole, it).Error; err != nil {
			return err
		}
	}
	now := w.Now
	lastLogin := now.Add(-26 * time.Hour)
	members := []struct {
		login, name, email, mobile, position, status string
		lastLogin                                    *time.Time
		roles                                        []int64
	}{
		{SPOps1, "周杰", "zhoujie@example-cloud.cn", "13800000006", "运营专员", "active", &lastLogin, []int64{opsRole}},
		{SPOps2, "吴芳", "wufang@example-cloud.cn", "13800000007", "运营专员（已离职）", "disabled", nil, []int64{opsRole}},
		{SPSales, "郑浩", "zhenghao@example-cloud.cn", "13800000008", "销售经理", "active", nil, []int64{w.ManagerPresetID, w.FinanceRoleID}},
	}
	for _, m := range members {
		var id int64
		if err := tx.Raw(`INSERT INTO users (kind, partner_id, login_name, display_name, email, mobile, position, password_hash,
				status, last_login_at, password_changed_at, created_at, updated_at) VALUES ('partner', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			w.SP, m.login, m.name, m.email, m.mobile, m.position, hash, m.status, m.lastLogin, now, now, now).Scan(&id).Error; err != nil {
			return fmt.Errorf("demo member %s: %w", m.login, err)
		}
		w.Users[m.login] = id
		for _, r := range m.roles {
			if err := tx.Exec(`INSERT INTO user_roles (user_id, role_id) VALUES (?, ?)`, id, r).Error; err != nil {
				return err
			}
		}
	}
	return nil
}

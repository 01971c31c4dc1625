package demo

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/incentive"
	"partnercenter/internal/platform/clock"
)

// TXAdmin is the main account of 天祥软件有限公司, a former solution
// provider: it left the programme thirteen months ago, so its positive
// incentive of 200.00 expired against its negative of −600.00 and a
// negative of −400.00 is left (seed 003 §12.1.5.35); 激励申请 shows the
// record.
const TXAdmin = "tx_admin"

func init() { seeders = append(seeders, seedExpiredIncentives) }

func seedExpiredIncentives(ctx context.Context, tx *gorm.DB, w *World) error {
	now := w.Now
	tx = tx.WithContext(ctx)
	joined := now.AddDate(-3, 0, 0)
	a, err := company(ctx, tx, w, TXAdmin, "天祥软件有限公司", "91320505MA1T6X8Y2", "田翔", "13600000199", joined)
	if err != nil {
		return err
	}
	pid := a.PartnerID
	exited := now.AddDate(-1, -1, 0)
	if err := tx.Exec(`INSERT INTO program_memberships (partner_id, program, status, level, joined_at, valid_until, certificate_no,
		ended_at, end_reason, created_at, updated_at) VALUES (?, 'solution_provider', 'exited', 'core', ?, ?, ?, ?, '伙伴申请退出解决方案提供商计划', ?, ?)`,
		pid, joined, exited.AddDate(0, 3, 0), fmt.Sprintf("HCSP-TX-%d", pid), exited, joined, exited).Error; err != nil {
		return err
	}
	// Its last quarter in the programme: a threshold incentive of 200.00
	// and a reverse adjustment of −600.00 (unsubscriptions), both confirmed.
	q := exited.AddDate(0, -4, 0).In(clock.China)
	start := time.Date(q.Year(), time.Month((int(q.Month())-1)/3*3+1), 1, 0, 0, 0, 0, time.UTC)
	code := fmt.Sprintf("%dQ%d", start.Year(), (int(start.Month())-1)/3+1)
	var policy int64
	if err := tx.Raw(`SELECT id FROM incentive_policies WHERE kind = 'threshold' ORDER BY year = ? DESC, year DESC LIMIT 1`, start.Year()).
		Scan(&policy).Error; err != nil || policy == 0 {
		return fmt.Errorf("demo expired incentives: no threshold policy: %v", err)
	}
	for _, b := range []struct {
		adjustment, amount, mode string
	}{{"normal", "200.00", "consulting"}, {"reverse_negative", "-600.00", "consulting"}} {
		var bill string
		if err := tx.Raw(`INSERT INTO incentive_bills (partner_id, policy_id, period_code, period_start, adjustment, amount, status, calc,
			publicity_ends_on, confirmed_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'confirmed', '{}', ?, ?, ?, ?) RETURNING id::text`,
			pid, policy, code, start, b.adjustment, b.amount, exited.AddDate(0, -2, 0), exited.AddDate(0, -1, 0),
			exited.AddDate(0, -3, 0), exited.AddDate(0, -1, 0)).Scan(&bill).Error; err != nil {
			return err
		}
		if err := tx.Exec(`INSERT INTO incentive_items (bill_id, partner_id, period_code, name, mode, amount, generated_at, status)
			VALUES (?, ?, ?, '季度门槛激励', ?, ?, ?, 'pending')`, bill, pid, code, b.mode, b.amount, exited.AddDate(0, -1, 0)).Error; err != nil {
			return err
		}
	}
	_, err = incentive.Service{DB: tx, Clock: clock.NewFixed(now)}.Expire(ctx)
	return err
}

package demo

import (
	"context"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/benefit"
	"partnercenter/internal/platform/clock"
)

func init() { seeders = append(seeders, seedBenefits) }

// seedBenefits gives 权益 every state: the vendor's policies for the
// differentiated software path and the role-certified service path (the
// software role-certified one comes with the migration, N12); 智云软件's
// 测试券 applications issued (a voucher valid 3 months), approved and
// waiting for 权益发放, in review, and rejected. Runs after the paths.
func seedBenefits(ctx context.Context, tx *gorm.DB, w *World) error {
	now := w.Now
	admin := access.VendorStaff(w.Users[VendorAdmin], "vendor_admin")
	admin.Name = VendorAdmin
	eco := access.VendorStaff(w.Users[EcoManager], "eco_manager")
	eco.Name = EcoManager
	at := func(days int) benefit.Service {
		return benefit.Service{DB: tx, Clock: clock.NewFixed(now.AddDate(0, 0, -days))}
	}
	for _, y := range policyYears(now, 40) {
		for _, p := range []benefit.PolicyInput{
			{Year: y, Type: benefit.TypeTestVoucher, Tier: "software:differentiated", Cap: "200000", Notes: "差异化软件伙伴"},
			{Year: y, Type: benefit.TypeTestVoucher, Tier: "service:role_certified", Cap: "50000", Notes: "角色认证服务伙伴"},
		} {
			if err := at(60).SavePolicy(ctx, admin, p); err != nil {
				return err
			}
		}
	}
	zy := access.Member(w.Users[ZYAdmin], 0, true)
	zy.Name = ZYAdmin
	if err := tx.WithContext(ctx).Raw(`SELECT partner_id FROM users WHERE id = ?`, zy.UserID).Scan(&zy.PartnerID).Error; err != nil {
		return err
	}
	zy.Identities = []string{access.IdentitySoftware}
	apply := func(days int, amount, reason string) (*benefit.Application, error) {
		start := clock.ChinaDate(now.AddDate(0, 0, -days)).AddDate(0, 0, 3)
		return at(days).ApplyTestVoucher(ctx, zy, benefit.TestVoucherInput{Solution: "other", Amount: amount, Reason: reason,
			Resources: "https://www.huaweicloud.com/pricing/calculator.html?shareListId=demo" + amount, StartOn: start.Format(time.DateOnly),
			EndOn: start.AddDate(0, 2, 0).Format(time.DateOnly), Acknowledged: true}, nil)
	}
	engine := func(days int) approval.Engine {
		return approval.Engine{DB: tx, Clock: clock.NewFixed(now.AddDate(0, 0, -days))}
	}
	issued, err := apply(40, "30000", "智慧园区运营SaaS 的性能测试环境")
	if err != nil {
		return err
	}
	if _, err := engine(38).Approve(ctx, eco, *issued.ApplicationID, "配置与方案匹配"); err != nil {
		return err
	}
	if _, err := at(36).Issue(ctx, admin, issued.ID); err != nil {
		return err
	}
	approved, err := apply(10, "45000", "工业设备预测性维护平台的迁移验证")
	if err != nil {
		return err
	}
	if _, err := engine(8).Approve(ctx, eco, *approved.ApplicationID, ""); err != nil {
		return err
	}
	if _, err := apply(2, "20000", "新版本兼容性测试"); err != nil {
		return err
	}
	rejected, err := apply(20, "60000", "压测环境扩容")
	if err != nil {
		return err
	}
	_, err = engine(18).Reject(ctx, eco, *rejected.ApplicationID, "资源配置超出方案测试所需，请按实际所需重新申请")
	return err
}

// policyYears are the years of benefit policies that applications made in
// the last `days` days need: this year's, and early in a year last year's
// too.
func policyYears(now time.Time, days int) []int {
	year := now.In(clock.China).Year()
	if first := now.AddDate(0, 0, -days).In(clock.China).Year(); first != year {
		return []int{first, year}
	}
	return []int{year}
}

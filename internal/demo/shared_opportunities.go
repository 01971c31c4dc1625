package demo

import (
	"context"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/opportunity"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/program"
)

// 由华为共享 (HO): 数联云服务 (role certified on the service path) and 智云软件
// (differentiated) join 合作伙伴共拓计划. 数联云服务 has a jointly built
// Offering and HOs in every state — one to accept now, one accepted, one
// rejected, one expired after its three working days, one withdrawn by the
// vendor; 智云软件 has no Offering yet, so its check list shows the
// missing condition. Runs after the paths (file order).
func init() { seeders = append(seeders, seedSharedOpportunities) }

func seedSharedOpportunities(ctx context.Context, tx *gorm.DB, w *World) error {
	now := w.Now
	eco := access.VendorStaff(w.Users[EcoManager], "eco_manager")
	eco.Name = EcoManager
	var sl *access.Principal
	for _, login := range []string{SLAdmin, ZYAdmin} {
		p := access.Member(w.Users[login], 0, true)
		p.Name = login
		if err := tx.WithContext(ctx).Raw(`SELECT partner_id FROM users WHERE id = ?`, p.UserID).Scan(&p.PartnerID).Error; err != nil {
			return err
		}
		if _, err := (program.Service{DB: tx, Clock: clock.NewFixed(now.AddDate(0, 0, -30))}).JoinPCE(ctx, p, true, true); err != nil {
			return err
		}
		if login == SLAdmin {
			sl = p
		}
	}
	sl.Identities = []string{access.IdentityService, access.IdentityPCE}
	at := func(d time.Duration) opportunity.Service {
		return opportunity.Service{DB: tx, Clock: clock.NewFixed(now.Add(-d))}
	}
	const day = 24 * time.Hour
	if err := at(25*day).AddOffering(ctx, eco, sl.PartnerID, "数联制造业上云迁移服务", "partner"); err != nil {
		return err
	}
	purchase := clock.ChinaDate(now).AddDate(0, 4, 0).Format(time.DateOnly)
	share := func(ago time.Duration, customer, industry, need, budget string) (*opportunity.HO, error) {
		crm := now.Add(-ago - 2*day).In(clock.China).Format("2006-01-02T15:04")
		return at(ago).Share(ctx, eco, sl.PartnerID, opportunity.HOInput{CustomerName: customer, Industry: industry, Requirement: need,
			Budget: budget, PurchaseOn: purchase, CustomerOwner: "刘洋（华为云客户经理）", CRMCreatedAt: crm,
			Description: "客户已与华为云完成高层交流，需要具备服务能力的伙伴承接迁移实施。"})
	}
	// Shared twenty days ago and left: 逾期失效.
	if _, err := share(20*day, "成都天府智能制造有限公司", "manufacturing", "MES 系统上云", "900000"); err != nil {
		return err
	}
	if _, err := at(0).Expire(ctx); err != nil {
		return err
	}
	accepted, err := share(12*day, "重庆两江汽车零部件有限公司", "manufacturing", "研发仿真平台上云", "1500000")
	if err != nil {
		return err
	}
	if err := at(11*day).Accept(ctx, sl, accepted.ID); err != nil {
		return err
	}
	rejected, err := share(9*day, "西安秦川食品股份有限公司", "retail", "门店收银系统改造", "200000")
	if err != nil {
		return err
	}
	if err := at(8*day).Reject(ctx, sl, rejected.ID, "该客户所在区域暂无我司交付团队，无法承接。"); err != nil {
		return err
	}
	withdrawn, err := share(6*day, "贵阳数谷大数据有限公司", "internet", "数据湖建设", "700000")
	if err != nil {
		return err
	}
	if err := at(5*day).Accept(ctx, sl, withdrawn.ID); err != nil {
		return err
	}
	if err := at(4*day).Withdraw(ctx, eco, withdrawn.ID, "伙伴误操作接受，应伙伴申请撤回。"); err != nil {
		return err
	}
	_, err = share(time.Hour, "绵阳科技城电子有限公司", "manufacturing", "工业互联网平台建设", "1100000")
	return err
}

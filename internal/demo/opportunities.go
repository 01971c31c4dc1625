package demo

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/opportunity"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/program"
)

// 机会点: 示例云科技 and 华东数智分销 joined 合作伙伴共拓计划; 示例云科技
// shared POs in every state —
// a draft, one in review (whose customer an approved one already holds, so
// its reviewer sees the warning), one returned 【信息不完整】, one approved
// and one won.
func init() { seeders = append(seeders, seedOpportunities) }

func seedOpportunities(ctx context.Context, tx *gorm.DB, w *World) error {
	now := w.Now
	sp := access.Member(w.Users[SPAdmin], w.SP, true)
	sp.Name = SPAdmin
	md := access.Member(w.Users[MDAdmin], w.MD, true)
	md.Name = MDAdmin
	for _, p := range []*access.Principal{sp, md} {
		if _, err := (program.Service{DB: tx, Clock: clock.NewFixed(now.AddDate(0, 0, -40))}).JoinPCE(ctx, p, true, true); err != nil {
			return fmt.Errorf("demo PCE of %s: %w", p.Name, err)
		}
	}
	sp.Identities = []string{access.IdentitySolutionProvider, access.IdentityPCE}
	eco := access.VendorStaff(w.Users[EcoManager], "eco_manager")
	eco.Name = EcoManager
	at := func(days int) opportunity.Service {
		return opportunity.Service{DB: tx, Clock: clock.NewFixed(now.AddDate(0, 0, -days))}
	}
	purchase := clock.ChinaDate(now).AddDate(0, 3, 0).Format(time.DateOnly)
	po := func(days int, customer, industry, need, budget string) (*opportunity.Opportunity, error) {
		return at(days).Create(ctx, sp, opportunity.Input{CustomerName: customer, Industry: industry, ContactName: "赵敏", ContactPhone: "13812345678",
			Requirement: need, Budget: budget, PurchaseOn: purchase, Description: "已与客户完成两轮方案交流，客户计划本季度启动采购评估，需要华为云架构师支持方案设计。",
			Offerings: "伙伴Lead基线解决方案：示例云迁移服务", Support: "售前架构师支持、POC资源", PartnerContact: "周杰", PartnerPhone: "13987654321",
			Authorized: true})
	}
	won, err := po(30, "深圳前海金融服务有限公司", "finance", "核心交易系统容灾建设", "1200000")
	if err != nil {
		return err
	}
	approved, err := po(20, "北京智联物流有限公司", "transport", "仓储调度系统上云", "650000")
	if err != nil {
		return err
	}
	for _, o := range []*opportunity.Opportunity{won, approved} {
		if err := at(19).Submit(ctx, sp, o.ID, ""); err != nil {
			return err
		}
		if err := at(18).Approve(ctx, eco, o.ID, ""); err != nil {
			return err
		}
	}
	if err := at(5).Close(ctx, sp, won.ID, opportunity.StateWon); err != nil {
		return err
	}
	failed, err := po(10, "杭州云图教育科技有限公司", "education", "在线教学平台扩容", "300000")
	if err != nil {
		return err
	}
	if err := at(9).Submit(ctx, sp, failed.ID, ""); err != nil {
		return err
	}
	if err := at(8).Fail(ctx, eco, failed.ID, opportunity.ReasonIncomplete, "请补充客户预算来源和采购时间表。"); err != nil {
		return err
	}
	review, err := po(2, "北京智联物流 有限公司", "transport", "运输管理系统改造", "400000")
	if err != nil {
		return err
	}
	if err := at(1).Submit(ctx, sp, review.ID, ""); err != nil {
		return err
	}
	_, err = po(0, "华东精工制造股份有限公司", "manufacturing", "生产系统上云与灾备", "800000")
	return err
}

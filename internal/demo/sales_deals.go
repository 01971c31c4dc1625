package demo

import (
	"context"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/opportunity"
	"partnercenter/internal/platform/clock"
)

func init() { seeders = append(seeders, seedDeals) }

// seedDeals gives 销售 > 商机 a few of 示例云科技's: two of sp_manager1's
// customers (one with progress) and one of sp_manager2's, won — so each
// customer manager sees its own and the admin all three.
func seedDeals(ctx context.Context, tx *gorm.DB, w *World) error {
	now := w.Now
	manager := func(login string) *access.Principal {
		p := access.Member(w.Users[login], w.SP, false)
		p.Name, p.CustomerScope = login, access.ScopeAssigned
		return p
	}
	customer := func(account string) (int64, error) {
		var id int64
		err := tx.WithContext(ctx).Raw(`SELECT id FROM customers WHERE account_name = ?`, account).Scan(&id).Error
		return id, err
	}
	at := func(days int) opportunity.Service {
		return opportunity.Service{DB: tx, Clock: clock.NewFixed(now.AddDate(0, 0, -days))}
	}
	for _, d := range []struct {
		login, account, title, industry, kind, confidence, stage, revenue string
		days                                                              int
		progress                                                          []string
	}{
		{SPManager1, "hemiao_retail", "门店系统迁移上云", "retail", "migration", "70", "proposal", "38000", 30,
			[]string{"完成现状调研，客户确认迁移范围", "提交迁移方案与报价，等待客户评审"}},
		{SPManager1, "yunfeng_net", "视频转码扩容", "internet", "expansion", "30", "lead", "12000", 10, nil},
		{SPManager2, "xingchen_edu", "在线课堂续费", "education", "renewal", "90", "won", "20000", 45, nil},
	} {
		cid, err := customer(d.account)
		if err != nil || cid == 0 {
			return err
		}
		p := manager(d.login)
		deal, err := at(d.days).CreateDeal(ctx, p, opportunity.DealInput{CustomerID: cid, Title: d.title, Industry: d.industry, Kind: d.kind,
			Confidence: d.confidence, Stage: "lead", MonthlyRevenue: d.revenue})
		if err != nil {
			return err
		}
		stages := []string{"qualified", d.stage}
		for i, note := range d.progress {
			if err := at(d.days-5*(i+1)).AddProgress(ctx, p, deal.ID, note, stages[min(i, 1)]); err != nil {
				return err
			}
		}
		if d.stage != "lead" && len(d.progress) == 0 {
			if err := at(d.days-3).AddProgress(ctx, p, deal.ID, "客户已签约续费", d.stage); err != nil {
				return err
			}
		}
	}
	return nil
}

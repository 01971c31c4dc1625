package demo

import (
	"context"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/webhook"
)

func init() { seeders = append(seeders, seedWebhooks) }

// seedWebhooks registers a webhook endpoint of 示例云科技 for its PO and
// incentive events before the demo's opportunities and incentives happen
// (file order), so the fan-out queues their deliveries: on a machine
// without the internet they fail and show retries in the delivery log.
func seedWebhooks(ctx context.Context, tx *gorm.DB, w *World) error {
	sp := access.Member(w.Users[SPAdmin], w.SP, true)
	sp.Name = SPAdmin
	s := webhook.Service{DB: tx, Clock: clock.NewFixed(w.Now.AddDate(0, 0, -60))}
	_, err := s.Create(ctx, sp, webhook.Input{URL: "https://hooks.example-cloud.cn/partner-center", Description: "示例云科技 CRM 同步",
		Types: []string{"opportunity.po.status", "incentive.bill.status", "incentive.application.status"}})
	return err
}

// Package webhooks renders 伙伴信息 > Webhook (build-plan 5.F; issue 14):
// the main account's endpoints, the form and an endpoint's delivery log.
package webhooks

import (
	"slices"

	"partnercenter/internal/outbox"
	"partnercenter/internal/webhook"
	"partnercenter/views/components"
)

// ListVM is the endpoints with the form (its values and messages after a
// refusal).
type ListVM struct {
	Endpoints []webhook.Endpoint
	In        webhook.Input
	Errors    map[string]string
	Summary   string
}

// DetailVM is one endpoint with a page of its deliveries.
type DetailVM struct {
	E       *webhook.Endpoint
	Rows    []outbox.Entry
	Pager   components.Pager
	Summary string
}

func checked(types []string, t string) bool { return slices.Contains(types, t) }

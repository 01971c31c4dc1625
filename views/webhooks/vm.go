// Package webhooks renders 伙伴信息 > Webhook (build-plan 5.F; issue 14):
// the main account's endpoints, the form and an endpoint's delivery log.
package webhooks

import (
	"context"
	"slices"
	"strings"

	"partnercenter/internal/outbox"
	"partnercenter/internal/webhook"
	"partnercenter/views/components"
	"partnercenter/views/ui"
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

// typeLabels names event types in the reader's language (the type names
// themselves are the checkboxes' values and the payload's "type").
func typeLabels(ctx context.Context, types []string) string {
	out := make([]string, len(types))
	for i, t := range types {
		out[i] = ui.T(ctx, "webhook.type."+t)
	}
	return strings.Join(out, "、")
}

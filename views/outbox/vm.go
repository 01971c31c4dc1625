// Package outbox renders 消息接收设置 (seed 003 §6.1.1; issue 14) and the
// delivery log of e-mails and SMS.
package outbox

import (
	"context"
	"encoding/json"
	"time"

	"partnercenter/internal/outbox"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/i18n"
	"partnercenter/views/components"
	"partnercenter/views/ui"
)

// SettingsVM is a user's 消息接收设置 with the addresses its messages go to
// and the messages sent to it lately.
type SettingsVM struct {
	Settings []outbox.Setting
	Email    string
	Mobile   string
	Errors   map[string]string
	Summary  string
	Log      []outbox.Entry
}

// LogVM is the vendor administrator's 消息发送记录.
type LogVM struct {
	Rows   []outbox.Entry
	Filter outbox.Filter
	Pager  components.Pager
}

func langOptions() []components.Option {
	return []components.Option{{Value: "zh-CN", Label: "audit.value.locale.zh-CN"}, {Value: "en-US", Label: "audit.value.locale.en-US"}}
}

func zoneOptions() []components.Option {
	out := make([]components.Option, 0, len(outbox.TimeZones))
	for _, z := range outbox.TimeZones {
		out = append(out, components.Option{Value: z, Label: "outbox.tz." + z})
	}
	return out
}

func channelOptions() []components.Option {
	return []components.Option{{Value: "", Label: "list.all"}, {Value: outbox.SMS, Label: "outbox.channel.sms"},
		{Value: outbox.Email, Label: "outbox.channel.email"}}
}

func statusOptions() []components.Option {
	return []components.Option{{Value: "", Label: "list.all"}, {Value: outbox.StatusQueued, Label: "outbox.status.queued"},
		{Value: outbox.StatusSent, Label: "outbox.status.sent"}, {Value: outbox.StatusFailed, Label: "outbox.status.failed"}}
}

func (vm SettingsVM) address(channel string) string {
	switch channel {
	case outbox.Email:
		return vm.Email
	case outbox.SMS:
		return vm.Mobile
	}
	return ""
}

func china(t time.Time) string { return t.In(clock.China).Format("2006-01-02 15:04:05") }

// RetryBase is where 重新投递 posts when the actor may use the route.
func RetryBase(ctx context.Context, routeKey, base string) string {
	if !ui.Allowed(ctx, routeKey) {
		return ""
	}
	return base
}

// messageTitle names a message in the reader's language: an e-mail's
// subject, an SMS's text, a webhook's event type.
func messageTitle(ctx context.Context, m outbox.Message) string {
	if m.Channel == outbox.Webhook {
		return ui.T(ctx, "webhook.type."+m.Template)
	}
	params := map[string]any{}
	_ = json.Unmarshal(m.Params, &params)
	loc, err := time.LoadLocation(m.TimeZone)
	if err != nil {
		loc = clock.China
	}
	i18n.Params(ui.P(ctx).Lang, params, loc)
	if m.Channel == outbox.Email {
		return ui.T(ctx, m.Template+".subject", params)
	}
	return ui.T(ctx, m.Template+".sms", params)
}

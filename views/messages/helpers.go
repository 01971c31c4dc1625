// Package messages renders the message center (站内信): the list with an
// unread filter, and one message. Messages are stored as catalog keys and
// params and rendered here in the reader's language.
package messages

import (
	"context"

	"partnercenter/internal/notify"
	"partnercenter/views/components"
	"partnercenter/views/ui"
)

// ListVM is the message list.
type ListVM struct {
	Rows       []notify.Message
	UnreadOnly bool
	Unread     int64
	Pager      components.Pager
}

// DetailVM is one message.
type DetailVM struct {
	M *notify.Message
}

func subject(ctx context.Context, m notify.Message) string {
	return ui.T(ctx, m.SubjectKey, m.Data(ui.P(ctx).Lang))
}

func body(ctx context.Context, m notify.Message) string {
	return ui.T(ctx, m.BodyKey, m.Data(ui.P(ctx).Lang))
}

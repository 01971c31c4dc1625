// Package messages renders the message center (站内信): the list with an
// unread filter, and one message. Messages are stored as catalog keys and
// params and rendered here in the reader's language.
package messages

import (
	"context"
	"time"

	"partnercenter/internal/notify"
	"partnercenter/internal/platform/i18n"
	"partnercenter/views/components"
	"partnercenter/views/ui"
)

// Reader is the language and time zone the reader chose for its 站内信
// (消息接收设置); the zero value reads in the console language, China time.
type Reader struct {
	Lang string
	Zone *time.Location
}

// ListVM is the message list.
type ListVM struct {
	Rows       []notify.Message
	UnreadOnly bool
	Unread     int64
	Pager      components.Pager
	Reader     Reader
}

// DetailVM is one message.
type DetailVM struct {
	M      *notify.Message
	Reader Reader
}

func (r Reader) lang(ctx context.Context) string {
	if r.Lang == "" {
		return ui.P(ctx).Lang
	}
	return r.Lang
}

func subject(ctx context.Context, r Reader, m notify.Message) string {
	return i18n.TL(r.lang(ctx), m.SubjectKey, m.Data(r.lang(ctx), r.Zone))
}

func body(ctx context.Context, r Reader, m notify.Message) string {
	return i18n.TL(r.lang(ctx), m.BodyKey, m.Data(r.lang(ctx), r.Zone))
}

// sentAt is when a message was sent, in the reader's time zone.
func sentAt(r Reader, t time.Time) string {
	if r.Zone == nil {
		return ui.DateTime(t)
	}
	return t.In(r.Zone).Format("2006-01-02 15:04 MST")
}

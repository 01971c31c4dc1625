package outbox

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/identity"
	"partnercenter/internal/platform/i18n"
)

// Channels of outbound messages; Inbox is 站内信 (package notify), a
// setting only.
const (
	Email   = "email"
	SMS     = "sms"
	Webhook = "webhook" // a partner's endpoint (package webhook)
	Inbox   = "inbox"
)

// Channels lists the settings' channels in display order.
var Channels = []string{SMS, Email, Inbox}

// States of a message.
const (
	StatusQueued = "queued"
	StatusSent   = "sent"
	StatusFailed = "failed"
)

// Message is a row of outbox_messages.
type Message struct {
	ID         int64
	Channel    string
	UserID     *int64
	PartnerID  *int64
	Recipient  string
	Template   string
	Params     json.RawMessage `gorm:"type:jsonb"`
	Lang       string
	TimeZone   string
	Status     string
	Attempts   int
	NextAt     time.Time
	LeaseUntil *time.Time
	LastError  string
	CreatedAt  time.Time
	SentAt     *time.Time
	// EndpointID and EventID are a webhook delivery's endpoint and event
	// (nil for a test event).
	EndpointID *int64
	EventID    *int64
}

// TableName maps Message to outbox_messages.
func (Message) TableName() string { return "outbox_messages" }

// Attempt is a row of outbox_attempts: the delivery log.
type Attempt struct {
	ID        int64
	MessageID int64
	At        time.Time
	OK        bool
	Detail    string
}

// TableName maps Attempt to outbox_attempts.
func (Attempt) TableName() string { return "outbox_attempts" }

var templatePattern = regexp.MustCompile(`^[a-z_]+(\.[a-z_]+)+$`)

// Note is a message to queue: its template (catalog keys
// <Template>.subject and .body for e-mail, .sms for SMS), parameters, the
// partner it concerns and when (the caller's clock: required).
type Note struct {
	Template string
	Params   map[string]any
	Partner  int64
	At       time.Time
}

// check refuses a malformed template or one without the channel's texts
// (a programming error, caught by the first test that sends it).
func (n Note) check(channel string) error {
	if !templatePattern.MatchString(n.Template) {
		return fmt.Errorf("outbox: bad template %q", n.Template)
	}
	suffixes := map[string][]string{Email: {".subject", ".body"}, SMS: {".sms"}}[channel]
	if suffixes == nil {
		return fmt.Errorf("outbox: channel %q", channel)
	}
	for _, lang := range i18n.Supported {
		for _, suffix := range suffixes {
			if !i18n.Has(lang, n.Template+suffix) {
				return fmt.Errorf("outbox: template %q has no %s in %s", n.Template, suffix, lang)
			}
		}
	}
	return nil
}

func (n Note) row(channel, to string, user *int64, lang, tz string) (*Message, error) {
	if n.At.IsZero() {
		return nil, fmt.Errorf("outbox: note %q without its time", n.Template)
	}
	params := n.Params
	if params == nil {
		params = map[string]any{}
	}
	b, err := json.Marshal(params)
	if err != nil {
		return nil, err
	}
	m := &Message{Channel: channel, UserID: user, Recipient: to, Template: n.Template, Params: b, Lang: lang, TimeZone: tz,
		Status: StatusQueued, NextAt: n.At.UTC(), CreatedAt: n.At.UTC()}
	if n.Partner != 0 {
		m.PartnerID = &n.Partner
	}
	return m, nil
}

// ToUser queues the note to a user on each of the channels (Email, SMS)
// the user receives (消息接收设置), to its e-mail address and mobile, in the
// channel's language and time zone. A channel without an address is
// skipped.
func ToUser(ctx context.Context, tx *gorm.DB, userID int64, n Note, channels ...string) error {
	for _, ch := range channels {
		if err := n.check(ch); err != nil {
			return err
		}
	}
	users, err := (identity.Users{DB: tx}).ByIDs(ctx, []int64{userID})
	if err != nil {
		return err
	}
	u := users[userID]
	if u == nil {
		return fmt.Errorf("outbox: no user %d", userID)
	}
	settings, err := settingsOf(ctx, tx, u)
	if err != nil {
		return err
	}
	for _, ch := range channels {
		s := settings[ch]
		to := ""
		switch ch {
		case Email:
			to = deref(u.Email)
		case SMS:
			to = deref(u.Mobile)
		}
		if !s.Enabled || strings.TrimSpace(to) == "" {
			continue
		}
		m, err := n.row(ch, to, &userID, s.Lang, s.TimeZone)
		if err != nil {
			return err
		}
		if err := tx.WithContext(ctx).Create(m).Error; err != nil {
			return err
		}
	}
	return nil
}

// ToAddress queues the note to an address that is not a user's (a
// customer's invitation e-mail, an opportunity's contact phone) in lang,
// China time.
func ToAddress(ctx context.Context, tx *gorm.DB, channel, to, lang string, n Note) error {
	if err := n.check(channel); err != nil {
		return err
	}
	m, err := n.row(channel, strings.TrimSpace(to), nil, i18n.Normalize(lang), DefaultTimeZone)
	if err != nil {
		return err
	}
	return tx.WithContext(ctx).Create(m).Error
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// Announce queues the note to a user on every channel its template has
// texts for — e-mail when <template>.subject and .body exist, SMS when
// .sms does — as the user's settings allow. 站内信 and e-mail can share a
// template: the catalog keys of a 站内信 are <prefix>.subject and .body.
func Announce(ctx context.Context, tx *gorm.DB, userID int64, n Note) error {
	var channels []string
	if i18n.Has(i18n.ZhCN, n.Template+".subject") && i18n.Has(i18n.ZhCN, n.Template+".body") {
		channels = append(channels, Email)
	}
	if i18n.Has(i18n.ZhCN, n.Template+".sms") {
		channels = append(channels, SMS)
	}
	if len(channels) == 0 {
		return fmt.Errorf("outbox: template %q has no texts", n.Template)
	}
	return ToUser(ctx, tx, userID, n, channels...)
}

// Delivery is a webhook delivery to queue: the endpoint and its URL, the
// event (0 for a test event), its type and the JSON payload.
type Delivery struct {
	EndpointID int64
	URL        string
	EventID    int64
	Type       string
	Payload    json.RawMessage
	Partner    int64
	At         time.Time
}

// ToEndpoint queues a webhook delivery; an event already queued for the
// endpoint is not queued again (the fan-out may read an event twice).
func ToEndpoint(ctx context.Context, tx *gorm.DB, d Delivery) error {
	if !templatePattern.MatchString(d.Type) || d.EndpointID == 0 || d.At.IsZero() || !json.Valid(d.Payload) {
		return fmt.Errorf("outbox: bad delivery %+v", d)
	}
	m := &Message{Channel: Webhook, Recipient: d.URL, Template: d.Type, Params: d.Payload, Lang: i18n.ZhCN, TimeZone: "UTC",
		Status: StatusQueued, NextAt: d.At.UTC(), CreatedAt: d.At.UTC(), EndpointID: &d.EndpointID, PartnerID: &d.Partner}
	if d.EventID != 0 {
		m.EventID = &d.EventID
	}
	return tx.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(m).Error
}

package notify

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/identity"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
	"partnercenter/internal/platform/i18n"
)

// Message is one in-app message.
type Message struct {
	ID         int64
	UserID     int64
	PartnerID  *int64
	SubjectKey string
	BodyKey    string
	Params     string `gorm:"type:jsonb"`
	Link       string
	ReadAt     *time.Time
	CreatedAt  time.Time
}

// TableName maps Message to messages.
func (Message) TableName() string { return "messages" }

// Unread reports whether the message has not been read.
func (m Message) Unread() bool { return m.ReadAt == nil }

// Data returns the template data for rendering in lang: the stored
// params, plus for every param "XKey" holding a catalog key, "X" with its
// translation; a param "XAt" holding an RFC 3339 time is shown in loc (the
// reader's 站内信 time zone; nil: China time).
func (m Message) Data(lang string, loc *time.Location) map[string]any {
	if loc == nil {
		loc = clock.China
	}
	out := map[string]any{}
	if m.Params != "" {
		_ = json.Unmarshal([]byte(m.Params), &out)
	}
	return i18n.Params(lang, out, loc)
}

// Note is one message to send: to a user (of a tenant, or Partner 0 for
// vendor staff and customers), its subject and body catalog keys with
// their arguments, the local path it opens, and when it was sent.
type Note struct {
	To      int64
	Partner int64
	Subject string
	Body    string
	Params  map[string]any
	Link    string
	// At is the time of the change it announces, from the caller's
	// clock; zero takes the database's transaction time.
	At time.Time
}

// Send writes a message with tx, the caller's transaction, so a message
// exists exactly when the change it announces does.
func Send(ctx context.Context, tx *gorm.DB, n Note) error {
	if n.Params == nil {
		n.Params = map[string]any{}
	}
	b, err := json.Marshal(n.Params)
	if err != nil {
		return err
	}
	m := Message{UserID: n.To, SubjectKey: n.Subject, BodyKey: n.Body, Params: string(b), Link: safeLink(n.Link), CreatedAt: n.At.UTC()}
	if n.Partner != 0 {
		m.PartnerID = &n.Partner
	}
	g := tx.WithContext(ctx)
	if n.At.IsZero() {
		g = g.Omit("CreatedAt") // the column's default: now(), the transaction's time
	}
	return g.Create(&m).Error
}

// safeLink keeps only local paths: a message never sends its reader off site.
func safeLink(link string) string {
	if !strings.HasPrefix(link, "/") || strings.HasPrefix(link, "//") || strings.HasPrefix(link, "/\\") {
		return ""
	}
	return link
}

// Service reads and marks a user's messages. Every method takes the
// reading principal first — any signed-in user (Principal.Self); the
// system principal is refused — and touches that user's messages only.
type Service struct {
	DB    *gorm.DB
	Clock clock.Clock
}

// Filter selects a page of messages.
type Filter struct {
	UnreadOnly bool
	Page       int
	PerPage    int
}

// List returns a page of the reader's messages, newest first, and the
// total.
func (s Service) List(ctx context.Context, p *access.Principal, f Filter) (_ []Message, _ int64, err error) {
	defer apperr.Wrap(&err, "notify.List")
	userID, err := p.Self()
	if err != nil {
		return nil, 0, err
	}
	if f.PerPage <= 0 || f.PerPage > 100 {
		f.PerPage = 20
	}
	if f.Page <= 0 {
		f.Page = 1
	}
	q := s.DB.WithContext(ctx).Model(&Message{}).Where("user_id = ?", userID)
	if f.UnreadOnly {
		q = q.Where("read_at IS NULL")
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var out []Message
	err = q.Order("created_at DESC, id DESC").Offset((f.Page - 1) * f.PerPage).Limit(f.PerPage).Find(&out).Error
	return out, total, err
}

// UnreadCount counts the reader's unread messages.
func (s Service) UnreadCount(ctx context.Context, p *access.Principal) (_ int64, err error) {
	defer apperr.Wrap(&err, "notify.UnreadCount")
	userID, err := p.Self()
	if err != nil {
		return 0, err
	}
	var n int64
	err = s.DB.WithContext(ctx).Model(&Message{}).Where("user_id = ? AND read_at IS NULL", userID).Count(&n).Error
	return n, err
}

// Get returns one of the reader's messages; anyone else's is not found.
func (s Service) Get(ctx context.Context, p *access.Principal, id int64) (_ *Message, err error) {
	defer apperr.Wrap(&err, "notify.Get(%d)", id)
	userID, err := p.Self()
	if err != nil {
		return nil, err
	}
	return s.get(ctx, userID, id)
}

func (s Service) get(ctx context.Context, userID, id int64) (*Message, error) {
	var m Message
	err := s.DB.WithContext(ctx).Where("id = ? AND user_id = ?", id, userID).First(&m).Error
	if db.IsNotFound(err) {
		return nil, apperr.NotFound()
	}
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// Open returns one of the reader's messages and marks it read.
func (s Service) Open(ctx context.Context, p *access.Principal, id int64) (_ *Message, err error) {
	defer apperr.Wrap(&err, "notify.Open(%d)", id)
	userID, err := p.Self()
	if err != nil {
		return nil, err
	}
	m, err := s.get(ctx, userID, id)
	if err != nil {
		return nil, err
	}
	if m.ReadAt == nil {
		now := s.Clock.Now()
		if err := s.DB.WithContext(ctx).Model(&Message{}).Where("id = ? AND user_id = ? AND read_at IS NULL", id, userID).
			Update("read_at", now).Error; err != nil {
			return nil, err
		}
		m.ReadAt = &now
	}
	return m, nil
}

// MarkRead marks one of the reader's messages read.
func (s Service) MarkRead(ctx context.Context, p *access.Principal, id int64) (err error) {
	defer apperr.Wrap(&err, "notify.MarkRead(%d)", id)
	_, err = s.Open(ctx, p, id)
	return err
}

// MarkAllRead marks every unread message of the reader read and returns
// how many.
func (s Service) MarkAllRead(ctx context.Context, p *access.Principal) (_ int64, err error) {
	defer apperr.Wrap(&err, "notify.MarkAllRead")
	userID, err := p.Self()
	if err != nil {
		return 0, err
	}
	res := s.DB.WithContext(ctx).Model(&Message{}).Where("user_id = ? AND read_at IS NULL", userID).Update("read_at", s.Clock.Now())
	return res.RowsAffected, res.Error
}

// SendToMain sends a note to the main account of the note's partner
// (n.To is ignored); a partner without one gets nothing.
func SendToMain(ctx context.Context, tx *gorm.DB, n Note) error {
	main, err := (identity.Users{DB: tx}).MainAccountID(ctx, n.Partner)
	if err != nil || main == 0 {
		return err
	}
	n.To = main
	return Send(ctx, tx, n)
}

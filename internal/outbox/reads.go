package outbox

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
)

// PerPage is the delivery log's page size.
const PerPage = 30

// Filter narrows the delivery log: a channel, a state, a recipient, a
// page.
type Filter struct {
	Channel string
	Status  string
	Q       string
	Page    int
	Per     int
}

// Log is the delivery log: the vendor administrator sees every message,
// anyone else the messages sent to itself.
type Log struct {
	DB    *gorm.DB
	Clock clock.Clock
}

// Entry is a log row with its attempts.
type Entry struct {
	Message
	Tries []Attempt `gorm:"-"`
}

// List is one page of the log, newest first, with each message's attempts.
func (l Log) List(ctx context.Context, p *access.Principal, f Filter) (_ []Entry, total int64, err error) {
	defer apperr.Wrap(&err, "outbox.Log.List")
	uid, err := p.Self()
	if err != nil {
		return nil, 0, err
	}
	q := l.DB.WithContext(ctx).Model(&Message{})
	if p.VendorRole != "vendor_admin" {
		q = q.Where("user_id = ?", uid)
	}
	if f.Channel == Email || f.Channel == SMS || f.Channel == Webhook {
		q = q.Where("channel = ?", f.Channel)
	}
	if f.Status == StatusQueued || f.Status == StatusSent || f.Status == StatusFailed {
		q = q.Where("status = ?", f.Status)
	}
	if kw := strings.TrimSpace(f.Q); kw != "" {
		q = q.Where("recipient ILIKE ?", db.Contains(kw))
	}
	if f.Page <= 0 {
		f.Page = 1
	}
	if f.Per <= 0 || f.Per > 100 {
		f.Per = PerPage
	}
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var ms []Message
	if err := q.Order("created_at DESC, id DESC").Limit(f.Per).Offset((f.Page - 1) * f.Per).Find(&ms).Error; err != nil {
		return nil, 0, err
	}
	out, err := withTries(ctx, l.DB, ms)
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// Retry is the vendor administrator's 重新投递 of a failed message: queued
// again now, with a fresh count of attempts; audited.
func (l Log) Retry(ctx context.Context, p *access.Principal, id int64) (err error) {
	defer apperr.Wrap(&err, "outbox.Log.Retry(%d)", id)
	if _, err := p.VendorAdmin(); err != nil {
		return err
	}
	return db.WithTx(ctx, l.DB, func(tx *gorm.DB) error {
		return Requeue(ctx, tx, id, 0, l.Clock.Now())
	})
}

// Requeue queues a failed message again now with a fresh count of
// attempts, audited for the partner (0: the vendor's). The caller has
// checked the actor may (a partner's webhook deliveries: its main
// account).
func Requeue(ctx context.Context, tx *gorm.DB, id, partnerID int64, at time.Time) error {
	at = at.UTC()
	res := tx.WithContext(ctx).Model(&Message{}).Where("id = ? AND status = ?", id, StatusFailed).
		Updates(map[string]any{"status": StatusQueued, "attempts": 0, "next_at": at, "lease_until": nil})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		var n int64
		if err := tx.WithContext(ctx).Model(&Message{}).Where("id = ?", id).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return apperr.NotFound()
		}
		return apperr.Conflict("outbox.err.not_failed")
	}
	return audit.Record(ctx, tx, audit.Change{At: at, PartnerID: partnerID, Action: "outbox.retry", ObjectType: "outbox_message", ObjectID: id,
		Before: map[string]any{"status": StatusFailed}, After: map[string]any{"status": StatusQueued}})
}

// OfEndpoint is one page of a webhook endpoint's deliveries with their
// attempts, newest first; the caller has checked the actor may see the
// endpoint.
func OfEndpoint(ctx context.Context, g *gorm.DB, endpointID int64, page, per int) (_ []Entry, total int64, err error) {
	defer apperr.Wrap(&err, "outbox.OfEndpoint(%d)", endpointID)
	q := g.WithContext(ctx).Model(&Message{}).Where("endpoint_id = ?", endpointID)
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var ms []Message
	if err := q.Order("created_at DESC, id DESC").Limit(per).Offset((max(page, 1) - 1) * per).Find(&ms).Error; err != nil {
		return nil, 0, err
	}
	out, err := withTries(ctx, g, ms)
	return out, total, err
}

// withTries attaches each message's attempts.
func withTries(ctx context.Context, g *gorm.DB, ms []Message) ([]Entry, error) {
	out := make([]Entry, len(ms))
	ids := make([]int64, len(ms))
	at := map[int64]int{}
	for i, m := range ms {
		out[i].Message, ids[i], at[m.ID] = m, m.ID, i
	}
	if len(ids) == 0 {
		return out, nil
	}
	var as []Attempt
	if err := g.WithContext(ctx).Where("message_id IN ?", ids).Order("at, id").Find(&as).Error; err != nil {
		return nil, err
	}
	for _, a := range as {
		out[at[a.MessageID]].Tries = append(out[at[a.MessageID]].Tries, a)
	}
	return out, nil
}

package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/i18n"
)

// Envelope is a rendered message handed to a sender.
type Envelope struct {
	ID      int64 // the outbox message: a receiver may drop a repeat
	Channel string
	To      string
	Subject string // e-mail only
	Body    string // a webhook's: the JSON payload
	// A webhook delivery's endpoint and event type.
	EndpointID int64
	Type       string
}

// Sender delivers envelopes of one channel. An error is a failed attempt,
// retried later.
type Sender interface {
	Send(ctx context.Context, e Envelope) error
}

// ErrPermanent marks a failure that no retry can fix (a disabled
// endpoint, a malformed address): the message fails at once.
var ErrPermanent = errors.New("permanent failure")

// LogSender only logs: the default without SMTP or an SMS gateway, and in
// tests. Every message is "sent".
type LogSender struct{ Log *slog.Logger }

// Send logs the envelope.
func (s LogSender) Send(ctx context.Context, e Envelope) error {
	log := s.Log
	if log == nil {
		log = slog.Default()
	}
	log.InfoContext(ctx, "outbox message (log only)", "id", e.ID, "channel", e.Channel, "to", e.To, "subject", e.Subject)
	return nil
}

// Retry policy: attempts per channel (webhooks 10, build-plan 5.F).
const (
	MaxAttempts        = 8
	MaxWebhookAttempts = 10
	LeaseFor           = 2 * time.Minute
	batch              = 20
)

func maxAttempts(channel string) int {
	if channel == Webhook {
		return MaxWebhookAttempts
	}
	return MaxAttempts
}

// backoff is the wait after the n-th failed attempt: 30 s doubling, at
// most 6 h.
func backoff(n int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < n && d < 6*time.Hour; i++ {
		d *= 2
	}
	return min(d, 6*time.Hour)
}

// Dispatcher delivers due messages through the senders by channel.
// BaseURL makes links absolute.
type Dispatcher struct {
	DB      *gorm.DB
	Clock   clock.Clock
	Senders map[string]Sender
	BaseURL string
	Log     *slog.Logger
}

// claim leases up to batch due messages.
func (d Dispatcher) claim(ctx context.Context, now time.Time) ([]Message, error) {
	var out []Message
	err := d.DB.WithContext(ctx).Raw(`UPDATE outbox_messages SET lease_until = ?
		WHERE id IN (SELECT id FROM outbox_messages WHERE status = 'queued' AND next_at <= ? AND (lease_until IS NULL OR lease_until < ?)
			ORDER BY next_at, id LIMIT ? FOR UPDATE SKIP LOCKED)
		RETURNING *`, now.Add(LeaseFor), now, now, batch).Scan(&out).Error
	return out, err
}

// Dispatch delivers the due messages, batch after batch, until none is
// due; it returns how many were sent and how many attempts failed.
func (d Dispatcher) Dispatch(ctx context.Context) (sent, failed int, err error) {
	for {
		now := d.Clock.Now().UTC()
		ms, err := d.claim(ctx, now)
		if err != nil || len(ms) == 0 {
			return sent, failed, err
		}
		for i := range ms {
			ok, err := d.deliver(ctx, &ms[i])
			if err != nil {
				return sent, failed, err
			}
			if ok {
				sent++
			} else {
				failed++
			}
		}
	}
}

// deliver renders and sends one leased message and records the attempt.
func (d Dispatcher) deliver(ctx context.Context, m *Message) (bool, error) {
	env, rerr := d.render(m)
	sendErr := rerr
	if sendErr == nil {
		s := d.Senders[m.Channel]
		if s == nil {
			s = LogSender{Log: d.Log}
		}
		sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		sendErr = s.Send(sctx, env)
		cancel()
	}
	now := d.Clock.Now().UTC()
	attempt := Attempt{MessageID: m.ID, At: now, OK: sendErr == nil}
	upd := map[string]any{"attempts": m.Attempts + 1, "lease_until": nil}
	switch {
	case sendErr == nil:
		upd["status"], upd["sent_at"], upd["last_error"] = StatusSent, now, ""
	case rerr != nil || errors.Is(sendErr, ErrPermanent) || m.Attempts+1 >= maxAttempts(m.Channel):
		// A message that cannot render never will: no retry.
		attempt.Detail = truncate(sendErr.Error(), 500)
		upd["status"], upd["last_error"] = StatusFailed, attempt.Detail
	default:
		attempt.Detail = truncate(sendErr.Error(), 500)
		upd["next_at"], upd["last_error"] = now.Add(backoff(m.Attempts+1)), attempt.Detail
	}
	if err := d.DB.WithContext(ctx).Create(&attempt).Error; err != nil {
		return false, err
	}
	if err := d.DB.WithContext(ctx).Model(&Message{}).Where("id = ? AND status = ?", m.ID, StatusQueued).Updates(upd).Error; err != nil {
		return false, err
	}
	if sendErr != nil && d.Log != nil {
		d.Log.WarnContext(ctx, "outbox delivery failed", "id", m.ID, "channel", m.Channel, "attempt", m.Attempts+1, "err", sendErr)
	}
	return sendErr == nil, nil
}

// render writes the message in its language: parameters ending in At
// (RFC 3339) in its time zone, Link made absolute.
func (d Dispatcher) render(m *Message) (Envelope, error) {
	if m.Channel == Webhook {
		if m.EndpointID == nil {
			return Envelope{}, errors.New("webhook without endpoint")
		}
		return Envelope{ID: m.ID, Channel: Webhook, To: m.Recipient, Body: string(m.Params), EndpointID: *m.EndpointID, Type: m.Template}, nil
	}
	params := map[string]any{}
	if len(m.Params) > 0 {
		if err := json.Unmarshal(m.Params, &params); err != nil {
			return Envelope{}, fmt.Errorf("params: %w", err)
		}
	}
	loc, err := time.LoadLocation(m.TimeZone)
	if err != nil {
		return Envelope{}, fmt.Errorf("time zone %q: %w", m.TimeZone, err)
	}
	i18n.Params(m.Lang, params, loc)
	if link, ok := params["Link"].(string); ok && strings.HasPrefix(link, "/") {
		params["Link"] = strings.TrimRight(d.BaseURL, "/") + link
	}
	e := Envelope{ID: m.ID, Channel: m.Channel, To: m.Recipient}
	switch m.Channel {
	case Email:
		e.Subject, e.Body = i18n.TL(m.Lang, m.Template+".subject", params), i18n.TL(m.Lang, m.Template+".body", params)
	case SMS:
		e.Body = i18n.TL(m.Lang, m.Template+".sms", params)
	default:
		return e, errors.New("unknown channel " + m.Channel)
	}
	return e, nil
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

// DispatchArgs is the periodic job that delivers the outbox.
type DispatchArgs struct{}

// Kind names the job.
func (DispatchArgs) Kind() string { return "outbox_dispatch" }

// DispatchWorker runs Dispatch.
type DispatchWorker struct {
	river.WorkerDefaults[DispatchArgs]
	Dispatcher Dispatcher
}

// Work delivers what is due.
func (w *DispatchWorker) Work(ctx context.Context, _ *river.Job[DispatchArgs]) error {
	_, _, err := w.Dispatcher.Dispatch(ctx)
	return err
}

// AddWorkers registers the package's workers.
func AddWorkers(ws *river.Workers, d Dispatcher) { river.AddWorker(ws, &DispatchWorker{Dispatcher: d}) }

// PeriodicJobs delivers the outbox every 10 seconds (and at start).
func PeriodicJobs() []*river.PeriodicJob {
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(10*time.Second),
		func() (river.JobArgs, *river.InsertOpts) { return DispatchArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true})}
}

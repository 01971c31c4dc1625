package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"syscall"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/audit"
	"partnercenter/internal/events"
	"partnercenter/internal/identity"
	"partnercenter/internal/notify"
	"partnercenter/internal/outbox"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
)

// Fanout queues a delivery of every new event to each active endpoint of
// its partner that subscribed to its type and existed before it, and
// moves the cursor; one fan-out runs at a time (the cursor's row lock).
func Fanout(ctx context.Context, g *gorm.DB) (queued int, err error) {
	err = db.WithTx(ctx, g, func(tx *gorm.DB) error {
		var last int64
		if err := tx.WithContext(ctx).Raw(`SELECT last_event_id FROM webhook_cursor WHERE id = 1 FOR UPDATE`).Scan(&last).Error; err != nil {
			return err
		}
		evs, err := events.After(ctx, tx, last, 500)
		if err != nil || len(evs) == 0 {
			return err
		}
		for _, ev := range evs {
			var eps []Endpoint
			if err := tx.WithContext(ctx).Where("partner_id = ? AND status = ? AND from_event_id < ? AND jsonb_exists(event_types, ?)",
				ev.PartnerID, StatusActive, ev.ID, ev.Type).Find(&eps).Error; err != nil {
				return err
			}
			for _, e := range eps {
				body, err := payload("evt_"+strconv.FormatInt(ev.ID, 10), ev.Type, ev.OccurredAt, ev.PartnerID, ev.Data)
				if err != nil {
					return err
				}
				if err := outbox.ToEndpoint(ctx, tx, outbox.Delivery{EndpointID: e.ID, URL: e.URL, EventID: ev.ID, Type: ev.Type,
					Payload: body, Partner: ev.PartnerID, At: ev.OccurredAt}); err != nil {
					return err
				}
				queued++
			}
			last = ev.ID
		}
		return tx.WithContext(ctx).Exec(`UPDATE webhook_cursor SET last_event_id = ? WHERE id = 1`, last).Error
	})
	return queued, err
}

// Sign is the X-PC-Signature header of a body: sha256=<hex HMAC-SHA256>.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Sender delivers webhook envelopes (an outbox.Sender). Client is the
// HTTP client (nil: one that refuses private addresses and redirects);
// tests give one that trusts their TLS server.
type Sender struct {
	DB     *gorm.DB
	Clock  clock.Clock
	Client *http.Client
}

// errPrivate refuses a connection into a private network.
var errPrivate = errors.New("webhook: the address is in a private network")

var safeClient = SafeClient()

// SafeClient is the default client: 10 s, no redirects, and a dialer that
// refuses loopback, private and link-local addresses after resolving.
func SafeClient() *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second, Control: func(_, address string, _ syscall.RawConn) error {
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return err
		}
		if ip := net.ParseIP(host); ip == nil || !public(ip) {
			return errPrivate
		}
		return nil
	}}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = d.DialContext
	tr.Proxy = nil
	return &http.Client{Timeout: 10 * time.Second, Transport: tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// Send posts one delivery, signed with the endpoint's secret, and keeps
// the endpoint's failure clock: a success clears it, a failure starts it,
// and an endpoint failing for FailingFor is disabled with a message to
// the partner's main account.
func (s Sender) Send(ctx context.Context, env outbox.Envelope) error {
	var e Endpoint
	if err := s.DB.WithContext(ctx).Where("id = ?", env.EndpointID).First(&e).Error; err != nil {
		return err
	}
	if e.Status != StatusActive && env.Type != TestType {
		return fmt.Errorf("endpoint disabled: %w", outbox.ErrPermanent)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.URL, bytes.NewReader([]byte(env.Body)))
	if err != nil {
		return fmt.Errorf("%w: %w", err, outbox.ErrPermanent)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "PartnerCenter-Webhook/1")
	req.Header.Set("X-PC-Event", env.Type)
	req.Header.Set("X-PC-Delivery", strconv.FormatInt(env.ID, 10))
	req.Header.Set("X-PC-Signature", Sign(e.Secret, []byte(env.Body)))
	c := s.Client
	if c == nil {
		c = safeClient
	}
	res, err := c.Do(req)
	if err == nil {
		defer res.Body.Close()
		if res.StatusCode/100 != 2 {
			b, _ := io.ReadAll(io.LimitReader(res.Body, 200))
			err = fmt.Errorf("HTTP %d %s", res.StatusCode, bytes.TrimSpace(b))
		}
	}
	return errors.Join(err, s.clock(ctx, &e, err == nil))
}

// clock records the endpoint's health after an attempt.
func (s Sender) clock(ctx context.Context, e *Endpoint, ok bool) error {
	now := s.Clock.Now().UTC()
	if ok {
		if e.FailingSince == nil {
			return nil
		}
		return s.DB.WithContext(ctx).Model(&Endpoint{}).Where("id = ?", e.ID).UpdateColumn("failing_since", nil).Error
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		var cur Endpoint
		if err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ?", e.ID).First(&cur).Error; err != nil {
			return err
		}
		if cur.FailingSince == nil {
			return tx.WithContext(ctx).Model(&cur).UpdateColumn("failing_since", now).Error
		}
		if cur.Status != StatusActive || now.Sub(*cur.FailingSince) < FailingFor {
			return nil
		}
		if err := tx.WithContext(ctx).Model(&cur).Updates(map[string]any{"status": StatusDisabled, "disabled_reason": "failing",
			"updated_at": now}).Error; err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Change{At: now, PartnerID: cur.PartnerID, Action: "webhook.status", ObjectType: "webhook_endpoint",
			ObjectID: cur.ID, Before: map[string]any{"status": StatusActive}, After: map[string]any{"status": StatusDisabled}}); err != nil {
			return err
		}
		main, err := (identity.Users{DB: tx}).MainAccountID(ctx, cur.PartnerID)
		if err != nil {
			return err
		}
		return notify.Send(ctx, tx, notify.Note{To: main, Partner: cur.PartnerID, Subject: "webhook.msg.disabled.subject",
			Body: "webhook.msg.disabled.body", Params: map[string]any{"URL": cur.URL, "SinceAt": cur.FailingSince.Format(time.RFC3339)},
			Link: fmt.Sprintf("/profile/webhooks/%d", cur.ID), At: now})
	})
}

// FanoutArgs is the periodic job that fans events out to endpoints.
type FanoutArgs struct{}

// Kind names the job.
func (FanoutArgs) Kind() string { return "webhook_fanout" }

// FanoutWorker runs Fanout.
type FanoutWorker struct {
	river.WorkerDefaults[FanoutArgs]
	DB *gorm.DB
}

// Work fans the new events out.
func (w *FanoutWorker) Work(ctx context.Context, _ *river.Job[FanoutArgs]) error {
	_, err := Fanout(ctx, w.DB)
	return err
}

// AddWorkers registers the package's workers.
func AddWorkers(ws *river.Workers, g *gorm.DB) { river.AddWorker(ws, &FanoutWorker{DB: g}) }

// PeriodicJobs fans events out every 10 seconds (and at start).
func PeriodicJobs() []*river.PeriodicJob {
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(10*time.Second),
		func() (river.JobArgs, *river.InsertOpts) { return FanoutArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true})}
}

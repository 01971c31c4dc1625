package webhook

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/events"
	"partnercenter/internal/outbox"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
)

// Types are the event types an endpoint may receive (build-plan 5.F), as
// the packages that own the changes record them.
var Types = []string{
	"customer.associated", "association.request.created", "association.request.completed", "association.request.rejected",
	"association.request.cancelled",
	"funds.recharged", "funds.transferred", "funds.recovered", "withdrawal.paid", "withdrawal.rejected",
	"invoice.issued", "invoice.mailed", "invoice.returned",
	"incentive.bill.status", "incentive.application.status", "incentive.expired",
	"opportunity.po.status", "opportunity.ho.shared", "opportunity.ho.status",
	"export.done",
}

// TestType is the type of 发送测试事件's delivery.
const TestType = "webhook.test"

// States of an endpoint.
const (
	StatusActive   = "active"
	StatusDisabled = "disabled"
)

// FailingFor disables an endpoint that has not succeeded for so long.
const FailingFor = 72 * time.Hour

// Endpoint is a row of webhook_endpoints.
type Endpoint struct {
	ID             int64
	PartnerID      int64
	URL            string `gorm:"column:url"`
	Description    string
	Secret         string
	EventTypes     []string `gorm:"serializer:json"`
	Status         string
	DisabledReason string
	FailingSince   *time.Time
	FromEventID    int64
	CreatedBy      *int64
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// TableName maps Endpoint to webhook_endpoints.
func (Endpoint) TableName() string { return "webhook_endpoints" }

// Service is the main account's endpoints. AllowPrivate accepts
// loopback and private addresses (WEBHOOK_ALLOW_PRIVATE, for development
// and tests only).
type Service struct {
	DB           *gorm.DB
	Clock        clock.Clock
	AllowPrivate bool
}

func (s Service) now() time.Time { return s.Clock.Now().UTC() }

// owner is the actor's tenant when the actor is its main account.
func owner(p *access.Principal) (int64, error) {
	pid, err := p.Tenant()
	if err != nil {
		return 0, err
	}
	if !p.IsMain {
		return 0, apperr.Forbidden()
	}
	return pid, nil
}

// Input is the endpoint form.
type Input struct {
	URL         string
	Description string
	Types       []string
}

// checkURL accepts an absolute https URL with a host name or a public
// address, no user information and no fragment.
func checkURL(raw string, allowPrivate bool) (string, string) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	switch {
	case raw == "" || err != nil:
		return raw, "webhook.err.url"
	case u.Scheme != "https":
		return raw, "webhook.err.https"
	case u.Host == "" || u.User != nil || u.Fragment != "" || len(raw) > 500:
		return raw, "webhook.err.url"
	}
	host := u.Hostname()
	if allowPrivate {
		return raw, ""
	}
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return raw, "webhook.err.private"
	}
	if ip := net.ParseIP(host); ip != nil && !public(ip) {
		return raw, "webhook.err.private"
	}
	return raw, ""
}

// public reports an address outside loopback, private, link-local,
// multicast and unspecified networks.
func public(ip net.IP) bool {
	return !(ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsMulticast() ||
		ip.IsUnspecified() || ip.IsInterfaceLocalMulticast())
}

func (in Input) check(allowPrivate bool) (Input, error) {
	f := apperr.Fields{}
	var key string
	in.URL, key = checkURL(in.URL, allowPrivate)
	if key != "" {
		f.Add("url", key)
	}
	in.Description = strings.TrimSpace(in.Description)
	if utf8.RuneCountInString(in.Description) > 100 {
		f.Add("description", "webhook.err.too_long")
	}
	var types []string
	for _, t := range in.Types {
		if slices.Contains(Types, t) && !slices.Contains(types, t) {
			types = append(types, t)
		}
	}
	if len(types) == 0 {
		f.Add("types", "webhook.err.types")
	}
	in.Types = types
	return in, f.Err()
}

func newSecret() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "whsec_" + hex.EncodeToString(b), nil
}

// Create registers an endpoint with a new secret; it receives the events
// that happen from now on.
func (s Service) Create(ctx context.Context, p *access.Principal, in Input) (_ *Endpoint, err error) {
	defer apperr.Wrap(&err, "webhook.Create")
	pid, err := owner(p)
	if err != nil {
		return nil, err
	}
	if in, err = in.check(s.AllowPrivate); err != nil {
		return nil, err
	}
	secret, err := newSecret()
	if err != nil {
		return nil, err
	}
	now := s.now()
	e := &Endpoint{PartnerID: pid, URL: in.URL, Description: in.Description, Secret: secret, EventTypes: in.Types, Status: StatusActive,
		CreatedBy: &p.UserID, CreatedAt: now, UpdatedAt: now}
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		if e.FromEventID, err = events.Last(ctx, tx); err != nil {
			return err
		}
		if err := tx.WithContext(ctx).Create(e).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pid, Action: "webhook.create", ObjectType: "webhook_endpoint",
			ObjectID: e.ID, After: map[string]any{"url": e.URL, "event_types": strings.Join(in.Types, ", ")}})
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// List is the tenant's endpoints, newest first.
func (s Service) List(ctx context.Context, p *access.Principal) (_ []Endpoint, err error) {
	defer apperr.Wrap(&err, "webhook.List")
	pid, err := owner(p)
	if err != nil {
		return nil, err
	}
	var out []Endpoint
	err = s.DB.WithContext(ctx).Where("partner_id = ?", pid).Order("created_at DESC, id DESC").Find(&out).Error
	return out, err
}

// Get reads one of the tenant's endpoints (another's is 404).
func (s Service) Get(ctx context.Context, p *access.Principal, id int64) (_ *Endpoint, err error) {
	defer apperr.Wrap(&err, "webhook.Get(%d)", id)
	pid, err := owner(p)
	if err != nil {
		return nil, err
	}
	return get(ctx, s.DB, pid, id, false)
}

func get(ctx context.Context, g *gorm.DB, pid, id int64, lock bool) (*Endpoint, error) {
	q := g.WithContext(ctx).Where("id = ? AND partner_id = ?", id, pid)
	if lock {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var e Endpoint
	if err := q.First(&e).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, apperr.NotFound()
		}
		return nil, err
	}
	return &e, nil
}

// Deliveries is one page of an endpoint's deliveries with their attempts.
func (s Service) Deliveries(ctx context.Context, p *access.Principal, id int64, page int) (_ []outbox.Entry, total int64, err error) {
	defer apperr.Wrap(&err, "webhook.Deliveries(%d)", id)
	if _, err := s.Get(ctx, p, id); err != nil {
		return nil, 0, err
	}
	return outbox.OfEndpoint(ctx, s.DB, id, page, outbox.PerPage)
}

// SetActive is 启用 / 停用; enabling clears the failure clock.
func (s Service) SetActive(ctx context.Context, p *access.Principal, id int64, on bool) (err error) {
	defer apperr.Wrap(&err, "webhook.SetActive(%d)", id)
	pid, err := owner(p)
	if err != nil {
		return err
	}
	now := s.now()
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		e, err := get(ctx, tx, pid, id, true)
		if err != nil {
			return err
		}
		upd := map[string]any{"status": StatusActive, "disabled_reason": "", "failing_since": nil, "updated_at": now}
		if !on {
			upd["status"], upd["disabled_reason"] = StatusDisabled, "manual"
		}
		if e.Status == upd["status"] {
			return nil
		}
		if err := tx.WithContext(ctx).Model(e).Updates(upd).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pid, Action: "webhook.status", ObjectType: "webhook_endpoint",
			ObjectID: id, Before: map[string]any{"status": e.Status}, After: map[string]any{"status": upd["status"]}})
	})
}

// Delete removes an endpoint and its deliveries.
func (s Service) Delete(ctx context.Context, p *access.Principal, id int64) (err error) {
	defer apperr.Wrap(&err, "webhook.Delete(%d)", id)
	pid, err := owner(p)
	if err != nil {
		return err
	}
	now := s.now()
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		e, err := get(ctx, tx, pid, id, true)
		if err != nil {
			return err
		}
		if err := tx.WithContext(ctx).Delete(e).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pid, Action: "webhook.delete", ObjectType: "webhook_endpoint",
			ObjectID: id, Before: map[string]any{"url": e.URL}})
	})
}

// payload is the JSON body of a delivery.
func payload(id, typ string, at time.Time, partnerID int64, data json.RawMessage) (json.RawMessage, error) {
	return json.Marshal(map[string]any{"id": id, "type": typ, "occurred_at": at.UTC().Format(time.RFC3339), "partner_id": partnerID,
		"data": data})
}

// SendTest is 发送测试事件: a webhook.test delivery to an active endpoint.
func (s Service) SendTest(ctx context.Context, p *access.Principal, id int64) (err error) {
	defer apperr.Wrap(&err, "webhook.SendTest(%d)", id)
	pid, err := owner(p)
	if err != nil {
		return err
	}
	now := s.now()
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		e, err := get(ctx, tx, pid, id, false)
		if err != nil {
			return err
		}
		if e.Status != StatusActive {
			return apperr.Conflict("webhook.err.disabled")
		}
		body, err := payload(fmt.Sprintf("test_%d", now.UnixNano()), TestType, now, pid,
			json.RawMessage(`{"message":"Partner Center webhook test"}`))
		if err != nil {
			return err
		}
		return outbox.ToEndpoint(ctx, tx, outbox.Delivery{EndpointID: e.ID, URL: e.URL, Type: TestType, Payload: body, Partner: pid, At: now})
	})
}

// Redeliver is 重新投递 of one of an endpoint's failed deliveries.
func (s Service) Redeliver(ctx context.Context, p *access.Principal, id, messageID int64) (err error) {
	defer apperr.Wrap(&err, "webhook.Redeliver(%d, %d)", id, messageID)
	pid, err := owner(p)
	if err != nil {
		return err
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		if _, err := get(ctx, tx, pid, id, false); err != nil {
			return err
		}
		es, _, err := outbox.OfEndpoint(ctx, tx, id, 1, 1000)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(es, func(e outbox.Entry) bool { return e.ID == messageID }) {
			return apperr.NotFound()
		}
		return outbox.Requeue(ctx, tx, messageID, pid, s.now())
	})
}

package customer

import (
	"context"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/audit"
	"partnercenter/internal/events"
	"partnercenter/internal/notify"
	"partnercenter/internal/outbox"
	"partnercenter/internal/platform/apperr"
)

// Transition is one outcome of an association request: an association
// completed, a switch or an unbinding completed, rejected or cancelled.
// Service.apply is the ONE place where a transition changes the request
// and runs its side effects, inside the caller's transaction.
type Transition struct {
	// Request is the request being decided; its Status is still pending.
	Request *Request
	// Outcome is RequestCompleted, RequestRejected or RequestCancelled.
	Outcome string
	// Customer and Association are locked by the caller.
	Customer    *Customer
	Association *Association
	// ActorUserID decided (the customer's user for its own consent).
	ActorUserID int64
	Note        string
	At          time.Time
}

// Effect is one side effect of a transition, run in order by apply with
// the transition's transaction. Billing's effects are listed in effects
// (balance recovery on unbinding a resale customer; later returning
// partner-issued vouchers and cash coupons, seed 003 §12.4.4, §12.4.24).
type Effect struct {
	Name string
	Run  func(ctx context.Context, tx *gorm.DB, t *Transition) error
}

// effects run in this order for every transition.
var effects = []Effect{
	{Name: "association", Run: effectAssociation},
	{Name: "grace_period", Run: effectGracePeriod},
	{Name: "balance_recovery", Run: effectBalanceRecovery}, // effect_billing.go
	// next: {Name: "voucher_return", ...}
	{Name: "audit", Run: effectAudit},
	{Name: "event", Run: effectEvent},
	{Name: "notify", Run: effectNotify},
}

// apply decides the pending request (completed, rejected or cancelled,
// guarded on pending) and runs every effect in order.
func (s *Service) apply(ctx context.Context, tx *gorm.DB, t *Transition) error {
	upd := map[string]any{"status": t.Outcome, "decided_at": t.At, "decision_note": t.Note}
	if t.ActorUserID != 0 {
		upd["decided_by"] = t.ActorUserID
	}
	res := tx.WithContext(ctx).Model(&Request{}).Where("id = ? AND status = ?", t.Request.ID, RequestPending).Updates(upd)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return apperr.Conflict("customer.err.request_decided")
	}
	for _, e := range effects {
		if err := e.Run(ctx, tx, t); err != nil {
			return err
		}
	}
	t.Request.Status, t.Request.DecidedAt, t.Request.DecisionNote = t.Outcome, &t.At, t.Note
	if t.ActorUserID != 0 {
		t.Request.DecidedBy = ptr(t.ActorUserID)
	}
	return nil
}

func (t *Transition) completed() bool { return t.Outcome == RequestCompleted }

// effectAssociation: a completed switch changes the mode (from/to are on
// the request); a completed unbinding ends the association (R9: the
// customer may then associate with another partner, seed 003 §12.1.2.3),
// and so does a migration (its new association is Migrate's).
func effectAssociation(ctx context.Context, tx *gorm.DB, t *Transition) error {
	if !t.completed() || t.Association == nil {
		return nil
	}
	a := t.Association
	switch t.Request.Type {
	case RequestSwitch:
		to := strOr(t.Request.ToMode)
		if err := tx.WithContext(ctx).Model(&Association{}).Where("id = ? AND status = ?", a.ID, AssociationActive).
			Update("mode", to).Error; err != nil {
			return err
		}
		a.Mode = to
	case RequestUnbind, RequestMigrate:
		if err := tx.WithContext(ctx).Model(&Association{}).Where("id = ? AND status = ?", a.ID, AssociationActive).
			Updates(map[string]any{"status": AssociationEnded, "ended_at": t.At}).Error; err != nil {
			return err
		}
		a.Status, a.EndedAt = AssociationEnded, &t.At
	}
	return nil
}

// effectGracePeriod applies R16 (seed 003 §12.4.19): associating in resale
// mode (by invitation or by switching to resale) raises the on-demand grace
// period to at least 1 day; unbinding a resale customer to at least 7 days,
// and so does migrating one (its balance goes back as on unbinding).
// The previous value is recorded on the association.
func effectGracePeriod(ctx context.Context, tx *gorm.DB, t *Transition) error {
	if !t.completed() || t.Association == nil || t.Customer == nil {
		return nil
	}
	min := 0
	switch {
	case t.Request.Type == RequestAssociate && t.Association.Mode == ModeResale:
		min = GraceDaysResaleAssociate
	case t.Request.Type == RequestSwitch && strOr(t.Request.ToMode) == ModeResale:
		min = GraceDaysResaleAssociate
	case (t.Request.Type == RequestUnbind || t.Request.Type == RequestMigrate) && strOr(t.Request.FromMode) == ModeResale:
		min = GraceDaysResaleUnbind
	}
	if min == 0 {
		return nil
	}
	before := t.Customer.GraceDays
	if err := tx.WithContext(ctx).Model(&Association{}).Where("id = ?", t.Association.ID).Update("grace_days_before", before).Error; err != nil {
		return err
	}
	t.Association.GraceDaysBefore = ptr(before)
	if before >= min {
		return nil
	}
	if err := tx.WithContext(ctx).Model(&Customer{}).Where("id = ?", t.Customer.ID).
		Updates(map[string]any{"grace_days": min, "updated_at": t.At}).Error; err != nil {
		return err
	}
	t.Customer.GraceDays = min
	return audit.Record(ctx, tx, audit.Change{PartnerID: t.Request.PartnerID, Action: "customer.grace_days", ObjectType: "customer",
		ObjectID: t.Customer.ID, Before: map[string]any{"grace_days": before}, After: map[string]any{"grace_days": min, "request_id": t.Request.ID}})
}

func effectAudit(ctx context.Context, tx *gorm.DB, t *Transition) error {
	r := t.Request
	after := map[string]any{"type": r.Type, "status": t.Outcome, "initiator": r.Initiator, "note": t.Note,
		"from_mode": strOr(r.FromMode), "to_mode": strOr(r.ToMode), "customer_id": r.CustomerID}
	if t.Association != nil {
		after["association_id"] = t.Association.ID
		after["association_status"] = t.Association.Status
		after["mode"] = t.Association.Mode
	}
	return audit.Record(ctx, tx, audit.Change{PartnerID: r.PartnerID, Action: "customer.request." + r.Type + "." + t.Outcome,
		ObjectType: "association_request", ObjectID: r.ID, Before: map[string]any{"status": RequestPending}, After: after})
}

// effectNotify tells the other side of the outcome: the partner's main
// account (and the member who asked, if another) for what the customer
// did; the customer for what the partner did.
func effectNotify(ctx context.Context, tx *gorm.DB, t *Transition) error {
	r := t.Request
	params := map[string]any{"TypeKey": "customer.request.type." + r.Type, "OutcomeKey": "customer.request.status." + t.Outcome,
		"FromKey": "customer.mode." + strOr(r.FromMode), "ToKey": "customer.mode." + strOr(r.ToMode), "Note": t.Note}
	if t.Customer != nil {
		params["Customer"] = t.Customer.Name
		params["Account"] = t.Customer.AccountName
	}
	name, err := partnerName(ctx, tx, r.PartnerID)
	if err != nil {
		return err
	}
	params["Partner"] = name
	if t.Association != nil {
		params["ModeKey"] = "customer.mode." + t.Association.Mode
	}
	subject, body := "customer.msg.outcome.subject", "customer.msg.outcome.body"
	if r.Type == RequestAssociate {
		subject, body = "customer.msg.associated.subject", "customer.msg.associated.body"
	}
	partnerLink := "/customers/records"
	toPartner := r.Initiator == InitiatorPartner || r.Type == RequestAssociate ||
		(r.Initiator == InitiatorCustomer && t.Outcome == RequestCancelled)
	toCustomer := r.Initiator == InitiatorCustomer && t.Outcome != RequestCancelled ||
		(r.Initiator == InitiatorPartner && t.Outcome == RequestCancelled)
	if toPartner {
		main, err := mainAccount(ctx, tx, r.PartnerID)
		if err != nil {
			return err
		}
		targets := []int64{main}
		if r.RequestedBy != nil && *r.RequestedBy != main && r.Initiator == InitiatorPartner {
			targets = append(targets, *r.RequestedBy)
		}
		if t.Customer != nil {
			partnerLink = "/customers/" + strconv.FormatInt(t.Customer.ID, 10)
			if t.Association != nil && t.Association.Status == AssociationEnded {
				partnerLink = "/customers/records"
			}
		}
		for _, uid := range targets {
			if uid == 0 || uid == t.ActorUserID {
				continue
			}
			if err := notify.Send(ctx, tx, notify.Note{To: uid, Partner: r.PartnerID, Subject: subject, Body: body, Params: params, Link: partnerLink}); err != nil {
				return err
			}
		}
	}
	if toCustomer && t.Customer != nil && t.Customer.UserID != nil && *t.Customer.UserID != t.ActorUserID {
		if err := notify.Send(ctx, tx, notify.Note{To: *t.Customer.UserID, Subject: subject, Body: body, Params: params, Link: "/console/partners"}); err != nil {
			return err
		}
		// The association result by e-mail too (§12.4.10).
		return outbox.Announce(ctx, tx, *t.Customer.UserID, outbox.Note{Template: strings.TrimSuffix(subject, ".subject"), Params: params, At: t.At})
	}
	return nil
}

// Event types of associations (build-plan 5.F).
const (
	EventRequestCreated = "association.request.created"
	EventAssociated     = "customer.associated"
)

func requestEventData(r *Request) map[string]any {
	return map[string]any{"request_id": r.ID, "type": r.Type, "initiator": r.Initiator, "customer_id": r.CustomerID,
		"status": r.Status}
}

// effectEvent records the outcome for webhooks: association.request.
// completed, rejected or cancelled, and customer.associated when a new
// association began.
func effectEvent(ctx context.Context, tx *gorm.DB, t *Transition) error {
	r := t.Request
	data := requestEventData(r)
	data["status"] = t.Outcome
	if err := events.Record(ctx, tx, r.PartnerID, "association.request."+t.Outcome, t.At, data); err != nil {
		return err
	}
	if r.Type == RequestAssociate && t.Outcome == RequestCompleted && t.Association != nil {
		return events.Record(ctx, tx, r.PartnerID, EventAssociated, t.At, map[string]any{"customer_id": t.Association.CustomerID,
			"mode": t.Association.Mode, "association_id": t.Association.ID})
	}
	return nil
}

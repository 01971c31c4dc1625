package customer

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/events"
	"partnercenter/internal/notify"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
)

const requestRowSelect = `ar.*, c.account_name, c.name AS customer_name, COALESCE(c.mobile, '') AS mobile,
	COALESCE(a.mode, '') AS mode, COALESCE(NULLIF(m.display_name, ''), m.login_name, '') AS manager_name, p.name AS partner_name,
	COALESCE(NULLIF(rb.display_name, ''), rb.login_name, '') AS requested_by_name,
	COALESCE(NULLIF(db.display_name, ''), db.login_name, '') AS decided_by_name`

// requestRows is the base query of request rows (alias ar).
func requestRows(q *gorm.DB) *gorm.DB {
	return q.Table("association_requests ar").Select(requestRowSelect).
		Joins("JOIN customers c ON c.id = ar.customer_id").
		Joins("JOIN partners p ON p.id = ar.partner_id").
		Joins("LEFT JOIN associations a ON a.id = ar.association_id").
		Joins("LEFT JOIN users m ON m.id = a.manager_user_id").
		Joins("LEFT JOIN users rb ON rb.id = ar.requested_by").
		Joins("LEFT JOIN users db ON db.id = ar.decided_by")
}

func fillRequestRow(r *RequestRow) {
	pending := r.Status == RequestPending
	r.Decidable = pending && r.Type == RequestUnbind && r.Initiator == InitiatorCustomer
	r.AwaitsCustomer = pending && r.Initiator == InitiatorPartner
}

// unbindsInWindow counts the customer's own unbinding applications in the
// last 3 calendar months (R15, seed 003 §12.4.3), whatever their outcome.
func unbindsInWindow(ctx context.Context, tx *gorm.DB, customerID int64, now time.Time) (int64, error) {
	var n int64
	err := tx.WithContext(ctx).Model(&Request{}).
		Where("customer_id = ? AND type = ? AND initiator = ? AND requested_at > ?", customerID, RequestUnbind, InitiatorCustomer,
			now.AddDate(0, -UnbindWindowMonths, 0)).Count(&n).Error
	return n, err
}

func cleanReason(reason string, required bool) (string, error) {
	reason = strings.TrimSpace(reason)
	if required && reason == "" {
		return "", apperr.FieldError("reason", "customer.err.reason_required")
	}
	if runes(reason) > MaxReasonLen {
		return "", apperr.FieldError("reason", "customer.err.reason_too_long")
	}
	return reason, nil
}

// lockActive locks the active association of a customer with the tenant,
// within the principal's data scope, and the customer (NotFound otherwise).
func lockActive(ctx context.Context, tx *gorm.DB, p *access.Principal, customerID int64) (*Association, *Customer, error) {
	var a Association
	q := tx.WithContext(ctx).Clauses(forUpdate()).Table("associations a").Select("a.*").
		Where("a.customer_id = ? AND a.partner_id = ? AND a.status = ?", customerID, p.PartnerID, AssociationActive)
	q = scopeAssoc(q, p)
	if err := q.Take(&a).Error; err != nil {
		return nil, nil, notFoundIf(err)
	}
	var c Customer
	if err := tx.WithContext(ctx).Clauses(forUpdate()).First(&c, customerID).Error; err != nil {
		return nil, nil, notFoundIf(err)
	}
	return &a, &c, nil
}

// pendingOf refuses a new request while the customer has one pending.
func pendingOf(ctx context.Context, tx *gorm.DB, customerID int64) error {
	var n int64
	if err := tx.WithContext(ctx).Model(&Request{}).Where("customer_id = ? AND status = ? AND type IN ?", customerID, RequestPending,
		[]string{RequestSwitch, RequestUnbind}).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return apperr.Conflict("customer.err.request_pending")
	}
	return nil
}

func insertRequest(ctx context.Context, tx *gorm.DB, r *Request) error {
	if err := tx.WithContext(ctx).Create(r).Error; err != nil {
		if _, ok := db.IsUniqueViolation(err); ok {
			return apperr.Conflict("customer.err.request_pending")
		}
		return err
	}
	if err := audit.Record(ctx, tx, audit.Change{PartnerID: r.PartnerID, Action: "customer.request." + r.Type + ".create",
		ObjectType: "association_request", ObjectID: r.ID, After: map[string]any{"type": r.Type, "initiator": r.Initiator,
			"customer_id": r.CustomerID, "from_mode": strOr(r.FromMode), "to_mode": strOr(r.ToMode), "reason": r.Reason, "status": r.Status}}); err != nil {
		return err
	}
	return events.Record(ctx, tx, r.PartnerID, EventRequestCreated, r.RequestedAt, requestEventData(r))
}

func otherMode(m string) string {
	if m == ModeResale {
		return ModeConsulting
	}
	return ModeResale
}

// partnerRequest is a partner-initiated switch or unbinding the customer
// consents to in its console (seed 003 §12.1.2.9–10, §4.5–4.6).
func (s *Service) partnerRequest(ctx context.Context, p *access.Principal, customerID int64, typ, reason string) (*Request, error) {
	if _, err := p.Tenant(); err != nil {
		return nil, err
	}
	now := s.now()
	var out *Request
	err := db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		a, c, err := lockActive(ctx, tx, p, customerID)
		if err != nil {
			return err
		}
		if reason, err = cleanReason(reason, true); err != nil {
			return err
		}
		if err := pendingOf(ctx, tx, c.ID); err != nil {
			return err
		}
		r := &Request{PartnerID: p.PartnerID, CustomerID: c.ID, AssociationID: &a.ID, Type: typ, Initiator: InitiatorPartner,
			FromMode: ptr(a.Mode), Reason: reason, Status: RequestPending, RequestedBy: ptr(p.UserID), RequestedAt: now}
		if typ == RequestSwitch {
			to := otherMode(a.Mode)
			// R13 (seed 003 §12.1.2.12): a finance-hosted sub cannot be consulting.
			if to == ModeConsulting && c.FinanceHosted {
				return apperr.Conflict("customer.err.hosted_sub_consulting")
			}
			r.ToMode = &to
		}
		if err := insertRequest(ctx, tx, r); err != nil {
			return err
		}
		if c.UserID != nil {
			name, err := partnerName(ctx, tx, p.PartnerID)
			if err != nil {
				return err
			}
			if err := notify.Send(ctx, tx, notify.Note{To: *c.UserID, Subject: "customer.msg.request.subject", Body: "customer.msg.request.body",
				Params: map[string]any{"Partner": name, "TypeKey": "customer.request.type." + typ, "Reason": reason}, Link: "/console/partners", At: now}); err != nil {
				return err
			}
		}
		out = r
		return nil
	})
	return out, err
}

// RequestSwitch asks the customer to switch its mode, resale ⇄ consulting
// (seed 003 §12.1.2.7, §12.1.2.9); a reason is required. The customer
// consents in the console; a customer never starts a switch itself
// (§12.4.3).
func (s *Service) RequestSwitch(ctx context.Context, p *access.Principal, customerID int64, reason string) (_ *Request, err error) {
	defer apperr.Wrap(&err, "customer.RequestSwitch(%d)", customerID)
	return s.partnerRequest(ctx, p, customerID, RequestSwitch, reason)
}

// RequestUnbind asks the customer to accept ending the association (seed
// 003 §12.1.2.10); a reason is required.
func (s *Service) RequestUnbind(ctx context.Context, p *access.Principal, customerID int64, reason string) (_ *Request, err error) {
	defer apperr.Wrap(&err, "customer.RequestUnbind(%d)", customerID)
	return s.partnerRequest(ctx, p, customerID, RequestUnbind, reason)
}

// CustomerRequestUnbind is the customer's unbinding application (seed 003
// §12.4.17): at most 3 in 3 months (R15, §12.4.3, "customer.err.unbind_quota");
// only the partner admin decides it (R14). The partner's main account is told.
func (s *Service) CustomerRequestUnbind(ctx context.Context, p *access.Principal, reason string) (_ *Request, err error) {
	defer apperr.Wrap(&err, "customer.CustomerRequestUnbind")
	customerUserID, err := p.CustomerAccount()
	if err != nil {
		return nil, err
	}
	now := s.now()
	var out *Request
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		c, err := byUser(ctx, tx, customerUserID, true)
		if err != nil {
			return err
		}
		if reason, err = cleanReason(reason, false); err != nil {
			return err
		}
		var a Association
		if err := tx.WithContext(ctx).Clauses(forUpdate()).Where("customer_id = ? AND status = ?", c.ID, AssociationActive).First(&a).Error; err != nil {
			if db.IsNotFound(err) {
				return apperr.Conflict("customer.err.not_associated")
			}
			return err
		}
		if err := pendingOf(ctx, tx, c.ID); err != nil {
			return err
		}
		used, err := unbindsInWindow(ctx, tx, c.ID, now)
		if err != nil {
			return err
		}
		if used >= MaxUnbindRequests {
			return apperr.Conflict("customer.err.unbind_quota", map[string]any{"Max": MaxUnbindRequests, "Months": UnbindWindowMonths})
		}
		r := &Request{PartnerID: a.PartnerID, CustomerID: c.ID, AssociationID: &a.ID, Type: RequestUnbind, Initiator: InitiatorCustomer,
			FromMode: ptr(a.Mode), Reason: reason, Status: RequestPending, RequestedBy: ptr(customerUserID), RequestedAt: now}
		if err := insertRequest(ctx, tx, r); err != nil {
			return err
		}
		main, err := mainAccount(ctx, tx, a.PartnerID)
		if err != nil {
			return err
		}
		if main != 0 {
			if err := notify.Send(ctx, tx, notify.Note{To: main, Partner: a.PartnerID, Subject: "customer.msg.unbind_asked.subject", Body: "customer.msg.unbind_asked.body",
				Params: map[string]any{"Customer": c.Name, "Account": c.AccountName, "Reason": reason}, Link: "/customers/records", At: now}); err != nil {
				return err
			}
		}
		out = r
		return nil
	})
	return out, err
}

// lockRequest locks a request and its association and customer.
func lockRequest(ctx context.Context, tx *gorm.DB, where string, args ...any) (*Request, *Association, *Customer, error) {
	var r Request
	if err := tx.WithContext(ctx).Clauses(forUpdate()).Where(where, args...).First(&r).Error; err != nil {
		return nil, nil, nil, notFoundIf(err)
	}
	var c Customer
	if err := tx.WithContext(ctx).Clauses(forUpdate()).First(&c, r.CustomerID).Error; err != nil {
		return nil, nil, nil, notFoundIf(err)
	}
	var a *Association
	if r.AssociationID != nil {
		var row Association
		if err := tx.WithContext(ctx).Clauses(forUpdate()).First(&row, *r.AssociationID).Error; err != nil && !db.IsNotFound(err) {
			return nil, nil, nil, err
		}
		if row.ID != 0 {
			a = &row
		}
	}
	return &r, a, &c, nil
}

// Consent is the customer's answer to a partner-initiated switch or
// unbinding (seed 003 §4.5 step 4–5): accept completes it, otherwise it is
// rejected; the partner is told.
func (s *Service) Consent(ctx context.Context, p *access.Principal, requestID int64, accept bool) (_ *Request, err error) {
	defer apperr.Wrap(&err, "customer.Consent(%d)", requestID)
	return s.ownRequest(ctx, p, requestID, func(r *Request, a *Association, cust *Customer) (string, error) {
		if r.Initiator != InitiatorPartner || r.Type == RequestAssociate {
			return "", apperr.NotFound()
		}
		if r.Status != RequestPending || !accept {
			return RequestRejected, nil // a decided request is refused by ownRequest
		}
		if a == nil || a.Status != AssociationActive {
			return "", apperr.Conflict("customer.err.not_associated")
		}
		if r.Type == RequestSwitch && strOr(r.ToMode) == ModeConsulting && cust.FinanceHosted {
			return "", apperr.Conflict("customer.err.hosted_sub_consulting")
		}
		return RequestCompleted, nil
	})
}

// ownRequest runs one request of the signed-in customer through the
// transition decide picks (decide's error refuses it; a request no longer
// pending is refused after decide's checks), in one transaction with the
// request locked.
func (s *Service) ownRequest(ctx context.Context, p *access.Principal, requestID int64,
	decide func(r *Request, a *Association, cust *Customer) (string, error)) (*Request, error) {
	customerUserID, err := p.CustomerAccount()
	if err != nil {
		return nil, err
	}
	now := s.now()
	var out *Request
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		c, err := byUser(ctx, tx, customerUserID, false)
		if err != nil {
			return err
		}
		r, a, cust, err := lockRequest(ctx, tx, "id = ? AND customer_id = ?", requestID, c.ID)
		if err != nil {
			return err
		}
		outcome, err := decide(r, a, cust)
		if err != nil {
			return err
		}
		if r.Status != RequestPending {
			return apperr.Conflict("customer.err.request_decided")
		}
		t := &Transition{Request: r, Outcome: outcome, Customer: cust, Association: a, ActorUserID: customerUserID, At: now}
		if err := s.apply(ctx, tx, t); err != nil {
			return err
		}
		out = r
		return nil
	})
	return out, err
}

// Decide is the partner admin's answer to a customer-initiated unbinding
// (seed 003 §12.1.2.2, R14): only the main account decides — any other
// member is refused with Forbidden even if a route let it through.
func (s *Service) Decide(ctx context.Context, p *access.Principal, requestID int64, approve bool, note string) (_ *Request, err error) {
	defer apperr.Wrap(&err, "customer.Decide(%d)", requestID)
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	if !p.IsMain {
		return nil, &apperr.Error{Kind: apperr.KindForbidden, Key: "customer.err.admin_only"}
	}
	if note, err = cleanReason(note, false); err != nil {
		return nil, err
	}
	now := s.now()
	var out *Request
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		r, a, c, err := lockRequest(ctx, tx, "id = ? AND partner_id = ?", requestID, pid)
		if err != nil {
			return err
		}
		if r.Type != RequestUnbind || r.Initiator != InitiatorCustomer {
			return apperr.Conflict("customer.err.not_decidable")
		}
		if r.Status != RequestPending {
			return apperr.Conflict("customer.err.request_decided")
		}
		outcome := RequestRejected
		if approve {
			outcome = RequestCompleted
			if a == nil || a.Status != AssociationActive {
				return apperr.Conflict("customer.err.not_associated")
			}
		}
		t := &Transition{Request: r, Outcome: outcome, Customer: c, Association: a, ActorUserID: p.UserID, Note: note, At: now}
		if err := s.apply(ctx, tx, t); err != nil {
			return err
		}
		out = r
		return nil
	})
	return out, err
}

// CancellableBy is the rule of CancelRequest, for the 撤销 button too: a
// pending partner-initiated request may be withdrawn by its requester or
// by the main account.
func (r *Request) CancellableBy(p *access.Principal) bool {
	return p != nil && r.Status == RequestPending && r.Initiator == InitiatorPartner &&
		(p.IsMain || (r.RequestedBy != nil && *r.RequestedBy == p.UserID))
}

// CancelRequest withdraws a pending partner-initiated request (its
// requester or the main account); the customer is told.
func (s *Service) CancelRequest(ctx context.Context, p *access.Principal, requestID int64) (_ *Request, err error) {
	defer apperr.Wrap(&err, "customer.CancelRequest(%d)", requestID)
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	now := s.now()
	var out *Request
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		r, a, c, err := lockRequest(ctx, tx, "id = ? AND partner_id = ?", requestID, pid)
		if err != nil {
			return err
		}
		if r.Initiator != InitiatorPartner {
			return apperr.Conflict("customer.err.not_cancellable")
		}
		if !p.IsMain && (r.RequestedBy == nil || *r.RequestedBy != p.UserID) {
			return apperr.Forbidden()
		}
		if r.Status != RequestPending {
			return apperr.Conflict("customer.err.request_decided")
		}
		t := &Transition{Request: r, Outcome: RequestCancelled, Customer: c, Association: a, ActorUserID: p.UserID, At: now}
		if err := s.apply(ctx, tx, t); err != nil {
			return err
		}
		out = r
		return nil
	})
	return out, err
}

// CustomerCancelRequest withdraws the customer's pending unbinding (it still
// counts towards R15).
func (s *Service) CustomerCancelRequest(ctx context.Context, p *access.Principal, requestID int64) (_ *Request, err error) {
	defer apperr.Wrap(&err, "customer.CustomerCancelRequest(%d)", requestID)
	return s.ownRequest(ctx, p, requestID, func(r *Request, _ *Association, _ *Customer) (string, error) {
		if r.Initiator != InitiatorCustomer || r.Type == RequestAssociate {
			return "", apperr.Conflict("customer.err.not_cancellable")
		}
		return RequestCancelled, nil
	})
}

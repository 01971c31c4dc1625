package opportunity

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/audit"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
)

// Service is 机会点. Every method takes the acting principal first.
type Service struct {
	DB    *gorm.DB
	Clock clock.Clock
}

func (s Service) now() time.Time { return s.Clock.Now().UTC() }

func (s Service) engine(tx *gorm.DB) approval.Engine { return approval.Engine{DB: tx, Clock: s.Clock} }

// ErrNotPCE is the refusal of a partner outside 合作伙伴共拓计划.
const ErrNotPCE = "opportunity.err.not_pce"

// tenant is the actor's partner, which must be a PCE member.
func tenant(p *access.Principal) (int64, error) {
	pid, err := p.Tenant()
	if err != nil {
		return 0, err
	}
	if !p.HasIdentity(access.IdentityPCE) {
		return 0, apperr.Conflict(ErrNotPCE)
	}
	return pid, nil
}

// lockOwn locks one of the partner's opportunities (another's is 404).
func lockOwn(ctx context.Context, tx *gorm.DB, pid, id int64) (*Opportunity, error) {
	var o Opportunity
	if err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ? AND partner_id = ?", id, pid).First(&o).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, apperr.NotFound()
		}
		return nil, err
	}
	return &o, nil
}

// nextNo numbers the day's POs (PO-YYYYMMDD-NNNN), under a lock.
func nextNo(ctx context.Context, tx *gorm.DB, now time.Time) (string, error) {
	if err := tx.WithContext(ctx).Exec(`SELECT pg_advisory_xact_lock(hashtext('opportunity_no'))`).Error; err != nil {
		return "", err
	}
	prefix := "PO-" + now.In(clock.China).Format("20060102") + "-"
	var n int64
	if err := tx.WithContext(ctx).Model(&Opportunity{}).Where("no LIKE ?", prefix+"%").Count(&n).Error; err != nil {
		return "", err
	}
	return fmt.Sprintf("%s%04d", prefix, n+1), nil
}

// fields are the columns the form writes.
func fields(o *Opportunity) map[string]any {
	return map[string]any{"customer_name": o.CustomerName, "customer_key": o.CustomerKey, "customer_credit_code": o.CustomerCreditCode,
		"industry": o.Industry, "contact_name": o.ContactName, "contact_phone": o.ContactPhone, "requirement": o.Requirement,
		"budget": o.Budget, "purchase_on": o.PurchaseOn, "description": o.Description, "offerings": o.Offerings, "support": o.Support,
		"authorized": o.Authorized, "partner_contact": o.PartnerContact, "partner_phone": o.PartnerPhone}
}

// Create records a PO as a draft (添加机会点).
func (s Service) Create(ctx context.Context, p *access.Principal, in Input) (_ *Opportunity, err error) {
	defer apperr.Wrap(&err, "opportunity.Create")
	pid, err := tenant(p)
	if err != nil {
		return nil, err
	}
	now := s.now()
	o, err := in.parse(now)
	if err != nil {
		return nil, err
	}
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		if o.No, err = nextNo(ctx, tx, now); err != nil {
			return err
		}
		o.PartnerID, o.Status, o.CreatedBy, o.CreatedAt, o.UpdatedAt = pid, StateDraft, &p.UserID, now, now
		if err := tx.WithContext(ctx).Create(&o).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pid, Action: "opportunity.create", ObjectType: "opportunity",
			ObjectID: o.ID, After: map[string]any{"no": o.No, "customer_name": o.CustomerName, "status": StateDraft}})
	})
	return &o, err
}

// Update changes a draft or a PO that failed review for its information.
func (s Service) Update(ctx context.Context, p *access.Principal, id int64, in Input) (err error) {
	defer apperr.Wrap(&err, "opportunity.Update(%d)", id)
	pid, err := tenant(p)
	if err != nil {
		return err
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		cur, err := lockOwn(ctx, tx, pid, id)
		if err != nil {
			return err
		}
		if !cur.Editable() {
			return apperr.Conflict("opportunity.err.not_editable")
		}
		o, err := in.parse(s.now())
		if err != nil {
			return err
		}
		upd := fields(&o)
		upd["updated_at"] = s.now()
		if err := tx.WithContext(ctx).Model(&Opportunity{}).Where("id = ?", id).Updates(upd).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: s.now(), PartnerID: pid, Action: "opportunity.update", ObjectType: "opportunity",
			ObjectID: id, Before: map[string]any{"customer_name": cur.CustomerName}, After: map[string]any{"customer_name": o.CustomerName}})
	})
}

// Submit sends a draft to review, or a PO that failed review for its
// information back to it with the partner's note (§11.1.2.8 note). It
// cannot be withdrawn afterwards (R5).
func (s Service) Submit(ctx context.Context, p *access.Principal, id int64, note string) (err error) {
	defer apperr.Wrap(&err, "opportunity.Submit(%d)", id)
	pid, err := tenant(p)
	if err != nil {
		return err
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > approval.MaxCommentLen {
		return apperr.FieldError("note", "opportunity.err.too_long")
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		o, err := lockOwn(ctx, tx, pid, id)
		if err != nil {
			return err
		}
		if !o.Editable() {
			return apperr.Conflict("opportunity.err.not_editable")
		}
		// Submitted as the form last saved it: check it again.
		in := Input{CustomerName: o.CustomerName, CustomerCreditCode: o.CustomerCreditCode, Industry: o.Industry, ContactName: o.ContactName,
			ContactPhone: o.ContactPhone, Requirement: o.Requirement, Budget: o.Budget.StringFixed(2), PurchaseOn: o.PurchaseOn.Format(time.DateOnly),
			Description: o.Description, Offerings: o.Offerings, Support: o.Support, PartnerContact: o.PartnerContact, PartnerPhone: o.PartnerPhone,
			Authorized: o.Authorized}
		if _, err := in.parse(s.now()); err != nil {
			return err
		}
		now := s.now()
		if o.ApplicationID == nil {
			app, err := s.engine(tx).SubmitNew(ctx, tx, p, approval.New{Type: TypePO, Title: o.No + " " + o.CustomerName,
				Payload: Payload{OpportunityID: o.ID}})
			if err != nil {
				return err
			}
			o.ApplicationID = &app.ID
		} else {
			if note == "" {
				note = "已补充机会点信息"
			}
			if _, err := s.engine(tx).Resubmit(ctx, p, *o.ApplicationID, approval.Supplement{Note: note}); err != nil {
				return err
			}
		}
		if err := tx.WithContext(ctx).Model(&Opportunity{}).Where("id = ?", o.ID).Updates(map[string]any{"status": StateReview,
			"application_id": o.ApplicationID, "submitted_at": now, "review_reason": "", "review_comment": "", "updated_at": now}).Error; err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pid, Action: "opportunity.submit", ObjectType: "opportunity",
			ObjectID: o.ID, Before: map[string]any{"status": o.Status}, After: map[string]any{"status": StateReview}}); err != nil {
			return err
		}
		return announce(ctx, tx, o, StateReview, now)
	})
}

// Close records the outcome of an approved PO: won or lost.
func (s Service) Close(ctx context.Context, p *access.Principal, id int64, result string) (err error) {
	defer apperr.Wrap(&err, "opportunity.Close(%d)", id)
	pid, err := tenant(p)
	if err != nil {
		return err
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		o, err := lockOwn(ctx, tx, pid, id)
		if err != nil {
			return err
		}
		if result != StateWon && result != StateLost {
			return apperr.FieldError("result", "opportunity.err.result")
		}
		if o.Status != StateApproved {
			return apperr.Conflict("opportunity.err.not_approved")
		}
		now := s.now()
		if err := tx.WithContext(ctx).Model(&Opportunity{}).Where("id = ?", id).
			Updates(map[string]any{"status": result, "closed_at": now, "updated_at": now}).Error; err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pid, Action: "opportunity.close", ObjectType: "opportunity",
			ObjectID: id, Before: map[string]any{"status": StateApproved}, After: map[string]any{"status": result}}); err != nil {
			return err
		}
		return announce(ctx, tx, o, result, now)
	})
}

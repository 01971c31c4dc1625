package org

import (
	"context"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/identity"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
)

// SupervisorChoice is a member who may supervise another (客户经理主管).
type SupervisorChoice struct {
	UserID    int64
	LoginName string
	Name      string
}

// SupervisorChoices lists the actor's tenant's active members who may
// supervise member id: neither the main account (it sees every customer
// anyway), nor the member itself, nor anyone it supervises directly or
// not.
func (s Members) SupervisorChoices(ctx context.Context, actor *access.Principal, id int64) (_ []SupervisorChoice, err error) {
	defer apperr.Wrap(&err, "org.SupervisorChoices(%d)", id)
	partnerID, err := actor.Tenant()
	if err != nil {
		return nil, err
	}
	users := identity.Users{DB: s.DB}
	members, err := users.ActiveMembers(ctx, partnerID)
	if err != nil {
		return nil, err
	}
	// Everyone below id in the supervision tree (its managers, their
	// managers, ...) is left out, to keep the tree free of cycles.
	below, err := users.Supervised(ctx, id, partnerID)
	if err != nil {
		return nil, err
	}
	skip := map[int64]bool{id: true}
	for _, b := range below {
		skip[b] = true
	}
	var out []SupervisorChoice
	for _, m := range members {
		if m.IsMain || skip[m.ID] {
			continue
		}
		out = append(out, SupervisorChoice{UserID: m.ID, LoginName: m.LoginName, Name: m.Name()})
	}
	return out, nil
}

// SetSupervisor sets (supervisorID > 0) or clears (0) who supervises
// member id (R57, seed 003 §12.1.9.5: a supervisor sees the customers of
// the customer managers it supervises). Both are members of the actor's
// tenant; the main account is never supervised nor a supervisor; the
// supervision tree stays free of cycles.
func (s Members) SetSupervisor(ctx context.Context, actor *access.Principal, id, supervisorID int64) (err error) {
	defer apperr.Wrap(&err, "org.SetSupervisor(%d, %d)", id, supervisorID)
	pid, err := actor.Tenant()
	if err != nil {
		return err
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		m, err := s.target(ctx, tx, actor, pid, id)
		if err != nil {
			return err
		}
		var next *int64
		if supervisorID != 0 {
			users := identity.Users{DB: tx}
			sup, err := users.ByIDs(ctx, []int64{supervisorID})
			if err != nil {
				return err
			}
			u := sup[supervisorID]
			if u == nil || u.TenantID() != pid || u.Kind != identity.KindPartner || u.Status != identity.StatusActive || u.IsMain ||
				supervisorID == m.ID {
				return apperr.FieldError("supervisor_id", "org.supervisor.err.invalid")
			}
			below, err := users.Supervised(ctx, m.ID, pid)
			if err != nil {
				return err
			}
			for _, b := range below {
				if b == supervisorID {
					return apperr.FieldError("supervisor_id", "org.supervisor.err.cycle")
				}
			}
			next = &supervisorID
		}
		if (m.SupervisorID == nil && next == nil) || (m.SupervisorID != nil && next != nil && *m.SupervisorID == *next) {
			return nil // unchanged: nothing to record
		}
		now := s.Clock.Now()
		if err := tx.WithContext(ctx).Model(&identity.User{}).Where("id = ? AND partner_id = ?", m.ID, pid).
			Updates(map[string]any{"supervisor_id": next, "updated_at": now}).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pid, Action: "org.member.supervisor", ObjectType: "user",
			ObjectID: m.ID, Before: map[string]any{"supervisor_id": m.SupervisorID}, After: map[string]any{"supervisor_id": next}})
	})
}

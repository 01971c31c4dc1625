package people

import (
	"context"
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/audit"
	"partnercenter/internal/files"
	"partnercenter/internal/paths"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
)

// Approval types of a project specialist and of its cancellation,
// reviewed by the partner's ecosystem manager (§7.2.9–7.2.10).
const (
	ApprovalSpecialist       = "project_specialist"
	ApprovalSpecialistCancel = "project_specialist_cancel"
)

// States of a project specialist.
const (
	SpecSubmitted  = "submitted"  // 审核中
	SpecApproved   = "approved"   // 已通过
	SpecRejected   = "rejected"   // 已驳回
	SpecWithdrawn  = "withdrawn"  // 已撤回
	SpecCancelling = "cancelling" // 取消审核中
	SpecCancelled  = "cancelled"  // 已取消
)

// SpecStates lists them.
var SpecStates = []string{SpecSubmitted, SpecApproved, SpecRejected, SpecWithdrawn, SpecCancelling, SpecCancelled}

// liveSpecialist are the states of a person who is (or is becoming) a
// project specialist: one at a time (§7.2.9), and no unlinking (§7.2.2).
var liveSpecialist = []string{SpecSubmitted, SpecApproved, SpecCancelling}

// ErrOnePath is §7.2.9's refusal of a second path.
const ErrOnePath = "people.err.one_path"

// Specialist is a row of project_specialists.
type Specialist struct {
	ID                  int64
	PartnerID           int64
	PersonID            int64
	Path                string
	Status              string
	ApplicationID       *int64
	CancelApplicationID *int64
	Since               *time.Time
	CancelledAt         *time.Time
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

// TableName maps Specialist to project_specialists.
func (Specialist) TableName() string { return "project_specialists" }

// SpecialistPayload is the payload of both approval types.
type SpecialistPayload struct {
	SpecialistID int64  `json:"specialist_id"`
	Person       string `json:"person"`
	Tenant       string `json:"tenant"`
	Path         string `json:"path"`
	Note         string `json:"note,omitempty"`
}

// ApplySpecialist is the admin's 项目专员申请 for a linked person, for the
// partner's path, with the material of §7.2.10 (an employment certificate
// or a valid certificate): at least one file.
func (s Service) ApplySpecialist(ctx context.Context, p *access.Principal, linkID int64, note string, proofs []files.Upload) (_ *Specialist, err error) {
	defer apperr.Wrap(&err, "people.ApplySpecialist(%d)", linkID)
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	if !p.IsMain {
		return nil, apperr.Forbidden()
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > 500 {
		return nil, apperr.FieldError("note", "people.err.too_long")
	}
	if len(proofs) == 0 {
		return nil, apperr.FieldError("files", "people.err.proofs")
	}
	if len(proofs) > paths.MaxFiles {
		return nil, apperr.FieldError("files", "people.err.too_many_files")
	}
	now := s.now()
	var out *Specialist
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		var l Link
		if err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ? AND partner_id = ? AND unlinked_at IS NULL", linkID, pid).
			Take(&l).Error; err != nil {
			if db.IsNotFound(err) {
				return apperr.NotFound()
			}
			return err
		}
		if err := LockPerson(ctx, tx, l.PersonID); err != nil {
			return err
		}
		en, err := paths.LiveOf(ctx, tx, pid)
		if err != nil {
			return err
		}
		if en == nil {
			return apperr.Conflict("people.err.no_path")
		}
		var live int64
		if err := tx.WithContext(ctx).Model(&Specialist{}).Where("person_id = ? AND status IN ?", l.PersonID, liveSpecialist).Count(&live).Error; err != nil {
			return err
		}
		if live > 0 {
			return apperr.Conflict(ErrOnePath)
		}
		pr, err := person(ctx, tx, l.PersonID)
		if err != nil {
			return err
		}
		ids, err := files.SaveDocuments(ctx, tx, pid, p.UserID, now, proofs)
		if err != nil {
			return err
		}
		sp := &Specialist{PartnerID: pid, PersonID: l.PersonID, Path: en.Path, Status: SpecSubmitted, CreatedAt: now, UpdatedAt: now}
		if err := tx.WithContext(ctx).Create(sp).Error; err != nil {
			if _, ok := db.IsUniqueViolation(err); ok {
				return apperr.Conflict(ErrOnePath)
			}
			return err
		}
		app, err := (approval.Engine{DB: tx, Clock: s.Clock}).SubmitNew(ctx, tx, p, approval.New{Type: ApprovalSpecialist, Title: pr.Name(),
			Payload: SpecialistPayload{SpecialistID: sp.ID, Person: pr.Name(), Tenant: pr.LoginName, Path: en.Path, Note: note}, FileIDs: ids})
		if err != nil {
			return err
		}
		if err := tx.WithContext(ctx).Model(sp).Update("application_id", app.ID).Error; err != nil {
			return err
		}
		sp.ApplicationID = &app.ID
		out = sp
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pid, Action: "people.specialist_apply", ObjectType: "project_specialist",
			ObjectID: sp.ID, After: map[string]any{"person": pr.LoginName, "path": en.Path, "status": SpecSubmitted}})
	})
	return out, err
}

// CancelSpecialist is the admin's 取消项目专员 application (to switch
// paths, or before unlinking): an approved specialist, with a reason.
func (s Service) CancelSpecialist(ctx context.Context, p *access.Principal, id int64, reason string) (err error) {
	defer apperr.Wrap(&err, "people.CancelSpecialist(%d)", id)
	pid, err := p.Tenant()
	if err != nil {
		return err
	}
	if !p.IsMain {
		return apperr.Forbidden()
	}
	reason = strings.TrimSpace(reason)
	switch n := utf8.RuneCountInString(reason); {
	case n == 0:
		return apperr.FieldError("reason", "people.err.required")
	case n > 500:
		return apperr.FieldError("reason", "people.err.too_long")
	}
	now := s.now()
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		sp, err := lockSpecialist(ctx, tx, id, pid)
		if err != nil {
			return err
		}
		if sp.Status != SpecApproved {
			return apperr.Conflict("people.err.not_specialist")
		}
		pr, err := person(ctx, tx, sp.PersonID)
		if err != nil {
			return err
		}
		app, err := (approval.Engine{DB: tx, Clock: s.Clock}).SubmitNew(ctx, tx, p, approval.New{Type: ApprovalSpecialistCancel, Title: pr.Name(),
			Payload: SpecialistPayload{SpecialistID: sp.ID, Person: pr.Name(), Tenant: pr.LoginName, Path: sp.Path, Note: reason}})
		if err != nil {
			return err
		}
		if err := tx.WithContext(ctx).Model(sp).Updates(map[string]any{"status": SpecCancelling, "cancel_application_id": app.ID,
			"updated_at": now}).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pid, Action: "people.specialist_cancel_apply", ObjectType: "project_specialist",
			ObjectID: sp.ID, Before: map[string]any{"status": SpecApproved}, After: map[string]any{"status": SpecCancelling, "reason": reason}})
	})
}

func lockSpecialist(ctx context.Context, tx *gorm.DB, id, partnerID int64) (*Specialist, error) {
	var sp Specialist
	if err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ? AND partner_id = ?", id, partnerID).Take(&sp).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, apperr.NotFound()
		}
		return nil, err
	}
	return &sp, nil
}

func init() {
	approval.Register(specialistType{})
	approval.Register(specialistCancelType{})
}

type specialistType struct{ approval.Base }

func (specialistType) Key() string { return ApprovalSpecialist }

func (specialistType) Validate(raw json.RawMessage) error {
	var pl SpecialistPayload
	if err := json.Unmarshal(raw, &pl); err != nil || pl.SpecialistID == 0 {
		return apperr.Invalid("people.err.payload")
	}
	return nil
}

// specialistOf locks the application's specialist.
func specialistOf(ctx context.Context, tx *gorm.DB, app *approval.Application) (*Specialist, error) {
	var pl SpecialistPayload
	if err := app.DecodePayload(&pl); err != nil {
		return nil, err
	}
	return lockSpecialist(ctx, tx, pl.SpecialistID, app.PartnerID)
}

// moveSpecialist writes a decision's state (and the since or cancelled
// date) and its audit row.
func moveSpecialist(ctx context.Context, tx *gorm.DB, app *approval.Application, from, to string) error {
	sp, err := specialistOf(ctx, tx, app)
	if err != nil {
		return err
	}
	if sp.Status != from {
		return apperr.Conflict("people.err.state")
	}
	at := app.DecisionClock().Now().UTC()
	upd := map[string]any{"status": to, "updated_at": at}
	switch {
	case to == SpecApproved && from == SpecSubmitted:
		upd["since"] = at
	case to == SpecCancelled:
		upd["cancelled_at"] = at
	}
	if err := tx.WithContext(ctx).Model(sp).Updates(upd).Error; err != nil {
		return err
	}
	return audit.Record(ctx, tx, audit.Change{At: at, PartnerID: sp.PartnerID, Action: "people.specialist_" + to, ObjectType: "project_specialist",
		ObjectID: sp.ID, Before: map[string]any{"status": from}, After: map[string]any{"status": to}})
}

// OnApprove: 已通过, a specialist from now.
func (specialistType) OnApprove(ctx context.Context, tx *gorm.DB, app *approval.Application) error {
	return moveSpecialist(ctx, tx, app, SpecSubmitted, SpecApproved)
}

// OnReject: 已驳回.
func (specialistType) OnReject(ctx context.Context, tx *gorm.DB, app *approval.Application) error {
	return moveSpecialist(ctx, tx, app, SpecSubmitted, SpecRejected)
}

// OnWithdraw: 已撤回.
func (specialistType) OnWithdraw(ctx context.Context, tx *gorm.DB, app *approval.Application) error {
	return moveSpecialist(ctx, tx, app, SpecSubmitted, SpecWithdrawn)
}

type specialistCancelType struct{ approval.Base }

func (specialistCancelType) Key() string { return ApprovalSpecialistCancel }

func (specialistCancelType) Validate(raw json.RawMessage) error {
	return specialistType{}.Validate(raw)
}

// OnApprove: 已取消; the person may apply for another path.
func (specialistCancelType) OnApprove(ctx context.Context, tx *gorm.DB, app *approval.Application) error {
	return moveSpecialist(ctx, tx, app, SpecCancelling, SpecCancelled)
}

// OnReject: still a specialist.
func (specialistCancelType) OnReject(ctx context.Context, tx *gorm.DB, app *approval.Application) error {
	return moveSpecialist(ctx, tx, app, SpecCancelling, SpecApproved)
}

// OnWithdraw: still a specialist.
func (specialistCancelType) OnWithdraw(ctx context.Context, tx *gorm.DB, app *approval.Application) error {
	return moveSpecialist(ctx, tx, app, SpecCancelling, SpecApproved)
}

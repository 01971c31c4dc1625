package approval

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/files"
	"partnercenter/internal/identity"
	"partnercenter/internal/notify"
	"partnercenter/internal/outbox"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
	"partnercenter/internal/platform/i18n"
)

// Engine runs applications through their states.
type Engine struct {
	DB    *gorm.DB
	Clock clock.Clock
}

func (e Engine) now() time.Time { return e.Clock.Now().UTC() }

// New describes an application to create; its tenant is the acting
// partner member's.
type New struct {
	Type    string
	Title   string
	Payload any
	FileIDs []int64
}

// tenant is the partner tenant of a partner member acting on its
// applications. Anyone else (vendor staff, a customer, nobody) finds no
// application of any tenant: 404, as for another tenant's.
func tenant(p *access.Principal) (int64, error) {
	pid, err := p.Tenant()
	if err != nil {
		return 0, apperr.NotFound()
	}
	return pid, nil
}

// staff is the vendor staff member acting on the vendor's side; anyone
// else finds nothing (404), as for an application outside its scope.
func staff(p *access.Principal) error {
	if _, err := p.Staff(); err != nil {
		return apperr.NotFound()
	}
	return nil
}

// CreateDraft saves a draft application of the actor's tenant with tx.
func (e Engine) CreateDraft(ctx context.Context, tx *gorm.DB, p *access.Principal, in New) (_ *Application, err error) {
	defer apperr.Wrap(&err, "approval.CreateDraft")
	t, ok := Lookup(in.Type)
	if !ok {
		return nil, apperr.Invalid("approval.err.unknown_type")
	}
	pid, err := tenant(p)
	if err != nil {
		return nil, err
	}
	payload, err := json.Marshal(in.Payload)
	if err != nil {
		return nil, err
	}
	if in.Payload == nil {
		payload = []byte("{}")
	}
	if err := t.Validate(payload); err != nil {
		return nil, err
	}
	title := strings.TrimSpace(in.Title)
	if utf8.RuneCountInString(title) > 200 {
		title = string([]rune(title)[:200])
	}
	now := e.now()
	uid := p.UserID
	app := &Application{Type: in.Type, PartnerID: pid, ApplicantUserID: &uid, State: StateDraft, Title: title,
		Payload: string(payload), Checks: "[]", Stage: 1, CreatedAt: now, UpdatedAt: now}
	if err := tx.WithContext(ctx).Create(app).Error; err != nil {
		return nil, err
	}
	if err := attach(ctx, tx, app, in.FileIDs); err != nil {
		return nil, err
	}
	if err := e.event(ctx, tx, app, p, ActionCreate, "", StateDraft, ""); err != nil {
		return nil, err
	}
	if err := audit.Record(ctx, tx, audit.Change{PartnerID: app.PartnerID, Action: "application.create",
		ObjectType: "application", ObjectID: app.ID, After: map[string]any{"type": app.Type, "title": app.Title, "state": app.State}}); err != nil {
		return nil, err
	}
	return app, nil
}

// attach adds files to an application; every one must be its tenant's
// (another tenant's file is not found).
func attach(ctx context.Context, tx *gorm.DB, app *Application, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	infos, err := files.Infos(ctx, tx, app.PartnerID, ids)
	if err != nil {
		return err
	}
	own := map[int64]bool{}
	for _, f := range infos {
		own[f.ID] = true
	}
	for _, fid := range ids {
		if !own[fid] {
			return apperr.NotFound()
		}
		if err := tx.WithContext(ctx).Exec(`INSERT INTO application_attachments (application_id, file_id) VALUES (?, ?)
			ON CONFLICT DO NOTHING`, app.ID, fid).Error; err != nil {
			return err
		}
	}
	return nil
}

// SubmitNew creates and submits an application in tx.
func (e Engine) SubmitNew(ctx context.Context, tx *gorm.DB, p *access.Principal, in New) (_ *Application, err error) {
	defer apperr.Wrap(&err, "approval.SubmitNew")
	app, err := e.CreateDraft(ctx, tx, p, in)
	if err != nil {
		return nil, err
	}
	return e.submit(ctx, tx, p, app.ID)
}

// Submit submits a draft of the actor's tenant in its own transaction.
func (e Engine) Submit(ctx context.Context, p *access.Principal, id int64) (_ *Application, err error) {
	defer apperr.Wrap(&err, "approval.Submit(%d)", id)
	var out *Application
	err = db.WithTx(ctx, e.DB, func(tx *gorm.DB) error {
		var err error
		out, err = e.submit(ctx, tx, p, id)
		return err
	})
	return out, err
}

// submit moves a draft to submitted: due date in working days, reviewer,
// automatic checks, and at once approved or rejected when the checks
// decide.
func (e Engine) submit(ctx context.Context, tx *gorm.DB, p *access.Principal, id int64) (*Application, error) {
	app, err := e.lockForPartner(ctx, tx, p, id)
	if err != nil {
		return nil, err
	}
	if app.State != StateDraft {
		return nil, apperr.Conflict("approval.err.not_draft")
	}
	t, ok := Lookup(app.Type)
	if !ok {
		return nil, apperr.Invalid("approval.err.unknown_type")
	}
	if err := t.Validate(json.RawMessage(app.Payload)); err != nil {
		return nil, err
	}
	now := e.now()
	cal, err := LoadCalendar(ctx, tx, now)
	if err != nil {
		return nil, err
	}
	first := StagesOf(t)[0]
	due := cal.AddWorkingDays(now, first.SLA)
	res := tx.WithContext(ctx).Model(&Application{}).Where("id = ? AND state = ?", app.ID, StateDraft).
		Updates(map[string]any{"state": StateSubmitted, "submitted_at": now, "due_at": due, "updated_at": now})
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected != 1 {
		return nil, apperr.Conflict("approval.err.not_draft")
	}
	app.State, app.SubmittedAt, app.DueAt, app.UpdatedAt = StateSubmitted, &now, &due, now
	if err := e.event(ctx, tx, app, p, ActionSubmit, StateDraft, StateSubmitted, ""); err != nil {
		return nil, err
	}
	if err := audit.Record(ctx, tx, audit.Change{PartnerID: app.PartnerID, Action: "application.submit", ObjectType: "application",
		ObjectID: app.ID, Before: map[string]any{"state": StateDraft}, After: map[string]any{"state": StateSubmitted, "due_at": due}}); err != nil {
		return nil, err
	}

	decision, checks, err := t.AutoCheck(ctx, tx, app)
	if err != nil {
		return nil, err
	}
	if checks == nil {
		checks = []CheckResult{}
	}
	cb, _ := json.Marshal(checks)
	app.Checks = string(cb)
	if err := tx.WithContext(ctx).Model(&Application{}).Where("id = ?", app.ID).Update("checks", app.Checks).Error; err != nil {
		return nil, err
	}
	if len(checks) > 0 {
		if err := e.event(ctx, tx, app, access.System, ActionAutoCheck, StateSubmitted, StateSubmitted, checkSummary(checks)); err != nil {
			return nil, err
		}
	}
	switch decision {
	case AutoApprove:
		if err := e.decide(ctx, tx, t, app, access.System, ActionAutoApprove, StateApproved, ""); err != nil {
			return nil, err
		}
		return app, nil
	case AutoReject:
		reason := "auto"
		for _, c := range checks {
			if c.Outcome == CheckFail {
				reason = i18n.TL(i18n.ZhCN, c.Message, c.Args)
				break
			}
		}
		if err := e.decide(ctx, tx, t, app, access.System, ActionAutoReject, StateRejected, truncate(reason, MaxCommentLen)); err != nil {
			return nil, err
		}
		return app, nil
	}

	// Manual review (人工审核): assign the first stage's reviewer and tell them.
	if err := e.assign(ctx, tx, t, app, first); err != nil {
		return nil, err
	}
	return app, nil
}

// assign picks the reviewer of the application's stage (for an ecosystem
// manager's stage the type's choice, else the partner's ecosystem
// manager, else the least loaded one; for another role the least loaded
// reviewer of that role), records it and tells them. Nobody to pick
// leaves it unassigned (the vendor administrator sees it and reassigns).
func (e Engine) assign(ctx context.Context, tx *gorm.DB, t Type, app *Application, stage Stage) error {
	var reviewer int64
	var err error
	if stage.Role == "eco_manager" {
		if p, ok := t.(ReviewerPicker); ok && app.Stage <= 1 {
			if reviewer, err = p.PickReviewer(ctx, tx, app); err != nil {
				return err
			}
		}
		if reviewer == 0 {
			if reviewer, err = PickReviewer(ctx, tx, app.PartnerID); err != nil {
				return err
			}
		}
	} else if reviewer, err = leastLoaded(ctx, tx, stage.Role); err != nil {
		return err
	}
	if reviewer == 0 {
		return nil
	}
	if err := tx.WithContext(ctx).Model(&Application{}).Where("id = ?", app.ID).Update("reviewer_id", reviewer).Error; err != nil {
		return err
	}
	app.ReviewerID = &reviewer
	if err := e.event(ctx, tx, app, access.System, ActionAssign, app.State, app.State, ""); err != nil {
		return err
	}
	return e.tellReviewer(ctx, tx, t, app, "assigned", "")
}

// tellReviewer sends the reviewer a 站内信 about the application.
func (e Engine) tellReviewer(ctx context.Context, tx *gorm.DB, t Type, app *Application, notice, comment string) error {
	if app.ReviewerID == nil {
		return nil
	}
	subj, body := noticeKeys(t, notice)
	return notify.Send(ctx, tx, notify.Note{To: *app.ReviewerID, Subject: subj, Body: body, Params: e.params(app, comment),
		Link: "/approvals/" + strconv.FormatInt(app.ID, 10), At: e.now()})
}

// tellApplicant sends the applicant a 站内信 about the application.
func (e Engine) tellApplicant(ctx context.Context, tx *gorm.DB, t Type, app *Application, notice, comment string) error {
	if app.ApplicantUserID == nil {
		return nil
	}
	subj, body := noticeKeys(t, notice)
	link := "/applications/" + strconv.FormatInt(app.ID, 10)
	if err := notify.Send(ctx, tx, notify.Note{To: *app.ApplicantUserID, Partner: app.PartnerID, Subject: subj, Body: body,
		Params: e.params(app, comment), Link: link, At: e.now()}); err != nil {
		return err
	}
	// The same words by e-mail (and SMS where the type has an SMS text),
	// as the applicant's 消息接收设置 allow.
	prefix, ok := strings.CutSuffix(subj, ".subject")
	if !ok || body != prefix+".body" {
		return nil
	}
	params := e.params(app, comment)
	params["Link"] = link
	return outbox.Announce(ctx, tx, *app.ApplicantUserID, outbox.Note{Template: prefix, Params: params, Partner: app.PartnerID, At: e.now()})
}

func checkSummary(checks []CheckResult) string {
	var parts []string
	for _, c := range checks {
		parts = append(parts, i18n.TL(i18n.ZhCN, c.Name)+": "+i18n.TL(i18n.ZhCN, "approval.check."+c.Outcome))
	}
	return truncate(strings.Join(parts, "；"), MaxCommentLen)
}

// Approve approves a submitted application the vendor actor may see.
func (e Engine) Approve(ctx context.Context, p *access.Principal, id int64, comment string) (_ *Application, err error) {
	defer apperr.Wrap(&err, "approval.Approve(%d)", id)
	comment = strings.TrimSpace(comment)
	if utf8.RuneCountInString(comment) > MaxCommentLen {
		return nil, apperr.FieldError("comment", "approval.err.comment_too_long")
	}
	return e.vendorDecision(ctx, p, id, ActionApprove, StateApproved, comment)
}

// Reject rejects a submitted application; the reason is required.
func (e Engine) Reject(ctx context.Context, p *access.Principal, id int64, reason string) (_ *Application, err error) {
	defer apperr.Wrap(&err, "approval.Reject(%d)", id)
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, apperr.FieldError("reason", "approval.err.reason_required")
	}
	if utf8.RuneCountInString(reason) > MaxCommentLen {
		return nil, apperr.FieldError("reason", "approval.err.reason_too_long")
	}
	return e.vendorDecision(ctx, p, id, ActionReject, StateRejected, reason)
}

func (e Engine) vendorDecision(ctx context.Context, p *access.Principal, id int64, action, to, comment string) (*Application, error) {
	var out *Application
	err := db.WithTx(ctx, e.DB, func(tx *gorm.DB) error {
		app, err := e.lockForVendor(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if app.State != StateSubmitted {
			return apperr.Conflict("approval.err.already_decided")
		}
		t, ok := Lookup(app.Type)
		if !ok {
			return apperr.Invalid("approval.err.unknown_type")
		}
		out = app
		if stages := StagesOf(t); action == ActionApprove && app.Stage < len(stages) {
			return e.advance(ctx, tx, t, app, p, stages[app.Stage], comment)
		}
		return e.decide(ctx, tx, t, app, p, action, to, comment)
	})
	return out, err
}

// advance approves a stage that is not the last: the application moves
// to the next stage with that stage's reviewer and due date.
func (e Engine) advance(ctx context.Context, tx *gorm.DB, t Type, app *Application, p *access.Principal, next Stage, comment string) error {
	now := e.now()
	cal, err := LoadCalendar(ctx, tx, now)
	if err != nil {
		return err
	}
	due := cal.AddWorkingDays(now, next.SLA)
	from := app.Stage
	res := tx.WithContext(ctx).Model(&Application{}).Where("id = ? AND state = ? AND stage = ?", app.ID, StateSubmitted, from).
		Updates(map[string]any{"stage": from + 1, "due_at": due, "reviewer_id": nil, "reminded_on": nil, "updated_at": now})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return apperr.Conflict("approval.err.already_decided")
	}
	if err := e.event(ctx, tx, app, p, ActionAdvance, StateSubmitted, StateSubmitted, comment); err != nil {
		return err
	}
	app.Stage, app.DueAt, app.ReviewerID, app.RemindedOn, app.UpdatedAt = from+1, &due, nil, nil, now
	if err := audit.Record(ctx, tx, audit.Change{PartnerID: app.PartnerID, Action: "application.advance", ObjectType: "application",
		ObjectID: app.ID, Before: map[string]any{"stage": from}, After: map[string]any{"stage": from + 1, "due_at": due, "comment": comment}}); err != nil {
		return err
	}
	if h, ok := t.(StageHook); ok {
		if err := h.OnStage(ctx, tx, app); err != nil {
			return err
		}
	}
	return e.assign(ctx, tx, t, app, next)
}

// Withdraw withdraws an open application (submitted or returned): only
// its applicant (or the tenant's main account, who owns the tenant).
func (e Engine) Withdraw(ctx context.Context, p *access.Principal, id int64) (_ *Application, err error) {
	defer apperr.Wrap(&err, "approval.Withdraw(%d)", id)
	var out *Application
	err = db.WithTx(ctx, e.DB, func(tx *gorm.DB) error {
		app, t, err := e.lockForApplicant(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if !app.Open() {
			return apperr.Conflict("approval.err.not_withdrawable")
		}
		if err := e.transition(ctx, tx, app, p, ActionWithdraw, StateWithdrawn, "", nil); err != nil {
			return err
		}
		if err := t.OnWithdraw(ctx, tx, app); err != nil {
			return err
		}
		out = app
		return e.tellReviewer(ctx, tx, t, app, "withdrawn", "")
	})
	return out, err
}

// lockForApplicant locks an application of the actor's tenant that the
// actor may act on as its applicant: the member who applied, or the
// tenant's main account.
func (e Engine) lockForApplicant(ctx context.Context, tx *gorm.DB, p *access.Principal, id int64) (*Application, Type, error) {
	app, err := e.lockForPartner(ctx, tx, p, id)
	if err != nil {
		return nil, nil, err
	}
	isApplicant := app.ApplicantUserID != nil && *app.ApplicantUserID == p.UserID
	if !isApplicant && !p.IsMain {
		return nil, nil, &apperr.Error{Kind: apperr.KindForbidden, Key: "approval.err.not_applicant"}
	}
	t, ok := Lookup(app.Type)
	if !ok {
		return nil, nil, apperr.Invalid("approval.err.unknown_type")
	}
	return app, t, nil
}

// Return sends a submitted application back to its applicant for more
// materials (退回补充材料); the comment saying what is missing is required.
func (e Engine) Return(ctx context.Context, p *access.Principal, id int64, comment string) (_ *Application, err error) {
	defer apperr.Wrap(&err, "approval.Return(%d)", id)
	comment = strings.TrimSpace(comment)
	if comment == "" {
		return nil, apperr.FieldError("return_comment", "approval.err.return_comment_required")
	}
	if utf8.RuneCountInString(comment) > MaxCommentLen {
		return nil, apperr.FieldError("return_comment", "approval.err.comment_too_long")
	}
	var out *Application
	err = db.WithTx(ctx, e.DB, func(tx *gorm.DB) error {
		app, err := e.lockForVendor(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if app.State != StateSubmitted {
			return apperr.Conflict("approval.err.already_decided")
		}
		t, ok := Lookup(app.Type)
		if !ok {
			return apperr.Invalid("approval.err.unknown_type")
		}
		if err := e.transition(ctx, tx, app, p, ActionReturn, StateReturned, comment, map[string]any{"returned_comment": comment}); err != nil {
			return err
		}
		app.ReturnedComment = comment
		out = app
		return e.tellApplicant(ctx, tx, t, app, "returned", comment)
	})
	return out, err
}

// Supplement is what an applicant adds when it resubmits a returned
// application: a note for the reviewer, files its tenant uploaded before
// (FileIDs) and new uploads, stored in the resubmission's transaction.
type Supplement struct {
	Note    string
	FileIDs []int64
	Uploads []files.Upload
}

// MaxSupplementFiles is how many files one resubmission may upload.
const MaxSupplementFiles = 5

// Resubmit answers a return: the note and files are added, the automatic
// checks run again (shown to the reviewer; a person still decides), and
// the application goes back to its stage's reviewer with a new due date.
func (e Engine) Resubmit(ctx context.Context, p *access.Principal, id int64, in Supplement) (_ *Application, err error) {
	defer apperr.Wrap(&err, "approval.Resubmit(%d)", id)
	note := strings.TrimSpace(in.Note)
	if note == "" && len(in.FileIDs) == 0 && len(in.Uploads) == 0 {
		return nil, apperr.FieldError("note", "approval.err.supplement_required")
	}
	if len(in.Uploads) > MaxSupplementFiles {
		return nil, apperr.FieldError("files", "approval.err.too_many_files")
	}
	if utf8.RuneCountInString(note) > MaxCommentLen {
		return nil, apperr.FieldError("note", "approval.err.comment_too_long")
	}
	var out *Application
	err = db.WithTx(ctx, e.DB, func(tx *gorm.DB) error {
		app, t, err := e.lockForApplicant(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if app.State != StateReturned {
			return apperr.Conflict("approval.err.not_returned")
		}
		ids := append([]int64{}, in.FileIDs...)
		for _, up := range in.Uploads {
			up.PartnerID, up.UserID, up.At = app.PartnerID, p.UserID, e.now()
			id, _, err := files.Save(ctx, tx, up, files.Documents, files.MaxSize, "files")
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		if err := attach(ctx, tx, app, ids); err != nil {
			return err
		}
		now := e.now()
		cal, err := LoadCalendar(ctx, tx, now)
		if err != nil {
			return err
		}
		stages := StagesOf(t)
		due := cal.AddWorkingDays(now, stages[min(app.Stage, len(stages))-1].SLA)
		if err := e.transition(ctx, tx, app, p, ActionResubmit, StateSubmitted, note,
			map[string]any{"due_at": due, "reminded_on": nil}); err != nil {
			return err
		}
		app.DueAt, app.RemindedOn = &due, nil
		_, checks, err := t.AutoCheck(ctx, tx, app)
		if err != nil {
			return err
		}
		if len(checks) > 0 {
			cb, _ := json.Marshal(checks)
			app.Checks = string(cb)
			if err := tx.WithContext(ctx).Model(&Application{}).Where("id = ?", app.ID).Update("checks", app.Checks).Error; err != nil {
				return err
			}
			if err := e.event(ctx, tx, app, access.System, ActionAutoCheck, StateSubmitted, StateSubmitted, checkSummary(checks)); err != nil {
				return err
			}
		}
		out = app
		return e.tellReviewer(ctx, tx, t, app, "resubmitted", note)
	})
	return out, err
}

// Reassign gives an open application to another reviewer (the vendor
// administrator only): an active member of staff who may review.
func (e Engine) Reassign(ctx context.Context, p *access.Principal, id, reviewerID int64, comment string) (_ *Application, err error) {
	defer apperr.Wrap(&err, "approval.Reassign(%d)", id)
	if p.VendorRole != "vendor_admin" {
		return nil, &apperr.Error{Kind: apperr.KindForbidden, Key: "approval.err.not_vendor_admin"}
	}
	comment = strings.TrimSpace(comment)
	if utf8.RuneCountInString(comment) > MaxCommentLen {
		return nil, apperr.FieldError("assign_comment", "approval.err.comment_too_long")
	}
	var out *Application
	err = db.WithTx(ctx, e.DB, func(tx *gorm.DB) error {
		app, err := e.lockForVendor(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if !app.Open() {
			return apperr.Conflict("approval.err.already_decided")
		}
		t, ok := Lookup(app.Type)
		if !ok {
			return apperr.Invalid("approval.err.unknown_type")
		}
		if app.ReviewerID != nil && *app.ReviewerID == reviewerID {
			return apperr.FieldError("reviewer", "approval.err.reviewer_same")
		}
		staff, err := identity.Users{DB: tx}.ActiveStaff(ctx, ReviewerRoles...)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(staff, func(u identity.User) bool { return u.ID == reviewerID }) {
			return apperr.FieldError("reviewer", "approval.err.reviewer_invalid")
		}
		before := app.ReviewerID
		if err := tx.WithContext(ctx).Model(&Application{}).Where("id = ?", app.ID).
			Updates(map[string]any{"reviewer_id": reviewerID, "reminded_on": nil, "updated_at": e.now()}).Error; err != nil {
			return err
		}
		app.ReviewerID = &reviewerID
		if err := e.event(ctx, tx, app, p, ActionAssign, app.State, app.State, comment); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Change{PartnerID: app.PartnerID, Action: "application.assign", ObjectType: "application",
			ObjectID: app.ID, Before: map[string]any{"reviewer_id": before}, After: map[string]any{"reviewer_id": reviewerID, "comment": comment}}); err != nil {
			return err
		}
		out = app
		return e.tellReviewer(ctx, tx, t, app, "assigned", comment)
	})
	return out, err
}

// Reviewers are the staff an application may be reassigned to.
func (e Engine) Reviewers(ctx context.Context, p *access.Principal) (_ []identity.User, err error) {
	defer apperr.Wrap(&err, "approval.Reviewers")
	if p.VendorRole != "vendor_admin" {
		return nil, nil
	}
	return identity.Users{DB: e.DB}.ActiveStaff(ctx, ReviewerRoles...)
}

// decide moves a submitted application to approved or rejected, runs the
// type's hook and tells the applicant.
func (e Engine) decide(ctx context.Context, tx *gorm.DB, t Type, app *Application, p *access.Principal, action, to, comment string) error {
	if err := e.transition(ctx, tx, app, p, action, to, comment, nil); err != nil {
		return err
	}
	hook, notice := t.OnApprove, "approved"
	if to != StateApproved {
		hook, notice = t.OnReject, "rejected"
	}
	if err := hook(ctx, tx, app); err != nil {
		return err
	}
	return e.tellApplicant(ctx, tx, t, app, notice, comment)
}

// transition changes the state from the one the locked row holds (the
// guard: a concurrent change makes it hit no row), with extra column
// updates, and writes the history event and the audit row.
func (e Engine) transition(ctx context.Context, tx *gorm.DB, app *Application, p *access.Principal, action, to, comment string, extra map[string]any) error {
	from := app.State
	now := e.now()
	upd := map[string]any{"state": to, "updated_at": now}
	for k, v := range extra {
		upd[k] = v
	}
	decided := to == StateApproved || to == StateRejected
	if decided {
		upd["decided_at"] = now
		upd["decision_comment"] = comment
		if p.UserID != 0 {
			upd["decided_by"] = p.UserID
		}
	}
	res := tx.WithContext(ctx).Model(&Application{}).Where("id = ? AND state = ?", app.ID, from).Updates(upd)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return apperr.Conflict("approval.err.already_decided")
	}
	app.State, app.UpdatedAt = to, now
	if decided {
		app.DecidedAt, app.DecisionComment = &now, comment
		if p.UserID != 0 {
			uid := p.UserID
			app.DecidedBy = &uid
		}
	}
	if err := e.event(ctx, tx, app, p, action, from, to, comment); err != nil {
		return err
	}
	return audit.Record(ctx, tx, audit.Change{PartnerID: app.PartnerID, Action: "application." + action, ObjectType: "application",
		ObjectID: app.ID, Before: map[string]any{"state": from}, After: map[string]any{"state": to, "comment": comment}})
}

// event writes one history row; the actor is named by its login name
// (access.System's is "system").
func (e Engine) event(ctx context.Context, tx *gorm.DB, app *Application, p *access.Principal, action, from, to, comment string) error {
	ev := Event{ApplicationID: app.ID, At: e.now(), ActorName: p.Name, Action: action, FromState: from, ToState: to, Comment: comment,
		Stage: max(app.Stage, 1)}
	if p.UserID != 0 {
		uid := p.UserID
		ev.ActorUserID = &uid
	}
	if ev.ActorName == "" {
		ev.ActorName = "system"
	}
	return tx.WithContext(ctx).Create(&ev).Error
}

func (e Engine) params(app *Application, comment string) map[string]any {
	p := map[string]any{"Title": app.Title, "TypeKey": TypeLabel(app.Type), "ID": app.ID}
	if comment != "" {
		p["Reason"] = comment
	}
	if app.DueAt != nil {
		p["Due"] = app.DueAt.In(clock.China).Format("2006-01-02")
	}
	return p
}

func noticeKeys(t Type, notice string) (string, string) {
	if n, ok := t.(Noticer); ok {
		if s, b := n.Notice(notice); s != "" {
			return s, b
		}
	}
	return "approval.msg." + notice + ".subject", "approval.msg." + notice + ".body"
}

// lockForPartner locks an application of the actor's tenant.
func (e Engine) lockForPartner(ctx context.Context, tx *gorm.DB, p *access.Principal, id int64) (*Application, error) {
	pid, err := tenant(p)
	if err != nil {
		return nil, err
	}
	var app Application
	err = tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).
		Where("id = ? AND partner_id = ?", id, pid).First(&app).Error
	if db.IsNotFound(err) {
		return nil, apperr.NotFound()
	}
	if err != nil {
		return nil, err
	}
	return &app, nil
}

// lockForVendor locks an application the vendor actor may see.
func (e Engine) lockForVendor(ctx context.Context, tx *gorm.DB, p *access.Principal, id int64) (*Application, error) {
	if err := staff(p); err != nil {
		return nil, err
	}
	q := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE", Table: clause.Table{Name: "applications"}}).
		Table("applications").Select("applications.*").Where("applications.id = ?", id)
	q, err := vendorScope(ctx, tx, q, p)
	if err != nil {
		return nil, err
	}
	var app Application
	err = q.Take(&app).Error
	if db.IsNotFound(err) {
		return nil, apperr.NotFound()
	}
	if err != nil {
		return nil, err
	}
	return &app, nil
}

// vendorScope restricts a query on applications to what the vendor actor
// (checked by staff) may see: everything for vendor_admin; for an
// ecosystem manager the applications assigned to it or of partners it is
// responsible for (partner answers which, read with g); nothing for
// anyone else.
func vendorScope(ctx context.Context, g, q *gorm.DB, p *access.Principal) (*gorm.DB, error) {
	switch p.VendorRole {
	case "vendor_admin":
		return q, nil
	case "eco_manager":
		mine, err := partner.Store{DB: g}.LookedAfterBy(ctx, p.UserID)
		if err != nil {
			return nil, err
		}
		if len(mine) == 0 {
			return q.Where("applications.reviewer_id = ?", p.UserID), nil
		}
		return q.Where("(applications.reviewer_id = ? OR applications.partner_id IN ?)", p.UserID, mine), nil
	}
	return q.Where("false"), nil
}

// PickReviewer chooses the reviewer of a partner's application: its
// ecosystem manager, or for a company without one the active ecosystem
// manager with the fewest open applications (ties: the oldest account).
// It returns 0 when there is no ecosystem manager at all.
func PickReviewer(ctx context.Context, tx *gorm.DB, partnerID int64) (int64, error) {
	eco, err := partner.Store{DB: tx}.EcoManager(ctx, partnerID)
	if err != nil || eco != 0 {
		return eco, err
	}
	return LeastLoadedEcoManager(ctx, tx)
}

// LeastLoadedEcoManager is the active ecosystem manager with the fewest
// open (submitted) applications, or 0 when there is none. The pool is the
// managers the vendor administrator marked as onboarding reviewers, or
// every active ecosystem manager when none is marked.
func LeastLoadedEcoManager(ctx context.Context, tx *gorm.DB) (int64, error) {
	pool, err := identity.Users{DB: tx}.ReviewerPool(ctx) // by id
	if err != nil {
		return 0, err
	}
	return fewestOpen(ctx, tx, pool)
}

// leastLoaded is the active member of staff with the role who has the
// fewest open applications, or 0 when there is none.
func leastLoaded(ctx context.Context, tx *gorm.DB, role string) (int64, error) {
	staff, err := identity.Users{DB: tx}.ActiveStaff(ctx, role)
	if err != nil {
		return 0, err
	}
	pool := make([]int64, len(staff))
	for i, u := range staff {
		pool[i] = u.ID
	}
	slices.Sort(pool)
	return fewestOpen(ctx, tx, pool)
}

// fewestOpen picks from pool (by id) the reviewer with the fewest
// submitted applications (ties: the lowest id), 0 for an empty pool.
func fewestOpen(ctx context.Context, tx *gorm.DB, pool []int64) (int64, error) {
	if len(pool) == 0 {
		return 0, nil
	}
	var loads []struct {
		ReviewerID int64
		N          int64
	}
	if err := tx.WithContext(ctx).Raw(`SELECT reviewer_id, count(*) AS n FROM applications
		WHERE state = 'submitted' AND reviewer_id IN ? GROUP BY reviewer_id`, pool).Scan(&loads).Error; err != nil {
		return 0, err
	}
	open := map[int64]int64{}
	for _, l := range loads {
		open[l.ReviewerID] = l.N
	}
	best := pool[0]
	for _, id := range pool[1:] {
		if open[id] < open[best] {
			best = id
		}
	}
	return best, nil
}

// LoadCalendar reads the working-day overrides (calendar_days) from the
// day of from onwards.
func LoadCalendar(ctx context.Context, tx *gorm.DB, from time.Time) (clock.Calendar, error) {
	type row struct {
		Day  time.Time
		Kind string
	}
	var rows []row
	start := from.In(clock.China).Format(time.DateOnly)
	if err := tx.WithContext(ctx).Raw(`SELECT day, kind FROM calendar_days WHERE day >= ?::date AND day < ?::date + 400`, start, start).
		Scan(&rows).Error; err != nil {
		return clock.Calendar{}, err
	}
	cal := clock.Calendar{Overrides: map[string]bool{}}
	for _, r := range rows {
		cal.Overrides[r.Day.Format(time.DateOnly)] = r.Kind == "workday"
	}
	return cal, nil
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// Lapse rejects an open application as the system, with the reason, when
// a rule's deadline passed (MDF's "未在12月31日前通过审批"): the type's
// OnReject runs and the applicant is told, as for a reviewer's rejection.
// An application no longer open is left as it is (false).
func (e Engine) Lapse(ctx context.Context, tx *gorm.DB, id int64, reason string) (_ bool, err error) {
	defer apperr.Wrap(&err, "approval.Lapse(%d)", id)
	var app Application
	if err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ?", id).Take(&app).Error; err != nil {
		return false, err
	}
	if !app.Open() {
		return false, nil
	}
	t, ok := Lookup(app.Type)
	if !ok {
		return false, apperr.Invalid("approval.err.unknown_type")
	}
	return true, e.decide(ctx, tx, t, &app, access.System, ActionAutoReject, StateRejected, truncate(reason, MaxCommentLen))
}

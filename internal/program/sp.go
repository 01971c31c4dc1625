package program

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/audit"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
)

// TypeSP is the approval type of a solution-provider application.
const TypeSP = "program_solution_provider"

// SPSLA is the reviewer's time in working days (inferred).
const SPSLA = 3

// MaxNoteLen is the longest applicant's note or vendor reason.
const MaxNoteLen = 500

// The refusal of §5.1.2, verbatim (catalog key).
const ErrPathOrMD = "program.err.sp_path_or_md"

// Eligibility is the check list shown before applying (查看原因).
type Eligibility struct {
	Checks []approval.CheckResult
	// Refusal is the catalog key of the first failed check's sentence;
	// "" when the account may apply.
	Refusal string
}

// OK reports an account that may apply.
func (e Eligibility) OK() bool { return e.Refusal == "" }

func (e *Eligibility) add(name, outcome, msg string, args map[string]any) {
	e.Checks = append(e.Checks, approval.CheckResult{Name: name, Outcome: outcome, Message: msg, Args: args})
	if outcome == approval.CheckFail && e.Refusal == "" {
		e.Refusal = msg
	}
}

// spEligibility checks a partner against §5.1.2–5.1.3 with g (the
// caller's transaction or the pool); membershipID (when not 0) is the
// application being checked, which does not count against itself.
func spEligibility(ctx context.Context, g *gorm.DB, partnerID int64, membershipID int64) (*Eligibility, error) {
	store := partner.Store{DB: g}
	p, err := store.Get(ctx, partnerID)
	if err != nil {
		return nil, err
	}
	ids, err := store.IdentitiesOf(ctx, partnerID)
	if err != nil {
		return nil, err
	}
	ms, err := memberships(ctx, g, partnerID)
	if err != nil {
		return nil, err
	}
	siblings, err := store.SameEntityWith(ctx, partnerID, SolutionProvider)
	if err != nil {
		return nil, err
	}
	return eligibilityOf(p, ids, ms, siblings, membershipID), nil
}

// eligibilityOf is the check list of a partner with its identities, its
// memberships and the other SP accounts of its legal entity.
func eligibilityOf(p *partner.Partner, ids []string, ms []Membership, siblings []partner.Partner, membershipID int64) *Eligibility {
	e := &Eligibility{}
	if p.Status == partner.StatusActive {
		e.add("program.check.onboarded", approval.CheckPass, "program.check.onboarded.pass", nil)
	} else {
		e.add("program.check.onboarded", approval.CheckFail, "program.check.onboarded.fail", nil)
	}
	inPath := slices.ContainsFunc(ids, func(id string) bool { return slices.Contains(access.PathIdentities, id) })
	if inPath || slices.Contains(ids, MasterDistributor) {
		e.add("program.check.path_md", approval.CheckFail, ErrPathOrMD, nil)
	} else {
		e.add("program.check.path_md", approval.CheckPass, "program.check.path_md.pass", nil)
	}
	if slices.Contains(ids, CloudReseller) || p.ParentPartnerID != nil {
		e.add("program.check.reseller", approval.CheckFail, "program.err.sp_reseller", nil)
	} else {
		e.add("program.check.reseller", approval.CheckPass, "program.check.reseller.pass", nil)
	}
	// Already a member, or an application open (other than the one being checked).
	open := slices.ContainsFunc(ms, func(m Membership) bool {
		return m.Program == SolutionProvider && m.ID != membershipID && (m.Status == StateApplied || m.Status == StateActive)
	})
	if open || slices.Contains(ids, SolutionProvider) {
		e.add("program.check.not_member", approval.CheckFail, "program.err.sp_already", nil)
	} else {
		e.add("program.check.not_member", approval.CheckPass, "program.check.not_member.pass", nil)
	}
	if len(siblings) == 0 {
		e.add("program.check.same_entity", approval.CheckPass, "program.check.same_entity.pass", nil)
	} else {
		names := make([]string, len(siblings))
		for i, sp := range siblings {
			names[i] = sp.Name
		}
		e.add("program.check.same_entity", approval.CheckWarn, "program.check.same_entity.warn",
			map[string]any{"Count": len(siblings), "Names": strings.Join(names, "、")})
	}
	return e
}

// SPPayload is a solution-provider application's payload.
type SPPayload struct {
	MembershipID int64  `json:"membership_id"`
	Note         string `json:"note,omitempty"`
}

// ApplySP submits the tenant's solution-provider application (its main
// account): the checks must pass; the membership (applied) and the
// application are created in one transaction, and the reviewer is told.
func (s Service) ApplySP(ctx context.Context, p *access.Principal, note string) (_ *approval.Application, err error) {
	defer apperr.Wrap(&err, "program.ApplySP")
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	if !p.IsMain {
		return nil, apperr.Forbidden()
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > MaxNoteLen {
		return nil, apperr.FieldError("note", "program.err.note_too_long")
	}
	var out *approval.Application
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		if err := (partner.Store{DB: tx}).Lock(ctx, pid, "UPDATE"); err != nil {
			return err
		}
		el, err := spEligibility(ctx, tx, pid, 0)
		if err != nil {
			return err
		}
		if !el.OK() {
			return apperr.Conflict(el.Refusal)
		}
		now := s.now()
		m := Membership{PartnerID: pid, Program: SolutionProvider, Status: StateApplied, CreatedAt: now, UpdatedAt: now}
		if err := tx.WithContext(ctx).Create(&m).Error; err != nil {
			return err
		}
		pt, err := partner.Store{DB: tx}.Get(ctx, pid)
		if err != nil {
			return err
		}
		app, err := approval.Engine{DB: s.DB, Clock: s.Clock}.SubmitNew(ctx, tx, p, approval.New{
			Type: TypeSP, Title: pt.Name, Payload: SPPayload{MembershipID: m.ID, Note: note}})
		if err != nil {
			return err
		}
		if err := tx.WithContext(ctx).Model(&Membership{}).Where("id = ?", m.ID).Update("application_id", app.ID).Error; err != nil {
			return err
		}
		m.ApplicationID = &app.ID
		out = app
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pid, Action: "program.sp_apply", ObjectType: "program_membership",
			ObjectID: m.ID, After: map[string]any{"status": StateApplied, "program": SolutionProvider, "note": note}})
	})
	return out, err
}

func init() { approval.Register(spType{}) }

// spType is the program_solution_provider application type.
type spType struct{ approval.Base }

func (spType) Key() string { return TypeSP }
func (spType) SLA() int    { return SPSLA }

func (spType) Validate(raw json.RawMessage) error {
	var pl SPPayload
	if err := json.Unmarshal(raw, &pl); err != nil || pl.MembershipID == 0 {
		return apperr.Invalid("program.err.payload")
	}
	return nil
}

// Notice words the result messages (站内信).
func (spType) Notice(action string) (string, string) {
	switch action {
	case "approved":
		return "program.msg.sp_approved.subject", "program.msg.sp_approved.body"
	case "rejected":
		return "program.msg.sp_rejected.subject", "program.msg.sp_rejected.body"
	}
	return "", ""
}

// AutoCheck records the check list for the reviewer (and on a
// resubmission again); a failed check, possible only when the account
// changed since it applied, rejects at once with that check's sentence.
// Everything else is reviewed by a person (§5.1.3).
func (spType) AutoCheck(ctx context.Context, tx *gorm.DB, app *approval.Application) (approval.Decision, []approval.CheckResult, error) {
	var pl SPPayload
	if err := app.DecodePayload(&pl); err != nil {
		return approval.Manual, nil, err
	}
	el, err := spEligibility(ctx, tx, app.PartnerID, pl.MembershipID)
	if err != nil {
		return approval.Manual, nil, err
	}
	if !el.OK() {
		return approval.AutoReject, el.Checks, nil
	}
	return approval.Manual, el.Checks, nil
}

// membershipOf locks the application's membership.
func membershipOf(ctx context.Context, tx *gorm.DB, app *approval.Application) (*Membership, error) {
	var pl SPPayload
	if err := app.DecodePayload(&pl); err != nil {
		return nil, err
	}
	return lock(ctx, tx, pl.MembershipID, app.PartnerID)
}

// decidedAt is the service of a hook: its clock is the decision's time.
func decidedAt(tx *gorm.DB, app *approval.Application) Service {
	return Service{DB: tx, Clock: app.DecisionClock()}
}

// OnApprove makes the membership active (certificate, identity) after
// checking again, under the partner's lock, what may have changed since
// the account applied (it joined a path or accepted an invitation).
func (spType) OnApprove(ctx context.Context, tx *gorm.DB, app *approval.Application) error {
	if err := (partner.Store{DB: tx}).Lock(ctx, app.PartnerID, "UPDATE"); err != nil {
		return err
	}
	m, err := membershipOf(ctx, tx, app)
	if err != nil {
		return err
	}
	el, err := spEligibility(ctx, tx, app.PartnerID, m.ID)
	if err != nil {
		return err
	}
	if !el.OK() {
		return apperr.Conflict(el.Refusal)
	}
	return decidedAt(tx, app).activate(ctx, tx, m, "sp_approve", nil)
}

// OnReject closes the membership as rejected.
func (spType) OnReject(ctx context.Context, tx *gorm.DB, app *approval.Application) error {
	m, err := membershipOf(ctx, tx, app)
	if err != nil {
		return err
	}
	return decidedAt(tx, app).move(ctx, tx, m, map[string]any{"status": StateRejected, "updated_at": app.UpdatedAt}, "sp_reject")
}

// OnWithdraw closes the membership as withdrawn.
func (spType) OnWithdraw(ctx context.Context, tx *gorm.DB, app *approval.Application) error {
	m, err := membershipOf(ctx, tx, app)
	if err != nil {
		return err
	}
	return decidedAt(tx, app).move(ctx, tx, m, map[string]any{"status": StateWithdrawn, "updated_at": app.UpdatedAt}, "sp_withdraw")
}

package people

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/audit"
	"partnercenter/internal/identity"
	"partnercenter/internal/notify"
	"partnercenter/internal/outbox"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
)

// InvitationValid is how long an invitation link is valid (§7.2.5, N30).
const InvitationValid = 7 * 24 * time.Hour

// MaxPartnersPerYear is how many partners a person may be linked with in
// a year (§7.2.3 #5).
const MaxPartnersPerYear = 3

// States of an invitation.
const (
	InvitePending   = "pending"   // 待接受
	InviteAccepted  = "accepted"  // 已接受
	InviteExpired   = "expired"   // 已失效
	InviteCancelled = "cancelled" // 已取消
)

// InviteStates lists them.
var InviteStates = []string{InvitePending, InviteAccepted, InviteExpired, InviteCancelled}

// Refusals in the seeds' words.
const (
	ErrNotFound       = "people.err.not_found"         // 未查询到账号信息 (§7.2.4)
	ErrExpired        = "people.err.invite_expired"    // 邀请链接有效期为7天… (§7.2.5)
	ErrUnlinkSpecial  = "people.err.unlink_specialist" // 如果员工个人已成为项目专员… (§7.2.2)
	ErrChecksFailed   = "people.err.checks_failed"
	ErrAlreadyPending = "people.err.invite_pending"
	ErrLinkedHere     = "people.err.linked_here"
)

// Invitation is a row of specialist_invitations.
type Invitation struct {
	ID        int64
	PartnerID int64
	PersonID  int64
	Status    string
	InvitedBy *int64
	CreatedAt time.Time
	ExpiresAt time.Time
	DecidedAt *time.Time
}

// TableName maps Invitation to specialist_invitations.
func (Invitation) TableName() string { return "specialist_invitations" }

// StatusAt is the invitation's state at now: a pending one past its 7
// days reads 已失效 before the sweep marks it.
func (i Invitation) StatusAt(now time.Time) string {
	if i.Status == InvitePending && !now.Before(i.ExpiresAt) {
		return InviteExpired
	}
	return i.Status
}

// Link is a row of specialist_links.
type Link struct {
	ID           int64
	PartnerID    int64
	PersonID     int64
	InvitationID int64
	LinkedAt     time.Time
	UnlinkedAt   *time.Time
	UnlinkedBy   *int64
}

// TableName maps Link to specialist_links.
func (Link) TableName() string { return "specialist_links" }

// CheckFailure is the refusal of an invitation or acceptance whose checks
// fail; the page shows every check. A check is an approval.CheckResult
// named people.check.<name> (its sentence in the seed's words) that
// passes or fails.
type CheckFailure struct{ Checks []approval.CheckResult }

func (e *CheckFailure) Error() string { return ErrChecksFailed }

// NotFoundError is "未查询到账号信息" with the three hints (§7.2.4).
func notFound() error { return apperr.FieldError("tenant_name", ErrNotFound) }

// checks runs the five checks of §7.2.3 for a person and a partner.
func checks(ctx context.Context, g *gorm.DB, pr *Person, partnerID int64, now time.Time) ([]approval.CheckResult, error) {
	var other int64
	if err := g.WithContext(ctx).Model(&Link{}).Where("person_id = ? AND unlinked_at IS NULL AND partner_id <> ?", pr.ID, partnerID).
		Count(&other).Error; err != nil {
		return nil, err
	}
	var recent int64
	if err := g.WithContext(ctx).Model(&Link{}).Where("person_id = ? AND linked_at > ? AND partner_id <> ?", pr.ID, now.AddDate(-1, 0, 0), partnerID).
		Distinct("partner_id").Count(&recent).Error; err != nil {
		return nil, err
	}
	return []approval.CheckResult{
		check("people.check.not_enterprise", pr.Profile.RealName != RealNameEnterprise),
		check("people.check.not_linked", other == 0),
		check("people.check.real_name", pr.Profile.Site != SiteChina || pr.Profile.RealName == RealNamePersonal),
		check("people.check.not_partner", true),
		check("people.check.three_partners", recent < MaxPartnersPerYear),
	}, nil
}

// check is a check's outcome.
func check(name string, passed bool) approval.CheckResult {
	if passed {
		return approval.CheckResult{Name: name, Outcome: approval.CheckPass}
	}
	return approval.CheckResult{Name: name, Outcome: approval.CheckFail}
}

// partnerAccountChecks are the checks for a tenant name that is a partner
// account: check 4 fails, the others do not apply.
func partnerAccountChecks() []approval.CheckResult {
	return []approval.CheckResult{check("people.check.not_partner", false)}
}

func allPassed(cs []approval.CheckResult) bool {
	return !slices.ContainsFunc(cs, func(c approval.CheckResult) bool { return c.Outcome == approval.CheckFail })
}

// findByTenantName finds the China-site personal account of a tenant
// name; a partner account is reported apart (check 4), anything else —
// another site, a customer's enterprise or IAM account, no account — is
// not found (§7.2.4).
func findByTenantName(ctx context.Context, g *gorm.DB, name string) (*Person, bool, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, false, apperr.FieldError("tenant_name", "people.err.required")
	}
	var us []identity.User
	if err := g.WithContext(ctx).Where("lower(login_name) = lower(?) AND status = ?", name, identity.StatusActive).Limit(1).Find(&us).Error; err != nil {
		return nil, false, err
	}
	if len(us) == 0 {
		return nil, false, notFound()
	}
	switch us[0].Kind {
	case identity.KindPartner:
		return nil, true, nil
	case identity.KindPersonal:
	default:
		return nil, false, notFound()
	}
	pr, err := person(ctx, g, us[0].ID)
	if err != nil {
		return nil, false, err
	}
	if pr.Profile.Site != SiteChina {
		return nil, false, notFound()
	}
	return pr, false, nil
}

// Invite sends an invitation to a personal account by its tenant name
// (main account only): every check must pass (else *CheckFailure); a
// person already linked here, or with a pending invitation, is refused.
// The person gets a 站内信 and an e-mail/SMS with the link.
func (s Service) Invite(ctx context.Context, p *access.Principal, tenantName string) (_ *Invitation, err error) {
	defer apperr.Wrap(&err, "people.Invite")
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	if !p.IsMain {
		return nil, apperr.Forbidden()
	}
	now := s.now()
	var out *Invitation
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		pr, isPartner, err := findByTenantName(ctx, tx, tenantName)
		if err != nil {
			return err
		}
		if isPartner {
			return &CheckFailure{Checks: partnerAccountChecks()}
		}
		// One decision per person at a time: a racing invitation or
		// acceptance waits for this one.
		if err := LockPerson(ctx, tx, pr.ID); err != nil {
			return err
		}
		var here int64
		if err := tx.WithContext(ctx).Model(&Link{}).Where("person_id = ? AND partner_id = ? AND unlinked_at IS NULL", pr.ID, pid).
			Count(&here).Error; err != nil {
			return err
		}
		if here > 0 {
			return apperr.Conflict(ErrLinkedHere)
		}
		// A pending invitation past its days is expired now, so that
		// re-inviting works before the sweep comes by.
		if err := tx.WithContext(ctx).Model(&Invitation{}).Where("partner_id = ? AND person_id = ? AND status = ? AND expires_at <= ?",
			pid, pr.ID, InvitePending, now).Updates(map[string]any{"status": InviteExpired, "decided_at": now}).Error; err != nil {
			return err
		}
		var pending int64
		if err := tx.WithContext(ctx).Model(&Invitation{}).Where("partner_id = ? AND person_id = ? AND status = ?", pid, pr.ID, InvitePending).
			Count(&pending).Error; err != nil {
			return err
		}
		if pending > 0 {
			return apperr.Conflict(ErrAlreadyPending)
		}
		cs, err := checks(ctx, tx, pr, pid, now)
		if err != nil {
			return err
		}
		if !allPassed(cs) {
			return &CheckFailure{Checks: cs}
		}
		inv := &Invitation{PartnerID: pid, PersonID: pr.ID, Status: InvitePending, InvitedBy: &p.UserID, CreatedAt: now, ExpiresAt: now.Add(InvitationValid)}
		if err := tx.WithContext(ctx).Create(inv).Error; err != nil {
			return err
		}
		out = inv
		pt, err := (partner.Store{DB: tx}).Get(ctx, pid)
		if err != nil {
			return err
		}
		params := map[string]any{"Partner": pt.Name, "ExpiresAt": inv.ExpiresAt}
		if err := notify.Send(ctx, tx, notify.Note{To: pr.ID, Subject: "people.msg.invited.subject", Body: "people.msg.invited.body",
			Params: params, Link: "/me", At: now}); err != nil {
			return err
		}
		if err := outbox.Announce(ctx, tx, pr.ID, outbox.Note{Template: "people.msg.invited", Params: params, Partner: pid, At: now}); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pid, Action: "people.invite", ObjectType: "specialist_invitation",
			ObjectID: inv.ID, After: map[string]any{"person": pr.LoginName, "expires_at": inv.ExpiresAt}})
	})
	return out, err
}

// LockPerson serializes the decisions about one person (invitations,
// acceptances, specialist applications; FH's gradings of an expert) in
// the transaction.
func LockPerson(ctx context.Context, tx *gorm.DB, personID int64) error {
	return tx.WithContext(ctx).Exec(`SELECT pg_advisory_xact_lock(hashtext(?))`, "people:"+strconv.FormatInt(personID, 10)).Error
}

// lockInvitation locks an invitation by a condition.
func lockInvitation(ctx context.Context, tx *gorm.DB, where string, args ...any) (*Invitation, error) {
	var inv Invitation
	if err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where(where, args...).Take(&inv).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, apperr.NotFound()
		}
		return nil, err
	}
	return &inv, nil
}

// CancelInvitation withdraws a pending invitation (main account).
func (s Service) CancelInvitation(ctx context.Context, p *access.Principal, id int64) (err error) {
	defer apperr.Wrap(&err, "people.CancelInvitation(%d)", id)
	pid, err := p.Tenant()
	if err != nil {
		return err
	}
	if !p.IsMain {
		return apperr.Forbidden()
	}
	now := s.now()
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		inv, err := lockInvitation(ctx, tx, "id = ? AND partner_id = ?", id, pid)
		if err != nil {
			return err
		}
		if inv.StatusAt(now) != InvitePending {
			return apperr.Conflict("people.err.not_pending")
		}
		if err := tx.WithContext(ctx).Model(inv).Updates(map[string]any{"status": InviteCancelled, "decided_at": now}).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pid, Action: "people.invite_cancel", ObjectType: "specialist_invitation",
			ObjectID: id, Before: map[string]any{"status": InvitePending}, After: map[string]any{"status": InviteCancelled}})
	})
}

// Accept is the person's 接受邀请: within the 7 days (else the seed's
// sentence), the checks again (another partner may have linked the person
// meanwhile), then the link.
func (s Service) Accept(ctx context.Context, p *access.Principal, id int64) (err error) {
	defer apperr.Wrap(&err, "people.Accept(%d)", id)
	uid, err := p.Person()
	if err != nil {
		return err
	}
	now := s.now()
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		if err := LockPerson(ctx, tx, uid); err != nil {
			return err
		}
		inv, err := lockInvitation(ctx, tx, "id = ? AND person_id = ?", id, uid)
		if err != nil {
			return err
		}
		switch inv.StatusAt(now) {
		case InvitePending:
		case InviteExpired:
			return apperr.Conflict(ErrExpired)
		default:
			return apperr.Conflict("people.err.not_pending")
		}
		pr, err := person(ctx, tx, uid)
		if err != nil {
			return err
		}
		cs, err := checks(ctx, tx, pr, inv.PartnerID, now)
		if err != nil {
			return err
		}
		if !allPassed(cs) {
			return &CheckFailure{Checks: cs}
		}
		if err := tx.WithContext(ctx).Model(inv).Updates(map[string]any{"status": InviteAccepted, "decided_at": now}).Error; err != nil {
			return err
		}
		l := &Link{PartnerID: inv.PartnerID, PersonID: uid, InvitationID: inv.ID, LinkedAt: now}
		if err := tx.WithContext(ctx).Create(l).Error; err != nil {
			return err
		}
		// Other partners' pending invitations stay: they fail check 2 if
		// accepted while this link lives.
		if inv.InvitedBy != nil {
			if err := notify.Send(ctx, tx, notify.Note{To: *inv.InvitedBy, Partner: inv.PartnerID, Subject: "people.msg.accepted.subject",
				Body: "people.msg.accepted.body", Params: map[string]any{"Person": pr.Name(), "Tenant": pr.LoginName},
				Link: "/org/specialists", At: now}); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: inv.PartnerID, Action: "people.link", ObjectType: "specialist_link",
			ObjectID: l.ID, After: map[string]any{"person": pr.LoginName, "invitation_id": inv.ID}})
	})
}

// Unlink ends a link (main account). A project specialist (in review,
// approved or being cancelled) is refused in the seed's words (§7.2.2).
func (s Service) Unlink(ctx context.Context, p *access.Principal, linkID int64) (err error) {
	defer apperr.Wrap(&err, "people.Unlink(%d)", linkID)
	pid, err := p.Tenant()
	if err != nil {
		return err
	}
	if !p.IsMain {
		return apperr.Forbidden()
	}
	now := s.now()
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		var l Link
		if err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ? AND partner_id = ?", linkID, pid).Take(&l).Error; err != nil {
			if db.IsNotFound(err) {
				return apperr.NotFound()
			}
			return err
		}
		if l.UnlinkedAt != nil {
			return apperr.Conflict("people.err.unlinked")
		}
		// The same lock as a specialist application for the person.
		if err := LockPerson(ctx, tx, l.PersonID); err != nil {
			return err
		}
		var live int64
		if err := tx.WithContext(ctx).Model(&Specialist{}).Where("person_id = ? AND partner_id = ? AND status IN ?", l.PersonID, pid, liveSpecialist).
			Count(&live).Error; err != nil {
			return err
		}
		if live > 0 {
			return apperr.Conflict(ErrUnlinkSpecial)
		}
		if err := tx.WithContext(ctx).Model(&l).Updates(map[string]any{"unlinked_at": now, "unlinked_by": p.UserID}).Error; err != nil {
			return err
		}
		if err := notify.Send(ctx, tx, notify.Note{To: l.PersonID, Subject: "people.msg.unlinked.subject", Body: "people.msg.unlinked.body",
			Params: map[string]any{"Partner": partnerName(ctx, tx, pid)}, Link: "/me", At: now}); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pid, Action: "people.unlink", ObjectType: "specialist_link",
			ObjectID: l.ID, Before: map[string]any{"linked_at": l.LinkedAt}, After: map[string]any{"unlinked_at": now}})
	})
}

func partnerName(ctx context.Context, g *gorm.DB, pid int64) string {
	pt, err := (partner.Store{DB: g}).Get(ctx, pid)
	if err != nil {
		return ""
	}
	return pt.Name
}

// ExpireInvitations marks pending invitations past their 7 days 已失效
// (the sweep); it returns how many.
func (s Service) ExpireInvitations(ctx context.Context) (_ int64, err error) {
	defer apperr.Wrap(&err, "people.ExpireInvitations")
	now := s.now()
	res := s.DB.WithContext(ctx).Model(&Invitation{}).Where("status = ? AND expires_at <= ?", InvitePending, now).
		Updates(map[string]any{"status": InviteExpired, "decided_at": now})
	return res.RowsAffected, res.Error
}

// LinkedAmong are the persons among ids linked to the partner now: the
// one check benefits make before issuing to persons.
func LinkedAmong(ctx context.Context, g *gorm.DB, partnerID int64, ids []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	var linked []int64
	if err := g.WithContext(ctx).Model(&Link{}).Where("partner_id = ? AND person_id IN ? AND unlinked_at IS NULL", partnerID, ids).
		Distinct().Pluck("person_id", &linked).Error; err != nil {
		return nil, err
	}
	for _, id := range linked {
		out[id] = true
	}
	return out, nil
}

// SweepArgs is the periodic job that expires invitations past their 7
// days.
type SweepArgs struct{}

// Kind names the job.
func (SweepArgs) Kind() string { return "people_sweep" }

// SweepWorker runs ExpireInvitations.
type SweepWorker struct {
	river.WorkerDefaults[SweepArgs]
	Service Service
}

// Work expires the invitations past their days.
func (w *SweepWorker) Work(ctx context.Context, _ *river.Job[SweepArgs]) error {
	_, err := w.Service.ExpireInvitations(ctx)
	return err
}

// AddWorkers registers the package's workers.
func AddWorkers(ws *river.Workers, s Service) { river.AddWorker(ws, &SweepWorker{Service: s}) }

// PeriodicJobs sweeps every 15 minutes (and at start); pages read the
// state at the request's time in between (Invitation.StatusAt).
func PeriodicJobs() []*river.PeriodicJob {
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(15*time.Minute),
		func() (river.JobArgs, *river.InsertOpts) { return SweepArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true})}
}

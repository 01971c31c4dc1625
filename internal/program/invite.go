package program

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/identity"
	"partnercenter/internal/notify"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
)

// InvitationDays is how long a reseller invitation link is valid
// (inferred, build-plan 1.C).
const InvitationDays = 7

// Invitation states (reseller_invitations.status); a pending one past
// its expiry is shown as expired.
const (
	InvitePending  = "pending"
	InviteAccepted = "accepted"
	InviteRevoked  = "revoked"
	InviteExpired  = "expired" // computed
)

// Invitation is a master distributor's invitation of a cloud reseller.
type Invitation struct {
	ID                int64
	MasterPartnerID   int64
	Token             string
	Note              string
	Status            string
	CreatedBy         *int64
	CreatedAt         time.Time
	ExpiresAt         time.Time
	AcceptedPartnerID *int64
	AcceptedAt        *time.Time
}

// TableName maps Invitation to reseller_invitations.
func (Invitation) TableName() string { return "reseller_invitations" }

// Shown is the state to show at now (a pending link past its expiry is
// expired).
func (i *Invitation) Shown(now time.Time) string {
	if i.Status == InvitePending && !now.Before(i.ExpiresAt) {
		return InviteExpired
	}
	return i.Status
}

// noOtherIdentity is the condition of §5.2.2 and §5.3 (伙伴空账号): an
// onboarded account in no program and no path, and with no application or
// invitation open (but except, the one being answered).
func noOtherIdentity(ctx context.Context, g *gorm.DB, partnerID int64, except ...int64) (*partner.Partner, error) {
	store := partner.Store{DB: g}
	p, err := store.Get(ctx, partnerID)
	if err != nil {
		return nil, err
	}
	if p.Status != partner.StatusActive {
		return p, apperr.Conflict("program.err.not_onboarded")
	}
	ids, err := store.IdentitiesOf(ctx, partnerID)
	if err != nil {
		return nil, err
	}
	// PCE is a framework any HCPN member may join (§11.1.1.6), not a
	// program or path that excludes others.
	if slices.ContainsFunc(ids, func(id string) bool { return id != PCE }) {
		return p, apperr.Conflict("program.err.has_identity")
	}
	open, err := HasOpen(ctx, g, partnerID, except...)
	if err != nil {
		return nil, err
	}
	if open {
		return p, apperr.Conflict("program.err.open_membership")
	}
	return p, nil
}

// HasOpen reports a partner with a program application or invitation
// open (other than the memberships except): it may not take another
// program or a path meanwhile (§5.1.2, §5.2.2).
func HasOpen(ctx context.Context, g *gorm.DB, partnerID int64, except ...int64) (bool, error) {
	q := g.WithContext(ctx).Model(&Membership{}).Where("partner_id = ? AND status IN ?", partnerID, []string{StateApplied, StateInvited})
	if len(except) > 0 {
		q = q.Where("id NOT IN ?", except)
	}
	var n int64
	err := q.Count(&n).Error
	return n > 0, err
}

// InviteMD is the vendor's invitation of a partner to the master
// distributor program (§5.2.1–5.2.2): mdType national or regional and a
// region class 1–3. The partner must be one the actor looks after (else
// 404), onboarded and in no other program or path.
func (s Service) InviteMD(ctx context.Context, p *access.Principal, partnerID int64, mdType string, regionClass int) (_ *Membership, err error) {
	defer apperr.Wrap(&err, "program.InviteMD(%d)", partnerID)
	uid, err := p.Staff()
	if err != nil {
		return nil, err
	}
	if _, err := (partner.Directory{DB: s.DB}).Get(ctx, p, partnerID); err != nil {
		return nil, err
	}
	f := apperr.Fields{}
	if mdType != MDNational && mdType != MDRegional {
		f.Add("md_type", "program.err.md_type")
	}
	if regionClass < 1 || regionClass > 3 {
		f.Add("region_class", "program.err.region_class")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	var out *Membership
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		if err := (partner.Store{DB: tx}).Lock(ctx, partnerID, "UPDATE"); err != nil {
			return err
		}
		if _, err := noOtherIdentity(ctx, tx, partnerID); err != nil {
			return err
		}
		var open int64
		if err := tx.WithContext(ctx).Model(&Membership{}).Where("partner_id = ? AND status IN ?", partnerID,
			[]string{StateApplied, StateInvited, StateActive}).Count(&open).Error; err != nil {
			return err
		}
		if open > 0 {
			return apperr.Conflict("program.err.has_identity")
		}
		now := s.now()
		rc := regionClass
		m := Membership{PartnerID: partnerID, Program: MasterDistributor, Status: StateInvited, MDType: mdType, RegionClass: &rc,
			InvitedBy: &uid, InvitedAt: &now, CreatedAt: now, UpdatedAt: now}
		if err := tx.WithContext(ctx).Create(&m).Error; err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Change{At: now, PartnerID: partnerID, Action: "program.md_invite", ObjectType: "program_membership",
			ObjectID: m.ID, After: map[string]any{"status": StateInvited, "program": MasterDistributor, "md_type": mdType, "region_class": rc}}); err != nil {
			return err
		}
		main, err := identity.Users{DB: tx}.MainAccountID(ctx, partnerID)
		if err != nil {
			return err
		}
		if main != 0 {
			if err := notify.Send(ctx, tx, notify.Note{To: main, Partner: partnerID, Subject: "program.msg.md_invited.subject",
				Body: "program.msg.md_invited.body", Link: "/plans?tab=joined", At: now}); err != nil {
				return err
			}
		}
		out = &m
		return nil
	})
	return out, err
}

// AnswerMD is the main account's answer to an MD invitation: accept makes
// the membership active (certificate, identity); otherwise declined.
func (s Service) AnswerMD(ctx context.Context, p *access.Principal, membershipID int64, accept bool) (err error) {
	defer apperr.Wrap(&err, "program.AnswerMD(%d)", membershipID)
	pid, err := p.Tenant()
	if err != nil {
		return err
	}
	if !p.IsMain {
		return apperr.Forbidden()
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		if err := (partner.Store{DB: tx}).Lock(ctx, pid, "UPDATE"); err != nil {
			return err
		}
		m, err := lock(ctx, tx, membershipID, pid)
		if err != nil {
			return err
		}
		if m.Program != MasterDistributor || m.Status != StateInvited {
			return apperr.Conflict("program.err.changed")
		}
		if !accept {
			return s.move(ctx, tx, m, map[string]any{"status": StateDeclined, "updated_at": s.now()}, "md_decline")
		}
		if _, err := noOtherIdentity(ctx, tx, pid, m.ID); err != nil {
			return err
		}
		return s.activate(ctx, tx, m, "md_accept", nil)
	})
}

// InviteReseller creates a master distributor's invitation link (its
// main account or a member with resellers.invite), valid InvitationDays.
func (s Service) InviteReseller(ctx context.Context, p *access.Principal, note string) (_ *Invitation, err error) {
	defer apperr.Wrap(&err, "program.InviteReseller")
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > 100 {
		return nil, apperr.FieldError("note", "program.err.invite_note")
	}
	var out *Invitation
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		md, err := Active(ctx, tx, pid, MasterDistributor)
		if err != nil {
			return err
		}
		if md == nil {
			return apperr.Forbidden()
		}
		now := s.now()
		inv := Invitation{MasterPartnerID: pid, Token: newToken(), Note: note, Status: InvitePending, CreatedBy: &p.UserID,
			CreatedAt: now, ExpiresAt: now.AddDate(0, 0, InvitationDays)}
		if err := tx.WithContext(ctx).Create(&inv).Error; err != nil {
			return err
		}
		out = &inv
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pid, Action: "program.reseller_invite", ObjectType: "reseller_invitation",
			ObjectID: inv.ID, After: map[string]any{"status": InvitePending, "note": note, "expires_at": inv.ExpiresAt.Format(time.DateOnly)}})
	})
	return out, err
}

func newToken() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// RevokeInvitation withdraws a pending link of the actor's tenant.
func (s Service) RevokeInvitation(ctx context.Context, p *access.Principal, id int64) (err error) {
	defer apperr.Wrap(&err, "program.RevokeInvitation(%d)", id)
	pid, err := p.Tenant()
	if err != nil {
		return err
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		var inv Invitation
		if err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).
			Where("id = ? AND master_partner_id = ?", id, pid).First(&inv).Error; err != nil {
			if db.IsNotFound(err) {
				return apperr.NotFound()
			}
			return err
		}
		if inv.Shown(s.now()) != InvitePending {
			return apperr.Conflict("program.err.invite_closed")
		}
		if err := tx.WithContext(ctx).Model(&Invitation{}).Where("id = ?", id).Update("status", InviteRevoked).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: s.now(), PartnerID: pid, Action: "program.reseller_revoke", ObjectType: "reseller_invitation",
			ObjectID: id, Before: map[string]any{"status": InvitePending}, After: map[string]any{"status": InviteRevoked}})
	})
}

// InvitationView is what the invitee sees on the link's page.
type InvitationView struct {
	Invitation *Invitation
	Master     string // the master distributor's name
	State      string // Shown at now
	// Refusal is why the actor's account cannot accept ("" when it can).
	Refusal string
}

// findInvitation reads an invitation by its token (a bad token is 404).
func findInvitation(ctx context.Context, g *gorm.DB, token string, forUpdate bool) (*Invitation, error) {
	if len(token) < 20 || len(token) > 64 {
		return nil, apperr.NotFound()
	}
	q := g.WithContext(ctx).Where("token = ?", token)
	if forUpdate {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var inv Invitation
	if err := q.First(&inv).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, apperr.NotFound()
		}
		return nil, err
	}
	return &inv, nil
}

// resellerRefusal is why a partner cannot accept an invitation of master:
// the link is closed, it is the master itself, it already has a master
// distributor (R74, the seed's text), or it is not an empty account.
func (s Service) resellerRefusal(ctx context.Context, g *gorm.DB, inv *Invitation, partnerID int64) (string, error) {
	switch inv.Shown(s.now()) {
	case InviteExpired:
		return "program.err.invite_expired", nil
	case InvitePending:
	default:
		return "program.err.invite_closed", nil
	}
	if partnerID == inv.MasterPartnerID {
		return "program.err.invite_self", nil
	}
	p, err := noOtherIdentity(ctx, g, partnerID)
	if p != nil && p.ParentPartnerID != nil {
		return partner.ErrParentFixed, nil
	}
	if ae, ok := apperr.As(err); ok && ae.Kind == apperr.KindConflict {
		return ae.Key, nil
	}
	return "", err
}

// Invitation shows a link to a signed-in partner main account (or member)
// with whether its account may accept.
func (s Service) Invitation(ctx context.Context, p *access.Principal, token string) (_ *InvitationView, err error) {
	defer apperr.Wrap(&err, "program.Invitation")
	pid, err := p.Tenant()
	if err != nil {
		return nil, apperr.NotFound()
	}
	inv, err := findInvitation(ctx, s.DB, token, false)
	if err != nil {
		return nil, err
	}
	name, err := partner.Store{DB: s.DB}.Name(ctx, inv.MasterPartnerID)
	if err != nil {
		return nil, err
	}
	v := &InvitationView{Invitation: inv, Master: name, State: inv.Shown(s.now())}
	if v.Refusal, err = s.resellerRefusal(ctx, s.DB, inv, pid); err != nil {
		return nil, err
	}
	if v.Refusal == "" && !p.IsMain {
		v.Refusal = "program.err.main_only"
	}
	return v, nil
}

// AcceptReseller is 接受总经销商合作邀请成为云经销商: the actor's tenant (its
// main account) becomes a cloud reseller of the inviting master
// distributor, for good (R74).
func (s Service) AcceptReseller(ctx context.Context, p *access.Principal, token string) (err error) {
	defer apperr.Wrap(&err, "program.AcceptReseller")
	pid, err := p.Tenant()
	if err != nil {
		return apperr.NotFound()
	}
	if !p.IsMain {
		return apperr.Forbidden()
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		inv, err := findInvitation(ctx, tx, token, true)
		if err != nil {
			return err
		}
		// The invitation is locked first (two accepts of one link queue
		// here), then the two partners in id order.
		first, second := min(pid, inv.MasterPartnerID), max(pid, inv.MasterPartnerID)
		for _, id := range []int64{first, second} {
			if err := (partner.Store{DB: tx}).Lock(ctx, id, "UPDATE"); err != nil {
				return err
			}
		}
		refusal, err := s.resellerRefusal(ctx, tx, inv, pid)
		if err != nil {
			return err
		}
		if refusal != "" {
			return apperr.Conflict(refusal)
		}
		md, err := Active(ctx, tx, inv.MasterPartnerID, MasterDistributor)
		if err != nil {
			return err
		}
		if md == nil {
			return apperr.Conflict("program.err.invite_closed")
		}
		now := s.now()
		if err := (partner.Store{DB: tx}).SetParent(ctx, pid, inv.MasterPartnerID, now); err != nil {
			return err
		}
		m := Membership{PartnerID: pid, Program: CloudReseller, Status: StateInvited, ParentPartnerID: &inv.MasterPartnerID,
			InvitedAt: &inv.CreatedAt, InvitedBy: inv.CreatedBy, CreatedAt: now, UpdatedAt: now}
		if err := tx.WithContext(ctx).Create(&m).Error; err != nil {
			return err
		}
		if err := s.activate(ctx, tx, &m, "reseller_accept", nil); err != nil {
			return err
		}
		if err := tx.WithContext(ctx).Model(&Invitation{}).Where("id = ?", inv.ID).
			Updates(map[string]any{"status": InviteAccepted, "accepted_partner_id": pid, "accepted_at": now}).Error; err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Change{At: now, PartnerID: inv.MasterPartnerID, Action: "program.reseller_accepted",
			ObjectType: "reseller_invitation", ObjectID: inv.ID, Before: map[string]any{"status": InvitePending},
			After: map[string]any{"status": InviteAccepted, "accepted_partner_id": pid}}); err != nil {
			return err
		}
		if inv.CreatedBy != nil {
			name, err := partner.Store{DB: tx}.Name(ctx, pid)
			if err != nil {
				return err
			}
			return notify.Send(ctx, tx, notify.Note{To: *inv.CreatedBy, Partner: inv.MasterPartnerID,
				Subject: "program.msg.reseller_joined.subject", Body: "program.msg.reseller_joined.body",
				Params: map[string]any{"Name": name}, Link: "/resellers", At: now})
		}
		return nil
	})
}

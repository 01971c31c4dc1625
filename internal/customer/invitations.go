package customer

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/identity"
	"partnercenter/internal/notify"
	"partnercenter/internal/outbox"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
	"partnercenter/internal/platform/i18n"
)

func newToken() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func validMode(m string) bool { return m == ModeResale || m == ModeConsulting }

// lockReport locks a report of the tenant (NotFound otherwise).
func lockReport(ctx context.Context, tx *gorm.DB, pid, id int64) (*Report, error) {
	var r Report
	err := tx.WithContext(ctx).Clauses(forUpdate()).Where("id = ? AND partner_id = ?", id, pid).First(&r).Error
	if err != nil {
		return nil, notFoundIf(err)
	}
	return &r, nil
}

// invite creates an invitation of a locked, invitable report.
func (s *Service) invite(ctx context.Context, tx *gorm.DB, p *access.Principal, r *Report, channel, email, mode string, now time.Time) (*Invitation, error) {
	if !r.Invitable(now) {
		return nil, apperr.Conflict("customer.err.report_not_invitable")
	}
	tok, err := newToken()
	if err != nil {
		return nil, err
	}
	inv := &Invitation{PartnerID: r.PartnerID, ReportID: r.ID, Channel: channel, Mode: mode, Email: email, Token: tok,
		Status: InvitationSent, SentAt: now, CreatedBy: ptr(p.UserID), CreatedAt: now}
	if channel == ChannelOnline {
		// R10 (seed 003 §12.1.2.4): the online link is valid 7 days.
		inv.ExpiresAt = ptr(now.AddDate(0, 0, OnlineLinkDays))
	}
	if err := tx.WithContext(ctx).Create(inv).Error; err != nil {
		return nil, err
	}
	after := map[string]any{"report_id": r.ID, "channel": channel, "mode": mode, "email": email, "link": inv.Path()}
	if inv.ExpiresAt != nil {
		after["expires_at"] = *inv.ExpiresAt
	}
	if err := audit.Record(ctx, tx, audit.Change{PartnerID: r.PartnerID, Action: "customer.invitation.create", ObjectType: "invitation",
		ObjectID: inv.ID, After: after}); err != nil {
		return nil, err
	}
	if channel == ChannelOnline {
		if err := s.sendInvitationEmail(ctx, tx, r, inv); err != nil {
			return nil, err
		}
	}
	return inv, nil
}

// sendInvitationEmail sends the invitation e-mail through the outbox
// (the link, valid 7 days), records it in the audit trail, and gives the
// customer account already using that address, if any, a 站内信.
func (s *Service) sendInvitationEmail(ctx context.Context, tx *gorm.DB, r *Report, inv *Invitation) error {
	if err := audit.Record(ctx, tx, audit.Change{PartnerID: r.PartnerID, Action: "customer.invitation.email", ObjectType: "invitation",
		ObjectID: inv.ID, After: map[string]any{"to": inv.Email, "link": inv.Path(), "expires_at": inv.ExpiresAt}}); err != nil {
		return err
	}
	name, err := partnerName(ctx, tx, r.PartnerID)
	if err != nil {
		return err
	}
	params := map[string]any{"Partner": name, "ModeKey": "customer.mode." + inv.Mode, "Until": dateCN(*inv.ExpiresAt)}
	if err := outbox.ToAddress(ctx, tx, outbox.Email, inv.Email, i18n.ZhCN, outbox.Note{Template: "customer.msg.invitation",
		Params: map[string]any{"Partner": name, "ModeKey": "customer.mode." + inv.Mode, "ExpiresAt": inv.ExpiresAt.Format(time.RFC3339),
			"Link": inv.Path()}, Partner: r.PartnerID, At: inv.SentAt}); err != nil {
		return err
	}
	account, err := identity.Users{DB: tx}.CustomerAccountID(ctx, inv.Email)
	if err != nil || account == 0 {
		return err
	}
	return notify.Send(ctx, tx, notify.Note{To: account, Subject: "customer.msg.invited.subject", Body: "customer.msg.invited.body",
		Params: params, Link: inv.Path(), At: inv.SentAt})
}

// InviteOnline sends an online invitation of a protected report to email
// in mode (seed 003 §12.1.2.4); the link is valid 7 days (R10). A live
// online invitation of the same report is revoked (one link per report).
func (s *Service) InviteOnline(ctx context.Context, p *access.Principal, reportID int64, email, mode string) (_ *Invitation, err error) {
	defer apperr.Wrap(&err, "customer.InviteOnline(%d)", reportID)
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	email = clean(email)
	f := apperr.Fields{}
	if email == "" {
		f.Add("email", "customer.err.email_required")
	} else if !identity.ValidEmail(email) {
		f.Add("email", "customer.err.email")
	}
	if !validMode(mode) {
		f.Add("mode", "customer.err.mode")
	}
	now := s.now()
	var out *Invitation
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		r, err := lockReport(ctx, tx, pid, reportID)
		if err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		if err := revokeLiveOnline(ctx, tx, r.ID, 0); err != nil {
			return err
		}
		if r.Email == "" {
			if err := tx.WithContext(ctx).Model(&Report{}).Where("id = ?", r.ID).Updates(map[string]any{"email": email, "updated_at": now}).Error; err != nil {
				return err
			}
		}
		out, err = s.invite(ctx, tx, p, r, ChannelOnline, email, mode, now)
		return err
	})
	return out, err
}

// revokeLiveOnline revokes the report's online invitations still sent or
// opened (except keep).
func revokeLiveOnline(ctx context.Context, tx *gorm.DB, reportID, keep int64) error {
	return tx.WithContext(ctx).Model(&Invitation{}).
		Where("report_id = ? AND channel = ? AND status IN ? AND id <> ?", reportID, ChannelOnline, []string{InvitationSent, InvitationOpened}, keep).
		Update("status", InvitationRevoked).Error
}

// Reinvite revokes an online invitation and sends a new one, valid 7 days
// again, to newEmail (or the same address when empty); the report's email
// changes too (seed 003 §12.1.2.6).
func (s *Service) Reinvite(ctx context.Context, p *access.Principal, invitationID int64, newEmail string) (_ *Invitation, err error) {
	defer apperr.Wrap(&err, "customer.Reinvite(%d)", invitationID)
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	newEmail = clean(newEmail)
	now := s.now()
	var out *Invitation
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		var old Invitation
		if err := tx.WithContext(ctx).Clauses(forUpdate()).Where("id = ? AND partner_id = ?", invitationID, pid).First(&old).Error; err != nil {
			return notFoundIf(err)
		}
		if newEmail == "" {
			newEmail = old.Email
		}
		if !identity.ValidEmail(newEmail) {
			return apperr.FieldError("email", "customer.err.email")
		}
		switch {
		case old.Channel != ChannelOnline:
			return apperr.Conflict("customer.err.reinvite_offline")
		case old.Status == InvitationAccepted:
			return apperr.Conflict("customer.err.invitation_accepted")
		case old.Status == InvitationRevoked:
			return apperr.Conflict("customer.err.invitation_revoked")
		}
		r, err := lockReport(ctx, tx, pid, old.ReportID)
		if err != nil {
			return err
		}
		if !r.Invitable(now) {
			return apperr.Conflict("customer.err.report_not_invitable")
		}
		if err := tx.WithContext(ctx).Model(&Invitation{}).Where("id = ?", old.ID).Update("status", InvitationRevoked).Error; err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Change{PartnerID: pid, Action: "customer.invitation.revoke", ObjectType: "invitation",
			ObjectID: old.ID, Before: map[string]any{"status": old.Status, "email": old.Email}, After: map[string]any{"status": InvitationRevoked}}); err != nil {
			return err
		}
		if err := revokeLiveOnline(ctx, tx, r.ID, 0); err != nil {
			return err
		}
		if !strings.EqualFold(r.Email, newEmail) {
			if err := tx.WithContext(ctx).Model(&Report{}).Where("id = ?", r.ID).Updates(map[string]any{"email": newEmail, "updated_at": now}).Error; err != nil {
				return err
			}
			r.Email = newEmail
		}
		out, err = s.invite(ctx, tx, p, r, ChannelOnline, newEmail, old.Mode, now)
		return err
	})
	return out, err
}

// InviteOffline creates an offline link (and QR code) of a protected report
// in mode; it never expires (R10, seed 003 §12.1.2.4), but only an account
// created within 7 days may associate through it (R11).
func (s *Service) InviteOffline(ctx context.Context, p *access.Principal, reportID int64, mode string) (_ *Invitation, err error) {
	defer apperr.Wrap(&err, "customer.InviteOffline(%d)", reportID)
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	now := s.now()
	var out *Invitation
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		r, err := lockReport(ctx, tx, pid, reportID)
		if err != nil {
			return err
		}
		if !validMode(mode) {
			return apperr.FieldError("mode", "customer.err.mode")
		}
		out, err = s.invite(ctx, tx, p, r, ChannelOffline, r.Email, mode, now)
		return err
	})
	return out, err
}

func (s *Service) landing(ctx context.Context, tx *gorm.DB, inv *Invitation, now time.Time) (*Landing, error) {
	var r Report
	if err := tx.WithContext(ctx).Where("id = ?", inv.ReportID).First(&r).Error; err != nil {
		return nil, notFoundIf(err)
	}
	name, err := partnerName(ctx, tx, inv.PartnerID)
	if err != nil {
		return nil, err
	}
	st := inv.StatusAt(now)
	return &Landing{Token: inv.Token, Channel: inv.Channel, Mode: inv.Mode, PartnerID: inv.PartnerID, PartnerName: name,
		CustomerName: r.CustomerName, ExpiresAt: inv.ExpiresAt, Status: st, Expired: st == InvitationExpired,
		Usable: st == InvitationSent || st == InvitationOpened}, nil
}

func findToken(ctx context.Context, tx *gorm.DB, token string, lock bool) (*Invitation, error) {
	token = clean(token)
	if token == "" || len(token) > 128 {
		return nil, apperr.NotFound()
	}
	var inv Invitation
	q := tx.WithContext(ctx)
	if lock {
		q = q.Clauses(forUpdate())
	}
	if err := q.Where("token = ?", token).First(&inv).Error; err != nil {
		return nil, notFoundIf(err)
	}
	// A revoked link (re-invited elsewhere) is as unknown as a wrong one.
	if inv.Status == InvitationRevoked {
		return nil, apperr.NotFound()
	}
	return &inv, nil
}

// LookupInvitation returns what the landing page shows for a token
// (NotFound for an unknown or revoked link). It changes nothing.
func (s *Service) LookupInvitation(ctx context.Context, token string) (_ *Landing, err error) {
	defer apperr.Wrap(&err, "customer.LookupInvitation")
	inv, err := findToken(ctx, s.DB, token, false)
	if err != nil {
		return nil, err
	}
	return s.landing(ctx, s.DB, inv, s.now())
}

// OpenInvitation marks the invitation opened the first time its landing
// page is shown (a live link only) and returns the landing.
func (s *Service) OpenInvitation(ctx context.Context, token string) (_ *Landing, err error) {
	defer apperr.Wrap(&err, "customer.OpenInvitation")
	now := s.now()
	var out *Landing
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		inv, err := findToken(ctx, tx, token, true)
		if err != nil {
			return err
		}
		if inv.StatusAt(now) == InvitationSent {
			if err := tx.WithContext(ctx).Model(&Invitation{}).Where("id = ? AND status = ?", inv.ID, InvitationSent).
				Updates(map[string]any{"status": InvitationOpened, "opened_at": now}).Error; err != nil {
				return err
			}
			inv.Status, inv.OpenedAt = InvitationOpened, &now
			if err := audit.Record(ctx, tx, audit.Change{PartnerID: inv.PartnerID, Action: "customer.invitation.open", ObjectType: "invitation",
				ObjectID: inv.ID, Before: map[string]any{"status": InvitationSent}, After: map[string]any{"status": InvitationOpened}}); err != nil {
				return err
			}
		}
		out, err = s.landing(ctx, tx, inv, now)
		return err
	})
	return out, err
}

const invitationRowSelect = `invitations.*, r.customer_name, r.contact_name, r.mobile,
	COALESCE(NULLIF(u.display_name, ''), u.login_name, '') AS created_by_name`

func (s *Service) invitationRows(ctx context.Context, pid int64) *gorm.DB {
	return s.DB.WithContext(ctx).Table("invitations").
		Joins("JOIN customer_reports r ON r.id = invitations.report_id").
		Joins("LEFT JOIN users u ON u.id = invitations.created_by").
		Where("invitations.partner_id = ?", pid)
}

// ListInvitations lists the tenant's invitations, newest first (status
// computed at now).
func (s *Service) ListInvitations(ctx context.Context, p *access.Principal, f InvitationFilter) (_ *InvitationList, err error) {
	defer apperr.Wrap(&err, "customer.ListInvitations")
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	now := s.now()
	q := s.invitationRows(ctx, pid)
	if f.Channel != "" {
		q = q.Where("invitations.channel = ?", f.Channel)
	}
	if f.ReportID != 0 {
		q = q.Where("invitations.report_id = ?", f.ReportID)
	}
	live := []string{InvitationSent, InvitationOpened}
	switch f.Status {
	case "":
	case InvitationSent, InvitationOpened:
		q = q.Where("invitations.status = ? AND (invitations.expires_at IS NULL OR invitations.expires_at > ?)", f.Status, now)
	case InvitationExpired:
		q = q.Where("(invitations.status = ? OR (invitations.status IN ? AND invitations.expires_at <= ?))", InvitationExpired, live, now)
	default:
		q = q.Where("invitations.status = ?", f.Status)
	}
	if v := clean(f.Q); v != "" {
		l := db.Contains(v)
		q = q.Where("(r.customer_name ILIKE ? OR invitations.email ILIKE ? OR r.mobile LIKE ?)", l, l, l)
	}
	out := &InvitationList{}
	if err := q.Session(&gorm.Session{}).Count(&out.Total).Error; err != nil {
		return nil, err
	}
	var off int
	out.Page, out.Per, off = paging(f.Page, f.Per)
	var rows []InvitationRow
	if err := q.Select(invitationRowSelect).Order("invitations.created_at DESC, invitations.id DESC").
		Limit(out.Per).Offset(off).Scan(&rows).Error; err != nil {
		return nil, err
	}
	for i := range rows {
		rows[i].Effective = rows[i].StatusAt(now)
	}
	out.Rows = rows
	return out, nil
}

// GetInvitation returns one invitation of the tenant.
func (s *Service) GetInvitation(ctx context.Context, p *access.Principal, id int64) (_ *InvitationRow, err error) {
	defer apperr.Wrap(&err, "customer.GetInvitation(%d)", id)
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	var rows []InvitationRow
	if err := s.invitationRows(ctx, pid).Select(invitationRowSelect).Where("invitations.id = ?", id).Scan(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, apperr.NotFound()
	}
	rows[0].Effective = rows[0].StatusAt(s.now())
	return &rows[0], nil
}

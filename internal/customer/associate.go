package customer

import (
	"context"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
	"partnercenter/internal/platform/money"
)

// Pre-check names (catalog keys of their labels) and failure reasons.
const (
	CheckLink          = "customer.check.link"           // the link is live (not accepted)
	CheckExpiry        = "customer.check.expiry"         // R10: online link within 7 days
	CheckAccountAge    = "customer.check.account_age"    // R11: offline link, account created within 7 days
	CheckSinglePartner = "customer.check.single_partner" // R9: not associated with a partner
	CheckBalance       = "customer.check.balance"        // R12: resale needs a zero cash balance
	CheckHostedSub     = "customer.check.hosted_sub"     // R13: finance-hosted sub cannot take consulting
	CheckMobile        = "customer.check.mobile"         // §4.4 step 3: registered with the reported mobile

	ErrLinkUsed           = "customer.err.link_used"
	ErrLinkExpired        = "customer.err.link_expired"
	ErrOfflineAccountOld  = "customer.err.offline_account_too_old" // the exact seed 003 §12.4.6 message
	ErrAlreadyAssociated  = "customer.err.already_associated"
	ErrResaleBalance      = "customer.err.resale_balance"
	ErrHostedSubConsult   = "customer.err.hosted_sub_consulting"
	ErrMobileMismatch     = "customer.err.mobile_mismatch"
	ErrAgreementRequired  = "customer.err.agreement_required"
	ErrAgreementFieldName = "agreed"
)

// prechecks runs every check of associating c through inv (seed 003 §4.4
// step 4, §12.1.2.3, §12.1.2.11–12, §12.4.6).
func prechecks(ctx context.Context, tx *gorm.DB, c *Customer, inv *Invitation, r *Report, now time.Time) ([]Check, error) {
	var out []Check
	add := func(name string, ok bool, reason string, args map[string]any) {
		if ok {
			reason = ""
		}
		out = append(out, Check{Name: name, OK: ok, Reason: reason, Args: args})
	}
	add(CheckLink, inv.Status != InvitationAccepted, ErrLinkUsed, nil)
	if inv.Channel == ChannelOnline {
		// R10 (seed 003 §12.1.2.4): valid 7 days.
		var until string
		if inv.ExpiresAt != nil {
			until = dateCN(*inv.ExpiresAt)
		}
		add(CheckExpiry, !inv.ExpiredAt(now), ErrLinkExpired, map[string]any{"Until": until, "Days": OnlineLinkDays})
	} else {
		// R11 (seed 003 §12.4.6): only an account created within 7 days.
		add(CheckAccountAge, !c.RegisteredAt.Before(now.AddDate(0, 0, -OfflineAccountMaxAgeDays)), ErrOfflineAccountOld,
			map[string]any{"Registered": dateCN(c.RegisteredAt), "Days": OfflineAccountMaxAgeDays})
	}
	// R9 (seed 003 §12.1.2.3): one partner at a time; unbind first.
	cur, err := current(ctx, tx, c.ID)
	if err != nil {
		return nil, err
	}
	args := map[string]any{}
	if cur != nil {
		args["Partner"] = cur.PartnerName
	}
	add(CheckSinglePartner, cur == nil, ErrAlreadyAssociated, args)
	if inv.Mode == ModeResale {
		// R12 (seed 003 §12.1.2.11): withdraw the balance first.
		add(CheckBalance, c.CashBalance.IsZero(), ErrResaleBalance, map[string]any{"Amount": money.Grouped(c.CashBalance, 2)})
	} else {
		// R13 (seed 003 §12.1.2.12): only the master of a finance-hosted sub.
		add(CheckHostedSub, !c.FinanceHosted, ErrHostedSubConsult, nil)
	}
	// Seed 003 §4.4 step 3 / §12.1.2.4: register with the reported mobile.
	add(CheckMobile, r.Mobile == strOr(c.Mobile), ErrMobileMismatch, nil)
	return out, nil
}

// Precheck runs every pre-check of associating the customer through the
// link, without changing anything, so the console shows why it would
// fail. An unknown or revoked link is NotFound.
func (s *Service) Precheck(ctx context.Context, p *access.Principal, token string) (_ *Precheck, err error) {
	defer apperr.Wrap(&err, "customer.Precheck")
	customerUserID, err := p.CustomerAccount()
	if err != nil {
		return nil, err
	}
	c, err := s.ByUser(ctx, customerUserID)
	if err != nil {
		return nil, err
	}
	inv, err := findToken(ctx, s.DB, token, false)
	if err != nil {
		return nil, err
	}
	now := s.now()
	var r Report
	if err := s.DB.WithContext(ctx).First(&r, inv.ReportID).Error; err != nil {
		return nil, notFoundIf(err)
	}
	l, err := s.landing(ctx, s.DB, inv, now)
	if err != nil {
		return nil, err
	}
	checks, err := prechecks(ctx, s.DB, c, inv, &r, now)
	if err != nil {
		return nil, err
	}
	out := &Precheck{Landing: *l, Checks: checks, OK: true}
	for _, ch := range checks {
		if !ch.OK {
			out.OK = false
		}
	}
	return out, nil
}

// Accept associates the customer with the invitation's partner in the
// invitation's mode (seed 003 §4.4, §12.4.21). Every pre-check must pass —
// the first failing one is returned as a Conflict with its reason key (see
// Precheck) — and the agreement 《客户关联华为云合作伙伴须知》 must be
// accepted (Invalid, field "agreed"). An unknown or revoked link is
// NotFound. On success: the association is active, the invitation
// accepted (the report's other live links revoked), the report associated,
// an 'associate' record completed, the grace period raised in resale mode
// (R16, via apply), and the partner's main account told.
func (s *Service) Accept(ctx context.Context, p *access.Principal, token string, agreed bool) (_ *Association, err error) {
	defer apperr.Wrap(&err, "customer.Accept")
	customerUserID, err := p.CustomerAccount()
	if err != nil {
		return nil, err
	}
	now := s.now()
	var out *Association
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		// The customer row is locked first: two accepts by the same
		// customer run one after the other and the second sees R9.
		c, err := byUser(ctx, tx, customerUserID, true)
		if err != nil {
			return err
		}
		inv, err := findToken(ctx, tx, token, true)
		if err != nil {
			return err
		}
		var r Report
		if err := tx.WithContext(ctx).Clauses(forUpdate()).First(&r, inv.ReportID).Error; err != nil {
			return notFoundIf(err)
		}
		checks, err := prechecks(ctx, tx, c, inv, &r, now)
		if err != nil {
			return err
		}
		for _, ch := range checks {
			if !ch.OK {
				return apperr.Conflict(ch.Reason, ch.Args)
			}
		}
		if !agreed {
			return apperr.FieldError(ErrAgreementFieldName, ErrAgreementRequired)
		}
		a := &Association{PartnerID: inv.PartnerID, CustomerID: c.ID, Mode: inv.Mode, Status: AssociationActive,
			InvitationID: &inv.ID, AssociatedAt: now}
		if err := tx.WithContext(ctx).Create(a).Error; err != nil {
			if _, ok := db.IsUniqueViolation(err); ok {
				// Another association won the race; name its partner (read
				// outside this aborted transaction).
				args := map[string]any{"Partner": ""}
				if cur, _ := current(ctx, s.DB.WithContext(ctx), c.ID); cur != nil {
					args["Partner"] = cur.PartnerName
				}
				return apperr.Conflict(ErrAlreadyAssociated, args)
			}
			return err
		}
		if err := tx.WithContext(ctx).Model(&Invitation{}).Where("id = ?", inv.ID).
			Updates(map[string]any{"status": InvitationAccepted, "accepted_at": now, "accepted_customer_id": c.ID}).Error; err != nil {
			return err
		}
		if err := tx.WithContext(ctx).Model(&Invitation{}).
			Where("report_id = ? AND id <> ? AND status IN ?", r.ID, inv.ID, []string{InvitationSent, InvitationOpened}).
			Update("status", InvitationRevoked).Error; err != nil {
			return err
		}
		if err := tx.WithContext(ctx).Model(&Report{}).Where("id = ?", r.ID).
			Updates(map[string]any{"status": ReportAssociated, "customer_id": c.ID, "updated_at": now}).Error; err != nil {
			return err
		}
		if err := tx.WithContext(ctx).Model(&Customer{}).Where("id = ?", c.ID).
			Updates(map[string]any{"agreement_version": AgreementVersion, "updated_at": now}).Error; err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Change{PartnerID: inv.PartnerID, Action: "customer.associate", ObjectType: "association",
			ObjectID: a.ID, After: map[string]any{"customer_id": c.ID, "account_name": c.AccountName, "mode": a.Mode,
				"invitation_id": inv.ID, "channel": inv.Channel, "report_id": r.ID, "agreement_version": AgreementVersion}}); err != nil {
			return err
		}
		req := &Request{PartnerID: inv.PartnerID, CustomerID: c.ID, AssociationID: &a.ID, Type: RequestAssociate,
			Initiator: InitiatorCustomer, ToMode: ptr(a.Mode), Status: RequestPending, RequestedBy: ptr(customerUserID), RequestedAt: now}
		if err := tx.WithContext(ctx).Create(req).Error; err != nil {
			return err
		}
		if err := s.apply(ctx, tx, &Transition{Request: req, Outcome: RequestCompleted, Customer: c, Association: a,
			ActorUserID: customerUserID, At: now}); err != nil {
			return err
		}
		out = a
		return nil
	})
	return out, err
}

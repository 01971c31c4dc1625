package program

import (
	"context"
	"fmt"
	"slices"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/audit"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
)

// 合作伙伴共拓计划 PCE (seed 003 §11.1.1; build-plan 5.A; issue 14): the
// framework of opportunity sharing. A partner joins from the catalogue by
// accepting 《华为云合作伙伴共拓计划协议》 and committing to update its
// opportunities regularly, and is admitted at once, without review
// (§11.1.1.5–6), when it is an HCPN member. The entry shows for a partner
// in a program or a development path, or one the vendor whitelisted; the
// others read §11.1.1.7's sentence. The membership has no certificate
// year; its agreement is listed in 已签署协议.

// PCE is the program (and the identity) of 合作伙伴共拓计划.
const PCE = access.IdentityPCE

// Refusals (§11.1.1.6–7).
const (
	ErrPCEEntry   = "program.err.pce_entry"   // 请联系您的PDM处理（需要将伙伴加入PCE白名单）
	ErrPCEAgree   = "program.err.pce_agree"   // the agreement and the commitment must be accepted
	ErrPCEAlready = "program.err.pce_already" // already a member
)

// pceEligibility is the PCE check list: an HCPN member; the entry open (a
// program or path identity, or the vendor's whitelist); not a member yet.
func pceEligibility(pt *partner.Partner, ids []string) *Eligibility {
	e := &Eligibility{}
	if pt.Status == partner.StatusActive {
		e.add("program.check.onboarded", approval.CheckPass, "program.check.onboarded.pass", nil)
	} else {
		e.add("program.check.onboarded", approval.CheckFail, "program.check.onboarded.fail", nil)
	}
	inProgram := slices.ContainsFunc(ids, func(id string) bool { return id != PCE })
	if inProgram || pt.PCEWhitelisted {
		e.add("program.check.pce_entry", approval.CheckPass, "program.check.pce_entry.pass", nil)
	} else {
		e.add("program.check.pce_entry", approval.CheckFail, ErrPCEEntry, nil)
	}
	if slices.Contains(ids, PCE) {
		e.add("program.check.not_member", approval.CheckFail, ErrPCEAlready, nil)
	} else {
		e.add("program.check.not_member", approval.CheckPass, "program.check.not_member.pass", nil)
	}
	return e
}

func pceCheck(ctx context.Context, g *gorm.DB, pid int64) (*Eligibility, error) {
	store := partner.Store{DB: g}
	pt, err := store.Get(ctx, pid)
	if err != nil {
		return nil, err
	}
	ids, err := store.IdentitiesOf(ctx, pid)
	if err != nil {
		return nil, err
	}
	return pceEligibility(pt, ids), nil
}

// JoinPCE is 立即加入 of the main account: the agreement and the
// commitment ticked, the checks passed, the membership active at once with
// its agreement number, the identity added, audited, the main account
// told.
func (s Service) JoinPCE(ctx context.Context, p *access.Principal, agreed, committed bool) (_ *Membership, err error) {
	defer apperr.Wrap(&err, "program.JoinPCE")
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	if !p.IsMain {
		return nil, apperr.Forbidden()
	}
	if !agreed || !committed {
		return nil, apperr.FieldError("agree", ErrPCEAgree)
	}
	var out *Membership
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		if err := (partner.Store{DB: tx}).Lock(ctx, pid, "UPDATE"); err != nil {
			return err
		}
		el, err := pceCheck(ctx, tx, pid)
		if err != nil {
			return err
		}
		if !el.OK() {
			return apperr.Conflict(el.Refusal)
		}
		now := s.now()
		m := Membership{PartnerID: pid, Program: PCE, Status: StateActive, JoinedAt: &now, CreatedAt: now, UpdatedAt: now}
		no := fmt.Sprintf("HWC-PCE-%s-%06d", now.In(clock.China).Format("20060102"), pid)
		m.CertificateNo = &no
		if err := tx.WithContext(ctx).Create(&m).Error; err != nil {
			return err
		}
		if err := (partner.Store{DB: tx}).AddIdentity(ctx, pid, PCE, now); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pid, Action: "program.pce_join", ObjectType: "program_membership",
			ObjectID: m.ID, After: map[string]any{"program": PCE, "status": StateActive, "certificate_no": no}}); err != nil {
			return err
		}
		out = &m
		return s.tellMain(ctx, tx, &m, "program.msg.pce_joined", nil)
	})
	return out, err
}

// SetPCEWhitelist is the vendor's PCE whitelist of a partner it may see
// (its ecosystem manager or the vendor administrator; another is 404).
func (s Service) SetPCEWhitelist(ctx context.Context, p *access.Principal, partnerID int64, on bool) (err error) {
	defer apperr.Wrap(&err, "program.SetPCEWhitelist(%d)", partnerID)
	if _, err := p.Staff(); err != nil {
		return err
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		if _, err := (partner.Directory{DB: tx}).Get(ctx, p, partnerID); err != nil {
			return err
		}
		changed, err := partner.Store{DB: tx}.SetPCEWhitelisted(ctx, partnerID, on)
		if err != nil || !changed {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: s.now(), PartnerID: partnerID, Action: "program.pce_whitelist", ObjectType: "partner",
			ObjectID: partnerID, Before: map[string]any{"pce_whitelisted": !on}, After: map[string]any{"pce_whitelisted": on}})
	})
}

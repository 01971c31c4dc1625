package program

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/consumption"
	"partnercenter/internal/customer"
	"partnercenter/internal/identity"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
)

// Overview is 计划 > 华为云伙伴计划 of a partner: its memberships, the SP
// check list, and the applications behind them.
type Overview struct {
	Partner     *partner.Partner
	Memberships []Membership
	SP          *Eligibility
	PCE         *Eligibility // 合作伙伴共拓计划's check list
	// Applications are the SP applications by id (for their states).
	Applications map[int64]*approval.Application
	// Masters names the master distributors of reseller memberships.
	Masters map[int64]string
}

// Live is the partner's open or active membership of a program, or nil.
func (o *Overview) Live(program string) *Membership {
	for i := range o.Memberships {
		if m := &o.Memberships[i]; m.Program == program && m.Live() {
			return m
		}
	}
	return nil
}

// Overview reads the actor's tenant's programs.
func (s Service) Overview(ctx context.Context, p *access.Principal) (_ *Overview, err error) {
	defer apperr.Wrap(&err, "program.Overview")
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	store := partner.Store{DB: s.DB}
	pt, err := store.Get(ctx, pid)
	if err != nil {
		return nil, err
	}
	ids, err := store.IdentitiesOf(ctx, pid)
	if err != nil {
		return nil, err
	}
	ms, err := memberships(ctx, s.DB, pid)
	if err != nil {
		return nil, err
	}
	siblings, err := store.SameEntityWith(ctx, pid, SolutionProvider)
	if err != nil {
		return nil, err
	}
	o := &Overview{Partner: pt, Memberships: ms, SP: eligibilityOf(pt, ids, ms, siblings, 0), PCE: pceEligibility(pt, ids),
		Applications: map[int64]*approval.Application{},
		Masters:      map[int64]string{}}
	var appIDs, masters []int64
	for _, m := range ms {
		if m.ApplicationID != nil {
			appIDs = append(appIDs, *m.ApplicationID)
		}
		if m.ParentPartnerID != nil {
			masters = append(masters, *m.ParentPartnerID)
		}
	}
	if len(appIDs) > 0 {
		apps, err := approval.Engine{DB: s.DB, Clock: s.Clock}.ByIDs(ctx, pid, appIDs)
		if err != nil {
			return nil, err
		}
		o.Applications = apps
	}
	if o.Masters, err = (partner.Store{DB: s.DB}).Names(ctx, masters); err != nil {
		return nil, err
	}
	return o, nil
}

// Membership reads one membership of the actor's tenant (404 otherwise).
func (s Service) Membership(ctx context.Context, p *access.Principal, id int64) (_ *Membership, err error) {
	defer apperr.Wrap(&err, "program.Membership(%d)", id)
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	var m Membership
	if err := s.DB.WithContext(ctx).Where("id = ? AND partner_id = ?", id, pid).First(&m).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, apperr.NotFound()
		}
		return nil, err
	}
	return &m, nil
}

// Reseller is a row of 我的云经销商.
type Reseller struct {
	Membership
	Name        string
	Account     string // its main account's login name
	Customers   int64
	Consumption decimal.Decimal // this month's (China) charged amount
}

// InvitationRow is a row of 邀请记录.
type InvitationRow struct {
	Invitation
	State    string // shown state
	Accepted string // the accepting partner's name
}

// ResellerPage is 我的云经销商 with its 邀请记录.
type ResellerPage struct {
	Rows        []Reseller
	Invitations []InvitationRow
}

// Resellers reads the actor's tenant's (a master distributor's) cloud
// resellers, newest first, with their customers and this month's
// consumption from the rollups (ended memberships stay listed with their
// status), and its invitation links (at most 200, newest first).
func (s Service) Resellers(ctx context.Context, p *access.Principal) (_ *ResellerPage, err error) {
	defer apperr.Wrap(&err, "program.Resellers")
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	var ms []Membership
	if err := s.DB.WithContext(ctx).Where("parent_partner_id = ? AND program = ? AND status NOT IN ?", pid, CloudReseller,
		[]string{StateInvited}).Order("joined_at DESC NULLS LAST, id DESC").Find(&ms).Error; err != nil {
		return nil, err
	}
	var invs []Invitation
	if err := s.DB.WithContext(ctx).Where("master_partner_id = ?", pid).Order("id DESC").Limit(200).Find(&invs).Error; err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(ms)+len(invs))
	for _, m := range ms {
		ids = append(ids, m.PartnerID)
	}
	resellers := slices.Clone(ids)
	for _, inv := range invs {
		if inv.AcceptedPartnerID != nil {
			ids = append(ids, *inv.AcceptedPartnerID)
		}
	}
	names, err := partner.Store{DB: s.DB}.Names(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := &ResellerPage{Rows: make([]Reseller, len(ms)), Invitations: make([]InvitationRow, len(invs))}
	now := s.now()
	for i, inv := range invs {
		out.Invitations[i] = InvitationRow{Invitation: inv, State: inv.Shown(now)}
		if inv.AcceptedPartnerID != nil {
			out.Invitations[i].Accepted = names[*inv.AcceptedPartnerID]
		}
	}
	if len(ms) == 0 {
		return out, nil
	}
	mains, err := identity.Users{DB: s.DB}.MainAccounts(ctx, resellers)
	if err != nil {
		return nil, err
	}
	counts, err := customer.ActiveCounts(ctx, s.DB, resellers)
	if err != nil {
		return nil, err
	}
	local := now.In(clock.China)
	month := time.Date(local.Year(), local.Month(), 1, 0, 0, 0, 0, time.UTC)
	amounts, err := consumption.PeriodAmounts(ctx, s.DB, resellers, month)
	if err != nil {
		return nil, err
	}
	for i, m := range ms {
		out.Rows[i] = Reseller{Membership: m, Name: names[m.PartnerID], Customers: counts[m.PartnerID], Consumption: amounts[m.PartnerID]}
		if u := mains[m.PartnerID]; u != nil {
			out.Rows[i].Account = u.LoginName
		}
	}
	return out, nil
}

// PendingInvitation is the tenant's newest pending link still valid, or
// nil (the page shows it with its QR code).
func (s Service) PendingInvitation(ctx context.Context, p *access.Principal, id int64) (_ *Invitation, err error) {
	defer apperr.Wrap(&err, "program.PendingInvitation(%d)", id)
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	var inv Invitation
	if err := s.DB.WithContext(ctx).Where("id = ? AND master_partner_id = ?", id, pid).First(&inv).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, apperr.NotFound()
		}
		return nil, err
	}
	if inv.Shown(s.now()) != InvitePending {
		return nil, apperr.NotFound() // a used, revoked or expired link is not shown again
	}
	return &inv, nil
}

// VendorView is a partner's programs as vendor staff see them on
// /partners/:id.
type VendorView struct {
	Memberships []Membership
	Assessments map[int64][]Assessment // by membership id, newest year first
	Identities  []string
	// CanInviteMD reports a partner that may be invited as an MD.
	CanInviteMD bool
	// PCEWhitelisted is the vendor's PCE whitelist flag (§11.1.1.7).
	PCEWhitelisted bool
	Masters        map[int64]string
}

// ForPartner reads the programs of a partner vendor staff found in their
// directory (row: partner.Directory.Get with the actor, which scopes it).
func (s Service) ForPartner(ctx context.Context, p *access.Principal, row *partner.DirectoryRow) (_ *VendorView, err error) {
	defer apperr.Wrap(&err, "program.ForPartner(%d)", row.ID)
	if _, err := p.Staff(); err != nil {
		return nil, err
	}
	ms, err := memberships(ctx, s.DB, row.ID)
	if err != nil {
		return nil, err
	}
	v := &VendorView{Memberships: ms, Assessments: map[int64][]Assessment{}, Identities: splitIdentities(row.Identities)}
	if len(ms) > 0 {
		ids := make([]int64, len(ms))
		for i, m := range ms {
			ids[i] = m.ID
		}
		var as []Assessment
		if err := s.DB.WithContext(ctx).Where("membership_id IN ?", ids).Order("year DESC").Find(&as).Error; err != nil {
			return nil, err
		}
		for _, a := range as {
			v.Assessments[a.MembershipID] = append(v.Assessments[a.MembershipID], a)
		}
	}
	var masters []int64
	live := false
	for _, m := range ms {
		live = live || (m.Live() && m.Program != PCE)
		if m.ParentPartnerID != nil {
			masters = append(masters, *m.ParentPartnerID)
		}
	}
	if len(masters) > 0 {
		if v.Masters, err = (partner.Store{DB: s.DB}).Names(ctx, masters); err != nil {
			return nil, err
		}
	}
	others := slices.ContainsFunc(v.Identities, func(id string) bool { return id != PCE })
	v.CanInviteMD = row.Status == partner.StatusActive && !others && !live
	v.PCEWhitelisted = row.PCEWhitelisted
	return v, nil
}

func splitIdentities(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

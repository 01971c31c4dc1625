package program

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
)

// Programs (program_memberships.program); each is also the identity
// access reads.
const (
	SolutionProvider  = access.IdentitySolutionProvider
	MasterDistributor = access.IdentityMasterDistributor
	CloudReseller     = access.IdentityCloudReseller
)

// States of a membership.
const (
	StateApplied   = "applied"   // SP application with the reviewer (or returned to the applicant)
	StateInvited   = "invited"   // MD invitation waiting for the main account
	StateActive    = "active"    // 已加入
	StateRejected  = "rejected"  // SP application rejected
	StateWithdrawn = "withdrawn" // SP application withdrawn by the applicant
	StateDeclined  = "declined"  // MD invitation declined
	StateExpired   = "expired"   // 失效: certificate not renewed (§5.1.12)
	StateDelisted  = "delisted"  // 摘牌 (SP, §5.1.10)
	StateExited    = "exited"    // 退出, recorded by the vendor (§5.1.11, §5.2.7, §5.3.7)
)

// States lists the states in display order.
var States = []string{StateApplied, StateInvited, StateActive, StateRejected, StateWithdrawn, StateDeclined,
	StateExpired, StateDelisted, StateExited}

// MD types and region classes (§5.2, N43).
const (
	MDNational = "national"
	MDRegional = "regional"
)

// Membership is one row of program_memberships.
type Membership struct {
	ID              int64
	PartnerID       int64
	Program         string
	Status          string
	Level           string
	MDType          string `gorm:"column:md_type"`
	RegionClass     *int
	ParentPartnerID *int64
	ApplicationID   *int64
	InvitedBy       *int64
	InvitedAt       *time.Time
	JoinedAt        *time.Time
	ValidUntil      *time.Time
	CertificateNo   *string
	EndedAt         *time.Time
	EndedBy         *int64
	EndReason       string
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// TableName maps Membership to program_memberships.
func (Membership) TableName() string { return "program_memberships" }

// Live reports a membership that is open or active.
func (m *Membership) Live() bool {
	return m.Status == StateApplied || m.Status == StateInvited || m.Status == StateActive
}

// Assessment is the vendor's annual assessment of a membership.
type Assessment struct {
	MembershipID int64
	Year         int
	Passed       bool
	Note         string
	RecordedBy   *int64
	RecordedAt   time.Time
}

// TableName maps Assessment to program_assessments.
func (Assessment) TableName() string { return "program_assessments" }

// Service runs the programs.
type Service struct {
	DB    *gorm.DB
	Clock clock.Clock
}

func (s Service) now() time.Time { return s.Clock.Now().UTC() }

// validUntil is the certificate's first end: 31 January of the year
// after joining (China dates, inferred from §5.1.6).
func validUntil(joined time.Time) time.Time {
	y := joined.In(clock.China).Year()
	return time.Date(y+1, time.January, 31, 0, 0, 0, 0, time.UTC)
}

// certificateNo numbers a certificate: program letters, the year joined
// and the membership id.
func certificateNo(m *Membership, joined time.Time) string {
	prefix := map[string]string{SolutionProvider: "SP", MasterDistributor: "MD", CloudReseller: "CR"}[m.Program]
	return fmt.Sprintf("HWC-%s-%d-%06d", prefix, joined.In(clock.China).Year(), m.ID)
}

// activate turns a membership active now: joined, certificate numbered,
// valid to the next 31 January; the identity is added in the same
// transaction and the change audited.
func (s Service) activate(ctx context.Context, tx *gorm.DB, m *Membership, action string, extra map[string]any) error {
	now := s.now()
	vu := validUntil(now)
	no := certificateNo(m, now)
	upd := map[string]any{"status": StateActive, "joined_at": now, "valid_until": vu, "certificate_no": no, "updated_at": now}
	for k, v := range extra {
		upd[k] = v
	}
	if err := s.move(ctx, tx, m, upd, action); err != nil {
		return err
	}
	m.JoinedAt, m.ValidUntil, m.CertificateNo = &now, &vu, &no
	return partner.Store{DB: tx}.AddIdentity(ctx, m.PartnerID, m.Program, now)
}

// end closes an active membership (exit, delisting, expiry) and takes the
// identity away.
func (s Service) end(ctx context.Context, tx *gorm.DB, m *Membership, to string, by int64, reason, action string) error {
	upd := map[string]any{"status": to, "ended_at": s.now(), "end_reason": reason, "updated_at": s.now()}
	if by != 0 {
		upd["ended_by"] = by
	}
	if err := s.move(ctx, tx, m, upd, action); err != nil {
		return err
	}
	return partner.Store{DB: tx}.RemoveIdentity(ctx, m.PartnerID, m.Program)
}

// move changes a locked membership from the state it holds (the guard:
// a concurrent change hits no row) and writes the audit row.
func (s Service) move(ctx context.Context, tx *gorm.DB, m *Membership, upd map[string]any, action string) error {
	from := m.Status
	res := tx.WithContext(ctx).Model(&Membership{}).Where("id = ? AND status = ?", m.ID, from).Updates(upd)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return apperr.Conflict("program.err.changed")
	}
	if to, ok := upd["status"].(string); ok {
		m.Status = to
	}
	after := map[string]any{"status": m.Status, "program": m.Program}
	for _, k := range []string{"valid_until", "end_reason", "md_type", "region_class"} {
		if v, ok := upd[k]; ok {
			if t, isTime := v.(time.Time); isTime {
				v = t.Format(time.DateOnly)
			}
			after[k] = v
		}
	}
	return audit.Record(ctx, tx, audit.Change{At: s.now(), PartnerID: m.PartnerID, Action: "program." + action,
		ObjectType: "program_membership", ObjectID: m.ID, Before: map[string]any{"status": from}, After: after})
}

// lock locks a membership by id (and partner when partnerID is not 0).
func lock(ctx context.Context, tx *gorm.DB, id, partnerID int64) (*Membership, error) {
	q := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ?", id)
	if partnerID != 0 {
		q = q.Where("partner_id = ?", partnerID)
	}
	var m Membership
	if err := q.First(&m).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, apperr.NotFound()
		}
		return nil, err
	}
	return &m, nil
}

// memberships lists a partner's memberships, newest first.
func memberships(ctx context.Context, g *gorm.DB, partnerID int64) ([]Membership, error) {
	var ms []Membership
	err := g.WithContext(ctx).Where("partner_id = ?", partnerID).Order("id DESC").Find(&ms).Error
	return ms, err
}

// Active finds a partner's active membership of a program, or nil.
func Active(ctx context.Context, g *gorm.DB, partnerID int64, program string) (*Membership, error) {
	var ms []Membership
	err := g.WithContext(ctx).Where("partner_id = ? AND program = ? AND status = ?", partnerID, program, StateActive).
		Limit(1).Find(&ms).Error
	if err != nil || len(ms) == 0 {
		return nil, err
	}
	return &ms[0], nil
}

// ActiveMemberships lists the active memberships of the partners, by
// partner (the incentive policies' eligibility, §12.1.5.4).
func ActiveMemberships(ctx context.Context, g *gorm.DB, partnerIDs []int64) (map[int64][]Membership, error) {
	out := map[int64][]Membership{}
	if len(partnerIDs) == 0 {
		return out, nil
	}
	var ms []Membership
	if err := g.WithContext(ctx).Where("partner_id IN ? AND status = ?", partnerIDs, StateActive).Find(&ms).Error; err != nil {
		return nil, err
	}
	for _, m := range ms {
		out[m.PartnerID] = append(out[m.PartnerID], m)
	}
	return out, nil
}

// Lapses are the partners whose solution-provider and distribution
// identities have all ended, with when the last one ended: an incentive
// stays valid for a year after that (seed 003 §12.1.5.20, R37).
func Lapses(ctx context.Context, g *gorm.DB) (map[int64]time.Time, error) {
	var rows []struct {
		PartnerID int64
		EndedAt   time.Time
	}
	if err := g.WithContext(ctx).Raw(`SELECT partner_id, max(ended_at) AS ended_at FROM program_memberships m
		WHERE program IN ? AND status IN ? AND ended_at IS NOT NULL
		  AND NOT EXISTS (SELECT 1 FROM program_memberships l WHERE l.partner_id = m.partner_id AND l.program IN ? AND l.status = ?)
		GROUP BY partner_id`, []string{SolutionProvider, MasterDistributor}, []string{StateExpired, StateDelisted, StateExited},
		[]string{SolutionProvider, MasterDistributor}, StateActive).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[int64]time.Time, len(rows))
	for _, r := range rows {
		out[r.PartnerID] = r.EndedAt
	}
	return out, nil
}

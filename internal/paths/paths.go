package paths

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
	"partnercenter/internal/program"
)

// Paths (also the identities access reads).
const (
	PathSoftware = access.IdentitySoftware
	PathService  = access.IdentityService
	PathSI       = access.IdentitySI
	PathLearning = access.IdentityLearning
)

// All lists the paths in the seeds' order (§4.1–§4.3, 001:L15).
var All = access.PathIdentities

// Stages of a path.
const (
	StageJoined = "joined"         // 已加入
	StageRole   = "role_certified" // 角色认证
	StageDiff   = "differentiated" // 能力差异化
)

// Stages lists the stages in order.
var Stages = []string{StageJoined, StageRole, StageDiff}

// Enrollment states.
const (
	StatusActive = "active"
	StatusExited = "exited"
)

// Enrollment is one row of path_enrollments.
type Enrollment struct {
	ID             int64
	PartnerID      int64
	Path           string
	Stage          string
	Status         string
	JoinedAt       time.Time
	StageAt        time.Time
	CertificateNo  *string
	CertValidUntil *time.Time
	ExitedAt       *time.Time
	UpdatedAt      time.Time
}

// TableName maps Enrollment to path_enrollments.
func (Enrollment) TableName() string { return "path_enrollments" }

// Invitation is the vendor's whitelist (PathSI) or invitation (learning).
type Invitation struct {
	PartnerID int64
	Path      string
	InvitedBy *int64
	InvitedAt time.Time
}

// TableName maps Invitation to path_invitations.
func (Invitation) TableName() string { return "path_invitations" }

// Solution is a solution certification of the software path.
type Solution struct {
	ID         int64
	PartnerID  int64
	Name       string
	Kind       string // cloud_software | advanced
	ApprovedOn time.Time
	ValidUntil time.Time
	RecordedBy *int64
	CreatedAt  time.Time
}

// TableName maps Solution to solution_certifications.
func (Solution) TableName() string { return "solution_certifications" }

// Solution kinds (§4.1.4, §4.1.5).
const (
	KindCloudSoftware = "cloud_software" // 云软件认证
	KindAdvanced      = "advanced"       // 先进云软件认证
)

// Campaign is a December re-review campaign (§4.2.8).
type Campaign struct {
	ID       int64
	Year     int
	Deadline time.Time
	OpenedBy *int64
	OpenedAt time.Time
}

// TableName maps Campaign to path_campaigns.
func (Campaign) TableName() string { return "path_campaigns" }

// Service runs the development paths.
type Service struct {
	DB    *gorm.DB
	Clock clock.Clock
}

func (s Service) now() time.Time { return s.Clock.Now().UTC() }

// today is the China date as a UTC midnight (date columns).
func (s Service) today() time.Time { return clock.ChinaDate(s.now()) }

// certUntil is a stage certificate's end: 31 January of the next year (N16).
func certUntil(at time.Time) time.Time {
	return time.Date(at.In(clock.China).Year()+1, time.January, 31, 0, 0, 0, 0, time.UTC)
}

// live is the partner's active enrollment, locked when forUpdate, or nil.
func live(ctx context.Context, g *gorm.DB, partnerID int64, forUpdate bool) (*Enrollment, error) {
	q := g.WithContext(ctx).Where("partner_id = ? AND status = ?", partnerID, StatusActive)
	if forUpdate {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var es []Enrollment
	if err := q.Limit(1).Find(&es).Error; err != nil || len(es) == 0 {
		return nil, err
	}
	return &es[0], nil
}

// CertificateCounts are the certificates of a partner's linked persons
// that the service and SI stage checks count (§7.2.6: linked persons'
// certificates are shared with the partner; N13, N17–N19).
type CertificateCounts struct {
	Entry       int // HCCDA + HCIA
	Working     int // HCCDP + HCIP, and the higher HCCDE + HCIE
	HCSAPersons int // persons holding HCSA or HCSP
	Experts     int // persons with HCIP / HCCDP or higher
	HCIE        int // persons with HCIE / HCCDE
}

// CertificateSource counts a partner's certificates on a China date; the
// people package, which owns the certificates, registers it.
type CertificateSource func(ctx context.Context, g *gorm.DB, partnerID int64, today time.Time) (CertificateCounts, error)

var certSource CertificateSource

// RegisterCertificateSource sets the source of certificate counts.
func RegisterCertificateSource(f CertificateSource) {
	blockersMu.Lock()
	defer blockersMu.Unlock()
	certSource = f
}

// certificates are the partner's counts, nil without a source.
func certificates(ctx context.Context, g *gorm.DB, partnerID int64, today time.Time) (*CertificateCounts, error) {
	blockersMu.RLock()
	f := certSource
	blockersMu.RUnlock()
	if f == nil {
		return nil, nil
	}
	c, err := f(ctx, g, partnerID, today)
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// ExitBlocker reports whether a record of its owner keeps a partner in its
// path, with the catalog key of the seed's sentence (§4.4.2).
type ExitBlocker func(ctx context.Context, g *gorm.DB, partnerID int64) (key string, blocked bool, err error)

var (
	blockersMu sync.RWMutex
	blockers   []ExitBlocker
)

// RegisterExitBlocker adds a blocker; the packages that own test and exam
// vouchers, MDF, FH and delivery support register theirs (messages 6–10
// of §4.4.2, ErrExitTestVoucher …).
func RegisterExitBlocker(b ExitBlocker) {
	blockersMu.Lock()
	defer blockersMu.Unlock()
	blockers = append(blockers, b)
}

// The ten sentences of §4.4.2 (catalog keys).
const (
	ErrExitProgram       = "path.exit.program"
	ErrExitRole          = "path.exit.role"
	ErrExitDiff          = "path.exit.diff"
	ErrExitCloudSoftware = "path.exit.cloud_software"
	ErrExitAdvanced      = "path.exit.advanced"
	ErrExitTestVoucher   = "path.exit.test_voucher"
	ErrExitExamVoucher   = "path.exit.exam_voucher"
	ErrExitMDF           = "path.exit.mdf"
	ErrExitFH            = "path.exit.fh"
	ErrExitDelivery      = "path.exit.delivery"
)

// ownBlockers are the first five sentences: a program joined, a stage
// reached, a solution certification recorded.
func ownBlockers(e *Enrollment, identities []string, solutions []Solution) []string {
	var out []string
	if slices.ContainsFunc(identities, func(id string) bool {
		return id == access.IdentitySolutionProvider || id == access.IdentityMasterDistributor || id == access.IdentityCloudReseller
	}) {
		out = append(out, ErrExitProgram)
	}
	switch e.Stage {
	case StageRole:
		out = append(out, ErrExitRole)
	case StageDiff:
		out = append(out, ErrExitRole, ErrExitDiff)
	}
	has := func(kind string) bool {
		return slices.ContainsFunc(solutions, func(s Solution) bool { return s.Kind == kind })
	}
	if has(KindCloudSoftware) {
		out = append(out, ErrExitCloudSoftware)
	}
	if has(KindAdvanced) {
		out = append(out, ErrExitAdvanced)
	}
	return out
}

// registeredBlockers are the sentences the other packages' records add.
func registeredBlockers(ctx context.Context, g *gorm.DB, partnerID int64) ([]string, error) {
	blockersMu.RLock()
	bs := slices.Clone(blockers)
	blockersMu.RUnlock()
	var out []string
	for _, b := range bs {
		key, blocked, err := b(ctx, g, partnerID)
		if err != nil {
			return nil, err
		}
		if blocked {
			out = append(out, key)
		}
	}
	return out, nil
}

// exitBlockers lists every sentence that keeps the enrollment's account in
// its path, in the seed's order (its own first, then the registered).
func exitBlockers(ctx context.Context, g *gorm.DB, e *Enrollment) ([]string, error) {
	ids, err := partner.Store{DB: g}.IdentitiesOf(ctx, e.PartnerID)
	if err != nil {
		return nil, err
	}
	var sols []Solution
	if err := g.WithContext(ctx).Where("partner_id = ?", e.PartnerID).Find(&sols).Error; err != nil {
		return nil, err
	}
	more, err := registeredBlockers(ctx, g, e.PartnerID)
	return append(ownBlockers(e, ids, sols), more...), err
}

// Join enrolls the actor's tenant (its main account) in a path.
func (s Service) Join(ctx context.Context, p *access.Principal, path string) (err error) {
	defer apperr.Wrap(&err, "paths.Join(%s)", path)
	pid, err := p.Tenant()
	if err != nil {
		return err
	}
	if !p.IsMain {
		return apperr.Forbidden()
	}
	if !slices.Contains(All, path) {
		return apperr.FieldError("path", "path.err.path")
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		if err := (partner.Store{DB: tx}).Lock(ctx, pid, "UPDATE"); err != nil {
			return err
		}
		if refusal, err := joinRefusal(ctx, tx, pid, path); err != nil || refusal != "" {
			if err == nil {
				err = apperr.Conflict(refusal)
			}
			return err
		}
		now := s.now()
		e := Enrollment{PartnerID: pid, Path: path, Stage: StageJoined, Status: StatusActive, JoinedAt: now, StageAt: now, UpdatedAt: now}
		if err := tx.WithContext(ctx).Create(&e).Error; err != nil {
			return err
		}
		if err := (partner.Store{DB: tx}).AddIdentity(ctx, pid, path, now); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pid, Action: "path.join", ObjectType: "path_enrollment",
			ObjectID: e.ID, After: map[string]any{"path": path, "path_stage": StageJoined}}); err != nil {
			return err
		}
		if path == PathSoftware {
			return s.recompute(ctx, tx, &e)
		}
		return nil
	})
}

// joinState is what decides whether a partner may join a path.
type joinState struct {
	active      bool
	live        bool
	programOpen bool // a program application or invitation is open
	identities  []string
	invitations []string // paths it is invited to or whitelisted for
}

func loadJoinState(ctx context.Context, g *gorm.DB, partnerID int64) (*joinState, error) {
	e, err := live(ctx, g, partnerID, false)
	if err != nil {
		return nil, err
	}
	return loadJoinStateWith(ctx, g, partnerID, e != nil)
}

// loadJoinStateWith loads the rest of the state when whether the partner
// has a live enrollment is known.
func loadJoinStateWith(ctx context.Context, g *gorm.DB, partnerID int64, hasLive bool) (*joinState, error) {
	store := partner.Store{DB: g}
	pt, err := store.Get(ctx, partnerID)
	if err != nil {
		return nil, err
	}
	st := &joinState{active: pt.Status == partner.StatusActive, live: hasLive}
	if st.identities, err = store.IdentitiesOf(ctx, partnerID); err != nil {
		return nil, err
	}
	if st.programOpen, err = program.HasOpen(ctx, g, partnerID); err != nil {
		return nil, err
	}
	err = g.WithContext(ctx).Model(&Invitation{}).Where("partner_id = ?", partnerID).Pluck("path", &st.invitations).Error
	return st, err
}

// refusal is why the partner cannot join path now ("" when it can).
func (st *joinState) refusal(path string) string {
	switch {
	case !st.active:
		return "path.err.not_onboarded"
	case st.live:
		return "path.err.one_path"
	case slices.Contains(st.identities, access.IdentitySolutionProvider) || slices.Contains(st.identities, access.IdentityMasterDistributor):
		return "path.err.program"
	case st.programOpen:
		return "program.err.open_membership"
	case (path == PathSI || path == PathLearning) && !slices.Contains(st.invitations, path):
		return "path.err.invite_only." + path
	}
	return ""
}

// joinRefusal is why the partner cannot join path now ("" when it can).
func joinRefusal(ctx context.Context, g *gorm.DB, partnerID int64, path string) (string, error) {
	st, err := loadJoinState(ctx, g, partnerID)
	if err != nil {
		return "", err
	}
	return st.refusal(path), nil
}

// Exit takes the tenant out of its path (§4.4.2): refused with the first
// of the seed's sentences that applies.
func (s Service) Exit(ctx context.Context, p *access.Principal) (err error) {
	defer apperr.Wrap(&err, "paths.Exit")
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
		e, err := live(ctx, tx, pid, true)
		if err != nil {
			return err
		}
		if e == nil {
			return apperr.Conflict("path.err.no_path")
		}
		bs, err := exitBlockers(ctx, tx, e)
		if err != nil {
			return err
		}
		if len(bs) > 0 {
			return apperr.Conflict(bs[0])
		}
		now := s.now()
		if err := tx.WithContext(ctx).Model(&Enrollment{}).Where("id = ? AND status = ?", e.ID, StatusActive).
			Updates(map[string]any{"status": StatusExited, "exited_at": now, "updated_at": now}).Error; err != nil {
			return err
		}
		if err := (partner.Store{DB: tx}).RemoveIdentity(ctx, pid, e.Path); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pid, Action: "path.exit", ObjectType: "path_enrollment",
			ObjectID: e.ID, Before: map[string]any{"path": e.Path, "path_stage": e.Stage}, After: map[string]any{"status": StatusExited}})
	})
}

// setStage moves an enrollment to a stage: up issues a certificate valid
// to the next 31 January; joined keeps the old number for the history.
func (s Service) setStage(ctx context.Context, tx *gorm.DB, e *Enrollment, to, action string) error {
	if e.Stage == to {
		return nil
	}
	now := s.now()
	upd := map[string]any{"stage": to, "stage_at": now, "updated_at": now}
	if to != StageJoined {
		no := fmt.Sprintf("HWC-%s-%s-%d-%06d", map[string]string{PathSoftware: "SW", PathService: "SV", PathSI: "SI", PathLearning: "LE"}[e.Path],
			map[string]string{StageRole: "R", StageDiff: "D"}[to], now.In(clock.China).Year(), e.ID)
		upd["certificate_no"], upd["cert_valid_until"] = no, certUntil(now)
	}
	res := tx.WithContext(ctx).Model(&Enrollment{}).Where("id = ? AND stage = ? AND status = ?", e.ID, e.Stage, StatusActive).Updates(upd)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return apperr.Conflict("path.err.changed")
	}
	from := e.Stage
	e.Stage, e.StageAt = to, now
	after := map[string]any{"path_stage": to}
	if v, ok := upd["cert_valid_until"].(time.Time); ok {
		after["cert_valid_until"] = v.Format(time.DateOnly)
	}
	return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: e.PartnerID, Action: "path." + action, ObjectType: "path_enrollment",
		ObjectID: e.ID, Before: map[string]any{"path_stage": from}, After: after})
}

// recompute sets a software enrollment's stage from the solution
// certifications valid today (§4.1.1, §4.1.2, §4.1.7).
func (s Service) recompute(ctx context.Context, tx *gorm.DB, e *Enrollment) error {
	if e.Path != PathSoftware {
		return nil
	}
	var kinds []string
	if err := tx.WithContext(ctx).Model(&Solution{}).Where("partner_id = ? AND valid_until >= ?", e.PartnerID, s.today()).
		Distinct().Pluck("kind", &kinds).Error; err != nil {
		return err
	}
	to := StageJoined
	switch {
	case slices.Contains(kinds, KindAdvanced):
		to = StageDiff
	case slices.Contains(kinds, KindCloudSoftware):
		to = StageRole
	}
	return s.setStage(ctx, tx, e, to, "software_stage")
}

package paths

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/riverqueue/river"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/audit"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
)

// Invite puts a partner the staff actor may see (else 404) on the PathSI
// whitelist or invites it to the learning & enablement path.
func (s Service) Invite(ctx context.Context, p *access.Principal, partnerID int64, path string) (err error) {
	defer apperr.Wrap(&err, "paths.Invite(%d, %s)", partnerID, path)
	uid, err := p.Staff()
	if err != nil {
		return err
	}
	if _, err := (partner.Directory{DB: s.DB}).Get(ctx, p, partnerID); err != nil {
		return err
	}
	if path != PathSI && path != PathLearning {
		return apperr.FieldError("path", "path.err.path")
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		res := tx.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).
			Create(&Invitation{PartnerID: partnerID, Path: path, InvitedBy: &uid, InvitedAt: s.now()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return apperr.Conflict("path.err.invited_already")
		}
		return audit.Record(ctx, tx, audit.Change{At: s.now(), PartnerID: partnerID, Action: "path.invite", ObjectType: "partner",
			ObjectID: partnerID, After: map[string]any{"path": path}})
	})
}

// SolutionInput is a solution certification the vendor records.
type SolutionInput struct {
	Name       string
	Kind       string
	ApprovedOn string // YYYY-MM-DD (China date)
}

// RecordSolution records a partner's solution certification (记录方案认证,
// build-plan 1.D): valid one year from its approval (N11). A software
// enrollment's stage follows at once.
func (s Service) RecordSolution(ctx context.Context, p *access.Principal, partnerID int64, in SolutionInput) (err error) {
	defer apperr.Wrap(&err, "paths.RecordSolution(%d)", partnerID)
	uid, err := p.Staff()
	if err != nil {
		return err
	}
	if _, err := (partner.Directory{DB: s.DB}).Get(ctx, p, partnerID); err != nil {
		return err
	}
	f := apperr.Fields{}
	in.Name = strings.TrimSpace(in.Name)
	if n := utf8.RuneCountInString(in.Name); n == 0 || n > 100 {
		f.Add("name", "path.err.solution_name")
	}
	if in.Kind != KindCloudSoftware && in.Kind != KindAdvanced {
		f.Add("kind", "path.err.solution_kind")
	}
	approved, perr := time.Parse(time.DateOnly, strings.TrimSpace(in.ApprovedOn))
	if perr != nil || approved.After(s.today()) || approved.Before(s.today().AddDate(-1, 0, 0)) {
		f.Add("approved_on", "path.err.approved_on")
	}
	if err := f.Err(); err != nil {
		return err
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		if err := (partner.Store{DB: tx}).Lock(ctx, partnerID, "UPDATE"); err != nil {
			return err
		}
		sol := Solution{PartnerID: partnerID, Name: in.Name, Kind: in.Kind, ApprovedOn: approved, ValidUntil: approved.AddDate(1, 0, 0),
			RecordedBy: &uid, CreatedAt: s.now()}
		if err := tx.WithContext(ctx).Create(&sol).Error; err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Change{At: s.now(), PartnerID: partnerID, Action: "path.solution", ObjectType: "solution_certification",
			ObjectID: sol.ID, After: map[string]any{"name": sol.Name, "kind": sol.Kind, "valid_until": sol.ValidUntil.Format(time.DateOnly)}}); err != nil {
			return err
		}
		e, err := live(ctx, tx, partnerID, true)
		if err != nil || e == nil {
			return err
		}
		return s.recompute(ctx, tx, e)
	})
}

// OpenCampaign opens this year's re-review (§4.2.8: "每年12月份启动复核"):
// in December only, by the vendor administrator, with a deadline later
// that month.
func (s Service) OpenCampaign(ctx context.Context, p *access.Principal, deadline string) (err error) {
	defer apperr.Wrap(&err, "paths.OpenCampaign")
	uid, err := p.VendorAdmin()
	if err != nil {
		return err
	}
	d, perr := time.Parse(time.DateOnly, strings.TrimSpace(deadline))
	today := s.today()
	if perr != nil || today.Month() != time.December || d.Before(today) || d.Year() != today.Year() || d.Month() != time.December {
		return apperr.FieldError("deadline", "path.err.deadline")
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		c := Campaign{Year: today.Year(), Deadline: d, OpenedBy: &uid, OpenedAt: s.now()}
		res := tx.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&c)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return apperr.Conflict("path.err.campaign_open")
		}
		return audit.Record(ctx, tx, audit.Change{At: s.now(), Action: "path.campaign", ObjectType: "path_campaign", ObjectID: c.ID,
			After: map[string]any{"year": c.Year, "deadline": deadline}})
	})
}

// OpenCampaignNow is this year's campaign while its deadline has not
// passed, or nil.
func OpenCampaignNow(ctx context.Context, g *gorm.DB, today time.Time) (*Campaign, error) {
	var cs []Campaign
	err := g.WithContext(ctx).Where("year = ? AND deadline >= ?", today.Year(), today).Limit(1).Find(&cs).Error
	if err != nil || len(cs) == 0 {
		return nil, err
	}
	return &cs[0], nil
}

// Sweep is the daily work (China dates): a software enrollment whose
// stage differs from what its solution certifications valid today give
// moves to it, and a certified one whose certificate ended is renewed to
// the next 31 January while its solutions keep it; a service or SI
// certificate that ended unrenewed lapses to joined, unless its
// re-review is still being decided. It returns how many changed.
func (s Service) Sweep(ctx context.Context) (changed int, err error) {
	defer apperr.Wrap(&err, "paths.Sweep")
	today := s.today()
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		changed = 0
		var es []Enrollment
		// Only the rows that need a change, so a batch always progresses.
		if err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"}).
			Where(`status = ? AND (
				(path = ? AND (stage <> CASE
					WHEN EXISTS (SELECT 1 FROM solution_certifications sc WHERE sc.partner_id = path_enrollments.partner_id
						AND sc.kind = ? AND sc.valid_until >= ?) THEN ?
					WHEN EXISTS (SELECT 1 FROM solution_certifications sc WHERE sc.partner_id = path_enrollments.partner_id
						AND sc.valid_until >= ?) THEN ?
					ELSE ? END
				  OR (stage <> ? AND cert_valid_until < ?)))
				OR (path <> ? AND stage <> ? AND cert_valid_until < ?))`,
				StatusActive, PathSoftware, KindAdvanced, today, StageDiff, today, StageRole, StageJoined,
				StageJoined, today, PathSoftware, StageJoined, today).
			Order("id").Limit(2000).Find(&es).Error; err != nil {
			return err
		}
		// Which certificates are under re-review, for the whole batch.
		var pids []int64
		for _, e := range es {
			pids = append(pids, e.PartnerID)
		}
		underReview, err := approval.OpenFor(ctx, tx, pids, TypeRereview)
		if err != nil {
			return err
		}
		for i := range es {
			e := &es[i]
			before, until := e.Stage, e.CertValidUntil
			if e.Path == PathSoftware {
				if err := s.recompute(ctx, tx, e); err != nil {
					return err
				}
				if e.Stage == before && e.Stage != StageJoined && until != nil && until.Before(today) {
					if err := s.renew(ctx, tx, e, certUntil(s.now())); err != nil {
						return err
					}
				}
			} else {
				if underReview[e.PartnerID] {
					continue
				}
				if err := s.setStage(ctx, tx, e, StageJoined, "lapse"); err != nil {
					return err
				}
			}
			changed++
		}
		return nil
	})
	return changed, err
}

// SweepArgs is the daily path job.
type SweepArgs struct{}

// Kind names the job in River's table.
func (SweepArgs) Kind() string { return "path_sweep" }

// SweepWorker runs Sweep.
type SweepWorker struct {
	river.WorkerDefaults[SweepArgs]
	Service Service
}

// Work sweeps once at the service's clock.
func (w *SweepWorker) Work(ctx context.Context, _ *river.Job[SweepArgs]) error {
	_, err := w.Service.Sweep(ctx)
	return err
}

// AddWorkers registers the sweep's worker.
func AddWorkers(ws *river.Workers, s Service) { river.AddWorker(ws, &SweepWorker{Service: s}) }

// PeriodicJobs schedules the sweep every 6 hours, and once at start.
func PeriodicJobs() []*river.PeriodicJob {
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(6*time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return SweepArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true})}
}

package program

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/riverqueue/river"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/identity"
	"partnercenter/internal/notify"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
)

// Ends the vendor records.
const (
	EndExit   = "exit"   // 退出 (offline with the ecosystem manager)
	EndDelist = "delist" // 摘牌 (SP only, §5.1.10)
)

// vendorMembership locks a membership of a partner the staff actor may
// see (another's is 404).
func vendorMembership(ctx context.Context, tx *gorm.DB, p *access.Principal, id int64) (*Membership, error) {
	m, err := lock(ctx, tx, id, 0)
	if err != nil {
		return nil, err
	}
	if _, err := (partner.Directory{DB: tx}).Get(ctx, p, m.PartnerID); err != nil {
		return nil, err
	}
	return m, nil
}

// End records a partner's exit (any program) or delisting (SP) with the
// reason; the identity goes and the main account is told.
func (s Service) End(ctx context.Context, p *access.Principal, membershipID int64, kind, reason string) (err error) {
	defer apperr.Wrap(&err, "program.End(%d)", membershipID)
	uid, err := p.Staff()
	if err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	switch n := utf8.RuneCountInString(reason); {
	case n == 0:
		return apperr.FieldError("reason", "program.err.reason_required")
	case n > MaxNoteLen:
		return apperr.FieldError("reason", "program.err.reason_too_long")
	}
	if kind != EndExit && kind != EndDelist {
		return apperr.FieldError("kind", "program.err.end_kind")
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		m, err := vendorMembership(ctx, tx, p, membershipID)
		if err != nil {
			return err
		}
		if m.Status != StateActive {
			return apperr.Conflict("program.err.not_active")
		}
		to := StateExited
		if kind == EndDelist {
			if m.Program != SolutionProvider {
				return apperr.FieldError("kind", "program.err.delist_sp_only")
			}
			to = StateDelisted
		}
		if err := s.end(ctx, tx, m, to, uid, reason, kind); err != nil {
			return err
		}
		return s.tellMain(ctx, tx, m, "program.msg.ended", map[string]any{"ProgramKey": "program.name." + m.Program,
			"StateKey": "program.state." + to, "Reason": reason})
	})
}

// tellMain sends the partner's main account a 站内信 (keys prefix +
// ".subject"/".body").
func (s Service) tellMain(ctx context.Context, tx *gorm.DB, m *Membership, prefix string, params map[string]any) error {
	mains, err := identity.Users{DB: tx}.MainAccounts(ctx, []int64{m.PartnerID})
	if err != nil {
		return err
	}
	return s.tell(ctx, tx, m, mains[m.PartnerID], prefix, params)
}

// tell sends main (the partner's main account, nil for none) a 站内信.
func (s Service) tell(ctx context.Context, tx *gorm.DB, m *Membership, main *identity.User, prefix string, params map[string]any) error {
	if main == nil {
		return nil
	}
	return notify.Send(ctx, tx, notify.Note{To: main.ID, Partner: m.PartnerID, Subject: prefix + ".subject", Body: prefix + ".body",
		Params: params, Link: "/plans?tab=joined", At: s.now()})
}

// RecordAssessment records the annual assessment of an active membership
// for a year (the one before the current China year or earlier; once).
func (s Service) RecordAssessment(ctx context.Context, p *access.Principal, membershipID int64, year int, passed bool, note string) (err error) {
	defer apperr.Wrap(&err, "program.RecordAssessment(%d, %d)", membershipID, year)
	uid, err := p.Staff()
	if err != nil {
		return err
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > MaxNoteLen {
		return apperr.FieldError("note", "program.err.reason_too_long")
	}
	thisYear := s.now().In(clock.China).Year()
	if year < 2000 || year >= thisYear {
		return apperr.FieldError("year", "program.err.assessment_year")
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		m, err := vendorMembership(ctx, tx, p, membershipID)
		if err != nil {
			return err
		}
		if m.Status != StateActive {
			return apperr.Conflict("program.err.not_active")
		}
		if m.Program == CloudReseller {
			return apperr.Conflict("program.err.no_assessment")
		}
		a := Assessment{MembershipID: m.ID, Year: year, Passed: passed, Note: note, RecordedBy: &uid, RecordedAt: s.now()}
		res := tx.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&a)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return apperr.Conflict("program.err.assessment_recorded")
		}
		return audit.Record(ctx, tx, audit.Change{At: s.now(), PartnerID: m.PartnerID, Action: "program.assessment", ObjectType: "program_membership",
			ObjectID: m.ID, After: map[string]any{"year": year, "passed": passed, "note": note}})
	})
}

// Renew runs the yearly renewal (§5.1.6, §5.2.4): every active SP or MD
// membership whose certificate ended before today (China) is renewed by
// one year when the assessment of the year before its end passed, else it
// expires (失效, §5.1.12) and the identity goes. Cloud resellers have no
// assessment (§5.3.2) and are renewed. It returns the counts.
func (s Service) Renew(ctx context.Context) (renewed, expired int, err error) {
	defer apperr.Wrap(&err, "program.Renew")
	today := clock.ChinaDate(s.now())
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		renewed, expired = 0, 0
		var due []Membership
		if err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"}).
			Where("status = ? AND valid_until < ?", StateActive, today.Format(time.DateOnly)).Order("id").Limit(1000).
			Find(&due).Error; err != nil {
			return err
		}
		// The passed assessments and the main accounts of the batch, at once.
		ids, pids := make([]int64, len(due)), make([]int64, len(due))
		for i, m := range due {
			ids[i], pids[i] = m.ID, m.PartnerID
		}
		var passedRows []Assessment
		if err := tx.WithContext(ctx).Where("membership_id IN ? AND passed", append(ids, 0)).Find(&passedRows).Error; err != nil {
			return err
		}
		passedIn := map[[2]int64]bool{}
		for _, a := range passedRows {
			passedIn[[2]int64{a.MembershipID, int64(a.Year)}] = true
		}
		mains, err := identity.Users{DB: tx}.MainAccounts(ctx, pids)
		if err != nil {
			return err
		}
		for i := range due {
			m := &due[i]
			year := m.ValidUntil.Year() - 1
			passed := m.Program == CloudReseller || passedIn[[2]int64{m.ID, int64(year)}]
			if passed {
				next := m.ValidUntil.AddDate(1, 0, 0)
				if err := s.move(ctx, tx, m, map[string]any{"valid_until": next, "updated_at": s.now()}, "renew"); err != nil {
					return err
				}
				if err := s.tell(ctx, tx, m, mains[m.PartnerID], "program.msg.renewed", map[string]any{"ProgramKey": "program.name." + m.Program,
					"Until": next.Format(time.DateOnly)}); err != nil {
					return err
				}
				renewed++
				continue
			}
			if err := s.end(ctx, tx, m, StateExpired, 0, "assessment", "expire"); err != nil {
				return err
			}
			if err := s.tell(ctx, tx, m, mains[m.PartnerID], "program.msg.expired", map[string]any{"ProgramKey": "program.name." + m.Program}); err != nil {
				return err
			}
			expired++
		}
		return nil
	})
	return renewed, expired, err
}

// RenewArgs is the daily renewal job.
type RenewArgs struct{}

// Kind names the job in River's table.
func (RenewArgs) Kind() string { return "program_renewal" }

// RenewWorker runs Renew.
type RenewWorker struct {
	river.WorkerDefaults[RenewArgs]
	Service Service
}

// Work renews once at the service's clock.
func (w *RenewWorker) Work(ctx context.Context, _ *river.Job[RenewArgs]) error {
	_, _, err := w.Service.Renew(ctx)
	return err
}

// RenewEvery is how often the renewal looks (it acts once a day's
// certificates have ended).
const RenewEvery = 6 * time.Hour

// AddWorkers registers the renewal's worker.
func AddWorkers(ws *river.Workers, s Service) { river.AddWorker(ws, &RenewWorker{Service: s}) }

// PeriodicJobs schedules the renewal every RenewEvery, and once at start.
func PeriodicJobs() []*river.PeriodicJob {
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(RenewEvery),
		func() (river.JobArgs, *river.InsertOpts) { return RenewArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true})}
}

package opportunity

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/riverqueue/river"
	"github.com/shopspring/decimal"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/audit"
	"partnercenter/internal/events"
	"partnercenter/internal/identity"
	"partnercenter/internal/notify"
	"partnercenter/internal/outbox"
	"partnercenter/internal/partner"
	"partnercenter/internal/paths"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
)

// States of an HO (§11.1.3.3–5).
const (
	HOPending   = "pending"   // 待接受
	HOAccepted  = "accepted"  // 已接受
	HORejected  = "rejected"  // 已拒绝
	HOExpired   = "expired"   // 逾期失效
	HOWithdrawn = "withdrawn" // 已撤回 (the vendor, after a mistaken acceptance)
)

// HOStates lists them in display order.
var HOStates = []string{HOPending, HOAccepted, HORejected, HOExpired, HOWithdrawn}

// HODays is the working days a partner has to accept or reject an HO
// (§11.1.3.3–4, R8).
const HODays = 3

// Event types of HOs (build-plan 5.F).
const (
	EventHOShared = "opportunity.ho.shared"
	EventHOStatus = "opportunity.ho.status"
)

// HO is a row of ho_opportunities: an opportunity the vendor shares.
type HO struct {
	ID                 int64
	PartnerID          int64
	No                 string
	Status             string
	CustomerName       string
	CustomerKey        string
	CustomerCreditCode string
	Industry           string
	Requirement        string
	Budget             decimal.Decimal
	PurchaseOn         time.Time
	Description        string
	CustomerOwner      string
	CRMCreatedAt       time.Time `gorm:"column:crm_created_at"` // the HO's validity (§11.1.2.9)
	SharedBy           *int64
	SharedAt           time.Time
	DueAt              time.Time
	DecidedBy          *int64
	DecidedAt          *time.Time
	RejectReason       string
	WithdrawnBy        *int64
	WithdrawReason     string
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// TableName maps HO to ho_opportunities.
func (HO) TableName() string { return "ho_opportunities" }

// Overdue reports a pending HO past its due time (the job has not run yet).
func (h *HO) Overdue(now time.Time) bool { return h.Status == HOPending && now.After(h.DueAt) }

// Offering is a row of partner_offerings: an Offering built jointly with
// the vendor (§11.1.3.2 (2)).
type Offering struct {
	ID        int64
	PartnerID int64
	Name      string
	Lead      string // huawei | partner
	CreatedBy *int64
	CreatedAt time.Time
}

// TableName maps Offering to partner_offerings.
func (Offering) TableName() string { return "partner_offerings" }

// Leads of a jointly built Offering (build-plan 5.B).
var Leads = []string{"huawei", "partner"}

// HOInput is the vendor's share form.
type HOInput struct {
	CustomerName, CustomerCreditCode, Industry, Requirement, Budget, PurchaseOn, Description, CustomerOwner, CRMCreatedAt string
}

// parse validates the share form against now: the CRM creation time is
// not in the future and the purchase within a year (R1).
func (in HOInput) parse(now time.Time) (HO, error) {
	f := apperr.Fields{}
	n := parseNeed(f, in.CustomerName, in.CustomerCreditCode, in.Industry, in.Requirement, in.Budget, in.PurchaseOn, now)
	h := HO{CustomerName: n.CustomerName, CustomerKey: n.CustomerKey, CustomerCreditCode: n.CustomerCreditCode, Industry: n.Industry,
		Requirement: n.Requirement, Budget: n.Budget, PurchaseOn: n.PurchaseOn,
		Description:   text(f, "description", in.Description, 1000, false),
		CustomerOwner: text(f, "customer_owner", in.CustomerOwner, 50, true)}
	at, perr := time.ParseInLocation("2006-01-02T15:04", strings.TrimSpace(in.CRMCreatedAt), clock.China)
	switch {
	case perr != nil:
		f.Add("crm_created_at", "opportunity.err.datetime")
	case at.After(now):
		f.Add("crm_created_at", "opportunity.err.crm_future")
	}
	h.CRMCreatedAt = at.UTC()
	return h, f.Err()
}

// HOEligibility is a partner's check list for receiving HOs.
type HOEligibility struct {
	PartnerID   int64
	PartnerName string
	Checks      []approval.CheckResult // the seeds' other rule (001:L9) is an info line
	Offerings   []Offering
}

// Eligible reports no check failed.
func (e *HOEligibility) Eligible() bool {
	for _, c := range e.Checks {
		if c.Outcome == approval.CheckFail {
			return false
		}
	}
	return true
}

func hoCheck(name string, ok bool, args map[string]any) approval.CheckResult {
	c := approval.CheckResult{Name: name, Outcome: approval.CheckPass, Message: name + ".pass", Args: args}
	if !ok {
		c.Outcome, c.Message = approval.CheckFail, name+".fail"
	}
	return c
}

// hoEligibility checks a partner (§11.1.3.2): in 合作伙伴共拓计划, on a
// development path at 角色认证 or 能力差异化, with a jointly built Offering.
// The snippet's rule (001:L9: 差异化, or 已认证 with 3 POs signed and
// delivered in the last 12 months) is shown as information.
func hoEligibility(ctx context.Context, g *gorm.DB, row *partner.DirectoryRow, now time.Time) (*HOEligibility, error) {
	pid := row.ID
	e := &HOEligibility{PartnerID: pid, PartnerName: row.Name}
	pce := slices.Contains(strings.Split(row.Identities, ","), access.IdentityPCE)
	e.Checks = append(e.Checks, hoCheck("opportunity.ho.check.pce", pce, nil))
	en, err := paths.LiveOf(ctx, g, pid)
	if err != nil {
		return nil, err
	}
	stage, path := "", ""
	if en != nil {
		stage, path = en.Stage, en.Path
	}
	args := map[string]any{"Path": "-", "Stage": "-"}
	if en != nil {
		args = map[string]any{"PathKey": "identity." + path, "StageKey": "path.stage." + stage}
	}
	e.Checks = append(e.Checks, hoCheck("opportunity.ho.check.stage", stage == paths.StageRole || stage == paths.StageDiff, args))
	if err := g.WithContext(ctx).Where("partner_id = ?", pid).Order("created_at, id").Find(&e.Offerings).Error; err != nil {
		return nil, err
	}
	e.Checks = append(e.Checks, hoCheck("opportunity.ho.check.offering", len(e.Offerings) > 0, map[string]any{"Count": len(e.Offerings)}))
	var won int64
	if err := g.WithContext(ctx).Model(&Opportunity{}).Where("partner_id = ? AND status = ? AND closed_at >= ?", pid, StateWon,
		now.AddDate(-1, 0, 0)).Count(&won).Error; err != nil {
		return nil, err
	}
	info := hoCheck("opportunity.ho.check.snippet", stage == paths.StageDiff || (stage == paths.StageRole && won >= 3), map[string]any{"Won": won})
	info.Outcome = approval.CheckInfo
	e.Checks = append(e.Checks, info)
	return e, nil
}

// ErrHONotEligible refuses sharing with a partner the check list fails.
const ErrHONotEligible = "opportunity.err.ho_not_eligible"

// HOEligibilityOf is the check list of a partner the staff member may see
// (its ecosystem manager, the vendor administrator; another is 404).
func (s Service) HOEligibilityOf(ctx context.Context, p *access.Principal, partnerID int64) (_ *HOEligibility, err error) {
	defer apperr.Wrap(&err, "opportunity.HOEligibilityOf(%d)", partnerID)
	if _, err := p.Staff(); err != nil {
		return nil, err
	}
	row, err := (partner.Directory{DB: s.DB}).Get(ctx, p, partnerID)
	if err != nil {
		return nil, err
	}
	return hoEligibility(ctx, s.DB, row, s.now())
}

// nextHONo numbers the day's HOs (HO-YYYYMMDD-NNNN), under a lock.
func nextHONo(ctx context.Context, tx *gorm.DB, now time.Time) (string, error) {
	if err := tx.WithContext(ctx).Exec(`SELECT pg_advisory_xact_lock(hashtext('ho_no'))`).Error; err != nil {
		return "", err
	}
	prefix := "HO-" + now.In(clock.China).Format("20060102") + "-"
	var n int64
	if err := tx.WithContext(ctx).Model(&HO{}).Where("no LIKE ?", prefix+"%").Count(&n).Error; err != nil {
		return "", err
	}
	return fmt.Sprintf("%s%04d", prefix, n+1), nil
}

// Share is the ecosystem manager's 共享机会点: to an eligible partner it
// may see, due at the end of the third working day (China time), the
// partner's main account told (§11.1.3.3).
func (s Service) Share(ctx context.Context, p *access.Principal, partnerID int64, in HOInput) (_ *HO, err error) {
	defer apperr.Wrap(&err, "opportunity.Share(%d)", partnerID)
	uid, err := p.Staff()
	if err != nil {
		return nil, err
	}
	now := s.now()
	h, err := in.parse(now)
	if err != nil {
		return nil, err
	}
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		// A partner the staff member may see (else 404), then one share at a
		// time per partner, its check list read under the lock.
		if _, err := (partner.Directory{DB: tx}).Get(ctx, p, partnerID); err != nil {
			return err
		}
		if err := (partner.Store{DB: tx}).Lock(ctx, partnerID, "NO KEY UPDATE"); err != nil {
			return err
		}
		row, err := (partner.Directory{DB: tx}).Get(ctx, p, partnerID)
		if err != nil {
			return err
		}
		el, err := hoEligibility(ctx, tx, row, now)
		if err != nil {
			return err
		}
		if !el.Eligible() {
			return apperr.Conflict(ErrHONotEligible)
		}
		cal, err := approval.LoadCalendar(ctx, tx, now)
		if err != nil {
			return err
		}
		if h.No, err = nextHONo(ctx, tx, now); err != nil {
			return err
		}
		h.PartnerID, h.Status, h.SharedBy, h.SharedAt, h.CreatedAt, h.UpdatedAt = partnerID, HOPending, &uid, now, now, now
		h.DueAt = cal.AddWorkingDays(now, HODays)
		if err := tx.WithContext(ctx).Create(&h).Error; err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Change{At: now, PartnerID: partnerID, Action: "opportunity.ho_shared", ObjectType: "ho_opportunity",
			ObjectID: h.ID, After: map[string]any{"no": h.No, "status": HOPending, "customer_name": h.CustomerName}}); err != nil {
			return err
		}
		if err := events.Record(ctx, tx, partnerID, EventHOShared, now, hoEventData(&h)); err != nil {
			return err
		}
		return tellPartner(ctx, tx, &h, "opportunity.msg.ho_shared", now)
	})
	if err != nil {
		return nil, err
	}
	return &h, nil
}

func hoEventData(h *HO) map[string]any {
	return map[string]any{"no": h.No, "status": h.Status, "customer_name": h.CustomerName, "due_at": h.DueAt.Format(time.RFC3339)}
}

// tellPartner tells the partner's main account of an HO: 站内信, and by
// SMS and e-mail as its 消息接收设置 allow (§11.1.3.3).
func tellPartner(ctx context.Context, tx *gorm.DB, h *HO, key string, at time.Time) error {
	main, err := (identity.Users{DB: tx}).MainAccountID(ctx, h.PartnerID)
	if err != nil {
		return err
	}
	return tell(ctx, tx, main, h.PartnerID, h, key, fmt.Sprintf("/opportunities/ho/%d", h.ID), at)
}

// tellSharer tells the staff member who shared an HO of the partner's
// decision or its expiry.
func tellSharer(ctx context.Context, tx *gorm.DB, h *HO, key string, at time.Time) error {
	if h.SharedBy == nil {
		return nil
	}
	return tell(ctx, tx, *h.SharedBy, 0, h, key, fmt.Sprintf("/partners/opportunities/ho/%d", h.ID), at)
}

func tell(ctx context.Context, tx *gorm.DB, to, partnerID int64, h *HO, key, link string, at time.Time) error {
	params := map[string]any{"No": h.No, "Customer": h.CustomerName, "DueAt": h.DueAt.Format(time.RFC3339), "Reason": h.RejectReason}
	if err := notify.Send(ctx, tx, notify.Note{To: to, Partner: partnerID, Subject: key + ".subject", Body: key + ".body", At: at,
		Params: params, Link: link}); err != nil {
		return err
	}
	params["Link"] = link
	return outbox.Announce(ctx, tx, to, outbox.Note{Template: key, Params: params, Partner: partnerID, At: at})
}

// moveHO changes a locked HO's state with its audit row and event.
func moveHO(ctx context.Context, tx *gorm.DB, h *HO, to string, upd map[string]any, at time.Time, action string) error {
	upd["status"], upd["updated_at"] = to, at
	res := tx.WithContext(ctx).Model(&HO{}).Where("id = ? AND status = ?", h.ID, h.Status).Updates(upd)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return apperr.Conflict("opportunity.err.state")
	}
	from := h.Status
	h.Status = to
	after := map[string]any{"status": to}
	for _, k := range []string{"reject_reason", "withdraw_reason"} {
		if v, ok := upd[k]; ok {
			after[k] = v
		}
	}
	if err := audit.Record(ctx, tx, audit.Change{At: at, PartnerID: h.PartnerID, Action: action, ObjectType: "ho_opportunity", ObjectID: h.ID,
		Before: map[string]any{"status": from}, After: after}); err != nil {
		return err
	}
	return events.Record(ctx, tx, h.PartnerID, EventHOStatus, at, hoEventData(h))
}

// lockOwnHO locks one of the partner's HOs (another's is 404).
func lockOwnHO(ctx context.Context, tx *gorm.DB, pid, id int64) (*HO, error) {
	var h HO
	if err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ? AND partner_id = ?", id, pid).First(&h).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, apperr.NotFound()
		}
		return nil, err
	}
	return &h, nil
}

// ErrHOOverdue refuses a decision after the third working day (逾期失效).
const ErrHOOverdue = "opportunity.err.ho_overdue"

// decide is the partner's 接受 or 拒绝 of a pending HO before it is due.
func (s Service) decide(ctx context.Context, p *access.Principal, id int64, to, reason string) error {
	pid, err := tenant(p)
	if err != nil {
		return err
	}
	uid, err := p.Self()
	if err != nil {
		return err
	}
	now := s.now()
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		h, err := lockOwnHO(ctx, tx, pid, id)
		if err != nil {
			return err
		}
		if h.Overdue(now) {
			return apperr.Conflict(ErrHOOverdue, map[string]any{"Due": h.DueAt.In(clock.China).Format("2006-01-02 15:04")})
		}
		if h.Status != HOPending {
			return apperr.Conflict("opportunity.err.state")
		}
		upd := map[string]any{"decided_by": uid, "decided_at": now}
		action, key := "opportunity.ho_accepted", "opportunity.msg.ho_accepted"
		if to == HORejected {
			upd["reject_reason"], h.RejectReason = reason, reason
			action, key = "opportunity.ho_rejected", "opportunity.msg.ho_rejected"
		}
		if err := moveHO(ctx, tx, h, to, upd, now, action); err != nil {
			return err
		}
		return tellSharer(ctx, tx, h, key, now)
	})
}

// Accept is the partner's 接受 within three working days (§11.1.3.4):
// partner and vendor then work the opportunity together.
func (s Service) Accept(ctx context.Context, p *access.Principal, id int64) (err error) {
	defer apperr.Wrap(&err, "opportunity.Accept(%d)", id)
	return s.decide(ctx, p, id, HOAccepted, "")
}

// Reject is the partner's 拒绝 with a reason, within three working days.
func (s Service) Reject(ctx context.Context, p *access.Principal, id int64, reason string) (err error) {
	defer apperr.Wrap(&err, "opportunity.Reject(%d)", id)
	reason = strings.TrimSpace(reason)
	switch n := utf8.RuneCountInString(reason); {
	case n == 0:
		return apperr.FieldError("reject_reason", "opportunity.err.reject_reason")
	case n > 500:
		return apperr.FieldError("reject_reason", "opportunity.err.too_long")
	}
	return s.decide(ctx, p, id, HORejected, reason)
}

// Withdraw is the vendor's 撤回 of an accepted HO, at the partner's
// request after a mistaken acceptance (§11.1.3.5); the partner cannot.
func (s Service) Withdraw(ctx context.Context, p *access.Principal, id int64, reason string) (err error) {
	defer apperr.Wrap(&err, "opportunity.Withdraw(%d)", id)
	uid, err := p.Staff()
	if err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	switch n := utf8.RuneCountInString(reason); {
	case n == 0:
		return apperr.FieldError("withdraw_reason", "opportunity.err.withdraw_reason")
	case n > 500:
		return apperr.FieldError("withdraw_reason", "opportunity.err.too_long")
	}
	now := s.now()
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		var h HO
		if err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ?", id).First(&h).Error; err != nil {
			if db.IsNotFound(err) {
				return apperr.NotFound()
			}
			return err
		}
		if _, err := (partner.Directory{DB: tx}).Get(ctx, p, h.PartnerID); err != nil {
			return err
		}
		if h.Status != HOAccepted {
			return apperr.Conflict("opportunity.err.ho_not_accepted")
		}
		if err := moveHO(ctx, tx, &h, HOWithdrawn, map[string]any{"withdrawn_by": uid, "withdraw_reason": reason}, now,
			"opportunity.ho_withdrawn"); err != nil {
			return err
		}
		return tellPartner(ctx, tx, &h, "opportunity.msg.ho_withdrawn", now)
	})
}

// Expire turns the pending HOs past their due time into 逾期失效 (R8), one
// transaction each, skipping rows a decision holds; it returns how many.
func (s Service) Expire(ctx context.Context) (n int, err error) {
	defer apperr.Wrap(&err, "opportunity.Expire")
	now := s.now()
	for {
		done := false
		err := db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
			var h HO
			res := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"}).
				Where("status = ? AND due_at < ?", HOPending, now).Order("due_at, id").Limit(1).Find(&h)
			if res.Error != nil || res.RowsAffected == 0 {
				done = true
				return res.Error
			}
			if err := moveHO(ctx, tx, &h, HOExpired, map[string]any{"decided_at": now}, now, "opportunity.ho_expired"); err != nil {
				return err
			}
			if err := tellPartner(ctx, tx, &h, "opportunity.msg.ho_expired", now); err != nil {
				return err
			}
			return tellSharer(ctx, tx, &h, "opportunity.msg.ho_expired_vendor", now)
		})
		if err != nil {
			return n, err
		}
		if done {
			return n, nil
		}
		n++
	}
}

// SweepArgs is the periodic job that expires overdue HOs and warns of
// POs whose protection is about to end.
type SweepArgs struct{}

// Kind names the job.
func (SweepArgs) Kind() string { return "opportunity_sweep" }

// SweepWorker runs Expire and WarnExpiring.
type SweepWorker struct {
	river.WorkerDefaults[SweepArgs]
	Service Service
}

// Work expires the overdue HOs and sends the protection warnings.
func (w *SweepWorker) Work(ctx context.Context, _ *river.Job[SweepArgs]) error {
	if _, err := w.Service.Expire(ctx); err != nil {
		return err
	}
	_, err := w.Service.WarnExpiring(ctx)
	return err
}

// AddWorkers registers the package's workers.
func AddWorkers(ws *river.Workers, s Service) { river.AddWorker(ws, &SweepWorker{Service: s}) }

// PeriodicJobs sweeps every five minutes (and at start): a partner sees
// 逾期失效 minutes after its third working day ends.
func PeriodicJobs() []*river.PeriodicJob {
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(5*time.Minute),
		func() (river.JobArgs, *river.InsertOpts) { return SweepArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true})}
}

// AddOffering records an Offering built jointly with a partner the staff
// member may see.
func (s Service) AddOffering(ctx context.Context, p *access.Principal, partnerID int64, name, lead string) (err error) {
	defer apperr.Wrap(&err, "opportunity.AddOffering(%d)", partnerID)
	uid, err := p.Staff()
	if err != nil {
		return err
	}
	name = strings.TrimSpace(name)
	f := apperr.Fields{}
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		f.Add("offering_name", "opportunity.err.required")
	case n > 100:
		f.Add("offering_name", "opportunity.err.too_long")
	}
	if lead != Leads[0] && lead != Leads[1] {
		f.Add("offering_lead", "opportunity.err.lead")
	}
	if err := f.Err(); err != nil {
		return err
	}
	now := s.now()
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		if _, err := (partner.Directory{DB: tx}).Get(ctx, p, partnerID); err != nil {
			return err
		}
		o := Offering{PartnerID: partnerID, Name: name, Lead: lead, CreatedBy: &uid, CreatedAt: now}
		res := tx.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&o)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return apperr.FieldError("offering_name", "opportunity.err.offering_exists")
		}
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: partnerID, Action: "opportunity.offering_added", ObjectType: "partner_offering",
			ObjectID: o.ID, After: map[string]any{"name": name, "lead": lead}})
	})
}

// RemoveOffering deletes one of a partner's jointly built Offerings.
func (s Service) RemoveOffering(ctx context.Context, p *access.Principal, partnerID, id int64) (err error) {
	defer apperr.Wrap(&err, "opportunity.RemoveOffering(%d)", id)
	if _, err := p.Staff(); err != nil {
		return err
	}
	now := s.now()
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		if _, err := (partner.Directory{DB: tx}).Get(ctx, p, partnerID); err != nil {
			return err
		}
		var o Offering
		if err := tx.WithContext(ctx).Clauses(clause.Returning{}).Where("id = ? AND partner_id = ?", id, partnerID).Delete(&o).Error; err != nil {
			return err
		}
		if o.ID == 0 {
			return apperr.NotFound()
		}
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: partnerID, Action: "opportunity.offering_removed", ObjectType: "partner_offering",
			ObjectID: o.ID, Before: map[string]any{"name": o.Name, "lead": o.Lead}})
	})
}

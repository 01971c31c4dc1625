package benefit

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
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
	"partnercenter/internal/notify"
	"partnercenter/internal/outbox"
	"partnercenter/internal/paths"
	"partnercenter/internal/people"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
)

// Benefits issued to persons (§10.3, §10.4).
const (
	TypeExamVoucher = "exam_voucher" // 考试券
	TypeCloudLab    = "cloud_lab"    // 云实验 (KooLabs points)
)

// Approval types of the two.
const (
	ApprovalExamVoucher = "benefit_exam_voucher"
	ApprovalCloudLab    = "benefit_cloud_lab"
)

// PersonTypes are the benefits whose cap counts vouchers or points, not
// yuan.
var PersonTypes = []string{TypeExamVoucher, TypeCloudLab}

// Counted reports a benefit type whose amounts are counts.
func Counted(typ string) bool { return slices.Contains(PersonTypes, typ) }

// Exams of an exam voucher: HCCDX (developer, redeemed in the console)
// and HCIX (career, redeemed with the Uniportal account) (§10.3.3).
var (
	HCCDX = []string{"HCCDA", "HCCDP", "HCCDE"}
	HCIX  = []string{"HCIA", "HCIP", "HCIE"}
)

// Validity of person vouchers (§10.3.9, §10.4.5; N39–N41).
const (
	RedeemDays    = 7 // HCCDX and lab points: redeem within 7 natural days
	ValidAfterUse = 1 // years after redemption
)

// MaxLabPoints bounds the points per person of one application.
const MaxLabPoints = 10000

// States of a person voucher.
const (
	PVIssued   = "issued"   // 待兑换
	PVRedeemed = "redeemed" // 已兑换
	PVExpired  = "expired"  // 已过期
)

// PersonVoucher is a row of person_vouchers.
type PersonVoucher struct {
	ID            int64
	No            string
	ApplicationID int64
	PartnerID     int64
	PersonID      int64
	Kind          string // exam | lab
	Exam          string
	Uniportal     string
	Points        int
	Status        string
	IssuedAt      time.Time
	RedeemBy      *time.Time
	RedeemedAt    *time.Time
	ValidUntil    *time.Time
}

// TableName maps PersonVoucher to person_vouchers.
func (PersonVoucher) TableName() string { return "person_vouchers" }

// StatusAt is the voucher's state at now: unredeemed past its day reads
// 已过期 before the sweep marks it.
func (v PersonVoucher) StatusAt(now time.Time) string {
	if v.Status == PVIssued && v.RedeemBy != nil && !now.Before(*v.RedeemBy) {
		return PVExpired
	}
	return v.Status
}

// PersonRef is a person named in an application.
type PersonRef struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Tenant    string `json:"tenant"`
	Uniportal string `json:"uniportal,omitempty"`
}

// PersonsInput is the 考试券 or 云实验 form: the persons (linked, with a
// bound e-mail — others are not selectable, §10.3.5), the exam (考试券) or
// the points per person (云实验), and the reason.
type PersonsInput struct {
	Exam    string
	Points  string
	Persons []string
	Reason  string
}

// Eligible is a linked person as the form offers it: selectable or,
// when not, why (§10.3.5: no bound e-mail; HCIX: no Uniportal account).
type Eligible struct {
	people.LinkedPeople
	NoEmail     bool
	NoUniportal bool
}

// Persons lists the tenant's linked persons for the forms.
func (s Service) Persons(ctx context.Context, p *access.Principal) (_ []Eligible, err error) {
	defer apperr.Wrap(&err, "benefit.Persons")
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	ls, err := people.Linked(ctx, s.DB, pid)
	if err != nil {
		return nil, err
	}
	out := make([]Eligible, len(ls))
	for i, l := range ls {
		out[i] = Eligible{LinkedPeople: l, NoEmail: l.Email == nil || *l.Email == "", NoUniportal: strings.TrimSpace(l.Uniportal) == ""}
	}
	return out, nil
}

// parsePersons checks the form against the linked persons.
func (in PersonsInput) parse(typ string, linked []Eligible) (decimal.Decimal, personsForm, error) {
	f := apperr.Fields{}
	form := personsForm{Reason: strings.TrimSpace(in.Reason)}
	switch typ {
	case TypeExamVoucher:
		form.Exam = strings.ToUpper(strings.TrimSpace(in.Exam))
		if !slices.Contains(HCCDX, form.Exam) && !slices.Contains(HCIX, form.Exam) {
			f.Add("exam", "benefit.err.exam")
		}
	case TypeCloudLab:
		n, err := strconv.Atoi(strings.TrimSpace(in.Points))
		if err != nil || n <= 0 || n > MaxLabPoints {
			f.Add("points", "benefit.err.points")
		}
		form.Points = n
	}
	byID := map[string]Eligible{}
	for _, l := range linked {
		byID[strconv.FormatInt(l.PersonID, 10)] = l
	}
	seen := map[string]bool{}
	for _, id := range in.Persons {
		l, ok := byID[id]
		if !ok || seen[id] {
			f.Add("persons", "benefit.err.person")
			continue
		}
		seen[id] = true
		switch {
		case l.NoEmail:
			f.Add("persons", "benefit.err.person_email")
		case typ == TypeExamVoucher && slices.Contains(HCIX, form.Exam) && l.NoUniportal:
			f.Add("persons", "benefit.err.person_uniportal")
		}
		ref := PersonRef{ID: l.PersonID, Name: l.Name, Tenant: l.Tenant}
		if slices.Contains(HCIX, form.Exam) {
			ref.Uniportal = l.Uniportal
		}
		form.Persons = append(form.Persons, ref)
	}
	if len(in.Persons) == 0 {
		f.Add("persons", "benefit.err.persons")
	}
	switch n := utf8.RuneCountInString(form.Reason); {
	case n == 0:
		f.Add("reason", "benefit.err.required")
	case n > 1000:
		f.Add("reason", "benefit.err.too_long")
	}
	amount := decimal.NewFromInt(int64(len(form.Persons)))
	if typ == TypeCloudLab {
		amount = amount.Mul(decimal.NewFromInt(int64(form.Points)))
	}
	return amount, form, f.Err()
}

// personsForm is what an application keeps of the form.
type personsForm struct {
	Exam    string      `json:"exam,omitempty"`
	Points  int         `json:"points,omitempty"`
	Persons []PersonRef `json:"persons"`
	Reason  string      `json:"reason"`
}

// ApplyForPersons is 考试券's or 云实验's 提交: the persons must be linked
// now with a bound e-mail (and a Uniportal account for HCIX); the count
// (vouchers, or points) within the entity's yearly cap under the same lock
// as 测试券.
func (s Service) ApplyForPersons(ctx context.Context, p *access.Principal, typ string, in PersonsInput) (_ *Application, err error) {
	defer apperr.Wrap(&err, "benefit.ApplyForPersons(%s)", typ)
	if _, err := p.Tenant(); err != nil {
		return nil, err
	}
	if !Counted(typ) {
		return nil, apperr.NotFound()
	}
	return s.apply(ctx, p, typ, func(tx *gorm.DB, _ *Standing) (*draft, error) {
		linked, err := (Service{DB: tx, Clock: s.Clock}).Persons(ctx, p)
		if err != nil {
			return nil, err
		}
		amount, form, err := in.parse(typ, linked)
		if err != nil {
			return nil, err
		}
		title := fmt.Sprintf("考试券 %s × %d", form.Exam, len(form.Persons))
		if typ == TypeCloudLab {
			title = fmt.Sprintf("云实验 %d 点 × %d", form.Points, len(form.Persons))
		}
		return &draft{amount: amount, title: title, form: form, payload: Payload{Amount: amount.String(), Exam: form.Exam, Points: form.Points,
			Persons: form.Persons, TestVoucherForm: TestVoucherForm{Reason: form.Reason}}}, nil
	})
}

// ErrOverCapCount is the cap refusal of counted benefits.
const ErrOverCapCount = "benefit.err.over_cap_count"

// issueToPersons creates the person vouchers of an approved 考试券 or
// 云实验 application, each person told; it returns how many persons got
// one and what they count against the cap (n vouchers, or n × the points
// of each).
func issueToPersons(ctx context.Context, tx *gorm.DB, a *Application, now time.Time) (int, decimal.Decimal, error) {
	var form personsForm
	if err := json.Unmarshal(a.Form, &form); err != nil {
		return 0, decimal.Zero, err
	}
	ids := make([]int64, len(form.Persons))
	for i, ref := range form.Persons {
		ids[i] = ref.ID
	}
	linked, err := people.LinkedAmong(ctx, tx, a.PartnerID, ids)
	if err != nil {
		return 0, decimal.Zero, err
	}
	var vs []PersonVoucher
	var gone string
	for i, ref := range form.Persons {
		// Non-transferable (§10.3.10): only a person still linked gets
		// it; one unlinked since is skipped (the amount issued shrinks).
		if !linked[ref.ID] {
			gone = ref.Name
			continue
		}
		v := PersonVoucher{No: fmt.Sprintf("%s%s%d-%d", map[string]string{TypeExamVoucher: "EX", TypeCloudLab: "LB"}[a.Type],
			now.Format("060102"), a.ID, i+1), ApplicationID: a.ID, PartnerID: a.PartnerID, PersonID: ref.ID, Status: PVIssued, IssuedAt: now}
		if a.Type == TypeExamVoucher {
			v.Kind, v.Exam, v.Uniportal = "exam", form.Exam, ref.Uniportal
		} else {
			v.Kind, v.Points = "lab", form.Points
		}
		// HCCDX and lab points are redeemed within 7 natural days; HCIX
		// has no such day (its year runs from redemption).
		if v.Kind == "lab" || slices.Contains(HCCDX, v.Exam) {
			by := now.AddDate(0, 0, RedeemDays)
			v.RedeemBy = &by
		}
		vs = append(vs, v)
	}
	if len(vs) == 0 {
		return 0, decimal.Zero, apperr.Conflict("benefit.err.person_unlinked", map[string]any{"Name": gone})
	}
	if err := tx.WithContext(ctx).Create(&vs).Error; err != nil {
		return 0, decimal.Zero, err
	}
	for _, v := range vs {
		params := map[string]any{"No": v.No, "What": voucherWhat(v)}
		if v.RedeemBy != nil {
			params["ByAt"] = *v.RedeemBy
		}
		if err := notify.Send(ctx, tx, notify.Note{To: v.PersonID, Subject: "benefit.msg.person_issued.subject", Body: "benefit.msg.person_issued.body",
			Params: params, Link: "/me/vouchers", At: now}); err != nil {
			return 0, decimal.Zero, err
		}
		if err := outbox.Announce(ctx, tx, v.PersonID, outbox.Note{Template: "benefit.msg.person_issued", Params: params, Partner: a.PartnerID, At: now}); err != nil {
			return 0, decimal.Zero, err
		}
	}
	amount := decimal.NewFromInt(int64(len(vs)))
	if a.Type == TypeCloudLab {
		amount = amount.Mul(decimal.NewFromInt(int64(form.Points)))
	}
	return len(vs), amount, nil
}

// voucherWhat names a voucher in messages: the exam, or the points.
func voucherWhat(v PersonVoucher) string {
	if v.Kind == "exam" {
		return v.Exam
	}
	return strconv.Itoa(v.Points) + " pts"
}

// Redeem is the person's 兑换: its own voucher, before its day (else the
// refusal names the day); valid 1 year from now (§10.3.9, §10.4.5).
func (s Service) Redeem(ctx context.Context, p *access.Principal, id int64) (err error) {
	defer apperr.Wrap(&err, "benefit.Redeem(%d)", id)
	uid, err := p.Person()
	if err != nil {
		return err
	}
	now := s.now()
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		var v PersonVoucher
		if err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ? AND person_id = ?", id, uid).Take(&v).Error; err != nil {
			if db.IsNotFound(err) {
				return apperr.NotFound()
			}
			return err
		}
		switch v.StatusAt(now) {
		case PVIssued:
		case PVExpired:
			return apperr.Conflict("benefit.err.redeem_expired", map[string]any{"ByAt": *v.RedeemBy})
		default:
			return apperr.Conflict("benefit.err.redeemed")
		}
		until := now.AddDate(ValidAfterUse, 0, 0)
		if err := tx.WithContext(ctx).Model(&v).Updates(map[string]any{"status": PVRedeemed, "redeemed_at": now, "valid_until": until}).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: v.PartnerID, Action: "benefit.redeem", ObjectType: "person_voucher",
			ObjectID: v.ID, Before: map[string]any{"status": PVIssued}, After: map[string]any{"status": PVRedeemed, "valid_until": until}})
	})
}

// MyVouchers lists the person's vouchers and points, newest first, with
// the partner that applied.
type MyVoucher struct {
	PersonVoucher
	PartnerName string
}

// MyVouchers is 我的券.
func (s Service) MyVouchers(ctx context.Context, p *access.Principal) (_ []MyVoucher, err error) {
	defer apperr.Wrap(&err, "benefit.MyVouchers")
	uid, err := p.Person()
	if err != nil {
		return nil, err
	}
	var out []MyVoucher
	err = s.DB.WithContext(ctx).Table("person_vouchers v").Joins("JOIN partners pt ON pt.id = v.partner_id").Where("v.person_id = ?", uid).
		Select("v.*, pt.name AS partner_name").Order("v.issued_at DESC, v.id DESC").Limit(200).Scan(&out).Error
	return out, err
}

// PersonVouchersOf lists the vouchers issued for the tenant's
// applications among apps (a page of Records), by application.
func (s Service) PersonVouchersOf(ctx context.Context, p *access.Principal, apps []Application) (_ map[int64][]PersonVoucher, err error) {
	defer apperr.Wrap(&err, "benefit.PersonVouchersOf")
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	out := map[int64][]PersonVoucher{}
	ids := issuedIDs(apps, func(a Application) bool { return Counted(a.Type) })
	if len(ids) == 0 {
		return out, nil
	}
	var vs []PersonVoucher
	if err := s.DB.WithContext(ctx).Where("partner_id = ? AND application_id IN ?", pid, ids).Order("id").Find(&vs).Error; err != nil {
		return nil, err
	}
	for _, v := range vs {
		out[v.ApplicationID] = append(out[v.ApplicationID], v)
	}
	return out, nil
}

// ExpireVouchers marks unredeemed vouchers past their day 已过期 (the
// sweep); it returns how many.
func (s Service) ExpireVouchers(ctx context.Context) (_ int64, err error) {
	defer apperr.Wrap(&err, "benefit.ExpireVouchers")
	res := s.DB.WithContext(ctx).Model(&PersonVoucher{}).Where("status = ? AND redeem_by <= ?", PVIssued, s.now()).Update("status", PVExpired)
	return res.RowsAffected, res.Error
}

// SweepArgs is the periodic job that expires unredeemed vouchers.
type SweepArgs struct{}

// Kind names the job.
func (SweepArgs) Kind() string { return "benefit_sweep" }

// SweepWorker runs ExpireVouchers.
type SweepWorker struct {
	river.WorkerDefaults[SweepArgs]
	Service Service
}

// Work expires the vouchers past their day.
func (w *SweepWorker) Work(ctx context.Context, _ *river.Job[SweepArgs]) error {
	_, err := w.Service.ExpireVouchers(ctx)
	return err
}

// AddWorkers registers the package's workers.
func AddWorkers(ws *river.Workers, s Service) { river.AddWorker(ws, &SweepWorker{Service: s}) }

// PeriodicJobs sweeps every 15 minutes (and at start); pages read the
// state at the request's time in between (StatusAt).
func PeriodicJobs() []*river.PeriodicJob {
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(15*time.Minute),
		func() (river.JobArgs, *river.InsertOpts) { return SweepArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true})}
}

func init() {
	approval.Register(benefitType{key: ApprovalExamVoucher})
	approval.Register(benefitType{key: ApprovalCloudLab})
	paths.RegisterExitBlocker(func(ctx context.Context, g *gorm.DB, partnerID int64) (string, bool, error) {
		var n int64
		err := g.WithContext(ctx).Model(&Application{}).Where("partner_id = ? AND type IN ? AND status <> ?", partnerID, PersonTypes,
			StateWithdrawn).Count(&n).Error
		return paths.ErrExitExamVoucher, n > 0, err
	})
}

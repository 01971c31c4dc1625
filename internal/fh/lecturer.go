package fh

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/paths"
	"partnercenter/internal/people"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
	"partnercenter/internal/platform/money"
)

// Funds of the LP lecturer FH (§10.6.4.1).
const (
	FundCultivation = "cultivation" // 讲师养成基金: once per lecturer, limit × 2
	FundDedicated   = "dedicated"   // 讲师专职投入基金: a month's delivery, limit × 1
)

// Funds lists them with their multiples of the monthly regional limit
// (§10.6.4.6).
var (
	Funds         = []string{FundCultivation, FundDedicated}
	FundMultiples = map[string]int64{FundCultivation: 2, FundDedicated: 1}
)

// LecturersNeeded is how many certified lecturers a partner needs for the
// cultivation fund (§10.6.4.3).
const LecturersNeeded = 3

// Lecturer rules of the dedicated fund (§10.6.4.3).
var (
	// MinClassDays of HCCDP/HCCDE courses delivered in the month (6 hours a
	// class-day) and MinSatisfaction, the month's average class
	// satisfaction, for the dedicated fund.
	MinClassDays    = decimal.NewFromInt(8)
	MinSatisfaction = decimal.RequireFromString("4.25")
)

// isLecturerCert says a certificate direction is a course lecturer's: the
// 云学堂 syncs an HCCDP or HCCDE 课程认证讲师证书 with the course and 讲师
// (or "Lecturer") in its direction.
func isLecturerCert(direction string) bool {
	return strings.Contains(direction, "讲师") || strings.Contains(direction, "lecturer")
}

// Lecturers are the persons among ids holding a valid HCCDP or HCCDE course
// lecturer certificate on day.
func Lecturers(ctx context.Context, g *gorm.DB, ids []int64, day time.Time) (map[int64]bool, error) {
	held, err := people.HeldDirections(ctx, g, ids, []string{"HCCDP", "HCCDE"}, day)
	if err != nil {
		return nil, err
	}
	out := map[int64]bool{}
	for id, dirs := range held {
		out[id] = slices.ContainsFunc(dirs, isLecturerCert)
	}
	return out, nil
}

// LecturerInput is a lecturer's row of an LP month's application: the fund
// applied for, and for the dedicated fund the month's class-days and
// average satisfaction.
type LecturerInput struct {
	PersonID                int64
	Fund                    string
	ClassDays, Satisfaction string
}

// SetLimit sets an LP programme's monthly regional limit (vendor staff who
// see the partner; §10.6.4.6: 月度地区限额详情请咨询您的生态经理). Months
// already applied for keep the limit they were computed with.
func (s Service) SetLimit(ctx context.Context, p *access.Principal, programID int64, limit string) (err error) {
	defer apperr.Wrap(&err, "fh.SetLimit(%d)", programID)
	if _, err := p.Staff(); err != nil {
		return err
	}
	amount, perr := money.Parse(limit, money.Amount)
	if perr != nil {
		return apperr.FieldError("limit", money.Key(perr))
	}
	now := s.now()
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		pr, err := seenProgram(ctx, tx, p, programID, LPLecturer, true)
		if err != nil {
			return err
		}
		if pr.Status == ProgramEnded {
			return apperr.Conflict("fh.err.state")
		}
		if err := tx.WithContext(ctx).Model(pr).Update("monthly_limit", amount).Error; err != nil {
			return err
		}
		var before any
		if pr.MonthlyLimit != nil {
			before = *pr.MonthlyLimit
		}
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pr.PartnerID, Action: "fh.limit", ObjectType: "fh_program", ObjectID: pr.ID,
			Before: map[string]any{"monthly_limit": before}, After: map[string]any{"monthly_limit": amount}})
	})
}

// lecturerLines are an LP month's lines (§10.6.4.3, §10.6.4.6): each
// chosen lecturer an LP project specialist holding a valid lecturer
// certificate and in no other FH that month; the cultivation fund once per
// lecturer and only with three certified lecturers or more, at the limit
// × 2; the dedicated fund with eight class-days or more and an average
// satisfaction of 4.25 or more, at the limit × 1. A refusal names the row.
func lecturerLines(ctx context.Context, tx *gorm.DB, pr *Program, m, today time.Time, specialists map[int64]people.SpecialistPerson, in []LecturerInput) ([]monthLine, error) {
	if pr.MonthlyLimit == nil {
		return nil, apperr.Conflict("fh.err.no_limit")
	}
	f := apperr.Fields{}
	var chosen []LecturerInput
	for _, l := range in {
		if l.Fund != "" {
			chosen = append(chosen, l)
		}
	}
	if len(chosen) == 0 {
		return nil, apperr.FieldError("lecturers", "fh.err.no_lecturers")
	}
	ids := make([]int64, 0, len(specialists))
	for id := range specialists {
		ids = append(ids, id)
	}
	certified, err := Lecturers(ctx, tx, ids, today)
	if err != nil {
		return nil, err
	}
	certifiedCount := 0
	for _, ok := range certified {
		if ok {
			certifiedCount++
		}
	}
	elsewhere, err := inOtherFH(ctx, tx, m)
	if err != nil {
		return nil, err
	}
	var cultivated []int64
	if err := tx.WithContext(ctx).Model(&Line{}).Where("live AND role = ?", FundCultivation).Pluck("person_id", &cultivated).Error; err != nil {
		return nil, err
	}
	var out []monthLine
	for _, l := range chosen {
		row := strconv.FormatInt(l.PersonID, 10)
		sp, ok := specialists[l.PersonID]
		switch {
		case !ok || !certified[l.PersonID]:
			f.Add("fund_"+row, "fh.err.not_lecturer")
			continue
		case !slices.Contains(Funds, l.Fund):
			f.Add("fund_"+row, "fh.err.fund")
			continue
		case elsewhere[l.PersonID] || slices.ContainsFunc(out, func(o monthLine) bool { return o.PersonID == l.PersonID }):
			f.Add("fund_"+row, ErrOneFH)
			continue
		}
		line := Line{PersonID: l.PersonID, Month: m, Name: sp.Name, Role: l.Fund, Baseline: *pr.MonthlyLimit, Coefficient: decimal.NewFromInt(1),
			Units: int(FundMultiples[l.Fund]), Live: true}
		line.Amount = line.Baseline.Mul(decimal.NewFromInt(FundMultiples[l.Fund])).Round(2)
		if l.Fund == FundCultivation {
			switch {
			case certifiedCount < LecturersNeeded:
				f.Add("fund_"+row, "fh.err.lecturers_needed")
			case slices.Contains(cultivated, l.PersonID):
				f.Add("fund_"+row, "fh.err.cultivated")
			}
		} else {
			days, derr := decimal.NewFromString(strings.TrimSpace(l.ClassDays))
			switch {
			case derr != nil || !days.IsPositive() || !days.Equal(days.Round(1)) || days.GreaterThan(decimal.NewFromInt(31)):
				f.Add("days_"+row, "fh.err.class_days")
			case days.LessThan(MinClassDays):
				f.Add("days_"+row, "fh.err.class_days_min")
			}
			sat, serr := decimal.NewFromString(strings.TrimSpace(l.Satisfaction))
			switch {
			case serr != nil || sat.IsNegative() || sat.GreaterThan(decimal.NewFromInt(5)) || !sat.Equal(sat.Round(2)):
				f.Add("satisfaction_"+row, "fh.err.satisfaction")
			case sat.LessThan(MinSatisfaction):
				f.Add("satisfaction_"+row, "fh.err.satisfaction_min")
			}
			line.ClassDays, line.Satisfaction = &days, &sat
		}
		out = append(out, monthLine{Line: line})
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// LecturerRow is an LP project specialist on the partner's page: whether it
// holds a lecturer certificate, and whether its cultivation fund is paid
// (or in review).
type LecturerRow struct {
	people.SpecialistPerson
	Certified  bool
	Cultivated bool
}

// lecturers fills a joined LP page's lecturers.
func (s Service) lecturers(ctx context.Context, pid int64, out *Page) error {
	sps, err := people.Specialists(ctx, s.DB, pid, paths.PathLearning)
	if err != nil {
		return err
	}
	ids := make([]int64, len(sps))
	for i, sp := range sps {
		ids[i] = sp.PersonID
	}
	certified, err := Lecturers(ctx, s.DB, ids, clock.ChinaDate(s.now()))
	if err != nil {
		return err
	}
	var cultivated []int64
	if len(ids) > 0 {
		if err := s.DB.WithContext(ctx).Model(&Line{}).Where("live AND role = ? AND person_id IN ?", FundCultivation, ids).
			Pluck("person_id", &cultivated).Error; err != nil {
			return err
		}
	}
	for _, sp := range sps {
		out.Lecturers = append(out.Lecturers, LecturerRow{SpecialistPerson: sp, Certified: certified[sp.PersonID],
			Cultivated: slices.Contains(cultivated, sp.PersonID)})
		if certified[sp.PersonID] {
			out.CertifiedLecturers++
		}
	}
	return nil
}

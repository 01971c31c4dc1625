package demo

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/fh"
	"partnercenter/internal/files"
	"partnercenter/internal/paths"
	"partnercenter/internal/people"
	"partnercenter/internal/platform/clock"
)

// Demo logins of the SI and LP FH programmes.
const (
	RXAdmin = "rx_admin" // 睿信数字集成有限公司: SI path, role certified, in the SI presales expert FH
	BXAdmin = "bx_admin" // 博学云教育科技有限公司: LP path, in the LP lecturer FH
)

// fhSpecialists makes the persons project specialists of the admin's
// path, approved by the ecosystem manager at at.
func fhSpecialists(ctx context.Context, tx *gorm.DB, w *World, admin, eco *access.Principal, at time.Time, role string, logins ...string) error {
	ps := people.Service{DB: tx, Clock: clock.NewFixed(at)}
	eng := approval.Engine{DB: tx, Clock: clock.NewFixed(at.Add(time.Hour))}
	for _, login := range logins {
		var link int64
		if err := tx.WithContext(ctx).Raw(`SELECT id FROM specialist_links WHERE person_id = ? AND unlinked_at IS NULL`, w.Users[login]).Scan(&link).Error; err != nil {
			return err
		}
		sp, err := ps.ApplySpecialist(ctx, admin, link, role, []files.Upload{{Name: "在职证明.pdf", Data: demoPDF}})
		if err != nil {
			return fmt.Errorf("demo FH specialist %s: %w", login, err)
		}
		if _, err := eng.Approve(ctx, eco, *sp.ApplicationID, ""); err != nil {
			return err
		}
	}
	return nil
}

// seedFHPresales gives the SI presales expert FH its states: 睿信数字集成
// (SI path, role certified) invited by the ecosystem manager (condition 2
// of §10.6.3.2) and joined; two of its four presales experts (售前专家RX1–2, HCSP
// 《基于华为云构建客户的业务体系》 and HCCDP-Solution Architectures) SI
// specialists for months; 售前专家RX1 graded 资深 last quarter, paid in an
// approved month whose quarter vendor finance paid; 售前专家RX2 graded 高级
// this quarter, its month in review.
func seedFHPresales(ctx context.Context, tx *gorm.DB, w *World, eco, fin *access.Principal, last, quarter time.Time, past func(time.Time) time.Time) error {
	at := func(t time.Time) clock.Clock { return clock.NewFixed(past(t.Add(4 * time.Hour))) }
	rx, err := company(ctx, tx, w, RXAdmin, "睿信数字集成有限公司", "91320100MA8R5X6P7", "任信", "13600000941", last.AddDate(-1, 0, 0))
	if err != nil {
		return err
	}
	ps := paths.Service{DB: tx, Clock: at(last.AddDate(0, -6, 0))}
	if err := ps.Invite(ctx, eco, rx.PartnerID, paths.PathSI); err != nil {
		return err
	}
	if err := ps.Join(ctx, rx, paths.PathSI); err != nil {
		return err
	}
	start := last.AddDate(0, -5, 0)
	if err := certifiedStaff(ctx, tx, w, rx, start, "rxpre", "售前专家RX", "基于华为云构建客户的业务体系", [][]string{{"HCSP"}, {"HCSP"}, {"HCSP"}, {"HCSP"}}); err != nil {
		return err
	}
	csv := "tenant_name,type,direction,number,issued_on,expires_on\n"
	for i := 1; i <= 4; i++ { // four presales experts: the SI role certification's count (§4.3)
		csv += fmt.Sprintf("rxpre%d,HCCDP,Solution Architectures,HCCDP-SA-RX%d,%s,%s\n", i, i, start.AddDate(0, -1, 0).Format(time.DateOnly),
			start.AddDate(3, 0, 0).Format(time.DateOnly))
	}
	if res, err := (people.Service{DB: tx, Clock: at(start)}).ImportSynced(ctx, eco, []byte(csv)); err != nil || len(res.Errors) > 0 {
		return fmt.Errorf("demo SI certificates: %v %+v", err, res)
	}
	ps.Clock = at(start.AddDate(0, 0, 5))
	app, err := ps.Apply(ctx, rx, paths.StageRole, paths.StageInput{BPInterlock: true, Experts: 4, Offerings: 1, Note: "四名售前专家持有HCCDP-Solution Architectures。"},
		[]files.Upload{{Name: "在职证明.pdf", Data: demoPDF}})
	if err != nil {
		return fmt.Errorf("demo SI role certification: %w", err)
	}
	if _, err := (approval.Engine{DB: tx, Clock: at(start.AddDate(0, 0, 8))}).Approve(ctx, eco, app.ID, "售前专家与解决方案材料齐全，角色认证通过。"); err != nil {
		return err
	}
	if err := fhSpecialists(ctx, tx, w, rx, eco, past(start.AddDate(0, 0, 10)), "售前解决方案专家", "rxpre1", "rxpre2"); err != nil {
		return err
	}
	svc := func(t time.Time) fh.Service { return fh.Service{DB: tx, Clock: at(t)} }
	if err := svc(start.AddDate(0, 1, 0)).Invite(ctx, eco, rx.PartnerID, fh.SIPresales, ""); err != nil {
		return err
	}
	if err := svc(start.AddDate(0, 1, 2)).Join(ctx, rx, fh.SIPresales, fh.Compliance); err != nil {
		return err
	}
	var pr int64
	if err := tx.WithContext(ctx).Raw(`SELECT id FROM fh_programs WHERE partner_id = ? AND variant = ?`, rx.PartnerID, fh.SIPresales).Scan(&pr).Error; err != nil {
		return err
	}
	grade := func(on time.Time, in fh.GradingInput) error {
		on = past(on)
		in.ProgramID, in.GradedOn = pr, on.In(clock.China).Format(time.DateOnly)
		return fh.Service{DB: tx, Clock: clock.NewFixed(on.Add(time.Hour))}.RecordGrading(ctx, eco, in)
	}
	month := func(m time.Time, approve bool) (*fh.Month, error) {
		row, err := fh.Service{DB: tx, Clock: clock.NewFixed(past(m.AddDate(0, 0, 20)))}.SubmitMonth(ctx, rx, fh.MonthInput{Variant: fh.SIPresales,
			Month: m.Format("2006-01")})
		if err != nil || !approve {
			return row, err
		}
		_, err = approval.Engine{DB: tx, Clock: clock.NewFixed(past(m.AddDate(0, 0, 24)))}.Approve(ctx, eco, *row.ApplicationID, "定级与举证项目核对无误")
		return row, err
	}
	if err := grade(last.AddDate(0, 1, 6), fh.GradingInput{PersonID: w.Users["rxpre1"], Level: fh.LevelPrincipal, ProjectCode: "RX-2024-017",
		ProjectName: "某省政务云平台建设", Customer: "某省大数据发展管理局", Currency: "CNY", Cash: "2860000", StartMonth: last.AddDate(0, -4, 0).Format("2006-01"),
		WrittenExam: true}); err != nil {
		return fmt.Errorf("demo SI grading: %w", err)
	}
	if _, err := month(last.AddDate(0, 1, 0), true); err != nil {
		return fmt.Errorf("demo SI month: %w", err)
	}
	pay, err := svc(quarter.AddDate(0, 0, 2)).ApplyPayment(ctx, rx, fh.SIPresales, fh.QuarterOf(last))
	if err != nil {
		return err
	}
	if err := svc(quarter.AddDate(0, 0, 6)).Pay(ctx, fin, pay.ID, "ICBC-FH-SI-"+fh.QuarterOf(last), fmt.Sprintf("demo-fh-si-%012d", pay.ID)); err != nil {
		return err
	}
	if err := grade(quarter.AddDate(0, 0, 1), fh.GradingInput{PersonID: w.Users["rxpre2"], Level: fh.LevelSenior, ProjectCode: "RX-2025-003",
		ProjectName: "某连锁零售会员系统上云", Customer: "某连锁零售集团", Currency: "CNY", Cash: "468000", StartMonth: last.Format("2006-01")}); err != nil {
		return fmt.Errorf("demo SI grading: %w", err)
	}
	cn := w.Now.In(clock.China)
	_, err = month(time.Date(cn.Year(), cn.Month(), 1, 0, 0, 0, 0, time.UTC), false)
	return err
}

// seedFHLecturer gives the LP lecturer FH its states: 博学云教育 (LP path)
// invited by the ecosystem manager, its monthly regional limit ¥12,000 set
// and the agreement signed; its three lecturers (讲师BX1–3, HCCDP/HCCDE
// course lecturer certificates) LP specialists; last quarter's month of
// three cultivation funds approved, the quarter's payment waiting for
// vendor finance; this month a dedicated fund (9 class-days, 4.6) in
// review.
func seedFHLecturer(ctx context.Context, tx *gorm.DB, w *World, eco *access.Principal, last, quarter time.Time, past func(time.Time) time.Time) error {
	at := func(t time.Time) clock.Clock { return clock.NewFixed(past(t.Add(4 * time.Hour))) }
	bx, err := company(ctx, tx, w, BXAdmin, "博学云教育科技有限公司", "91110108MA9B6X7Q8", "薄学", "13600000951", last.AddDate(-1, 0, 0))
	if err != nil {
		return err
	}
	ps := paths.Service{DB: tx, Clock: at(last.AddDate(0, -4, 0))}
	if err := ps.Invite(ctx, eco, bx.PartnerID, paths.PathLearning); err != nil {
		return err
	}
	if err := ps.Join(ctx, bx, paths.PathLearning); err != nil {
		return err
	}
	start := last.AddDate(0, -3, 0)
	if err := certifiedStaff(ctx, tx, w, bx, start, "bxlec", "讲师BX", "GaussDB课程讲师", [][]string{{"HCCDP"}, {"HCCDP"}, {"HCCDE"}}); err != nil {
		return err
	}
	if err := fhSpecialists(ctx, tx, w, bx, eco, past(start.AddDate(0, 0, 3)), "认证讲师", "bxlec1", "bxlec2", "bxlec3"); err != nil {
		return err
	}
	svc := func(t time.Time) fh.Service { return fh.Service{DB: tx, Clock: at(t)} }
	if err := svc(start.AddDate(0, 0, 10)).Invite(ctx, eco, bx.PartnerID, fh.LPLecturer, ""); err != nil {
		return err
	}
	var pr int64
	if err := tx.WithContext(ctx).Raw(`SELECT id FROM fh_programs WHERE partner_id = ? AND variant = ?`, bx.PartnerID, fh.LPLecturer).Scan(&pr).Error; err != nil {
		return err
	}
	if err := svc(start.AddDate(0, 0, 11)).SetLimit(ctx, eco, pr, "12000"); err != nil {
		return err
	}
	if err := svc(start.AddDate(0, 0, 12)).Join(ctx, bx, fh.LPLecturer, fh.Compliance); err != nil {
		return err
	}
	proofs := []files.Upload{{Name: "在职证明.pdf", Data: demoPDF}, {Name: "社保证明.pdf", Data: demoPDF}}
	month := func(m time.Time, rows []fh.LecturerInput, approve bool) error {
		row, err := fh.Service{DB: tx, Clock: clock.NewFixed(past(m.AddDate(0, 0, 18)))}.SubmitMonth(ctx, bx, fh.MonthInput{Variant: fh.LPLecturer,
			Month: m.Format("2006-01"), Lecturers: rows, Materials: proofs})
		if err != nil {
			return fmt.Errorf("demo LP month %s: %w", m.Format("2006-01"), err)
		}
		if !approve {
			return nil
		}
		_, err = approval.Engine{DB: tx, Clock: clock.NewFixed(past(m.AddDate(0, 0, 22)))}.Approve(ctx, eco, *row.ApplicationID, "讲师证书与社保证明核对无误")
		return err
	}
	var cultivation []fh.LecturerInput
	for _, login := range []string{"bxlec1", "bxlec2", "bxlec3"} {
		cultivation = append(cultivation, fh.LecturerInput{PersonID: w.Users[login], Fund: fh.FundCultivation})
	}
	if err := month(last.AddDate(0, 1, 0), cultivation, true); err != nil {
		return err
	}
	if _, err := svc(quarter.AddDate(0, 0, 3)).ApplyPayment(ctx, bx, fh.LPLecturer, fh.QuarterOf(last)); err != nil {
		return err
	}
	cn := w.Now.In(clock.China)
	return month(time.Date(cn.Year(), cn.Month(), 1, 0, 0, 0, 0, time.UTC),
		[]fh.LecturerInput{{PersonID: w.Users["bxlec1"], Fund: fh.FundDedicated, ClassDays: "9", Satisfaction: "4.6"}}, false)
}

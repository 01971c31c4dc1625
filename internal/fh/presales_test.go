package fh

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"partnercenter/internal/paths"
	"partnercenter/internal/platform/apperr"
)

// fieldKey is a field error's key (or the error's message key).
func fieldKey(err error, field string) string {
	if ae, ok := apperr.As(err); ok {
		if k := ae.Fields[field]; k != "" {
			return k
		}
		return ae.MessageKey()
	}
	return ""
}

// The SI presales solution expert incentive (§10.6.3): a role-certified SI
// partner cannot apply, a differentiated one can; the ecosystem manager's
// grading checks the three months as a specialist, the certificates, the
// project's scale by level and currency, the 资深 written exam, the
// twelve-month project window, a project used once, two gradings at most
// and the second project after a first 资深; a month pays each expert's
// earliest unpaid grading at 4 × baseline; the next month the second.
func TestPresalesExpert(t *testing.T) {
	f, persons := setupPath(t, 2, paths.PathSI, paths.StageRole)
	a, b := persons[0], persons[1]
	if _, err := f.svc.Apply(bg, f.admin, SIPresales, ""); key(err) != "fh.err.not_advanced_si" {
		t.Fatalf("a role-certified SI partner applied: %v", err)
	}
	f.db.Exec(`UPDATE path_enrollments SET stage = 'differentiated' WHERE partner_id = ?`, f.admin.PartnerID)
	pr, err := f.svc.Apply(bg, f.admin, SIPresales, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.eng.Approve(bg, f.eco, *pr.ApplicationID, ""); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Join(bg, f.admin, SIPresales, Compliance); err != nil {
		t.Fatal(err)
	}
	grade := func(person int64, level, code, currency, cash, start, on string, exam bool) error {
		return f.svc.RecordGrading(bg, f.eco, GradingInput{ProgramID: pr.ID, PersonID: person, Level: level, ProjectCode: code, ProjectName: "某省政务云迁移",
			Customer: "某省大数据局", Currency: currency, Cash: cash, StartMonth: start, GradedOn: on, WrittenExam: exam})
	}
	moveTo(f, time.Date(2026, 10, 20, 2, 0, 0, 0, time.UTC))
	// The specialists were approved on 1 July: three months on 1 October.
	if err := grade(a, LevelSenior, "P-001", "CNY", "300000", "2026-03", "2026-09-30", false); fieldKey(err, "person_id") != "fh.err.specialist_months" {
		t.Fatalf("graded before three months: %v", err)
	}
	if err := grade(a, LevelSenior, "P-001", "CNY", "300000", "2026-03", "2026-10-01", false); fieldKey(err, "person_id") != "fh.err.presales_certs" {
		t.Fatalf("graded without certificates: %v", err)
	}
	certify(t, f, persons, "HCSP", "基于华为云构建客户的业务体系")
	if err := grade(a, LevelSenior, "P-001", "CNY", "300000", "2026-03", "2026-10-01", false); fieldKey(err, "person_id") != "fh.err.presales_certs" {
		t.Fatalf("graded with the HCSP alone: %v", err)
	}
	certify(t, f, persons, "HCCDP", "Solution Architectures")
	if err := grade(a, LevelSenior, "P-001", "CNY", "299999.99", "2026-03", "2026-10-01", false); fieldKey(err, "cash") != "fh.err.project_scale.senior" {
		t.Fatalf("a senior below ¥300,000: %v", err)
	}
	if err := grade(a, LevelSenior, "P-001", "CNY", "300000", "2025-10", "2026-10-01", false); fieldKey(err, "start_month") != "fh.err.project_window" {
		t.Fatalf("a project counted over more than twelve months: %v", err)
	}
	if err := grade(a, LevelPrincipal, "P-001", "USD", "300000", "2025-11", "2026-10-01", false); fieldKey(err, "written_exam") != "fh.err.written_exam" {
		t.Fatalf("a principal without the written exam: %v", err)
	}
	if err := grade(a, LevelPrincipal, "P-001", "USD", "300000", "2025-11", "2026-10-01", true); err != nil {
		t.Fatal(err)
	}
	if err := grade(b, LevelSenior, "p-001", "USD", "50000", "2026-01", "2026-10-02", false); fieldKey(err, "project_code") != "fh.err.project_used" {
		t.Fatalf("a project used by two experts: %v", err)
	}
	if err := grade(b, LevelSenior, "P-002", "USD", "50000", "2026-01", "2026-10-02", false); err != nil {
		t.Fatal(err)
	}
	// After a first 资深, the second project is ≥ ¥2,000,000 whatever its level.
	if err := grade(a, LevelSenior, "P-003", "CNY", "1999999", "2026-05", "2026-10-10", false); fieldKey(err, "cash") != "fh.err.second_project" {
		t.Fatalf("a second project below the principal scale: %v", err)
	}
	if err := grade(a, LevelSenior, "P-003", "CNY", "2000000", "2026-05", "2026-10-10", false); err != nil {
		t.Fatal(err)
	}
	if err := grade(a, LevelSenior, "P-004", "CNY", "5000000", "2026-05", "2026-10-11", false); fieldKey(err, "person_id") != "fh.err.graded_twice" {
		t.Fatalf("a third grading: %v", err)
	}

	// October: A's first (资深 50,000 × 4) and B's (高级 30,000 × 4).
	oct, err := f.svc.SubmitMonth(bg, f.admin, MonthInput{Variant: SIPresales, Month: "2026-10"})
	if err != nil {
		t.Fatal(err)
	}
	if !oct.Amount.Equal(decimal.NewFromInt(320000)) {
		t.Fatalf("October: %s, want 320,000", oct.Amount)
	}
	if _, err := f.eng.Approve(bg, f.eco, *oct.ApplicationID, ""); err != nil {
		t.Fatal(err)
	}
	moveTo(f, time.Date(2026, 11, 5, 2, 0, 0, 0, time.UTC))
	nov, err := f.svc.SubmitMonth(bg, f.admin, MonthInput{Variant: SIPresales, Month: "2026-11"})
	if err != nil {
		t.Fatal(err)
	}
	if !nov.Amount.Equal(decimal.NewFromInt(120000)) {
		t.Fatalf("November pays A's second grading (高级 30,000 × 4): %s", nov.Amount)
	}
	if _, err := f.eng.Approve(bg, f.eco, *nov.ApplicationID, ""); err != nil {
		t.Fatal(err)
	}
	moveTo(f, time.Date(2026, 12, 5, 2, 0, 0, 0, time.UTC))
	if _, err := f.svc.SubmitMonth(bg, f.admin, MonthInput{Variant: SIPresales, Month: "2026-12"}); key(err) != "fh.err.no_gradings" {
		t.Fatalf("December with every grading paid: %v", err)
	}
	if _, err := f.svc.ApplyPayment(bg, f.admin, SIPresales, "2026Q4"); key(err) != "fh.err.quarter_running" {
		t.Fatalf("a quarter applied for before it ended: %v", err)
	}
	moveTo(f, time.Date(2027, 1, 4, 2, 0, 0, 0, time.UTC))
	pay, err := f.svc.ApplyPayment(bg, f.admin, SIPresales, "2026Q4")
	if err != nil {
		t.Fatal(err)
	}
	if !pay.Amount.Equal(decimal.NewFromInt(440000)) {
		t.Fatalf("2026Q4: %s, want 440,000", pay.Amount)
	}
	page, err := f.svc.PageOf(bg, f.admin, SIPresales)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Experts) != 2 || len(page.Gradings) != 3 || page.Gradings[0].PaidMonth == nil {
		t.Fatalf("page: %d experts, %d gradings", len(page.Experts), len(page.Gradings))
	}
}

// A grading's 资深 written exam is proven by holding the HCIE-CSSA or the
// HCCDE-SA.
func TestPresalesWrittenExamByCertificate(t *testing.T) {
	f, persons := setupPath(t, 1, paths.PathSI, paths.StageDiff)
	if err := f.svc.Invite(bg, f.eco, f.admin.PartnerID, SIPresales, ""); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Join(bg, f.admin, SIPresales, Compliance); err != nil {
		t.Fatal(err)
	}
	var pr Program
	f.db.Where("partner_id = ? AND variant = ?", f.admin.PartnerID, SIPresales).Take(&pr)
	certify(t, f, persons, "HCSP", "基于华为云构建客户的业务体系")
	certify(t, f, persons, "HCCDE", "Solution Architectures")
	moveTo(f, time.Date(2026, 10, 20, 2, 0, 0, 0, time.UTC))
	err := f.svc.RecordGrading(bg, f.eco, GradingInput{ProgramID: pr.ID, PersonID: persons[0], Level: LevelPrincipal, ProjectCode: "E-1", ProjectName: "云原生改造",
		Customer: "某银行", Currency: "CNY", Cash: "2,000,000", StartMonth: "2026-01", GradedOn: "2026-10-20"})
	if err != nil {
		t.Fatal(err)
	}
	var exam bool
	f.db.Raw(`SELECT written_exam FROM fh_gradings WHERE project_code = 'E-1'`).Scan(&exam)
	if !exam {
		t.Fatal("the HCCDE-SA did not stand for the written exam")
	}
}

// moveTo sets the clock to t.
func moveTo(f *fx, t time.Time) { f.clk.Advance(t.Sub(f.clk.Now())) }

package fh

import (
	"strconv"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"partnercenter/internal/files"
	"partnercenter/internal/paths"
)

var proof = []files.Upload{{Name: "在职证明.pdf", Data: []byte("%PDF-1.4\n%%EOF\n")}}

// The LP lecturer funds (§10.6.4): the agreement waits for the monthly
// regional limit; a lecturer holds a valid HCCDP/HCCDE lecturer
// certificate; the cultivation fund needs three certified lecturers and
// is paid once per lecturer (again after a rejection) at the limit × 2;
// the dedicated fund needs eight class-days and a satisfaction of 4.25,
// both sides of each boundary, at the limit × 1; the proofs are required.
func TestLecturerFunds(t *testing.T) {
	f, persons := setupPath(t, 4, paths.PathLearning, paths.StageJoined)
	a, b, c, d := persons[0], persons[1], persons[2], persons[3]
	if err := f.svc.Invite(bg, f.eco, f.admin.PartnerID, LPLecturer, ""); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Join(bg, f.admin, LPLecturer, Compliance); key(err) != "fh.err.no_limit" {
		t.Fatalf("joined without a limit: %v", err)
	}
	var pr Program
	f.db.Where("partner_id = ? AND variant = ?", f.admin.PartnerID, LPLecturer).Take(&pr)
	if err := f.svc.SetLimit(bg, f.eco, pr.ID, "-5"); fieldKey(err, "limit") == "" {
		t.Fatalf("a negative limit: %v", err)
	}
	if err := f.svc.SetLimit(bg, f.eco, pr.ID, "12,000"); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Join(bg, f.admin, LPLecturer, Compliance); err != nil {
		t.Fatal(err)
	}
	certify(t, f, []int64{a, b}, "HCCDP", "GaussDB讲师")
	certify(t, f, []int64{d}, "HCCDP", "GaussDB") // an engineer's certificate, not a lecturer's
	month := func(m string, rows []LecturerInput, ups []files.Upload) (*Month, error) {
		return f.svc.SubmitMonth(bg, f.admin, MonthInput{Variant: LPLecturer, Month: m, Lecturers: rows, Materials: ups})
	}
	dedicated := func(id int64, days, sat string) LecturerInput {
		return LecturerInput{PersonID: id, Fund: FundDedicated, ClassDays: days, Satisfaction: sat}
	}
	cultivate := LecturerInput{PersonID: a, Fund: FundCultivation}
	if _, err := month("2026-07", []LecturerInput{cultivate}, nil); fieldKey(err, "files") != "fh.err.materials" {
		t.Fatalf("a month without proofs: %v", err)
	}
	if _, err := month("2026-07", []LecturerInput{{PersonID: a}}, proof); fieldKey(err, "lecturers") != "fh.err.no_lecturers" {
		t.Fatalf("a month without a fund: %v", err)
	}
	if _, err := month("2026-07", []LecturerInput{cultivate}, proof); fieldKey(err, "fund_"+itoa(a)) != "fh.err.lecturers_needed" {
		t.Fatalf("the cultivation fund with two certified lecturers: %v", err)
	}
	if _, err := month("2026-07", []LecturerInput{dedicated(d, "8", "4.5")}, proof); fieldKey(err, "fund_"+itoa(d)) != "fh.err.not_lecturer" {
		t.Fatalf("an engineer's certificate counted as a lecturer's: %v", err)
	}
	certify(t, f, []int64{c}, "HCCDE", "华为云DevOps课程讲师")
	if _, err := month("2026-07", []LecturerInput{cultivate, dedicated(b, "7.9", "4.5")}, proof); fieldKey(err, "days_"+itoa(b)) != "fh.err.class_days_min" {
		t.Fatalf("7.9 class-days: %v", err)
	}
	if _, err := month("2026-07", []LecturerInput{cultivate, dedicated(b, "8", "4.24")}, proof); fieldKey(err, "satisfaction_"+itoa(b)) != "fh.err.satisfaction_min" {
		t.Fatalf("a satisfaction of 4.24: %v", err)
	}
	if _, err := month("2026-07", []LecturerInput{cultivate, dedicated(b, "8", "5.5")}, proof); fieldKey(err, "satisfaction_"+itoa(b)) != "fh.err.satisfaction" {
		t.Fatalf("a satisfaction above 5: %v", err)
	}
	jul, err := month("2026-07", []LecturerInput{cultivate, dedicated(b, "8", "4.25"), {PersonID: c}}, proof)
	if err != nil {
		t.Fatal(err)
	}
	if !jul.Amount.Equal(decimal.NewFromInt(36000)) { // 12,000 × 2 + 12,000 × 1
		t.Fatalf("July: %s, want 36,000", jul.Amount)
	}
	var attached int64
	f.db.Raw(`SELECT count(*) FROM application_attachments WHERE application_id = ?`, *jul.ApplicationID).Scan(&attached)
	if attached != 1 {
		t.Fatalf("the proofs are not attached to the application: %d", attached)
	}
	// A lecturer's cultivation fund once, while its month is live.
	moveTo(f, time.Date(2026, 8, 3, 2, 0, 0, 0, time.UTC))
	if _, err := month("2026-08", []LecturerInput{cultivate}, proof); fieldKey(err, "fund_"+itoa(a)) != "fh.err.cultivated" {
		t.Fatalf("a second cultivation fund: %v", err)
	}
	if _, err := f.eng.Reject(bg, f.eco, *jul.ApplicationID, "社保证明未覆盖至申请月份的上个月"); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SetLimit(bg, f.eco, pr.ID, "10000"); err != nil {
		t.Fatal(err)
	}
	aug, err := month("2026-08", []LecturerInput{cultivate, {PersonID: c, Fund: FundCultivation}}, proof)
	if err != nil {
		t.Fatal(err)
	}
	if !aug.Amount.Equal(decimal.NewFromInt(40000)) {
		t.Fatalf("August: %s, want 40,000 at the new limit", aug.Amount)
	}
	page, err := f.svc.PageOf(bg, f.admin, LPLecturer)
	if err != nil {
		t.Fatal(err)
	}
	if page.CertifiedLecturers != 3 || len(page.Lecturers) != 4 || !page.Lecturers[0].Cultivated {
		t.Fatalf("page: %d certified of %d, %+v", page.CertifiedLecturers, len(page.Lecturers), page.Lecturers[0])
	}
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

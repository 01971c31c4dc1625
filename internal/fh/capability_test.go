package fh

import (
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"partnercenter/internal/access"
	"partnercenter/internal/people"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/dbtest"
)

// certify gives persons a synced certificate of a type and direction.
func certify(t *testing.T, f *fx, persons []int64, typ, direction string) {
	t.Helper()
	csv := "tenant_name,type,direction,number,issued_on,expires_on\n"
	for _, id := range persons {
		var login string
		f.db.Raw(`SELECT login_name FROM users WHERE id = ?`, id).Scan(&login)
		csv += fmt.Sprintf("%s,%s,%s,%s-%d-%d,2026-01-10,2028-01-10\n", login, typ, direction, typ, id, seq.Add(1))
	}
	res, err := (people.Service{DB: f.db, Clock: f.clk}).ImportSynced(bg, f.eco, []byte(csv))
	if err != nil || len(res.Errors) > 0 {
		t.Fatalf("certificates: %v %+v", err, res)
	}
}

// The 2025 capability building (§10.6.2): a role-certified service
// partner applies for the 数据库 scenario once five of its specialists hold
// HCCDP-GaussDB (an HCCDE substitutes; another direction does not count);
// a rejected application may be made again; approved, the agreement is
// signed at the tier the vendor administrator set; the ecosystem manager
// records passed appraisals (a person and a standard once; only active
// standards of the scenario; only specialists; not in the future); a
// month pays Σ standards passed × the tier amount, each standard once; a
// rejected month releases its standards; a person in the 2024 FH that
// month is refused (N74); the quarter is paid once it is over and its
// months are decided.
func TestCapabilityBuilding(t *testing.T) {
	f, persons := setupN(t, 5)
	id, _ := dbtest.User(t, f.db, 0, "vendor_admin", false)
	admin := access.VendorStaff(id, "vendor_admin")

	if _, err := f.svc.Apply(bg, f.admin, Capability2025, "database"); key(err) != "fh.err.engineers" {
		t.Fatalf("applied without engineers: %v", err)
	}
	certify(t, f, persons[:4], "HCCDP", "GaussDB")
	certify(t, f, persons[4:], "HCCDP", "Cloud Service")
	if _, err := f.svc.Apply(bg, f.admin, Capability2025, "database"); key(err) != "fh.err.engineers" {
		t.Fatalf("applied with four engineers of the direction: %v", err)
	}
	if n, _ := Qualified(bg, f.db, f.admin.PartnerID, time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)); n["database"] != 4 || n["devsecops"] != 0 {
		t.Fatalf("qualified: %v, want 4 for 数据库", n)
	}
	certify(t, f, persons[4:], "HCCDE", "gaussdb")
	if _, err := f.svc.Apply(bg, f.eco, Capability2025, "database"); err == nil {
		t.Fatal("vendor staff applied for a partner")
	}
	pr, err := f.svc.Apply(bg, f.admin, Capability2025, "database")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Apply(bg, f.admin, Capability2025, "database"); key(err) != "fh.err.applied_already" {
		t.Fatalf("applied twice: %v", err)
	}
	if _, err := f.eng.Reject(bg, f.eco, *pr.ApplicationID, "材料不全"); err != nil {
		t.Fatal(err)
	}
	if page, err := f.svc.PageOf(bg, f.admin, Capability2025); err != nil || page.Program.Status != ProgramRejected || len(page.Scenarios) != 4 {
		t.Fatalf("the page after the rejection: %+v %v", page, err)
	}
	if pr, err = f.svc.Apply(bg, f.admin, Capability2025, "database"); err != nil {
		t.Fatalf("applied again after the rejection: %v", err)
	}
	if _, err := f.eng.Approve(bg, f.eco, *pr.ApplicationID, ""); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Join(bg, f.admin, Capability2025, Compliance); key(err) != "fh.err.no_tier" {
		t.Fatalf("signed without a tier: %v", err)
	}
	if err := f.svc.SetTier(bg, f.eco, "database", 2); !apperr.Is(err, apperr.KindForbidden) {
		t.Fatalf("an ecosystem manager set the tier: %v", err)
	}
	if err := f.svc.SetTier(bg, admin, "database", 4); key(err) != "fh.err.tier" {
		t.Fatalf("tier 4: %v", err)
	}
	if err := f.svc.SetTier(bg, admin, "database", 2); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Join(bg, f.admin, Capability2025, Compliance); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SetTier(bg, admin, "database", 3); err != nil { // later programmes; this one keeps 二档
		t.Fatal(err)
	}

	std := map[string]int64{}
	for _, st := range []struct{ sc, name string }{{"database", "迁移"}, {"database", "调优"}, {"devsecops", "流水线"}} {
		if err := f.svc.AddStandard(bg, admin, st.sc, st.name); err != nil {
			t.Fatal(err)
		}
		var sid int64
		f.db.Raw(`SELECT id FROM fh_standards WHERE scenario = ? AND name = ? ORDER BY id DESC LIMIT 1`, st.sc, st.name).Scan(&sid)
		std[st.name] = sid
	}
	if err := f.svc.AddStandard(bg, admin, "database", " 迁移 "); key(err) != "fh.err.standard_taken" {
		t.Fatalf("a standard twice: %v", err)
	}
	if err := f.svc.AddStandard(bg, f.eco, "database", "容灾"); !apperr.Is(err, apperr.KindForbidden) {
		t.Fatalf("an ecosystem manager added a standard: %v", err)
	}
	appraise := func(person int64, standard, on string) error {
		return f.svc.RecordAppraisal(bg, f.eco, AppraisalInput{ProgramID: pr.ID, PersonID: person, StandardID: std[standard], PassedOn: on})
	}
	if err := appraise(persons[0], "迁移", "2015-01-01"); err == nil {
		t.Fatal("an appraisal from before the partner joined")
	}
	if err := appraise(persons[0], "迁移", "2026-07-01"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		person         int64
		standard, on   string
		field, message string
	}{
		{persons[0], "迁移", "2026-07-01", "standard_id", "fh.err.appraised"},
		{persons[1], "流水线", "2026-07-01", "standard_id", "fh.err.standard"},
		{persons[1], "迁移", "2026-07-02", "passed_on", "fh.err.future_date"},
		{persons[1], "迁移", "2026-06-30", "passed_on", "fh.err.before_join_date"},
		{f.admin.UserID, "迁移", "2026-07-01", "person_id", "fh.err.not_specialist"},
	} {
		err := appraise(c.person, c.standard, c.on)
		if ae, ok := apperr.As(err); !ok || ae.Fields[c.field] != c.message {
			t.Errorf("%+v: %v", c, err)
		}
	}
	if err := f.svc.RecordAppraisal(bg, f.admin, AppraisalInput{ProgramID: pr.ID, PersonID: persons[1], StandardID: std["迁移"], PassedOn: "2026-07-01"}); err == nil {
		t.Fatal("a partner recorded its own appraisal")
	}

	month := func(m string) *Month {
		t.Helper()
		row, err := f.svc.SubmitMonth(bg, f.admin, MonthInput{Variant: Capability2025, Month: m})
		if err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		return row
	}
	jul := month("2026-07")
	if !jul.Amount.Equal(decimal.NewFromInt(200000)) {
		t.Fatalf("July: %s, want 1 × 200,000 (二档)", jul.Amount)
	}
	if _, err := f.eng.Approve(bg, f.eco, *jul.ApplicationID, ""); err != nil {
		t.Fatal(err)
	}
	f.clk.Advance(33 * 24 * time.Hour) // 3 August
	if _, err := f.svc.SubmitMonth(bg, f.admin, MonthInput{Variant: Capability2025, Month: "2026-08"}); key(err) != "fh.err.no_standards" {
		t.Fatalf("a month with nothing new passed: %v", err)
	}
	for _, a := range []struct {
		person   int64
		standard string
	}{{persons[1], "迁移"}, {persons[1], "调优"}, {persons[0], "调优"}} {
		if err := appraise(a.person, a.standard, "2026-08-02"); err != nil {
			t.Fatal(err)
		}
	}
	aug := month("2026-08")
	if !aug.Amount.Equal(decimal.NewFromInt(600000)) {
		t.Fatalf("August: %s, want 3 × 200,000", aug.Amount)
	}
	if _, err := f.eng.Reject(bg, f.eco, *aug.ApplicationID, "鉴定报告缺失"); err != nil {
		t.Fatal(err)
	}
	aug = month("2026-08") // the rejected month's standards are free again
	if !aug.Amount.Equal(decimal.NewFromInt(600000)) {
		t.Fatalf("August again: %s", aug.Amount)
	}

	// The same person in the 2024 FH and the 2025 one in September.
	if err := f.svc.Invite(bg, f.eco, f.admin.PartnerID, Service2024, ""); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Join(bg, f.admin, Service2024, Compliance); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SavePerson(bg, f.admin, PersonInput{PersonID: persons[2], Role: "expert", City: "成都"}); err != nil {
		t.Fatal(err)
	}
	f.clk.Advance(31 * 24 * time.Hour) // 3 September
	if err := appraise(persons[2], "迁移", "2026-09-01"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SubmitMonth(bg, f.admin, MonthInput{Variant: Service2024, Month: "2026-09"}); err != nil {
		t.Fatal(err)
	}
	// persons[2] is funded by the 2024 FH in September: its standard waits
	// for a month it is in no other FH; persons[3]'s is paid now.
	if _, err := f.svc.SubmitMonth(bg, f.admin, MonthInput{Variant: Capability2025, Month: "2026-09"}); key(err) != "fh.err.no_standards" {
		t.Fatalf("a person in two FH in September: %v", err)
	}
	if err := appraise(persons[3], "迁移", "2026-09-02"); err != nil {
		t.Fatal(err)
	}
	sep := month("2026-09")
	if !sep.Amount.Equal(decimal.NewFromInt(200000)) {
		t.Fatalf("September: %s, want persons[3]'s one standard", sep.Amount)
	}
	if _, err := f.eng.Approve(bg, f.eco, *sep.ApplicationID, ""); err != nil {
		t.Fatal(err)
	}

	if _, err := f.svc.ApplyPayment(bg, f.admin, Capability2025, "2026Q3"); key(err) != "fh.err.quarter_running" {
		t.Fatalf("paid a running quarter: %v", err)
	}
	f.clk.Advance(30 * 24 * time.Hour) // 3 October
	if _, err := f.svc.ApplyPayment(bg, f.admin, Capability2025, "2026Q3"); key(err) != "fh.err.quarter_in_review" {
		t.Fatalf("paid a quarter with a month in review: %v", err)
	}
	if _, err := f.eng.Approve(bg, f.eco, *aug.ApplicationID, ""); err != nil {
		t.Fatal(err)
	}
	pay, err := f.svc.ApplyPayment(bg, f.admin, Capability2025, "2026Q3")
	if err != nil || !pay.Amount.Equal(decimal.NewFromInt(1000000)) {
		t.Fatalf("the quarter: %+v %v, want 1,000,000", pay, err)
	}
	// A month of a quarter already applied for would never be paid.
	if err := appraise(persons[4], "迁移", "2026-08-15"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SubmitMonth(bg, f.admin, MonthInput{Variant: Capability2025, Month: "2026-08"}); key(err) != "fh.err.month_quarter_paid" {
		t.Fatalf("a month of a paid quarter: %v", err)
	}
	page, err := f.svc.PageOf(bg, f.admin, Capability2025)
	if err != nil || len(page.Appraisals) != 7 || len(page.Months) != 4 || len(page.Payments) != 1 || len(page.Payable) != 0 {
		t.Fatalf("the page: %+v %v", page, err)
	}
	paid := 0
	for _, a := range page.Appraisals {
		if a.PaidMonth != nil {
			paid++
		}
	}
	if paid != 5 {
		t.Fatalf("%d appraisals paid, want 5 (persons[2]'s and persons[4]'s wait)", paid)
	}
	if *page.Program.Tier != 2 {
		t.Fatalf("the programme's tier moved with the vendor's: %d", *page.Program.Tier)
	}
}

// Only a role-certified service partner applies itself; the others are
// invited (condition 1, CTSP) to a scenario.
func TestCapabilityNeedsARoleCertifiedServicePartner(t *testing.T) {
	f, persons := setupN(t, 5)
	certify(t, f, persons, "HCCDP", "AI")
	if err := f.db.Exec(`UPDATE path_enrollments SET stage = 'joined' WHERE partner_id = ?`, f.admin.PartnerID).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Apply(bg, f.admin, Capability2025, "pangu"); key(err) != "fh.err.not_role_certified" {
		t.Fatalf("a partner that only joined the path applied: %v", err)
	}
	if err := f.svc.Invite(bg, f.eco, f.admin.PartnerID, Capability2025, ""); key(err) != "fh.err.scenario" {
		t.Fatalf("invited without a scenario: %v", err)
	}
	if err := f.svc.Invite(bg, f.eco, f.admin.PartnerID, Capability2025, "pangu"); err != nil {
		t.Fatal(err)
	}
	page, err := f.svc.PageOf(bg, f.admin, Capability2025)
	if err != nil || page.Program.Status != ProgramInvited || *page.Program.Scenario != "pangu" {
		t.Fatalf("the invitation: %+v %v", page, err)
	}
}

package fh

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"partnercenter/internal/paths"
)

// Six gradings of one expert at once, each with its own project: two are
// recorded (§10.6.3.5: 最多可申请2次激励), the others refused in the
// seed's words — the person's row lock serialises them.
func TestConcurrentGradingsKeepTwoPerExpert(t *testing.T) {
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
	certify(t, f, persons, "HCCDP", "Solution Architectures")
	moveTo(f, time.Date(2026, 10, 20, 2, 0, 0, 0, time.UTC))
	n := seq.Add(1)
	var wg sync.WaitGroup
	var recorded, refused atomic.Int32
	for i := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := f.svc.RecordGrading(bg, f.eco, GradingInput{ProgramID: pr.ID, PersonID: persons[0], Level: LevelSenior,
				ProjectCode: fmt.Sprintf("C%d-%d", n, i), ProjectName: "并发项目", Customer: "并发客户", Currency: "CNY", Cash: "2000000",
				StartMonth: "2026-06", GradedOn: "2026-10-20"})
			switch {
			case err == nil:
				recorded.Add(1)
			case fieldKey(err, "person_id") == "fh.err.graded_twice":
				refused.Add(1)
			default:
				t.Errorf("grading %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	var rows int64
	f.db.Model(&Grading{}).Where("person_id = ?", persons[0]).Count(&rows)
	if recorded.Load() != 2 || refused.Load() != 4 || rows != 2 {
		t.Fatalf("%d recorded, %d refused, %d rows; want 2, 4, 2", recorded.Load(), refused.Load(), rows)
	}
}

// Two LP months at once choosing the same lecturer's cultivation fund: one
// is submitted, the other refused (§10.6.4.3: 一个讲师只能申请一次).
func TestConcurrentCultivationOncePerLecturer(t *testing.T) {
	f, persons := setupPath(t, 3, paths.PathLearning, paths.StageJoined)
	if err := f.svc.Invite(bg, f.eco, f.admin.PartnerID, LPLecturer, ""); err != nil {
		t.Fatal(err)
	}
	var pr Program
	f.db.Where("partner_id = ? AND variant = ?", f.admin.PartnerID, LPLecturer).Take(&pr)
	if err := f.svc.SetLimit(bg, f.eco, pr.ID, "8000"); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Join(bg, f.admin, LPLecturer, Compliance); err != nil {
		t.Fatal(err)
	}
	certify(t, f, persons, "HCCDE", "Kunpeng讲师")
	moveTo(f, time.Date(2026, 8, 3, 2, 0, 0, 0, time.UTC))
	var wg sync.WaitGroup
	var submitted, refused atomic.Int32
	for _, m := range []string{"2026-07", "2026-08"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.svc.SubmitMonth(bg, f.admin, MonthInput{Variant: LPLecturer, Month: m, Materials: proof,
				Lecturers: []LecturerInput{{PersonID: persons[0], Fund: FundCultivation}}})
			switch {
			case err == nil:
				submitted.Add(1)
			case fieldKey(err, "fund_"+itoa(persons[0])) == "fh.err.cultivated" || key(err) == "fh.err.cultivated":
				refused.Add(1)
			default:
				t.Errorf("%s: %v", m, err)
			}
		}()
	}
	wg.Wait()
	if submitted.Load() != 1 || refused.Load() != 1 {
		t.Fatalf("%d submitted, %d refused; want 1 and 1", submitted.Load(), refused.Load())
	}
}

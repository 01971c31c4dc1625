package approval

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/files"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
)

var bg = context.Background()

func wantKind(t *testing.T, err error, k apperr.Kind) *apperr.Error {
	t.Helper()
	ae, ok := apperr.As(err)
	if !ok || ae.Kind != k {
		t.Fatalf("got %v, want apperr kind %d", err, k)
	}
	return ae
}

func countEvents(t *testing.T, f *fx, id int64) int64 {
	var n int64
	f.db.Table("application_events").Where("application_id = ?", id).Count(&n)
	return n
}

func TestSubmitAssignsPartnersEcoManagerAndNotifiesIt(t *testing.T) {
	f := setup(t)
	app := f.submit(t, f.admin1, "test_manual")
	if app.State != StateSubmitted || app.SubmittedAt == nil || app.DueAt == nil {
		t.Fatalf("submitted app: %+v", app)
	}
	if app.ReviewerID == nil || *app.ReviewerID != f.eco.UserID {
		t.Fatalf("reviewer %v, want the partner's eco manager %d", app.ReviewerID, f.eco.UserID)
	}
	var n int64
	f.db.Table("messages").Where("user_id = ? AND subject_key = 'approval.msg.assigned.subject'", f.eco.UserID).Count(&n)
	if n == 0 {
		t.Fatal("the reviewer must get a 站内信")
	}
	var audits int64
	f.db.Table("audit_log").Where("object_type = 'application' AND object_id = ?", fmt.Sprint(app.ID)).Count(&audits)
	if audits < 2 {
		t.Fatalf("create and submit must be audited, got %d rows", audits)
	}
}

func TestReviewerIsLeastLoadedEcoManagerForCompanyWithout(t *testing.T) {
	f := setup(t)
	tx := f.db.Begin()
	defer tx.Rollback()
	if err := tx.Exec(`UPDATE users SET status = 'disabled' WHERE kind = 'vendor'`).Error; err != nil {
		t.Fatal(err)
	}
	busy := mkUser(t, tx, "vendor", 0, "eco_manager", false)
	idle := mkUser(t, tx, "vendor", 0, "eco_manager", false)
	orphan := mkPartner(t, tx, "无经理公司", nil)
	other := mkPartner(t, tx, "忙碌公司", &busy.UserID)
	now := time.Now()
	if err := tx.Exec(`INSERT INTO applications (type, partner_id, state, submitted_at, reviewer_id) VALUES ('test_manual', ?, 'submitted', ?, ?)`,
		other, now, busy.UserID).Error; err != nil {
		t.Fatal(err)
	}
	got, err := PickReviewer(bg, tx, orphan)
	if err != nil {
		t.Fatal(err)
	}
	if got != idle.UserID {
		t.Fatalf("picked %d, want the idle eco manager %d (busy %d)", got, idle.UserID, busy.UserID)
	}
	got, _ = PickReviewer(bg, tx, other)
	if got != busy.UserID {
		t.Fatalf("a company's own eco manager comes first: got %d, want %d", got, busy.UserID)
	}
}

func TestDueDateCountsWorkingDaysSkippingWeekendsAndHolidays(t *testing.T) {
	f := setup(t)
	if err := f.db.Exec(`INSERT INTO calendar_days (day, kind, name) VALUES ('2030-01-07', 'holiday', '测试假日'), ('2030-03-09', 'workday', '调休')
		ON CONFLICT DO NOTHING`).Error; err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		at   time.Time
		want string
	}{
		// Thu → Fri(1), weekend, Mon holiday, Tue(2), Wed(3).
		{time.Date(2030, 1, 3, 10, 0, 0, 0, clock.China), "2030-01-09 23:59:59"},
		// Thu → Fri(1), Sat make-up day(2), Mon(3).
		{time.Date(2030, 3, 7, 10, 0, 0, 0, clock.China), "2030-03-11 23:59:59"},
	}
	for _, c := range cases {
		f.clk = clock.NewFixed(c.at)
		f.eng.Clock = f.clk
		app := f.submit(t, f.admin1, "test_manual")
		if got := app.DueAt.In(clock.China).Format("2006-01-02 15:04:05"); got != c.want {
			t.Errorf("submitted %s: due %s, want %s", c.at, got, c.want)
		}
	}
}

func TestApproveRecordsHistoryAuditHookAndNotifiesApplicant(t *testing.T) {
	f := setup(t)
	app := f.submit(t, f.member1, "test_manual")
	before := countEvents(t, f, app.ID)
	got, err := f.eng.Approve(bg, f.eco, app.ID, "资料齐全")
	if err != nil {
		t.Fatal(err)
	}
	if got.State != StateApproved || got.DecidedAt == nil || got.DecidedBy == nil || *got.DecidedBy != f.eco.UserID {
		t.Fatalf("approved: %+v", got)
	}
	if countEvents(t, f, app.ID) != before+1 {
		t.Fatal("one history event per transition")
	}
	var ev Event
	f.db.Where("application_id = ?", app.ID).Order("id DESC").First(&ev)
	if ev.Action != ActionApprove || ev.FromState != StateSubmitted || ev.ToState != StateApproved || ev.Comment != "资料齐全" || ev.ActorName != f.eco.Name {
		t.Fatalf("event %+v", ev)
	}
	if hookCalls[fmt.Sprintf("approve:%d", app.ID)] != 1 {
		t.Fatal("OnApprove must run once")
	}
	var n int64
	f.db.Table("messages").Where("user_id = ? AND subject_key = 'approval.msg.approved.subject'", f.member1.UserID).Count(&n)
	if n != 1 {
		t.Fatalf("applicant messages: %d", n)
	}
	f.db.Table("audit_log").Where("action = 'application.approve' AND object_id = ?", fmt.Sprint(app.ID)).Count(&n)
	if n != 1 {
		t.Fatal("approval must be audited")
	}
}

func TestRejectRequiresAReasonOfAtMost1000Characters(t *testing.T) {
	f := setup(t)
	app := f.submit(t, f.admin1, "test_manual")
	ae := wantKind(t, func() error { _, err := f.eng.Reject(bg, f.eco, app.ID, "   "); return err }(), apperr.KindInvalid)
	if ae.Fields["reason"] != "approval.err.reason_required" {
		t.Fatalf("fields %v", ae.Fields)
	}
	ae = wantKind(t, func() error { _, err := f.eng.Reject(bg, f.eco, app.ID, strings.Repeat("长", 1001)); return err }(), apperr.KindInvalid)
	if ae.Fields["reason"] != "approval.err.reason_too_long" {
		t.Fatalf("fields %v", ae.Fields)
	}
	if f.reload(t, app.ID).State != StateSubmitted {
		t.Fatal("a refused rejection changes nothing")
	}
	got, err := f.eng.Reject(bg, f.eco, app.ID, strings.Repeat("长", 1000))
	if err != nil {
		t.Fatal(err)
	}
	if got.State != StateRejected || hookCalls[fmt.Sprintf("reject:%d", app.ID)] != 1 {
		t.Fatalf("rejected: %+v", got)
	}
	var params string
	f.db.Table("messages").Select("params").Where("user_id = ? AND subject_key = 'approval.msg.rejected.subject'", f.admin1.UserID).
		Order("id DESC").Limit(1).Scan(&params)
	if !strings.Contains(params, "长长长") {
		t.Fatalf("the applicant's message carries the reason: %s", params)
	}
}

func TestSecondDecisionIsRefusedAndChangesNothing(t *testing.T) {
	f := setup(t)
	app := f.submit(t, f.admin1, "test_manual")
	if _, err := f.eng.Approve(bg, f.eco, app.ID, ""); err != nil {
		t.Fatal(err)
	}
	events := countEvents(t, f, app.ID)
	ae := wantKind(t, func() error { _, err := f.eng.Reject(bg, f.vendorAdm, app.ID, "不通过"); return err }(), apperr.KindConflict)
	if ae.Key != "approval.err.already_decided" {
		t.Fatal(ae.Key)
	}
	wantKind(t, func() error { _, err := f.eng.Approve(bg, f.eco, app.ID, ""); return err }(), apperr.KindConflict)
	if a := f.reload(t, app.ID); a.State != StateApproved || countEvents(t, f, app.ID) != events {
		t.Fatal("a second decision must change nothing")
	}
}

func TestConcurrentDecisionsOnlyOneWins(t *testing.T) {
	f := setup(t)
	app := f.submit(t, f.admin1, "test_manual")
	var wg sync.WaitGroup
	errs := make([]error, 6)
	for i := range errs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if i%2 == 0 {
				_, errs[i] = f.eng.Approve(bg, f.eco, app.ID, "")
			} else {
				_, errs[i] = f.eng.Reject(bg, f.vendorAdm, app.ID, "并发驳回")
			}
		}(i)
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else {
			wantKind(t, err, apperr.KindConflict)
		}
	}
	if ok != 1 {
		t.Fatalf("%d decisions succeeded, want exactly 1", ok)
	}
	var n int64
	f.db.Table("application_events").Where("application_id = ? AND action IN ('approve', 'reject')", app.ID).Count(&n)
	if n != 1 {
		t.Fatalf("%d decision events", n)
	}
}

func TestIllegalTransitionsAreRefused(t *testing.T) {
	f := setup(t)
	states := map[string]*Application{}
	states[StateDraft] = f.draft(t, f.admin1)
	a := f.submit(t, f.admin1, "test_manual")
	f.eng.Approve(bg, f.eco, a.ID, "")
	states[StateApproved] = a
	r := f.submit(t, f.admin1, "test_manual")
	f.eng.Reject(bg, f.eco, r.ID, "资料不全")
	states[StateRejected] = r
	w := f.submit(t, f.admin1, "test_manual")
	if _, err := f.eng.Withdraw(bg, f.admin1, w.ID); err != nil {
		t.Fatal(err)
	}
	states[StateWithdrawn] = w
	for st, app := range states {
		if f.reload(t, app.ID).State != st {
			t.Fatalf("fixture %s", st)
		}
		if _, err := f.eng.Approve(bg, f.eco, app.ID, ""); !apperr.Is(err, apperr.KindConflict) {
			t.Errorf("approve from %s: %v", st, err)
		}
		if _, err := f.eng.Reject(bg, f.eco, app.ID, "原因"); !apperr.Is(err, apperr.KindConflict) {
			t.Errorf("reject from %s: %v", st, err)
		}
		if _, err := f.eng.Withdraw(bg, f.admin1, app.ID); !apperr.Is(err, apperr.KindConflict) {
			t.Errorf("withdraw from %s: %v", st, err)
		}
		if st != StateDraft {
			if _, err := f.eng.Submit(bg, f.admin1, app.ID); !apperr.Is(err, apperr.KindConflict) {
				t.Errorf("submit from %s: %v", st, err)
			}
		}
		if got := f.reload(t, app.ID).State; got != st {
			t.Errorf("%s changed to %s", st, got)
		}
	}
	// The one legal move of a draft: submit.
	got, err := f.eng.Submit(bg, f.admin1, states[StateDraft].ID)
	if err != nil || got.State != StateSubmitted {
		t.Fatalf("draft → submitted: %v", err)
	}
}

func TestWithdrawOnlyByApplicantWhileSubmitted(t *testing.T) {
	f := setup(t)
	app := f.submit(t, f.admin1, "test_manual")
	other := mkUser(t, f.db, "partner", f.p1, "", false)
	wantKind(t, func() error { _, err := f.eng.Withdraw(bg, other, app.ID); return err }(), apperr.KindForbidden)
	wantKind(t, func() error { _, err := f.eng.Withdraw(bg, f.admin2, app.ID); return err }(), apperr.KindNotFound)
	wantKind(t, func() error { _, err := f.eng.Withdraw(bg, f.eco, app.ID); return err }(), apperr.KindNotFound)
	if f.reload(t, app.ID).State != StateSubmitted {
		t.Fatal("refused withdrawals change nothing")
	}
	got, err := f.eng.Withdraw(bg, f.admin1, app.ID)
	if err != nil || got.State != StateWithdrawn || hookCalls[fmt.Sprintf("withdraw:%d", app.ID)] != 1 {
		t.Fatalf("withdraw: %v %+v", err, got)
	}
	// The member who applied may withdraw its own; the main account may too.
	mine := f.submit(t, f.member1, "test_manual")
	if _, err := f.eng.Withdraw(bg, f.member1, mine.ID); err != nil {
		t.Fatal(err)
	}
}

func TestAnotherTenantsApplicationIsNotFound(t *testing.T) {
	f := setup(t)
	app := f.submit(t, f.admin1, "test_manual")
	if _, err := f.eng.DetailForPartner(bg, f.admin2, app.ID); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("other tenant detail: %v", err)
	}
	if d, err := f.eng.DetailForPartner(bg, f.admin1, app.ID); err != nil || d.ID != app.ID || len(d.Events) == 0 {
		t.Fatalf("own detail: %v", err)
	}
	rows, total, err := f.eng.ForPartner(bg, f.admin2, Query{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.PartnerID != f.p2 {
			t.Fatalf("list of p2 shows %d's application (total %d)", r.PartnerID, total)
		}
	}
}

func TestEcoManagerSeesOnlyAssignedOrResponsibleApplications(t *testing.T) {
	f := setup(t)
	app := f.submit(t, f.admin1, "test_manual") // p1: eco
	if _, err := f.eng.DetailForVendor(bg, f.eco2, app.ID); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("eco2 detail: %v", err)
	}
	if _, err := f.eng.Approve(bg, f.eco2, app.ID, ""); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("eco2 approve: %v", err)
	}
	if _, err := f.eng.DetailForVendor(bg, f.vendorAdm, app.ID); err != nil {
		t.Fatalf("vendor admin sees all: %v", err)
	}
	// Assigned to eco2 though p1 is eco's: both see it.
	f.db.Exec(`UPDATE applications SET reviewer_id = ? WHERE id = ?`, f.eco2.UserID, app.ID)
	for _, a := range []*access.Principal{f.eco, f.eco2} {
		if _, err := f.eng.DetailForVendor(bg, a, app.ID); err != nil {
			t.Fatalf("%s: %v", a.Name, err)
		}
	}
	// Partner users are never vendor actors.
	if _, err := f.eng.DetailForVendor(bg, f.admin1, app.ID); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatal("partner user as vendor")
	}
	rows, _, err := f.eng.Inbox(bg, f.eco2, Query{PerPage: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.PartnerID != f.p2 && (r.ReviewerID == nil || *r.ReviewerID != f.eco2.UserID) {
			t.Fatalf("eco2 inbox shows application %d", r.ID)
		}
	}
}

func TestInboxFiltersOverdueTypeAndPartnerName(t *testing.T) {
	f := setup(t)
	late := f.submit(t, f.admin1, "test_manual")
	f.clk.Advance(10 * 24 * time.Hour)
	fresh := f.submit(t, f.admin1, "test_manual")
	rows, total, err := f.eng.Inbox(bg, f.eco, Query{Overdue: true, PerPage: 100})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int64]bool{}
	for _, r := range rows {
		seen[r.ID] = true
	}
	if !seen[late.ID] || seen[fresh.ID] || total != int64(len(rows)) {
		t.Fatalf("overdue filter: %v", seen)
	}
	var name string
	f.db.Table("partners").Select("name").Where("id = ?", f.p1).Scan(&name)
	rows, _, _ = f.eng.Inbox(bg, f.vendorAdm, Query{Partner: name, Type: "test_manual", PerPage: 100})
	if len(rows) == 0 {
		t.Fatal("partner name search finds nothing")
	}
	for _, r := range rows {
		if r.PartnerID != f.p1 || r.Type != "test_manual" {
			t.Fatalf("filter leak %+v", r.Application)
		}
	}
	if rows, _, _ := f.eng.Inbox(bg, f.vendorAdm, Query{Partner: "%"}); len(rows) != 0 {
		t.Fatal("% is searched literally")
	}
	c, err := f.eng.InboxCounts(bg, f.eco, Query{})
	if err != nil || c.Overdue < 1 || c.Submitted < 2 {
		t.Fatalf("counts %+v %v", c, err)
	}
	// Sorted by due date ascending: the late one first.
	rows, _, _ = f.eng.Inbox(bg, f.eco, Query{State: StateSubmitted, Sort: "due", PerPage: 100})
	for i := 1; i < len(rows); i++ {
		if rows[i-1].DueAt.After(*rows[i].DueAt) {
			t.Fatal("not sorted by due date")
		}
	}
}

func TestAutoChecksCanDecideAtSubmission(t *testing.T) {
	f := setup(t)
	ok := f.submit(t, f.admin1, "test_auto_ok")
	if ok.State != StateApproved || len(ok.CheckResults()) != 1 {
		t.Fatalf("auto approve: %+v", ok)
	}
	no := f.submit(t, f.admin1, "test_auto_no")
	if no.State != StateRejected || no.DecisionComment == "" {
		t.Fatalf("auto reject: %+v", no)
	}
	var actions []string
	f.db.Table("application_events").Where("application_id = ?", ok.ID).Order("id").Pluck("action", &actions)
	if strings.Join(actions, ",") != "create,submit,auto_check,auto_approve" {
		t.Fatalf("history %v", actions)
	}
}

func TestAttachmentsAreTypeCheckedAndScoped(t *testing.T) {
	f := setup(t)
	var fileID int64
	err := f.db.Transaction(func(tx *gorm.DB) error {
		up := files.Upload{PartnerID: f.p1, UserID: f.admin1.UserID, Name: "x.exe", Data: []byte("MZ...")}
		if _, _, err := files.Save(bg, tx, up, files.Documents, files.MaxSize, "licence"); !apperr.Is(err, apperr.KindInvalid) {
			t.Fatalf("exe accepted: %v", err)
		}
		up.Name, up.Data = "big.pdf", append([]byte("%PDF-"), make([]byte, files.MaxSize)...)
		if _, _, err := files.Save(bg, tx, up, files.Documents, files.MaxSize, "licence"); !apperr.Is(err, apperr.KindInvalid) {
			t.Fatalf("11 MB accepted: %v", err)
		}
		up.Name, up.Data = `C:\docs\执照.pdf`, []byte("%PDF-1.4 test")
		id, ct, err := files.Save(bg, tx, up, files.Documents, files.MaxSize, "licence")
		if err != nil {
			return err
		}
		if ct != files.PDF {
			t.Fatalf("content type %q", ct)
		}
		fileID = id
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var app *Application
	f.db.Transaction(func(tx *gorm.DB) error {
		app, err = f.eng.SubmitNew(bg, tx, f.admin1, New{Type: "test_manual", Title: "附件", FileIDs: []int64{fileID}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := f.eng.FileForPartner(bg, f.admin1, app.ID, fileID); err != nil || got.Name != "执照.pdf" || got.ContentType != files.PDF {
		t.Fatalf("own attachment: %v %+v", err, got)
	}
	if _, err := f.eng.FileForPartner(bg, f.admin2, app.ID, fileID); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatal("other tenant downloads attachment")
	}
	if _, err := f.eng.FileForVendor(bg, f.eco2, app.ID, fileID); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatal("eco2 downloads attachment")
	}
	if _, err := f.eng.FileForVendor(bg, f.eco, app.ID, fileID); err != nil {
		t.Fatal(err)
	}
	// Another tenant's file cannot be attached.
	err = f.db.Transaction(func(tx *gorm.DB) error {
		_, err := f.eng.SubmitNew(bg, tx, f.admin2, New{Type: "test_manual", Title: "偷附件", FileIDs: []int64{fileID}})
		return err
	})
	if !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("foreign file attached: %v", err)
	}
}

// A principal of the wrong kind is refused by every method (404, as an
// application it may not see) and changes nothing: a partner member, a
// customer or the system on the vendor's side, vendor staff, a customer
// or the system on the partner's side.
func TestPrincipalOfTheWrongKindIsRefusedAndChangesNothing(t *testing.T) {
	f := setup(t)
	app := f.submit(t, f.admin1, "test_manual")
	draft := f.draft(t, f.admin1)
	customer := access.CustomerUser(f.admin1.UserID) // even with a partner member's user id
	events := countEvents(t, f, app.ID)
	refused := func(what string, err error) {
		t.Helper()
		if !apperr.Is(err, apperr.KindNotFound) {
			t.Fatalf("%s: got %v, want 404", what, err)
		}
	}
	for _, p := range []*access.Principal{f.admin1, f.member1, customer, access.System, nil} {
		_, err := f.eng.Approve(bg, p, app.ID, "")
		refused("approve", err)
		_, err = f.eng.Reject(bg, p, app.ID, "不通过")
		refused("reject", err)
		_, _, err = f.eng.Inbox(bg, p, Query{})
		refused("inbox", err)
		_, err = f.eng.InboxCounts(bg, p, Query{})
		refused("inbox counts", err)
		_, err = f.eng.ResponsibleFor(bg, p)
		refused("responsible for", err)
		_, err = f.eng.DetailForVendor(bg, p, app.ID)
		refused("vendor detail", err)
		_, err = f.eng.FileForVendor(bg, p, app.ID, 1)
		refused("vendor file", err)
	}
	for _, p := range []*access.Principal{f.eco, f.vendorAdm, customer, access.System, nil} {
		_, err := f.eng.Withdraw(bg, p, app.ID)
		refused("withdraw", err)
		_, err = f.eng.Submit(bg, p, draft.ID)
		refused("submit", err)
		err = f.db.Transaction(func(tx *gorm.DB) error {
			_, err := f.eng.SubmitNew(bg, tx, p, New{Type: "test_manual", Title: "越权"})
			return err
		})
		refused("submit new", err)
		_, _, err = f.eng.ForPartner(bg, p, Query{})
		refused("list", err)
		_, err = f.eng.PartnerCounts(bg, p)
		refused("counts", err)
		_, err = f.eng.DetailForPartner(bg, p, app.ID)
		refused("detail", err)
		_, err = f.eng.FileForPartner(bg, p, app.ID, 1)
		refused("file", err)
		_, err = f.eng.Latest(bg, p, "test_manual")
		refused("latest", err)
	}
	if got := f.reload(t, app.ID); got.State != StateSubmitted || countEvents(t, f, app.ID) != events {
		t.Fatalf("a refused principal changed the application: %+v", got)
	}
	if f.reload(t, draft.ID).State != StateDraft {
		t.Fatal("a refused principal submitted the draft")
	}
	var n int64
	f.db.Table("applications").Where("title = ?", "越权").Count(&n)
	if n != 0 {
		t.Fatal("a refused principal created an application")
	}
}

package approval

import (
	"context"
	"fmt"

	"partnercenter/internal/access"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/files"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
)

// twoStages reviews in two stages: the ecosystem manager (2 working
// days), then the vendor administrator (3).
type twoStages struct{ Base }

func (twoStages) Key() string { return "test_two_stages" }
func (twoStages) Stages() []Stage {
	return []Stage{{Key: "eco", Role: "eco_manager", SLA: 2}, {Key: "admin", Role: "vendor_admin", SLA: 3}}
}

func init() { Register(twoStages{}) }

func actions(t *testing.T, f *fx, id int64) string {
	t.Helper()
	var out []string
	f.db.Table("application_events").Where("application_id = ?", id).Order("id").
		Pluck("action || ':' || stage", &out)
	return strings.Join(out, ",")
}

func messages(t *testing.T, f *fx, userID int64, subject string) int64 {
	t.Helper()
	var n int64
	f.db.Table("messages").Where("user_id = ? AND subject_key = ?", userID, subject).Count(&n)
	return n
}

func pdf(t *testing.T, f *fx, partnerID, userID int64) int64 {
	t.Helper()
	var id int64
	err := f.db.Transaction(func(tx *gorm.DB) error {
		var err error
		id, _, err = files.Save(bg, tx, files.Upload{PartnerID: partnerID, UserID: userID, Name: "补充.pdf", Data: []byte("%PDF-1.4 more")},
			files.Documents, files.MaxSize, "file")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// 退回补充材料: the reviewer must say what is missing; the application
// waits for its applicant, who adds a note and files and resubmits it to
// the same reviewer with a new due date (or withdraws it).
func TestReturnedApplicationIsResubmittedWithMaterials(t *testing.T) {
	f := setup(t)
	app := f.submit(t, f.member1, "test_manual")
	if _, err := f.eng.Return(bg, f.eco, app.ID, "  "); err == nil || fieldKey(err, "return_comment") != "approval.err.return_comment_required" {
		t.Fatalf("return without a comment: %v", err)
	}
	if _, err := f.eng.Return(bg, f.eco2, app.ID, "补充营业执照"); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("another partner's eco manager returns it: %v", err)
	}
	got, err := f.eng.Return(bg, f.eco, app.ID, "请补充营业执照副本")
	if err != nil || got.State != StateReturned || got.ReturnedComment != "请补充营业执照副本" {
		t.Fatalf("returned: %+v %v", got, err)
	}
	if messages(t, f, f.member1.UserID, "approval.msg.returned.subject") != 1 {
		t.Error("the applicant is not told")
	}
	if _, err := f.eng.Approve(bg, f.eco, app.ID, ""); !apperr.Is(err, apperr.KindConflict) {
		t.Fatalf("approving a returned application: %v", err)
	}
	if _, err := f.eng.Resubmit(bg, f.admin2, app.ID, Supplement{Note: "x"}); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("another tenant resubmits: %v", err)
	}
	if _, err := f.eng.Resubmit(bg, f.member1, app.ID, Supplement{}); fieldKey(err, "note") != "approval.err.supplement_required" {
		t.Fatalf("resubmitting nothing: %v", err)
	}
	foreign := pdf(t, f, f.p2, f.admin2.UserID)
	if _, err := f.eng.Resubmit(bg, f.member1, app.ID, Supplement{Note: "见附件", FileIDs: []int64{foreign}}); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("another tenant's file: %v", err)
	}
	f.clk.Advance(72 * time.Hour) // Thursday 10:00
	own := pdf(t, f, f.p1, f.member1.UserID)
	got, err = f.eng.Resubmit(bg, f.member1, app.ID, Supplement{Note: "已补充营业执照副本", FileIDs: []int64{own}})
	if err != nil || got.State != StateSubmitted {
		t.Fatalf("resubmitted: %+v %v", got, err)
	}
	if due := f.reload(t, app.ID).DueAt.In(clock.China).Format(time.DateOnly); due != "2029-06-12" {
		t.Errorf("new due date %s, want 2029-06-12 (3 working days from Thursday)", due)
	}
	if *f.reload(t, app.ID).ReviewerID != f.eco.UserID || messages(t, f, f.eco.UserID, "approval.msg.resubmitted.subject") != 1 {
		t.Error("the resubmission goes back to its reviewer, told")
	}
	var attached int64
	f.db.Table("application_attachments").Where("application_id = ? AND file_id = ?", app.ID, own).Count(&attached)
	if attached != 1 {
		t.Error("the file is not attached")
	}
	if got := actions(t, f, app.ID); got != "create:1,submit:1,assign:1,return:1,resubmit:1" {
		t.Errorf("history %s", got)
	}
	// Returned again, then withdrawn by its applicant.
	if _, err := f.eng.Return(bg, f.eco, app.ID, "仍缺少授权书"); err != nil {
		t.Fatal(err)
	}
	if got, err := f.eng.Withdraw(bg, f.member1, app.ID); err != nil || got.State != StateWithdrawn {
		t.Fatalf("withdraw a returned application: %+v %v", got, err)
	}
	if _, err := f.eng.Resubmit(bg, f.member1, app.ID, Supplement{Note: "x"}); !apperr.Is(err, apperr.KindConflict) {
		t.Fatalf("resubmitting a withdrawn application: %v", err)
	}
}

// A staged type: approving the first stage moves the application to the
// next stage's reviewer role and SLA; rejection at any stage ends it.
func TestStagedReviewMovesStageByStage(t *testing.T) {
	f := setup(t)
	app := f.submit(t, f.admin1, "test_two_stages")
	if app.Stage != 1 || *app.ReviewerID != f.eco.UserID {
		t.Fatalf("stage 1: %+v", app)
	}
	if due := app.DueAt.In(clock.China).Format(time.DateOnly); due != "2029-06-06" {
		t.Errorf("stage 1 due %s, want 2029-06-06 (2 working days)", due)
	}
	got, err := f.eng.Approve(bg, f.eco, app.ID, "技术评估通过")
	if err != nil || got.State != StateSubmitted || got.Stage != 2 || got.ReviewerID == nil {
		t.Fatalf("after stage 1: %+v %v", got, err)
	}
	var role string
	f.db.Raw(`SELECT vendor_role FROM users WHERE id = ?`, *got.ReviewerID).Scan(&role)
	if role != "vendor_admin" {
		t.Fatalf("stage 2 reviewer %d is a %q, want a vendor_admin", *got.ReviewerID, role)
	}
	// The rest of this test decides as f.vendorAdm.
	if *got.ReviewerID != f.vendorAdm.UserID {
		if _, err := f.eng.Reassign(bg, f.vendorAdm, app.ID, f.vendorAdm.UserID, ""); err != nil {
			t.Fatal(err)
		}
	}
	if due := got.DueAt.In(clock.China).Format(time.DateOnly); due != "2029-06-07" {
		t.Errorf("stage 2 due %s, want 2029-06-07 (3 working days)", due)
	}
	if messages(t, f, f.vendorAdm.UserID, "approval.msg.assigned.subject") < 1 {
		t.Error("the next stage's reviewer is not told")
	}
	if hookCalls[key("approve", app.ID)] != 0 {
		t.Error("a stage's approval must not run the type's OnApprove")
	}
	if rows, _, err := f.eng.Inbox(bg, f.vendorAdm, Query{Stage: 2}); err != nil || len(rows) != 1 || rows[0].ID != app.ID {
		t.Fatalf("inbox by stage 2: %v %v", rows, err)
	}
	if rows, _, _ := f.eng.Inbox(bg, f.vendorAdm, Query{Stage: 1, Type: "test_two_stages"}); len(rows) != 0 {
		t.Errorf("inbox by stage 1 lists %d", len(rows))
	}
	got, err = f.eng.Approve(bg, f.vendorAdm, app.ID, "商务审核通过")
	if err != nil || got.State != StateApproved {
		t.Fatalf("after stage 2: %+v %v", got, err)
	}
	if got := actions(t, f, app.ID); !strings.HasPrefix(got, "create:1,submit:1,assign:1,advance:1,assign:2,") || !strings.HasSuffix(got, ",approve:2") {
		t.Errorf("history %s", got)
	}
	// Rejected at the second stage: ended.
	other := f.submit(t, f.admin1, "test_two_stages")
	if _, err := f.eng.Approve(bg, f.eco, other.ID, ""); err != nil {
		t.Fatal(err)
	}
	if got, err := f.eng.Reject(bg, f.vendorAdmin(t, other.ID), other.ID, "预算不足"); err != nil || got.State != StateRejected || got.Stage != 2 {
		t.Fatalf("rejected at stage 2: %+v %v", got, err)
	}
}

// vendorAdmin is the vendor administrator the application is assigned
// to, as a principal of the fixture's kind.
func (f *fx) vendorAdmin(t *testing.T, id int64) *access.Principal {
	t.Helper()
	a := f.reload(t, id)
	if a.ReviewerID == nil {
		t.Fatal("unassigned")
	}
	p := access.VendorStaff(*a.ReviewerID, "vendor_admin")
	p.Name = "admin"
	return p
}

func key(action string, id int64) string { return fmt.Sprintf("%s:%d", action, id) }

// fieldKey is the message key of a field error on field ("" otherwise).
func fieldKey(err error, field string) string {
	if ae, ok := apperr.As(err); ok {
		return ae.Fields[field]
	}
	return ""
}

// Only the vendor administrator reassigns, to an active reviewer.
func TestReassignIsTheVendorAdministrators(t *testing.T) {
	f := setup(t)
	app := f.submit(t, f.admin1, "test_manual")
	if _, err := f.eng.Reassign(bg, f.eco, app.ID, f.eco2.UserID, ""); !apperr.Is(err, apperr.KindForbidden) {
		t.Fatalf("an eco manager reassigns: %v", err)
	}
	if _, err := f.eng.Reassign(bg, f.vendorAdm, app.ID, f.admin1.UserID, ""); fieldKey(err, "reviewer") != "approval.err.reviewer_invalid" {
		t.Fatalf("to a partner user: %v", err)
	}
	if _, err := f.eng.Reassign(bg, f.vendorAdm, app.ID, f.eco.UserID, ""); fieldKey(err, "reviewer") != "approval.err.reviewer_same" {
		t.Fatalf("to the same reviewer: %v", err)
	}
	got, err := f.eng.Reassign(bg, f.vendorAdm, app.ID, f.eco2.UserID, "甲休假")
	if err != nil || *got.ReviewerID != f.eco2.UserID {
		t.Fatalf("reassigned: %+v %v", got, err)
	}
	if messages(t, f, f.eco2.UserID, "approval.msg.assigned.subject") != 1 {
		t.Error("the new reviewer is not told")
	}
	if _, err := f.eng.Approve(bg, f.eco2, app.ID, ""); err != nil {
		t.Fatalf("the new reviewer decides: %v", err)
	}
	if _, err := f.eng.Reassign(bg, f.vendorAdm, app.ID, f.eco.UserID, ""); !apperr.Is(err, apperr.KindConflict) {
		t.Fatalf("reassigning a decided application: %v", err)
	}
}

// Reviewers get one 站内信 a day (from 09:00 China time) for what is due
// tomorrow or overdue.
func TestReviewersAreRemindedOnceADay(t *testing.T) {
	f := setup(t)
	// Monday 10:00: due Thursday (3 working days).
	app := f.submit(t, f.admin1, "test_manual")
	f.submit(t, f.admin1, "test_manual")
	// Other tests' applications share the database: count f.eco's 站内信.
	reminded := func() int64 {
		t.Helper()
		if _, err := f.eng.RemindReviewers(context.Background()); err != nil {
			t.Fatal(err)
		}
		return messages(t, f, f.eco.UserID, "approval.msg.reminder.subject")
	}
	if n := reminded(); n != 0 {
		t.Fatalf("Monday: reminded %d times (nothing due tomorrow)", n)
	}
	f.clk.Advance(48*time.Hour - 3*time.Hour) // Wednesday 07:00
	if n := reminded(); n != 0 {
		t.Fatalf("before 09:00: reminded %d times", n)
	}
	f.clk.Advance(3 * time.Hour) // Wednesday 10:00: due tomorrow
	if n := reminded(); n != 1 {
		t.Fatalf("Wednesday: reminded %d times, want 1 for both applications", n)
	}
	if n := reminded(); n != 1 {
		t.Fatalf("twice the same day: reminded %d times", n)
	}
	f.clk.Advance(48 * time.Hour) // Friday: the other one is overdue
	if _, err := f.eng.Approve(bg, f.eco, app.ID, ""); err != nil {
		t.Fatal(err)
	}
	if n := reminded(); n != 2 {
		t.Fatalf("Friday: reminded %d times in all, want 2", n)
	}
}

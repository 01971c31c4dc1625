package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/demo"
)

// stagedProbe reviews in two stages: the ecosystem manager, then the
// vendor administrator.
type stagedProbe struct{ approval.Base }

func (stagedProbe) Key() string { return "test_staged_probe" }
func (stagedProbe) Stages() []approval.Stage {
	return []approval.Stage{{Key: "review", Role: "eco_manager", SLA: 3}, {Key: "review", Role: "vendor_admin", SLA: 2}}
}

func init() { approval.Register(stagedProbe{}) }

// 退回补充材料 through the pages: the reviewer must say what is missing;
// the partner sees why, adds a note and a file and resubmits; the
// reviewer sees the materials in the history and decides. Only the
// vendor administrator can reassign.
func TestReturnedApplicationIsResubmittedThroughThePages(t *testing.T) {
	env := newEnv(t)
	id, _ := probeApplication(t, env, false)
	eco, admin, vadmin := env.as(t, demo.EcoManager), env.as(t, demo.SPAdmin), env.as(t, demo.VendorAdmin)
	path := fmt.Sprintf("/approvals/%d", id)

	page := eco.get(path).doc(t)
	if page.Find(`[data-testid="return-form"]`).Length() == 0 || page.Find(`[data-testid="reassign-form"]`).Length() != 0 {
		t.Fatal("the reviewer sees the return form and no reassignment")
	}
	bad := eco.post(path+"/return", url.Values{"return_comment": {"  "}})
	if bad.Status != http.StatusUnprocessableEntity ||
		strings.TrimSpace(bad.doc(t).Find(`[data-testid="return-form"] dialog[data-autoshow] [data-testid="confirm-reason-error"]`).Text()) == "" {
		t.Fatalf("return without a comment: %d", bad.Status)
	}
	if r := eco.post(path+"/return", url.Values{"return_comment": {"请补充授权书扫描件"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("return: %d", r.Status)
	}
	if r := eco.post(path+"/approve", url.Values{}); r.Status != http.StatusConflict {
		t.Fatalf("approving a returned application: %d", r.Status)
	}

	app := admin.get(fmt.Sprintf("/applications/%d", id)).doc(t)
	if !strings.Contains(app.Find(`[data-testid="returned-banner"]`).Text(), "请补充授权书扫描件") || app.Find(`[data-testid="resubmit-form"]`).Length() == 0 {
		t.Fatal("the partner sees why and the resubmission form")
	}
	if r := admin.postMultipart(fmt.Sprintf("/applications/%d/resubmit", id), url.Values{}, "files", "x.exe", []byte("MZ")); r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("an executable as material: %d", r.Status)
	}
	if r := admin.postMultipart(fmt.Sprintf("/applications/%d/resubmit", id), url.Values{"note": {"已补充授权书"}}, "files", "授权书.pdf",
		[]byte("%PDF-1.4 auth")); r.Status != http.StatusSeeOther {
		t.Fatalf("resubmit: %d", r.Status)
	}
	after := eco.get(path).doc(t)
	history := after.Find(`[data-testid="history"]`).Text()
	if !strings.Contains(history, "退回补充材料") || !strings.Contains(history, "补充材料后重新提交") || !strings.Contains(history, "已补充授权书") {
		t.Fatalf("history: %s", history)
	}
	if !strings.Contains(after.Find(`[data-testid="attachments"]`).Text(), "授权书.pdf") {
		t.Fatal("the material is attached")
	}

	// The vendor administrator reassigns it to itself, then approves.
	form := vadmin.get(path).doc(t).Find(`[data-testid="reassign-form"]`)
	if form.Length() == 0 {
		t.Fatal("the vendor administrator sees the reassignment form")
	}
	me := fmt.Sprint(env.World.Users[demo.VendorAdmin])
	if form.Find(`option[value="`+me+`"]`).Length() == 0 {
		t.Fatal("the vendor administrator can choose itself")
	}
	if r := vadmin.post(path+"/reassign", url.Values{"reviewer": {"999999999"}}); r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("reassign to nobody: %d", r.Status)
	}
	if r := eco.post(path+"/reassign", url.Values{"reviewer": {me}}); r.Status != http.StatusForbidden {
		t.Fatalf("an ecosystem manager reassigns: %d", r.Status)
	}
	if r := vadmin.post(path+"/reassign", url.Values{"reviewer": {me}, "assign_comment": {"我来处理"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("reassign: %d", r.Status)
	}
	if r := vadmin.post(path+"/approve", url.Values{}); r.Status != http.StatusSeeOther {
		t.Fatalf("approve: %d", r.Status)
	}
}

// A staged type: the first approval passes the application to the next
// stage (its reviewer and the inbox's stage filter show it).
func TestStagedApplicationShowsItsStageAndFiltersByIt(t *testing.T) {
	env := newEnv(t)
	ctx := context.Background()
	actor := access.Member(probeApplicantID(t, env), env.World.SP, false)
	actor.Name = loginOf(t, env, actor.UserID)
	var id int64
	if err := env.DB.Transaction(func(tx *gorm.DB) error {
		app, err := env.App.svc.Approvals.SubmitNew(ctx, tx, actor, approval.New{Type: "test_staged_probe", Title: "分阶段测试申请"})
		if err == nil {
			id = app.ID
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	eco, vadmin := env.as(t, demo.EcoManager), env.as(t, demo.VendorAdmin)
	path := fmt.Sprintf("/approvals/%d", id)
	page := eco.get(path).doc(t)
	if !strings.Contains(page.Find(`[data-testid="stage"]`).Text(), "第1步") || !strings.Contains(page.Find(`[data-testid="approve"]`).Text(), "转下一阶段") {
		t.Fatalf("stage 1: %q", page.Find(`[data-testid="stage"]`).Text())
	}
	if r := eco.post(path+"/approve", url.Values{}); r.Status != http.StatusSeeOther {
		t.Fatalf("approve stage 1: %d", r.Status)
	}
	inbox := vadmin.get("/approvals?stage=2&type=test_staged_probe").doc(t)
	if inbox.Find(`[data-testid="filter-stage"]`).Length() == 0 || !strings.Contains(inbox.Text(), "分阶段测试申请") {
		t.Fatal("the inbox filters by stage 2")
	}
	if strings.Contains(vadmin.get("/approvals?stage=1&type=test_staged_probe").doc(t).Text(), "分阶段测试申请") {
		t.Fatal("stage 1 lists it")
	}
	if !strings.Contains(vadmin.get(path).doc(t).Find(`[data-testid="stage"]`).Text(), "第2步") {
		t.Fatal("stage 2 shown")
	}
}

// The demo's 启明软件 waits with its onboarding returned: its home and
// onboarding page say what is missing and lead to the resubmission.
func TestReturnedOnboardingLeadsItsApplicantToTheMaterials(t *testing.T) {
	env := newEnv(t)
	qm := env.as(t, demo.QMAdmin)
	home := qm.get("/").doc(t)
	if !strings.Contains(home.Text(), "被退回") {
		t.Fatal("the home lists the returned application")
	}
	page := qm.get("/onboarding").doc(t)
	link, ok := page.Find(`[data-testid="progress-supplement"]`).Attr("href")
	if !ok || !strings.Contains(page.Find(`[data-testid="progress-text"]`).Text(), "营业执照经营范围") {
		t.Fatal("the onboarding page shows the reviewer's note and the way to add materials")
	}
	if qm.get(link).doc(t).Find(`[data-testid="resubmit-form"]`).Length() == 0 {
		t.Fatal("the application page offers the resubmission")
	}
}

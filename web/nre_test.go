package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/demo"
	"partnercenter/internal/platform/clock"
)

// postFiles submits a multipart form with repeated values and one file.
func (c *client) postFiles(path string, form url.Values, field, filename string) *response {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("_csrf", c.csrf)
	for k, vs := range form {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	w, _ := mw.CreateFormFile(field, filename)
	_, _ = io.Copy(w, strings.NewReader("%PDF-1.4\n"+filename+"\n%%EOF\n"))
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.env.Srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

// NRE through the pages (§10.8): the vendor records a solution for 智云软件;
// its admin applies (work started before today refused in the seed's
// words); both review stages pass; the ecosystem manager uploads the
// agreement (over ¥500,000 refused); the vendor administrator confirms it;
// the admin applies for the milestone's acceptance; it is accepted and
// vendor finance pays it: the NRE is completed.
func TestNREThroughThePages(t *testing.T) {
	env := newEnv(t)
	var zyPartner int64
	env.DB.Raw(`SELECT partner_id FROM users WHERE login_name = ?`, demo.ZYAdmin).Scan(&zyPartner)
	name := fmt.Sprintf("旅程方案%d", time.Now().UnixNano()%1e6)
	eco := env.as(t, demo.EcoManager)
	eco.get("/partners/nre")
	if r := eco.post("/partners/nre/solutions", url.Values{"partner_id": {fmt.Sprint(zyPartner)}, "name": {name}, "programme": {"kunpeng"},
		"admitted_on": {"2026-01-10"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("record the solution: %d", r.Status)
	}
	var sol int64
	env.DB.Raw(`SELECT id FROM nre_solutions WHERE name = ?`, name).Scan(&sol)
	zy := env.as(t, demo.ZYAdmin)
	if r := zy.get(fmt.Sprintf("/benefits/nre/new?solution=%d", sol)); r.Status != http.StatusOK {
		t.Fatalf("the form: %d", r.Status)
	}
	today := clock.ChinaDate(time.Now())
	form := url.Values{"solution_id": {fmt.Sprint(sol)}, "scope": {"鲲鹏迁移"}, "services": {"GaussDB"}, "plan": {"两个里程碑"},
		"starts_on": {today.AddDate(0, 0, -1).Format(time.DateOnly)}, "acknowledged": {"on"}}
	if r := zy.postFiles("/benefits/nre", form, "files", "技术评估.pdf"); r.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, "所有在申请前完成的改造，华为云不再激励") {
		t.Fatalf("work started yesterday: %d", r.Status)
	}
	form.Set("starts_on", today.Format(time.DateOnly))
	r := zy.postFiles("/benefits/nre", form, "files", "技术评估.pdf")
	if r.Status != http.StatusSeeOther {
		t.Fatalf("apply: %d", r.Status)
	}
	var id, app int64
	env.DB.Raw(`SELECT id, application_id FROM nre_applications WHERE solution_id = ?`, sol).Row().Scan(&id, &app)
	ctx := context.Background()
	eng := approval.Engine{DB: env.DB, Clock: env.App.Clock}
	if _, err := eng.Approve(ctx, access.VendorStaff(env.World.Users[demo.EcoManager], "eco_manager"), app, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := eng.Approve(ctx, access.VendorStaff(env.World.Users[demo.VendorAdmin], "vendor_admin"), app, ""); err != nil {
		t.Fatal(err)
	}
	if r := zy.get(fmt.Sprintf("/benefits/nre/%d", id)); !strings.Contains(r.Body, "NRE最终的激励金额根据NRE协议签署的金额来验收") {
		t.Fatal("协议待签署 does not explain the missing amount")
	}
	agreement := url.Values{"amount": {"600000"}, "m_name": {"上线"}, "m_amount": {"600000"}, "m_due": {today.AddDate(0, 3, 0).Format(time.DateOnly)}}
	if r := eco.postFiles(fmt.Sprintf("/partners/nre/%d/agreement", id), agreement, "agreement", "协议.pdf"); r.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, "每款产品的补贴上限：50万元") {
		t.Fatalf("over the cap: %d", r.Status)
	} else if !strings.Contains(r.Body, `value="上线"`) || !strings.Contains(r.Body, `value="600000"`) {
		t.Fatal("the refused agreement form lost what was typed")
	}
	agreement.Set("amount", "250000")
	agreement.Set("m_amount", "250000")
	if r := eco.postFiles(fmt.Sprintf("/partners/nre/%d/agreement", id), agreement, "agreement", "协议.pdf"); r.Status != http.StatusSeeOther {
		t.Fatalf("upload: %d", r.Status)
	}
	admin := env.as(t, demo.VendorAdmin)
	admin.get("/partners/nre")
	if r := admin.post(fmt.Sprintf("/partners/nre/%d/agreement/confirm", id), nil); r.Status != http.StatusSeeOther {
		t.Fatalf("confirm: %d", r.Status)
	}
	var m int64
	env.DB.Raw(`SELECT id FROM nre_milestones WHERE nre_id = ?`, id).Scan(&m)
	if r := zy.postFiles(fmt.Sprintf("/benefits/nre/milestones/%d/accept", m), url.Values{"note": {"上线完成"}}, "files", "验收.pdf"); r.Status != http.StatusSeeOther {
		t.Fatalf("acceptance: %d", r.Status)
	}
	var mApp int64
	env.DB.Raw(`SELECT application_id FROM nre_milestones WHERE id = ?`, m).Scan(&mApp)
	if _, err := eng.Approve(ctx, access.VendorStaff(env.World.Users[demo.EcoManager], "eco_manager"), mApp, ""); err != nil {
		t.Fatal(err)
	}
	fin := env.as(t, demo.VendorFinance)
	desk := fin.get("/finance/nre")
	key := desk.doc(t).Find(fmt.Sprintf(`form[action="/finance/nre/milestones/%d/pay"] input[name="key"]`, m)).AttrOr("value", "")
	if r := fin.post(fmt.Sprintf("/finance/nre/milestones/%d/pay", m), url.Values{"payment_ref": {"CMB-NRE-JOURNEY"}, "key": {key}}); r.Status != http.StatusSeeOther {
		t.Fatalf("pay: %d", r.Status)
	}
	var status string
	env.DB.Raw(`SELECT status FROM nre_applications WHERE id = ?`, id).Scan(&status)
	if status != "completed" {
		t.Fatalf("after the last payment: %s", status)
	}
}

package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"partnercenter/internal/demo"
	"partnercenter/internal/fh"
)

// The ecosystem manager invites 智云软件 to the 2024 FH, its admin joins,
// and the manager ends the programme: without a reason the page says what
// is missing and nothing changes; with one the partner's page says when
// and why it ended and no longer offers a month or a person form. (Its own
// programme: the demo's joined one stays for the other tests.)
func TestFHEndThroughThePages(t *testing.T) {
	env := newEnv(t)
	var zyPartner int64
	env.DB.Raw(`SELECT partner_id FROM users WHERE login_name = ?`, demo.ZYAdmin).Scan(&zyPartner)
	eco := env.as(t, demo.EcoManager)
	eco.get("/partners/fh")
	if r := eco.post("/partners/fh/invite", url.Values{"partner_id": {fmt.Sprint(zyPartner)}, "variant": {fh.Service2024}}); r.Status != http.StatusSeeOther {
		t.Fatalf("invite: %d", r.Status)
	}
	zy := env.as(t, demo.ZYAdmin)
	zy.get("/benefits/fh")
	if r := zy.post("/benefits/fh/join", url.Values{"variant": {fh.Service2024}, "compliance": fh.Compliance}); r.Status != http.StatusSeeOther {
		t.Fatalf("join: %d", r.Status)
	}
	var prog int64
	env.DB.Raw(`SELECT id FROM fh_programs WHERE partner_id = ? AND variant = ? AND status = 'joined'`, zyPartner, fh.Service2024).Scan(&prog)
	if prog == 0 {
		t.Fatal("智云软件 did not join")
	}
	if r := eco.get("/partners/fh"); r.Status != http.StatusOK || !strings.Contains(r.Body, `data-testid="fh-end"`) {
		t.Fatalf("the vendor page offers no end: %d", r.Status)
	}
	path := fmt.Sprintf("/partners/fh/%d/end", prog)
	if r := eco.post(path, url.Values{"reason": {"  "}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "请填写原因") {
		t.Fatalf("ended without a reason: %d", r.Status)
	}
	var status string
	env.DB.Raw(`SELECT status FROM fh_programs WHERE id = ?`, prog).Scan(&status)
	if status != fh.ProgramJoined {
		t.Fatalf("a refused end changed the programme: %s", status)
	}
	if r := eco.post(path, url.Values{"reason": {"年度计划调整"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("end: %d", r.Status)
	}
	r := zy.get("/benefits/fh")
	if r.Status != http.StatusOK || !strings.Contains(r.Body, `data-testid="fh-ended"`) || !strings.Contains(r.Body, "年度计划调整") {
		t.Fatalf("the partner does not see the end: %d", r.Status)
	}
	if strings.Contains(r.Body, `data-testid="fh-month-form"`) || strings.Contains(r.Body, `data-testid="fh-person-form"`) {
		t.Fatal("an ended programme still offers a month or a person")
	}
}

package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"partnercenter/internal/demo"
)

// The ecosystem manager ends 数联云服务's FH programme: without a reason
// the page says what is missing and nothing changes; with one the partner's
// page says when and why it ended and no longer offers a month or a person
// form, while its paid quarter stays listed.
func TestFHEndThroughThePages(t *testing.T) {
	env := newEnv(t)
	var prog int64
	env.DB.Raw(`SELECT f.id FROM fh_programs f JOIN users u ON u.partner_id = f.partner_id WHERE u.login_name = ? AND f.status = 'joined'`, demo.SLAdmin).Scan(&prog)
	if prog == 0 {
		t.Fatal("the demo has no joined FH programme for sl_admin")
	}
	eco := env.as(t, demo.EcoManager)
	if r := eco.get("/partners/fh"); r.Status != http.StatusOK || !strings.Contains(r.Body, `data-testid="fh-end"`) {
		t.Fatalf("the vendor page offers no end: %d", r.Status)
	}
	path := fmt.Sprintf("/partners/fh/%d/end", prog)
	if r := eco.post(path, url.Values{"reason": {"  "}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "请填写原因") {
		t.Fatalf("ended without a reason: %d", r.Status)
	}
	var status string
	env.DB.Raw(`SELECT status FROM fh_programs WHERE id = ?`, prog).Scan(&status)
	if status != "joined" {
		t.Fatalf("a refused end changed the programme: %s", status)
	}
	if r := eco.post(path, url.Values{"reason": {"年度计划调整"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("end: %d", r.Status)
	}
	sl := env.as(t, demo.SLAdmin)
	r := sl.get("/benefits/fh")
	if r.Status != http.StatusOK || !strings.Contains(r.Body, `data-testid="fh-ended"`) || !strings.Contains(r.Body, "年度计划调整") {
		t.Fatalf("the partner does not see the end: %d", r.Status)
	}
	if strings.Contains(r.Body, `data-testid="fh-month-form"`) || strings.Contains(r.Body, `data-testid="fh-person-form"`) {
		t.Fatal("an ended programme still offers a month or a person")
	}
	if !strings.Contains(r.Body, `data-testid="fh-payment"`) {
		t.Fatal("the paid quarter disappeared")
	}
}

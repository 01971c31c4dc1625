package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"partnercenter/internal/demo"
)

func TestEcoManagerSeesOnlyTheirPartners(t *testing.T) {
	env := newEnv(t)
	r := env.as(t, demo.EcoManager).get("/partners")
	if r.Status != http.StatusOK {
		t.Fatalf("status %d", r.Status)
	}
	names := r.doc(t).Find(`[data-testid="partner-row"]`).Text()
	if !strings.Contains(names, "示例云科技有限公司") || !strings.Contains(names, "华东数智分销有限公司") {
		t.Fatal("eco_manager must see the partners it is responsible for")
	}
	if strings.Contains(names, "杭州云启网络科技有限公司") {
		t.Fatal("eco_manager must not see a partner assigned to another ecosystem manager")
	}
	all := env.as(t, demo.VendorAdmin).get("/partners?q=" + url.QueryEscape("杭州云启"))
	if !strings.Contains(all.doc(t).Find(`[data-testid="partner-row"]`).Text(), "杭州云启网络科技有限公司") {
		t.Fatal("vendor_admin sees every partner and can search by name")
	}
}

func TestVendorAdminAssignsEcoManagerAndEcoManagerCannot(t *testing.T) {
	env := newEnv(t)
	path := fmt.Sprintf("/partners/%d", env.World.CR)
	admin := env.as(t, demo.VendorAdmin)
	admin.get(path)
	r := admin.post(path+"/eco-manager", url.Values{"eco_manager_id": {fmt.Sprint(env.World.Users[demo.EcoManager])}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("assign: %d", r.Status)
	}
	var audits int64
	env.DB.Table("audit_log").Where("action = 'partner.eco_manager.assign' AND partner_id = ?", env.World.CR).Count(&audits)
	if audits != 1 {
		t.Fatalf("audit rows: %d", audits)
	}
	if d := env.as(t, demo.EcoManager).get(path); d.Status != http.StatusOK {
		t.Fatalf("the newly responsible eco manager sees the partner: %d", d.Status)
	}
	// Put it back for the other tests.
	admin.get(path)
	admin.post(path+"/eco-manager", url.Values{"eco_manager_id": {fmt.Sprint(env.World.EcoManager2)}})

	bad := admin.post(path+"/eco-manager", url.Values{"eco_manager_id": {fmt.Sprint(env.World.Users[demo.SPAdmin])}})
	if bad.Status != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, "请选择一位在职的生态经理") {
		t.Fatalf("assigning a partner user must be refused with a message: %d", bad.Status)
	}
	eco := env.as(t, demo.EcoManager)
	if r := eco.get(fmt.Sprintf("/partners/%d", env.World.SP)); strings.Contains(r.Body, `data-testid="assign-form"`) {
		t.Fatal("eco_manager must not see the assignment form")
	}
}

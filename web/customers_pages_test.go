package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/xuri/excelize/v2"

	"partnercenter/internal/access"
	"partnercenter/internal/customer"
	"partnercenter/internal/demo"
)

// 客户 pages (seed 003 §12.1.2.2, .9, .10, §7.1.4, §12.1.9.5).

func listNames(t *testing.T, r *response) []string {
	t.Helper()
	var out []string
	r.doc(t).Find(`[data-testid="customer-row"]`).Each(func(_ int, s *goquery.Selection) {
		out = append(out, s.AttrOr("data-name", ""))
	})
	return out
}

func TestCustomerManagerSeesOnlyTheCustomersAssignedToIt(t *testing.T) {
	env := newEnv(t)
	mine := custAssociated(t, env, demo.SPAdmin, customer.ModeResale, demo.SPManager1)
	m1 := env.as(t, demo.SPManager1)
	m2 := env.as(t, demo.SPManager2)
	q := "/customers?q=" + url.QueryEscape(mine.Name)
	if got := listNames(t, m1.get(q)); len(got) != 1 || got[0] != mine.Name {
		t.Fatalf("sp_manager1 sees its customer: %v", got)
	}
	if got := listNames(t, m2.get(q)); len(got) != 0 {
		t.Fatalf("sp_manager2 does not: %v", got)
	}
	if got := m2.get(fmt.Sprintf("/customers/%d", mine.ID)).Status; got != http.StatusNotFound {
		t.Fatalf("sp_manager2 opening it: %d", got)
	}
	d := m1.get(fmt.Sprintf("/customers/%d", mine.ID)).doc(t)
	if !strings.Contains(d.Find(`[data-testid="customer-overview"]`).Text(), "钱伟") {
		t.Error("the detail shows the manager")
	}
	// A manager has no actions beyond viewing: no selection, no menus.
	list := m1.get(q).doc(t)
	if list.Find(`[data-testid="select-all"], [data-testid="more-actions"], [data-testid="export"]`).Length() != 0 {
		t.Error("a customer manager sees no assignment, switch, unbind or export")
	}
	if list.Find(`#manager`).Length() != 0 {
		t.Error("no manager filter for a manager who sees only its own")
	}
	if d.Find(`[data-testid="action-switch"], [data-testid="action-unbind"], [data-testid="assign-form"]`).Length() != 0 {
		t.Error("no actions on the detail for a manager")
	}
}

func TestCustomerListSearchesFiltersSortsAndPages(t *testing.T) {
	env := newEnv(t)
	a := custAssociated(t, env, demo.SPAdmin, customer.ModeResale, "")
	b := custAssociated(t, env, demo.SPAdmin, customer.ModeConsulting, demo.SPManager2)
	c := env.as(t, demo.SPAdmin)
	page := c.get("/customers")
	d := page.doc(t)
	if d.Find(`[data-testid="customer-row"]`).Length() == 0 || !strings.Contains(d.Find(`[data-testid="pager"]`).Text(), "共") {
		t.Fatal("the list with its total")
	}
	if d.Find(`[data-testid="select-all"]`).Length() != 1 || d.Find(`[data-testid="export"]`).Length() != 1 {
		t.Error("the admin has bulk assignment and export")
	}
	if got := listNames(t, c.get("/customers?q="+url.QueryEscape(a.Name))); len(got) != 1 || got[0] != a.Name {
		t.Errorf("search by name: %v", got)
	}
	if got := listNames(t, c.get("/customers?q="+a.Login)); len(got) != 1 {
		t.Errorf("search by account: %v", got)
	}
	if got := listNames(t, c.get("/customers?q="+b.Mobile)); len(got) != 1 || got[0] != b.Name {
		t.Errorf("search by mobile: %v", got)
	}
	both := url.QueryEscape("页面测试关联客户")
	for _, n := range listNames(t, c.get("/customers?mode=consulting&q="+both)) {
		if n == a.Name {
			t.Error("the mode filter leaves resale customers out")
		}
	}
	for _, n := range listNames(t, c.get("/customers?manager=-1&q="+both)) {
		if n == b.Name {
			t.Error("the unassigned filter leaves assigned customers out")
		}
	}
	if got := listNames(t, c.get(fmt.Sprintf("/customers?manager=%d&q=%s", env.World.Users[demo.SPManager2], url.QueryEscape(b.Name)))); len(got) != 1 {
		t.Errorf("filter by manager: %v", got)
	}
	if got := listNames(t, c.get("/customers?state=ended&q="+url.QueryEscape(a.Name))); len(got) != 0 {
		t.Errorf("an active customer is not ended: %v", got)
	}
	if got := listNames(t, c.get("/customers?from=2000-01-01&to=2000-01-31&q="+url.QueryEscape(a.Name))); len(got) != 0 {
		t.Errorf("association date range: %v", got)
	}
	// Sort by name both ways.
	asc := listNames(t, c.get("/customers?sort=name&dir=asc&q="+both))
	desc := listNames(t, c.get("/customers?sort=name&dir=desc&q="+both))
	if len(asc) < 2 || asc[0] != desc[len(desc)-1] && len(asc) <= 20 {
		t.Errorf("sorted by name: %v / %v", asc, desc)
	}
	// htmx gets the table only; the filter keeps its values in the pager links.
	h := c.htmx(http.MethodGet, "/customers?mode=consulting&q="+both, nil)
	if h.Status != http.StatusOK || h.doc(t).Find(`#customer-table`).Length() != 1 {
		t.Fatal("htmx update")
	}
	if href := h.doc(t).Find(`#customer-table [data-testid="export"]`).AttrOr("href", ""); !strings.Contains(href, "mode=consulting") {
		t.Errorf("the export follows the filters swapped in: %q", href)
	}
	// Empty state.
	if c.get("/customers?q=绝不存在的客户名").doc(t).Find(`[data-testid="empty-state"]`).Length() != 1 {
		t.Error("empty state")
	}
}

func TestExportDownloadsAnXlsxWithTheListsFiltersAndScope(t *testing.T) {
	env := newEnv(t)
	a := custAssociated(t, env, demo.SPAdmin, customer.ModeConsulting, demo.SPManager1)
	c := env.as(t, demo.SPAdmin)
	r := c.get("/customers/export.xlsx?q=" + url.QueryEscape(a.Name))
	if r.Status != http.StatusOK || !strings.Contains(r.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("status %d %q", r.Status, r.Header.Get("Content-Disposition"))
	}
	rows := xlsxRows(t, r.Body)
	if len(rows) != 2 || rows[0][0] != "客户名称/账号名" || rows[1][0] != a.Name || rows[1][1] != a.Login {
		t.Fatalf("header and the one matching row: %v", rows)
	}
	if rows[1][4] != "顾问销售" || rows[1][6] != "钱伟" {
		t.Errorf("mode and manager: %v", rows[1])
	}
	// Another tenant's export never contains 示例云科技's customers.
	md := env.as(t, demo.MDAdmin)
	if rows := xlsxRows(t, md.get("/customers/export.xlsx?q="+url.QueryEscape(a.Name)).Body); len(rows) != 1 {
		t.Fatalf("md_admin's export: %v", rows)
	}
	// Without customers.export the managers get 没有访问权限.
	if got := env.as(t, demo.SPManager1).get("/customers/export.xlsx").Status; got != http.StatusForbidden {
		t.Fatalf("manager export: %d", got)
	}
}

func xlsxRows(t *testing.T, body string) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatalf("not an xlsx: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestBatchAssignmentGivesCustomersToAManagerWhoThenSeesThem(t *testing.T) {
	env := newEnv(t)
	a := custAssociated(t, env, demo.SPAdmin, customer.ModeResale, "")
	b := custAssociated(t, env, demo.SPAdmin, customer.ModeResale, "")
	c := env.as(t, demo.SPAdmin)
	page := c.get("/customers/assign?manager=-1").doc(t)
	if page.Find(`[data-testid="bulk-assign"]`).Length() != 1 {
		t.Fatal("the assignment page has the batch form")
	}
	back := "/customers/assign?manager=-1"
	form := url.Values{"customer_ids": {fmt.Sprint(a.ID), fmt.Sprint(b.ID)}, "manager_id": {fmt.Sprint(env.World.Users[demo.SPManager2])}, "back": {back}}
	r := c.post("/customers/manager", form)
	if r.Status != http.StatusSeeOther || r.Location != back {
		t.Fatalf("status %d → %q", r.Status, r.Location)
	}
	if !strings.Contains(c.get(r.Location).doc(t).Find(`[data-testid="toast-success"]`).Text(), "分配成功") {
		t.Error("a toast")
	}
	m2 := env.as(t, demo.SPManager2)
	for _, f := range []custFixture{a, b} {
		if got := listNames(t, m2.get("/customers?q="+url.QueryEscape(f.Name))); len(got) != 1 {
			t.Errorf("sp_manager2 now sees %s", f.Name)
		}
	}
	// Nothing selected, or no manager chosen: an error toast, nothing changes.
	c.get("/customers/assign")
	for _, bad := range []url.Values{{"manager_id": {fmt.Sprint(env.World.Users[demo.SPManager1])}}, {"customer_ids": {fmt.Sprint(a.ID)}}} {
		r := c.post("/customers/manager", bad)
		if r.Status != http.StatusSeeOther || c.get(r.Location).doc(t).Find(`[data-testid="toast-error"]`).Length() != 1 {
			t.Errorf("refused with a toast: %v", bad)
		}
	}
	// One customer from its row or detail.
	c.get(fmt.Sprintf("/customers/%d", a.ID))
	r = c.post(fmt.Sprintf("/customers/%d/manager", a.ID), url.Values{"manager_id": {fmt.Sprint(env.World.Users[demo.SPManager1])}})
	if r.Status != http.StatusSeeOther || r.Location != fmt.Sprintf("/customers/%d", a.ID) {
		t.Fatalf("single: %d %q", r.Status, r.Location)
	}
	if !strings.Contains(c.get(r.Location).doc(t).Find(`[data-testid="customer-overview"]`).Text(), "钱伟") {
		t.Error("sp_manager1 is the manager now")
	}
}

func TestAssigningAnotherTenantsCustomerIsNotFoundAndChangesNothing(t *testing.T) {
	env := newEnv(t)
	a := custAssociated(t, env, demo.SPAdmin, customer.ModeResale, "")
	md := env.as(t, demo.MDAdmin)
	md.get("/customers/assign")
	before := env.dbDigest(t)
	r := md.post("/customers/manager", url.Values{"customer_ids": {fmt.Sprint(a.ID)}, "manager_id": {"0"}})
	if r.Status != http.StatusNotFound {
		t.Fatalf("status %d", r.Status)
	}
	after := env.dbDigest(t)
	for tb, d := range before {
		if after[tb] != d {
			t.Errorf("changed %s", tb)
		}
	}
}

func TestSwitchNeedsTheAgreementAndAReasonThenWaitsForTheCustomer(t *testing.T) {
	env := newEnv(t)
	a := custAssociated(t, env, demo.SPAdmin, customer.ModeResale, "")
	c := env.as(t, demo.SPAdmin)
	path := fmt.Sprintf("/customers/%d/switch", a.ID)
	d := c.get(path).doc(t)
	if !strings.Contains(d.Find(`[data-testid="switch-direction"]`).Text(), "由“代售”切换为“顾问销售”") {
		t.Errorf("direction: %q", d.Find(`[data-testid="switch-direction"]`).Text())
	}
	if !strings.Contains(d.Find(`[data-testid="effects"]`).Text(), "退回至伙伴账户") {
		t.Error("the effects table (balance returned to the partner)")
	}
	if d.Find(`[data-testid="change-form"] [data-testid="confirm-dialog"]`).Length() != 1 {
		t.Error("a confirmation")
	}
	r := c.post(path, url.Values{"reason": {""}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", r.Status)
	}
	rd := r.doc(t)
	if rd.Find(`[data-testid="error-agree"]`).Length() != 1 || rd.Find(`[data-testid="error-reason"]`).Length() != 1 {
		t.Error("the agreement and the reason are required")
	}
	r = c.post(path, url.Values{"agree": {"1"}, "reason": {"客户希望自行付费"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("status %d", r.Status)
	}
	if !strings.Contains(c.get(r.Location).doc(t).Find(`[data-testid="toast-success"]`).Text(), "申请已提交成功") {
		t.Error("a toast says it was submitted")
	}
	rec := c.get("/customers/records?customer=" + url.QueryEscape(a.Name)).doc(t).Find(`[data-testid="record-row"][data-type="switch"]`)
	if rec.Length() != 1 || rec.AttrOr("data-status", "") != customer.RequestPending || !strings.Contains(rec.Text(), "待客户确认") {
		t.Fatalf("a pending switch waiting for the customer: %q", rec.Text())
	}
	if rec.Find(`[data-testid="approve"]`).Length() != 0 {
		t.Error("the partner does not approve its own request")
	}
}

func TestUnbindPageShowsWhatHappensToBalancesAndVouchers(t *testing.T) {
	env := newEnv(t)
	a := custAssociated(t, env, demo.SPAdmin, customer.ModeResale, "")
	c := env.as(t, demo.SPAdmin)
	d := c.get(fmt.Sprintf("/customers/%d/unbind", a.ID)).doc(t)
	eff := d.Find(`[data-testid="effects"]`).Text()
	for _, want := range []string{"解除关联回收", "7天", "伙伴发放的代金券"} {
		if !strings.Contains(eff, want) {
			t.Errorf("effects mention %q: %q", want, eff)
		}
	}
	if !strings.Contains(d.Find(`[data-testid="change-form"]`).Text(), "我已了解以上注意事项并同意此操作") {
		t.Error("the agreement")
	}
	r := c.post(fmt.Sprintf("/customers/%d/unbind", a.ID), url.Values{"agree": {"1"}, "reason": {"合作结束"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("status %d", r.Status)
	}
	// A second request while one is pending: the service's reason.
	c.get(fmt.Sprintf("/customers/%d/unbind", a.ID))
	again := c.post(fmt.Sprintf("/customers/%d/unbind", a.ID), url.Values{"agree": {"1"}, "reason": {"再次申请"}})
	if again.Status != http.StatusConflict || !strings.Contains(again.doc(t).Find(`[data-testid="form-error"]`).Text(), "待确认") {
		t.Fatalf("pending already: %d", again.Status)
	}
}

// customRoleMember is a throwaway member of 示例云科技 holding a custom role
// with the given items (signs in with the demo password).
func customRoleMember(t *testing.T, env *testEnv, items ...string) string {
	t.Helper()
	id := throwawayMember(t, env)
	role := throwawayRole(t, env)
	for _, it := range items {
		if err := env.DB.Exec(`INSERT INTO role_items (role_id, item) VALUES (?, ?) ON CONFLICT DO NOTHING`, role, it).Error; err != nil {
			t.Fatal(err)
		}
	}
	if err := env.DB.Exec(`INSERT INTO user_roles (user_id, role_id) VALUES (?, ?)`, id, role).Error; err != nil {
		t.Fatal(err)
	}
	var login string
	env.DB.Raw(`SELECT login_name FROM users WHERE id = ?`, id).Scan(&login)
	return login
}

func TestOnlyTheMainAccountDecidesACustomersUnbinding(t *testing.T) {
	env := newEnv(t)
	req, f := custUnbindRequest(t, env, demo.SPAdmin)
	login := customRoleMember(t, env, "customers.view", "customers.records.view")
	member := env.as(t, login)
	page := member.get("/customers/records?customer=" + url.QueryEscape(f.Name)).doc(t)
	row := page.Find(`[data-testid="record-row"][data-type="unbind"]`)
	if row.Length() != 1 || row.Find(`[data-testid="approve"], [data-testid="reject"]`).Length() != 0 || !strings.Contains(row.Text(), "待伙伴管理员处理") {
		t.Fatalf("the member sees the row without 同意/驳回: %q", row.Text())
	}
	before := env.dbDigest(t)
	r := member.post(fmt.Sprintf("/customers/records/%d/approve", req.ID), nil)
	if r.Status != http.StatusForbidden || !strings.Contains(r.Body, "没有访问权限") {
		t.Fatalf("a member approving: %d", r.Status)
	}
	after := env.dbDigest(t)
	for tb, d := range before {
		if after[tb] != d && tb != "login_failures" {
			t.Errorf("changed %s", tb)
		}
	}
	admin := env.as(t, demo.SPAdmin)
	ad := admin.get("/customers/records?customer=" + url.QueryEscape(f.Name)).doc(t)
	form := ad.Find(`[data-testid="record-row"] [data-testid="approve"]`).Closest("form")
	if msg := form.Find(`[data-testid="confirm-message"]`).Text(); !strings.Contains(msg, f.Name) {
		t.Errorf("the confirmation names the customer: %q", msg)
	}
	res := admin.post(fmt.Sprintf("/customers/records/%d/approve", req.ID), nil)
	if res.Status != http.StatusSeeOther {
		t.Fatalf("admin approving: %d", res.Status)
	}
	if got := listNames(t, admin.get("/customers?q="+url.QueryEscape(f.Name))); len(got) != 0 {
		t.Error("the customer is no longer a current customer")
	}
	if got := listNames(t, admin.get("/customers?state=ended&q="+url.QueryEscape(f.Name))); len(got) != 1 {
		t.Error("it is listed as ended")
	}
}

func TestRejectingACustomersUnbindingKeepsTheAssociation(t *testing.T) {
	env := newEnv(t)
	req, f := custUnbindRequest(t, env, demo.SPAdmin)
	admin := env.as(t, demo.SPAdmin)
	admin.get("/customers/records")
	if r := admin.post(fmt.Sprintf("/customers/records/%d/reject", req.ID), nil); r.Status != http.StatusSeeOther {
		t.Fatalf("reject: %d", r.Status)
	}
	if got := listNames(t, admin.get("/customers?q="+url.QueryEscape(f.Name))); len(got) != 1 {
		t.Error("still a customer")
	}
	rec := admin.get("/customers/records?status=rejected&customer=" + url.QueryEscape(f.Name)).doc(t)
	if rec.Find(`[data-testid="record-row"]`).Length() != 1 {
		t.Error("listed as rejected")
	}
}

func TestMasterDistributorSeesItsCloudResellersCustomersReadOnly(t *testing.T) {
	env := newEnv(t)
	f := custAssociated(t, env, demo.CRAdmin, customer.ModeResale, "")
	md := env.as(t, demo.MDAdmin)
	d := md.get("/customers").doc(t)
	if d.Find(`[data-testid="tab-resellers"]`).Length() != 1 {
		t.Fatal("a master distributor has the resellers' tab")
	}
	if got := listNames(t, md.get("/customers?q="+url.QueryEscape(f.Name))); len(got) != 0 {
		t.Errorf("not among its own customers: %v", got)
	}
	rs := md.get("/customers?tab=resellers&q=" + url.QueryEscape(f.Name))
	rd := rs.doc(t)
	if rd.Find(`[data-testid="customer-row"]`).Length() != 1 || !strings.Contains(rd.Find(`[data-testid="customer-row"]`).Text(), "杭州云启") {
		t.Fatalf("the reseller's customer with the reseller's name: %q", rd.Find("#customer-table").Text())
	}
	if rd.Find(`[data-testid="more-actions"], [data-testid="select-all"]`).Length() != 0 {
		t.Error("read-only: no actions")
	}
	det := md.get(fmt.Sprintf("/customers/%d", f.ID)).doc(t)
	if det.Find(`[data-testid="read-only"]`).Length() != 1 || det.Find(`[data-testid="action-unbind"]`).Length() != 0 {
		t.Error("the detail is read-only")
	}
	if got := md.get(fmt.Sprintf("/customers/%d/unbind", f.ID)).Status; got != http.StatusConflict {
		t.Errorf("no unbinding of a reseller's customer: %d", got)
	}
	// The export of the tab has the reseller's column.
	rows := xlsxRows(t, md.get("/customers/export.xlsx?tab=resellers&q="+url.QueryEscape(f.Name)).Body)
	if len(rows) != 2 || !strings.Contains(rows[1][len(rows[1])-1], "杭州云启") {
		t.Errorf("export of the resellers' tab: %v", rows)
	}
	// Solution providers have no such tab.
	if env.as(t, demo.SPAdmin).get("/customers").doc(t).Find(`[data-testid="tab-resellers"]`).Length() != 0 {
		t.Error("no resellers' tab for a solution provider")
	}
}

func TestSideNavigationMarksOnlyTheOpenPage(t *testing.T) {
	env := newEnv(t)
	off := custInvitation(t, env, demo.SPAdmin, customer.ChannelOffline)
	c := env.as(t, demo.SPAdmin)
	for path, want := range map[string]string{
		"/customers":         "客户管理",
		"/customers/assign":  "客户分配",
		"/customers/records": "关联关系操作记录",
		fmt.Sprintf("/sales/invitations/offline/%d", off.ID): "线下拓展",
	} {
		active := c.get(path).doc(t).Find(`[data-testid="side-nav"] a.bg-sky-50`)
		if active.Length() != 1 || strings.TrimSpace(active.Text()) != want {
			t.Errorf("%s: active %q, want %q", path, active.Text(), want)
		}
	}
}

// managerMember is a throwaway member of 示例云科技 whose only role is the
// preset 客户经理 (so it sees only its customers and its team's).
func managerMember(t *testing.T, env *testEnv) (int64, string) {
	t.Helper()
	id := throwawayMember(t, env)
	if err := env.DB.Exec(`INSERT INTO user_roles (user_id, role_id) VALUES (?, ?)`, id, env.World.ManagerPresetID).Error; err != nil {
		t.Fatal(err)
	}
	var login string
	env.DB.Raw(`SELECT login_name FROM users WHERE id = ?`, id).Scan(&login)
	return id, login
}

// R57 (seed 003 §12.1.9.5): a supervisor sees the customers of the
// managers it supervises, set on the member's page.
func TestSupervisorSeesTheCustomersOfTheManagersItSupervises(t *testing.T) {
	env := newEnv(t)
	mgrID, _ := managerMember(t, env)
	supID, supLogin := managerMember(t, env)
	// A customer of the manager, made through the service.
	f := custAssociated(t, env, demo.SPAdmin, customer.ModeResale, "")
	if _, err := custService(env).Assign(t.Context(), custPrincipal(t, env, demo.SPAdmin), []int64{f.ID}, mgrID); err != nil {
		t.Fatal(err)
	}
	sup := env.as(t, supLogin)
	q := "/customers?q=" + url.QueryEscape(f.Name)
	if got := listNames(t, sup.get(q)); len(got) != 0 {
		t.Fatalf("before: %v", got)
	}
	admin := env.as(t, demo.SPAdmin)
	edit := admin.get(fmt.Sprintf("/org/members/%d/edit", mgrID)).doc(t)
	if edit.Find(fmt.Sprintf(`[data-testid="supervisor-form"] option[value="%d"]`, supID)).Length() != 1 {
		t.Fatal("the member's page offers the supervisor")
	}
	r := admin.post(fmt.Sprintf("/org/members/%d/supervisor", mgrID), url.Values{"supervisor_id": {fmt.Sprint(supID)}})
	if r.Status != http.StatusSeeOther || admin.get(r.Location).doc(t).Find(`[data-testid="toast-success"]`).Length() != 1 {
		t.Fatalf("set: %d", r.Status)
	}
	if got := listNames(t, sup.get(q)); len(got) != 1 {
		t.Fatalf("the supervisor sees its manager's customer: %v", got)
	}
	if got := sup.get(fmt.Sprintf("/customers/%d", f.ID)).Status; got != http.StatusOK {
		t.Fatalf("and opens it: %d", got)
	}
	// The manager cannot be put under its own subordinate.
	admin.get(fmt.Sprintf("/org/members/%d/edit", supID))
	r = admin.post(fmt.Sprintf("/org/members/%d/supervisor", supID), url.Values{"supervisor_id": {fmt.Sprint(mgrID)}})
	if r.Status != http.StatusSeeOther || admin.get(r.Location).doc(t).Find(`[data-testid="toast-error"]`).Length() != 1 {
		t.Fatal("a cycle is refused with a toast")
	}
}

// The partner withdraws its own pending switch request from 关联关系操作记录:
// the row offers 撤销 to the main account, the request ends cancelled,
// and the customer can no longer consent to it; a customer-initiated
// unbinding offers no 撤销 to the partner.
func TestPartnerWithdrawsItsPendingRequest(t *testing.T) {
	env := newEnv(t)
	r, f := custSwitchRequest(t, env, demo.SPAdmin)
	c := env.as(t, demo.SPAdmin)
	page := c.get("/customers/records?customer=" + url.QueryEscape(f.Name)).doc(t)
	if page.Find(fmt.Sprintf(`form[action="/customers/records/%d/cancel"]`, r.ID)).Length() != 1 {
		t.Fatal("no 撤销 on the partner's pending switch request")
	}
	res := c.post(fmt.Sprintf("/customers/records/%d/cancel", r.ID), url.Values{})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("cancel: %d", res.Status)
	}
	var status string
	env.DB.Raw(`SELECT status FROM association_requests WHERE id = ?`, r.ID).Scan(&status)
	if status != customer.RequestCancelled {
		t.Fatalf("status %q", status)
	}
	if _, err := custService(env).Consent(context.Background(), access.CustomerUser(f.UserID), r.ID, true); err == nil {
		t.Fatal("the customer consented to a withdrawn request")
	}
	// A second withdrawal is refused with a message, nothing changes.
	if res := c.post(fmt.Sprintf("/customers/records/%d/cancel", r.ID), url.Values{}); res.Status != http.StatusConflict {
		t.Fatalf("second cancel: %d", res.Status)
	}
	u, uf := custUnbindRequest(t, env, demo.SPAdmin)
	page = c.get("/customers/records?customer=" + url.QueryEscape(uf.Name)).doc(t)
	if page.Find(fmt.Sprintf(`form[action="/customers/records/%d/cancel"]`, u.ID)).Length() != 0 {
		t.Fatal("the partner is offered 撤销 on the customer's own unbinding")
	}
}

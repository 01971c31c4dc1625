package access

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var (
	bg  = context.Background()
	seq atomic.Int64
)

// testTenant is an active solution-provider tenant with its main account.
type testTenant struct {
	ID   int64
	Main *Principal
}

// Fixtures use SQL directly so this package's tests import nothing above it.
func newTestTenant(t *testing.T, g *gorm.DB) *testTenant {
	t.Helper()
	n := seq.Add(1)
	var pid int64
	if err := g.Raw(`INSERT INTO partners (name, credit_code, status) VALUES (?, ?, 'active') RETURNING id`,
		fmt.Sprintf("角色测试伙伴%d", n), fmt.Sprintf("91330100MA%08d", n)).Scan(&pid).Error; err != nil {
		t.Fatal(err)
	}
	if err := g.Exec(`INSERT INTO partner_identities (partner_id, identity) VALUES (?, 'solution_provider')`, pid).Error; err != nil {
		t.Fatal(err)
	}
	uid := newTestUser(t, g, pid, true)
	return &testTenant{ID: pid, Main: load(t, g, pid, uid, true)}
}

func newTestUser(t *testing.T, g *gorm.DB, pid int64, main bool) int64 {
	t.Helper()
	n := seq.Add(1)
	var id int64
	if err := g.Raw(`INSERT INTO users (kind, partner_id, login_name, password_hash, is_main) VALUES ('partner', ?, ?, 'x', ?) RETURNING id`,
		pid, fmt.Sprintf("rt_user%d", n), main).Scan(&id).Error; err != nil {
		t.Fatal(err)
	}
	return id
}

func load(t *testing.T, g *gorm.DB, pid, uid int64, main bool) *Principal {
	t.Helper()
	p, err := Load(bg, g, Subject{UserID: uid, PartnerID: pid, IsMain: main, PartnerStatus: "active"})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func give(t *testing.T, g *gorm.DB, uid, roleID int64) {
	t.Helper()
	if err := g.Exec(`INSERT INTO user_roles (user_id, role_id) VALUES (?, ?)`, uid, roleID).Error; err != nil {
		t.Fatal(err)
	}
}

func presetRoleID(t *testing.T, g *gorm.DB) int64 {
	var id int64
	if err := g.Raw(`SELECT id FROM roles WHERE preset = ?`, PresetCustomerManagerKey).Scan(&id).Error; err != nil {
		t.Fatal(err)
	}
	return id
}

func fieldKey(t *testing.T, err error, field string) string {
	t.Helper()
	ae, ok := apperr.As(err)
	if !ok || ae.Kind != apperr.KindInvalid {
		t.Fatalf("want a validation error on %s, got %v", field, err)
	}
	return ae.Fields[field]
}

func roleCount(t *testing.T, g *gorm.DB) int64 {
	var n int64
	g.Table("roles").Count(&n)
	return n
}

func TestRoleCanHoldOnlyGrantableItems(t *testing.T) {
	g := dbtest.DB(t)
	tn := newTestTenant(t, g)
	before := roleCount(t, g)
	for _, bad := range []string{
		string(ProfileCompanyEdit),     // MainOnly: only the main account edits licence data (§6.1.2)
		string(OnboardingApply),        // MainOnly
		string(VendorApprovalsDecide),  // vendor items never go to partner roles
		"menu.org", "page.org.members", // tree nodes, not actions
		"no.such.item", string(Public), string(SignedIn),
	} {
		_, err := Roles{DB: g, Clock: clock.System{}}.Create(bg, tn.Main, RoleInput{Name: "越权" + bad, Items: []string{string(HomeView), bad}})
		if k := fieldKey(t, err, "items"); k != "org.roles.err.item_not_grantable" {
			t.Errorf("%s: %q", bad, k)
		}
	}
	if roleCount(t, g) != before {
		t.Fatal("refused roles must not be created")
	}
	_, err := Roles{DB: g, Clock: clock.System{}}.Create(bg, tn.Main, RoleInput{Name: "空角色"})
	if k := fieldKey(t, err, "items"); k != "org.roles.err.items_required" {
		t.Errorf("no items: %q", k)
	}
	id, err := Roles{DB: g, Clock: clock.System{}}.Create(bg, tn.Main, RoleInput{Name: " 运营 ", Description: "日常运营",
		Items: []string{string(OrgMembersView), string(OrgMembersView), string(HomeView)}})
	if err != nil {
		t.Fatal(err)
	}
	r, err := Roles{DB: g, Clock: clock.System{}}.Get(bg, tn.Main, id)
	if err != nil || r.Name != "运营" || len(r.Items) != 2 {
		t.Fatalf("role: %+v %v", r, err)
	}
}

func TestLoadIgnoresNonGrantableItemsStoredInRoles(t *testing.T) {
	g := dbtest.DB(t)
	tn := newTestTenant(t, g)
	var rid int64
	g.Raw(`INSERT INTO roles (partner_id, name) VALUES (?, 'tampered') RETURNING id`, tn.ID).Scan(&rid)
	for _, it := range []Item{ProfileCompanyEdit, VendorPartnersAssign, OrgAuditView} {
		g.Exec(`INSERT INTO role_items VALUES (?, ?)`, rid, string(it))
	}
	uid := newTestUser(t, g, tn.ID, false)
	give(t, g, uid, rid)
	p := load(t, g, tn.ID, uid, false)
	if p.Can(ProfileCompanyEdit) || p.Can(VendorPartnersAssign) || !p.Can(OrgAuditView) {
		t.Fatalf("items: %v", p.SortedItems())
	}
}

func TestRoleNameIsUniquePerTenant(t *testing.T) {
	g := dbtest.DB(t)
	tn := newTestTenant(t, g)
	other := newTestTenant(t, g)
	in := RoleInput{Name: "Sales", Items: []string{string(HomeView)}}
	if _, err := (Roles{DB: g, Clock: clock.System{}}).Create(bg, tn.Main, in); err != nil {
		t.Fatal(err)
	}
	in.Name = "SALES"
	_, err := Roles{DB: g, Clock: clock.System{}}.Create(bg, tn.Main, in)
	if k := fieldKey(t, err, "name"); k != "org.roles.err.name_taken" {
		t.Fatalf("same name, other case: %q", k)
	}
	if _, err := (Roles{DB: g, Clock: clock.System{}}).Create(bg, other.Main, in); err != nil {
		t.Fatalf("another tenant may use the same name: %v", err)
	}
	in.Name = "客户经理"
	_, err = Roles{DB: g, Clock: clock.System{}}.Create(bg, tn.Main, in)
	if k := fieldKey(t, err, "name"); k != "org.roles.err.name_taken" {
		t.Fatalf("the preset role's name is reserved: %q", k)
	}
	in.Name = strings.Repeat("长", MaxRoleNameLen+1)
	_, err = Roles{DB: g, Clock: clock.System{}}.Create(bg, tn.Main, in)
	if k := fieldKey(t, err, "name"); k != "org.roles.err.name_too_long" {
		t.Fatalf("long name: %q", k)
	}
}

func TestPresetCustomerManagerRoleIsFixed(t *testing.T) {
	g := dbtest.DB(t)
	tn := newTestTenant(t, g)
	pid := presetRoleID(t, g)
	err := Roles{DB: g, Clock: clock.System{}}.Update(bg, tn.Main, pid, RoleInput{Name: "客户经理", Items: []string{string(OrgMembersManage)}})
	if ae, ok := apperr.As(err); !ok || ae.Key != "org.roles.err.preset_fixed" {
		t.Fatalf("update preset: %v", err)
	}
	err = Roles{DB: g, Clock: clock.System{}}.Delete(bg, tn.Main, pid)
	if ae, ok := apperr.As(err); !ok || ae.Key != "org.roles.err.preset_fixed" {
		t.Fatalf("delete preset: %v", err)
	}
	r, err := Roles{DB: g, Clock: clock.System{}}.Get(bg, tn.Main, pid)
	if err != nil || !r.IsPreset() || len(r.Items) != len(PresetCustomerManager) {
		t.Fatalf("preset: %+v %v", r, err)
	}
	// §7.1.4: it has consumption records, never vouchers nor the partner bill.
	has := map[Item]bool{}
	for _, it := range r.Items {
		has[it] = true
	}
	if !has[CustomerConsumptionView] || has[OrgMembersManage] {
		t.Fatalf("preset items: %v", r.Items)
	}
}

func TestCustomerManagerAloneSeesOnlyAssignedCustomers(t *testing.T) {
	g := dbtest.DB(t)
	tn := newTestTenant(t, g)
	uid := newTestUser(t, g, tn.ID, false)
	give(t, g, uid, presetRoleID(t, g))
	if p := load(t, g, tn.ID, uid, false); p.CustomerScope != ScopeAssigned {
		t.Fatal("客户经理 alone manages only its own customers (§7.1.4)")
	}
	rid, err := Roles{DB: g, Clock: clock.System{}}.Create(bg, tn.Main, RoleInput{Name: "其他", Items: []string{string(OrgAuditView)}})
	if err != nil {
		t.Fatal(err)
	}
	give(t, g, uid, rid)
	if p := load(t, g, tn.ID, uid, false); p.CustomerScope != ScopeAll {
		t.Fatal("客户经理 with another role manages all customers (§7.1.4)")
	}
}

func TestRoleHeldByMembersCannotBeDeleted(t *testing.T) {
	g := dbtest.DB(t)
	tn := newTestTenant(t, g)
	rid, err := Roles{DB: g, Clock: clock.System{}}.Create(bg, tn.Main, RoleInput{Name: "财务", Items: []string{string(OrgAuditView)}})
	if err != nil {
		t.Fatal(err)
	}
	uid := newTestUser(t, g, tn.ID, false)
	give(t, g, uid, rid)
	err = Roles{DB: g, Clock: clock.System{}}.Delete(bg, tn.Main, rid)
	ae, ok := apperr.As(err)
	if !ok || ae.Kind != apperr.KindConflict || ae.Key != "org.roles.err.in_use" || ae.Args["Count"] != int64(1) {
		t.Fatalf("delete held role: %v", err)
	}
	if _, err := (Roles{DB: g, Clock: clock.System{}}).Get(bg, tn.Main, rid); err != nil {
		t.Fatal("the role must still exist")
	}
	g.Exec(`DELETE FROM user_roles WHERE user_id = ?`, uid)
	if err := (Roles{DB: g, Clock: clock.System{}}).Delete(bg, tn.Main, rid); err != nil {
		t.Fatal(err)
	}
	if _, err := (Roles{DB: g, Clock: clock.System{}}).Get(bg, tn.Main, rid); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatal("the role must be gone")
	}
}

func TestRoleChangesTakeEffectOnTheMembersNextRequest(t *testing.T) {
	g := dbtest.DB(t)
	tn := newTestTenant(t, g)
	rid, err := Roles{DB: g, Clock: clock.System{}}.Create(bg, tn.Main, RoleInput{Name: "日志", Items: []string{string(OrgAuditView)}})
	if err != nil {
		t.Fatal(err)
	}
	uid := newTestUser(t, g, tn.ID, false)
	give(t, g, uid, rid)
	if p := load(t, g, tn.ID, uid, false); !p.Can(OrgAuditView) || p.Can(OrgMembersView) {
		t.Fatalf("before: %v", p.SortedItems())
	}
	if err := (Roles{DB: g, Clock: clock.System{}}).Update(bg, tn.Main, rid, RoleInput{Name: "成员查看", Items: []string{string(OrgMembersView)}}); err != nil {
		t.Fatal(err)
	}
	if p := load(t, g, tn.ID, uid, false); p.Can(OrgAuditView) || !p.Can(OrgMembersView) {
		t.Fatalf("after: %v", p.SortedItems())
	}
}

func TestAnotherTenantsRoleIsNotFoundAndUnchanged(t *testing.T) {
	g := dbtest.DB(t)
	tn := newTestTenant(t, g)
	other := newTestTenant(t, g)
	rid, err := Roles{DB: g, Clock: clock.System{}}.Create(bg, other.Main, RoleInput{Name: "别家的", Items: []string{string(HomeView)}})
	if err != nil {
		t.Fatal(err)
	}
	_, errGet := Roles{DB: g, Clock: clock.System{}}.Get(bg, tn.Main, rid)
	errUpd := Roles{DB: g, Clock: clock.System{}}.Update(bg, tn.Main, rid, RoleInput{Name: "抢来的", Items: []string{string(HomeView)}})
	errDel := Roles{DB: g, Clock: clock.System{}}.Delete(bg, tn.Main, rid)
	for i, err := range []error{errGet, errUpd, errDel} {
		if !apperr.Is(err, apperr.KindNotFound) {
			t.Errorf("op %d: %v, want not found", i, err)
		}
	}
	r, err := Roles{DB: g, Clock: clock.System{}}.Get(bg, other.Main, rid)
	if err != nil || r.Name != "别家的" {
		t.Fatal("another tenant's role must be unchanged")
	}
	list, _ := Roles{DB: g, Clock: clock.System{}}.List(bg, tn.Main)
	for _, r := range list {
		if r.ID == rid {
			t.Fatal("the list shows only the tenant's roles")
		}
	}
}

func TestMemberWithRoleManagementCannotGrantItemsItLacks(t *testing.T) {
	g := dbtest.DB(t)
	tn := newTestTenant(t, g)
	mgrRole, err := Roles{DB: g, Clock: clock.System{}}.Create(bg, tn.Main, RoleInput{Name: "角色管理员",
		Items: []string{string(OrgRolesView), string(OrgRolesManage), string(OrgAuditView)}})
	if err != nil {
		t.Fatal(err)
	}
	uid := newTestUser(t, g, tn.ID, false)
	give(t, g, uid, mgrRole)
	p := load(t, g, tn.ID, uid, false)
	_, err = Roles{DB: g, Clock: clock.System{}}.Create(bg, p, RoleInput{Name: "提权", Items: []string{string(OrgMembersManage)}})
	if k := fieldKey(t, err, "items"); k != "org.roles.err.exceeds_own" {
		t.Fatalf("escalation by creating a role: %q", k)
	}
	err = Roles{DB: g, Clock: clock.System{}}.Update(bg, p, mgrRole, RoleInput{Name: "角色管理员",
		Items: []string{string(OrgRolesView), string(OrgRolesManage), string(OrgMembersManage)}})
	if k := fieldKey(t, err, "items"); k != "org.roles.err.exceeds_own" {
		t.Fatalf("escalation by editing its own role: %q", k)
	}
	if _, err := (Roles{DB: g, Clock: clock.System{}}).Create(bg, p, RoleInput{Name: "只看日志", Items: []string{string(OrgAuditView)}}); err != nil {
		t.Fatalf("items it holds may be granted: %v", err)
	}
}

func TestRoleChangesAreAudited(t *testing.T) {
	g := dbtest.DB(t)
	tn := newTestTenant(t, g)
	s := Roles{DB: g, Clock: clock.System{}}
	rid, err := s.Create(bg, tn.Main, RoleInput{Name: "审计", Items: []string{string(OrgAuditView)}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Update(bg, tn.Main, rid, RoleInput{Name: "审计2", Items: []string{string(OrgAuditExport)}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(bg, tn.Main, rid); err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		Action string
		Before *string
		After  *string
	}
	g.Raw(`SELECT action, before::text, after::text FROM audit_log WHERE partner_id = ? AND object_type = 'role' AND object_id = ? ORDER BY id`,
		tn.ID, strconv.FormatInt(rid, 10)).Scan(&rows)
	if len(rows) != 3 || rows[0].Action != "org.role.create" || rows[1].Action != "org.role.update" || rows[2].Action != "org.role.delete" {
		t.Fatalf("audit: %+v", rows)
	}
	if rows[1].Before == nil || !strings.Contains(*rows[1].Before, "org.audit.view") || !strings.Contains(*rows[1].After, "org.audit.export") {
		t.Fatalf("update before/after: %+v", rows[1])
	}
}

func TestRoleListShowsPresetFirstWithTheTenantsMemberCounts(t *testing.T) {
	g := dbtest.DB(t)
	tn := newTestTenant(t, g)
	other := newTestTenant(t, g)
	// A member of another tenant holding the preset role is not counted.
	give(t, g, newTestUser(t, g, other.ID, false), presetRoleID(t, g))
	give(t, g, newTestUser(t, g, tn.ID, false), presetRoleID(t, g))
	give(t, g, newTestUser(t, g, tn.ID, false), presetRoleID(t, g))
	if _, err := (Roles{DB: g, Clock: clock.System{}}).Create(bg, tn.Main, RoleInput{Name: "A角色", Items: []string{string(HomeView)}}); err != nil {
		t.Fatal(err)
	}
	list, err := Roles{DB: g, Clock: clock.System{}}.List(bg, tn.Main)
	if err != nil || len(list) != 2 {
		t.Fatalf("list: %+v %v", list, err)
	}
	if !list[0].IsPreset() || list[0].Members != 2 || list[1].Members != 0 {
		t.Fatalf("preset first with its count: %+v", list)
	}
	defs, err := Roles{DB: g, Clock: clock.System{}}.Defaults(bg, tn.Main)
	if err != nil || len(defs) == 0 {
		t.Fatalf("defaults: %v %v", defs, err)
	}
}

func TestCanGrantRules(t *testing.T) {
	main := &Principal{IsMain: true}
	if !CanGrant(main, []Item{OrgMembersManage, OrgRolesManage}, nil) {
		t.Fatal("the main account grants every grantable item")
	}
	if CanGrant(main, []Item{ProfileCompanyEdit}, nil) {
		t.Fatal("MainOnly items are never granted")
	}
	member := &Principal{Items: map[Item]bool{OrgAuditView: true}}
	if !CanGrant(member, []Item{OrgAuditView}, nil) || CanGrant(member, []Item{OrgAuditExport}, nil) {
		t.Fatal("a member grants only what it holds")
	}
	if !CanGrant(member, []Item{OrgAuditExport}, map[Item]bool{OrgAuditExport: true}) {
		t.Fatal("items already there may stay")
	}
	if CanGrant(nil, []Item{HomeView}, nil) {
		t.Fatal("nobody without a principal grants anything")
	}
}

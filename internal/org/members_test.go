package org

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"partnercenter/internal/access"
	"partnercenter/internal/identity"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/dbtest"
	"partnercenter/internal/platform/i18n"
)

var bg = context.Background()

func fieldErr(t *testing.T, err error, field string) string {
	t.Helper()
	ae, ok := apperr.As(err)
	if !ok || ae.Kind != apperr.KindInvalid {
		t.Fatalf("want a validation error on %s, got %v", field, err)
	}
	return ae.Fields[field]
}

func wantConflict(t *testing.T, err error, key string) {
	t.Helper()
	ae, ok := apperr.As(err)
	if !ok || ae.Kind != apperr.KindConflict || ae.Key != key {
		t.Fatalf("want conflict %s, got %v", key, err)
	}
}

func TestCreatedMemberHoldsItsRolesAndCanSignIn(t *testing.T) {
	g := dbtest.DB(t)
	tn := newTenant(t, g)
	role := customRole(t, g, tn.ID, access.OrgAuditView)
	in := input()
	in.RoleIDs = []int64{role, presetID(t, g)}
	id, err := Members{DB: g, Clock: clock.System{}}.Create(bg, tn.Main, in)
	if err != nil {
		t.Fatal(err)
	}
	u, err := identity.Authenticator{DB: g, Clock: clock.System{}}.Authenticate(bg, in.LoginName, in.Password, "10.0.0.1")
	if err != nil || u.ID != id {
		t.Fatalf("the new member must sign in with its initial password: %v", err)
	}
	p := principal(t, g, u)
	if !p.Can(access.OrgAuditView) || !p.Can(access.CustomersView) || !p.Can(access.ProfileCompanyView) {
		t.Fatalf("member items: %v", p.SortedItems())
	}
	if p.Can(access.OrgMembersManage) || p.IsMain {
		t.Fatal("a member must not get rights beyond its roles and defaults")
	}
	m, err := Members{DB: g, Clock: clock.System{}}.Get(bg, tn.Main, id)
	if err != nil || len(m.Roles) != 2 || !m.Roles[0].IsPreset() {
		t.Fatalf("roles: %+v %v", m, err)
	}
}

func TestMemberCannotHoldMoreThanThreeRoles(t *testing.T) {
	g := dbtest.DB(t)
	tn := newTenant(t, g)
	ids := []int64{presetID(t, g)}
	for i := 0; i < 3; i++ {
		ids = append(ids, customRole(t, g, tn.ID, access.HomeView))
	}
	before := countUsers(t, g)
	in := input()
	in.RoleIDs = ids
	_, err := Members{DB: g, Clock: clock.System{}}.Create(bg, tn.Main, in)
	if k := fieldErr(t, err, "roles"); k != "org.members.err.too_many_roles" {
		t.Fatalf("four roles: %q", k)
	}
	if countUsers(t, g) != before {
		t.Fatal("a refused create must change nothing")
	}
	in.RoleIDs = ids[:3]
	id, err := Members{DB: g, Clock: clock.System{}}.Create(bg, tn.Main, in)
	if err != nil {
		t.Fatalf("three roles are allowed: %v", err)
	}
	upd := Input{DisplayName: "x", Email: in.Email, RoleIDs: ids}
	if k := fieldErr(t, Members{DB: g, Clock: clock.System{}}.Update(bg, tn.Main, id, upd), "roles"); k != "org.members.err.too_many_roles" {
		t.Fatalf("update with four roles: %q", k)
	}
	// Duplicates count once.
	upd.RoleIDs = []int64{ids[1], ids[1], ids[2], ids[2], ids[3]}
	if err := (Members{DB: g, Clock: clock.System{}}).Update(bg, tn.Main, id, upd); err != nil {
		t.Fatal(err)
	}
}

func TestCreatingMemberWithTakenEmailOrMobileGivesSeedMessage(t *testing.T) {
	g := dbtest.DB(t)
	tn := newTenant(t, g)
	other := newTenant(t, g)
	// Taken by a user of ANOTHER tenant: still refused (unique across all users).
	victim := rawUser(t, g, other.ID, false)
	before := countUsers(t, g)

	in := input()
	in.Email = strings.ToUpper(identity.Str(victim.Email))
	_, err := Members{DB: g, Clock: clock.System{}}.Create(bg, tn.Main, in)
	k := fieldErr(t, err, "email")
	if k != identity.ErrEmailTaken || !strings.Contains(i18n.TL(i18n.ZhCN, k), "邮箱/手机号已被注册") {
		t.Fatalf("taken email: %q → %q", k, i18n.TL(i18n.ZhCN, k))
	}

	in = input()
	in.Mobile = identity.Str(victim.Mobile)
	_, err = Members{DB: g, Clock: clock.System{}}.Create(bg, tn.Main, in)
	k = fieldErr(t, err, "mobile")
	if k != identity.ErrMobileTaken || !strings.Contains(i18n.TL(i18n.ZhCN, k), "邮箱/手机号已被注册") {
		t.Fatalf("taken mobile: %q", k)
	}

	// Editing another member to a taken email is refused the same way.
	mine := rawUser(t, g, tn.ID, false)
	err = Members{DB: g, Clock: clock.System{}}.Update(bg, tn.Main, mine.ID, Input{DisplayName: "x", Email: identity.Str(victim.Email), Mobile: identity.Str(victim.Mobile)})
	if fieldErr(t, err, "email") != identity.ErrEmailTaken || fieldErr(t, err, "mobile") != identity.ErrMobileTaken {
		t.Fatalf("update to taken email/mobile: %v", err)
	}
	// Keeping one's own email is fine.
	if err := (Members{DB: g, Clock: clock.System{}}).Update(bg, tn.Main, mine.ID, Input{DisplayName: "y", Email: identity.Str(mine.Email), Mobile: identity.Str(mine.Mobile)}); err != nil {
		t.Fatal(err)
	}
	if countUsers(t, g) != before+1 {
		t.Fatal("refused creates must add no user")
	}
}

func TestCreatingMemberWithTakenLoginNameIsRefused(t *testing.T) {
	g := dbtest.DB(t)
	tn := newTenant(t, g)
	other := newTenant(t, g)
	victim := rawUser(t, g, other.ID, false)
	in := input()
	in.LoginName = strings.ToUpper(victim.LoginName[:1]) + victim.LoginName[1:]
	_, err := Members{DB: g, Clock: clock.System{}}.Create(bg, tn.Main, in)
	if k := fieldErr(t, err, "login_name"); k != identity.ErrLoginTaken {
		t.Fatalf("taken login name (any case, any tenant): %q", k)
	}
}

func TestMemberFormatsAndPasswordAreValidated(t *testing.T) {
	g := dbtest.DB(t)
	tn := newTenant(t, g)
	before := countUsers(t, g)
	cases := []struct {
		mutate func(*Input)
		field  string
		key    string
	}{
		{func(in *Input) { in.Email = "not-an-email" }, "email", "org.members.err.email_format"},
		{func(in *Input) { in.Email = "a@b" }, "email", "org.members.err.email_format"},
		{func(in *Input) { in.Email = "" }, "email", "org.members.err.email_required"},
		{func(in *Input) { in.Mobile = "23800000000" }, "mobile", "org.members.err.mobile_format"},
		{func(in *Input) { in.Mobile = "1380000000" }, "mobile", "org.members.err.mobile_format"},
		{func(in *Input) { in.Mobile = "138000000001" }, "mobile", "org.members.err.mobile_format"},
		{func(in *Input) { in.LoginName = "1abc" }, "login_name", "org.members.err.login_format"},
		{func(in *Input) { in.LoginName = "" }, "login_name", "org.members.err.login_required"},
		{func(in *Input) { in.DisplayName = "  " }, "display_name", "org.members.err.name_required"},
		{func(in *Input) { in.Password = "short1A" }, "password", "identity.err.password_length"},
		{func(in *Input) { in.Password = "alllowercase" }, "password", "identity.err.password_weak"},
		{func(in *Input) { in.Password = in.LoginName + "#A1" }, "password", "identity.err.password_contains_name"},
		{func(in *Input) { in.RoleIDs = []int64{999999} }, "roles", "org.members.err.role_unknown"},
	}
	for _, c := range cases {
		in := input()
		c.mutate(&in)
		_, err := Members{DB: g, Clock: clock.System{}}.Create(bg, tn.Main, in)
		if k := fieldErr(t, err, c.field); k != c.key {
			t.Errorf("%s: got %q, want %q", c.field, k, c.key)
		}
	}
	if countUsers(t, g) != before {
		t.Fatal("invalid input must change nothing")
	}
	// Mobile is optional.
	in := input()
	in.Mobile = ""
	if _, err := (Members{DB: g, Clock: clock.System{}}).Create(bg, tn.Main, in); err != nil {
		t.Fatal(err)
	}
}

func TestMainAccountCannotBeDisabledDeletedOrReset(t *testing.T) {
	g := dbtest.DB(t)
	tn := newTenant(t, g)
	// Even a member holding org.members.manage cannot touch the main account.
	mgr := rawUser(t, g, tn.ID, false)
	role := customRole(t, g, tn.ID, access.OrgMembersView, access.OrgMembersManage)
	g.Exec(`INSERT INTO user_roles VALUES (?, ?)`, mgr.ID, role)
	mp := principal(t, g, mgr)
	s := Members{DB: g, Clock: clock.System{}}
	for _, actor := range []*access.Principal{tn.Main, mp} {
		wantConflict(t, s.Disable(bg, actor, tn.MainID), "org.members.err.main_protected")
		wantConflict(t, s.Delete(bg, actor, tn.MainID), "org.members.err.main_protected")
		wantConflict(t, s.ResetPassword(bg, actor, tn.MainID, "Another#Pass9"), "org.members.err.main_protected")
	}
	wantConflict(t, s.Update(bg, mp, tn.MainID, Input{DisplayName: "夺权", Email: "x@example.com"}), "org.members.err.main_protected")
	m, _ := s.Get(bg, tn.Main, tn.MainID)
	if m.Status != identity.StatusActive || m.DisplayName == "夺权" || !identity.CheckPassword(m.PasswordHash, "Initial#Pass1") {
		t.Fatal("the main account must be unchanged")
	}
}

func TestMainAccountRolesAreNotEditable(t *testing.T) {
	g := dbtest.DB(t)
	tn := newTenant(t, g)
	m, _ := Members{DB: g, Clock: clock.System{}}.Get(bg, tn.Main, tn.MainID)
	role := customRole(t, g, tn.ID, access.HomeView)
	err := Members{DB: g, Clock: clock.System{}}.Update(bg, tn.Main, tn.MainID, Input{DisplayName: "新名字", Email: identity.Str(m.Email), RoleIDs: []int64{role}})
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	g.Table("user_roles").Where("user_id = ?", tn.MainID).Count(&n)
	if n != 0 {
		t.Fatal("the main account holds everything: it is never given roles")
	}
	p := principal(t, g, &m.User)
	if !p.Can(access.OrgMembersManage) || !p.Can(access.OrgRolesManage) {
		t.Fatal("the main account keeps admin rights")
	}
}

func TestMemberCannotActOnItself(t *testing.T) {
	g := dbtest.DB(t)
	tn := newTenant(t, g)
	self := rawUser(t, g, tn.ID, false)
	mgrRole := customRole(t, g, tn.ID, access.OrgMembersView, access.OrgMembersManage)
	g.Exec(`INSERT INTO user_roles VALUES (?, ?)`, self.ID, mgrRole)
	p := principal(t, g, self)
	s := Members{DB: g, Clock: clock.System{}}
	wantConflict(t, s.Disable(bg, p, self.ID), "org.members.err.self_action")
	wantConflict(t, s.Delete(bg, p, self.ID), "org.members.err.self_action")
	wantConflict(t, s.ResetPassword(bg, p, self.ID, "Another#Pass9"), "org.members.err.self_action")
	other := customRole(t, g, tn.ID, access.OrgMembersView)
	err := s.Update(bg, p, self.ID, Input{DisplayName: "x", Email: identity.Str(self.Email), RoleIDs: []int64{mgrRole, other}})
	if k := fieldErr(t, err, "roles"); k != "org.members.err.self_roles" {
		t.Fatalf("own roles: %q", k)
	}
	// Its own details with unchanged roles are fine.
	if err := s.Update(bg, p, self.ID, Input{DisplayName: "自己", Email: identity.Str(self.Email), RoleIDs: []int64{mgrRole}}); err != nil {
		t.Fatal(err)
	}
}

func TestMemberManagerCannotGrantRolesBeyondItsOwnItems(t *testing.T) {
	g := dbtest.DB(t)
	tn := newTenant(t, g)
	mgr := rawUser(t, g, tn.ID, false)
	mgrRole := customRole(t, g, tn.ID, access.OrgMembersView, access.OrgMembersManage)
	g.Exec(`INSERT INTO user_roles VALUES (?, ?)`, mgr.ID, mgrRole)
	p := principal(t, g, mgr)
	strong := customRole(t, g, tn.ID, access.OrgRolesManage, access.OrgRolesView)
	in := input()
	in.RoleIDs = []int64{strong}
	_, err := Members{DB: g, Clock: clock.System{}}.Create(bg, p, in)
	if k := fieldErr(t, err, "roles"); k != "org.members.err.role_exceeds_own" {
		t.Fatalf("escalation through a stronger role: %q", k)
	}
	in.RoleIDs = []int64{mgrRole}
	if _, err := (Members{DB: g, Clock: clock.System{}}).Create(bg, p, in); err != nil {
		t.Fatalf("a role within its own items is fine: %v", err)
	}
	// A member that already holds the strong role may keep it when the
	// manager edits other fields.
	victim := rawUser(t, g, tn.ID, false)
	g.Exec(`INSERT INTO user_roles VALUES (?, ?)`, victim.ID, strong)
	if err := (Members{DB: g, Clock: clock.System{}}).Update(bg, p, victim.ID, Input{DisplayName: "z", Email: identity.Str(victim.Email), RoleIDs: []int64{strong}}); err != nil {
		t.Fatal(err)
	}
}

func TestDisablingMemberEndsAllItsSessionsAtOnce(t *testing.T) {
	g := dbtest.DB(t)
	tn := newTenant(t, g)
	m := rawUser(t, g, tn.ID, false)
	keep := rawUser(t, g, tn.ID, false)
	session(t, g, m.ID)
	session(t, g, m.ID)
	session(t, g, keep.ID)
	if err := (Members{DB: g, Clock: clock.System{}}).Disable(bg, tn.Main, m.ID); err != nil {
		t.Fatal(err)
	}
	if countSessions(t, g, m.ID) != 0 {
		t.Fatal("disabling must end every session of the member")
	}
	if countSessions(t, g, keep.ID) != 1 {
		t.Fatal("other members' sessions stay")
	}
	if _, err := (identity.Authenticator{DB: g, Clock: clock.System{}}).Authenticate(bg, m.LoginName, "Initial#Pass1", "10.0.0.2"); err == nil {
		t.Fatal("a disabled member must not sign in")
	}
	if err := (Members{DB: g, Clock: clock.System{}}).Enable(bg, tn.Main, m.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := (identity.Authenticator{DB: g, Clock: clock.System{}}).Authenticate(bg, m.LoginName, "Initial#Pass1", "10.0.0.2"); err != nil {
		t.Fatalf("an enabled member signs in again: %v", err)
	}
}

func TestResetPasswordSetsNewPasswordAndEndsSessions(t *testing.T) {
	g := dbtest.DB(t)
	tn := newTenant(t, g)
	m := rawUser(t, g, tn.ID, false)
	session(t, g, m.ID)
	s := Members{DB: g, Clock: clock.System{}}
	if k := fieldErr(t, s.ResetPassword(bg, tn.Main, m.ID, "weak"), "password"); k != "identity.err.password_length" {
		t.Fatalf("weak password: %q", k)
	}
	if countSessions(t, g, m.ID) != 1 {
		t.Fatal("a refused reset changes nothing")
	}
	if err := s.ResetPassword(bg, tn.Main, m.ID, "Brand#New2025"); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Get(bg, tn.Main, m.ID)
	if !identity.CheckPassword(got.PasswordHash, "Brand#New2025") || identity.CheckPassword(got.PasswordHash, "Initial#Pass1") {
		t.Fatal("password not changed")
	}
	if countSessions(t, g, m.ID) != 0 {
		t.Fatal("reset must end the member's sessions")
	}
}

func TestAnotherTenantsMemberIsNotFoundAndUnchanged(t *testing.T) {
	g := dbtest.DB(t)
	tn := newTenant(t, g)
	other := newTenant(t, g)
	victim := rawUser(t, g, other.ID, false)
	session(t, g, victim.ID)
	s := Members{DB: g, Clock: clock.System{}}
	checks := map[string]error{
		"get":     func() error { _, err := s.Get(bg, tn.Main, victim.ID); return err }(),
		"update":  s.Update(bg, tn.Main, victim.ID, Input{DisplayName: "x", Email: "x@example.com"}),
		"disable": s.Disable(bg, tn.Main, victim.ID),
		"enable":  s.Enable(bg, tn.Main, victim.ID),
		"delete":  s.Delete(bg, tn.Main, victim.ID),
		"reset":   s.ResetPassword(bg, tn.Main, victim.ID, "Brand#New2025"),
		"sessions": func() error {
			_, err := s.SessionCount(bg, tn.Main, victim.ID)
			return err
		}(),
	}
	for name, err := range checks {
		if !apperr.Is(err, apperr.KindNotFound) {
			t.Errorf("%s on another tenant's member: %v, want not found", name, err)
		}
	}
	got, err := s.Get(bg, other.Main, victim.ID)
	if err != nil || got.Status != identity.StatusActive || got.DisplayName != victim.DisplayName || countSessions(t, g, victim.ID) != 1 {
		t.Fatal("another tenant's member must be unchanged")
	}
	list, _ := s.List(bg, tn.Main, Filter{Q: victim.LoginName})
	if list.Total != 0 {
		t.Fatal("the list shows only the tenant's members")
	}
}

func TestAssigningAnotherTenantsRoleIsRefused(t *testing.T) {
	g := dbtest.DB(t)
	tn := newTenant(t, g)
	other := newTenant(t, g)
	foreign := customRole(t, g, other.ID, access.OrgMembersManage)
	in := input()
	in.RoleIDs = []int64{foreign}
	_, err := Members{DB: g, Clock: clock.System{}}.Create(bg, tn.Main, in)
	if k := fieldErr(t, err, "roles"); k != "org.members.err.role_unknown" {
		t.Fatalf("foreign role: %q", k)
	}
}

func TestDeletingMemberRemovesItsRolesAndSessions(t *testing.T) {
	g := dbtest.DB(t)
	tn := newTenant(t, g)
	m := rawUser(t, g, tn.ID, false)
	g.Exec(`INSERT INTO user_roles VALUES (?, ?)`, m.ID, presetID(t, g))
	session(t, g, m.ID)
	if err := (Members{DB: g, Clock: clock.System{}}).Delete(bg, tn.Main, m.ID); err != nil {
		t.Fatal(err)
	}
	var n int64
	g.Table("users").Where("id = ?", m.ID).Count(&n)
	if n != 0 || countSessions(t, g, m.ID) != 0 {
		t.Fatal("member and sessions must be gone")
	}
	g.Table("user_roles").Where("user_id = ?", m.ID).Count(&n)
	if n != 0 {
		t.Fatal("role assignments must be gone")
	}
}

func TestEveryMemberChangeIsAuditedWithoutPasswordHash(t *testing.T) {
	g := dbtest.DB(t)
	tn := newTenant(t, g)
	s := Members{DB: g, Clock: clock.System{}}
	in := input()
	id, err := s.Create(bg, tn.Main, in)
	if err != nil {
		t.Fatal(err)
	}
	steps := []error{
		s.Update(bg, tn.Main, id, Input{DisplayName: "改名", Email: in.Email, RoleIDs: []int64{presetID(t, g)}}),
		s.Disable(bg, tn.Main, id),
		s.Enable(bg, tn.Main, id),
		s.ResetPassword(bg, tn.Main, id, "Brand#New2025"),
		s.Delete(bg, tn.Main, id),
	}
	for i, err := range steps {
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	var rows []struct {
		Action string
		Before *string
		After  *string
	}
	g.Raw(`SELECT action, before::text, after::text FROM audit_log WHERE partner_id = ? AND object_id = ? ORDER BY id`, tn.ID, strconv.FormatInt(id, 10)).Scan(&rows)
	want := []string{"org.member.create", "org.member.update", "org.member.disable", "org.member.enable", "org.member.reset_password", "org.member.delete"}
	if len(rows) != len(want) {
		t.Fatalf("audit rows: %+v", rows)
	}
	for i, r := range rows {
		if r.Action != want[i] {
			t.Errorf("row %d: %s, want %s", i, r.Action, want[i])
		}
		for _, s := range []*string{r.Before, r.After} {
			if s != nil && (strings.Contains(*s, "argon2") || strings.Contains(strings.ToLower(*s), "password_hash") || strings.Contains(*s, "Brand#New")) {
				t.Errorf("%s leaks a password: %s", r.Action, *s)
			}
		}
	}
	if rows[1].Before == nil || !strings.Contains(*rows[1].After, "改名") || !strings.Contains(*rows[1].After, "客户经理") {
		t.Errorf("update must keep before and after: %+v", rows[1])
	}
}

func TestListPutsMainAccountFirstAndFiltersSearchesAndPages(t *testing.T) {
	g := dbtest.DB(t)
	tn := newTenant(t, g)
	s := Members{DB: g, Clock: clock.System{}}
	var lastID int64
	for i := 0; i < 22; i++ {
		u := rawUser(t, g, tn.ID, false)
		lastID = u.ID
	}
	last, _ := s.Get(bg, tn.Main, lastID)
	if err := s.Disable(bg, tn.Main, lastID); err != nil {
		t.Fatal(err)
	}
	role := customRole(t, g, tn.ID, access.HomeView)
	g.Exec(`INSERT INTO user_roles VALUES (?, ?)`, lastID, role)

	l, err := s.List(bg, tn.Main, Filter{Sort: "login_name", Desc: true})
	if err != nil {
		t.Fatal(err)
	}
	if l.Total != 23 || len(l.Members) != PerPage || !l.Members[0].IsMain {
		t.Fatalf("first page: total %d, rows %d, main first %v", l.Total, len(l.Members), len(l.Members) > 0 && l.Members[0].IsMain)
	}
	if l.Members[1].LoginName < l.Members[2].LoginName {
		t.Fatal("sorted by login name descending after the main account")
	}
	p2, _ := s.List(bg, tn.Main, Filter{Page: 2})
	if len(p2.Members) != 3 {
		t.Fatalf("second page rows: %d", len(p2.Members))
	}
	for _, f := range []Filter{
		{Status: StatusDisabled},
		{RoleID: role},
		{Q: identity.Str(last.Mobile)},
		{Q: strings.ToUpper(identity.Str(last.Email))},
		{Q: last.DisplayName},
	} {
		l, err := s.List(bg, tn.Main, f)
		if err != nil || l.Total != 1 || l.Members[0].ID != lastID {
			t.Errorf("filter %+v: %v %+v", f, err, l)
		}
	}
	if l, _ := s.List(bg, tn.Main, Filter{Q: "%"}); l.Total != 0 {
		t.Error("search text is literal, not a LIKE pattern")
	}
}

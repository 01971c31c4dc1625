package access

import (
	"testing"

	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/dbtest"
)

// Roles acts for a partner member only (issue 8, "One actor, first"):
// vendor staff, a customer account and the system principal are refused
// by every method and change nothing.
func TestRolesRefusesAPrincipalOfTheWrongKindAndChangesNothing(t *testing.T) {
	g := dbtest.DB(t)
	tn := newTestTenant(t, g)
	s := Roles{DB: g, Clock: clock.System{}}
	rid, err := s.Create(bg, tn.Main, RoleInput{Name: "运营", Items: []string{string(OrgMembersView)}})
	if err != nil {
		t.Fatal(err)
	}
	roles := roleCount(t, g)
	var audits int64
	g.Table("audit_log").Where("partner_id = ?", tn.ID).Count(&audits)

	for name, p := range map[string]*Principal{
		"vendor staff": VendorStaff(tn.Main.UserID, "vendor_admin"),
		"customer":     CustomerUser(tn.Main.UserID),
		"system":       System,
		"nobody":       nil,
	} {
		for op, err := range map[string]error{
			"assignable": func() error { _, err := s.Assignable(bg, p); return err }(),
			"list":       func() error { _, err := s.List(bg, p); return err }(),
			"get":        func() error { _, err := s.Get(bg, p, rid); return err }(),
			"defaults":   func() error { _, err := s.Defaults(bg, p); return err }(),
			"create": func() error {
				_, err := s.Create(bg, p, RoleInput{Name: "越权", Items: []string{string(HomeView)}})
				return err
			}(),
			"update": s.Update(bg, p, rid, RoleInput{Name: "改名", Items: []string{string(HomeView)}}),
			"delete": s.Delete(bg, p, rid),
		} {
			if !apperr.Is(err, apperr.KindForbidden) {
				t.Errorf("%s by %s: %v, want forbidden", op, name, err)
			}
		}
	}
	r, err := s.Get(bg, tn.Main, rid)
	if err != nil || r.Name != "运营" || len(r.Items) != 1 || r.Items[0] != OrgMembersView || roleCount(t, g) != roles {
		t.Fatalf("a refused principal changed the roles: %+v %v", r, err)
	}
	var after int64
	g.Table("audit_log").Where("partner_id = ?", tn.ID).Count(&after)
	if after != audits {
		t.Fatal("a refused principal wrote the audit trail")
	}
}

package org

import (
	"testing"

	"partnercenter/internal/access"
	"partnercenter/internal/identity"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/dbtest"
)

// Members acts for a partner member only (issue 8, "One actor, first"):
// vendor staff, a customer account and the system principal are refused
// by every method, and nothing changes — no user, no role, no session, no
// audit row.
func TestMembersRefusesAPrincipalOfTheWrongKindAndChangesNothing(t *testing.T) {
	g := dbtest.DB(t)
	tn := newTenant(t, g)
	victim := rawUser(t, g, tn.ID, false)
	session(t, g, victim.ID)
	boss := rawUser(t, g, tn.ID, false)
	s := Members{DB: g, Clock: clock.System{}}
	users := countUsers(t, g)
	var audits int64
	g.Table("audit_log").Where("partner_id = ?", tn.ID).Count(&audits)

	for name, p := range map[string]*access.Principal{
		"vendor staff": access.VendorStaff(tn.MainID, "vendor_admin"),
		"customer":     access.CustomerUser(tn.MainID),
		"system":       access.System,
		"nobody":       nil,
	} {
		in := input()
		_, createErr := s.Create(bg, p, in)
		for op, err := range map[string]error{
			"list":        func() error { _, err := s.List(bg, p, Filter{}); return err }(),
			"get":         func() error { _, err := s.Get(bg, p, victim.ID); return err }(),
			"sessions":    func() error { _, err := s.SessionCount(bg, p, victim.ID); return err }(),
			"supervisors": func() error { _, err := s.SupervisorChoices(bg, p, victim.ID); return err }(),
			"create":      createErr,
			"update":      s.Update(bg, p, victim.ID, Input{DisplayName: "夺权", Email: "x@example.com"}),
			"disable":     s.Disable(bg, p, victim.ID),
			"enable":      s.Enable(bg, p, victim.ID),
			"reset":       s.ResetPassword(bg, p, victim.ID, "Brand#New2025"),
			"supervisor":  s.SetSupervisor(bg, p, victim.ID, boss.ID),
			"delete":      s.Delete(bg, p, victim.ID),
		} {
			if !apperr.Is(err, apperr.KindForbidden) {
				t.Errorf("%s by %s: %v, want forbidden", op, name, err)
			}
		}
	}
	got, err := s.Get(bg, tn.Main, victim.ID)
	if err != nil || got.Status != identity.StatusActive || got.DisplayName != victim.DisplayName || got.SupervisorID != nil ||
		countSessions(t, g, victim.ID) != 1 || countUsers(t, g) != users {
		t.Fatalf("a refused principal changed the tenant: %+v %v", got, err)
	}
	var after int64
	g.Table("audit_log").Where("partner_id = ?", tn.ID).Count(&after)
	if after != audits {
		t.Fatal("a refused principal wrote the audit trail")
	}
}

package org

import (
	"testing"

	"partnercenter/internal/identity"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/dbtest"
)

// R57 (seed 003 §12.1.9.5): a supervisor sees its customer managers'
// customers; the admin sets who supervises whom.
func TestSupervisorIsAMemberOfTheTenantAndTheTreeHasNoCycles(t *testing.T) {
	g := dbtest.DB(t)
	tn := newTenant(t, g)
	svc := Members{DB: g, Clock: clock.System{}}
	boss := rawUser(t, g, tn.ID, false)
	mgr := rawUser(t, g, tn.ID, false)
	junior := rawUser(t, g, tn.ID, false)

	if err := svc.SetSupervisor(bg, tn.Main, mgr.ID, boss.ID); err != nil {
		t.Fatal(err)
	}
	if err := svc.SetSupervisor(bg, tn.Main, junior.ID, mgr.ID); err != nil {
		t.Fatal(err)
	}
	var got identity.User
	g.First(&got, mgr.ID)
	if got.SupervisorID == nil || *got.SupervisorID != boss.ID {
		t.Fatalf("supervisor of mgr: %v", got.SupervisorID)
	}
	// boss under junior would close a loop boss → mgr → junior → boss.
	if key := fieldErr(t, svc.SetSupervisor(bg, tn.Main, boss.ID, junior.ID), "supervisor_id"); key != "org.supervisor.err.cycle" {
		t.Fatalf("cycle: %s", key)
	}
	choices, err := svc.SupervisorChoices(bg, tn.Main, boss.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range choices {
		if c.UserID == mgr.ID || c.UserID == junior.ID || c.UserID == boss.ID || c.UserID == tn.MainID {
			t.Fatalf("boss may not be supervised by %d", c.UserID)
		}
	}
	// Another tenant's member, the main account: refused.
	other := newTenant(t, g)
	stranger := rawUser(t, g, other.ID, false)
	for _, sup := range []int64{stranger.ID, tn.MainID} {
		if key := fieldErr(t, svc.SetSupervisor(bg, tn.Main, mgr.ID, sup), "supervisor_id"); key != "org.supervisor.err.invalid" {
			t.Fatalf("supervisor %d: %s", sup, key)
		}
	}
	// Another tenant's member as the target: not found.
	if err := svc.SetSupervisor(bg, tn.Main, stranger.ID, boss.ID); err == nil {
		t.Fatal("another tenant's member")
	}
	// Cleared.
	if err := svc.SetSupervisor(bg, tn.Main, mgr.ID, 0); err != nil {
		t.Fatal(err)
	}
	g.First(&got, mgr.ID)
	if got.SupervisorID != nil {
		t.Fatal("cleared")
	}
}

package org

import (
	"context"
	"testing"

	"partnercenter/internal/platform/dbtest"
)

// customer asks org whom customers may be assigned to (issue 8): the
// tenant's active members holding the preset 客户经理 role, oldest first;
// a custom role, a disabled member or another tenant's manager is not one.
func TestCustomerManagersAreActiveHoldersOfThePresetRole(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	tn, other := newTenant(t, g), newTenant(t, g)
	preset := presetID(t, g)
	custom := customRole(t, g, tn.ID, "customers.view")
	first, second := rawUser(t, g, tn.ID, false), rawUser(t, g, tn.ID, false)
	disabled, plain, elsewhere := rawUser(t, g, tn.ID, false), rawUser(t, g, tn.ID, false), rawUser(t, g, other.ID, false)
	for _, ur := range [][2]int64{{first.ID, preset}, {second.ID, preset}, {second.ID, custom}, {disabled.ID, preset},
		{plain.ID, custom}, {elsewhere.ID, preset}} {
		if err := g.Exec(`INSERT INTO user_roles (user_id, role_id) VALUES (?, ?)`, ur[0], ur[1]).Error; err != nil {
			t.Fatal(err)
		}
	}
	if err := g.Exec(`UPDATE users SET status = 'disabled' WHERE id = ?`, disabled.ID).Error; err != nil {
		t.Fatal(err)
	}
	m := Members{DB: g}
	got, err := m.CustomerManagers(ctx, tn.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != first.ID || got[1].ID != second.ID {
		t.Fatalf("managers = %v, want %d then %d", got, first.ID, second.ID)
	}
	for id, want := range map[int64]bool{first.ID: true, second.ID: true, disabled.ID: false, plain.ID: false,
		elsewhere.ID: false, tn.MainID: false, -1: false} {
		if ok, err := m.IsCustomerManager(ctx, tn.ID, id); err != nil || ok != want {
			t.Errorf("IsCustomerManager(%d) = %v %v, want %v", id, ok, err, want)
		}
	}
}

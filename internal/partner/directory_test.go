package partner

import (
	"context"
	"fmt"
	"testing"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/dbtest"
)

// directoryWorld is two partners, each with its ecosystem manager, a
// vendor administrator and a member of the first partner.
type directoryWorld struct {
	g                 *gorm.DB
	a, b              *Partner
	eco1, eco2, admin *access.Principal
	member            *access.Principal
}

func newDirectoryWorld(t *testing.T) *directoryWorld {
	t.Helper()
	g := dbtest.DB(t)
	w := &directoryWorld{g: g}
	user := func(kind string, partnerID any, role any, main bool) int64 {
		var id int64
		if err := g.Raw(`INSERT INTO users (kind, partner_id, vendor_role, login_name, password_hash, is_main) VALUES (?, ?, ?, ?, 'x', ?) RETURNING id`,
			kind, partnerID, role, fmt.Sprintf("dir%d", fixtureSeq.Add(1)), main).Scan(&id).Error; err != nil {
			t.Fatal(err)
		}
		return id
	}
	w.eco1 = access.VendorStaff(user("vendor", nil, "eco_manager", false), "eco_manager")
	w.eco2 = access.VendorStaff(user("vendor", nil, "eco_manager", false), "eco_manager")
	w.admin = access.VendorStaff(user("vendor", nil, "vendor_admin", false), "vendor_admin")
	mk := func(eco *access.Principal) *Partner {
		n := fixtureSeq.Add(1)
		p := &Partner{Name: fmt.Sprintf("名录测试公司%d", n), CreditCode: USCCWithCheck(fmt.Sprintf("9131000000%07d", n)),
			Status: StatusActive, Site: "cn", EcoManagerID: &eco.UserID}
		if err := g.Create(p).Error; err != nil {
			t.Fatal(err)
		}
		return p
	}
	w.a, w.b = mk(w.eco1), mk(w.eco2)
	if err := g.Exec(`INSERT INTO partner_identities (partner_id, identity) VALUES (?, ?)`, w.a.ID, access.IdentitySolutionProvider).Error; err != nil {
		t.Fatal(err)
	}
	w.member = access.Member(user("partner", w.a.ID, nil, true), w.a.ID, true)
	return w
}

func ecoManagerOf(t *testing.T, g *gorm.DB, id int64) int64 {
	t.Helper()
	var eco int64
	if err := g.Raw(`SELECT eco_manager_id FROM partners WHERE id = ?`, id).Scan(&eco).Error; err != nil {
		t.Fatal(err)
	}
	return eco
}

func TestDirectoryScopeIsDecidedFromThePrincipal(t *testing.T) {
	w := newDirectoryWorld(t)
	ctx := context.Background()
	d := Directory{DB: w.g, Clock: clock.System{}}
	f := DirectoryFilter{Page: 1, PerPage: 100}
	rows, _, err := d.List(ctx, w.eco1, f)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.EcoManagerID == nil || *r.EcoManagerID != w.eco1.UserID {
			t.Fatalf("eco1 sees partner %d of another ecosystem manager", r.ID)
		}
	}
	if _, err := d.Get(ctx, w.eco1, w.b.ID); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("eco1 opens eco2's partner: %v", err)
	}
	if row, err := d.Get(ctx, w.eco1, w.a.ID); err != nil || row.ID != w.a.ID {
		t.Fatalf("eco1 opens its partner: %v", err)
	}
	for _, id := range []int64{w.a.ID, w.b.ID} {
		if _, err := d.Get(ctx, w.admin, id); err != nil {
			t.Fatalf("the vendor administrator sees every partner: %v", err)
		}
	}
	// Holding the assignment item is seeing all, whatever the role.
	holder := access.VendorStaff(w.eco2.UserID, "eco_manager")
	holder.Items[access.VendorPartnersAssign] = true
	if _, err := d.Get(ctx, holder, w.a.ID); err != nil {
		t.Fatalf("assignment holder: %v", err)
	}
}

// A partner member, a customer or the system is refused the vendor's
// partner directory, and an ecosystem manager may not assign; a refusal
// changes nothing.
func TestDirectoryRefusesPrincipalsOfTheWrongKindAndChangesNothing(t *testing.T) {
	w := newDirectoryWorld(t)
	ctx := context.Background()
	d := Directory{DB: w.g, Clock: clock.System{}}
	f := DirectoryFilter{Page: 1, PerPage: 100}
	customer := access.CustomerUser(w.member.UserID)
	for _, p := range []*access.Principal{w.member, customer, access.System, nil} {
		if _, _, err := d.List(ctx, p, f); !apperr.Is(err, apperr.KindForbidden) {
			t.Fatalf("list by %+v: %v", p, err)
		}
		if _, err := d.Get(ctx, p, w.a.ID); !apperr.Is(err, apperr.KindForbidden) {
			t.Fatalf("get by %+v: %v", p, err)
		}
	}
	for _, p := range []*access.Principal{w.member, customer, access.System, nil, w.eco1, w.eco2} {
		if err := d.AssignEcoManager(ctx, p, w.a.ID, w.eco2.UserID); !apperr.Is(err, apperr.KindForbidden) {
			t.Fatalf("assign by %+v: %v", p, err)
		}
	}
	if got := ecoManagerOf(t, w.g, w.a.ID); got != w.eco1.UserID {
		t.Fatalf("a refused assignment changed the ecosystem manager to %d", got)
	}
	if err := d.AssignEcoManager(ctx, w.admin, w.a.ID, w.eco2.UserID); err != nil {
		t.Fatal(err)
	}
	if got := ecoManagerOf(t, w.g, w.a.ID); got != w.eco2.UserID {
		t.Fatalf("assigned %d, want %d", got, w.eco2.UserID)
	}
}

func TestIdentitiesOfAPartnerAndOwnTenantIsTheActorsTenant(t *testing.T) {
	w := newDirectoryWorld(t)
	ctx := context.Background()
	s := Store{DB: w.g}
	ids, err := s.IdentitiesOf(ctx, w.a.ID)
	if err != nil || len(ids) != 1 || ids[0] != access.IdentitySolutionProvider {
		t.Fatalf("identities %v: %v", ids, err)
	}
	if own, err := s.Own(ctx, w.member); err != nil || own.ID != w.a.ID {
		t.Fatalf("own tenant: %v", err)
	}
	for _, p := range []*access.Principal{w.admin, access.CustomerUser(w.member.UserID), access.System, nil} {
		if _, err := s.Own(ctx, p); !apperr.Is(err, apperr.KindForbidden) {
			t.Fatalf("own tenant for %+v: %v", p, err)
		}
	}
}

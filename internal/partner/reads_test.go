package partner

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/dbtest"
)

func readsPartner(t *testing.T, g *gorm.DB, parent, eco *int64) *Partner {
	t.Helper()
	n := fixtureSeq.Add(1)
	p := &Partner{Name: fmt.Sprintf("读取测试公司%d", n), CreditCode: USCCWithCheck(fmt.Sprintf("9131000000%07d", n)),
		Status: StatusActive, Site: "cn", ParentPartnerID: parent, EcoManagerID: eco}
	if err := g.Create(p).Error; err != nil {
		t.Fatal(err)
	}
	return p
}

func readsVendor(t *testing.T, g *gorm.DB, role, status string) int64 {
	t.Helper()
	var id int64
	if err := g.Raw(`INSERT INTO users (kind, vendor_role, login_name, password_hash, status) VALUES ('vendor', ?, ?, 'x', ?) RETURNING id`,
		role, fmt.Sprintf("preads%d", fixtureSeq.Add(1)), status).Scan(&id).Error; err != nil {
		t.Fatal(err)
	}
	return id
}

// Other packages read partners through partner (issue 8): names for a
// batch of ids, existence, a master distributor's resellers.
func TestNamesExistsAndResellersOfPartners(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	s := Store{DB: g}
	master := readsPartner(t, g, nil, nil)
	r1, r2 := readsPartner(t, g, &master.ID, nil), readsPartner(t, g, &master.ID, nil)

	names, err := s.Names(ctx, []int64{master.ID, r1.ID, r1.ID, -1})
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != 2 || names[master.ID] != master.Name || names[r1.ID] != r1.Name {
		t.Fatalf("names = %v", names)
	}
	if name, err := s.Name(ctx, -1); err != nil || name != "" {
		t.Fatalf("name of nobody = %q %v", name, err)
	}
	if ok, err := s.Exists(ctx, r2.ID); err != nil || !ok {
		t.Fatalf("exists = %v %v", ok, err)
	}
	if ok, err := s.Exists(ctx, -1); err != nil || ok {
		t.Fatalf("exists(-1) = %v %v", ok, err)
	}
	ids, err := s.ResellerIDs(ctx, master.ID)
	if err != nil || !slices.Equal(ids, []int64{r1.ID, r2.ID}) {
		t.Fatalf("resellers = %v %v", ids, err)
	}
	if has, err := s.HasResellers(ctx, master.ID); err != nil || !has {
		t.Fatalf("master has resellers = %v %v", has, err)
	}
	if has, err := s.HasResellers(ctx, r1.ID); err != nil || has {
		t.Fatalf("reseller has resellers = %v %v", has, err)
	}
}

// A partner's ecosystem manager counts as its reviewer only while it is
// an active ecosystem manager; the counts per manager and the partners
// one looks after.
func TestEcoManagerIsOnlyAnActiveEcosystemManager(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	s := Store{DB: g}
	eco := readsVendor(t, g, "eco_manager", "active")
	off := readsVendor(t, g, "eco_manager", "disabled")
	admin := readsVendor(t, g, "vendor_admin", "active")
	a, b := readsPartner(t, g, nil, &eco), readsPartner(t, g, nil, &eco)
	withOff, withAdmin, none := readsPartner(t, g, nil, &off), readsPartner(t, g, nil, &admin), readsPartner(t, g, nil, nil)

	for _, c := range []struct {
		p    int64
		want int64
	}{{a.ID, eco}, {withOff.ID, 0}, {withAdmin.ID, 0}, {none.ID, 0}, {-1, 0}} {
		if got, err := s.EcoManager(ctx, c.p); err != nil || got != c.want {
			t.Errorf("EcoManager(%d) = %d %v, want %d", c.p, got, err, c.want)
		}
	}
	counts, err := s.CountByEcoManager(ctx, []int64{eco, off, admin, -1})
	if err != nil || len(counts) != 3 || counts[eco] != 2 || counts[off] != 1 || counts[admin] != 1 {
		t.Fatalf("counts = %v %v", counts, err)
	}
	ids, err := s.LookedAfterBy(ctx, eco)
	if err != nil || !slices.Equal(ids, []int64{a.ID, b.ID}) {
		t.Fatalf("looked after = %v %v", ids, err)
	}
	if n, err := s.Count(ctx); err != nil || n < 5 {
		t.Fatalf("count = %d %v", n, err)
	}
}

// The signing entity's change time, a lock on the partner's row, and the
// vendor's partner picker.
func TestSigningEntityLockAndOptions(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	master := readsPartner(t, g, nil, nil)
	reseller := readsPartner(t, g, &master.ID, nil)
	at := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	if err := g.Exec(`UPDATE partners SET signing_entity_changed_at = ? WHERE id = ?`, at, reseller.ID).Error; err != nil {
		t.Fatal(err)
	}
	s := Store{DB: g}
	if got, err := s.SigningEntityChangedAt(ctx, reseller.ID); err != nil || got == nil || !got.Equal(at) {
		t.Fatalf("changed at = %v %v", got, err)
	}
	if got, err := s.SigningEntityChangedAt(ctx, master.ID); err != nil || got != nil {
		t.Fatalf("unchanged = %v %v", got, err)
	}
	if p, err := s.Get(ctx, reseller.ID); err != nil || p.SigningEntityChangedAt == nil {
		t.Fatalf("Get carries the change time: %v %v", p, err)
	}

	for _, strength := range []string{"UPDATE", "NO KEY UPDATE"} {
		err := g.Transaction(func(tx *gorm.DB) error {
			if err := (Store{DB: tx}).Lock(ctx, master.ID, strength); err != nil {
				return err
			}
			return (Store{DB: tx}).Lock(ctx, -1, strength)
		})
		if !apperr.Is(err, apperr.KindNotFound) {
			t.Fatalf("lock %s: %v, want the missing partner not found", strength, err)
		}
	}
	if err := s.Lock(ctx, master.ID, "SHARE; DROP"); err == nil {
		t.Fatal("an unknown lock strength is refused")
	}

	opts, err := s.Options(ctx, reseller.CreditCode, master.ID)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[int64]Option{}
	for _, o := range opts {
		byID[o.ID] = o
	}
	if len(opts) != 2 || byID[master.ID].ParentName != "" || byID[reseller.ID].ParentName != master.Name {
		t.Fatalf("options = %+v: the credit code's partner with its master's name, and the selected one", opts)
	}
}

package customer

import (
	"testing"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"partnercenter/internal/ledger"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
)

// R76 (§12.3.2): customers move from one partner to another in one
// transaction, each through a completed 'migrate' request (a resale
// customer's balance back to the old partner) and a completed system
// 'associate' with the new partner in the same mode; an account that is
// not a current customer, or one with a pending request, refuses the
// whole batch.
func TestMigrateMovesCustomersThroughTheTransitions(t *testing.T) {
	f := setup(t)
	from, to := f.tenant(t, 0), f.tenant(t, 0)
	_, resale := f.associated(t, from, ModeResale)
	_, consulting := f.associated(t, from, ModeConsulting)
	_, other := f.associated(t, to, ModeConsulting)
	f.fund(t, from, resale, "88.80")
	account := func(cid int64) string {
		var c Customer
		if err := f.db.First(&c, cid).Error; err != nil {
			t.Fatal(err)
		}
		return c.AccountName
	}
	migrate := func(accounts ...string) (int, error) {
		var n int
		err := db.WithTx(ctx, f.db, func(tx *gorm.DB) error {
			var err error
			n, err = f.svc.Migrate(ctx, tx, Migration{From: from.ID, To: to.ID, Accounts: accounts, ActorUserID: from.MainID, At: f.clk.Now()})
			return err
		})
		return n, err
	}
	if _, err := migrate(account(resale), account(other)); err == nil {
		t.Fatal("another partner's customer migrated")
	} else {
		wantKey(t, err, apperr.KindConflict, "customer.err.migrate_not_customer")
	}
	if got := f.assoc(t, resale); got.PartnerID != from.ID || got.Status != AssociationActive {
		t.Fatalf("a refused batch changed %+v", got)
	}
	if _, err := migrate(); err == nil {
		t.Fatal("an empty batch")
	}
	n, err := migrate(account(resale), " "+account(consulting)+" ", account(resale))
	if err != nil || n != 2 {
		t.Fatalf("migrated %d: %v", n, err)
	}
	for cid, mode := range map[int64]string{resale: ModeResale, consulting: ModeConsulting} {
		got := f.assoc(t, cid)
		if got.PartnerID != to.ID || got.Status != AssociationActive || got.Mode != mode {
			t.Fatalf("customer %d now %+v, want %s with the new partner", cid, got, mode)
		}
		if c := f.count(t, `SELECT count(*) FROM association_requests WHERE customer_id = ? AND type = 'migrate' AND status = 'completed'
			AND partner_id = ?`, cid, from.ID); c != 1 {
			t.Fatalf("migrate records of %d: %d", cid, c)
		}
		if c := f.count(t, `SELECT count(*) FROM association_requests WHERE customer_id = ? AND type = 'associate' AND initiator = 'system'
			AND status = 'completed' AND partner_id = ?`, cid, to.ID); c != 1 {
			t.Fatalf("associate records of %d: %d", cid, c)
		}
	}
	if cash, cust, recoveries := f.funded(t, from, resale); !cust.IsZero() || recoveries != 1 || !cash.Equal(decimal.RequireFromString("1000")) {
		t.Fatalf("the resale balance: cash %s customer %s recoveries %d", cash, cust, recoveries)
	}
	fs, err := ledger.Check(ctx, f.db)
	if err != nil || len(fs) != 0 {
		t.Fatalf("ledger: %v %v", fs, err)
	}
	cs, err := CheckCounts(ctx, f.db)
	if err != nil || len(cs) != 0 {
		t.Fatalf("association counts: %v %v", cs, err)
	}
}

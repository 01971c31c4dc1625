package identity

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"gorm.io/gorm"

	"partnercenter/internal/platform/dbtest"
)

// readsUser inserts a user of kind with the given partner, vendor role and
// main flag and returns it as stored.
func readsUser(t *testing.T, g *gorm.DB, kind string, partnerID *int64, role *string, main bool, display string) *User {
	t.Helper()
	n := seq.Add(1)
	var id int64
	if err := g.Raw(`INSERT INTO users (kind, partner_id, vendor_role, login_name, display_name, email, password_hash, is_main)
		VALUES (?, ?, ?, ?, ?, ?, 'x', ?) RETURNING id`, kind, partnerID, role, fmt.Sprintf("reads%d", n), display,
		fmt.Sprintf("reads%d@example.cn", n), main).Scan(&id).Error; err != nil {
		t.Fatal(err)
	}
	u, err := Users{DB: g}.ByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func readsPartner(t *testing.T, g *gorm.DB) int64 {
	t.Helper()
	var pid int64
	if err := g.Raw(`INSERT INTO partners (name, credit_code, status) VALUES (?, '91310115MA1K4A2B3X', 'active') RETURNING id`,
		fmt.Sprintf("读取测试%d", seq.Add(1))).Scan(&pid).Error; err != nil {
		t.Fatal(err)
	}
	return pid
}

// Other packages read users through identity (issue 8): a batch of ids
// answers in one query, display names fall back to the login name, and
// unknown ids are simply absent.
func TestNamesAndByIDsAnswerABatchOfUserIDs(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	pid := readsPartner(t, g)
	named := readsUser(t, g, KindPartner, &pid, nil, true, "张经理")
	bare := readsUser(t, g, KindPartner, &pid, nil, false, "")
	users := Users{DB: g}

	names, err := users.Names(ctx, []int64{named.ID, bare.ID, named.ID, 0, -1})
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != 2 || names[named.ID] != "张经理" || names[bare.ID] != bare.LoginName {
		t.Fatalf("names = %v", names)
	}
	if names, err := users.Names(ctx, nil); err != nil || len(names) != 0 {
		t.Fatalf("no ids: %v %v", names, err)
	}
	byID, err := users.ByIDs(ctx, []int64{bare.ID, -1})
	if err != nil {
		t.Fatal(err)
	}
	if len(byID) != 1 || byID[bare.ID].LoginName != bare.LoginName || byID[bare.ID].TenantID() != pid {
		t.Fatalf("by ids = %v", byID)
	}
}

// A partner's main account, its users and its active members, by tenant.
func TestMainAccountsMemberCountsAndActiveMembersAreByTenant(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	a, b, empty := readsPartner(t, g), readsPartner(t, g), readsPartner(t, g)
	mainA := readsUser(t, g, KindPartner, &a, nil, true, "")
	memberA := readsUser(t, g, KindPartner, &a, nil, false, "")
	gone := readsUser(t, g, KindPartner, &a, nil, false, "")
	if err := g.Exec(`UPDATE users SET status = 'disabled' WHERE id = ?`, gone.ID).Error; err != nil {
		t.Fatal(err)
	}
	mainB := readsUser(t, g, KindPartner, &b, nil, true, "")
	users := Users{DB: g}

	if id, err := users.MainAccountID(ctx, a); err != nil || id != mainA.ID {
		t.Fatalf("main of a = %d %v", id, err)
	}
	if id, err := users.MainAccountID(ctx, empty); err != nil || id != 0 {
		t.Fatalf("main of a partner without users = %d %v", id, err)
	}
	mains, err := users.MainAccounts(ctx, []int64{a, b, empty})
	if err != nil {
		t.Fatal(err)
	}
	if len(mains) != 2 || mains[a].ID != mainA.ID || mains[b].ID != mainB.ID {
		t.Fatalf("mains = %v", mains)
	}
	counts, err := users.MemberCounts(ctx, []int64{a, b, empty})
	if err != nil {
		t.Fatal(err)
	}
	if len(counts) != 2 || counts[a] != 3 || counts[b] != 1 {
		t.Fatalf("counts = %v", counts)
	}
	active, err := users.ActiveMembers(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, u := range active {
		ids = append(ids, u.ID)
	}
	if !slices.Equal(ids, []int64{mainA.ID, memberA.ID}) {
		t.Fatalf("active members = %v, want main and member, oldest first", ids)
	}
}

// The supervision tree (R57) below a member, direct and indirect, within
// its tenant.
func TestSupervisedWalksTheWholeTreeBelowAMember(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	pid := readsPartner(t, g)
	top := readsUser(t, g, KindPartner, &pid, nil, false, "")
	mid := readsUser(t, g, KindPartner, &pid, nil, false, "")
	low := readsUser(t, g, KindPartner, &pid, nil, false, "")
	other := readsUser(t, g, KindPartner, &pid, nil, false, "")
	for _, e := range [][2]int64{{mid.ID, top.ID}, {low.ID, mid.ID}} {
		if err := g.Exec(`UPDATE users SET supervisor_id = ? WHERE id = ?`, e[1], e[0]).Error; err != nil {
			t.Fatal(err)
		}
	}
	below, err := Users{DB: g}.Supervised(ctx, top.ID, pid)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(below)
	if !slices.Equal(below, []int64{mid.ID, low.ID}) {
		t.Fatalf("below top = %v, want %d and %d (not %d)", below, mid.ID, low.ID, other.ID)
	}
	if below, err := (Users{DB: g}).Supervised(ctx, low.ID, pid); err != nil || len(below) != 0 {
		t.Fatalf("below low = %v %v", below, err)
	}
}

// A customer console account is found by its email whatever the case; a
// partner user with that email is not a customer account.
func TestCustomerAccountIDFindsOnlyCustomerAccounts(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	pid := readsPartner(t, g)
	cust := readsUser(t, g, KindCustomer, nil, nil, false, "")
	member := readsUser(t, g, KindPartner, &pid, nil, false, "")
	users := Users{DB: g}
	if id, err := users.CustomerAccountID(ctx, strings.ToUpper(Str(cust.Email))); err != nil || id != cust.ID {
		t.Fatalf("customer by email = %d %v", id, err)
	}
	if id, err := users.CustomerAccountID(ctx, Str(member.Email)); err != nil || id != 0 {
		t.Fatalf("a partner member's email = %d %v", id, err)
	}
}

// Ecosystem managers: the active ones, and the onboarding reviewer pool
// (the marked ones when any is marked).
func TestEcoManagersAndTheReviewerPool(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	eco, admin := VendorEcoManager, VendorAdmin
	marked := readsUser(t, g, KindVendor, nil, &eco, false, "甲")
	unmarked := readsUser(t, g, KindVendor, nil, &eco, false, "乙")
	disabled := readsUser(t, g, KindVendor, nil, &eco, false, "丙")
	boss := readsUser(t, g, KindVendor, nil, &admin, false, "丁")
	if err := g.Exec(`UPDATE users SET onboarding_reviewer = true WHERE id = ?`, marked.ID).Error; err != nil {
		t.Fatal(err)
	}
	if err := g.Exec(`UPDATE users SET status = 'disabled' WHERE id = ?`, disabled.ID).Error; err != nil {
		t.Fatal(err)
	}
	users := Users{DB: g}
	active, err := users.ActiveEcoManagers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	has := func(us []User, id int64) bool {
		return slices.ContainsFunc(us, func(u User) bool { return u.ID == id })
	}
	if !has(active, marked.ID) || !has(active, unmarked.ID) || has(active, disabled.ID) || has(active, boss.ID) {
		t.Fatalf("active eco managers = %v", active)
	}
	pool, err := users.ReviewerPool(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(pool, marked.ID) || slices.Contains(pool, unmarked.ID) || slices.Contains(pool, disabled.ID) {
		t.Fatalf("pool = %v: only marked reviewers while any is marked", pool)
	}
	if !marked.ActiveEcoManager() || boss.ActiveEcoManager() {
		t.Fatal("ActiveEcoManager")
	}
}

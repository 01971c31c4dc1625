package customer

import (
	"gorm.io/gorm"
	"partnercenter/internal/platform/db"
	"regexp"
	"strings"
	"testing"
	"time"

	"partnercenter/internal/access"
	"partnercenter/internal/platform/apperr"
)

func ids(l *List) map[int64]bool {
	out := map[int64]bool{}
	for _, r := range l.Rows {
		out[r.CustomerID] = true
	}
	return out
}

// Seed 003 §7.1.4: a member whose only role is 客户经理 sees only the
// customers assigned to it; with another role it sees all; R57 (§12.1.9.5):
// a supervisor sees its managers' customers.
func TestCustomerManagerScopes(t *testing.T) {
	f := setup(t)
	a := f.tenant(t, 0)
	sup, supP := f.member(t, a, true, nil, 0)
	m1, m1P := f.member(t, a, true, nil, sup)
	m2, m2P := f.member(t, a, true, nil, 0)
	_, both := f.member(t, a, true, []access.Item{access.CustomersView, access.CustomersExport}, 0)
	_, c1 := f.associated(t, a, ModeResale)
	_, c2 := f.associated(t, a, ModeConsulting)
	_, c3 := f.associated(t, a, ModeConsulting)
	if m1P.CustomerScope != access.ScopeAssigned || both.CustomerScope != access.ScopeAll {
		t.Fatal("fixture scopes")
	}
	if n, err := f.svc.Assign(ctx, a.Main, []int64{c1}, m1); err != nil || n != 1 {
		t.Fatalf("assign %d %v", n, err)
	}
	if _, err := f.svc.Assign(ctx, a.Main, []int64{c2, c2}, m2); err != nil {
		t.Fatal(err)
	}
	l1, _ := f.svc.List(ctx, m1P, Filter{})
	if got := ids(l1); !got[c1] || got[c2] || got[c3] || l1.Total != 1 {
		t.Fatalf("manager1 sees %v", got)
	}
	l2, _ := f.svc.List(ctx, m2P, Filter{})
	if got := ids(l2); got[c1] || !got[c2] || l2.Total != 1 {
		t.Fatalf("manager2 sees %v", got)
	}
	if _, err := f.svc.Get(ctx, m2P, c1); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("manager2 gets c1: %v", err)
	}
	if d, err := f.svc.Get(ctx, m1P, c1); err != nil || d.Current == nil || d.ManagerName == "" {
		t.Fatalf("manager1 detail %+v %v", d, err)
	}
	ls, _ := f.svc.List(ctx, supP, Filter{})
	if got := ids(ls); !got[c1] || got[c2] || got[c3] {
		t.Fatalf("supervisor sees %v", got)
	}
	lb, _ := f.svc.List(ctx, both, Filter{})
	if lb.Total != 3 {
		t.Fatalf("manager with another role sees %d", lb.Total)
	}
	la, _ := f.svc.List(ctx, a.Main, Filter{})
	if la.Total != 3 {
		t.Fatalf("admin sees %d", la.Total)
	}
	// Records follow the same scope.
	r1, _ := f.svc.Records(ctx, m1P, RecordFilter{})
	if r1.Total != 1 || r1.Rows[0].CustomerID != c1 {
		t.Fatalf("manager1 records %+v", r1.Rows)
	}
	// Export follows it too.
	var n int
	if err := f.svc.Export(ctx, m2P, Filter{}, func(r Row) error { n++; return nil }); err != nil || n != 1 {
		t.Fatalf("export %d %v", n, err)
	}
	// Unassign.
	if _, err := f.svc.Assign(ctx, a.Main, []int64{c1}, 0); err != nil {
		t.Fatal(err)
	}
	if l, _ := f.svc.List(ctx, m1P, Filter{}); l.Total != 0 {
		t.Fatal("unassigned customer still visible")
	}
	un, _ := f.svc.List(ctx, a.Main, Filter{ManagerID: -1})
	if un.Total != 2 {
		t.Fatalf("unassigned filter %d", un.Total)
	}
}

// Seed 003 §7.1.4: only an active member of the tenant holding 客户经理
// can be assigned customers.
func TestAssignRequiresACustomerManagerOfTheTenant(t *testing.T) {
	f := setup(t)
	a, b := f.tenant(t, 0), f.tenant(t, 0)
	_, c1 := f.associated(t, a, ModeResale)
	plain, _ := f.member(t, a, false, []access.Item{access.CustomersView}, 0)
	foreign, _ := f.member(t, b, true, nil, 0)
	for _, m := range []int64{plain, foreign, a.MainID} {
		_, err := f.svc.Assign(ctx, a.Main, []int64{c1}, m)
		wantField(t, err, "manager", "customer.err.manager_invalid")
	}
	disabled, _ := f.member(t, a, true, nil, 0)
	f.db.Exec(`UPDATE users SET status = 'disabled' WHERE id = ?`, disabled)
	_, err := f.svc.Assign(ctx, a.Main, []int64{c1}, disabled)
	wantField(t, err, "manager", "customer.err.manager_invalid")
	mgrs, _ := f.svc.Managers(ctx, a.Main)
	if len(mgrs) != 0 {
		t.Fatalf("managers %+v", mgrs)
	}
	// A batch with one foreign id changes nothing.
	_, c2 := f.associated(t, b, ModeResale)
	good, _ := f.member(t, a, true, nil, 0)
	_, err = f.svc.Assign(ctx, a.Main, []int64{c1, c2}, good)
	wantKey(t, err, apperr.KindNotFound, "")
	if got := f.assoc(t, c1); got.ManagerUserID != nil {
		t.Fatal("partial batch applied")
	}
}

// R64, R74–R76: a master distributor sees its cloud resellers' customers
// (read-only) on 我的客户, not in its own list; the reseller's sibling does not.
func TestMasterDistributorSeesResellerCustomers(t *testing.T) {
	f := setup(t)
	md := f.tenant(t, 0)
	cr := f.tenant(t, md.ID)
	other := f.tenant(t, 0)
	_, c := f.associated(t, cr, ModeResale)
	own, _ := f.svc.List(ctx, md.Main, Filter{})
	if own.Total != 0 {
		t.Fatal("reseller customer in the distributor's own list")
	}
	res, err := f.svc.List(ctx, md.Main, Filter{Resellers: true})
	if err != nil || res.Total != 1 || res.Rows[0].CustomerID != c || res.Rows[0].PartnerName == "" {
		t.Fatalf("resellers tab %+v %v", res, err)
	}
	d, err := f.svc.Get(ctx, md.Main, c)
	if err != nil || !d.ReadOnly || d.PartnerName == "" {
		t.Fatalf("detail %+v %v", d, err)
	}
	if rec, _ := f.svc.Records(ctx, md.Main, RecordFilter{Resellers: true}); rec.Total != 1 || rec.Rows[0].Decidable {
		t.Fatalf("reseller records %+v", rec)
	}
	if _, err := f.svc.RequestUnbind(ctx, md.Main, c, "x"); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("distributor acted on reseller's customer: %v", err)
	}
	if l, _ := f.svc.List(ctx, other.Main, Filter{Resellers: true}); l.Total != 0 {
		t.Fatal("unrelated partner sees reseller customers")
	}
	if _, err := f.svc.Get(ctx, other.Main, c); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatal("unrelated partner gets the customer")
	}
}

func TestListSearchFiltersSortAndPaging(t *testing.T) {
	f := setup(t)
	a := f.tenant(t, 0)
	var cs []int64
	for i := 0; i < 5; i++ {
		mode := ModeResale
		if i%2 == 1 {
			mode = ModeConsulting
		}
		_, c := f.associated(t, a, mode)
		cs = append(cs, c)
		f.clk.Advance(24 * time.Hour)
	}
	l, _ := f.svc.List(ctx, a.Main, Filter{Per: 2})
	if l.Total != 5 || len(l.Rows) != 2 || l.Rows[0].CustomerID != cs[4] {
		t.Fatalf("page 1 %+v", l)
	}
	l, _ = f.svc.List(ctx, a.Main, Filter{Per: 2, Page: 3})
	if len(l.Rows) != 1 || l.Rows[0].CustomerID != cs[0] {
		t.Fatalf("page 3 %+v", l.Rows)
	}
	l, _ = f.svc.List(ctx, a.Main, Filter{Desc: true, Per: 1})
	if l.Rows[0].CustomerID != cs[0] {
		t.Fatal("oldest first")
	}
	if l, _ = f.svc.List(ctx, a.Main, Filter{Mode: ModeConsulting}); l.Total != 2 {
		t.Fatalf("mode %d", l.Total)
	}
	c0 := f.customer(t, cs[0])
	if l, _ = f.svc.List(ctx, a.Main, Filter{Q: c0.Name}); l.Total != 1 || l.Rows[0].CustomerID != cs[0] {
		t.Fatalf("name search %+v", l.Rows)
	}
	if l, _ = f.svc.List(ctx, a.Main, Filter{Q: c0.AccountName}); l.Total != 1 {
		t.Fatal("account search")
	}
	if l, _ = f.svc.List(ctx, a.Main, Filter{Q: *c0.Mobile}); l.Total != 1 {
		t.Fatal("mobile search")
	}
	from := f.clk.Now().AddDate(0, 0, -2)
	if l, _ = f.svc.List(ctx, a.Main, Filter{From: &from}); l.Total != 2 {
		t.Fatalf("date range %d", l.Total)
	}
	l, _ = f.svc.List(ctx, a.Main, Filter{Sort: "name"})
	for i := 1; i < len(l.Rows); i++ {
		if l.Rows[i-1].Name > l.Rows[i].Name {
			t.Fatal("name order")
		}
	}
	// Ended associations appear under state ended.
	uid := *f.customer(t, cs[1]).UserID
	req, _ := f.svc.CustomerRequestUnbind(ctx, access.CustomerUser(uid), "")
	f.svc.Decide(ctx, a.Main, req.ID, true, "")
	if l, _ = f.svc.List(ctx, a.Main, Filter{}); l.Total != 4 {
		t.Fatalf("active %d", l.Total)
	}
	if l, _ = f.svc.List(ctx, a.Main, Filter{State: AssociationEnded}); l.Total != 1 || l.Rows[0].EndedAt == nil {
		t.Fatalf("ended %+v", l.Rows)
	}
	if l, _ = f.svc.List(ctx, a.Main, Filter{State: "all"}); l.Total != 5 {
		t.Fatalf("all %d", l.Total)
	}
	d, err := f.svc.Get(ctx, a.Main, cs[1])
	if err != nil || d.Current != nil || len(d.History) != 1 || len(d.Requests) != 2 {
		t.Fatalf("ended detail %+v %v", d, err)
	}
	rec, _ := f.svc.Records(ctx, a.Main, RecordFilter{Type: RequestUnbind, Status: RequestCompleted})
	if rec.Total != 1 {
		t.Fatalf("records filter %d", rec.Total)
	}
	rec, _ = f.svc.Records(ctx, a.Main, RecordFilter{Mobile: (*c0.Mobile)[3:], CustomerName: c0.Name})
	if rec.Total != 1 || rec.Rows[0].Type != RequestAssociate {
		t.Fatalf("records by mobile %+v", rec.Rows)
	}
}

// The customer list at scale: without a search or dates the total is exact
// and free (the association counters); a search's total beyond MaxCount is
// capped (exact below); the pages still come in order.
func TestListTotalIsCappedForHugeTenants(t *testing.T) {
	f := setup(t)
	a := f.tenant(t, 0)
	n := MaxCount + 50
	if err := f.db.Exec(`INSERT INTO customers (account_name, name, kind, mobile, registered_at)
		SELECT 'bulk' || ?::text || '_' || g, '批量客户' || g, 'enterprise', '', now() FROM generate_series(1, ?) g`, itoa(a.ID), n).Error; err != nil {
		t.Fatal(err)
	}
	if err := f.db.Exec(`INSERT INTO associations (partner_id, customer_id, mode, status, associated_at)
		SELECT ?, id, CASE WHEN id % 100 = 0 THEN 'consulting' ELSE 'resale' END, 'active', now() - (id % 500 || ' minutes')::interval
		FROM customers WHERE account_name LIKE ?`, a.ID, "bulk"+itoa(a.ID)+"\\_%").Error; err != nil {
		t.Fatal(err)
	}
	l, err := f.svc.List(ctx, a.Main, Filter{Page: 3})
	if err != nil || l.Total != int64(n) || l.TotalCapped || len(l.Rows) != PerPage {
		t.Fatalf("counted list: total %d capped %v rows %d %v", l.Total, l.TotalCapped, len(l.Rows), err)
	}
	l, err = f.svc.List(ctx, a.Main, Filter{Q: "批量客户", Page: 3})
	if err != nil || l.Total != MaxCount || !l.TotalCapped || len(l.Rows) != PerPage {
		t.Fatalf("capped search: total %d capped %v rows %d %v", l.Total, l.TotalCapped, len(l.Rows), err)
	}
	// 精确计数: asked for, the total is exact.
	l, err = f.svc.List(db.WithExactCount(ctx), a.Main, Filter{Q: "批量客户", Page: 3})
	if err != nil || l.Total != int64(n) || l.TotalCapped || len(l.Rows) != PerPage {
		t.Fatalf("exact search count: total %d capped %v rows %d %v", l.Total, l.TotalCapped, len(l.Rows), err)
	}
	c, _ := f.svc.List(ctx, a.Main, Filter{Mode: ModeConsulting})
	if c.TotalCapped || c.Total < 90 || c.Total > 110 {
		t.Fatalf("filtered total %d capped %v", c.Total, c.TotalCapped)
	}
	var streamed int
	if err := f.svc.Export(ctx, a.Main, Filter{}, func(Row) error { streamed++; return nil }); err != nil || streamed != n {
		t.Fatalf("export streamed %d of %d: %v", streamed, n, err)
	}
}

// The association counters (migration 00020) follow every kind of change
// — a statement of many rows, a manager assigned, a mode switched, an
// association ended, one deleted — and equal a count of the associations.
func TestAssociationCountersEqualTheAssociations(t *testing.T) {
	f := setup(t)
	a := f.tenant(t, 0)
	mgr, _ := f.member(t, a, true, nil, 0)
	drift := func(when string) {
		t.Helper()
		rows, err := CheckCounts(ctx, f.db)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) > 0 {
			t.Fatalf("%s: counters drift: %v", when, rows)
		}
	}
	drift("before")
	if err := f.db.Exec(`INSERT INTO customers (account_name, name, kind, registered_at)
		SELECT 'cnt' || ?::text || '_' || g, '计数客户' || g, 'enterprise', now() FROM generate_series(1, 30) g`, itoa(a.ID)).Error; err != nil {
		t.Fatal(err)
	}
	if err := f.db.Exec(`INSERT INTO associations (partner_id, customer_id, mode, status, associated_at)
		SELECT ?, id, CASE WHEN id % 3 = 0 THEN 'consulting' ELSE 'resale' END, 'active', now()
		FROM customers WHERE account_name LIKE ?`, a.ID, "cnt"+itoa(a.ID)+"\\_%").Error; err != nil {
		t.Fatal(err)
	}
	drift("30 associated in one statement")
	f.db.Exec(`UPDATE associations SET manager_user_id = ? WHERE partner_id = ? AND id % 2 = 0`, mgr, a.ID)
	drift("a manager assigned to half")
	f.db.Exec(`UPDATE associations SET mode = 'consulting' WHERE partner_id = ? AND mode = 'resale' AND id % 5 = 0`, a.ID)
	drift("modes switched")
	f.db.Exec(`UPDATE associations SET status = 'ended', ended_at = now() WHERE partner_id = ? AND id % 7 = 0`, a.ID)
	drift("some ended")
	f.db.Exec(`DELETE FROM associations WHERE partner_id = ? AND id % 11 = 0`, a.ID)
	drift("some deleted")
	_, c := f.associated(t, a, ModeResale)
	drift("one associated through the service")
	var want int64
	f.db.Raw(`SELECT count(*) FROM associations WHERE partner_id = ? AND status = 'active' AND manager_user_id = ?`, a.ID, mgr).Scan(&want)
	if l, err := f.svc.List(ctx, a.Main, Filter{ManagerID: mgr}); err != nil || l.Total != want || want == 0 {
		t.Fatalf("manager filter total %d, want %d (%v)", l.Total, want, err)
	}
	_ = c
}

// Within one partner a search reads that partner's own trigram keys
// (association_search_keys_idx), for a Chinese name too: the list's own
// query is explained. Keys follow the customer: renamed, it is found by
// its new name and not by the old one; another partner's customer with
// the same name is not in the list.
func TestPartnerSearchReadsThePartnersOwnKeys(t *testing.T) {
	f := setup(t)
	a, other := f.tenant(t, 0), f.tenant(t, 0)
	_, cid := f.associated(t, a, ModeResale)
	_, otherID := f.associated(t, other, ModeResale)
	var old string
	f.db.Raw(`SELECT name FROM customers WHERE id = ?`, cid).Scan(&old)
	if l, _ := f.svc.List(ctx, a.Main, Filter{Q: old}); l == nil || l.Total != 1 {
		t.Fatalf("search by the name %q before the change finds %+v", old, l)
	}
	f.db.Exec(`UPDATE customers SET name = '云栖规模客户甲' WHERE id IN (?, ?)`, cid, otherID)
	l, err := f.svc.List(ctx, a.Main, Filter{Q: "规模客户甲"})
	if err != nil || l.Total != 1 || l.Rows[0].CustomerID != cid {
		t.Fatalf("search by the new name: %+v %v", l, err)
	}
	if l, _ = f.svc.List(ctx, a.Main, Filter{Q: old}); l.Total != 0 {
		t.Errorf("the old name still finds %d", l.Total)
	}
	if l, _ = f.svc.List(ctx, a.Main, Filter{Q: "甲"}); l.Total != 1 {
		t.Errorf("a one-character search (no keys) finds %d, want 1", l.Total)
	}
	// Enough customers for the planner to prefer an index to the
	// partner's rows: 3,000 more, every one a 规模客户 (analyzed).
	if err := f.db.Exec(`INSERT INTO customers (account_name, name, kind, registered_at)
		SELECT ? || g, '规模客户' || g || '号', 'enterprise', now() FROM generate_series(1, 3000) g`, "keys"+itoa(a.ID)+"_").Error; err != nil {
		t.Fatal(err)
	}
	if err := f.db.Exec(`INSERT INTO associations (partner_id, customer_id, mode, status, associated_at)
		SELECT ?, id, 'resale', 'active', now() FROM customers WHERE account_name LIKE ?`, a.ID, "keys"+itoa(a.ID)+"\\_%").Error; err != nil {
		t.Fatal(err)
	}
	f.db.Exec(`ANALYZE customers`)
	f.db.Exec(`ANALYZE associations`)
	if l, _ = f.svc.List(ctx, a.Main, Filter{Q: "规模客户12号"}); l.Total != 1 {
		t.Errorf("规模客户12号 finds %d, want 1", l.Total)
	}
	q, err := f.svc.listQuery(ctx, a.Main, Filter{Q: "规模客户甲"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	stmt := q.Session(&gorm.Session{DryRun: true}).Pluck("a.id", &ids).Statement
	var plan []string
	err = f.db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`SET LOCAL enable_seqscan = off`).Error; err != nil {
			return err
		}
		// The statement's $n placeholders in order, as GORM's ?.
		sql := regexp.MustCompile(`\$\d+`).ReplaceAllString(stmt.SQL.String(), "?")
		return tx.Raw("EXPLAIN "+sql, stmt.Vars...).Scan(&plan).Error
	})
	if err != nil {
		t.Fatal(err)
	}
	if text := strings.Join(plan, "\n"); !strings.Contains(text, "association_search_keys_idx") {
		t.Fatalf("the partner's search does not read association_search_keys_idx:\n%s", text)
	}
}

// A search is one trigram index scan on customers.search, for a Chinese
// name too (pg_trgm keeps CJK characters under the database's ctype).
func TestCustomerSearchUsesItsTrigramIndexForChineseNames(t *testing.T) {
	f := setup(t)
	var plan []string
	err := f.db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`SET LOCAL enable_seqscan = off`).Error; err != nil {
			return err
		}
		return tx.Raw(`EXPLAIN SELECT id FROM customers c WHERE c.search LIKE ?`, "%规模客户12345%").Scan(&plan).Error
	})
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(plan, "\n")
	if !strings.Contains(text, "customers_search_trgm") {
		t.Fatalf("the search does not use customers_search_trgm:\n%s", text)
	}
	var trigrams []string
	f.db.Raw(`SELECT unnest(show_trgm('规模客户'))`).Scan(&trigrams)
	if len(trigrams) < 2 {
		t.Fatalf("pg_trgm keeps no trigrams of a Chinese name (database ctype?): %q", trigrams)
	}
}

// A search's pages beyond its last match are empty, not an error.
func TestSearchPagesBeyondTheMatchesAreEmpty(t *testing.T) {
	f := setup(t)
	a := f.tenant(t, 0)
	_, c := f.associated(t, a, ModeResale)
	name := f.customer(t, c).Name
	for _, page := range []int{2, 600} {
		l, err := f.svc.List(ctx, a.Main, Filter{Q: name, Page: page})
		if err != nil || l.Total != 1 || len(l.Rows) != 0 {
			t.Fatalf("page %d: %+v %v", page, l, err)
		}
	}
}

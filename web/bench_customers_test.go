package web

import (
	"fmt"
	"net/url"
	"os"
	"strconv"
	"testing"
	"time"

	"partnercenter/internal/demo"
)

// generateCustomers loads customers at scale with set-based SQL: perPartner
// associated customers for the solution provider of the demo, and others
// spread over otherPartners generated partners. A tenth are in consulting
// mode, a fifth are assigned to sp_manager1, a twentieth have ended
// associations.
func generateCustomers(b *testing.B, env *testEnv, perPartner, others, otherPartners int) time.Duration {
	b.Helper()
	start := time.Now()
	mgr := env.World.Users[demo.SPManager1]
	steps := []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO partners (name, credit_code, status, joined_hcpn_at)
		  SELECT '规模伙伴' || g || '有限公司', lpad(g::text, 18, '8'), 'active', now() FROM generate_series(1, ?) g`, []any{otherPartners}},
		{`CREATE TEMP TABLE bench_partners AS SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM partners WHERE name LIKE '规模伙伴%'`, nil},
		{`CREATE UNIQUE INDEX ON bench_partners (n)`, nil},
		{`INSERT INTO customers (account_name, name, kind, real_name_status, mobile, email, registered_at, created_at)
		  SELECT 'hw' || g, CASE WHEN g % 3 = 0 THEN '个人客户' || g ELSE '规模客户' || g || '科技有限公司' END,
		         CASE WHEN g % 3 = 0 THEN 'personal' ELSE 'enterprise' END, CASE WHEN g % 3 = 0 THEN 'personal' ELSE 'enterprise' END,
		         '15' || lpad(g::text, 9, '0'), 'c' || g || '@bench.cn', now() - (g % 900 || ' days')::interval, now()
		  FROM generate_series(1, ?) g`, []any{perPartner + others}},
		// A bulk load builds the GIN index of the search keys once, after
		// the rows (the same definition as migration 00029).
		{`DROP INDEX association_search_keys_idx`, nil},
		{`INSERT INTO associations (partner_id, customer_id, mode, status, manager_user_id, associated_at, ended_at)
		  SELECT CASE WHEN c.id % ? < ? THEN ?::bigint ELSE (SELECT bp.id FROM bench_partners bp WHERE bp.n = c.id % ?) END,
		         c.id, CASE WHEN c.id % 10 = 0 THEN 'consulting' ELSE 'resale' END,
		         CASE WHEN c.id % 20 = 0 THEN 'ended' ELSE 'active' END,
		         CASE WHEN c.id % 5 = 0 THEN ?::bigint END,
		         now() - (c.id % 700 || ' days')::interval,
		         CASE WHEN c.id % 20 = 0 THEN now() - (c.id % 30 || ' days')::interval END
		  FROM customers c WHERE c.account_name LIKE 'hw%'`,
			[]any{perPartner + others, perPartner, env.World.SP, otherPartners, mgr}},
		{`CREATE INDEX association_search_keys_idx ON association_search USING gin (keys)`, nil},
		// VACUUM too: the visibility map lets index-only scans skip the
		// heap, and autovacuum does not start in the middle of a measure.
		{`VACUUM ANALYZE customers`, nil},
		{`VACUUM ANALYZE associations`, nil},
		{`VACUUM ANALYZE association_search`, nil},
		{`VACUUM ANALYZE association_counts`, nil},
		{`VACUUM ANALYZE partners`, nil},
		// Flush what the load wrote, so the checkpointer does not stall the
		// measurements that follow (p99 spikes of every page, /healthz too).
		{`CHECKPOINT`, nil},
	}
	for _, s := range steps {
		if err := env.DB.Exec(s.sql, s.args...).Error; err != nil {
			b.Fatalf("%s: %v", s.sql[:40], err)
		}
	}
	return time.Since(start)
}

// BenchmarkCustomerList: 200,000 customers for one partner and 2,000,000
// across 1,000 others; the customer list with a search and a filter under
// 20 concurrent clients, next to a trivial handler.
func BenchmarkCustomerList(b *testing.B) {
	env := newEnv(b)
	// BENCH_SCALE (a factor, default 1) sizes the data, to measure at two
	// sizes and extrapolate (docs/PERFORMANCE.md, "At 10×").
	scale := 1.0
	if v, err := strconv.ParseFloat(os.Getenv("BENCH_SCALE"), 64); err == nil && v > 0 {
		scale = v
	}
	mine, others := int(200_000*scale), int(2_000_000*scale)
	took := generateCustomers(b, env, mine, others, 1_000)
	admin := env.as(b, demo.SPAdmin)
	manager := env.as(b, demo.SPManager1)
	search := url.Values{"q": {"规模客户12345"}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		setup := fmt.Sprintf("%d associated customers for 示例云科技 and %d across 1,000 other partners (generated in %s with set-based SQL); "+
			"`sp_manager1` (客户经理 only) is the manager of a fifth of them.", mine, others, took.Round(time.Second))
		section := "Customer list (客户管理)"
		if scale != 1 {
			section = fmt.Sprintf("Customer list at %g× (客户管理)", scale)
		}
		report(b, section, setup, admin, []benchResult{
			{name: "admin: first page", path: "/customers"},
			{name: "admin: search by name", path: "/customers?" + search.Encode()},
			{name: "admin: filter consulting mode", path: "/customers?mode=consulting"},
			{name: "admin: search by mobile", path: "/customers?q=150000123"},
			{name: "admin: page 500 sorted by association time", path: "/customers?page=500&sort=associated&dir=desc"},
		}, map[string]string{
			"first page (active associations of the partner, newest first)": explain(b, env,
				`SELECT a.id FROM associations a JOIN customers c ON c.id = a.customer_id
				 WHERE a.partner_id = ? AND a.status = 'active' ORDER BY a.associated_at DESC, a.id DESC LIMIT 20`, env.World.SP),
			"search by name (the partner's own trigram keys (association_search), then customers.search decides; the ids up to 10,001 in list order)": explain(b, env,
				`SELECT a.id FROM associations a JOIN customers c ON c.id = a.customer_id
				 WHERE a.partner_id = ? AND a.status = 'active' AND c.search LIKE ? AND a.id = ANY (ARRAY(SELECT k.association_id FROM association_search k WHERE k.keys @> search_keys(?, ?)))
				 ORDER BY a.associated_at DESC, a.id DESC LIMIT 10001`,
				env.World.SP, "%规模客户12345%", env.World.SP, "规模客户12345"),
			"search by mobile (same keys)": explain(b, env,
				`SELECT a.id FROM associations a JOIN customers c ON c.id = a.customer_id
				 WHERE a.partner_id = ? AND a.status = 'active' AND c.search LIKE ? AND a.id = ANY (ARRAY(SELECT k.association_id FROM association_search k WHERE k.keys @> search_keys(?, ?)))
				 ORDER BY a.associated_at DESC, a.id DESC LIMIT 10001`,
				env.World.SP, "%150000123%", env.World.SP, "150000123"),
		})
		if scale != 1 {
			continue // the manager's view is measured at full size
		}
		report(b, "Customer list as a customer manager", "Same data; the customer manager sees only its own 40,000 customers (seed 003 §7.1.4).", manager, []benchResult{
			{name: "manager: first page", path: "/customers"},
			{name: "manager: search", path: "/customers?" + search.Encode()},
		}, nil)
	}
}

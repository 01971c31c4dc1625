package web

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/demo"
	"partnercenter/internal/platform/clock"
)

// BenchmarkOpportunities: 10,000 PCE partners with 100 POs each
// (1,000,000 opportunities over 200,000 customers, five POs per customer,
// 60% approved), `eco_manager` responsible for 100 of those partners
// (10,000 POs), 示例云科技 with 100 more of its own. The list pages as the
// partner, its ecosystem manager and the vendor administrator, the review
// page (the duplicate check's warnings), and the submit of a PO — the
// approval engine's automatic duplicate check — with query counts.
func BenchmarkOpportunities(b *testing.B) {
	env := newEnv(b)
	eco := env.World.Users[demo.EcoManager]
	start := time.Now()
	err := env.DB.Connection(func(tx *gorm.DB) error {
		for _, s := range []string{
			`INSERT INTO partners (name, credit_code, status, eco_manager_id, joined_hcpn_at, created_at)
			 SELECT 'PO压测伙伴' || g || '有限公司', lpad(g::text, 18, '8'), 'active', CASE WHEN g % 100 = 0 THEN ` + fmt.Sprint(eco) + ` END,
			        now() - interval '400 days', now() - interval '400 days'
			 FROM generate_series(1, 10000) g`,
			`CREATE TEMP TABLE bench_po_partners AS SELECT id, row_number() OVER (ORDER BY id) AS n FROM partners WHERE name LIKE 'PO压测伙伴%'`,
			// g = partner n × 100 + k; the customer is (g % 200,000), so each customer has five POs of five partners.
			`INSERT INTO opportunities (partner_id, no, status, customer_name, customer_key, industry, contact_name, contact_phone, requirement,
			        budget, purchase_on, description, authorized, partner_contact, partner_phone, submitted_at, valid_from, protected_until,
			        created_at, updated_at)
			 SELECT p.id, 'PO-20260101-' || lpad(s.g::text, 7, '0'),
			        (ARRAY['approved', 'approved', 'approved', 'approved', 'approved', 'approved', 'in_review', 'draft', 'won', 'lost'])[1 + s.g % 10],
			        '压测客户' || (s.g % 200000) || '有限公司', '压测客户' || (s.g % 200000) || '有限公司', 'manufacturing', '李工', '13800001234',
			        '上云', 100000 + s.g % 1000, current_date + 60, '客户计划上云', true, '王经理', '13900001234',
			        CASE WHEN s.g % 10 <> 7 THEN now() - ((s.g % 5000) || ' minutes')::interval END,
			        CASE WHEN s.g % 10 IN (0, 1, 2, 3, 4, 5, 8, 9) THEN now() - ((s.g % 5000) || ' minutes')::interval END,
			        CASE WHEN s.g % 10 IN (0, 1, 2, 3, 4, 5, 8, 9) THEN now() - ((s.g % 5000) || ' minutes')::interval + interval '365 days' END,
			        now() - ((s.g % 5000) || ' minutes')::interval, now()
			 FROM generate_series(1, 1000000) s(g) JOIN bench_po_partners p ON p.n = (s.g - 1) / 100 + 1`,
			`INSERT INTO opportunities (partner_id, no, status, customer_name, customer_key, industry, contact_name, contact_phone, requirement,
			        budget, purchase_on, description, authorized, partner_contact, partner_phone, submitted_at, valid_from, protected_until,
			        created_at, updated_at)
			 SELECT ` + fmt.Sprint(env.World.SP) + `, 'PO-20260102-' || lpad(g::text, 7, '0'), CASE WHEN g % 2 = 0 THEN 'approved' ELSE 'draft' END,
			        '示例压测客户' || g, '示例压测客户' || g, 'finance', '李工', '13800001234', '上云', 50000, current_date + 60, '客户计划上云', true,
			        '王经理', '13900001234', CASE WHEN g % 2 = 0 THEN now() END, CASE WHEN g % 2 = 0 THEN now() END,
			        CASE WHEN g % 2 = 0 THEN now() + interval '365 days' END, now() - (g || ' minutes')::interval, now()
			 FROM generate_series(1, 100) g`,
			`VACUUM ANALYZE opportunities`, `ANALYZE partners`, `CHECKPOINT`,
		} {
			if err := tx.Exec(s).Error; err != nil {
				return fmt.Errorf("%.60s: %w", s, err)
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	took := time.Since(start)

	// An in-review PO of one of eco_manager's partners whose customer has
	// four other valid POs: the review page lists them.
	var review int64
	if err := env.DB.Raw(`SELECT o.id FROM opportunities o JOIN partners p ON p.id = o.partner_id
		WHERE p.eco_manager_id = ? AND o.status = 'in_review' AND o.no LIKE 'PO-20260101-%' ORDER BY o.id LIMIT 1`, eco).Scan(&review).Error; err != nil || review == 0 {
		b.Fatalf("no in-review PO of eco_manager's partners: %v", err)
	}
	sp, ecoC, admin := env.as(b, demo.SPAdmin), env.as(b, demo.EcoManager), env.as(b, demo.VendorAdmin)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		setup := fmt.Sprintf("10,000 PCE partners × 100 POs = 1,000,000 opportunities over 200,000 customers (five POs each, 60%% approved), "+
			"generated in %s; `eco_manager` looks after 100 of the partners (10,000 POs); 示例云科技 has 100 more.", took.Round(time.Second))
		report(b, "Opportunities (共享给华为 as the partner)", setup, sp, []benchResult{
			{name: "PO list, first page", path: "/opportunities/po"},
			{name: "PO list, approved", path: "/opportunities/po?status=approved"},
			{name: "PO list, search", path: "/opportunities/po?q=" + url.QueryEscape("示例压测客户7")},
		}, nil)
		report(b, "Opportunities (机会点审核 as the ecosystem manager)", setup, ecoC, []benchResult{
			{name: "review list, in review", path: "/partners/opportunities"},
			{name: "review list, approved, page 10", path: "/partners/opportunities?status=approved&page=10"},
			{name: "review page with the duplicate warnings", path: fmt.Sprintf("/partners/opportunities/%d", review)},
		}, map[string]string{
			"the duplicate check (earlier valid POs and HOs of a customer)": explain(b, env, `SELECT no, customer_name, valid_from, partner_id, false AS ho FROM opportunities
				WHERE id <> ? AND valid_from IS NOT NULL AND status IN ('approved', 'won', 'lost') AND protected_until > now() AND customer_key = ?
				UNION ALL
				SELECT no, customer_name, crm_created_at, partner_id, true FROM ho_opportunities
				WHERE status IN ('pending', 'accepted') AND customer_key = ?
				ORDER BY valid_from, no LIMIT 20`, review, "压测客户12345有限公司", "压测客户12345有限公司"),
		})
		report(b, "Opportunities (机会点审核 as the vendor administrator, all partners)", setup, admin, []benchResult{
			{name: "review list, in review (100,000)", path: "/partners/opportunities"},
			{name: "review list, search a customer", path: "/partners/opportunities?status=&q=" + url.QueryEscape("压测客户12345有限公司")},
		}, map[string]string{
			"the administrator's in-review page": explain(b, env, `SELECT o.id FROM opportunities o JOIN partners p ON p.id = o.partner_id
				WHERE o.status <> 'draft' AND o.status = 'in_review' ORDER BY o.status = 'in_review' DESC, o.submitted_at DESC, o.id DESC LIMIT 20`),
		})
		benchSubmit(b, env, sp, ecoC, admin, review)
	}
}

// benchSubmit measures submitting 200 POs of customers that already have
// valid POs (the automatic duplicate check finds them), one at a time, and
// the queries of each page and of one submit.
func benchSubmit(b *testing.B, env *testEnv, sp, eco, admin *client, review int64) {
	b.Helper()
	purchase := clock.ChinaDate(time.Now()).AddDate(0, 2, 0).Format(time.DateOnly)
	form := func(n int) url.Values {
		return url.Values{"customer_name": {fmt.Sprintf("压测客户%d有限公司", 1000+n)}, "industry": {"manufacturing"}, "contact_name": {"李工"},
			"contact_phone": {"13800001234"}, "requirement": {"上云"}, "budget": {"300000"}, "purchase_on": {purchase},
			"description": {"客户计划上云"}, "partner_contact": {"王经理"}, "partner_phone": {"13900001234"}, "authorized": {"on"},
			"action": {"submit"}}
	}
	var lat latencies
	var submitQueries int64
	for n := 0; n < 200; n++ {
		t0 := time.Now()
		r := sp.post("/opportunities/po", form(n))
		d := time.Since(t0)
		if r.Status != http.StatusSeeOther {
			b.Fatalf("submit %d: status %d", n, r.Status)
		}
		q := env.queries(b, r)
		if n == 0 {
			submitQueries = q
		}
		lat = append(lat, d)
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	count := func(c *client, path string) int64 { return env.queries(b, c.get(path)) }
	var sb strings.Builder
	fmt.Fprintf(&sb, "## Opportunities: submit with the duplicate check, and queries per page\n\n"+
		"示例云科技 adds and submits 200 POs one after another (添加机会点 with 提交: the PO, the application, the approval engine's "+
		"automatic check that lists the customer's earlier valid POs and HOs, 站内信, the SMS to the contact, audit rows), each for a "+
		"customer that already has five POs among the 1,000,000. Measured %s on %d cores, one client, over HTTP on loopback.\n\n",
		time.Now().UTC().Format("2006-01-02 15:04 MST"), numCPU())
	fmt.Fprintf(&sb, "| operation | p50 | p95 | p99 | SQL statements |\n|---|---|---|---|---|\n")
	fmt.Fprintf(&sb, "| add and submit a PO `POST /opportunities/po` | %s | %s | %s | %d |\n\n", ms(lat.pct(.5)), ms(lat.pct(.95)), ms(lat.pct(.99)),
		submitQueries)
	sb.WriteString("| page | SQL statements |\n|---|---|\n")
	for _, p := range []struct {
		c    *client
		path string
	}{{sp, "/opportunities/po"}, {eco, "/partners/opportunities"}, {eco, fmt.Sprintf("/partners/opportunities/%d", review)},
		{admin, "/partners/opportunities"}} {
		fmt.Fprintf(&sb, "| `%s` | %d |\n", p.path, count(p.c, p.path))
	}
	writeSection(b, "Opportunities: submit with the duplicate check, and queries per page", sb.String())
}

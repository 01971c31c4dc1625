package web

import (
	"fmt"
	"gorm.io/gorm"
	"testing"
	"time"

	"partnercenter/internal/bill/billtest"
	"partnercenter/internal/demo"
	"partnercenter/internal/platform/clock"
)

// BenchmarkLargeLists: the lists that grow without bound for one partner —
// 消费明细 over 1,000,000 consumption lines in the current period, 收支明细
// over 1,000,000 entries of its cash account, 操作日志 over 1,000,000 audit
// rows — under 20 concurrent clients, next to the trivial handler.
func BenchmarkLargeLists(b *testing.B) {
	env := newEnv(b)
	const n = 1_000_000
	start := time.Now()
	// 1,000 customers of the partner carry the lines, whatever ran before
	// (the customer list benchmark leaves 200,000): generate what is missing.
	if err := env.DB.Exec(`INSERT INTO customers (account_name, name, kind, registered_at)
		SELECT 'lists_' || g, '明细客户' || g, 'enterprise', now() FROM generate_series(1, 1000) g`).Error; err != nil {
		b.Fatal(err)
	}
	if err := env.DB.Exec(`INSERT INTO associations (partner_id, customer_id, mode, status, associated_at)
		SELECT ?, id, CASE WHEN id % 7 = 0 THEN 'consulting' ELSE 'resale' END, 'active', now() FROM customers WHERE account_name LIKE 'lists\_%'`,
		env.World.SP).Error; err != nil {
		b.Fatal(err)
	}
	var customers []int64
	if err := env.DB.Raw(`SELECT id FROM customers WHERE account_name LIKE 'lists\_%' ORDER BY id`).Scan(&customers).Error; err != nil || len(customers) != 1000 {
		b.Fatalf("customers of the demo partner: %d %v", len(customers), err)
	}
	period := time.Now().In(clock.China).Format("2006-01")
	billtest.Generate(b, env.DB, env.World.SP, customers, period, n)
	took := map[string]time.Duration{"consumption": time.Since(start)}

	// Cash-account entries and audit rows, loaded with the append-only and
	// balance triggers off (session_replication_role): generated data, not
	// business writes (so each entry's kind is written here, as the
	// trigger of migration 00026 would).
	start = time.Now()
	err := env.DB.Connection(func(tx *gorm.DB) error {
		for _, s := range []string{
			`SET session_replication_role = replica`,
			`CREATE TEMP TABLE bench_tx AS
			 SELECT nextval('ledger_transactions_id_seq') AS id, g,
			        (ARRAY['transfer', 'recover', 'recharge'])[1 + g % 3] AS kind, round((g % 9973) * 0.37 + 1, 2) AS amount,
			        now() - (g || ' seconds')::interval AS at
			 FROM generate_series(1, ` + fmt.Sprint(n) + `) g`,
			`INSERT INTO ledger_transactions (id, partner_id, customer_id, kind, amount, source, created_at)
			 SELECT id, ` + fmt.Sprint(env.World.SP) + `, CASE WHEN kind <> 'recharge' THEN ` + fmt.Sprint(customers[0]) + ` END,
			        kind, amount, CASE WHEN kind = 'recharge' THEN 'bank_transfer' END, at FROM bench_tx`,
			`INSERT INTO ledger_entries (transaction_id, account_id, kind, amount, balance_after, created_at)
			 SELECT t.id, a.id, t.kind, CASE WHEN t.kind = 'transfer' THEN -t.amount ELSE t.amount END, 0, t.at
			 FROM bench_tx t, ledger_accounts a WHERE a.kind = 'partner_cash' AND a.partner_id = ` + fmt.Sprint(env.World.SP) + ` ORDER BY t.at`,
			`INSERT INTO audit_log (at, actor_user_id, actor_name, partner_id, action, object_type, object_id, after)
			 SELECT now() - (g || ' seconds')::interval, ` + fmt.Sprint(env.World.Users[demo.SPAdmin]) + `, 'sp_admin', ` + fmt.Sprint(env.World.SP) + `,
			        (ARRAY['customer.assign', 'funds.transfer', 'invoice.apply', 'member.update'])[1 + g % 4], 'customer', g::text,
			        jsonb_build_object('n', g)
			 FROM generate_series(1, ` + fmt.Sprint(n) + `) g`,
			`SET session_replication_role = origin`,
			`VACUUM ANALYZE consumption_records`, `VACUUM ANALYZE consumption_rollups`, `VACUUM ANALYZE ledger_transactions`,
			`VACUUM ANALYZE ledger_entries`, `VACUUM ANALYZE audit_log`,
			// Flush what the load wrote (the checkpointer would stall the measurements).
			`CHECKPOINT`,
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
	took["ledger and audit"] = time.Since(start)
	admin := env.as(b, demo.SPAdmin)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		setup := fmt.Sprintf("示例云科技 with 1,000,000 consumption lines in period %s over its %d customers (generated in %s), "+
			"1,000,000 entries of its cash account and 1,000,000 audit rows (%s).", period, len(customers),
			took["consumption"].Round(time.Second), took["ledger and audit"].Round(time.Second))
		report(b, "Large lists (消费明细, 收支明细, 操作日志)", setup, admin, []benchResult{
			{name: "消费明细, first page", path: "/customers/consumption/details"},
			{name: "消费明细, refunds", path: "/customers/consumption/details?bill_type=refund"},
			{name: "收支明细, first page", path: "/billing/funds/lines"},
			{name: "收支明细, filter transfers", path: "/billing/funds/lines?kind=transfer"},
			{name: "收支明细, page 500", path: "/billing/funds/lines?page=500"},
			{name: "操作日志, first page", path: "/org/audit"},
			{name: "操作日志, filter by action", path: "/org/audit?action=invoice.apply"},
			{name: "操作日志, page 500", path: "/org/audit?page=500"},
		}, map[string]string{
			"收支明细 first page": explain(b, env, `SELECT e.id FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id
				WHERE a.kind = 'partner_cash' AND a.partner_id = ? ORDER BY e.id DESC LIMIT 20`, env.World.SP),
			"收支明细 filtered by type (the entries' kind, migration 00026; the capped count)": explain(b, env, `SELECT count(*) FROM (SELECT 1 FROM ledger_entries e
				WHERE e.account_id = (SELECT id FROM ledger_accounts WHERE kind = 'partner_cash' AND partner_id = ?) AND e.kind = 'transfer' LIMIT 10001) x`, env.World.SP),
			"操作日志 first page": explain(b, env, `SELECT id FROM audit_log WHERE partner_id = ? ORDER BY at DESC, id DESC LIMIT 20`, env.World.SP),
		})
	}
}

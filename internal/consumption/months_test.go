package consumption

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/dbtest"
)

// monthsOf is a table of sums by month of the partner (monthSums) next to
// the same sums computed from the partner's lines, one text row a key, in
// key order.
func monthsOf(t *testing.T, g *gorm.DB, table, key string, partnerID int64) (kept, lines []string) {
	t.Helper()
	read := func(from string) []string {
		var out []string
		if err := g.Raw(`SELECT concat_ws(' ', `+key+`, lines, charged_amount, cash_paid, voucher_paid, card_paid, arrears)
			FROM (SELECT `+key+`, sum(lines)::bigint AS lines, sum(charged_amount) AS charged_amount, sum(cash_paid) AS cash_paid,
			      sum(voucher_paid) AS voucher_paid, sum(card_paid) AS card_paid, sum(arrears) AS arrears
			      FROM `+from+` WHERE partner_id = ? GROUP BY `+key+`) s ORDER BY `+key, partnerID).Scan(&out).Error; err != nil {
			t.Fatal(err)
		}
		return out
	}
	return read(table), read(`(SELECT *, 1 AS lines FROM consumption_records) r`)
}

// monthFindings are Check's findings about the sums by month and the
// rollups (other tests of the package leave orphan lines behind).
func monthFindings(t *testing.T, g *gorm.DB) []string {
	t.Helper()
	fs, err := Check(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range fs {
		if strings.Contains(f, "month") || strings.Contains(f, "rollups") {
			out = append(out, f)
		}
	}
	return out
}

// monthsFixture is a partner whose resale customer has 50.00 funded and
// an import of its lines of June 2025 (ECS, OBS, an ECS refund) and of
// its consulting customer's of May (ECS, 3.00 of it paid by voucher), and
// the number that makes the lines' source ids unique.
func monthsFixture(t *testing.T, g *gorm.DB) (*world, int64) {
	t.Helper()
	w := fixture(t, g, "50.00")
	n := uniq()
	run(t, g, "months.csv", csvOf(
		fmt.Sprintf("mo1-%d,%s,消费,2025-06,2025-06-01 08:00:00,,ECS,,,,,按需,30,0,,,,,", n, w.resale),
		fmt.Sprintf("mo2-%d,%s,消费,2025-06,2025-06-01 09:00:00,,OBS,,,,,按需,12.345,0,,,,,", n, w.resale),
		fmt.Sprintf("mo3-%d,%s,退款,2025-06,2025-06-02 08:00:00,,ECS,,,,,按需,-5,0,,,,,", n, w.resale),
		fmt.Sprintf("mo4-%d,%s,消费,2025-05,2025-05-20 08:00:00,,ECS,,,,,按需,8,0,,,,3,", n, w.consult),
	))
	return w, n
}

// The sums by month (migrations/00068) follow the lines through imports —
// a refund, a second import that adds to rows already there and writes
// new ones — and Check names a corrupted row of each table.
func TestMonthsFollowImportsAndCheckFindsACorruption(t *testing.T) {
	g := dbtest.DB(t)
	w, n := monthsFixture(t, g)
	same := func(when string) {
		t.Helper()
		for _, m := range monthSums {
			kept, lines := monthsOf(t, g, m.Table, m.Key, w.partner)
			if strings.Join(kept, "\n") != strings.Join(lines, "\n") {
				t.Errorf("%s, %s:\n%s\nthe lines sum to:\n%s", when, m.Table, strings.Join(kept, "\n"), strings.Join(lines, "\n"))
			}
		}
		if fs := monthFindings(t, g); len(fs) > 0 {
			t.Errorf("%s: check %v", when, fs)
		}
	}
	same("after the first import")
	// A second import: the same month, product and customer again (the
	// rows are added to), and a product of another customer (new rows).
	run(t, g, "months2.csv", csvOf(
		fmt.Sprintf("mo5-%d,%s,消费,2025-06,2025-06-10 08:00:00,,ECS,,,,,按需,40,0,,,,,", n, w.resale),
		fmt.Sprintf("mo6-%d,%s,消费,2025-06,2025-06-11 08:00:00,,EVS,,,,,按需,2,0,,,,,", n, w.consult),
	))
	same("after the second import")
	var ecs struct {
		Lines   int64
		Charged string
	}
	g.Raw(`SELECT lines, charged_amount::text AS charged FROM consumption_months
		WHERE partner_id = ? AND billing_period = '2025-06-01' AND bill_type = 'consumption' AND product_type = 'ECS'`, w.partner).Scan(&ecs)
	if ecs.Lines != 2 || !dec(ecs.Charged).Equal(dec("70")) {
		t.Errorf("June's ECS: %+v, want 2 lines charged 70", ecs)
	}

	// Corrupted in a transaction rolled back: the package's other tests
	// share the database and its Check.
	tx := g.Begin()
	defer tx.Rollback()
	for _, corrupt := range []string{
		`UPDATE consumption_months SET cash_paid = cash_paid + 1 WHERE partner_id = ? AND bill_type = 'refund'`,
		`DELETE FROM consumption_customer_months WHERE partner_id = ? AND billing_period = '2025-05-01'`,
	} {
		if r := tx.Exec(corrupt, w.partner); r.Error != nil || r.RowsAffected != 1 {
			t.Fatalf("%s: %v, %d rows", corrupt, r.Error, r.RowsAffected)
		}
	}
	want := []string{"1 rows of consumption_months differ from the sums of the rollups",
		"1 rows of consumption_customer_months differ from the sums of the rollups"}
	if fs := monthFindings(t, tx); strings.Join(fs, "\n") != strings.Join(want, "\n") {
		t.Errorf("check after corrupting the months: %v, want %v", fs, want)
	}
}

// 消费看板 reads the tenant's whole consumption from consumption_months
// and a customer manager's from consumption_customer_months and the
// rollups: a manager of every customer sees what the partner's admin
// sees, a manager of one customer that customer's share.
func TestBoardFromTheMonthsEqualsTheBoardInAScopeOfEveryCustomer(t *testing.T) {
	g := dbtest.DB(t)
	w, n := monthsFixture(t, g)
	run(t, g, "board.csv", csvOf(fmt.Sprintf("bo1-%d,%s,消费,2025-06,2025-06-11 08:00:00,,EVS,,,,,按需,2,0,,,,,", n, w.consult)))
	var manager int64
	if err := g.Raw(`INSERT INTO users (kind, partner_id, login_name, password_hash) VALUES ('partner', ?, ?, 'x') RETURNING id`,
		w.partner, fmt.Sprintf("board_mgr_%d", n)).Scan(&manager).Error; err != nil {
		t.Fatal(err)
	}
	s := Service{DB: g, Clock: clock.NewFixed(time.Date(2025, 7, 10, 4, 0, 0, 0, time.UTC))}
	board := func(p *access.Principal) string {
		t.Helper()
		b, err := s.Board(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%v", *b)
	}
	admin := board(access.Member(1, w.partner, true))
	for _, want := range []string{"2025-06-01", "[{ECS 30} {OBS 12.34} {EVS 2}]", "Resale_", "42.34"} {
		if !strings.Contains(admin, want) {
			t.Errorf("the admin's board lacks %q: %s", want, admin)
		}
	}
	scoped := access.Member(manager, w.partner, false)
	scoped.CustomerScope = access.ScopeAssigned
	if err := g.Exec(`UPDATE associations SET manager_user_id = ? WHERE partner_id = ?`, manager, w.partner).Error; err != nil {
		t.Fatal(err)
	}
	if got := board(scoped); got != admin {
		t.Errorf("a manager of every customer:\n%s\nthe admin:\n%s", got, admin)
	}
	if err := g.Exec(`UPDATE associations SET manager_user_id = NULL WHERE partner_id = ? AND customer_id = ?`, w.partner, w.resaleID).Error; err != nil {
		t.Fatal(err)
	}
	got := board(scoped)
	if strings.Contains(got, "Resale_") || strings.Contains(got, "OBS") || !strings.Contains(got, "[{EVS 2}]") {
		t.Errorf("a manager of the consulting customer only: %s", got)
	}
}

package web

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"
)

// Query budgets: every GET page, for every demo login that may open it,
// runs at most its budget of SQL statements (counted by the database
// layer, read from the request's log line). A number, not a timing: an
// N+1 or a new per-request lookup fails here the day it lands.

// defaultQueryBudget covers a page: the session with its authorization
// stamp (1), the unread badge (1) and the page's own reads (a list: its
// filter options, the page and its count).
const defaultQueryBudget = 8

// queryBudgets are the pages that need more, with why.
var queryBudgets = map[string]int{
	// Home: the partner, its identities and ecosystem manager, whether its
	// business information waits to be certified, open applications,
	// requests to answer, invoices not issued, balance with its alert,
	// customers, the six-period trend (two reads).
	"GET /": 14,
	// 发票管理: entities, the bills of every entity (three reads) and the
	// entities with a live invoice (tab merging, §12.1.4.21), the summary
	// with the 欠票 position (lines, invoices, incentive credits with the
	// invoice owed), the invoice information, the list and its count.
	"GET /billing/invoices": 16,
	// 提现: the partner's name and recharges by payer, what each holder has
	// withdrawn, the balance and settings, the history with its count, and
	// with step-up on whether a code is set.
	"GET /billing/funds/withdrawals": 11,
	// The member form: the member, its roles, the assignable roles with
	// their items (the permission tree), its supervisor choices.
	"GET /org/members/:id/edit": 12,
	// The invitation: token, report, partner, customer account and, for a
	// signed-in customer, its current association.
	"GET /invite/:token": 11,
	// A partner for vendor staff: the directory row, its managers, its
	// programs (memberships, assessments, masters' names) and its path
	// (enrollment, invitations, solution certifications).
	"GET /partners/:id": 14,
	// 发展路径: the enrollments, the partner, its identities and path
	// invitations (what it may join), its solution certifications, an open
	// application, this year's re-review, one query per registered exit
	// blocker (测试券; 考试券 and 云实验; MDF; FH), and the linked persons'
	// certificate counts the next stage's checks read.
	"GET /plans/paths": 14,
	// MDF 额度: the partner, its programme memberships (master distributor
	// region class, solution provider level), its path enrollment, the
	// caps of its tiers, the quota, the business information and a
	// violation flag; the form adds the working-day calendar.
	"GET /benefits/mdf":            9,
	"GET /benefits/mdf/usages/new": 10,
	// The vendor's MDF page: the caps, the violations, and the partners
	// the staff member may flag (a page of the directory and its count).
	"GET /partners/mdf": 9,
	// The vendor's NRE page: the ecosystem manager's partners, the
	// solutions, the NREs and their milestones, and the partners to record
	// a solution for (a page of the directory and its count).
	"GET /partners/nre": 11,
	// The vendor's FH page: the ecosystem manager's partners, the
	// programmes, and the partners to invite (a page of the directory).
	"GET /partners/fh": 9,
	// 共享机会点: the directory row, the path enrollment, the Offerings and
	// the won POs of the check list.
	"GET /partners/:id/opportunities/new": 9,
	// 客户分配: the managers' loads beside the list.
	"GET /customers/assign": 9,
}

func TestEveryPageStaysWithinItsQueryBudget(t *testing.T) {
	env := newEnv(t)
	// More rows than the demo has, where a page lists them (roles with
	// their items, on the role list and the member forms), so a query per
	// row shows up whatever ran before in this package.
	for i := 0; i < 12; i++ {
		var id int64
		if err := env.DB.Raw(`INSERT INTO roles (partner_id, name) VALUES (?, ?) RETURNING id`, env.World.SP,
			fmt.Sprintf("预算角色%02d", i)).Scan(&id).Error; err != nil {
			t.Fatal(err)
		}
		if err := env.DB.Exec(`INSERT INTO role_items (role_id, item) VALUES (?, 'org.audit.view'), (?, 'applications.view')`, id, id).Error; err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		env.DB.Exec(`DELETE FROM roles WHERE partner_id = ? AND name LIKE '预算角色%'`, env.World.SP)
	})
	clients := map[string]*client{}
	for _, acc := range matrixAccounts {
		if acc != anon {
			clients[acc] = env.as(t, acc)
		}
	}
	routes := env.App.Routes()
	sort.Slice(routes, func(i, j int) bool { return routes[i].Key() < routes[j].Key() })
	var report []string
	for _, r := range routes {
		row, ok := matrix[r.Key()]
		if r.Method != http.MethodGet || !ok {
			continue
		}
		budget := defaultQueryBudget
		if b, ok := queryBudgets[r.Key()]; ok {
			budget = b
		}
		worst, who := int64(-1), ""
		for _, acc := range matrixAccounts {
			if acc == anon || row.expected(acc) != allowed {
				continue
			}
			path := r.Path
			if row.target != nil {
				path = row.target(t, env, acc)
			}
			c := clients[acc]
			c.get(path) // warm: a first visit may create the CSRF token or slide the session
			res := c.get(path)
			n := env.queries(t, res)
			if n < 0 {
				t.Fatalf("%s as %s: the request log line has no query count", r.Key(), acc)
			}
			if res.Status != http.StatusOK && !(res.Status == http.StatusSeeOther && !strings.HasPrefix(res.Location, "/login")) {
				t.Errorf("%s as %s (%s): status %d, so its queries were not measured", r.Key(), acc, path, res.Status)
			}
			if n > worst {
				worst, who = n, acc
			}
			if n > int64(budget) {
				t.Errorf("%s as %s (%s): %d queries, budget %d", r.Key(), acc, path, n, budget)
			}
		}
		if worst >= 0 {
			report = append(report, fmt.Sprintf("%3d  %s (%s)", worst, r.Key(), who))
		}
	}
	t.Logf("most queries per page:\n%s", strings.Join(report, "\n"))
}

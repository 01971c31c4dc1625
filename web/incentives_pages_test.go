package web

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/shopspring/decimal"

	"partnercenter/internal/bill/billtest"
	"partnercenter/internal/demo"
	"partnercenter/internal/performance"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/money"
	"partnercenter/views/ui"
)

// A customer manager sees only its own customers' performance (issue 12,
// build-plan 3.A, R57 through the one scope helper): 业绩明细 lists only
// the rows it manages, 业绩汇总 totals only those, 指标信息 hides the
// partner-level indicators, and 业绩看板's trend sums its rows only.
func TestCustomerManagerSeesOnlyItsCustomersPerformance(t *testing.T) {
	env := newEnv(t)
	managedRecord(t, env, demo.SPManager1)
	m := env.as(t, demo.SPManager1)
	uid := env.World.Users[demo.SPManager1]

	doc := m.get("/incentives/performance/records?per=100").doc(t)
	rows := doc.Find(`[data-testid="record-row"]`)
	if rows.Length() == 0 {
		t.Fatal("the manager sees none of its customers' performance")
	}
	rows.Each(func(_ int, s *goquery.Selection) {
		if !strings.Contains(s.Text(), "钱伟") {
			t.Fatalf("a row of another manager: %s", strings.Join(strings.Fields(s.Text()), " "))
		}
	})

	var want []struct {
		Period time.Time
		Total  decimal.Decimal
	}
	env.DB.Raw(`SELECT period, sum(amount) AS total FROM performance_records WHERE partner_id = ? AND manager_user_id = ?
		GROUP BY period ORDER BY period DESC`, env.World.SP, uid).Scan(&want)
	sums := m.get("/incentives/performance").doc(t)
	for _, w := range want[:min(len(want), 3)] {
		row := sums.Find(`[data-testid="summary-row"]`).FilterFunction(func(_ int, s *goquery.Selection) bool {
			return strings.TrimSpace(s.Find("td").Eq(1).Text()) == performance.PeriodLabel(w.Period)
		})
		if row.Length() != 1 || !strings.Contains(row.Text(), moneyText(w.Total.Round(2))) {
			t.Fatalf("业绩汇总 of %s for the manager: %q, want its own total %s", performance.PeriodLabel(w.Period),
				strings.Join(strings.Fields(row.Text()), " "), w.Total.StringFixed(2))
		}
	}
	var partnerTotal decimal.Decimal
	env.DB.Raw(`SELECT total FROM performance_summaries WHERE partner_id = ? AND period = ?`, env.World.SP, want[0].Period).Scan(&partnerTotal)
	if partnerTotal.Equal(want[0].Total) {
		t.Fatal("the fixture cannot tell the manager's total from the partner's")
	}

	ind := m.get("/incentives/indicators?per=100").doc(t)
	if ind.Find(`[data-testid="indicator-row"][data-dimension="customer"]`).Length() == 0 {
		t.Fatal("the manager sees no indicator of its customers")
	}
	if n := ind.Find(`[data-testid="indicator-row"][data-dimension="partner"]`).Length(); n != 0 {
		t.Fatalf("%d partner-level indicators shown to the manager", n)
	}
	if env.as(t, demo.SPAdmin).get("/incentives/indicators?per=100").doc(t).Find(`[data-testid="indicator-row"][data-dimension="partner"]`).Length() == 0 {
		t.Fatal("the admin sees no partner-level indicator: the manager's check proves nothing")
	}

	board := m.get("/sales/dashboards/performance")
	if board.Status != 200 || board.doc(t).Find(`[data-testid="trend-rows"] tr`).Length() != performance.BoardMonths {
		t.Fatalf("业绩看板 for the manager: %d", board.Status)
	}
	// The trend's months are the manager's: its newest month with
	// performance as the records say, and not the partner's.
	var month struct {
		Period   time.Time
		Positive decimal.Decimal
	}
	env.DB.Raw(`SELECT period, sum(amount) FILTER (WHERE amount > 0) AS positive FROM performance_records
		WHERE partner_id = ? AND manager_user_id = ? GROUP BY period ORDER BY period DESC LIMIT 1`, env.World.SP, uid).Scan(&month)
	label := performance.PeriodLabel(month.Period)
	row := func(d *goquery.Document) string {
		return d.Find(`[data-testid="trend-rows"] tr`).FilterFunction(func(_ int, s *goquery.Selection) bool {
			return strings.TrimSpace(s.Find("td").First().Text()) == label
		}).Find("td").Eq(1).Text()
	}
	mine, all := row(board.doc(t)), row(env.as(t, demo.SPAdmin).get("/sales/dashboards/performance").doc(t))
	if !strings.Contains(mine, moneyText(month.Positive)) || mine == all {
		t.Fatalf("业绩看板 %s: the manager reads %q, want its own %s (the partner's is %q)", label, mine, moneyText(month.Positive), all)
	}
}

// 业绩明细's filters of the seed (G§3.1.3 步骤5): 业绩单ID and 客户经理姓名.
// A code of another partner, or a name no member has, lists nothing.
func TestPerformanceRecordsFilterByStatementAndManager(t *testing.T) {
	env := newEnv(t)
	record := managedRecord(t, env, demo.SPManager1)
	var r struct {
		PartnerID int64
		Period    time.Time
	}
	env.DB.Raw(`SELECT partner_id, period FROM performance_records WHERE id = ?`, record).Scan(&r)
	code := performance.SummaryCode(r.PartnerID, r.Period)
	sp := env.as(t, demo.SPAdmin)

	doc := sp.get("/incentives/performance/records?code=" + code).doc(t)
	if doc.Find(`[data-testid="record-row"]`).Length() == 0 {
		t.Fatalf("no rows of %s", code)
	}
	doc.Find(`[data-testid="record-row"]`).Each(func(_ int, s *goquery.Selection) {
		if !strings.Contains(s.Text(), code) {
			t.Fatalf("a row of another statement under %s", code)
		}
	})
	other := performance.SummaryCode(env.World.MD, r.Period)
	if n := sp.get("/incentives/performance/records?code=" + other).doc(t).Find(`[data-testid="record-row"]`).Length(); n != 0 {
		t.Fatalf("another partner's 业绩单ID lists %d rows", n)
	}
	doc = sp.get("/incentives/performance/records?manager=" + url.QueryEscape("钱")).doc(t)
	if doc.Find(`[data-testid="record-row"]`).Length() == 0 {
		t.Fatal("no rows of 钱伟")
	}
	doc.Find(`[data-testid="record-row"]`).Each(func(_ int, s *goquery.Selection) {
		if !strings.Contains(s.Text(), "钱伟") {
			t.Fatal("a row of another manager under 钱")
		}
	})
	if n := sp.get("/incentives/performance/records?manager=nobody_here").doc(t).Find(`[data-testid="record-row"]`).Length(); n != 0 {
		t.Fatalf("an unknown manager lists %d rows", n)
	}
	// 客户名称/账号名: the account in any case, only that customer's rows;
	// another partner's customer lists nothing.
	var account string
	env.DB.Raw(`SELECT cu.account_name FROM performance_records r JOIN customers cu ON cu.id = r.customer_id WHERE r.id = ?`, record).Scan(&account)
	doc = sp.get("/incentives/performance/records?customer=" + url.QueryEscape(strings.ToUpper(account))).doc(t)
	if doc.Find(`[data-testid="record-row"]`).Length() == 0 {
		t.Fatalf("no rows of customer %s", account)
	}
	doc.Find(`[data-testid="record-row"]`).Each(func(_ int, s *goquery.Selection) {
		if !strings.Contains(s.Text(), account) {
			t.Fatalf("a row of another customer under %s", account)
		}
	})
	var foreign string
	env.DB.Raw(`SELECT cu.account_name FROM associations a JOIN customers cu ON cu.id = a.customer_id WHERE a.partner_id = ? LIMIT 1`,
		env.World.MD).Scan(&foreign)
	if n := sp.get("/incentives/performance/records?customer=" + url.QueryEscape(foreign)).doc(t).Find(`[data-testid="record-row"]`).Length(); n != 0 {
		t.Fatalf("another partner's customer %s lists %d rows", foreign, n)
	}
}

// 指标明细 (§12.1.8.2): the details of an indicator are the records its
// value sums — their total, rounded half-up to 2 places, is the value.
func TestIndicatorDetailsAddUpToTheValue(t *testing.T) {
	env := newEnv(t)
	performanceFixture(t, env)
	p := custPrincipal(t, env, demo.SPAdmin)
	doc := env.as(t, demo.SPAdmin).get("/incentives/indicators?per=100").doc(t)
	checked := 0
	doc.Find(`[data-testid="indicator-row"]`).Each(func(_ int, s *goquery.Selection) {
		href, ok := s.Find(`a[href^="/incentives/performance/records?"]`).Attr("href")
		if !ok || checked >= 4 {
			return
		}
		u, err := url.Parse(href)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		f := performance.Filter{PeriodFrom: q.Get("period_from"), PeriodTo: q.Get("period_to"), ProductType: q.Get("product_type"),
			Customer: q.Get("customer")}
		sum := decimal.Zero
		if err := env.App.svc.Performance.Export(t.Context(), p, f, func(r performance.Row) error {
			sum = sum.Add(r.Amount)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		value := strings.TrimSpace(s.Find(`td.text-right`).First().Text())
		if got := ui.Money(sum, 2); value != got {
			t.Fatalf("indicator %q: its details add up to %s", value, got)
		}
		checked++
	})
	if checked == 0 {
		t.Fatal("no indicator of 示例云科技 has details")
	}
}

// moneyText is an amount as the pages print it (thousands separated,
// without the currency sign).
func moneyText(d decimal.Decimal) string { return money.Grouped(d, 2) }

// 问题反馈 from 业绩明细's 操作 column (§12.1.5.3) opens the record's form;
// a record of a statement 公示结束 or 终稿 has none, and its page says why.
func TestRecordFeedbackFromTheList(t *testing.T) {
	env := newEnv(t)
	performanceFixture(t, env)
	sp := env.as(t, demo.SPAdmin)
	var open int64
	env.DB.Raw(`SELECT r.id FROM performance_records r JOIN performance_summaries ps ON ps.id = r.summary_id
		WHERE r.partner_id = ? AND ps.status IN ('estimate', 'draft', 'publicity') ORDER BY r.id DESC LIMIT 1`, env.World.SP).Scan(&open)
	var final int64
	env.DB.Raw(`SELECT r.id FROM performance_records r JOIN performance_summaries ps ON ps.id = r.summary_id
		WHERE r.partner_id = ? AND ps.status IN ('final', 'publicity_ended') ORDER BY r.id LIMIT 1`, env.World.SP).Scan(&final)
	if open == 0 || final == 0 {
		t.Fatalf("the demo lacks an open (%d) or a final (%d) record", open, final)
	}
	row := func(id int64) *goquery.Selection {
		doc := sp.get("/incentives/performance/records?code=" + recordCode(t, env, id) + "&per=100").doc(t)
		return doc.Find(`[data-testid="record-row"]`).FilterFunction(func(_ int, s *goquery.Selection) bool {
			return strings.Contains(s.Text(), fmt.Sprint(id))
		}).First()
	}
	href, ok := row(open).Find(`[data-testid="row-feedback"]`).Attr("href")
	if !ok {
		t.Fatal("an open record's row has no 问题反馈")
	}
	page := sp.get(strings.TrimSuffix(href, "#feedback")).doc(t)
	if _, open := page.Find(`details`).Has(`[data-testid="feedback-form"]`).Attr("open"); !open {
		t.Fatal("问题反馈 does not open the record's form")
	}
	if row(final).Find(`[data-testid="row-feedback"]`).Length() != 0 {
		t.Fatal("a final record's row offers 问题反馈")
	}
	fp := sp.get(fmt.Sprintf("/incentives/performance/records/%d", final)).doc(t)
	if fp.Find(`[data-testid="feedback-form"]`).Length() != 0 || fp.Find(`[data-testid="finalized-note"]`).Length() != 1 {
		t.Fatal("a final record's page offers 问题反馈 or does not say why not")
	}
}

// 预估 (issue 12, beyond the original): a line imported for the running
// month counts in 业绩汇总's estimate at once, before any formation.
func TestEstimateFollowsImportedConsumption(t *testing.T) {
	env := newEnv(t)
	performanceFixture(t, env)
	sp := env.as(t, demo.SPAdmin)
	pending := func() decimal.Decimal {
		v, _ := sp.get("/incentives/performance").doc(t).Find(`[data-testid="estimate"]`).Attr("data-pending")
		return decimal.RequireFromString(v)
	}
	before := pending()
	var customer int64
	// A consulting customer's lines: they form performance but no
	// invoiceable amount, so the demo's invoices (and the tests reading
	// them after this one) stay as they were.
	env.DB.Raw(`SELECT customer_id FROM associations WHERE partner_id = ? AND status = 'active' AND mode = 'consulting' ORDER BY id LIMIT 1`,
		env.World.SP).Scan(&customer)
	now := time.Now().In(clock.China)
	billtest.Insert(t, env.DB, env.World.SP, billtest.Row{Customer: customer, Period: now.Format("2006-01"), At: time.Now(),
		Mode: "consulting", Product: "弹性云服务器", ListPrice: "123.45"})
	// A line of a day the formation has already passed (before its
	// cutoff), imported late: not formed yet, so it counts too.
	var formedTill time.Time
	env.DB.Raw(`SELECT formed_till FROM performance_state WHERE id = 1`).Scan(&formedTill)
	if formedTill.IsZero() {
		t.Fatal("the formation has not run")
	}
	billtest.Insert(t, env.DB, env.World.SP, billtest.Row{Customer: customer, Period: now.Format("2006-01"), At: formedTill.Add(-time.Hour),
		Mode: "consulting", Product: "弹性云服务器", ListPrice: "10.00"})
	if got, want := pending(), before.Add(decimal.RequireFromString("133.45")); !got.Equal(want) {
		t.Fatalf("estimate %s after the import, want %s", got, want)
	}
}

// 激励看板 (build-plan 3.D): besides the bills by state, what waits to be
// applied for, what of it expires within ExpiringDays (§12.1.5.20) and
// what was paid out this year — the sums of the partner's incentives.
func TestIncentiveBoardShowsWhatWaitsAndWhatWasPaid(t *testing.T) {
	env := newEnv(t)
	for _, login := range []string{demo.SPAdmin, demo.TXAdmin} {
		var pid int64
		env.DB.Raw(`SELECT partner_id FROM users WHERE login_name = ?`, login).Scan(&pid)
		var want struct{ ToApply, Paid decimal.Decimal }
		env.DB.Raw(`SELECT coalesce(sum(i.amount) FILTER (WHERE i.status = 'pending'), 0) AS to_apply,
			coalesce(sum(i.amount) FILTER (WHERE i.status = 'paid' AND a.completed_at >= date_trunc('year', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai'), 0) AS paid
			FROM incentive_items i LEFT JOIN payment_applications a ON a.id = i.application_id WHERE i.partner_id = ?`, pid).Scan(&want)
		doc := env.as(t, login).get("/sales/dashboards/incentives").doc(t)
		for id, v := range map[string]decimal.Decimal{"stat-to-apply": want.ToApply, "stat-paid-year": want.Paid} {
			if got := strings.ReplaceAll(doc.Find(`[data-testid="`+id+`"]`).Text(), "¥", ""); !strings.Contains(got, moneyText(v)) {
				t.Errorf("%s %s: %q, want %s", login, id, strings.TrimSpace(got), moneyText(v))
			}
		}
		if doc.Find(`[data-testid="stat-expiring"]`).Length() != 1 {
			t.Errorf("%s: no 失效 figure", login)
		}
	}
}

// 业绩明细's 查看激励 (§12.2.1): the incentive lines a performance record
// was paid, across its bills; another partner's record shows none.
func TestRecordIncentivesFromThePerformanceList(t *testing.T) {
	env := newEnv(t)
	performanceFixture(t, env)
	var rec struct {
		RecordID int64
		N        int
	}
	env.DB.Raw(`SELECT record_id, count(*) AS n FROM incentive_details WHERE partner_id = ? GROUP BY record_id
		ORDER BY count(*) DESC, record_id LIMIT 1`, env.World.SP).Scan(&rec)
	if rec.RecordID == 0 {
		t.Fatal("no incentive line of 示例云科技 in the demo")
	}
	sp := env.as(t, demo.SPAdmin)
	var narrow struct{ Account, OrderNo string }
	env.DB.Raw(`SELECT cu.account_name AS account, r.order_no FROM performance_records r JOIN customers cu ON cu.id = r.customer_id
		WHERE r.id = ?`, rec.RecordID).Scan(&narrow)
	doc := sp.get(fmt.Sprintf("/incentives/performance/records?code=%s&customer=%s&order_no=%s&per=100", recordCode(t, env, rec.RecordID),
		url.QueryEscape(narrow.Account), url.QueryEscape(narrow.OrderNo))).doc(t)
	href, ok := doc.Find(`[data-testid="record-row"]`).FilterFunction(func(_ int, s *goquery.Selection) bool {
		return strings.Contains(s.Text(), fmt.Sprint(rec.RecordID))
	}).Find(`[data-testid="row-incentives"]`).Attr("href")
	if !ok {
		t.Fatalf("record %d's row has no 查看激励", rec.RecordID)
	}
	lines := sp.get(href).doc(t).Find(`[data-testid="detail-row"]`).Length()
	if lines != min(rec.N, 20) {
		t.Fatalf("查看激励 of record %d lists %d lines, want %d", rec.RecordID, lines, rec.N)
	}
	if n := env.as(t, demo.MDAdmin).get(href).doc(t).Find(`[data-testid="detail-row"]`).Length(); n != 0 {
		t.Fatalf("the master distributor sees %d lines of 示例云科技's record", n)
	}
}

// recordCode is the 业绩单ID of a record's statement.
func recordCode(t *testing.T, env *testEnv, id int64) string {
	t.Helper()
	var r struct {
		PartnerID int64
		Period    time.Time
	}
	if err := env.DB.Raw(`SELECT partner_id, period FROM performance_records WHERE id = ?`, id).Scan(&r).Error; err != nil || r.PartnerID == 0 {
		t.Fatalf("record %d: %v", id, err)
	}
	return performance.SummaryCode(r.PartnerID, r.Period)
}

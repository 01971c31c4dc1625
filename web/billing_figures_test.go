package web

import (
	"fmt"
	"github.com/PuerkitoBio/goquery"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"partnercenter/internal/demo"
)

// TestMoneyFiguresSayWhatTheySum: 调账记录 totals money out (拨款) and
// money in (回收) apart, and 可提现金额 says its amounts are per holder
// and do not add up.
func TestMoneyFiguresSayWhatTheySum(t *testing.T) {
	env := newEnv(t)
	c := env.as(t, demo.SPAdmin)
	r := c.get("/billing/funds/adjustments")
	if r.Status != http.StatusOK {
		t.Fatalf("adjustments: %d", r.Status)
	}
	d := r.doc(t)
	if d.Find(`[data-testid="adjustment-sum-transfer"]`).Length() != 1 {
		t.Errorf("no separate 拨款 total: %q", d.Find(`[data-testid="adjustment-sum"]`).Text())
	}
	for _, s := range d.Find(`[data-testid^="adjustment-sum-"]`).Nodes {
		if txt := s.LastChild; txt != nil && strings.Contains(txt.Data, "¥") && !strings.Contains(txt.Data, ",") && len(txt.Data) > 10 {
			t.Errorf("an amount without thousands separators: %q", txt.Data)
		}
	}
	w := c.get("/billing/funds/withdrawals").doc(t)
	if !strings.Contains(w.Text(), "各项不累加") {
		t.Error("可提现金额 does not say its amounts do not add up")
	}
}

// TestNoEmptyControlsForUsersWithoutActions: a member who may see 代售客户
// but neither transfer nor recover gets no checkboxes, batch bar or empty
// 操作 column; one who may gets them.
func TestNoEmptyControlsForUsersWithoutActions(t *testing.T) {
	env := newEnv(t)
	for _, acc := range allPartner {
		c := env.as(t, acc)
		r := c.get("/billing/funds/customers")
		if r.Status != http.StatusOK {
			continue
		}
		d := r.doc(t)
		can := c.get("/billing/funds/transfer").Status != http.StatusForbidden ||
			c.get("/billing/funds/recover").Status != http.StatusForbidden
		has := d.Find(`input[name="ids"]`).Length() > 0 || d.Find(`[data-testid="batch-transfer"], [data-testid="batch-recover"]`).Length() > 0
		if d.Find(`[data-testid="customer-row"]`).Length() > 0 && has != can {
			t.Errorf("%s: selection controls shown = %v, may move money = %v", acc, has, can)
		}
	}
}

// TestEnglishPagesNameProductsAndRegionsInEnglish: en-US shows "Elastic
// Cloud Server (ECS)" and "CN North-Beijing4", not the Chinese product
// name or the raw region id; zh-CN shows 华北-北京四.
func TestEnglishPagesNameProductsAndRegionsInEnglish(t *testing.T) {
	env := newEnv(t)
	t.Cleanup(func() { env.DB.Exec("UPDATE users SET locale = 'zh-CN' WHERE login_name = ?", demo.SPAdmin) })
	zh := env.as(t, demo.SPAdmin).get("/customers/consumption/details").doc(t).Text()
	if !strings.Contains(zh, "华北-北京四") || strings.Contains(zh, "cn-north-4") {
		t.Errorf("zh-CN details: region not named")
	}
	env.DB.Exec("UPDATE users SET locale = 'en-US' WHERE login_name = ?", demo.SPAdmin)
	en := env.as(t, demo.SPAdmin).get("/customers/consumption/details").doc(t).Text()
	if !strings.Contains(en, "Elastic Cloud Server (ECS)") || strings.Contains(en, "弹性云服务器") || strings.Contains(en, "cn-north-4") {
		t.Errorf("en-US details: product or region not in English")
	}
}

// TestAssignPageIsAboutAssigning: 客户分配 opens with each customer
// manager's customers and the unassigned count (links to those lists)
// and the steps of a bulk assignment; the counts add up to the tenant's
// active customers.
func TestAssignPageIsAboutAssigning(t *testing.T) {
	env := newEnv(t)
	c := env.as(t, demo.SPAdmin)
	d := c.get("/customers/assign").doc(t)
	if d.Find(`[data-testid="assign-overview"]`).Length() != 1 || d.Find(`[data-testid="assign-load"]`).Length() == 0 {
		t.Fatal("客户分配 has no manager overview")
	}
	var active, unassigned int64
	env.DB.Table("associations").Where("partner_id = ? AND status = 'active'", env.World.SP).Count(&active)
	env.DB.Table("associations").Where("partner_id = ? AND status = 'active' AND manager_user_id IS NULL", env.World.SP).Count(&unassigned)
	if got := d.Find(`[data-testid="assign-unassigned"]`).Text(); !strings.Contains(got, strconv.FormatInt(unassigned, 10)) {
		t.Errorf("unassigned %q, want %d", got, unassigned)
	}
	if href, _ := d.Find(`[data-testid="assign-unassigned"]`).Attr("href"); c.get(href).Status != http.StatusOK {
		t.Errorf("unassigned link %q", href)
	}
}

// TestDatesAreTypedAsYearMonthDay: every date field reads yyyy-mm-dd in
// both languages (no browser date input with its own locale's order).
func TestDatesAreTypedAsYearMonthDay(t *testing.T) {
	env := newEnv(t)
	c := env.as(t, demo.SPAdmin)
	for _, path := range []string{"/customers", "/org/audit", "/billing/funds/lines", "/billing/funds/adjustments"} {
		d := c.get(path).doc(t)
		if d.Find(`input[type="date"]`).Length() != 0 {
			t.Errorf("%s: a browser date input (shows mm/dd/yyyy in en-US browsers)", path)
		}
		f := d.Find(`input[data-date]`)
		if f.Length() == 0 {
			t.Errorf("%s: no date field", path)
		}
		if ph, _ := f.First().Attr("placeholder"); ph != "yyyy-mm-dd" {
			t.Errorf("%s: date placeholder %q", path, ph)
		}
	}
	if r := c.get("/customers?from=2026-01-01&to=2026-12-31"); r.Status != http.StatusOK {
		t.Errorf("date filter: %d", r.Status)
	}
}

// TestLongListsOfferAPageJump: a list of more than five pages (sp_admin's
// 操作日志 in the demo world) has 跳至 [n] 页 that keeps the query.
func TestLongListsOfferAPageJump(t *testing.T) {
	env := newEnv(t)
	c := env.as(t, demo.SPAdmin)
	d := c.get("/org/audit?dir=asc").doc(t)
	jump := d.Find(`[data-testid="page-jump"]`)
	if jump.Length() != 1 {
		t.Fatalf("no page jump on a long list (pager %q)", d.Find(`[data-testid="pager"]`).Text())
	}
	if v, _ := jump.Find(`input[name="dir"]`).Attr("value"); v != "asc" {
		t.Errorf("the jump drops the query: %q", v)
	}
	if max, _ := jump.Find(`input[name="page"]`).Attr("max"); max == "" || max == "1" {
		t.Errorf("page jump max %q", max)
	}
	if r := c.get("/org/audit?dir=asc&page=3"); r.Status != http.StatusOK || r.doc(t).Find(`[data-testid="pager"] span.bg-sky-600`).Text() != "3" {
		t.Errorf("jumping to page 3: %d", r.Status)
	}
}

// TestPartnerHomeShowsItsNumbersAtAGlance: the main account sees its
// balance, customers (new this month) and this period's consumption with
// its trend, each linking to its page and agreeing with the database; a
// member without those pages sees none of them.
func TestPartnerHomeShowsItsNumbersAtAGlance(t *testing.T) {
	env := newEnv(t)
	d := env.as(t, demo.SPAdmin).get("/").doc(t)
	for _, id := range []string{"figure-balance", "figure-customers", "figure-consumption"} {
		href, ok := d.Find(`[data-testid="` + id + `"]`).Attr("href")
		if !ok {
			t.Errorf("home without %s", id)
			continue
		}
		if r := env.as(t, demo.SPAdmin).get(href); r.Status != http.StatusOK {
			t.Errorf("%s links to %s: %d", id, href, r.Status)
		}
	}
	var active int64
	env.DB.Table("associations").Where("partner_id = ? AND status = 'active'", env.World.SP).Count(&active)
	if got := d.Find(`[data-testid="figure-customers"] .text-2xl`).Text(); got != strconv.FormatInt(active, 10) {
		t.Errorf("customers %q, want %d", got, active)
	}
	if d.Find(`[data-testid="consumption-trend"] rect`).Length() == 0 {
		t.Error("no consumption trend")
	}
	if v := env.as(t, demo.SPViewer).get("/").doc(t); v.Find(`[data-testid="figure-consumption"]`).Length() != 0 ||
		v.Find(`[data-testid="figure-customers"]`).Length() != 0 {
		t.Error("a member without the bill or customer pages sees their figures")
	}
}

// TestListsOfferPageSizesAndSortTheirColumns: lists offer 10/20/50/100 per
// page, keep the size in their page and sort links, and sort on the
// columns people sort by (time of fund lines, amount of invoices, end of
// contracts) in both directions.
func TestListsOfferPageSizesAndSortTheirColumns(t *testing.T) {
	env := newEnv(t)
	c := env.as(t, demo.SPAdmin)
	// Lists of more than ten rows in the demo world.
	for path, row := range map[string]string{"/org/audit": `[data-testid="audit-row"]`, "/billing/funds/lines": "#line-table tbody tr",
		"/messages": `[data-testid="message"]`} {
		d := c.get(path + "?per=10").doc(t)
		size := d.Find(`[data-testid="page-size"] select[name="per"]`)
		if size.Length() != 1 {
			t.Errorf("%s: no page-size choice (pager %q)", path, d.Find(`[data-testid="pager"]`).Text())
			continue
		}
		if v, _ := size.Find("option[selected]").Attr("value"); v != "10" {
			t.Errorf("%s: size shown %q, asked 10", path, v)
		}
		rows := func(d *goquery.Document) int { return d.Find(row).Length() }
		if n := rows(d); n != 10 {
			t.Errorf("%s?per=10 shows %d rows", path, n)
		}
		if href, ok := d.Find(`[data-testid="page-2"]`).Attr("href"); ok && !strings.Contains(href, "per=10") {
			t.Errorf("%s: page link drops the size: %s", path, href)
		}
		if n := rows(c.get(path + "?per=7").doc(t)); n == 7 {
			t.Errorf("%s: a size not offered was honoured", path)
		}
	}

	// Fund lines by time, both ways.
	first := func(path string) string {
		return strings.TrimSpace(c.get(path).doc(t).Find("#line-table tbody tr").First().Find("td").First().Text())
	}
	newest, oldest := first("/billing/funds/lines"), first("/billing/funds/lines?sort=at&dir=asc")
	if newest == "" || oldest == "" || oldest > newest {
		t.Errorf("fund lines: newest first %q, oldest first %q", newest, oldest)
	}
	// Invoices by amount (vendor finance's queue): the header sorts.
	fin := env.as(t, demo.VendorFinance)
	href, ok := fin.get("/finance/invoices").doc(t).Find(`[data-testid="sort-amount"]`).Attr("href")
	if !ok {
		t.Fatal("invoice list: amount does not sort")
	}
	if !strings.Contains(href, "sort=amount") || fin.get(href).Status != http.StatusOK {
		t.Errorf("sort link %s", href)
	}
	if _, ok := fin.get("/finance/contracts").doc(t).Find(`[data-testid="sort-ends"]`).Attr("href"); !ok {
		t.Error("contract list: the period does not sort")
	}
}

// TestPartnerHomeListsRequestsToAnswerAndInvoicesNotIssued: the main
// account's to-dos count the pending association requests and, per signing
// entity, the invoice applications not yet issued, as the pages they link
// to list them; a member who opens neither page sees neither.
func TestPartnerHomeListsRequestsToAnswerAndInvoicesNotIssued(t *testing.T) {
	env := newEnv(t)
	admin := env.as(t, demo.SPAdmin)
	items := admin.get("/").doc(t).Find(`[data-testid="pending-items"] li`)
	link := func(prefix string) (string, string) {
		var text, href string
		items.Each(func(_ int, li *goquery.Selection) {
			if h, _ := li.Find("a").Attr("href"); strings.HasPrefix(h, prefix) {
				text, href = li.Text(), h
			}
		})
		return text, href
	}
	var requests int64
	env.DB.Table("association_requests").Where("partner_id = ? AND status = 'pending' AND type = 'unbind' AND initiator = 'customer'", env.World.SP).Count(&requests)
	if requests == 0 {
		t.Fatal("the demo world has no customer's unbinding waiting for the partner")
	}
	text, href := link("/customers/records")
	if !strings.Contains(text, strconv.FormatInt(requests, 10)+" 条客户解除关联申请待您处理") {
		t.Errorf("requests to-do %q, want %d", text, requests)
	}
	rows := admin.get(href).doc(t).Find("#record-table tbody tr")
	if int64(rows.Length()) != min(requests, 20) {
		t.Errorf("%s lists %d requests, the home said %d", href, rows.Length(), requests)
	}
	if rows.Find(`[data-testid="approve"]`).Length() != rows.Length() {
		t.Errorf("%s: not every request the home counts can be answered", href)
	}
	var applied int64
	env.DB.Table("invoices").Where("partner_id = ? AND state = 'applied'", env.World.SP).Count(&applied)
	if applied == 0 {
		t.Fatal("the demo world has no invoice waiting to be issued")
	}
	var said int64
	items.Each(func(_ int, li *goquery.Selection) {
		h, _ := li.Find("a").Attr("href")
		if !strings.HasPrefix(h, "/billing/invoices") {
			return
		}
		n, _ := strconv.ParseInt(strings.Fields(strings.TrimSpace(li.Text()))[0], 10, 64)
		said += n
		if got := admin.get(h).doc(t).Find("#invoice-table tbody tr").Length(); int64(got) != n {
			t.Errorf("%s lists %d invoices, the home said %d", h, got, n)
		}
	})
	if said != applied {
		t.Errorf("home counts %d invoices not issued, the database %d", said, applied)
	}
	viewer := env.as(t, demo.SPViewer).get("/").doc(t).Find(`[data-testid="pending-items"]`).Text()
	if strings.Contains(viewer, "关联申请") || strings.Contains(viewer, "待开具") {
		t.Errorf("a viewer sees to-dos of pages it cannot open: %q", viewer)
	}
}

// TestHomeFiguresFillTheirRow: the figures' row has as many columns as
// figures shown (a viewer's single figure is not a third of an empty row),
// and the trend names its first and last period.
func TestHomeFiguresFillTheirRow(t *testing.T) {
	env := newEnv(t)
	for _, login := range []string{demo.SPAdmin, demo.SPViewer} {
		d := env.as(t, login).get("/").doc(t)
		row := d.Find(`[data-testid="home-figures"]`)
		n := row.Children().Length()
		if n == 0 {
			continue
		}
		if class, _ := row.Attr("class"); !strings.Contains(class, fmt.Sprintf("md:grid-cols-%d", n)) {
			t.Errorf("%s: %d figures in a row of class %q", login, n, class)
		}
		if trend := d.Find(`[data-testid="consumption-trend"]`); trend.Length() == 1 && d.Find(`[data-testid="trend-axis"] span`).Length() != 2 {
			t.Errorf("%s: the trend has no period labels", login)
		}
	}
}

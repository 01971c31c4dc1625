package web

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"partnercenter/internal/demo"
)

// Journey: vendor finance uploads a consumption file
// with one good line (the seed's EVS usage of §12.1.9.14) and one bad
// line, watches the background import finish on the report page and reads
// it (1 accepted, the bad line's row and reason); the
// partner admin then finds the line in 消费明细 charged ¥0.04 with 抹零
// ¥0.00599822, and its customer in 消费汇总.
func TestJourneyVendorImportsConsumptionAndThePartnerSeesIt(t *testing.T) {
	env := newEnv(t)
	var account, name string
	env.DB.Raw(`SELECT c.account_name, c.name FROM customers c JOIN associations a ON a.customer_id = c.id AND a.status = 'active'
		WHERE a.partner_id = ? AND a.mode = 'consulting' AND a.associated_at < now() - interval '2 hours' ORDER BY a.associated_at LIMIT 1`, env.World.SP).Row().Scan(&account, &name)
	if account == "" {
		t.Fatal("no consulting customer of 示例云科技 in the demo")
	}
	at := time.Now().UTC().Add(-time.Hour).In(time.FixedZone("CST", 8*3600))
	period := at.Format("2006-01")
	file := filepath.Join(t.TempDir(), "出账.csv")
	csv := "流水号,客户账号,账单类型,账期,交易时间,订单号,产品类型,产品名称,资源类型,资源ID,区域,计费模式,官网价,优惠金额,单价,用量,时长(秒)\n" +
		fmt.Sprintf("JOURNEY-EVS-1,%s,消费,%s,%s,,云硬盘 EVS,旅程测试卷,evs.volume,vol-journey,cn-north-4,按需,,,0.00064000,10,25874\n",
			account, period, at.Format("2006-01-02 15:04:05")) +
		fmt.Sprintf("JOURNEY-BAD-2,%s,消费,%s,%s,,云硬盘 EVS,,,,,按需,abc,,,,\n", account, period, at.Format("2006-01-02 15:04:05"))
	if err := os.WriteFile(file, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}

	startImportWorkers(t, env)
	b := newBrowser(t, env)
	b.login(demo.VendorFinance, demo.DemoPassword)
	b.open("/finance/consumption")
	b.do(chromedp.SetUploadFiles(chromedp.CSS(`[data-testid="import-file"]`), []string{file}))
	b.click(`[data-testid="import-submit"]`)
	b.waitPath("/finance/consumption/")
	// The report page follows the background job until it is done.
	b.waitText(`[data-testid="report-accepted"]`, "1")
	b.waitText(`[data-testid="report-rejected"]`, "1")
	if row := b.text(`[data-testid="reject-row"]`); !strings.Contains(row, "3") || !strings.Contains(row, "官网价") {
		t.Errorf("reject row %q: want line 3, column 官网价", row)
	}
	b.shot("report")
	b.logout()

	b.login(demo.SPAdmin, demo.DemoPassword)
	b.open("/customers/consumption/details?period=" + period + "&customer=" + account)
	b.waitVisible(`[data-testid="detail-row"]`)
	// The imported line among the customer's lines of the period (the
	// demo's may be later in the day, and sort first).
	row, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('[data-testid="detail-row"]')]
		.map(function(r){return r.innerText}).filter(function(t){return t.indexOf('旅程测试卷') >= 0}).join('\n')`))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"旅程测试卷", "¥0.04599822", "¥0.04", "¥0.00599822"} {
		if !strings.Contains(row, want) {
			t.Errorf("detail row lacks %q: %q", want, row)
		}
	}
	b.click(`[data-testid="tab-summary"]`)
	b.waitVisible(`[data-testid="summary-row"]`)
	b.shot("summary")
	if !strings.Contains(b.text(`#consumption-table`), name) {
		t.Errorf("消费汇总 does not list %s", name)
	}
}

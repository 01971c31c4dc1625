package web

import (
	"net/http"
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

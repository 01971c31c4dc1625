package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/demo"
	"partnercenter/internal/platform/clock"
)

// 测试券 through the pages (§10.2): 智云软件 (differentiated software path,
// the vendor's ¥200,000 policy) reads its standing; a form without the
// price calculator link is refused in the page; more than is left is
// refused with the seed's words; a valid application is submitted, approved
// by the ecosystem manager (审核通过, not yet issued: the page says so) and
// issued by the vendor administrator, and its voucher shows with its
// validity.
func TestTestVoucherThroughThePages(t *testing.T) {
	env := newEnv(t)
	zy := env.as(t, demo.ZYAdmin)
	home := zy.get("/benefits")
	if home.Status != http.StatusOK || !strings.Contains(home.Body, `data-testid="benefit-remaining"`) {
		t.Fatalf("权益申请: %d", home.Status)
	}
	start := clock.ChinaDate(time.Now()).AddDate(0, 0, 1).Format(time.DateOnly)
	form := url.Values{"solution": {"other"}, "amount": {"1000"}, "reason": {"兼容性测试"}, "start_on": {start}, "end_on": {start},
		"acknowledged": {"on"}}
	if r := zy.post("/benefits/test-voucher", form); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "价格计算器的分享链接") {
		t.Fatalf("without the calculator link: %d", r.Status)
	}
	form.Set("resources", "https://www.huaweicloud.com/pricing/calculator.html?shareListId=abc123")
	form.Set("amount", "999999")
	if r := zy.post("/benefits/test-voucher", form); r.Status != http.StatusConflict || !strings.Contains(r.Body, "总额度不得超出权益规定上限") {
		t.Fatalf("over the cap: %d", r.Status)
	}
	form.Set("amount", "1234.50")
	if r := zy.post("/benefits/test-voucher", form); r.Status != http.StatusSeeOther {
		t.Fatalf("submit: %d", r.Status)
	}
	var id, appID int64
	env.DB.Raw(`SELECT b.id, b.application_id FROM benefit_applications b WHERE b.amount = 1234.50 ORDER BY id DESC LIMIT 1`).Row().Scan(&id, &appID)
	eco := access.VendorStaff(env.World.Users[demo.EcoManager], "eco_manager")
	if _, err := (approval.Engine{DB: env.DB, Clock: env.App.Clock}).Approve(context.Background(), eco, appID, ""); err != nil {
		t.Fatal(err)
	}
	if r := zy.get("/benefits/applications"); !strings.Contains(r.Body, "审核通过后，华为云将在发放后通知您") {
		t.Fatal("approved is not explained as not yet issued")
	}
	admin := env.as(t, demo.VendorAdmin)
	if r := admin.post(fmt.Sprintf("/partners/benefits/%d/issue", id), nil); r.Status != http.StatusSeeOther {
		t.Fatalf("issue: %d", r.Status)
	}
	rec := zy.get("/benefits/applications")
	if !strings.Contains(rec.Body, `data-testid="benefit-voucher"`) || !strings.Contains(rec.Body, "有效期至") {
		t.Fatal("the issued voucher does not show")
	}
}

package web

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"partnercenter/internal/demo"
)

// Journey: the cloud reseller's admin turns on the step-up check, picks a
// resale customer, allocates ¥88.80 (typed in full-width digits), previews it, opens the confirmation
// dialog (it restates the amount and the customer, focus on its confirm
// button) and cancels it (nothing moves), is refused with a wrong
// password (nothing moves), then confirms with the right one.
func TestJourneyTransferToAResaleCustomerWithStepUp(t *testing.T) {
	env := newEnv(t)
	t.Cleanup(func() {
		env.DB.Exec(`UPDATE billing_settings SET stepup_required = false WHERE partner_id = ?`, env.World.CR)
	})
	b := newBrowser(t, env)
	b.login(demo.CRAdmin, demo.DemoPassword)
	b.open("/billing/funds")
	if strings.Contains(b.text(`[data-testid="stepup-state"]`), "已开启") {
		t.Fatal("step-up already on")
	}
	b.click(`[data-testid="stepup-toggle"]`)
	b.waitVisible(`[data-testid="toast-success"]`)
	before := cashBalance(t, env, env.World.CR)

	b.open("/billing/funds/customers")
	b.click(`[data-testid="customer-row"][data-account="binjiang_design"] [data-testid="row-transfer"]`)
	b.waitPath("/billing/funds/transfer")
	// Typed with a Chinese input method's full-width digits: the preview
	// and the dialog restate the normalised amount before money moves.
	b.fill(`[data-testid="amount-input"]`, "８８．８０")
	b.click(`[data-testid="preview"]`)
	b.waitText(`[data-testid="preview-total"]`, "¥88.80")
	b.shot("preview")

	b.fill("#password", "wrong-password")
	b.click(`[data-testid="confirm"]`)
	if d := b.confirmDialog(); !strings.Contains(d, "¥88.80") || !strings.Contains(d, "杭州滨江创意设计有限公司") {
		t.Fatalf("confirmation dialog %q", d)
	}
	if got := b.eval(`document.activeElement.getAttribute("data-testid")||""`); got != "confirm-accept" {
		t.Errorf("focus in the dialog: %q", got)
	}
	b.shot("confirm-dialog")
	// 取消: the dialog closes on the preview and nothing moves.
	b.cancelDialog()
	b.waitText(`[data-testid="preview-total"]`, "¥88.80")
	if got := cashBalance(t, env, env.World.CR); !got.Equal(before) {
		t.Fatalf("a cancelled confirmation moved money: %s → %s", before, got)
	}

	b.click(`[data-testid="confirm"]`)
	b.acceptDialog()
	b.waitVisible(`[data-testid="error-password"]`)
	if got := cashBalance(t, env, env.World.CR); !got.Equal(before) {
		t.Fatalf("a wrong password moved money: %s → %s", before, got)
	}

	b.fill("#password", demo.DemoPassword)
	b.click(`[data-testid="confirm"]`)
	b.acceptDialog()
	b.waitPath("/billing/funds/adjustments")
	b.waitVisible(`[data-testid="toast-success"]`)
	b.shot("adjustments")
	if got := before.Sub(cashBalance(t, env, env.World.CR)); !got.Equal(decimal.RequireFromString("88.80")) {
		t.Fatalf("moved %s", got)
	}
	mustConsistentLedger(t, env)
}

package invoice_test

import (
	"context"
	"testing"

	"partnercenter/internal/access"
	"partnercenter/internal/demo"
	"partnercenter/internal/invoice"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/dbtest"
)

// The demo world shows every invoice state for 示例云科技 and the master
// distributor, both tabs for 示例云科技 (its signing entity changed) and
// an owed invoice amount (R53).
func TestDemoHasEveryInvoiceStateBothTabsAndOwedAmount(t *testing.T) {
	g := dbtest.DB(t)
	w, err := demo.Seed(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	for _, pid := range []int64{w.SP, w.MD} {
		var states []string
		if err := g.Raw(`SELECT DISTINCT state FROM invoices WHERE partner_id = ? ORDER BY 1`, pid).Scan(&states).Error; err != nil {
			t.Fatal(err)
		}
		if len(states) != len(invoice.States) {
			t.Errorf("partner %d has states %v", pid, states)
		}
	}
	s := invoice.Service{DB: g, Clock: clock.System{}}
	sp := access.Member(w.Users[demo.SPAdmin], w.SP, true)
	ents, _, err := s.Entities(context.Background(), sp)
	if err != nil || len(ents) != 2 {
		t.Fatalf("entities %v %v", ents, err)
	}
	pos, err := s.Position(context.Background(), sp)
	if err != nil || !pos.Owed.IsPositive() {
		t.Fatalf("owed %s %v", pos.Owed, err)
	}
	var docs int64
	g.Raw(`SELECT count(*) FROM invoice_documents`).Scan(&docs)
	if docs == 0 {
		t.Fatal("no e-invoice PDF in the demo")
	}
}

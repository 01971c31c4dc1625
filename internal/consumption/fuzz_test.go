package consumption

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"partnercenter/internal/platform/money"
)

// FuzzParseLine feeds arbitrary cells to the line validator: it never
// panics, and a line it accepts keeps the money rules — amounts at most
// 8 decimals, the charge the payable truncated to the fen (R61), the 抹零
// below one fen, payments that add up to the charge, and signs that
// match the bill type.
func FuzzParseLine(f *testing.F) {
	f.Add("消费", "2025-06", "2025-06-01 08:00:00", "按需", "0.04599822", "0", "", "", "", "", "")
	f.Add("退款", "202506", "2025-06-01T08:00:00Z", "包年/包月", "-20.5", "-0.5", "", "", "", "-1.00", "")
	f.Add("调账", "2025/6", "2025-06-01", "按需", "", "", "0.00064000", "10", "25874", "", "0.01")
	f.Add("消费", "2025-06", "2025-06-01 08:00:00", "按需", "1e3", "NaN", "", "", "", "", "")
	f.Add("consumption", "2025-06", "2025-06-01 08:00:00", "on_demand", "１２３．４５６７８９０１", "", "", "", "", "", "")
	f.Fuzz(func(t *testing.T, typ, period, at, mode, list, disc, unit, qty, secs, voucher, card string) {
		cells := map[string]string{"source_ref": "F1", "customer_account": "acct", "bill_type": typ, "billing_period": period,
			"transaction_time": at, "product_type": "ECS", "billing_mode": mode, "list_price": list, "discount_amount": disc,
			"unit_price": unit, "quantity": qty, "seconds": secs, "voucher_paid": voucher, "card_paid": card}
		l, rejects := parseLine(2, func(k string) string { return cells[k] })
		if l == nil {
			if len(rejects) == 0 {
				t.Fatal("refused without a reason")
			}
			for _, r := range rejects {
				if r.LineNo != 2 || r.Column == "" || !strings.Contains(r.Message, ".") {
					t.Fatalf("bad reject %+v", r)
				}
			}
			return
		}
		payable := l.Payable()
		if !payable.Equal(payable.Truncate(money.PricePlaces)) || !l.ListPrice.Equal(l.ListPrice.Truncate(money.PricePlaces)) {
			t.Fatalf("more than 8 decimals: %s", payable)
		}
		charged, rounding := money.ChargeToFen(payable)
		if !charged.Equal(l.Charged) || !rounding.Equal(l.RoundingOff) || rounding.Abs().GreaterThanOrEqual(decimal.New(1, -2)) {
			t.Fatalf("charge %s 抹零 %s for payable %s", l.Charged, l.RoundingOff, payable)
		}
		if !l.Cash.Add(l.VoucherPaid).Add(l.CardPaid).Equal(l.Charged) {
			t.Fatalf("payments %s+%s+%s ≠ charge %s", l.Cash, l.VoucherPaid, l.CardPaid, l.Charged)
		}
		switch l.BillType {
		case "consumption":
			if payable.IsNegative() || l.Cash.IsNegative() {
				t.Fatalf("negative consumption %s cash %s", payable, l.Cash)
			}
		case "refund":
			if payable.IsPositive() || l.Cash.IsPositive() {
				t.Fatalf("positive refund %s cash %s", payable, l.Cash)
			}
		}
	})
}

package money

import (
	"strings"
	"testing"
)

// FuzzParseAmount: whatever a form or an imported file holds, Parse never
// panics, never accepts a negative, zero, NaN or over-precise amount, and
// what it accepts prints back to a string it parses to the same value.
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"1234.56", "1,234.56", "¥0.01", "１２３．４", "-1", "0", "NaN", "1e9", "+Inf",
		"1,23", "99999999999999", "0.001", " 7 ", "1.500", "\u3000８８\u3000", ",", ".", "-", "¥"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, r := range []Rules{Amount, Threshold, Price, SignedAmount} {
			v, err := Parse(s, r)
			if err != nil {
				if Key(err) == "" || !strings.HasPrefix(Key(err), "money.err.") {
					t.Fatalf("Parse(%q): error without a catalog key: %v", s, err)
				}
				if !v.IsZero() {
					t.Fatalf("Parse(%q): value %s returned with an error", s, v)
				}
				continue
			}
			if v.IsNegative() && !r.AllowNegative {
				t.Fatalf("Parse(%q) accepted negative %s", s, v)
			}
			if v.IsZero() && !r.AllowZero {
				t.Fatalf("Parse(%q) accepted zero", s)
			}
			if -v.Exponent() > r.Places && !v.Equal(v.Truncate(r.Places)) {
				t.Fatalf("Parse(%q) accepted %s with more than %d decimals", s, v, r.Places)
			}
			back, err := Parse(v.String(), r)
			if err != nil || !back.Equal(v) {
				t.Fatalf("round trip of %q: %s → %v (%v)", s, v, back, err)
			}
			back, err = Parse(Plain(v, r.Places), r)
			if err != nil || !back.Equal(v) {
				t.Fatalf("round trip of Plain(%s): %v (%v)", v, back, err)
			}
		}
	})
}

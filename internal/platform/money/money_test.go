package money

import (
	"partnercenter/internal/platform/i18n"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestParseAcceptsWhatPeopleType(t *testing.T) {
	cases := map[string]string{
		"1234.56":         "1234.56",
		"1,234.56":        "1234.56",
		"  12,345,678.9 ": "12345678.9",
		"¥1,234.50":       "1234.5",
		"￥88":             "88",
		"１２３４．５６":         "1234.56",
		"１，２３４":           "1234",
		"0.01":            "0.01",
		"007":             "7",
		"+5":              "5",
		"1.500":           "1.5", // trailing zeros lose nothing
		"999999999999.99": "999999999999.99",
	}
	for in, want := range cases {
		got, err := Parse(in, Amount)
		if err != nil {
			t.Errorf("Parse(%q): %v", in, err)
			continue
		}
		if !got.Equal(d(want)) {
			t.Errorf("Parse(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestParseRefusesBadAmountsWithCatalogKeys(t *testing.T) {
	cases := map[string]string{
		"":              ErrRequired,
		"   ":           ErrRequired,
		"-1":            ErrNegative,
		"-0.01":         ErrNegative,
		"0":             ErrZero,
		"0.00":          ErrZero,
		"-0":            ErrZero,
		"1.234":         ErrPlaces + "2",
		"0.001":         ErrPlaces + "2",
		"NaN":           ErrFormat,
		"Inf":           ErrFormat,
		"-Infinity":     ErrFormat,
		"1e5":           ErrFormat,
		"1E-2":          ErrFormat,
		"0x10":          ErrFormat,
		"1,23":          ErrFormat,
		"12,34.5":       ErrFormat,
		"1,234,56":      ErrFormat,
		"1 234":         ErrFormat,
		"1.2.3":         ErrFormat,
		"1.":            ErrFormat,
		".5":            ErrFormat,
		"--1":           ErrFormat,
		"12元":           ErrFormat,
		"1000000000000": ErrTooLarge + "12",
		"99999999999999999999999999999999999999999999999999": ErrTooLarge + "12",
	}
	for in, want := range cases {
		_, err := Parse(in, Amount)
		if got := Key(err); got != want {
			t.Errorf("Parse(%q): error %q, want %q", in, got, want)
		}
	}
}

func TestParseRulesForPricesThresholdsAndRefunds(t *testing.T) {
	if v, err := Parse("0.00064000", Price); err != nil || !v.Equal(d("0.00064")) {
		t.Errorf("price: %v %v", v, err)
	}
	if _, err := Parse("0.000640001", Price); Key(err) != ErrPlaces+"8" {
		t.Errorf("9 decimals in a price: %v", err)
	}
	if v, err := Parse("0", Threshold); err != nil || !v.IsZero() {
		t.Errorf("zero threshold: %v %v", v, err)
	}
	if v, err := Parse("-12.30", SignedAmount); err != nil || !v.Equal(d("-12.3")) {
		t.Errorf("refund: %v %v", v, err)
	}
}

// R61, seed 003 §12.1.9.14: 10 GB on-demand EVS at ¥0.00064000 per
// GB-hour for 25,874 s → 0.04599822, charged ¥0.04, 抹零 ¥0.00599822.
func TestChargeTruncatesToFenAndRecordsRoundingOff(t *testing.T) {
	amount := UsageAmount(d("0.00064000"), d("10"), 25874)
	if !amount.Equal(d("0.04599822")) {
		t.Fatalf("amount = %s, want 0.04599822", amount)
	}
	charged, rounding := ChargeToFen(amount)
	if !charged.Equal(d("0.04")) || !rounding.Equal(d("0.00599822")) {
		t.Fatalf("charged %s, 抹零 %s; want 0.04 and 0.00599822", charged, rounding)
	}
	// Truncation, not rounding: 0.999 is charged 0.99.
	if c, r := ChargeToFen(d("0.99999999")); !c.Equal(d("0.99")) || !r.Equal(d("0.00999999")) {
		t.Errorf("0.99999999 → %s + %s", c, r)
	}
	if c, r := ChargeToFen(d("-1.23456789")); !c.Equal(d("-1.23")) || !r.Equal(d("-0.00456789")) {
		t.Errorf("refund -1.23456789 → %s + %s", c, r)
	}
}

// Seed 003 §12.1.5.4 (digest §6.1): the 2024 growth incentive 22,603.46
// allocated over four lines, half-up to 8 places, reproduces the source.
func TestAllocationRoundsHalfUpToEightPlacesLikeTheSeed(t *testing.T) {
	lines := []decimal.Decimal{d("694.005"), d("2094.055"), d("542754.315"), d("445007.215")}
	want := []string{"15.8365764", "47.78447128", "12385.17038701", "10154.66856532"}
	got := AllocateHalfUp(d("22603.46"), lines)
	sum := decimal.Zero
	for i := range want {
		if !got[i].Equal(d(want[i])) {
			t.Errorf("line %d = %s, want %s", i, got[i], want[i])
		}
		sum = sum.Add(got[i])
	}
	if !sum.Equal(d("22603.46000001")) {
		t.Errorf("sum %s: the seed's 1e-8 residue is expected", sum)
	}
	if z := AllocateHalfUp(d("10"), []decimal.Decimal{decimal.Zero}); !z[0].IsZero() {
		t.Errorf("zero base: %s", z[0])
	}
}

func TestPlainAndIsFen(t *testing.T) {
	if Plain(d("1234.5"), 2) != "1234.50" || Plain(d("-0.00599822"), 8) != "-0.00599822" {
		t.Error("Plain")
	}
	if !IsFen(d("1.20")) || IsFen(d("1.201")) {
		t.Error("IsFen")
	}
}

// TestEveryParseErrorIsAFieldMessageWithoutArguments: forms show a parse
// error as a field message, which carries no arguments — so every key
// Parse can return for the product's rule sets exists in both languages
// and renders without "<no value>".
func TestEveryParseErrorIsAFieldMessageWithoutArguments(t *testing.T) {
	inputs := []string{"", "x", "-1", "0", "1.123456789", "1234567890123"}
	for _, r := range []Rules{Amount, Threshold, SignedAmount, Price, SignedPrecise} {
		for _, in := range inputs {
			_, err := Parse(in, r)
			if err == nil {
				continue
			}
			for _, lang := range []string{"zh-CN", "en-US"} {
				k := Key(err)
				if !i18n.Has(lang, k) || strings.Contains(i18n.TL(lang, k), "<no value>") {
					t.Errorf("%q with %+v: key %q in %s is missing or needs arguments: %q", in, r, k, lang, i18n.TL(lang, k))
				}
			}
		}
	}
}

func TestGroupedIsTheOneWayAmountsAreShown(t *testing.T) {
	for in, want := range map[string]string{"53599.5": "53,599.50", "-1234567.891": "-1,234,567.89", "0": "0.00", "999": "999.00", "-0.5": "-0.50"} {
		if got := Grouped(d(in), 2); got != want {
			t.Errorf("Grouped(%s) = %q, want %q", in, got, want)
		}
	}
	if got := Grouped(d("0.00064"), 8); got != "0.00064000" {
		t.Errorf("8 places: %q", got)
	}
}

// Package money owns the product's money rules (docs/ARCHITECTURE.md, "Money"): amounts
// are decimal.Decimal end to end (NUMERIC in PostgreSQL, never float);
// user input is parsed strictly (Parse); prices keep 8 decimals; a charge
// is truncated — not rounded — to the fen and the cut part is the 抹零
// amount (ChargeToFen, seed 003 §12.1.9.14, R61); allocations round
// half-up to 8 places (AllocateHalfUp, seed 003 §12.1.5.4, R30).
//
// Views format money with views/ui.Money (¥, thousands separators, the
// seeds' precision); files and exports use Plain.
package money

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
	"golang.org/x/text/width"

	"partnercenter/internal/platform/apperr"
)

// Decimal places.
const (
	// AmountPlaces: charged amounts, balances, transfers (fen).
	AmountPlaces int32 = 2
	// PricePlaces: unit prices, consumption before bill-out, incentive
	// lines (seed 003 §12.1.9.14, §12.1.5.4).
	PricePlaces int32 = 8
)

// maxInput bounds what Parse reads at all (a 1 MB "amount" is refused
// before any work).
const maxInput = 64

// Rules say what Parse accepts.
type Rules struct {
	Places        int32 // most decimals allowed (trailing zeros beyond are fine)
	AllowZero     bool
	AllowNegative bool
	// MaxIntDigits bounds the integer part (12 → below one trillion yuan).
	MaxIntDigits int
}

// Rule sets used by forms and imports.
var (
	// Amount is a positive amount of money: a transfer, a recharge, a
	// withdrawal.
	Amount = Rules{Places: AmountPlaces, MaxIntDigits: 12}
	// Threshold is zero or more, in fen (the balance alert).
	Threshold = Rules{Places: AmountPlaces, AllowZero: true, MaxIntDigits: 12}
	// SignedAmount is an imported amount that may be a refund (negative).
	SignedAmount = Rules{Places: AmountPlaces, AllowZero: true, AllowNegative: true, MaxIntDigits: 12}
	// Price is a unit price with 8 decimals, zero allowed (free items).
	Price = Rules{Places: PricePlaces, AllowZero: true, MaxIntDigits: 12}
	// SignedPrecise is an imported 8-decimal amount that may be negative.
	SignedPrecise = Rules{Places: PricePlaces, AllowZero: true, AllowNegative: true, MaxIntDigits: 12}
)

// Error keys (catalog ids in money.*.toml).
const (
	ErrRequired = "money.err.required"
	ErrFormat   = "money.err.format"
	ErrNegative = "money.err.negative"
	ErrZero     = "money.err.zero"
	// ErrPlaces and ErrTooLarge are prefixes: the key names the limit
	// ("money.err.places_2", "money.err.too_large_12"), because a form
	// shows a parse error as a field message, which carries no arguments.
	ErrPlaces   = "money.err.places_"
	ErrTooLarge = "money.err.too_large_"
)

// number: an optional sign, an integer part either plain or grouped by
// thousands with commas, and an optional fraction. Nothing else: no
// exponent, no NaN or Infinity, no spaces inside, no decimal comma.
var number = regexp.MustCompile(`^([+-]?)([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.([0-9]+))?$`)

// Parse reads an amount typed in a form or found in an imported file:
// "1234.56", "1,234.56", "¥1,234.56", full-width digits ("１２３４．５６"),
// surrounding spaces. It refuses what rules refuse (negative, zero,
// more decimals than rules.Places, more integer digits than
// rules.MaxIntDigits) and anything that is not a plain decimal number
// (exponents, NaN, Inf, misplaced separators). Errors are *apperr.Error
// of kind Invalid whose Key is one of the Err* catalog ids (Places and
// Max in Args).
func Parse(s string, r Rules) (decimal.Decimal, error) {
	if len(s) > maxInput*4 {
		return decimal.Zero, apperr.Invalid(ErrFormat)
	}
	s = width.Narrow.String(s)
	s = strings.TrimSpace(strings.ReplaceAll(s, "\u3000", " "))
	if s == "" {
		return decimal.Zero, apperr.Invalid(ErrRequired)
	}
	// A currency sign may lead (after the sign, or alone).
	sign := ""
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") {
		sign, s = s[:1], s[1:]
	}
	for _, cur := range []string{"¥", "CNY", "RMB"} {
		s = strings.TrimPrefix(s, cur)
	}
	s = sign + strings.TrimSpace(s)
	if len(s) > maxInput {
		return decimal.Zero, apperr.Invalid(ErrTooLarge + strconv.Itoa(r.MaxIntDigits))
	}
	m := number.FindStringSubmatch(s)
	if m == nil {
		return decimal.Zero, apperr.Invalid(ErrFormat)
	}
	intPart := strings.TrimLeft(strings.ReplaceAll(m[2], ",", ""), "0")
	frac := strings.TrimRight(m[3], "0")
	if r.MaxIntDigits > 0 && len(intPart) > r.MaxIntDigits {
		return decimal.Zero, apperr.Invalid(ErrTooLarge + strconv.Itoa(r.MaxIntDigits))
	}
	if int32(len(frac)) > r.Places {
		return decimal.Zero, apperr.Invalid(ErrPlaces + strconv.Itoa(int(r.Places)))
	}
	if intPart == "" {
		intPart = "0"
	}
	lit := intPart
	if frac != "" {
		lit += "." + frac
	}
	d, err := decimal.NewFromString(lit)
	if err != nil {
		return decimal.Zero, apperr.Invalid(ErrFormat)
	}
	if m[1] == "-" {
		d = d.Neg()
	}
	switch {
	case d.IsNegative() && !r.AllowNegative:
		return decimal.Zero, apperr.Invalid(ErrNegative)
	case d.IsZero() && !r.AllowZero:
		return decimal.Zero, apperr.Invalid(ErrZero)
	}
	return d, nil
}

// Key returns the catalog id of a Parse error ("" for nil).
func Key(err error) string {
	if err == nil {
		return ""
	}
	if ae, ok := apperr.As(err); ok {
		return ae.Key
	}
	return ErrFormat
}

// Grouped is the one way an amount is shown to people: fixed places and
// thousands separators, no currency sign ("-53,599.50"). Pages add ¥
// (views/ui.Money); messages put ¥ in their text ("¥{{.Amount}}").
func Grouped(d decimal.Decimal, places int32) string {
	s := d.StringFixed(places)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// Plain formats an amount for files: fixed places, no sign of currency,
// no thousands separators ("-1234.50").
func Plain(d decimal.Decimal, places int32) string { return d.StringFixed(places) }

// IsFen reports whether d has at most 2 decimals (a chargeable amount).
func IsFen(d decimal.Decimal) bool { return d.Equal(d.Truncate(AmountPlaces)) }

// ChargeToFen is the bill-out rule 抹零 (seed 003 §12.1.9.14, R61): keep 2
// decimals and discard decimals 3–8 without rounding. It returns the
// charged amount and the discarded part (the 抹零 amount), which add up
// to amount. Negative amounts (refunds) truncate toward zero too.
func ChargeToFen(amount decimal.Decimal) (charged, rounding decimal.Decimal) {
	charged = amount.Truncate(AmountPlaces)
	return charged, amount.Sub(charged)
}

// RoundHalfUp rounds to places, halves away from zero (the worked
// examples of seed 003 §12.1.5.4 match it; truncation does not).
func RoundHalfUp(d decimal.Decimal, places int32) decimal.Decimal { return d.Round(places) }

// UsageAmount is the on-demand amount of quantity units at a price per
// unit-hour for seconds of use, at 8 decimals (seed 003 §12.1.9.14: 10 GB
// at ¥0.00064000 per GB-hour for 25,874 s → 0.04599822).
func UsageAmount(pricePerUnitHour, quantity decimal.Decimal, seconds int64) decimal.Decimal {
	num := pricePerUnitHour.Mul(quantity).Mul(decimal.NewFromInt(seconds))
	return RoundHalfUp(num.DivRound(decimal.NewFromInt(3600), PricePlaces+12), PricePlaces)
}

// AllocateHalfUp splits total over lines in proportion to each line
// (line × total / Σ lines), every share rounded half-up to 8 places (seed
// 003 §12.1.5.4, R30). The shares are not forced to add up to total: the
// seed's own example leaves a 1e-8 residue. A zero sum gives zero shares.
func AllocateHalfUp(total decimal.Decimal, lines []decimal.Decimal) []decimal.Decimal {
	sum := decimal.Zero
	for _, l := range lines {
		sum = sum.Add(l)
	}
	out := make([]decimal.Decimal, len(lines))
	for i, l := range lines {
		if sum.IsZero() {
			out[i] = decimal.Zero
			continue
		}
		out[i] = RoundHalfUp(l.Mul(total).DivRound(sum, PricePlaces+12), PricePlaces)
	}
	return out
}

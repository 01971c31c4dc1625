package consumption

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"partnercenter/internal/platform/money"
)

// Column is one column of the import file.
type Column struct {
	Key      string   // stable id, also the English header
	Headers  []string // accepted header texts (Chinese first)
	Required bool
}

// Columns of the import file, in the order of the template.
var Columns = []Column{
	{Key: "source_ref", Headers: []string{"流水号"}, Required: true},
	{Key: "customer_account", Headers: []string{"客户账号"}, Required: true},
	{Key: "bill_type", Headers: []string{"账单类型"}, Required: true},
	{Key: "billing_period", Headers: []string{"账期"}, Required: true},
	{Key: "transaction_time", Headers: []string{"交易时间"}, Required: true},
	{Key: "order_no", Headers: []string{"订单号"}},
	{Key: "product_type", Headers: []string{"产品类型"}, Required: true},
	{Key: "product_name", Headers: []string{"产品名称"}},
	{Key: "resource_type", Headers: []string{"资源类型"}},
	{Key: "resource_id", Headers: []string{"资源ID"}},
	{Key: "region", Headers: []string{"区域"}},
	{Key: "billing_mode", Headers: []string{"计费模式"}, Required: true},
	{Key: "list_price", Headers: []string{"官网价"}},
	{Key: "discount_amount", Headers: []string{"优惠金额"}},
	{Key: "unit_price", Headers: []string{"单价"}},
	{Key: "quantity", Headers: []string{"用量"}},
	{Key: "seconds", Headers: []string{"时长(秒)", "时长（秒）"}},
	{Key: "voucher_paid", Headers: []string{"代金券抵扣"}},
	{Key: "card_paid", Headers: []string{"储值卡抵扣"}},
	// Optional (issue 12): the part paid by a cash coupon that forms no
	// performance, and a curated-mall item (是/否), §12.1.5.1–2, §12.1.5.37.
	{Key: "coupon_paid", Headers: []string{"不计业绩现金券抵扣"}},
	{Key: "curated_mall", Headers: []string{"严选商城"}},
}

// Reject is one refused cell of an import: line number (1 = first data
// line), column key, catalog message key and the value found.
type Reject struct {
	LineNo  int
	Column  string
	Message string
	Value   string
}

// Error keys of the import (catalog consumption.*).
const (
	ErrHeaderMissing = "consumption.err.header_missing"
	ErrRequired      = "consumption.err.required"
	ErrYesNo         = "consumption.err.yes_no"
	ErrTooLong       = "consumption.err.too_long"
	ErrBillType      = "consumption.err.bill_type"
	ErrPeriod        = "consumption.err.period"
	ErrTime          = "consumption.err.time"
	ErrBillingMode   = "consumption.err.billing_mode"
	ErrAmountSign    = "consumption.err.amount_sign"
	ErrPriceOrUsage  = "consumption.err.price_or_usage"
	ErrQuantity      = "consumption.err.quantity"
	ErrSeconds       = "consumption.err.seconds"
	ErrPaidTooMuch   = "consumption.err.paid_too_much"
	ErrNoCustomer    = "consumption.err.no_customer"
	ErrNoPartner     = "consumption.err.no_partner"
	ErrDuplicate     = "consumption.err.duplicate"
	ErrFileType      = "consumption.err.file_type"
	ErrEmpty         = "consumption.err.empty"
	ErrNoFile        = "consumption.err.no_file"
)

// Line is a validated import line, ready for staging.
type Line struct {
	LineNo          int
	SourceRef       string
	CustomerAccount string // lower-cased
	BillType        string
	BillingPeriod   time.Time // first day of the month, UTC
	TransactionAt   time.Time
	OrderNo         string
	ProductType     string
	ProductName     string
	ResourceType    string
	ResourceID      string
	Region          string
	BillingMode     string
	ListPrice       decimal.Decimal
	DiscountAmount  decimal.Decimal
	Charged         decimal.Decimal
	RoundingOff     decimal.Decimal
	VoucherPaid     decimal.Decimal
	CardPaid        decimal.Decimal
	CouponPaid      decimal.Decimal // a cash coupon that forms no performance
	CuratedMall     bool            // a curated-mall (严选商城) item: no performance
	// Cash is what is left of the charge after vouchers, cards and
	// coupons; for a
	// resale customer the import may turn part of it into arrears.
	Cash decimal.Decimal
}

// Payable is the amount payable (应付金额) at 8 decimals.
func (l *Line) Payable() decimal.Decimal { return l.ListPrice.Sub(l.DiscountAmount) }

// chinaTime is the zone of the transaction times in files (UTC+8).
var chinaTime = time.FixedZone("CST", 8*3600)

var billTypes = map[string]string{
	"消费": "consumption", "consumption": "consumption",
	"退款": "refund", "refund": "refund",
	"调账": "adjustment", "adjustment": "adjustment",
}

var billingModes = map[string]string{
	"包年/包月": "yearly_monthly", "包年包月": "yearly_monthly", "yearly_monthly": "yearly_monthly",
	"按需": "on_demand", "on_demand": "on_demand",
}

var maxLen = map[string]int{
	"source_ref": 64, "customer_account": 100, "order_no": 64, "product_type": 100, "product_name": 200,
	"resource_type": 100, "resource_id": 128, "region": 64,
}

// parseLine validates one data line (cells by column key). It returns
// the line, or the rejects of every bad cell.
func parseLine(lineNo int, cell func(key string) string) (*Line, []Reject) {
	var rejects []Reject
	bad := func(col, key, val string) {
		if utf8.RuneCountInString(val) > 60 {
			val = string([]rune(val)[:60]) + "…"
		}
		rejects = append(rejects, Reject{LineNo: lineNo, Column: col, Message: key, Value: val})
	}
	text := func(col string, required bool) string {
		v := strings.TrimSpace(cell(col))
		if v == "" && required {
			bad(col, ErrRequired, v)
		} else if n := maxLen[col]; n > 0 && utf8.RuneCountInString(v) > n {
			bad(col, ErrTooLong, v)
		}
		return v
	}
	l := &Line{LineNo: lineNo}
	l.SourceRef = text("source_ref", true)
	l.CustomerAccount = strings.ToLower(text("customer_account", true))
	l.OrderNo = text("order_no", false)
	l.ProductType = text("product_type", true)
	l.ProductName = text("product_name", false)
	l.ResourceType = text("resource_type", false)
	l.ResourceID = text("resource_id", false)
	l.Region = text("region", false)

	if v := strings.TrimSpace(cell("bill_type")); v == "" {
		bad("bill_type", ErrRequired, v)
	} else if bt, ok := billTypes[strings.ToLower(v)]; ok {
		l.BillType = bt
	} else {
		bad("bill_type", ErrBillType, v)
	}
	if v := strings.TrimSpace(cell("billing_mode")); v == "" {
		bad("billing_mode", ErrRequired, v)
	} else if m, ok := billingModes[strings.ToLower(strings.ReplaceAll(v, " ", ""))]; ok {
		l.BillingMode = m
	} else {
		bad("billing_mode", ErrBillingMode, v)
	}
	if v := strings.TrimSpace(cell("billing_period")); v == "" {
		bad("billing_period", ErrRequired, v)
	} else if p, ok := parsePeriod(v); ok {
		l.BillingPeriod = p
	} else {
		bad("billing_period", ErrPeriod, v)
	}
	if v := strings.TrimSpace(cell("transaction_time")); v == "" {
		bad("transaction_time", ErrRequired, v)
	} else if t, ok := parseTime(v); ok {
		l.TransactionAt = t
	} else {
		bad("transaction_time", ErrTime, v)
	}

	amount := func(col string, rules money.Rules) decimal.Decimal {
		v := cell(col)
		if strings.TrimSpace(v) == "" {
			return decimal.Zero
		}
		d, err := money.Parse(v, rules)
		if err != nil {
			bad(col, money.Key(err), strings.TrimSpace(v))
		}
		return d
	}
	// The amount: a rated list price, or an on-demand usage to rate.
	listRaw, unitRaw := strings.TrimSpace(cell("list_price")), strings.TrimSpace(cell("unit_price"))
	switch {
	case listRaw != "" && unitRaw == "":
		l.ListPrice = amount("list_price", money.SignedPrecise)
	case listRaw == "" && unitRaw != "":
		unit := amount("unit_price", money.Price)
		qty, err := money.Parse(cell("quantity"), money.Rules{Places: 8, MaxIntDigits: 12})
		if err != nil {
			bad("quantity", ErrQuantity, strings.TrimSpace(cell("quantity")))
		}
		secs, err := strconv.ParseInt(strings.TrimSpace(cell("seconds")), 10, 64)
		if err != nil || secs <= 0 || secs > 366*24*3600 {
			bad("seconds", ErrSeconds, strings.TrimSpace(cell("seconds")))
		}
		if len(rejects) == 0 {
			l.ListPrice = money.UsageAmount(unit, qty, secs)
			if l.BillType == "refund" {
				l.ListPrice = l.ListPrice.Neg()
			}
		}
	default:
		bad("list_price", ErrPriceOrUsage, listRaw)
	}
	l.DiscountAmount = amount("discount_amount", money.SignedPrecise)
	l.VoucherPaid = amount("voucher_paid", money.SignedAmount)
	l.CardPaid = amount("card_paid", money.SignedAmount)
	l.CouponPaid = amount("coupon_paid", money.SignedAmount)
	switch v := strings.ToLower(strings.TrimSpace(cell("curated_mall"))); v {
	case "", "否", "n", "no", "false", "0":
	case "是", "y", "yes", "true", "1":
		l.CuratedMall = true
	default:
		bad("curated_mall", ErrYesNo, v)
	}
	if len(rejects) > 0 {
		return nil, rejects
	}

	// Signs: a consumption is ≥ 0 in every part, a refund ≤ 0.
	payable := l.Payable()
	l.Charged, l.RoundingOff = money.ChargeToFen(payable)
	parts := []struct {
		col string
		d   decimal.Decimal
	}{{"list_price", l.ListPrice}, {"discount_amount", l.DiscountAmount}, {"voucher_paid", l.VoucherPaid}, {"card_paid", l.CardPaid},
		{"coupon_paid", l.CouponPaid}}
	switch l.BillType {
	case "consumption", "refund":
		for _, p := range parts {
			if (l.BillType == "consumption" && p.d.IsNegative()) || (l.BillType == "refund" && p.d.IsPositive()) {
				bad(p.col, ErrAmountSign, p.d.String())
			}
		}
		if len(rejects) == 0 && ((l.BillType == "consumption" && payable.IsNegative()) || (l.BillType == "refund" && payable.IsPositive())) {
			bad("discount_amount", ErrAmountSign, l.DiscountAmount.String())
		}
	case "adjustment":
		// An adjustment may go either way, its parts with the charge's sign.
		for _, p := range parts[2:] {
			if !p.d.IsZero() && p.d.Sign() != l.Charged.Sign() {
				bad(p.col, ErrAmountSign, p.d.String())
			}
		}
	}
	l.Cash = l.Charged.Sub(l.VoucherPaid).Sub(l.CardPaid).Sub(l.CouponPaid)
	if !l.Cash.IsZero() && l.Cash.Sign() != l.Charged.Sign() {
		bad("voucher_paid", ErrPaidTooMuch, l.VoucherPaid.Add(l.CardPaid).Add(l.CouponPaid).String())
	}
	if len(rejects) > 0 {
		return nil, rejects
	}
	return l, nil
}

func parsePeriod(v string) (time.Time, bool) {
	for _, layout := range []string{"2006-01", "200601", "2006/01", "2006-1", "2006/1"} {
		if t, err := time.Parse(layout, v); err == nil && t.Year() >= 2000 && t.Year() <= 2100 {
			return t, true
		}
	}
	return time.Time{}, false
}

func parseTime(v string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t.UTC(), true
	}
	for _, layout := range []string{"2006-01-02 15:04:05", "2006/01/02 15:04:05", "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, v, chinaTime); err == nil && t.Year() >= 2000 && t.Year() <= 2100 {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

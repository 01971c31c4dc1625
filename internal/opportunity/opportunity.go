package opportunity

import (
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/money"
)

// States of a PO (§11.1.2.6–8).
const (
	StateDraft     = "draft"         // 草稿
	StateReview    = "in_review"     // 审核中
	StateApproved  = "approved"      // 已通过
	StateFailed    = "review_failed" // 审核不通过 (信息不完整 / 机会点无效): supplement and resubmit
	StateDuplicate = "duplicate"     // 审核不通过 (机会点重复)
	StateWon       = "won"           // 赢单
	StateLost      = "lost"          // 丢单
)

// States lists them in display order.
var States = []string{StateDraft, StateReview, StateApproved, StateFailed, StateDuplicate, StateWon, StateLost}

// Review-failed reasons (§11.1.2.8, verbatim in the catalog).
const (
	ReasonIncomplete = "incomplete" // 【信息不完整】
	ReasonInvalid    = "invalid"    // 【机会点无效】
	ReasonDuplicate  = "duplicate"  // 【机会点重复】
)

// Industries a customer belongs to (inferred list).
var Industries = []string{"government", "finance", "manufacturing", "internet", "education", "healthcare", "retail", "energy",
	"transport", "other"}

// Opportunity is a row of opportunities.
type Opportunity struct {
	ID                 int64
	PartnerID          int64
	No                 string
	Status             string
	CustomerName       string
	CustomerKey        string // the normalised name the duplicate check compares
	CustomerCreditCode string
	Industry           string
	ContactName        string
	ContactPhone       string
	Requirement        string
	Budget             decimal.Decimal
	PurchaseOn         time.Time
	Description        string
	Offerings          string
	Support            string
	Authorized         bool
	PartnerContact     string
	PartnerPhone       string
	ReviewReason       string
	ReviewComment      string
	ApplicationID      *int64
	SubmittedAt        *time.Time
	ValidFrom          *time.Time // the approval: protection starts
	ProtectedUntil     *time.Time // and ends (POProtectionDays later)
	ProtectionWarnedAt *time.Time
	ClosedAt           *time.Time
	CreatedBy          *int64
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// TableName maps Opportunity to opportunities.
func (Opportunity) TableName() string { return "opportunities" }

// Editable reports a PO the partner may still change: a draft, or one
// that failed review for missing or invalid information (§11.1.2.6, 8).
func (o *Opportunity) Editable() bool { return o.Status == StateDraft || o.Status == StateFailed }

// Input is the PO form.
type Input struct {
	CustomerName, CustomerCreditCode, Industry, ContactName, ContactPhone, Requirement, Budget, PurchaseOn,
	Description, Offerings, Support, PartnerContact, PartnerPhone string
	Authorized bool
}

var phonePattern = regexp.MustCompile(`^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$`)

// NormalizeCustomer is the key two customer names are compared by: full
// width to half width, case folded, spaces and punctuation dropped (北京
// （中国）科技 有限公司 = 北京(中国)科技有限公司).
func NormalizeCustomer(name string) string {
	var b strings.Builder
	for _, r := range name {
		if r >= 0xFF01 && r <= 0xFF5E { // full-width ASCII
			r -= 0xFEE0
		}
		if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// text trims a form value and checks it against its limits.
func text(f apperr.Fields, field, v string, max int, required bool) string {
	v = strings.TrimSpace(v)
	switch {
	case required && v == "":
		f.Add(field, "opportunity.err.required")
	case utf8.RuneCountInString(v) > max:
		f.Add(field, "opportunity.err.too_long")
	}
	return v
}

// need is what a PO and an HO both say of the customer and its purchase.
type need struct {
	CustomerName, CustomerKey, CustomerCreditCode, Industry, Requirement string
	Budget                                                               decimal.Decimal
	PurchaseOn                                                           time.Time
}

// parseNeed checks the customer (full name, optional credit code,
// industry), the need, the budget and the purchase within a year from
// today, China date (§11.1.1.2, R1).
func parseNeed(f apperr.Fields, name, code, industry, requirement, budget, purchaseOn string, now time.Time) need {
	n := need{CustomerName: text(f, "customer_name", name, 100, true), Industry: strings.TrimSpace(industry),
		Requirement: text(f, "requirement", requirement, 500, true)}
	n.CustomerKey = NormalizeCustomer(n.CustomerName)
	if code := strings.ToUpper(strings.TrimSpace(code)); code != "" {
		if !partner.ValidCreditCode(code) {
			f.Add("customer_credit_code", "opportunity.err.credit_code")
		}
		n.CustomerCreditCode = code
	}
	if !slices.Contains(Industries, n.Industry) {
		f.Add("industry", "opportunity.err.industry")
	}
	b, err := money.Parse(budget, money.Amount)
	if err != nil {
		f.Add("budget", money.Key(err))
	}
	n.Budget = b
	today := clock.ChinaDate(now)
	on, err := time.Parse(time.DateOnly, strings.TrimSpace(purchaseOn))
	switch {
	case err != nil:
		f.Add("purchase_on", "opportunity.err.date")
	case on.Before(today) || on.After(today.AddDate(1, 0, 0)):
		f.Add("purchase_on", "opportunity.err.within_year")
	}
	n.PurchaseOn = on
	return n
}

// parse validates the form against today (China date): every message is
// a field's; a draft and a submission check the same.
func (in Input) parse(now time.Time) (Opportunity, error) {
	f := apperr.Fields{}
	n := parseNeed(f, in.CustomerName, in.CustomerCreditCode, in.Industry, in.Requirement, in.Budget, in.PurchaseOn, now)
	o := Opportunity{
		CustomerName: n.CustomerName, CustomerKey: n.CustomerKey, CustomerCreditCode: n.CustomerCreditCode, Industry: n.Industry,
		Requirement: n.Requirement, Budget: n.Budget, PurchaseOn: n.PurchaseOn,
		ContactName:    text(f, "contact_name", in.ContactName, 50, true),
		ContactPhone:   strings.ReplaceAll(strings.TrimSpace(in.ContactPhone), " ", ""),
		Description:    text(f, "description", in.Description, 1000, true),
		Offerings:      text(f, "offerings", in.Offerings, 200, false),
		Support:        text(f, "support", in.Support, 500, false),
		PartnerContact: text(f, "partner_contact", in.PartnerContact, 50, true),
		PartnerPhone:   strings.ReplaceAll(strings.TrimSpace(in.PartnerPhone), " ", ""),
		Authorized:     in.Authorized,
	}
	if !phonePattern.MatchString(o.ContactPhone) {
		f.Add("contact_phone", "opportunity.err.phone")
	}
	if !phonePattern.MatchString(o.PartnerPhone) {
		f.Add("partner_phone", "opportunity.err.phone")
	}
	if !in.Authorized {
		f.Add("authorized", "opportunity.err.authorized")
	}
	return o, f.Err()
}

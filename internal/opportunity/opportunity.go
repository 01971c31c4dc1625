package opportunity

import (
	"regexp"
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

// parse validates the form against today (China date): every message is
// a field's; a draft and a submission check the same.
func (in Input) parse(now time.Time) (Opportunity, error) {
	f := apperr.Fields{}
	text := func(field, v string, max int, required bool) string {
		v = strings.TrimSpace(v)
		switch {
		case required && v == "":
			f.Add(field, "opportunity.err.required")
		case utf8.RuneCountInString(v) > max:
			f.Add(field, "opportunity.err.too_long")
		}
		return v
	}
	o := Opportunity{
		CustomerName:   text("customer_name", in.CustomerName, 100, true),
		Industry:       strings.TrimSpace(in.Industry),
		ContactName:    text("contact_name", in.ContactName, 50, true),
		ContactPhone:   strings.ReplaceAll(strings.TrimSpace(in.ContactPhone), " ", ""),
		Requirement:    text("requirement", in.Requirement, 500, true),
		Description:    text("description", in.Description, 1000, true),
		Offerings:      text("offerings", in.Offerings, 200, false),
		Support:        text("support", in.Support, 500, false),
		PartnerContact: text("partner_contact", in.PartnerContact, 50, true),
		PartnerPhone:   strings.ReplaceAll(strings.TrimSpace(in.PartnerPhone), " ", ""),
		Authorized:     in.Authorized,
	}
	o.CustomerKey = NormalizeCustomer(o.CustomerName)
	if code := strings.ToUpper(strings.TrimSpace(in.CustomerCreditCode)); code != "" {
		if !partner.ValidCreditCode(code) {
			f.Add("customer_credit_code", "opportunity.err.credit_code")
		}
		o.CustomerCreditCode = code
	}
	valid := false
	for _, i := range Industries {
		valid = valid || i == o.Industry
	}
	if !valid {
		f.Add("industry", "opportunity.err.industry")
	}
	if !phonePattern.MatchString(o.ContactPhone) {
		f.Add("contact_phone", "opportunity.err.phone")
	}
	if !phonePattern.MatchString(o.PartnerPhone) {
		f.Add("partner_phone", "opportunity.err.phone")
	}
	budget, err := money.Parse(in.Budget, money.Amount)
	if err != nil {
		f.Add("budget", money.Key(err))
	}
	o.Budget = budget
	today := clock.ChinaDate(now)
	on, err := time.Parse(time.DateOnly, strings.TrimSpace(in.PurchaseOn))
	switch {
	case err != nil:
		f.Add("purchase_on", "opportunity.err.date")
	case on.Before(today) || on.After(today.AddDate(1, 0, 0)):
		// An opportunity is a purchase within a year (§11.1.1.2, R1).
		f.Add("purchase_on", "opportunity.err.within_year")
	}
	o.PurchaseOn = on
	if !in.Authorized {
		f.Add("authorized", "opportunity.err.authorized")
	}
	return o, f.Err()
}

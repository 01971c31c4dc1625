package invoice

import (
	"context"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
	"partnercenter/internal/platform/money"
)

// ApplyInput is the 申请开票 form.
type ApplyInput struct {
	Entity    string
	Mode      string   // periods | amount
	Periods   []string // "2025-06", for ModePeriods
	Amount    string   // for ModeAmount
	Type      string   // general | special
	Medium    string   // paper | electronic
	Remark    string
	Recipient string
	Phone     string
	Address   string
}

// RemarkMax is the longest remark printed on an invoice (§12.1.4.11).
const RemarkMax = 100

func (in *ApplyInput) normalize() {
	in.Remark = strings.TrimSpace(in.Remark)
	in.Recipient = strings.TrimSpace(in.Recipient)
	in.Phone = strings.TrimSpace(in.Phone)
	in.Address = strings.TrimSpace(in.Address)
	if in.Medium == MediumElectronic {
		in.Recipient, in.Phone, in.Address = "", "", ""
	}
}

var mailPhoneRe = regexp.MustCompile(`^[0-9+()\- ]{5,30}$`)

func (in ApplyInput) validate(entities []string) apperr.Fields {
	f := apperr.Fields{}
	okEntity := false
	for _, e := range entities {
		if e == in.Entity {
			okEntity = true
		}
	}
	if !okEntity {
		f.Add("entity", "invoice.err.entity")
	}
	if in.Mode != ModePeriods && in.Mode != ModeAmount {
		f.Add("mode", "invoice.err.mode")
	}
	if in.Type != TypeGeneral && in.Type != TypeSpecial {
		f.Add("type", "invoice.err.type")
	}
	switch {
	case in.Medium != MediumPaper && in.Medium != MediumElectronic:
		f.Add("medium", "invoice.err.medium")
	case in.Type == TypeSpecial && in.Medium == MediumElectronic:
		// R24 (§12.1.4.16): special VAT invoices are paper only.
		f.Add("medium", "invoice.err.special_electronic")
	}
	if utf8.RuneCountInString(in.Remark) > RemarkMax {
		f.Add("remark", "invoice.err.remark_long")
	}
	if in.Medium == MediumPaper {
		if n := utf8.RuneCountInString(in.Recipient); n == 0 || n > 50 {
			f.Add("recipient", "invoice.err.recipient")
		}
		if !mailPhoneRe.MatchString(in.Phone) {
			f.Add("phone", "invoice.err.phone")
		}
		if n := utf8.RuneCountInString(in.Address); n < 5 || n > 200 {
			f.Add("address", "invoice.err.mail_address")
		}
	}
	return f
}

// Plan is what an application would claim: the bills and their sum.
type Plan struct {
	Bills  []Bill
	Amount decimal.Decimal
}

// PlanPeriods takes the chosen bills whole (R22: several periods may
// share one invoice, a bill is never split).
func PlanPeriods(available []Bill, periods []string) (*Plan, error) {
	if len(periods) == 0 {
		return nil, apperr.FieldError("periods", "invoice.err.periods_required")
	}
	byKey := map[string]Bill{}
	for _, b := range available {
		byKey[PeriodKey(b.Period)] = b
	}
	seen := map[string]bool{}
	plan := &Plan{}
	for _, k := range periods {
		if seen[k] {
			continue
		}
		seen[k] = true
		b, ok := byKey[k]
		if !ok {
			return nil, fieldArgs("periods", "invoice.err.bill_unknown", map[string]any{"Period": k})
		}
		if b.InvoiceID != nil {
			return nil, fieldArgs("periods", "invoice.err.bill_invoiced", map[string]any{"Period": k, "No": b.InvoiceNo})
		}
		if b.Invoiceable.IsZero() {
			return nil, fieldArgs("periods", "invoice.err.bill_empty", map[string]any{"Period": k})
		}
		plan.Bills = append(plan.Bills, b)
		plan.Amount = plan.Amount.Add(b.Invoiceable)
	}
	if !plan.Amount.IsPositive() {
		return nil, apperr.FieldError("periods", "invoice.err.amount_not_positive")
	}
	return plan, nil
}

// MatchOrder is the order of specified-amount matching (R26,
// §12.1.4.20): bills whose refunds outweigh their consumption first (so
// an amount can never leave a refund behind), then the other bills with
// refunds or adjustments, then the rest from the oldest consumption to
// the newest; within each group oldest period first.
func MatchOrder(available []Bill) []Bill {
	var out []Bill
	for _, b := range available {
		if b.Free() {
			out = append(out, b)
		}
	}
	rank := func(b Bill) int {
		switch {
		case b.Invoiceable.IsNegative(): // a month of net refunds
			return 0
		case b.HasRefund:
			return 1
		}
		return 2
	}
	sort.SliceStable(out, func(i, j int) bool {
		if ri, rj := rank(out[i]), rank(out[j]); ri != rj {
			return ri < rj
		}
		return out[i].Period.Before(out[j].Period)
	})
	return out
}

// PlanAmount matches a specified amount to whole bills in MatchOrder. A
// bill is never split (R22), so the amount must be reached exactly by
// the running sum; otherwise the error names the bill that would have to
// be split and the nearest amounts that need no split.
func PlanAmount(available []Bill, amount decimal.Decimal) (*Plan, error) {
	order := MatchOrder(available)
	total := decimal.Zero
	for _, b := range order {
		total = total.Add(b.Invoiceable)
	}
	if amount.GreaterThan(total) {
		return nil, fieldArgs("amount", "invoice.err.exceeds", map[string]any{"Invoiceable": money.Grouped(total, 2)})
	}
	plan := &Plan{}
	lower := decimal.Zero
	for _, b := range order {
		next := plan.Amount.Add(b.Invoiceable)
		plan.Bills = append(plan.Bills, b)
		plan.Amount = next
		if next.Equal(amount) {
			return plan, nil
		}
		if next.GreaterThan(amount) && lower.LessThan(amount) && b.Invoiceable.IsPositive() {
			return nil, fieldArgs("amount", "invoice.err.would_split", map[string]any{"Period": PeriodKey(b.Period),
				"Lower": money.Grouped(lower, 2), "Higher": money.Grouped(next, 2)})
		}
		if next.LessThan(amount) && next.IsPositive() {
			lower = next
		}
	}
	return nil, fieldArgs("amount", "invoice.err.exceeds", map[string]any{"Invoiceable": money.Grouped(total, 2)})
}

func fieldArgs(field, key string, args map[string]any) *apperr.Error {
	e := apperr.Invalid(key, args)
	// A field message carries no arguments: the form's summary says it in
	// full ("账期 2024-06 …"), the field points at what to change.
	e.Fields[field] = key
	if len(args) > 0 {
		e.Fields[field] = "invoice.err.field." + field
	}
	return e
}

// Apply asks vendor finance for an invoice (申请开票, §12.1.4.5,
// §12.1.4.16–20): by billing periods or by a specified amount, general
// (paper or electronic) or special (paper, complete invoice info), with
// the remark printed on it and, for paper, where to mail it. The tenant's
// applications are serialized on its partner row; the partial unique
// index on invoice_bills is the last guard against a bill on two live
// invoices.
func (s Service) Apply(ctx context.Context, p *access.Principal, in ApplyInput) (_ *Invoice, err error) {
	defer apperr.Wrap(&err, "invoice.Apply")
	partnerID, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	in.normalize()
	entities, _, err := s.Entities(ctx, p)
	if err != nil {
		return nil, err
	}
	f := in.validate(entities)
	var amount decimal.Decimal
	if in.Mode == ModeAmount {
		a, err := money.Parse(in.Amount, money.Amount)
		if err != nil {
			f.Add("amount", money.Key(err))
		}
		amount = a
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	var inv Invoice
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		if err := lockPartner(ctx, tx, partnerID); err != nil {
			return err
		}
		info, err := currentInfo(ctx, tx, partnerID, false)
		if err != nil {
			return err
		}
		if info == nil {
			return apperr.Invalid("invoice.err.no_info")
		}
		if in.Type == TypeSpecial && !info.Complete() {
			return fieldArgs("type", "invoice.err.info_incomplete", nil)
		}
		available, err := bills(ctx, tx, partnerID, in.Entity)
		if err != nil {
			return err
		}
		var plan *Plan
		if in.Mode == ModePeriods {
			plan, err = PlanPeriods(available, in.Periods)
		} else {
			plan, err = PlanAmount(available, amount)
		}
		if err != nil {
			return err
		}
		now := s.Clock.Now().UTC()
		inv = Invoice{PartnerID: partnerID, SigningEntity: in.Entity, ApplyMode: in.Mode, InvoiceType: in.Type,
			Medium: in.Medium, Amount: plan.Amount, TaxRate: TaxRate, TaxAmount: Tax(plan.Amount), Content: Content,
			Postage: Postage(in.Medium, plan.Amount), Title: info.Title, TaxpayerID: info.TaxpayerID, BankName: info.BankName,
			BankAccount: info.BankAccount, RegAddress: info.Address, RegPhone: info.Phone, Remark: in.Remark,
			MailRecipient: in.Recipient, MailPhone: in.Phone, MailAddress: in.Address, State: StateApplied,
			AppliedBy: nullID(p.UserID), AppliedAt: now}
		if err := tx.Omit("PartnerName", "HasDocument").Create(&inv).Error; err != nil {
			return err
		}
		if err := tx.Raw(`SELECT no FROM invoices WHERE id = ?`, inv.ID).Scan(&inv.No).Error; err != nil {
			return err
		}
		periods := make([]string, 0, len(plan.Bills))
		for _, b := range plan.Bills {
			if err := tx.Exec(`INSERT INTO invoice_bills (invoice_id, partner_id, signing_entity, billing_period, amount)
				VALUES (?, ?, ?, ?, ?)`, inv.ID, partnerID, in.Entity, b.Period, b.Invoiceable).Error; err != nil {
				if _, dup := db.IsUniqueViolation(err); dup {
					return fieldArgs("periods", "invoice.err.bill_invoiced", map[string]any{"Period": PeriodKey(b.Period), "No": ""})
				}
				return err
			}
			periods = append(periods, PeriodKey(b.Period))
		}
		return audit.Record(ctx, tx, audit.Change{PartnerID: partnerID, Action: "invoice.apply", ObjectType: "invoice",
			ObjectID: inv.ID, After: map[string]any{"no": inv.No, "entity": in.Entity, "mode": in.Mode, "periods": periods,
				"type": in.Type, "medium": in.Medium, "amount": inv.Amount, "tax": inv.TaxAmount, "postage": inv.Postage,
				"title": inv.Title, "remark": inv.Remark}})
	})
	if err != nil {
		return nil, err
	}
	return &inv, nil
}

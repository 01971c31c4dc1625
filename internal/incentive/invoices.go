package incentive

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/bizinfo"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
	"partnercenter/internal/platform/money"
)

// The partner's invoices for an application (§12.1.5.16–19, §12.1.5.27,
// §12.1.5.31–32, §12.1.5.38–40, R32, R35, R40–R41): the partner enters
// each invoice it issued for a 待开票 application (number, amount, rate,
// type, content) on 申请记录; several invoices per application, never one
// invoice for several (the number is unique). Vendor finance's 登记收票
// verifies them: every rate must be the partner's taxpayer rate (else the
// application is rejected with §12.1.5.39's reason and the partner has its
// taxpayer type changed first) and they must add up to the invoice amount.

// RateMismatchReason is vendor finance's reason when the invoices' rate
// is not the partner's taxpayer type (§12.1.5.39).
const RateMismatchReason = "发票税率与纳税人身份不一致，发票无法使用。请前往伙伴中心变更商业信息纳税人身份，变更成功后税率随之变更，再提交激励发放申请。"

// PartnerInvoice is an invoice the partner issued to the vendor for one
// application.
type PartnerInvoice struct {
	ID            int64
	ApplicationID int64
	PartnerID     int64
	InvoiceNo     string
	Amount        decimal.Decimal
	TaxRate       int // percent: 6 general taxpayer, 3 small-scale
	Type          string
	Content       string
	EnteredBy     *int64
	EnteredAt     time.Time
}

// TableName maps PartnerInvoice to incentive_invoices.
func (PartnerInvoice) TableName() string { return "incentive_invoices" }

// InvoiceInput is the 录入发票 form of an application.
type InvoiceInput struct {
	No, Amount, Rate, Type, Content string
}

var invoiceNoPattern = regexp.MustCompile(`^[0-9A-Za-z]{8,20}$`)

// TaxRate is the invoice rate in percent a taxpayer type invoices at.
func TaxRate(taxpayer string) int {
	return int(ServiceFeeRate(taxpayer).Mul(decimal.NewFromInt(100)).IntPart())
}

func (in *InvoiceInput) parse() (PartnerInvoice, error) {
	f := apperr.Fields{}
	inv := PartnerInvoice{InvoiceNo: strings.ToUpper(strings.TrimSpace(in.No)), Type: in.Type, Content: in.Content}
	if !invoiceNoPattern.MatchString(inv.InvoiceNo) {
		f.Add("invoice_no", "incentive.err.invoice_no")
	}
	amount, err := money.Parse(in.Amount, money.Amount)
	if err != nil {
		f.Add("amount", money.Key(err))
	}
	inv.Amount = amount
	rate, err := strconv.Atoi(in.Rate)
	if err != nil || (rate != 3 && rate != 6) {
		f.Add("tax_rate", "incentive.err.invoice_rate_choice")
	}
	inv.TaxRate = rate
	if !slices.Contains(InvoiceTypes, in.Type) {
		f.Add("type", "incentive.err.invoice_type")
	}
	if !slices.Contains(InvoiceContents, in.Content) {
		f.Add("content", "incentive.err.invoice_content")
	}
	return inv, f.Err()
}

// AddInvoice records an invoice the partner issued for its 待开票
// application. The invoices may not add up to more than the invoice amount.
func (s Service) AddInvoice(ctx context.Context, p *access.Principal, appID int64, in InvoiceInput) (err error) {
	defer apperr.Wrap(&err, "incentive.AddInvoice(%d)", appID)
	pid, err := tenantOf(p)
	if err != nil {
		return err
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		app, err := s.lockApp(ctx, tx, appID, pid)
		if err != nil {
			return err
		}
		if !app.NeedsInvoice {
			return apperr.NotFound()
		}
		inv, err := in.parse()
		if err != nil {
			return err
		}
		if app.Status != AppAwaitingInvoice {
			return apperr.Conflict("incentive.err.app_state")
		}
		var used int64
		if err := tx.WithContext(ctx).Model(&PartnerInvoice{}).Where("invoice_no = ?", inv.InvoiceNo).Count(&used).Error; err != nil {
			return err
		}
		if used > 0 {
			return apperr.FieldError("invoice_no", "incentive.err.invoice_reused")
		}
		_, taxpayer, err := taxpayerOf(ctx, tx, pid)
		if err != nil {
			return err
		}
		var entered decimal.Decimal
		if err := tx.WithContext(ctx).Raw(`SELECT coalesce(sum(amount), 0) FROM incentive_invoices WHERE application_id = ?`, appID).
			Scan(&entered).Error; err != nil {
			return err
		}
		due := InvoiceAmount(app.Total, taxpayer)
		if entered.Add(inv.Amount).GreaterThan(due) {
			return apperr.Conflict("incentive.err.invoice_over", map[string]any{"Left": money.Grouped(due.Sub(entered), 2)})
		}
		now := s.now()
		inv.ApplicationID, inv.PartnerID, inv.EnteredBy, inv.EnteredAt = appID, pid, &p.UserID, now
		if err := tx.WithContext(ctx).Create(&inv).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pid, Action: "incentive.invoice_added", ObjectType: "payment_application",
			ObjectID: appID, After: map[string]any{"invoice_no": inv.InvoiceNo, "amount": inv.Amount.StringFixed(2), "tax_rate": inv.TaxRate,
				"invoice_type": inv.Type, "content": inv.Content}})
	})
}

// RemoveInvoice deletes an invoice entered by mistake while the
// application still waits for its invoices.
func (s Service) RemoveInvoice(ctx context.Context, p *access.Principal, appID, invoiceID int64) (err error) {
	defer apperr.Wrap(&err, "incentive.RemoveInvoice(%d, %d)", appID, invoiceID)
	pid, err := tenantOf(p)
	if err != nil {
		return err
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		app, err := s.lockApp(ctx, tx, appID, pid)
		if err != nil {
			return err
		}
		if app.Status != AppAwaitingInvoice {
			return apperr.Conflict("incentive.err.app_state")
		}
		var inv PartnerInvoice
		if err := tx.WithContext(ctx).Where("id = ? AND application_id = ?", invoiceID, appID).First(&inv).Error; err != nil {
			if db.IsNotFound(err) {
				return apperr.NotFound()
			}
			return err
		}
		if err := tx.WithContext(ctx).Delete(&inv).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: s.now(), PartnerID: pid, Action: "incentive.invoice_removed", ObjectType: "payment_application",
			ObjectID: appID, Before: map[string]any{"invoice_no": inv.InvoiceNo, "amount": inv.Amount.StringFixed(2)}})
	})
}

// Invoices are the partner invoices of the given applications (read after
// the applications themselves were read within the actor's scope).
func (s Service) Invoices(ctx context.Context, appIDs []int64) (map[int64][]PartnerInvoice, error) {
	out := map[int64][]PartnerInvoice{}
	if len(appIDs) == 0 {
		return out, nil
	}
	var rows []PartnerInvoice
	if err := s.DB.WithContext(ctx).Where("application_id IN ?", appIDs).Order("id").Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.ApplicationID] = append(out[r.ApplicationID], r)
	}
	return out, nil
}

// TaxpayerType is the actor's tenant's certified taxpayer type ("" before
// certification): the invoice amount of its applications depends on it.
func (s Service) TaxpayerType(ctx context.Context, p *access.Principal) (_ string, err error) {
	defer apperr.Wrap(&err, "incentive.TaxpayerType")
	pid, err := tenantOf(p)
	if err != nil {
		return "", err
	}
	_, t, err := taxpayerOf(ctx, s.DB, pid)
	return t, err
}

// taxpayerOf is a partner's certified taxpayer type.
func taxpayerOf(ctx context.Context, g *gorm.DB, pid int64) (bool, string, error) {
	ok, info, err := bizinfo.Certified(ctx, g, pid)
	if err != nil || !ok || info == nil {
		return false, "", err
	}
	return true, info.TaxpayerType, nil
}

// ReceiveInvoice is vendor finance's 登记收票 of a 待开票 application: it
// verifies the partner's invoices — at least one, each at the partner's
// taxpayer rate (§12.1.5.39: else reject the application with
// RateMismatchReason), adding up to the invoice amount (§12.1.5.16) —
// and starts the 15-day promise (R36).
func (s Service) ReceiveInvoice(ctx context.Context, p *access.Principal, id int64) (err error) {
	defer apperr.Wrap(&err, "incentive.ReceiveInvoice(%d)", id)
	if _, err := p.Staff(); err != nil {
		return err
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		app, err := s.lockApp(ctx, tx, id, 0)
		if err != nil {
			return err
		}
		if app.Status != AppAwaitingInvoice {
			return apperr.Conflict("incentive.err.app_state")
		}
		invs, err := s.Invoices(ctx, []int64{id})
		if err != nil {
			return err
		}
		if len(invs[id]) == 0 {
			return apperr.Conflict("incentive.err.no_invoices")
		}
		_, taxpayer, err := taxpayerOf(ctx, tx, app.PartnerID)
		if err != nil {
			return err
		}
		rate := TaxRate(taxpayer)
		sum := decimal.Zero
		nos := make([]string, 0, len(invs[id]))
		for _, inv := range invs[id] {
			if inv.TaxRate != rate {
				return apperr.Conflict("incentive.err.invoice_rate", map[string]any{"No": inv.InvoiceNo, "Rate": inv.TaxRate, "Want": rate})
			}
			sum = sum.Add(inv.Amount)
			nos = append(nos, inv.InvoiceNo)
		}
		if due := InvoiceAmount(app.Total, taxpayer); !sum.Equal(due) {
			return apperr.Conflict("incentive.err.invoice_sum", map[string]any{"Sum": money.Grouped(sum, 2), "Due": money.Grouped(due, 2)})
		}
		joined := strings.Join(nos, ", ")
		now := s.now()
		if err := tx.WithContext(ctx).Model(&Application{}).Where("id = ?", id).
			Updates(map[string]any{"status": AppInvoiceReceived, "invoice_nos": joined, "invoice_at": now}).Error; err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Change{At: now, PartnerID: app.PartnerID, Action: "incentive.invoice_received",
			ObjectType: "payment_application", ObjectID: id, Before: map[string]any{"status": app.Status},
			After: map[string]any{"status": AppInvoiceReceived, "invoice_nos": joined}}); err != nil {
			return err
		}
		if err := appEvent(ctx, tx, app, AppInvoiceReceived, now); err != nil {
			return err
		}
		return s.announce(ctx, tx, app, "incentive.msg.invoice.subject", "incentive.msg.invoice.body",
			map[string]any{"Date": now.AddDate(0, 0, PaymentDays).In(clock.China).Format(time.DateOnly)})
	})
}

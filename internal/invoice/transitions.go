package invoice

import (
	"time"

	"context"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/events"
	"partnercenter/internal/identity"
	"partnercenter/internal/notify"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
	"partnercenter/internal/platform/money"
)

// ReturnRemarkMax is the longest 退票 remark ("n/128", §12.1.9.4).
const ReturnRemarkMax = 128

// ReturnInput is the 退票 form (§12.1.9.4): reason, courier company,
// tracking number and remark, all required.
type ReturnInput struct {
	Reason     string
	Courier    string
	TrackingNo string
	Remark     string
}

var trackingRe = regexp.MustCompile(`^[0-9A-Za-z\-]{4,50}$`)

func (in *ReturnInput) normalize() {
	in.Reason = strings.TrimSpace(in.Reason)
	in.Courier = strings.TrimSpace(in.Courier)
	in.TrackingNo = strings.TrimSpace(in.TrackingNo)
	in.Remark = strings.TrimSpace(in.Remark)
}

func (in ReturnInput) validate() error {
	f := apperr.Fields{}
	if n := utf8.RuneCountInString(in.Reason); n == 0 || n > 100 {
		f.Add("reason", "invoice.err.return_reason")
	}
	if n := utf8.RuneCountInString(in.Courier); n == 0 || n > 50 {
		f.Add("courier", "invoice.err.courier")
	}
	if !trackingRe.MatchString(in.TrackingNo) {
		f.Add("tracking_no", "invoice.err.tracking_no")
	}
	switch n := utf8.RuneCountInString(in.Remark); {
	case n == 0:
		f.Add("remark", "invoice.err.return_remark_required")
	case n > ReturnRemarkMax:
		f.Add("remark", "invoice.err.return_remark_long")
	}
	return f.Err()
}

// RequestReturn is the partner's 退票 of an issued or mailed invoice. Once
// submitted it cannot be withdrawn (§12.1.9.4): there is no way back from
// 退票中 but vendor finance accepting the return.
func (s Service) RequestReturn(ctx context.Context, p *access.Principal, id int64, in ReturnInput) (err error) {
	defer apperr.Wrap(&err, "invoice.RequestReturn(%d)", id)
	partnerID, err := p.Tenant()
	if err != nil {
		return err
	}
	in.normalize()
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		inv, err := lockInvoice(ctx, tx, id, partnerID)
		if err != nil {
			return err
		}
		if !inv.Returnable() {
			return apperr.Conflict("invoice.err.not_returnable")
		}
		if err := in.validate(); err != nil {
			return err
		}
		now := s.Clock.Now().UTC()
		if err := tx.Model(&Invoice{}).Where("id = ? AND state = ?", inv.ID, inv.State).Updates(map[string]any{
			"state": StateReturnedRequested, "return_reason": in.Reason, "return_courier": in.Courier,
			"return_tracking_no": in.TrackingNo, "return_remark": in.Remark, "return_requested_by": nullID(p.UserID),
			"return_requested_at": now}).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{PartnerID: inv.PartnerID, Action: "invoice.return.request", ObjectType: "invoice",
			ObjectID: inv.ID, Before: map[string]any{"state": inv.State}, After: map[string]any{"state": StateReturnedRequested,
				"reason": in.Reason, "courier": in.Courier, "tracking_no": in.TrackingNo, "remark": in.Remark}})
	})
}

// Desk is vendor finance's side: the queue of applications of every
// partner, issuing, mailing and accepting returns (发票开具). Every method
// takes the acting vendor staff member first; anyone else is refused
// (access.Principal.Staff).
type Desk struct {
	Service
}

// Queue lists invoices of every partner: applications and returns to
// handle first, then the newest.
func (d Desk) Queue(ctx context.Context, p *access.Principal, f Filter) (_ *List, err error) {
	defer apperr.Wrap(&err, "invoice.Queue")
	if _, err := p.Staff(); err != nil {
		return nil, err
	}
	f.paging()
	q := func() *gorm.DB {
		return applyFilter(d.DB.WithContext(ctx).Table("invoices i").Joins("JOIN partners p ON p.id = i.partner_id"), f)
	}
	out := &List{Page: f.Page, Per: f.Per}
	if err := q().Count(&out.Total).Error; err != nil {
		return nil, err
	}
	err = q().Select(listColumns).Order(f.order("i.state IN ('applied', 'returned_requested') DESC, ")).
		Limit(f.Per).Offset((f.Page - 1) * f.Per).Scan(&out.Rows).Error
	return out, err
}

// Get returns any partner's invoice.
func (d Desk) Get(ctx context.Context, p *access.Principal, id int64) (_ *Invoice, _ []BillLine, err error) {
	defer apperr.Wrap(&err, "invoice.Get(%d)", id)
	if _, err := p.Staff(); err != nil {
		return nil, nil, err
	}
	return get(ctx, d.DB, id, 0)
}

// Document returns any issued e-invoice.
func (d Desk) Document(ctx context.Context, p *access.Principal, id int64) (_ *Document, err error) {
	defer apperr.Wrap(&err, "invoice.Document(%d)", id)
	if _, err := p.Staff(); err != nil {
		return nil, err
	}
	return document(ctx, d.DB, id, 0)
}

var invoiceNumberRe = regexp.MustCompile(`^[0-9]{8,20}$`)

// Issue records that vendor finance issued an applied invoice under
// number (empty: the next number is generated). An electronic invoice
// gets its PDF, which the partner then downloads (§12.1.4.16).
func (d Desk) Issue(ctx context.Context, p *access.Principal, id int64, number string) (err error) {
	defer apperr.Wrap(&err, "invoice.Issue(%d)", id)
	actorUserID, err := p.Staff()
	if err != nil {
		return err
	}
	number = strings.TrimSpace(number)
	if number != "" && !invoiceNumberRe.MatchString(number) {
		return apperr.FieldError("number", "invoice.err.number")
	}
	return db.WithTx(ctx, d.DB, func(tx *gorm.DB) error {
		inv, err := lockInvoice(ctx, tx, id, 0)
		if err != nil {
			return err
		}
		if inv.State != StateApplied {
			return apperr.Conflict("invoice.err.state_changed")
		}
		if number == "" {
			var n int64
			if err := tx.Raw(`SELECT nextval('invoice_number_seq')`).Scan(&n).Error; err != nil {
				return err
			}
			number = fmt.Sprintf("%s%012d", d.Clock.Now().In(clock.China).Format("06")+"44", n)
		}
		now := d.Clock.Now().UTC()
		if err := tx.Model(&Invoice{}).Where("id = ? AND state = ?", inv.ID, StateApplied).Updates(map[string]any{
			"state": StateIssued, "invoice_number": number, "issued_by": nullID(actorUserID), "issued_at": now}).Error; err != nil {
			if _, dup := db.IsUniqueViolation(err); dup {
				return apperr.FieldError("number", "invoice.err.number_taken")
			}
			return err
		}
		inv.State, inv.InvoiceNumber, inv.IssuedAt = StateIssued, &number, &now
		if inv.Medium == MediumElectronic {
			content, err := renderPDF(inv, partnerName(ctx, tx, inv.PartnerID))
			if err != nil {
				return err
			}
			if err := tx.Exec(`INSERT INTO invoice_documents (invoice_id, partner_id, file_name, content_type, content)
				VALUES (?, ?, ?, 'application/pdf', ?)`, inv.ID, inv.PartnerID, "einvoice-"+number+".pdf", content).Error; err != nil {
				return err
			}
		}
		if err := audit.Record(ctx, tx, audit.Change{PartnerID: inv.PartnerID, Action: "invoice.issue", ObjectType: "invoice",
			ObjectID: inv.ID, Before: map[string]any{"state": StateApplied},
			After: map[string]any{"state": StateIssued, "invoice_number": number, "medium": inv.Medium}}); err != nil {
			return err
		}
		if err := invoiceEvent(ctx, tx, inv, EventIssued, now, map[string]any{"invoice_number": number}); err != nil {
			return err
		}
		return notifyMain(ctx, tx, inv, "invoice.msg.issued.subject")
	})
}

// Mail records that a paper invoice was sent (courier and tracking).
func (d Desk) Mail(ctx context.Context, p *access.Principal, id int64, courier, tracking string) (err error) {
	defer apperr.Wrap(&err, "invoice.Mail(%d)", id)
	actorUserID, err := p.Staff()
	if err != nil {
		return err
	}
	courier, tracking = strings.TrimSpace(courier), strings.TrimSpace(tracking)
	f := apperr.Fields{}
	if n := utf8.RuneCountInString(courier); n == 0 || n > 50 {
		f.Add("courier", "invoice.err.courier")
	}
	if !trackingRe.MatchString(tracking) {
		f.Add("tracking_no", "invoice.err.tracking_no")
	}
	if err := f.Err(); err != nil {
		return err
	}
	return db.WithTx(ctx, d.DB, func(tx *gorm.DB) error {
		inv, err := lockInvoice(ctx, tx, id, 0)
		if err != nil {
			return err
		}
		if inv.State != StateIssued || inv.Medium != MediumPaper {
			return apperr.Conflict("invoice.err.state_changed")
		}
		now := d.Clock.Now().UTC()
		if err := tx.Model(&Invoice{}).Where("id = ? AND state = ?", inv.ID, StateIssued).Updates(map[string]any{
			"state": StateMailed, "courier": courier, "tracking_no": tracking, "mailed_by": nullID(actorUserID), "mailed_at": now}).Error; err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Change{PartnerID: inv.PartnerID, Action: "invoice.mail", ObjectType: "invoice",
			ObjectID: inv.ID, Before: map[string]any{"state": StateIssued},
			After: map[string]any{"state": StateMailed, "courier": courier, "tracking_no": tracking}}); err != nil {
			return err
		}
		if err := invoiceEvent(ctx, tx, inv, EventMailed, now, map[string]any{"courier": courier, "tracking_no": tracking}); err != nil {
			return err
		}
		return notifyMain(ctx, tx, inv, "invoice.msg.mailed.subject")
	})
}

// AcceptReturn completes a 退票: the invoice is 已退票 and its bills are
// free for a new application (R22).
func (d Desk) AcceptReturn(ctx context.Context, p *access.Principal, id int64) (err error) {
	defer apperr.Wrap(&err, "invoice.AcceptReturn(%d)", id)
	actorUserID, err := p.Staff()
	if err != nil {
		return err
	}
	return db.WithTx(ctx, d.DB, func(tx *gorm.DB) error {
		inv, err := lockInvoice(ctx, tx, id, 0)
		if err != nil {
			return err
		}
		if inv.State != StateReturnedRequested {
			return apperr.Conflict("invoice.err.state_changed")
		}
		now := d.Clock.Now().UTC()
		if err := tx.Model(&Invoice{}).Where("id = ? AND state = ?", inv.ID, StateReturnedRequested).Updates(map[string]any{
			"state": StateReturned, "returned_by": nullID(actorUserID), "returned_at": now}).Error; err != nil {
			return err
		}
		res := tx.Exec(`UPDATE invoice_bills SET active = false WHERE invoice_id = ? AND active`, inv.ID)
		if res.Error != nil {
			return res.Error
		}
		if err := audit.Record(ctx, tx, audit.Change{PartnerID: inv.PartnerID, Action: "invoice.return.accept", ObjectType: "invoice",
			ObjectID: inv.ID, Before: map[string]any{"state": StateReturnedRequested},
			After: map[string]any{"state": StateReturned, "bills_released": res.RowsAffected}}); err != nil {
			return err
		}
		if err := invoiceEvent(ctx, tx, inv, EventReturned, now, nil); err != nil {
			return err
		}
		return notifyMain(ctx, tx, inv, "invoice.msg.returned.subject")
	})
}

func partnerName(ctx context.Context, tx *gorm.DB, partnerID int64) string {
	name, _ := partner.Store{DB: tx}.Name(ctx, partnerID)
	return name
}

// notifyMain tells the partner's main account in its message center.
func notifyMain(ctx context.Context, tx *gorm.DB, inv *Invoice, subject string) error {
	mainID, err := identity.Users{DB: tx}.MainAccountID(ctx, inv.PartnerID)
	if err != nil {
		return err
	}
	if mainID == 0 {
		return nil
	}
	return notify.Send(ctx, tx, notify.Note{To: mainID, Partner: inv.PartnerID, Subject: subject, Body: strings.Replace(subject, ".subject", ".body", 1),
		Params: map[string]any{"No": inv.No, "Amount": money.Grouped(inv.Amount, 2), "Number": inv.Number()},
		Link:   fmt.Sprintf("/billing/invoices/%d", inv.ID)})
}

// Event types of invoices (build-plan 5.F).
const (
	EventIssued   = "invoice.issued"
	EventMailed   = "invoice.mailed"
	EventReturned = "invoice.returned"
)

// invoiceEvent records an invoice's event with its number and amount.
func invoiceEvent(ctx context.Context, tx *gorm.DB, inv *Invoice, typ string, at time.Time, extra map[string]any) error {
	data := map[string]any{"invoice_id": inv.ID, "no": inv.No, "amount": inv.Amount.StringFixed(2)}
	for k, v := range extra {
		data[k] = v
	}
	return events.Record(ctx, tx, inv.PartnerID, typ, at, data)
}

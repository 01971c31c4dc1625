package invoice

import (
	"context"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/access"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
)

// Invoice states (§12.1.4.16, §12.1.9.4).
const (
	StateApplied           = "applied"            // 已申请
	StateIssued            = "issued"             // 已开票 (e-invoice downloadable)
	StateMailed            = "mailed"             // 已邮寄 (paper)
	StateReturnedRequested = "returned_requested" // 退票中
	StateReturned          = "returned"           // 已退票
)

// States in display order.
var States = []string{StateApplied, StateIssued, StateMailed, StateReturnedRequested, StateReturned}

// Types and media (§12.1.4.6, §12.1.4.16, R24).
const (
	TypeGeneral      = "general" // 增值税普通发票
	TypeSpecial      = "special" // 增值税专用发票
	MediumPaper      = "paper"
	MediumElectronic = "electronic"
	ModePeriods      = "periods"
	ModeAmount       = "amount"
)

// Postage (R23, §12.1.4.13).
const (
	PostageCollect = "collect" // 到付: the applicant pays
	PostageVendor  = "vendor"  // the vendor pays
	PostageNone    = "none"    // electronic: nothing is mailed
)

// Content is what every invoice says it is for (R20, §12.1.4.2).
const Content = "云服务费"

// TaxRate is Huawei Cloud's invoice tax rate (R20, §12.1.4.1).
var TaxRate = decimal.RequireFromString("0.06")

// PostageThreshold: below it a paper invoice goes freight collect (R23).
var PostageThreshold = decimal.NewFromInt(100)

// Tax is the VAT contained in a tax-inclusive amount at 6%:
// amount × 6 / 106, rounded half-up to the fen (R20). The schema checks
// the same formula (round(amount * 6 / 106, 2)).
func Tax(amount decimal.Decimal) decimal.Decimal {
	return amount.Mul(decimal.NewFromInt(6)).DivRound(decimal.NewFromInt(106), 2)
}

// Postage says who pays for mailing an invoice of amount (R23).
func Postage(medium string, amount decimal.Decimal) string {
	switch {
	case medium == MediumElectronic:
		return PostageNone
	case amount.LessThan(PostageThreshold):
		return PostageCollect
	}
	return PostageVendor
}

// Invoice is a row of invoices.
type Invoice struct {
	ID                int64
	PartnerID         int64
	No                string `gorm:"->"`
	SigningEntity     string
	ApplyMode         string
	InvoiceType       string
	Medium            string
	Amount            decimal.Decimal
	TaxRate           decimal.Decimal
	TaxAmount         decimal.Decimal
	Content           string
	Postage           string
	Title             string
	TaxpayerID        string
	BankName          string
	BankAccount       string
	RegAddress        string
	RegPhone          string
	Remark            string
	MailRecipient     string
	MailPhone         string
	MailAddress       string
	State             string
	AppliedBy         *int64
	AppliedAt         time.Time
	InvoiceNumber     *string
	IssuedBy          *int64
	IssuedAt          *time.Time
	Courier           string
	TrackingNo        string
	MailedBy          *int64
	MailedAt          *time.Time
	ReturnReason      string
	ReturnCourier     string
	ReturnTrackingNo  string
	ReturnRemark      string
	ReturnRequestedBy *int64
	ReturnRequestedAt *time.Time
	ReturnedBy        *int64
	ReturnedAt        *time.Time

	PartnerName string `gorm:"->;-:migration"`
	HasDocument bool   `gorm:"->;-:migration"`
}

// TableName maps Invoice to invoices.
func (Invoice) TableName() string { return "invoices" }

// Number is the issued invoice number ("" before issuing).
func (i Invoice) Number() string {
	if i.InvoiceNumber == nil {
		return ""
	}
	return *i.InvoiceNumber
}

// Downloadable: an issued electronic invoice has its PDF (§12.1.4.16).
func (i Invoice) Downloadable() bool {
	return i.Medium == MediumElectronic && i.HasDocument &&
		(i.State == StateIssued || i.State == StateReturnedRequested)
}

// Returnable: an issued or mailed invoice may be returned (退票).
func (i Invoice) Returnable() bool { return i.State == StateIssued || i.State == StateMailed }

// Net is the amount without tax.
func (i Invoice) Net() decimal.Decimal { return i.Amount.Sub(i.TaxAmount) }

// BillLine is one bill an invoice covers.
type BillLine struct {
	BillingPeriod time.Time
	Amount        decimal.Decimal
	Active        bool
}

// Filter narrows the invoice list.
type Filter struct {
	Entity string
	// Merged are the entities shown in Entity's tab (Tabs, §12.1.4.21).
	Merged []string
	State  string
	Type   string // general | special | electronic
	Period string // "2025-06": invoices covering that billing period
	// Sort is one of SortFields ("": newest application first); Desc
	// reverses it.
	Sort string
	Desc bool
	Page int
	Per  int // 1–100; 0: PerPage
}

// PerPage is the list's default page size.
const PerPage = 20

// SortFields are the sortable columns of the invoice lists.
var SortFields = map[string]string{"applied": "i.applied_at", "amount": "i.amount"}

// order is the list's ORDER BY after first (the vendor's queue puts
// what waits first), and paging normalises page and size.
func (f *Filter) order(first string) string {
	col, ok := SortFields[f.Sort]
	if !ok {
		col, f.Sort, f.Desc = SortFields["applied"], "", true
	}
	dir := " ASC"
	if f.Desc {
		dir = " DESC"
	}
	return first + col + dir + ", i.id" + dir
}

func (f *Filter) paging() {
	if f.Page <= 0 {
		f.Page = 1
	}
	if f.Per <= 0 || f.Per > 100 {
		f.Per = PerPage
	}
}

// List is one page of invoices.
type List struct {
	Rows  []Invoice
	Total int64
	Page  int
	Per   int
}

func applyFilter(g *gorm.DB, f Filter) *gorm.DB {
	if ValidEntity(f.Entity) {
		g = g.Where("i.signing_entity IN ?", append([]string{f.Entity}, f.Merged...))
	}
	for _, s := range States {
		if f.State == s {
			g = g.Where("i.state = ?", s)
		}
	}
	switch f.Type {
	case TypeGeneral, TypeSpecial:
		g = g.Where("i.invoice_type = ?", f.Type)
	case MediumElectronic:
		g = g.Where("i.medium = ?", MediumElectronic)
	}
	if p, ok := ParsePeriod(f.Period); ok {
		g = g.Where("EXISTS (SELECT 1 FROM invoice_bills b WHERE b.invoice_id = i.id AND b.billing_period = ?)", p)
	}
	return g
}

const listColumns = "i.*, p.name AS partner_name, EXISTS (SELECT 1 FROM invoice_documents d WHERE d.invoice_id = i.id) AS has_document"

// List returns the tenant's invoices, newest first.
func (s Service) List(ctx context.Context, p *access.Principal, f Filter) (_ *List, err error) {
	defer apperr.Wrap(&err, "invoice.List")
	partnerID, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	f.paging()
	q := func() *gorm.DB {
		return applyFilter(s.DB.WithContext(ctx).Table("invoices i").Joins("JOIN partners p ON p.id = i.partner_id").
			Where("i.partner_id = ?", partnerID), f)
	}
	out := &List{Page: f.Page, Per: f.Per}
	if err := q().Count(&out.Total).Error; err != nil {
		return nil, err
	}
	err = q().Select(listColumns).Order(f.order("")).
		Limit(f.Per).Offset((f.Page - 1) * f.Per).Scan(&out.Rows).Error
	return out, err
}

// AppliedByEntity counts the tenant's invoice applications not yet issued
// (已申请) by signing entity, in one read (the home page's to-do).
func (s Service) AppliedByEntity(ctx context.Context, p *access.Principal) (_ map[string]int64, err error) {
	defer apperr.Wrap(&err, "invoice.AppliedByEntity")
	partnerID, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	var rows []struct {
		Entity string
		N      int64
	}
	if err := s.DB.WithContext(ctx).Table("invoices").Select("signing_entity AS entity, count(*) AS n").
		Where("partner_id = ? AND state = ?", partnerID, StateApplied).Group("signing_entity").Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := map[string]int64{}
	for _, r := range rows {
		out[r.Entity] = r.N
	}
	return out, nil
}

// Get returns one of the tenant's invoices with its bills; another
// tenant's invoice is not found.
func (s Service) Get(ctx context.Context, p *access.Principal, id int64) (_ *Invoice, _ []BillLine, err error) {
	defer apperr.Wrap(&err, "invoice.Get(%d)", id)
	partnerID, err := p.Tenant()
	if err != nil {
		return nil, nil, err
	}
	return get(ctx, s.DB, id, partnerID)
}

func get(ctx context.Context, g *gorm.DB, id, partnerID int64) (*Invoice, []BillLine, error) {
	q := g.WithContext(ctx).Table("invoices i").Joins("JOIN partners p ON p.id = i.partner_id").Where("i.id = ?", id)
	if partnerID != 0 {
		q = q.Where("i.partner_id = ?", partnerID)
	}
	var rows []Invoice
	if err := q.Select(listColumns).Limit(1).Scan(&rows).Error; err != nil {
		return nil, nil, err
	}
	if len(rows) == 0 {
		return nil, nil, apperr.NotFound()
	}
	var lines []BillLine
	if err := g.WithContext(ctx).Raw(`SELECT billing_period, amount, active FROM invoice_bills WHERE invoice_id = ?
		ORDER BY billing_period`, id).Scan(&lines).Error; err != nil {
		return nil, nil, err
	}
	return &rows[0], lines, nil
}

// Document is an e-invoice file.
type Document struct {
	FileName    string
	ContentType string
	Content     []byte
}

// Document returns the tenant's e-invoice PDF, downloadable once issued
// (§12.1.4.16).
func (s Service) Document(ctx context.Context, p *access.Principal, id int64) (_ *Document, err error) {
	defer apperr.Wrap(&err, "invoice.Document(%d)", id)
	partnerID, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	return document(ctx, s.DB, id, partnerID)
}

func document(ctx context.Context, g *gorm.DB, id, partnerID int64) (*Document, error) {
	inv, _, err := get(ctx, g, id, partnerID)
	if err != nil {
		return nil, err
	}
	if !inv.Downloadable() && !(partnerID == 0 && inv.HasDocument) {
		return nil, apperr.NotFound()
	}
	var d Document
	err = g.WithContext(ctx).Raw(`SELECT file_name, content_type, content FROM invoice_documents WHERE invoice_id = ?`, id).Scan(&d).Error
	if err != nil {
		return nil, err
	}
	if len(d.Content) == 0 {
		return nil, apperr.NotFound()
	}
	return &d, nil
}

// lockInvoice locks one invoice row (of the tenant when partnerID ≠ 0).
func lockInvoice(ctx context.Context, tx *gorm.DB, id, partnerID int64) (*Invoice, error) {
	q := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ?", id)
	if partnerID != 0 {
		q = q.Where("partner_id = ?", partnerID)
	}
	var inv Invoice
	err := q.First(&inv).Error
	if db.IsNotFound(err) {
		return nil, apperr.NotFound()
	}
	if err != nil {
		return nil, err
	}
	return &inv, nil
}

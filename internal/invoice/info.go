package invoice

import (
	"context"
	"golang.org/x/text/encoding/simplifiedchinese"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
)

// Service is 账务 > 发票管理 for partners (every method takes the acting
// partner member first and serves its tenant, access.Principal.Tenant);
// Desk is 发票开具 for vendor finance (vendor staff only,
// access.Principal.Staff).
type Service struct {
	DB    *gorm.DB
	Clock clock.Clock
}

// Info is the partner's invoice information (发票信息, §12.1.4.8).
type Info struct {
	ID          int64
	PartnerID   int64
	Title       string
	TaxpayerID  string
	BankName    string
	BankAccount string
	Address     string
	Phone       string
	Valid       bool
	CreatedBy   *int64
	CreatedAt   time.Time
	UpdatedBy   *int64
	UpdatedAt   time.Time
}

// TableName maps Info to invoice_infos.
func (Info) TableName() string { return "invoice_infos" }

// Complete reports whether the info has every field a special VAT
// invoice needs (§12.1.4.8).
func (i *Info) Complete() bool {
	return i != nil && i.Title != "" && i.TaxpayerID != "" && i.BankName != "" && i.BankAccount != "" && i.Address != "" && i.Phone != ""
}

// InfoInput is the 管理发票信息 form. ID is the record being edited (0:
// a new record).
type InfoInput struct {
	ID          int64
	Title       string
	TaxpayerID  string
	BankName    string
	BankAccount string
	Address     string
	Phone       string
}

// TitleMaxBytes limits the invoice title (R25, §12.1.4.22: "发票抬头长度不能
// 超过100个字节（50个汉字）"), counted as the tax system counts: in GBK, one
// byte per ASCII character and two per Chinese character (TitleBytes).
const TitleMaxBytes = 100

var (
	bankAccountRe = regexp.MustCompile(`^[0-9]{6,32}$`)
	phoneRe       = regexp.MustCompile(`^[0-9+()\- ]{5,30}$`)
)

// ValidTitle checks R25: not empty and at most TitleMaxBytes in GBK.
func ValidTitle(s string) bool {
	return s != "" && utf8.ValidString(s) && TitleBytes(s) <= TitleMaxBytes
}

// TitleBytes is the length of s in the tax system's encoding: GBK, as
// GB18030 extends it — 1 byte for ASCII, 2 for a Chinese character, 4 for
// a character outside GBK (which therefore uses up more of the limit).
func TitleBytes(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case r < 0x80:
			n++
		case gbk(r):
			n += 2
		default:
			n += 4
		}
	}
	return n
}

// gbk reports whether GB18030 encodes r in two bytes (the GBK repertoire).
func gbk(r rune) bool {
	b, err := simplifiedchinese.GB18030.NewEncoder().String(string(r))
	return err == nil && len(b) == 2
}

func (in *InfoInput) normalize() {
	in.Title = strings.TrimSpace(in.Title)
	in.TaxpayerID = partner.NormalizeCreditCode(in.TaxpayerID)
	in.BankName = strings.TrimSpace(in.BankName)
	in.BankAccount = strings.ReplaceAll(strings.TrimSpace(in.BankAccount), " ", "")
	in.Address = strings.TrimSpace(in.Address)
	in.Phone = strings.TrimSpace(in.Phone)
}

func (in InfoInput) validate() error {
	f := apperr.Fields{}
	switch {
	case in.Title == "":
		f.Add("title", "invoice.err.title_required")
	case !ValidTitle(in.Title):
		f.Add("title", "invoice.err.title_long")
	}
	// The taxpayer id is the unified social credit code (or, for old
	// licences, the organization code) with its check character.
	if !partner.ValidCreditCode(in.TaxpayerID) {
		f.Add("taxpayer_id", "invoice.err.taxpayer_id")
	}
	if utf8.RuneCountInString(in.BankName) > 100 {
		f.Add("bank_name", "invoice.err.too_long")
	}
	if in.BankAccount != "" && !bankAccountRe.MatchString(in.BankAccount) {
		f.Add("bank_account", "invoice.err.bank_account")
	}
	if utf8.RuneCountInString(in.Address) > 200 {
		f.Add("address", "invoice.err.too_long")
	}
	if in.Phone != "" && !phoneRe.MatchString(in.Phone) {
		f.Add("phone", "invoice.err.phone")
	}
	return f.Err()
}

// CurrentInfo returns the tenant's valid invoice info, or nil.
func (s Service) CurrentInfo(ctx context.Context, p *access.Principal) (_ *Info, err error) {
	defer apperr.Wrap(&err, "invoice.CurrentInfo")
	partnerID, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	return currentInfo(ctx, s.DB, partnerID, false)
}

func currentInfo(ctx context.Context, g *gorm.DB, partnerID int64, lock bool) (*Info, error) {
	q := g.WithContext(ctx).Where("partner_id = ? AND valid", partnerID)
	if lock {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var in Info
	err := q.First(&in).Error
	if db.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &in, nil
}

// SaveInfo creates the tenant's invoice info or replaces the one valid
// record (R25: since 2020-08-01 one valid record per account; a second
// one is refused). The previous values are kept in the audit row.
func (s Service) SaveInfo(ctx context.Context, p *access.Principal, in InfoInput) (_ *Info, err error) {
	defer apperr.Wrap(&err, "invoice.SaveInfo")
	partnerID, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	in.normalize()
	if err := in.validate(); err != nil {
		return nil, err
	}
	var out Info
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		// Serialize the tenant's invoice writes on its partner row.
		if err := lockPartner(ctx, tx, partnerID); err != nil {
			return err
		}
		cur, err := currentInfo(ctx, tx, partnerID, true)
		if err != nil {
			return err
		}
		now := s.Clock.Now().UTC()
		if in.ID == 0 {
			if cur != nil {
				return apperr.Invalid("invoice.err.info_exists")
			}
			out = Info{PartnerID: partnerID, Title: in.Title, TaxpayerID: in.TaxpayerID, BankName: in.BankName,
				BankAccount: in.BankAccount, Address: in.Address, Phone: in.Phone, Valid: true,
				CreatedBy: nullID(p.UserID), CreatedAt: now, UpdatedBy: nullID(p.UserID), UpdatedAt: now}
			if err := tx.Create(&out).Error; err != nil {
				if _, dup := db.IsUniqueViolation(err); dup {
					return apperr.Invalid("invoice.err.info_exists")
				}
				return err
			}
			return audit.Record(ctx, tx, audit.Change{PartnerID: partnerID, Action: "invoice.info.create", ObjectType: "invoice_info",
				ObjectID: out.ID, After: infoMap(&out)})
		}
		if cur == nil || cur.ID != in.ID {
			return apperr.NotFound()
		}
		before := infoMap(cur)
		out = *cur
		out.Title, out.TaxpayerID, out.BankName, out.BankAccount, out.Address, out.Phone =
			in.Title, in.TaxpayerID, in.BankName, in.BankAccount, in.Address, in.Phone
		out.UpdatedBy, out.UpdatedAt = nullID(p.UserID), now
		if err := tx.Model(&Info{}).Where("id = ? AND partner_id = ?", cur.ID, partnerID).Updates(map[string]any{
			"title": out.Title, "taxpayer_id": out.TaxpayerID, "bank_name": out.BankName, "bank_account": out.BankAccount,
			"address": out.Address, "phone": out.Phone, "updated_by": out.UpdatedBy, "updated_at": now}).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{PartnerID: partnerID, Action: "invoice.info.update", ObjectType: "invoice_info",
			ObjectID: out.ID, Before: before, After: infoMap(&out)})
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func infoMap(i *Info) map[string]any {
	return map[string]any{"title": i.Title, "taxpayer_id": i.TaxpayerID, "bank_name": i.BankName,
		"bank_account": i.BankAccount, "address": i.Address, "phone": i.Phone}
}

// lockPartner serializes the tenant's invoice writes on its partner row
// (FOR NO KEY UPDATE: rows referencing the partner can still be inserted).
func lockPartner(ctx context.Context, tx *gorm.DB, partnerID int64) error {
	return partner.Store{DB: tx}.Lock(ctx, partnerID, "NO KEY UPDATE")
}

func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

package contract

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/files"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
	"partnercenter/internal/platform/money"
)

// Upload is a file sent with a form.
type Upload struct {
	Name string
	Data []byte
}

// OfflineInput is vendor staff's 录入线下合同 form, as typed.
type OfflineInput struct {
	PartnerID string
	Code      string
	Name      string
	Type      string
	Entity    string
	Amount    string // optional
	StartsOn  string // YYYY-MM-DD
	EndsOn    string
	Scan      *Upload // optional PDF scan
}

var codePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_./-]{0,63}$`)

// ParseDate reads a YYYY-MM-DD date as a UTC midnight (a calendar day).
func ParseDate(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	return t, err == nil && t.Year() >= 1990 && t.Year() <= 2100
}

// CreateOffline records an offline contract for a partner (§12.3.11),
// entered by vendor staff (anyone else is refused). Invalid input answers
// field errors and stores nothing; the optional scan must be a PDF of at
// most 10 MB by its bytes.
func (s Service) CreateOffline(ctx context.Context, p *access.Principal, in OfflineInput) (_ *Contract, err error) {
	defer apperr.Wrap(&err, "contract.CreateOffline")
	actorUserID, err := p.Staff()
	if err != nil {
		return nil, err
	}
	in.Code = strings.TrimSpace(in.Code)
	in.Name = strings.TrimSpace(in.Name)
	f := apperr.Fields{}
	pid, perr := strconv.ParseInt(strings.TrimSpace(in.PartnerID), 10, 64)
	if perr != nil || pid <= 0 {
		f.Add("partner_id", "contract.err.partner")
	} else {
		ok, err := partner.Store{DB: s.DB}.Exists(ctx, pid)
		if err != nil {
			return nil, err
		}
		if !ok {
			f.Add("partner_id", "contract.err.partner")
		}
	}
	switch {
	case in.Code == "":
		f.Add("code", "contract.err.code_required")
	case !codePattern.MatchString(in.Code):
		f.Add("code", "contract.err.code_format")
	case strings.HasPrefix(strings.ToUpper(in.Code), "HWCP-"):
		// Reserved for online payment agreements generated here.
		f.Add("code", "contract.err.code_reserved")
	}
	if n := utf8.RuneCountInString(in.Name); n == 0 || n > 100 {
		f.Add("name", "contract.err.name")
	}
	if !slices.Contains(OfflineTypes, in.Type) {
		f.Add("type", "contract.err.type")
	}
	if !slices.Contains(Entities, in.Entity) {
		f.Add("entity", "contract.err.entity")
	}
	var amount decimal.NullDecimal
	if strings.TrimSpace(in.Amount) != "" {
		d, err := money.Parse(in.Amount, money.Amount)
		if err != nil {
			f.Add("amount", money.Key(err))
		} else {
			amount = decimal.NullDecimal{Decimal: d, Valid: true}
		}
	}
	start, okStart := ParseDate(in.StartsOn)
	if !okStart {
		f.Add("starts_on", "contract.err.date")
	}
	end, okEnd := ParseDate(in.EndsOn)
	if !okEnd {
		f.Add("ends_on", "contract.err.date")
	} else if okStart && end.Before(start) {
		f.Add("ends_on", "contract.err.end_before_start")
	}
	if in.Scan != nil && len(in.Scan.Data) > 0 {
		if _, key := files.Check(in.Scan.Data, []string{files.PDF}, files.MaxSize); key != "" {
			f.Add("scan", key)
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	now := s.Clock.Now().UTC()
	c := Contract{PartnerID: pid, Kind: KindOffline, Code: in.Code, Name: in.Name, ContractType: in.Type,
		SigningEntity: in.Entity, Amount: amount, StartsOn: &start, EndsOn: &end, Status: StateActive, CreatedAt: now,
		CreatedBy: &actorUserID}
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		var taken int64
		if err := tx.Table("contracts").Where("lower(code) = lower(?)", in.Code).Count(&taken).Error; err != nil {
			return err
		}
		if taken > 0 {
			return apperr.FieldError("code", "contract.err.code_taken")
		}
		if in.Scan != nil && len(in.Scan.Data) > 0 {
			fid, _, err := files.Save(ctx, tx, files.Upload{PartnerID: pid, UserID: actorUserID, Name: in.Scan.Name,
				Data: in.Scan.Data, At: now}, []string{files.PDF}, files.MaxSize, "scan")
			if err != nil {
				return err
			}
			c.FileID = &fid
		}
		if err := tx.Omit("State", "PartnerName", "PartnerCode", "FileName").Create(&c).Error; err != nil {
			if _, dup := db.IsUniqueViolation(err); dup {
				return apperr.FieldError("code", "contract.err.code_taken")
			}
			return err
		}
		after := map[string]any{"code": c.Code, "name": c.Name, "type": c.ContractType, "signing_entity": c.SigningEntity,
			"starts_on": start.Format(time.DateOnly), "ends_on": end.Format(time.DateOnly), "file_id": c.FileID}
		if amount.Valid {
			after["amount"] = amount.Decimal.StringFixed(2)
		}
		return audit.Record(ctx, tx, audit.Change{PartnerID: pid, Action: "contract.offline.create", ObjectType: "contract",
			ObjectID: c.ID, After: after})
	})
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// Terminate ends a contract in effect (已终止), by vendor staff (anyone
// else is refused), with an optional reason of at most 200 characters. A
// contract already terminated answers a conflict and changes nothing.
func (s Service) Terminate(ctx context.Context, p *access.Principal, id int64, reason string) (err error) {
	defer apperr.Wrap(&err, "contract.Terminate(%d)", id)
	actorUserID, err := p.Staff()
	if err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) > 200 {
		return apperr.FieldError("reason", "contract.err.reason")
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		var c Contract
		err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Omit("State", "PartnerName", "PartnerCode", "FileName").
			Select("id", "partner_id", "code", "status").Where("id = ?", id).Take(&c).Error
		if db.IsNotFound(err) {
			return apperr.NotFound()
		}
		if err != nil {
			return err
		}
		if c.Status == StateTerminated {
			return apperr.Conflict("contract.err.already_terminated", map[string]any{"Code": c.Code})
		}
		now := s.Clock.Now().UTC()
		upd := map[string]any{"status": StateTerminated, "terminated_at": now, "termination_reason": reason,
			"terminated_by": actorUserID}
		if err := tx.Table("contracts").Where("id = ?", id).Updates(upd).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{PartnerID: c.PartnerID, Action: "contract.terminate", ObjectType: "contract",
			ObjectID: id, Before: map[string]any{"status": c.Status}, After: map[string]any{"status": StateTerminated, "reason": reason}})
	})
}

// PartnerOption is a partner to pick in the offline contract form.
type PartnerOption = partner.Option

// PartnerOptions lists up to 100 partners matching q (name or credit code)
// for vendor staff's partner picker, by name; selected is always included.
func (s Service) PartnerOptions(ctx context.Context, p *access.Principal, q string, selected int64) (_ []PartnerOption, err error) {
	defer apperr.Wrap(&err, "contract.PartnerOptions")
	if _, err := p.Staff(); err != nil {
		return nil, err
	}
	return partner.Store{DB: s.DB}.Options(ctx, q, selected)
}

package benefit

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/identity"
	"partnercenter/internal/notify"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
	"partnercenter/internal/platform/money"
)

// PolicyInput is one line of the 权益政策 form.
type PolicyInput struct {
	Year            int
	Type, Tier, Cap string
	Notes           string
}

// SavePolicy creates or changes a benefit's cap for a tier and year.
func (s Service) SavePolicy(ctx context.Context, p *access.Principal, in PolicyInput) (err error) {
	defer apperr.Wrap(&err, "benefit.SavePolicy")
	uid, err := p.VendorAdmin()
	if err != nil {
		return err
	}
	f := apperr.Fields{}
	if in.Year < 2020 || in.Year > 2100 {
		f.Add("year", "benefit.err.year")
	}
	if !slices.Contains(Types, in.Type) {
		f.Add("type", "benefit.err.type")
	}
	if !slices.Contains(Tiers, in.Tier) {
		f.Add("tier", "benefit.err.tier")
	}
	cap, cerr := money.Parse(in.Cap, money.Amount)
	if cerr != nil {
		f.Add("cap", money.Key(cerr))
	} else if Counted(in.Type) && !cap.IsInteger() {
		f.Add("cap", "benefit.err.cap_count")
	}
	in.Notes = strings.TrimSpace(in.Notes)
	if utf8.RuneCountInString(in.Notes) > 200 {
		f.Add("notes", "benefit.err.too_long")
	}
	if err := f.Err(); err != nil {
		return err
	}
	now := s.now()
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		pol := Policy{Year: in.Year, Type: in.Type, Tier: in.Tier, CapAmount: cap, Notes: in.Notes, UpdatedBy: &uid, UpdatedAt: now}
		if err := tx.WithContext(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "year"}, {Name: "type"}, {Name: "tier"}},
			DoUpdates: clause.AssignmentColumns([]string{"cap_amount", "notes", "updated_by", "updated_at"})}).Create(&pol).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, Action: "benefit.policy", ObjectType: "benefit_policy", ObjectID: pol.ID,
			After: map[string]any{"year": in.Year, "type": in.Type, "tier": in.Tier, "cap": cap}})
	})
}

// Policies lists a year's policies.
func (s Service) Policies(ctx context.Context, p *access.Principal, year int) (_ []Policy, err error) {
	defer apperr.Wrap(&err, "benefit.Policies")
	if _, err := p.VendorAdmin(); err != nil {
		return nil, err
	}
	var out []Policy
	err = s.DB.WithContext(ctx).Where("year = ?", year).Order("type, tier").Find(&out).Error
	return out, err
}

// Issue is 权益发放, the vendor administrator's second action after the
// review's 审核通过: a 测试券 becomes a voucher of the partner valid 3 months
// (§10.2.5), and the partner's main account is told; 考试券 and 云实验
// become vouchers of each named person (still linked), who is told. The
// returned voucher is the test voucher's (nil for the others).
func (s Service) Issue(ctx context.Context, p *access.Principal, id int64) (_ *Voucher, err error) {
	defer apperr.Wrap(&err, "benefit.Issue(%d)", id)
	uid, err := p.VendorAdmin()
	if err != nil {
		return nil, err
	}
	now := s.now()
	var v *Voucher
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		var a Application
		if err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ?", id).First(&a).Error; err != nil {
			if db.IsNotFound(err) {
				return apperr.NotFound()
			}
			return err
		}
		if a.Status != StateApproved {
			return apperr.Conflict("benefit.err.not_approved")
		}
		if Counted(a.Type) {
			n, total, err := issueToPersons(ctx, tx, &a, now)
			if err != nil {
				return err
			}
			upd := map[string]any{"status": StateIssued, "issued_at": now, "issued_by": uid, "updated_at": now}
			if !total.Equal(a.Amount) {
				upd["amount"] = total // persons unlinked since were skipped: the cap gets the rest back
			}
			if err := tx.WithContext(ctx).Model(&a).Updates(upd).Error; err != nil {
				return err
			}
			return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: a.PartnerID, Action: "benefit.issued", ObjectType: "benefit_application",
				ObjectID: a.ID, Before: map[string]any{"status": StateApproved}, After: map[string]any{"status": StateIssued, "persons": n}})
		}
		v = &Voucher{No: voucherNo(a.ID, now), PartnerID: a.PartnerID, ApplicationID: a.ID, FaceValue: a.Amount, IssuedAt: now,
			ValidUntil: now.AddDate(0, TestVoucherMonths, 0)}
		if err := tx.WithContext(ctx).Create(v).Error; err != nil {
			return err
		}
		if err := tx.WithContext(ctx).Model(&a).Updates(map[string]any{"status": StateIssued, "issued_at": now, "issued_by": uid,
			"updated_at": now}).Error; err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Change{At: now, PartnerID: a.PartnerID, Action: "benefit.issued", ObjectType: "benefit_application",
			ObjectID: a.ID, Before: map[string]any{"status": StateApproved}, After: map[string]any{"status": StateIssued, "voucher_no": v.No}}); err != nil {
			return err
		}
		main, err := (identity.Users{DB: tx}).MainAccountID(ctx, a.PartnerID)
		if err != nil || main == 0 {
			return err
		}
		return notify.Send(ctx, tx, notify.Note{To: main, Partner: a.PartnerID, Subject: "benefit.msg.issued.subject", Body: "benefit.msg.issued.body",
			Params: map[string]any{"No": v.No, "Amount": money.Grouped(v.FaceValue, 2), "UntilAt": v.ValidUntil.Format(time.RFC3339)},
			Link:   "/benefits/applications", At: now})
	})
	return v, err
}

// QueueRow is an application on the vendor's 权益发放 list.
type QueueRow struct {
	Application
	PartnerName string
}

// Queue lists the applications of a state (default: approved, to issue),
// newest first, for the vendor administrator.
func (s Service) Queue(ctx context.Context, p *access.Principal, status string) (_ []QueueRow, err error) {
	defer apperr.Wrap(&err, "benefit.Queue")
	if _, err := p.VendorAdmin(); err != nil {
		return nil, err
	}
	if !slices.Contains(States, status) {
		status = StateApproved
	}
	var out []QueueRow
	err = s.DB.WithContext(ctx).Table("benefit_applications a").Joins("JOIN partners pt ON pt.id = a.partner_id").
		Where("a.status = ?", status).Select("a.*, pt.name AS partner_name").Order("a.updated_at DESC, a.id DESC").Limit(200).Scan(&out).Error
	return out, err
}

package mdf

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/audit"
	"partnercenter/internal/bizinfo"
	"partnercenter/internal/files"
	"partnercenter/internal/ledger"
	"partnercenter/internal/notify"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
	"partnercenter/internal/platform/money"
)

// States of a claim.
const (
	ClaimDraft     = "draft"     // 草稿 (kept 45 days)
	ClaimSubmitted = "submitted" // 审批中
	ClaimApproved  = "approved"  // 待开票: the 开票清单 is ready
	ClaimRejected  = "rejected"  // 已驳回
	ClaimInvoiced  = "invoiced"  // 待付款: the invoice registered
	ClaimPaid      = "paid"      // 已付款
)

// ClaimStates lists them.
var ClaimStates = []string{ClaimDraft, ClaimSubmitted, ClaimApproved, ClaimRejected, ClaimInvoiced, ClaimPaid}

// ClaimBilled are the states of an approved claim: its amount is used,
// its billing list may be drawn, vendor finance sees it.
var ClaimBilled = []string{ClaimApproved, ClaimInvoiced, ClaimPaid}

// Claim rules (§10.5.10–10.5.13).
const (
	ClaimDays     = 90                    // days after the activity's end
	DraftDays     = 45                    // an incomplete claim is kept this long
	ErrSplit      = "mdf.err.split"       // 同一场营销活动不可以拆开报销…
	ErrClaimLate  = "mdf.err.claim_late"  // 90 days, unless the extension e-mail
	ErrClaimEarly = "mdf.err.claim_early" // before the activity ended
	ErrOverBudget = "mdf.err.over_budget" // 兑现申报金额不得超过使用申请预算
	ErrInvoice    = "mdf.err.invoice_mismatch"
)

// Material categories of a claim (§10.5.12).
const (
	MatProof    = "proof"   // 真实性证明材料
	MatReceipt  = "receipt" // 盖章水单
	MatInvoice  = "invoice" // 发票扫描件
	MatMedia    = "media"   // 广告及媒体宣传总结
	MatSummary  = "summary" // 活动总结材料
	MaxPerGroup = 10
)

// Materials lists the categories in the seed's order.
var Materials = []string{MatProof, MatReceipt, MatInvoice, MatMedia, MatSummary}

// Required are the categories a claim of the activity type must have: the
// media summary for advertising and digital marketing.
func Required(activityType string) []string {
	out := []string{MatProof, MatReceipt, MatInvoice, MatSummary}
	if activityType == "advertising" || activityType == "digital_marketing" {
		out = append(out, MatMedia)
	}
	return out
}

// Claim is a row of mdf_claims.
type Claim struct {
	ID              int64
	UsageID         int64
	PartnerID       int64
	Status          string
	Amount          decimal.Decimal
	Summary         string
	Materials       json.RawMessage `gorm:"type:jsonb"`
	ExtensionFileID *int64
	ApplicationID   *int64
	InvoiceNo       string
	InvoiceAmount   *decimal.Decimal
	InvoiceFileID   *int64
	PaymentRef      string
	DecisionKey     string
	FinanceNote     string
	PaidBy          *int64
	PaidAt          *time.Time
	CreatedBy       *int64
	CreatedAt       time.Time
	SubmittedAt     *time.Time
	DecidedAt       *time.Time
	UpdatedAt       time.Time
}

// TableName maps Claim to mdf_claims.
func (Claim) TableName() string { return "mdf_claims" }

// Files are the material file ids by category.
func (c *Claim) Files() map[string][]int64 {
	out := map[string][]int64{}
	_ = json.Unmarshal(c.Materials, &out)
	return out
}

// ClaimInput is the 兑现申报 form: the amount, the summary, files to add
// by category, and the extension e-mail when late.
type ClaimInput struct {
	Amount    string
	Summary   string
	Uploads   map[string][]files.Upload
	Extension *files.Upload
}

// DueBy is the last day a claim may be submitted without the extension:
// 90 days after the activity's last day (§10.5.10).
func DueBy(u *Usage) time.Time { return u.LastDay.AddDate(0, 0, ClaimDays) }

// Ended says the activity is over on a China day: a claim may be made.
func (u *Usage) Ended(today time.Time) bool { return today.After(u.LastDay) }

// ClaimLate says a claim on a China day is past the 90 days and needs
// the extension approval.
func (u *Usage) ClaimLate(today time.Time) bool { return today.After(DueBy(u)) }

// SaveClaim creates or updates the claim of an approved usage application
// as a draft: one claim per activity (the anti-splitting rule refuses a
// second); after the last event; the amount within the budget; files
// added to their categories.
func (s Service) SaveClaim(ctx context.Context, p *access.Principal, usageID int64, in ClaimInput) (_ *Claim, err error) {
	defer apperr.Wrap(&err, "mdf.SaveClaim(%d)", usageID)
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	now := s.now()
	f := apperr.Fields{}
	amount, aerr := money.Parse(in.Amount, money.Amount)
	if aerr != nil {
		f.Add("amount", money.Key(aerr))
	}
	in.Summary = strings.TrimSpace(in.Summary)
	if utf8.RuneCountInString(in.Summary) > 2000 {
		f.Add("summary", "mdf.err.too_long")
	}
	var out *Claim
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		u, err := lockUsage(ctx, tx, usageID, pid)
		if err != nil {
			return err
		}
		var cs []Claim
		if err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("usage_id = ?", u.ID).Find(&cs).Error; err != nil {
			return err
		}
		var c *Claim
		if len(cs) == 1 {
			c = &cs[0]
			if c.Status != ClaimDraft {
				return apperr.Conflict(ErrSplit)
			}
		} else if u.Status != UsageApproved {
			return apperr.Conflict("mdf.err.not_approved")
		}
		today := clock.ChinaDate(now)
		if !u.Ended(today) {
			return apperr.Conflict(ErrClaimEarly, map[string]any{"Date": u.LastDay.Format(time.DateOnly)})
		}
		if aerr == nil && amount.GreaterThan(u.Budget) {
			f.Add("amount", ErrOverBudget)
		}
		if err := f.Err(); err != nil {
			return err
		}
		if c == nil {
			c = &Claim{UsageID: u.ID, PartnerID: pid, Status: ClaimDraft, Materials: json.RawMessage(`{}`), CreatedBy: &p.UserID, CreatedAt: now}
		}
		mats := c.Files()
		for _, cat := range Materials {
			ups := in.Uploads[cat]
			if len(ups) == 0 {
				continue
			}
			if len(mats[cat])+len(ups) > MaxPerGroup {
				return apperr.FieldError("files_"+cat, "mdf.err.too_many_files")
			}
			ids, err := files.SaveDocumentsAs(ctx, tx, pid, p.UserID, now, ups, "files_"+cat)
			if err != nil {
				return err
			}
			mats[cat] = append(mats[cat], ids...)
		}
		if in.Extension != nil && len(in.Extension.Data) > 0 {
			ids, err := files.SaveDocumentsAs(ctx, tx, pid, p.UserID, now, []files.Upload{*in.Extension}, "extension")
			if err != nil {
				return err
			}
			c.ExtensionFileID = &ids[0]
		}
		c.Materials, _ = json.Marshal(mats)
		c.Amount, c.Summary, c.UpdatedAt = amount, in.Summary, now
		if err := tx.WithContext(ctx).Save(c).Error; err != nil {
			if _, ok := db.IsUniqueViolation(err); ok {
				return apperr.Conflict(ErrSplit)
			}
			return err
		}
		out = c
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pid, Action: "mdf.claim_save", ObjectType: "mdf_claim", ObjectID: c.ID,
			After: map[string]any{"usage_no": u.No, "amount": amount, "status": ClaimDraft}})
	})
	return out, err
}

// ClaimPayload is the approval application's payload.
type ClaimPayload struct {
	ClaimID int64  `json:"claim_id"`
	UsageNo string `json:"usage_no"`
	Name    string `json:"name"`
	Budget  string `json:"budget"`
	Amount  string `json:"amount"`
	Summary string `json:"summary,omitempty"`
	Late    bool   `json:"late,omitempty"`
}

// SubmitClaim submits a draft: within 90 days of the activity's end or
// with the extension e-mail attached (§10.5.10), every required material
// present (§10.5.12), to the ecosystem manager's review.
func (s Service) SubmitClaim(ctx context.Context, p *access.Principal, claimID int64) (_ *Claim, err error) {
	defer apperr.Wrap(&err, "mdf.SubmitClaim(%d)", claimID)
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	now := s.now()
	var out *Claim
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		// Usage first, then its claim: the order SaveClaim and the
		// review take too.
		usageID, err := claimUsage(ctx, tx, claimID, pid)
		if err != nil {
			return err
		}
		u, err := lockUsage(ctx, tx, usageID, pid)
		if err != nil {
			return err
		}
		c, err := lockClaim(ctx, tx, claimID, pid)
		if err != nil {
			return err
		}
		if c.Status != ClaimDraft {
			return apperr.Conflict("mdf.err.state")
		}
		late := u.ClaimLate(clock.ChinaDate(now))
		if late && c.ExtensionFileID == nil {
			return apperr.Conflict(ErrClaimLate, map[string]any{"Date": DueBy(u).Format(time.DateOnly)})
		}
		mats := c.Files()
		f := apperr.Fields{}
		for _, cat := range Required(u.ActivityType) {
			if len(mats[cat]) == 0 {
				f.Add("files_"+cat, "mdf.err.material")
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		var ids []int64
		for _, cat := range Materials {
			ids = append(ids, mats[cat]...)
		}
		if c.ExtensionFileID != nil {
			ids = append(ids, *c.ExtensionFileID)
		}
		app, err := (approval.Engine{DB: tx, Clock: s.Clock}).SubmitNew(ctx, tx, p, approval.New{Type: ApprovalClaim, Title: u.Name,
			Payload: ClaimPayload{ClaimID: c.ID, UsageNo: u.No, Name: u.Name, Budget: u.Budget.StringFixed(2), Amount: c.Amount.StringFixed(2),
				Summary: c.Summary, Late: late}, FileIDs: ids})
		if err != nil {
			return err
		}
		if err := tx.WithContext(ctx).Model(c).Updates(map[string]any{"status": ClaimSubmitted, "application_id": app.ID, "submitted_at": now,
			"updated_at": now}).Error; err != nil {
			return err
		}
		c.Status, c.ApplicationID = ClaimSubmitted, &app.ID
		out = c
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pid, Action: "mdf.claim_submit", ObjectType: "mdf_claim", ObjectID: c.ID,
			Before: map[string]any{"status": ClaimDraft}, After: map[string]any{"status": ClaimSubmitted, "amount": c.Amount}})
	})
	return out, err
}

// claimUsage is a claim's usage application (a claim's usage never
// changes, so it is read without a lock, before the usage is locked).
func claimUsage(ctx context.Context, g *gorm.DB, claimID, partnerID int64) (int64, error) {
	var ids []int64
	if err := g.WithContext(ctx).Model(&Claim{}).Where("id = ? AND partner_id = ?", claimID, partnerID).Pluck("usage_id", &ids).Error; err != nil {
		return 0, err
	}
	if len(ids) == 0 {
		return 0, apperr.NotFound()
	}
	return ids[0], nil
}

func lockClaim(ctx context.Context, tx *gorm.DB, id, partnerID int64) (*Claim, error) {
	q := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ?", id)
	if partnerID != 0 {
		q = q.Where("partner_id = ?", partnerID)
	}
	var c Claim
	if err := q.Take(&c).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, apperr.NotFound()
		}
		return nil, err
	}
	return &c, nil
}

type claimType struct{ approval.Base }

func (claimType) Key() string { return ApprovalClaim }
func (claimType) SLA() int    { return 10 }

func (claimType) Validate(raw json.RawMessage) error {
	var pl ClaimPayload
	if err := json.Unmarshal(raw, &pl); err != nil || pl.ClaimID == 0 {
		return apperr.Invalid("mdf.err.payload")
	}
	return nil
}

// decideClaim applies a claim's review: approved, its amount used and the
// rest of the budget returned to the quota (§10.5.17), the usage 已兑现; or
// rejected, the whole budget returned, the usage closed.
func decideClaim(ctx context.Context, tx *gorm.DB, app *approval.Application, approve bool) error {
	var pl ClaimPayload
	if err := app.DecodePayload(&pl); err != nil {
		return err
	}
	usageID, err := claimUsage(ctx, tx, pl.ClaimID, app.PartnerID)
	if err != nil {
		return err
	}
	u, err := lockUsage(ctx, tx, usageID, app.PartnerID)
	if err != nil {
		return err
	}
	c, err := lockClaim(ctx, tx, pl.ClaimID, app.PartnerID)
	if err != nil {
		return err
	}
	if c.Status != ClaimSubmitted {
		return apperr.Conflict("mdf.err.state")
	}
	if err := tx.WithContext(ctx).Exec(`SELECT 1 FROM mdf_quotas WHERE id = ? FOR UPDATE`, u.QuotaID).Error; err != nil {
		return err
	}
	at := app.DecisionClock().Now().UTC()
	to, usage, used := ClaimApproved, UsageClaimed, c.Amount
	if !approve {
		to, usage, used = ClaimRejected, UsageClosed, decimal.Zero
	}
	if err := moveQuota(ctx, tx, u.QuotaID, u.Budget.Neg(), used, at); err != nil {
		return err
	}
	if err := tx.WithContext(ctx).Model(c).Updates(map[string]any{"status": to, "decided_at": at, "updated_at": at}).Error; err != nil {
		return err
	}
	if err := tx.WithContext(ctx).Model(u).Updates(map[string]any{"status": usage, "updated_at": at}).Error; err != nil {
		return err
	}
	return audit.Record(ctx, tx, audit.Change{At: at, PartnerID: c.PartnerID, Action: "mdf.claim_" + to, ObjectType: "mdf_claim", ObjectID: c.ID,
		Before: map[string]any{"status": ClaimSubmitted}, After: map[string]any{"status": to, "used": used, "returned": u.Budget.Sub(used)}})
}

// OnApprove: 待开票.
func (claimType) OnApprove(ctx context.Context, tx *gorm.DB, app *approval.Application) error {
	return decideClaim(ctx, tx, app, true)
}

// OnReject: the budget back.
func (claimType) OnReject(ctx context.Context, tx *gorm.DB, app *approval.Application) error {
	return decideClaim(ctx, tx, app, false)
}

// OnWithdraw: back to a draft the partner may complete and submit again.
func (claimType) OnWithdraw(ctx context.Context, tx *gorm.DB, app *approval.Application) error {
	var pl ClaimPayload
	if err := app.DecodePayload(&pl); err != nil {
		return err
	}
	at := app.DecisionClock().Now().UTC()
	return tx.WithContext(ctx).Model(&Claim{}).Where("id = ? AND partner_id = ? AND status = ?", pl.ClaimID, app.PartnerID, ClaimSubmitted).
		Updates(map[string]any{"status": ClaimDraft, "application_id": nil, "updated_at": at}).Error
}

// DropStaleDrafts deletes the drafts untouched for 45 days (§10.5.10)
// with their files; it returns how many.
func (s Service) DropStaleDrafts(ctx context.Context) (_ int, err error) {
	defer apperr.Wrap(&err, "mdf.DropStaleDrafts")
	now := s.now()
	var stale []Claim
	if err := s.DB.WithContext(ctx).Where("status = ? AND updated_at < ?", ClaimDraft, now.AddDate(0, 0, -DraftDays)).Find(&stale).Error; err != nil {
		return 0, err
	}
	for _, c := range stale {
		err := db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
			res := tx.WithContext(ctx).Where("id = ? AND status = ? AND updated_at = ?", c.ID, ClaimDraft, c.UpdatedAt).Delete(&Claim{})
			if res.Error != nil || res.RowsAffected == 0 {
				return res.Error
			}
			ids := []int64{}
			for _, group := range c.Files() {
				ids = append(ids, group...)
			}
			if c.ExtensionFileID != nil {
				ids = append(ids, *c.ExtensionFileID)
			}
			// A file an approval (a withdrawn claim) still lists stays.
			kept, err := approval.Attached(ctx, tx, ids)
			if err != nil {
				return err
			}
			ids = slices.DeleteFunc(ids, func(id int64) bool { return kept[id] })
			if err := files.Delete(tx, c.PartnerID, ids...); err != nil {
				return err
			}
			return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: c.PartnerID, Action: "mdf.claim_dropped", ObjectType: "mdf_claim",
				ObjectID: c.ID, Before: map[string]any{"status": ClaimDraft, "amount": c.Amount}})
		})
		if err != nil {
			return 0, err
		}
	}
	return len(stale), nil
}

// InvoiceInput is the partner's invoice for an approved claim.
type InvoiceInput struct {
	No     string
	Amount string
	File   *files.Upload
}

// RegisterInvoice records the partner's invoice: its amount must equal the
// 开票清单's (the approved claim) exactly (§10.5.14).
func (s Service) RegisterInvoice(ctx context.Context, p *access.Principal, claimID int64, in InvoiceInput) (err error) {
	defer apperr.Wrap(&err, "mdf.RegisterInvoice(%d)", claimID)
	pid, err := p.Tenant()
	if err != nil {
		return err
	}
	f := apperr.Fields{}
	in.No = strings.TrimSpace(in.No)
	if n := len(in.No); n < 8 || n > 40 {
		f.Add("invoice_no", "mdf.err.invoice_no")
	}
	amount, aerr := money.Parse(in.Amount, money.Amount)
	if aerr != nil {
		f.Add("invoice_amount", money.Key(aerr))
	}
	if in.File == nil || len(in.File.Data) == 0 {
		f.Add("invoice_file", "mdf.err.invoice_file")
	}
	now := s.now()
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		c, err := lockClaim(ctx, tx, claimID, pid)
		if err != nil {
			return err
		}
		if c.Status != ClaimApproved {
			return apperr.Conflict("mdf.err.state")
		}
		if aerr == nil && !amount.Equal(c.Amount) {
			f.Add("invoice_amount", ErrInvoice)
		}
		if err := f.Err(); err != nil {
			return err
		}
		ids, err := files.SaveDocumentsAs(ctx, tx, pid, p.UserID, now, []files.Upload{*in.File}, "invoice_file")
		if err != nil {
			return err
		}
		if err := tx.WithContext(ctx).Model(c).Updates(map[string]any{"status": ClaimInvoiced, "invoice_no": in.No, "invoice_amount": amount,
			"invoice_file_id": ids[0], "finance_note": "", "updated_at": now}).Error; err != nil {
			if _, ok := db.IsUniqueViolation(err); ok {
				return apperr.FieldError("invoice_no", "mdf.err.invoice_used")
			}
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pid, Action: "mdf.claim_invoice", ObjectType: "mdf_claim", ObjectID: c.ID,
			Before: map[string]any{"status": ClaimApproved}, After: map[string]any{"status": ClaimInvoiced, "invoice_no": in.No}})
	})
}

// BillingList is the 开票清单 of an approved claim from the certified
// business information: company title, tax id, amount, currency.
type BillingList struct {
	Claim *Claim
	Usage *Usage
	Info  *bizinfo.Info
}

// ClaimBillingList reads what the 开票清单 shows.
func (s Service) ClaimBillingList(ctx context.Context, p *access.Principal, claimID int64) (_ *BillingList, err error) {
	defer apperr.Wrap(&err, "mdf.ClaimBillingList(%d)", claimID)
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	var c Claim
	if err := s.DB.WithContext(ctx).Where("id = ? AND partner_id = ?", claimID, pid).Take(&c).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, apperr.NotFound()
		}
		return nil, err
	}
	if !slices.Contains(ClaimBilled, c.Status) {
		return nil, apperr.Conflict("mdf.err.state")
	}
	var u Usage
	if err := s.DB.WithContext(ctx).Where("id = ?", c.UsageID).Take(&u).Error; err != nil {
		return nil, err
	}
	ok, info, err := bizinfo.Certified(ctx, s.DB, pid)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, apperr.Conflict(ErrBizinfo)
	}
	return &BillingList{Claim: &c, Usage: &u, Info: info}, nil
}

// Pay is vendor finance's 付款完成 of an invoiced claim, by bank transfer
// to the certified account, with the transfer's reference; the form's key
// makes a repeated submission a no-op. The partner's main account is told.
func (s Service) Pay(ctx context.Context, p *access.Principal, claimID int64, ref, key string) (err error) {
	defer apperr.Wrap(&err, "mdf.Pay(%d)", claimID)
	uid, err := p.Staff()
	if err != nil {
		return err
	}
	if ref, err = ledger.TransferForm(ref, key); err != nil {
		return err
	}
	now := s.now()
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		c, err := lockClaim(ctx, tx, claimID, 0)
		if err != nil {
			return err
		}
		if c.Status == ClaimPaid && c.DecisionKey == key {
			return nil // this form was already handled
		}
		if c.Status != ClaimInvoiced {
			return apperr.Conflict("mdf.err.state")
		}
		if err := tx.WithContext(ctx).Model(c).Updates(map[string]any{"status": ClaimPaid, "payment_ref": ref, "decision_key": key,
			"paid_by": uid, "paid_at": now, "updated_at": now}).Error; err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Change{At: now, PartnerID: c.PartnerID, Action: "mdf.claim_paid", ObjectType: "mdf_claim",
			ObjectID: c.ID, Before: map[string]any{"status": ClaimInvoiced}, After: map[string]any{"status": ClaimPaid, "payment_ref": ref}}); err != nil {
			return err
		}
		return tell(ctx, tx, c, "mdf.msg.paid", map[string]any{"Amount": money.Grouped(c.Amount, 2), "Ref": ref}, now)
	})
}

// ReturnInvoice is vendor finance's 退回发票 with a reason: the claim is
// 待开票 again for a new invoice.
func (s Service) ReturnInvoice(ctx context.Context, p *access.Principal, claimID int64, reason, key string) (err error) {
	defer apperr.Wrap(&err, "mdf.ReturnInvoice(%d)", claimID)
	if _, err := p.Staff(); err != nil {
		return err
	}
	if !ledger.ValidKey(key) {
		return apperr.Invalid("error.bad_request")
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 500 {
		return apperr.FieldError("reason", "mdf.err.reason")
	}
	now := s.now()
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		c, err := lockClaim(ctx, tx, claimID, 0)
		if err != nil {
			return err
		}
		if c.Status == ClaimApproved && c.DecisionKey == key {
			return nil // this form was already handled
		}
		if c.Status != ClaimInvoiced {
			return apperr.Conflict("mdf.err.state")
		}
		if err := tx.WithContext(ctx).Model(c).Updates(map[string]any{"status": ClaimApproved, "finance_note": reason, "decision_key": key,
			"updated_at": now}).Error; err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Change{At: now, PartnerID: c.PartnerID, Action: "mdf.claim_invoice_returned", ObjectType: "mdf_claim",
			ObjectID: c.ID, Before: map[string]any{"status": ClaimInvoiced}, After: map[string]any{"status": ClaimApproved, "reason": reason}}); err != nil {
			return err
		}
		return tell(ctx, tx, c, "mdf.msg.invoice_returned", map[string]any{"Reason": reason}, now)
	})
}

// tell sends the partner's main account a 站内信 about a claim.
func tell(ctx context.Context, tx *gorm.DB, c *Claim, key string, params map[string]any, at time.Time) error {
	return notify.SendToMain(ctx, tx, notify.Note{Partner: c.PartnerID, Subject: key + ".subject", Body: key + ".body", Params: params,
		Link: "/benefits/mdf/claims", At: at})
}

// InvoiceFile is the scan of a claim's invoice, for vendor finance.
func (s Service) InvoiceFile(ctx context.Context, p *access.Principal, claimID int64) (_ *files.File, err error) {
	defer apperr.Wrap(&err, "mdf.InvoiceFile(%d)", claimID)
	if _, err := p.Staff(); err != nil {
		return nil, err
	}
	var c Claim
	if err := s.DB.WithContext(ctx).Where("id = ? AND invoice_file_id IS NOT NULL", claimID).Take(&c).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, apperr.NotFound()
		}
		return nil, err
	}
	return files.Get(ctx, s.DB, c.PartnerID, *c.InvoiceFileID)
}

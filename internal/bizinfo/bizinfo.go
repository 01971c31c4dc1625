package bizinfo

import (
	"context"
	"crypto/rand"
	"math/big"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/riverqueue/river"
	"github.com/shopspring/decimal"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/audit"
	"partnercenter/internal/files"
	"partnercenter/internal/identity"
	"partnercenter/internal/notify"
	"partnercenter/internal/onboarding"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
	"partnercenter/internal/platform/jobs"
)

// States of a submission (business_infos.status).
const (
	StateVerifying     = "auto_verifying" // 系统自动认证中
	StatePendingManual = "pending_manual" // 待华为商业信息审核员处理
	StateFailed        = "failed"         // 认证失败（原因）
	StateLetterNeeded  = "letter_needed"  // 与供应商信息不一致，待生成银行函草稿
	StateLetterPending = "letter_pending" // 待上传盖章银行函
	StateLetterReview  = "letter_review"  // 银行函审核中
	StateCertified     = "certified"      // 已认证
	StateSuperseded    = "superseded"     // 被新的认证替代（历史）
)

// States lists the states a vendor filters by, in the flow's order.
var States = []string{StateVerifying, StatePendingManual, StateLetterNeeded, StateLetterPending, StateLetterReview,
	StateCertified, StateFailed, StateSuperseded}

// Taxpayer types (§12.1.5.8): 一般纳税人 6%, 小规模纳税人 3%.
const (
	TaxpayerGeneral    = "general"
	TaxpayerSmallScale = "small_scale"
)

// VerifyDelay is how long after submission the automatic verification
// runs. The seeds say it normally completes within 1–3 hours (§6.2.8);
// the delay here only keeps 系统自动认证中 visible for a moment.
const VerifyDelay = time.Minute

// LetterDays is the vendor's handling time of a stamped bank letter, in
// working days (§6.2.9: 3–5 working days).
const LetterDays = 5

// Info is one submission of business information.
type Info struct {
	ID                int64
	PartnerID         int64
	Status            string
	SupplierName      string
	BankName          string
	AccountNo         string
	BranchName        string
	BranchNo          string
	AccountName       string
	Currency          string
	TaxpayerType      string
	InvoiceTitle      string
	TaxID             string
	InvoiceAddress    string
	InvoicePhone      string
	FinanceName       string
	FinanceMobile     string
	FinanceEmail      string
	RandomAmount      decimal.Decimal
	FailureKey        string
	FailureReason     string
	LetterDraftFileID *int64
	LetterFileID      *int64
	LetterDueAt       *time.Time
	SubmittedBy       *int64
	SubmittedAt       time.Time
	DecidedBy         *int64
	CertifiedAt       *time.Time
	UpdatedAt         time.Time
}

// TableName maps Info to business_infos.
func (Info) TableName() string { return "business_infos" }

// Open reports a submission still being verified.
func (i *Info) Open() bool {
	switch i.Status {
	case StateVerifying, StatePendingManual, StateLetterNeeded, StateLetterPending, StateLetterReview:
		return true
	}
	return false
}

// Input is what the main account submits.
type Input struct {
	SupplierName, BankName, AccountNo, BranchName, BranchNo, AccountName string
	TaxpayerType                                                         string
	InvoiceAddress, InvoicePhone                                         string
	FinanceName, FinanceMobile, FinanceEmail                             string
}

// Service runs business-information certification.
type Service struct {
	DB    *gorm.DB
	Clock clock.Clock
}

func (s Service) now() time.Time { return s.Clock.Now().UTC() }

var (
	accountNoRe = regexp.MustCompile(`^[0-9]{8,30}$`)
	branchNoRe  = regexp.MustCompile(`^[0-9]{12}$`)
	mobileRe    = regexp.MustCompile(`^1[3-9][0-9]{9}$`)
)

// validate checks the input against the company (name and credit code).
func validate(in *Input, company string) error {
	f := apperr.Fields{}
	text := func(field string, v *string, max int) {
		*v = strings.TrimSpace(*v)
		switch n := utf8.RuneCountInString(*v); {
		case n == 0:
			f.Add(field, "bizinfo.err.required")
		case n > max:
			f.Add(field, "bizinfo.err.too_long")
		}
	}
	text("supplier_name", &in.SupplierName, 100)
	text("bank_name", &in.BankName, 100)
	text("branch_name", &in.BranchName, 100)
	text("account_name", &in.AccountName, 100)
	text("invoice_address", &in.InvoiceAddress, 200)
	text("finance_name", &in.FinanceName, 50)
	in.AccountNo = strings.ReplaceAll(strings.TrimSpace(in.AccountNo), " ", "")
	if !accountNoRe.MatchString(in.AccountNo) {
		f.Add("account_no", "bizinfo.err.account_no")
	}
	in.BranchNo = strings.ReplaceAll(strings.TrimSpace(in.BranchNo), " ", "")
	if !branchNoRe.MatchString(in.BranchNo) {
		f.Add("branch_no", "bizinfo.err.branch_no")
	}
	if in.AccountName != "" && onboarding.NormalizeName(in.AccountName) != onboarding.NormalizeName(company) {
		f.Add("account_name", "bizinfo.err.personal_account") // §6.2.3, verbatim
	}
	if in.SupplierName != "" && onboarding.NormalizeName(in.SupplierName) != onboarding.NormalizeName(company) {
		f.Add("supplier_name", "bizinfo.err.supplier_name")
	}
	if in.TaxpayerType != TaxpayerGeneral && in.TaxpayerType != TaxpayerSmallScale {
		f.Add("taxpayer_type", "bizinfo.err.taxpayer_type")
	}
	in.InvoicePhone = strings.TrimSpace(in.InvoicePhone)
	if n := len(in.InvoicePhone); n < 5 || n > 30 || strings.Trim(in.InvoicePhone, "0123456789-+ ()") != "" {
		f.Add("invoice_phone", "bizinfo.err.phone")
	}
	in.FinanceMobile = strings.TrimSpace(in.FinanceMobile)
	if !mobileRe.MatchString(in.FinanceMobile) {
		f.Add("finance_mobile", "bizinfo.err.mobile")
	}
	in.FinanceEmail = strings.TrimSpace(in.FinanceEmail)
	if a, err := mail.ParseAddress(in.FinanceEmail); err != nil || a.Address != in.FinanceEmail || len(in.FinanceEmail) > 100 {
		f.Add("finance_email", "bizinfo.err.email")
	}
	return f.Err()
}

// State is what the partner's page shows: the certified details (the
// payout target), the submission in progress, and the history.
type State struct {
	Partner   *partner.Partner
	Certified *Info
	Open      *Info
	Latest    *Info // the newest submission (open, certified or failed)
	History   []Info
}

// Load reads the actor's tenant's certification.
func (s Service) Load(ctx context.Context, p *access.Principal) (_ *State, err error) {
	defer apperr.Wrap(&err, "bizinfo.Load")
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	pt, err := partner.Store{DB: s.DB}.Get(ctx, pid)
	if err != nil {
		return nil, err
	}
	st := &State{Partner: pt}
	if err := s.DB.WithContext(ctx).Where("partner_id = ?", pid).Order("id DESC").Limit(50).Find(&st.History).Error; err != nil {
		return nil, err
	}
	for i := range st.History {
		h := &st.History[i]
		if i == 0 {
			st.Latest = h
		}
		if h.Status == StateCertified && st.Certified == nil {
			st.Certified = h
		}
		if h.Open() && st.Open == nil {
			st.Open = h
		}
	}
	return st, nil
}

// Certified is the gate other packages ask (incentives, MDF, settlement):
// whether the partner's business information is certified, and its
// certified details (the payout target) — build-plan 1.B.
func Certified(ctx context.Context, g *gorm.DB, partnerID int64) (bool, *Info, error) {
	var rows []Info
	if err := g.WithContext(ctx).Where("partner_id = ? AND status = ?", partnerID, StateCertified).Limit(1).Find(&rows).Error; err != nil {
		return false, nil, err
	}
	if len(rows) == 0 {
		return false, nil, nil
	}
	return true, &rows[0], nil
}

// Required reports a partner that must certify its business information
// and has neither certified details nor a submission in progress: a
// solution provider or master distributor (§6.2.2; programs paid by the
// vendor gate on Certified themselves).
func (s Service) Required(ctx context.Context, p *access.Principal) (_ bool, err error) {
	defer apperr.Wrap(&err, "bizinfo.Required")
	pid, err := p.Tenant()
	if err != nil || !(p.HasIdentity("solution_provider") || p.HasIdentity("master_distributor")) {
		return false, err
	}
	var n int64
	err = s.DB.WithContext(ctx).Model(&Info{}).Where("partner_id = ? AND status IN ?", pid,
		[]string{StateCertified, StateVerifying, StatePendingManual, StateLetterNeeded, StateLetterPending, StateLetterReview}).
		Count(&n).Error
	return n == 0, err
}

// randomFen is 0.01–0.99 (§6.2.6).
func randomFen() decimal.Decimal {
	n, err := rand.Int(rand.Reader, big.NewInt(99))
	if err != nil {
		return decimal.New(1, -2)
	}
	return decimal.New(n.Int64()+1, -2)
}

// Submit certifies (or re-certifies, 重新认证) the actor's company: the
// main account only; one submission at a time; the taxpayer type is
// chosen once — after a certification it is the certified one (the
// vendor changes it, §6.2.11). The automatic verification runs as a job
// after VerifyDelay.
func (s Service) Submit(ctx context.Context, p *access.Principal, in Input) (_ *Info, err error) {
	defer apperr.Wrap(&err, "bizinfo.Submit")
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	if !p.IsMain {
		return nil, &apperr.Error{Kind: apperr.KindForbidden, Key: "bizinfo.err.main_only"}
	}
	var out *Info
	err = jobs.WithTx(ctx, s.DB, func(tx *gorm.DB, enqueue jobs.Enqueue) error {
		if err := (partner.Store{DB: tx}).Lock(ctx, pid, "UPDATE"); err != nil {
			return err
		}
		pt, err := partner.Store{DB: tx}.Get(ctx, pid)
		if err != nil {
			return err
		}
		ok, certified, err := Certified(ctx, tx, pid)
		if err != nil {
			return err
		}
		if ok {
			in.TaxpayerType = certified.TaxpayerType
		}
		if err := validate(&in, pt.Name); err != nil {
			return err
		}
		var open int64
		if err := tx.WithContext(ctx).Model(&Info{}).Where("partner_id = ? AND status IN ?", pid,
			[]string{StateVerifying, StatePendingManual, StateLetterNeeded, StateLetterPending, StateLetterReview}).Count(&open).Error; err != nil {
			return err
		}
		if open > 0 {
			return apperr.Conflict("bizinfo.err.in_progress")
		}
		now := s.now()
		uid := p.UserID
		info := &Info{PartnerID: pid, Status: StateVerifying, SupplierName: in.SupplierName, BankName: in.BankName,
			AccountNo: in.AccountNo, BranchName: in.BranchName, BranchNo: in.BranchNo, AccountName: in.AccountName,
			Currency: "CNY", TaxpayerType: in.TaxpayerType, InvoiceTitle: pt.Name, TaxID: pt.CreditCode,
			InvoiceAddress: in.InvoiceAddress, InvoicePhone: in.InvoicePhone, FinanceName: in.FinanceName,
			FinanceMobile: in.FinanceMobile, FinanceEmail: in.FinanceEmail, RandomAmount: randomFen(),
			SubmittedBy: &uid, SubmittedAt: now, UpdatedAt: now}
		if err := tx.WithContext(ctx).Create(info).Error; err != nil {
			return err
		}
		if _, err := enqueue(VerifyArgs{ID: info.ID}, &river.InsertOpts{ScheduledAt: now.Add(VerifyDelay)}); err != nil {
			return err
		}
		out = info
		return audit.Record(ctx, tx, audit.Change{PartnerID: pid, Action: "business_info.submit", ObjectType: "business_info",
			ObjectID: info.ID, After: map[string]any{"bank_name": info.BankName, "account_no": Mask(info.AccountNo),
				"account_name": info.AccountName, "taxpayer_type": info.TaxpayerType, "recertify": ok}})
	})
	return out, err
}

// Mask keeps the last four digits of an account number (the audit log,
// lists).
func Mask(no string) string {
	if len(no) <= 4 {
		return no
	}
	return strings.Repeat("*", len(no)-4) + no[len(no)-4:]
}

// Supplier is the vendor's supplier-system record of a credit code (nil
// when the company is no supplier).
func Supplier(ctx context.Context, g *gorm.DB, creditCode string) (*SupplierRecord, error) {
	var rows []SupplierRecord
	if err := g.WithContext(ctx).Table("supplier_bank_records").Where("credit_code = ?", creditCode).Limit(1).Scan(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return &rows[0], nil
}

// SupplierRecord is a row of supplier_bank_records: the vendor's
// supplier-system bank details of a company (§6.2.9).
type SupplierRecord struct {
	CreditCode, SupplierName, BankName, AccountNo, BranchNo, AccountName string
}

// Differs lists the fields where the submission and the supplier record
// disagree (message keys of the fields).
func (r *SupplierRecord) Differs(i *Info) []string {
	var out []string
	if onboarding.NormalizeName(r.BankName) != onboarding.NormalizeName(i.BankName) {
		out = append(out, "bank_name")
	}
	if r.AccountNo != i.AccountNo {
		out = append(out, "account_no")
	}
	if r.BranchNo != i.BranchNo {
		out = append(out, "branch_no")
	}
	if onboarding.NormalizeName(r.AccountName) != onboarding.NormalizeName(i.AccountName) {
		out = append(out, "account_name")
	}
	return out
}

// Verify is the automatic verification of a submission (the job):
// against the supplier record when the company is a vendor supplier (a
// difference needs a bank letter, §6.2.9); an account name that matches
// the company name only once normalised goes to a person; anything else
// is certified. A submission no longer being verified is left alone.
func (s Service) Verify(ctx context.Context, id int64) (err error) {
	defer apperr.Wrap(&err, "bizinfo.Verify(%d)", id)
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		info, err := lock(ctx, tx, id)
		if err != nil || info.Status != StateVerifying {
			return err
		}
		pt, err := partner.Store{DB: tx}.Get(ctx, info.PartnerID)
		if err != nil {
			return err
		}
		rec, err := Supplier(ctx, tx, pt.CreditCode)
		if err != nil {
			return err
		}
		switch {
		case rec != nil && len(rec.Differs(info)) > 0:
			return s.move(ctx, tx, access.System, info, StateLetterNeeded, map[string]any{"failure_key": "bizinfo.fail.supplier_mismatch"},
				"bizinfo.msg.letter_needed")
		case strings.TrimSpace(info.AccountName) != strings.TrimSpace(pt.Name):
			return s.move(ctx, tx, access.System, info, StatePendingManual, nil, "")
		}
		return s.certify(ctx, tx, access.System, info)
	})
}

func lock(ctx context.Context, tx *gorm.DB, id int64) (*Info, error) {
	var info Info
	err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).First(&info, id).Error
	if db.IsNotFound(err) {
		return nil, apperr.NotFound()
	}
	return &info, err
}

// move changes a submission's state (guarded by the state it had), audits
// it and, with a message key, tells the partner's main account.
func (s Service) move(ctx context.Context, tx *gorm.DB, p *access.Principal, info *Info, to string, extra map[string]any, notice string) error {
	from := info.Status
	upd := map[string]any{"status": to, "updated_at": s.now()}
	for k, v := range extra {
		upd[k] = v
	}
	if p.UserID != 0 && p.IsVendor {
		upd["decided_by"] = p.UserID
	}
	res := tx.WithContext(ctx).Model(&Info{}).Where("id = ? AND status = ?", info.ID, from).Updates(upd)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return apperr.Conflict("bizinfo.err.changed")
	}
	info.Status = to
	after := map[string]any{"status": to}
	for k, v := range extra {
		if k != "letter_draft_file_id" && k != "letter_file_id" && k != "failure_key" {
			after[k] = v
		}
	}
	if err := audit.Record(ctx, tx, audit.Change{PartnerID: info.PartnerID, Action: "business_info." + to, ObjectType: "business_info",
		ObjectID: info.ID, Before: map[string]any{"status": from}, After: after}); err != nil {
		return err
	}
	if notice == "" {
		return nil
	}
	main, err := identity.Users{DB: tx}.MainAccountID(ctx, info.PartnerID)
	if err != nil || main == 0 {
		return err
	}
	return notify.Send(ctx, tx, notify.Note{To: main, Partner: info.PartnerID, Subject: notice + ".subject", Body: notice + ".body",
		Params: map[string]any{"Reason": info.FailureReason}, Link: "/profile/business", At: s.now()})
}

// certify makes a submission the certified one; the previous certified
// row becomes history.
func (s Service) certify(ctx context.Context, tx *gorm.DB, p *access.Principal, info *Info) error {
	if err := tx.WithContext(ctx).Model(&Info{}).Where("partner_id = ? AND status = ? AND id <> ?", info.PartnerID, StateCertified, info.ID).
		Updates(map[string]any{"status": StateSuperseded, "updated_at": s.now()}).Error; err != nil {
		return err
	}
	now := s.now()
	return s.move(ctx, tx, p, info, StateCertified, map[string]any{"certified_at": now, "failure_key": "", "failure_reason": ""},
		"bizinfo.msg.certified")
}

// vendorLock locks a submission for the vendor's business-information
// reviewers (vendor finance); anyone else finds nothing.
func vendorLock(ctx context.Context, tx *gorm.DB, p *access.Principal, id int64) (*Info, error) {
	if _, err := p.Staff(); err != nil {
		return nil, apperr.NotFound()
	}
	return lock(ctx, tx, id)
}

// Decide is the reviewer's decision on a submission that needs a person:
// certify, or fail it with the reason (the partner re-certifies).
func (s Service) Decide(ctx context.Context, p *access.Principal, id int64, certify bool, reason string) (err error) {
	defer apperr.Wrap(&err, "bizinfo.Decide(%d)", id)
	return s.review(ctx, p, id, StatePendingManual, certify, reason, StateFailed, "bizinfo.msg.failed")
}

// review is a reviewer's yes or no on a submission in state from: yes
// certifies it, no (the reason required) moves it to refused with the
// reason and tells the partner (notice).
func (s Service) review(ctx context.Context, p *access.Principal, id int64, from string, yes bool, reason, refused, notice string) error {
	reason = strings.TrimSpace(reason)
	if !yes && reason == "" {
		return apperr.FieldError("reason", "bizinfo.err.reason_required")
	}
	if utf8.RuneCountInString(reason) > 500 {
		return apperr.FieldError("reason", "bizinfo.err.too_long")
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		info, err := vendorLock(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if info.Status != from {
			return apperr.Conflict("bizinfo.err.changed")
		}
		if yes {
			return s.certify(ctx, tx, p, info)
		}
		info.FailureReason = reason
		return s.move(ctx, tx, p, info, refused, map[string]any{"failure_reason": reason, "failure_key": ""}, notice)
	})
}

// GenerateLetter draws the bank-letter draft from the submitted bank
// details (§6.2.9) and asks the partner to stamp and upload it.
func (s Service) GenerateLetter(ctx context.Context, p *access.Principal, id int64) (err error) {
	defer apperr.Wrap(&err, "bizinfo.GenerateLetter(%d)", id)
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		info, err := vendorLock(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if info.Status != StateLetterNeeded {
			return apperr.Conflict("bizinfo.err.changed")
		}
		pt, err := partner.Store{DB: tx}.Get(ctx, info.PartnerID)
		if err != nil {
			return err
		}
		data, err := LetterPDF(info, pt, s.now())
		if err != nil {
			return err
		}
		fid, _, err := files.Save(ctx, tx, files.Upload{PartnerID: info.PartnerID, UserID: p.UserID, Name: "银行函草稿-" + pt.Name + ".pdf",
			Data: data, At: s.now()}, []string{files.PDF}, files.MaxSize, "letter")
		if err != nil {
			return err
		}
		return s.move(ctx, tx, p, info, StateLetterPending, map[string]any{"letter_draft_file_id": fid}, "bizinfo.msg.letter_ready")
	})
}

// UploadLetter takes the stamped bank letter's scan (main account); the
// vendor handles it within LetterDays working days.
func (s Service) UploadLetter(ctx context.Context, p *access.Principal, up files.Upload) (err error) {
	defer apperr.Wrap(&err, "bizinfo.UploadLetter")
	pid, err := p.Tenant()
	if err != nil {
		return err
	}
	if !p.IsMain {
		return &apperr.Error{Kind: apperr.KindForbidden, Key: "bizinfo.err.main_only"}
	}
	if len(up.Data) == 0 {
		return apperr.FieldError("letter", "bizinfo.err.letter_required")
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		var ids []int64
		if err := tx.WithContext(ctx).Model(&Info{}).Where("partner_id = ? AND status = ?", pid, StateLetterPending).Pluck("id", &ids).Error; err != nil {
			return err
		}
		if len(ids) == 0 {
			return apperr.Conflict("bizinfo.err.no_letter_pending")
		}
		info, err := lock(ctx, tx, ids[0])
		if err != nil {
			return err
		}
		up.PartnerID, up.UserID, up.At = pid, p.UserID, s.now()
		fid, _, err := files.Save(ctx, tx, up, files.Documents, files.MaxSize, "letter")
		if err != nil {
			return err
		}
		cal, err := approval.LoadCalendar(ctx, tx, s.now())
		if err != nil {
			return err
		}
		due := cal.AddWorkingDays(s.now(), LetterDays)
		return s.move(ctx, tx, p, info, StateLetterReview, map[string]any{"letter_file_id": fid, "letter_due_at": due, "failure_reason": ""}, "")
	})
}

// DecideLetter accepts the stamped letter (certified) or refuses it with
// the reason (the partner uploads another, §6.2.9: fresh seals only).
func (s Service) DecideLetter(ctx context.Context, p *access.Principal, id int64, accept bool, reason string) (err error) {
	defer apperr.Wrap(&err, "bizinfo.DecideLetter(%d)", id)
	return s.review(ctx, p, id, StateLetterReview, accept, reason, StateLetterPending, "bizinfo.msg.letter_refused")
}

// ChangeTaxpayer changes the taxpayer type of a partner's certified
// details (the vendor, on the partner's work order: §6.2.11).
func (s Service) ChangeTaxpayer(ctx context.Context, p *access.Principal, id int64, taxpayer string) (err error) {
	defer apperr.Wrap(&err, "bizinfo.ChangeTaxpayer(%d)", id)
	if taxpayer != TaxpayerGeneral && taxpayer != TaxpayerSmallScale {
		return apperr.FieldError("taxpayer_type", "bizinfo.err.taxpayer_type")
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		info, err := vendorLock(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if info.Status != StateCertified {
			return apperr.Conflict("bizinfo.err.not_certified")
		}
		if info.TaxpayerType == taxpayer {
			return nil
		}
		if err := tx.WithContext(ctx).Model(&Info{}).Where("id = ?", info.ID).
			Updates(map[string]any{"taxpayer_type": taxpayer, "updated_at": s.now()}).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{PartnerID: info.PartnerID, Action: "business_info.taxpayer", ObjectType: "business_info",
			ObjectID: info.ID, Before: map[string]any{"taxpayer_type": info.TaxpayerType}, After: map[string]any{"taxpayer_type": taxpayer}})
	})
}

// Query filters the vendor's list.
type Query struct {
	Status  string
	Partner string
	Page    int
	PerPage int
}

// Row is a submission with its partner's name.
type Row struct {
	Info
	PartnerName string
	CreditCode  string
}

// List is the vendor's 商业信息审核 list, oldest waiting first.
func (s Service) List(ctx context.Context, p *access.Principal, q Query) (_ []Row, total int64, err error) {
	defer apperr.Wrap(&err, "bizinfo.List")
	if _, err := p.Staff(); err != nil {
		return nil, 0, apperr.NotFound()
	}
	g := s.DB.WithContext(ctx).Table("business_infos b").Joins("JOIN partners pt ON pt.id = b.partner_id")
	if q.Status != "" {
		g = g.Where("b.status = ?", q.Status)
	}
	if v := strings.TrimSpace(q.Partner); v != "" {
		g = g.Where("pt.name ILIKE ?", "%"+strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(v)+"%")
	}
	if err := g.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, err
	}
	if q.PerPage <= 0 || q.PerPage > 100 {
		q.PerPage = 20
	}
	q.Page = max(q.Page, 1)
	var rows []Row
	err = g.Select("b.*, pt.name AS partner_name, pt.credit_code").Order("b.submitted_at, b.id").
		Offset((q.Page - 1) * q.PerPage).Limit(q.PerPage).Scan(&rows).Error
	return rows, total, err
}

// Detail is one submission for the vendor, with the supplier record.
type Detail struct {
	Row
	Supplier *SupplierRecord
	Differs  []string
}

// Get reads one submission for the vendor.
func (s Service) Get(ctx context.Context, p *access.Principal, id int64) (_ *Detail, err error) {
	defer apperr.Wrap(&err, "bizinfo.Get(%d)", id)
	if _, err := p.Staff(); err != nil {
		return nil, apperr.NotFound()
	}
	var rows []Row
	if err := s.DB.WithContext(ctx).Table("business_infos b").Joins("JOIN partners pt ON pt.id = b.partner_id").
		Select("b.*, pt.name AS partner_name, pt.credit_code").Where("b.id = ?", id).Limit(1).Scan(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, apperr.NotFound()
	}
	d := &Detail{Row: rows[0]}
	if d.Supplier, err = Supplier(ctx, s.DB, d.CreditCode); err != nil {
		return nil, err
	}
	if d.Supplier != nil {
		d.Differs = d.Supplier.Differs(&d.Info)
	}
	return d, nil
}

// File returns a letter file of a submission: the partner's own (its
// tenant) or, for vendor staff, any.
func (s Service) File(ctx context.Context, p *access.Principal, id int64, which string) (_ *files.File, err error) {
	defer apperr.Wrap(&err, "bizinfo.File(%d)", id)
	var info Info
	q := s.DB.WithContext(ctx).Where("id = ?", id)
	var owner int64
	if _, serr := p.Staff(); serr != nil {
		pid, err := p.Tenant()
		if err != nil {
			return nil, apperr.NotFound()
		}
		q = q.Where("partner_id = ?", pid)
		owner = pid
	}
	if err := q.First(&info).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, apperr.NotFound()
		}
		return nil, err
	}
	if owner == 0 {
		owner = info.PartnerID
	}
	fid := info.LetterDraftFileID
	if which == "letter" {
		fid = info.LetterFileID
	}
	if fid == nil {
		return nil, apperr.NotFound()
	}
	return files.Get(ctx, s.DB, owner, *fid)
}

// VerifyArgs is the automatic verification job of a submission.
type VerifyArgs struct {
	ID int64 `json:"id"`
}

// Kind names the job in River's table.
func (VerifyArgs) Kind() string { return "business_info_verify" }

// VerifyWorker runs Verify.
type VerifyWorker struct {
	river.WorkerDefaults[VerifyArgs]
	Service Service
}

// Work verifies one submission.
func (w *VerifyWorker) Work(ctx context.Context, j *river.Job[VerifyArgs]) error {
	return w.Service.Verify(ctx, j.Args.ID)
}

// AddWorkers registers the verification worker.
func AddWorkers(ws *river.Workers, s Service) { river.AddWorker(ws, &VerifyWorker{Service: s}) }

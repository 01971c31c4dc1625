package incentive

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/bizinfo"
	"partnercenter/internal/events"
	"partnercenter/internal/funds"
	"partnercenter/internal/identity"
	"partnercenter/internal/ledger"
	"partnercenter/internal/notify"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
	"partnercenter/internal/platform/money"
)

// 激励管理 (seed 003 §12.1.5.5–45, R32–R41; build-plan WP4; issue 13): a
// confirmed bill's payable incentives (incentive_items, one per
// association type) are applied for in one 申付单 (payment_applications)
// and paid by vendor finance.

// Item states and payout methods (R34, §12.1.5.14, §12.1.5.23).
const (
	ItemPending = "pending" // 待申请
	ItemApplied = "applied" // 已申请
	ItemPaid    = "paid"    // 已发放
	ItemExpired = "expired" // 已失效 (expiry and netting, §12.1.5.35)

	MethodBank         = "bank"          // 银行转账付款 (invoice)
	MethodAccount      = "account"       // 返华为云账户 (invoice; withdrawable later)
	MethodAccountOwed  = "account_owed"  // 返华为云账户-记欠票 (no invoice)
	MethodVoucherQuota = "voucher_quota" // 转代金券额度 (no invoice)

	AppSubmitted       = "submitted"        // 已提交
	AppAwaitingInvoice = "awaiting_invoice" // 待开票
	AppInvoiceReceived = "invoice_received" // 已收票
	AppCompleted       = "completed"        // 已完成
	AppRejected        = "rejected"         // 已驳回
)

// Methods lists the payout methods in display order; AppStates the
// application states.
var (
	Methods    = []string{MethodAccountOwed, MethodBank, MethodAccount, MethodVoucherQuota}
	AppStates  = []string{AppSubmitted, AppAwaitingInvoice, AppInvoiceReceived, AppCompleted, AppRejected}
	ItemStates = []string{ItemPending, ItemApplied, ItemPaid, ItemExpired}
)

// NewResaleSince is when resale incentives changed methods: those
// generated from October 2023 are paid without an invoice (§12.1.5.14).
var NewResaleSince = time.Date(2023, time.October, 1, 0, 0, 0, 0, clock.China)

// PaymentDays is the promise: paid within 15 natural days of a qualified
// invoice (R36, §12.1.5.15).
const PaymentDays = 15

// Refusals the seeds word (§12.1.5.36) and ours.
const (
	ErrNegativeTotal = "incentive.err.negative_total" // 负激励大于可申请的激励时无法申请激励发放。
	ErrNotCertified  = "incentive.err.not_certified"
	ErrMethod        = "incentive.err.method"
	ErrNothing       = "incentive.err.nothing_selected"
	ErrItemsChanged  = "incentive.err.items_changed"
)

// Item is a payable incentive (激励).
type Item struct {
	ID            int64
	BillID        *string // nil: the remainder of a netting
	PartnerID     int64
	PeriodCode    string
	Name          string
	Mode          string
	Amount        decimal.Decimal
	GeneratedAt   time.Time
	Status        string
	ApplicationID *int64
	// ExpiresAt is set a year after the partner's programme identity
	// lapsed (§12.1.5.20); ExpiredAt when it expired; NettingID is the
	// netting that expired it or, Origin "netting", that created it.
	ExpiresAt *time.Time
	ExpiredAt *time.Time
	NettingID *int64
	Origin    string `gorm:"default:bill"` // bill | netting
}

// TableName maps Item to incentive_items.
func (Item) TableName() string { return "incentive_items" }

// Methods are the payout methods the item allows: a resale incentive
// generated from October 2023 goes to the account with the invoice owed
// or to voucher quota; the others by bank, to the account, or to voucher
// quota (R34).
func (it *Item) Methods() []string {
	if it.Mode == "resale" && !it.GeneratedAt.Before(NewResaleSince) {
		return []string{MethodAccountOwed, MethodVoucherQuota}
	}
	return []string{MethodBank, MethodAccount, MethodVoucherQuota}
}

// Application is a 申付单.
type Application struct {
	ID           int64
	No           string
	PartnerID    int64
	Method       string
	Total        decimal.Decimal
	Status       string
	NeedsInvoice bool
	RequestKey   string
	SubmittedBy  *int64
	SubmittedAt  time.Time
	InvoiceNos   string
	InvoiceAt    *time.Time
	PaymentRef   string
	CompletedAt  *time.Time
	RejectReason string
	DecidedBy    *int64
	DecisionKey  string // the idempotency key of finance's 付款完成 or 驳回
	LedgerTxID   *int64
}

// TableName maps Application to payment_applications.
func (Application) TableName() string { return "payment_applications" }

// PayBy is the promised payment date: 15 natural days after the invoice
// was received (R36), nil before.
func (a *Application) PayBy() *time.Time {
	if a.InvoiceAt == nil {
		return nil
	}
	t := a.InvoiceAt.AddDate(0, 0, PaymentDays)
	return &t
}

// needsInvoice reports the methods the partner invoices for (§12.1.5.14).
func needsInvoice(method string) bool { return method == MethodBank || method == MethodAccount }

// itemsOf writes a confirmed bill's payable incentives: its lines' amount
// by association type, rounded to the fen, the last type taking the rest
// so the items add up to the bill; a bill without lines is one item.
func itemsOf(ctx context.Context, tx *gorm.DB, b *Bill, at time.Time) error {
	if b.Amount.IsZero() {
		return nil
	}
	var modes []struct {
		Mode   string
		Amount decimal.Decimal
	}
	if err := tx.WithContext(ctx).Raw(`SELECT mode, sum(amount) AS amount FROM incentive_details WHERE bill_id = ? GROUP BY mode ORDER BY mode`,
		b.ID).Scan(&modes).Error; err != nil {
		return err
	}
	if len(modes) == 0 {
		modes = append(modes, struct {
			Mode   string
			Amount decimal.Decimal
		}{b.Association, b.Amount})
	}
	var name string
	if err := tx.WithContext(ctx).Raw(`SELECT name FROM incentive_policies WHERE id = ?`, b.PolicyID).Scan(&name).Error; err != nil {
		return err
	}
	rest := b.Amount
	for i, m := range modes {
		amount := m.Amount.Round(2)
		if i == len(modes)-1 {
			amount = rest
		}
		rest = rest.Sub(amount)
		if amount.IsZero() {
			continue
		}
		if err := tx.WithContext(ctx).Create(&Item{BillID: &b.ID, Origin: "bill", PartnerID: b.PartnerID, PeriodCode: b.PeriodCode, Name: name,
			Mode: m.Mode, Amount: amount, GeneratedAt: at, Status: ItemPending}).Error; err != nil {
			return err
		}
	}
	return nil
}

// PayoutPage is what 激励申请 shows: the incentives waiting to be applied
// for, oldest first; whether the business information is certified (else
// the button leads to 商业信息认证); the voucher quota; and the nettings
// of expired incentives with their records.
type PayoutPage struct {
	Items     []Item
	Certified bool
	Quota     decimal.Decimal
	Nettings  []Netting
	Netted    map[int64][]Item // by netting id
}

// Payouts reads 激励申请 of the actor's tenant.
func (s Service) Payouts(ctx context.Context, p *access.Principal) (_ *PayoutPage, err error) {
	defer apperr.Wrap(&err, "incentive.Payouts")
	pid, err := tenantOf(p)
	if err != nil {
		return nil, err
	}
	out := &PayoutPage{}
	if err := s.DB.WithContext(ctx).Where("partner_id = ? AND status = ?", pid, ItemPending).Order("generated_at, id").Find(&out.Items).Error; err != nil {
		return nil, err
	}
	if out.Certified, _, err = bizinfo.Certified(ctx, s.DB, pid); err != nil {
		return nil, err
	}
	bal, err := ledger.SumBalances(ctx, s.DB, pid, ledger.KindPartnerVoucherQuota)
	if err != nil {
		return nil, err
	}
	out.Quota = bal[ledger.KindPartnerVoucherQuota]
	out.Nettings, out.Netted, err = s.nettings(ctx, pid)
	return out, err
}

// Apply is 申请发放 of the selected incentives with a payout method, as
// one 申付单 (R40: one submission, one application, across periods and
// types). Every pending negative incentive is included whatever was
// selected (they are pre-selected and cannot be unticked, §12.1.5.36);
// the total must be ≥ 0 (R38) — else the seed's sentence; every item must
// allow the method (R34; a negative is netted whatever the method); the
// business information must be certified.
// The request key makes a repeated submission return the same
// application. Without an invoice (返华为云账户-记欠票) the application is
// completed at once and the account credited.
func (s Service) Apply(ctx context.Context, p *access.Principal, ids []int64, method, key string) (_ *Application, err error) {
	defer apperr.Wrap(&err, "incentive.Apply")
	pid, err := tenantOf(p)
	if err != nil {
		return nil, err
	}
	return s.apply(ctx, pid, p.UserID, ids, method, key)
}

// apply is Apply for a partner, submitted by userID (0: the daily
// 自动申请 job).
func (s Service) apply(ctx context.Context, pid, userID int64, ids []int64, method, key string) (_ *Application, err error) {
	if !ledger.ValidKey(key) {
		return nil, apperr.Invalid("error.bad_request")
	}
	var out *Application
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		var done []Application
		if err := tx.WithContext(ctx).Where("partner_id = ? AND request_key = ?", pid, key).Limit(1).Find(&done).Error; err != nil {
			return err
		}
		if len(done) == 1 {
			out = &done[0]
			return nil
		}
		ok, _, err := bizinfo.Certified(ctx, tx, pid)
		if err != nil {
			return err
		}
		if !ok {
			return apperr.Conflict(ErrNotCertified)
		}
		var items []Item
		if err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).
			Where("partner_id = ? AND status = ? AND (id IN ? OR amount < 0)", pid, ItemPending, append(ids, 0)).
			Order("id").Find(&items).Error; err != nil {
			return err
		}
		found := map[int64]bool{}
		total := decimal.Zero
		positive := false
		for i := range items {
			found[items[i].ID] = true
			total = total.Add(items[i].Amount)
			positive = positive || items[i].Amount.IsPositive()
		}
		for _, id := range ids {
			if !found[id] {
				return apperr.Conflict(ErrItemsChanged)
			}
		}
		if !positive {
			return apperr.FieldError("items", ErrNothing)
		}
		if total.IsNegative() {
			return apperr.Conflict(ErrNegativeTotal)
		}
		// The positives must allow the method; the negatives are netted
		// whatever it is (they travel with every application).
		for i := range items {
			if items[i].Amount.IsNegative() {
				continue
			}
			allowed := false
			for _, m := range items[i].Methods() {
				allowed = allowed || m == method
			}
			if !allowed {
				return apperr.FieldError("method", ErrMethod)
			}
		}
		now := s.now()
		no, err := nextNo(ctx, tx, now)
		if err != nil {
			return err
		}
		app := Application{No: no, PartnerID: pid, Method: method, Total: total, Status: AppSubmitted, NeedsInvoice: needsInvoice(method),
			RequestKey: key, SubmittedAt: now}
		if userID != 0 {
			app.SubmittedBy = &userID
		}
		if app.NeedsInvoice {
			app.Status = AppAwaitingInvoice
		}
		if err := tx.WithContext(ctx).Create(&app).Error; err != nil {
			return err
		}
		itemIDs := make([]int64, len(items))
		for i := range items {
			itemIDs[i] = items[i].ID
		}
		res := tx.WithContext(ctx).Model(&Item{}).Where("id IN ? AND status = ?", itemIDs, ItemPending).
			Updates(map[string]any{"status": ItemApplied, "application_id": app.ID})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != int64(len(items)) {
			return apperr.Conflict(ErrItemsChanged)
		}
		if err := audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pid, Action: "incentive.apply", ObjectType: "payment_application",
			ObjectID: app.ID, After: map[string]any{"application_no": app.No, "method": method, "amount": total.StringFixed(2), "incentives": len(items)}}); err != nil {
			return err
		}
		if err := appEvent(ctx, tx, &app, app.Status, now); err != nil {
			return err
		}
		if !app.NeedsInvoice {
			if err := s.complete(ctx, tx, &app, AppSubmitted, "", 0, ""); err != nil {
				return err
			}
		}
		out = &app
		return nil
	})
	return out, err
}

// nextNo is the day's next 申付单号 (iTh-YYYYMMDDNNNNN), under a lock so
// two submissions never take one number.
func nextNo(ctx context.Context, tx *gorm.DB, now time.Time) (string, error) {
	if err := tx.WithContext(ctx).Exec(`SELECT pg_advisory_xact_lock(hashtext('payment_application_no'))`).Error; err != nil {
		return "", err
	}
	prefix := "iTh-" + now.In(clock.China).Format("20060102")
	var n int64
	if err := tx.WithContext(ctx).Model(&Application{}).Where("no LIKE ?", prefix+"%").Count(&n).Error; err != nil {
		return "", err
	}
	return fmt.Sprintf("%s%05d", prefix, n+1), nil
}

// complete pays an application through the ledger in the caller's
// transaction: 返华为云账户 credits the partner's account (a recharge from
// the incentive source, visible in 收支明细 and withdrawable; with 记欠票
// the source says the invoice is owed, and the invoice page counts it),
// 转代金券额度 credits the voucher quota account, 银行转账 records the
// payment reference. Its incentives are paid, and each bill whose
// incentives are all paid turns 发放成功.
func (s Service) complete(ctx context.Context, tx *gorm.DB, app *Application, from, ref string, by int64, key string) error {
	now := s.now()
	upd := map[string]any{"status": AppCompleted, "completed_at": now, "payment_ref": ref, "decision_key": key}
	if by != 0 {
		upd["decided_by"] = by
	}
	if posted, err := s.credit(ctx, tx, app, now); err != nil {
		return err
	} else if posted != nil {
		upd["ledger_tx_id"] = posted.Transaction.ID
		app.LedgerTxID = &posted.Transaction.ID
	}
	res := tx.WithContext(ctx).Model(&Application{}).Where("id = ? AND status = ?", app.ID, from).Updates(upd)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return apperr.Conflict("incentive.err.app_state")
	}
	if err := tx.WithContext(ctx).Model(&Item{}).Where("application_id = ?", app.ID).Update("status", ItemPaid).Error; err != nil {
		return err
	}
	if err := s.billsPaid(ctx, tx, app, now); err != nil {
		return err
	}
	app.Status, app.CompletedAt, app.PaymentRef = AppCompleted, &now, ref
	if err := appEvent(ctx, tx, app, AppCompleted, now); err != nil {
		return err
	}
	if err := audit.Record(ctx, tx, audit.Change{At: now, PartnerID: app.PartnerID, Action: "incentive.paid", ObjectType: "payment_application",
		ObjectID: app.ID, Before: map[string]any{"status": from}, After: map[string]any{"status": AppCompleted, "payment_ref": ref}}); err != nil {
		return err
	}
	return s.announce(ctx, tx, app, "incentive.msg.paid.subject", "incentive.msg.paid.body", nil)
}

// credit posts an application's money: to the partner's cash account
// (返华为云账户, with or without the invoice owed) or its voucher quota
// account (转代金券额度), from the vendor's clearing account. A bank
// transfer and a zero total post nothing.
func (s Service) credit(ctx context.Context, tx *gorm.DB, app *Application, now time.Time) (*ledger.Posted, error) {
	if !app.Total.IsPositive() || app.Method == MethodBank {
		return nil, nil
	}
	bank, err := ledger.Vendor(ctx, tx, ledger.KindVendorBank)
	if err != nil {
		return nil, err
	}
	m := ledger.Move{PartnerID: app.PartnerID, Kind: ledger.TxRecharge, Amount: app.Total, Source: funds.SourceIncentive,
		PayerName: "华为云激励", Reference: app.No, Memo: "激励发放 " + app.No, At: now}
	var to *ledger.Account
	switch app.Method {
	case MethodVoucherQuota:
		m.Kind, m.Source, m.Memo = ledger.TxVoucherQuota, "", "激励转代金券额度 "+app.No
		to, err = ledger.PartnerVoucherQuota(ctx, tx, app.PartnerID)
	case MethodAccountOwed:
		m.Source = funds.SourceIncentiveOwed
		to, err = ledger.PartnerCash(ctx, tx, app.PartnerID)
	default:
		to, err = ledger.PartnerCash(ctx, tx, app.PartnerID)
	}
	if err != nil {
		return nil, err
	}
	m.Legs = []ledger.Leg{{AccountID: bank.ID, Amount: app.Total.Neg()}, {AccountID: to.ID, Amount: app.Total}}
	return ledger.Post(ctx, tx, m)
}

// billsPaid turns 发放成功 each confirmed bill of the application whose
// incentives are now all paid.
func (s Service) billsPaid(ctx context.Context, tx *gorm.DB, app *Application, now time.Time) error {
	var paid []struct {
		ID         string
		PeriodCode string
		Amount     decimal.Decimal
	}
	if err := tx.WithContext(ctx).Raw(`UPDATE incentive_bills b SET status = ?, updated_at = ?
		WHERE b.status = ? AND b.id IN (SELECT bill_id FROM incentive_items WHERE application_id = ? AND bill_id IS NOT NULL)
		  AND NOT EXISTS (SELECT 1 FROM incentive_items i WHERE i.bill_id = b.id AND i.status <> ?)
		RETURNING b.id::text AS id, b.period_code, b.amount`, StatePaid, now, StateConfirmed, app.ID, ItemPaid).Scan(&paid).Error; err != nil {
		return err
	}
	for _, b := range paid {
		if err := audit.Record(ctx, tx, audit.Change{At: now, PartnerID: app.PartnerID, Action: "incentive.bill_paid", ObjectType: "incentive_bill",
			ObjectKey: b.ID, Before: map[string]any{"status": StateConfirmed}, After: map[string]any{"status": StatePaid, "application_no": app.No}}); err != nil {
			return err
		}
		if err := billEvent(ctx, tx, app.PartnerID, b.ID, b.PeriodCode, StatePaid, b.Amount, now); err != nil {
			return err
		}
	}
	return nil
}

// appEvent records the webhook-ready event of an application's state.
func appEvent(ctx context.Context, tx *gorm.DB, app *Application, status string, at time.Time) error {
	return events.Record(ctx, tx, app.PartnerID, events.IncentiveApplicationStatus, at,
		map[string]any{"application_no": app.No, "method": app.Method, "status": status, "total": app.Total.StringFixed(2)})
}

// announce sends the applicant (else the main account) a 站内信 about its
// application, linked to 申请记录.
func (s Service) announce(ctx context.Context, tx *gorm.DB, app *Application, subject, body string, extra map[string]any) error {
	to := int64(0)
	if app.SubmittedBy != nil {
		to = *app.SubmittedBy
	} else {
		id, err := identity.Users{DB: tx}.MainAccountID(ctx, app.PartnerID)
		if err != nil {
			return err
		}
		to = id
	}
	params := map[string]any{"No": app.No, "Amount": money.Grouped(app.Total, 2)}
	for k, v := range extra {
		params[k] = v
	}
	return notify.Send(ctx, tx, notify.Note{To: to, Partner: app.PartnerID, Subject: subject, Body: body, Params: params,
		Link: "/incentives/payouts/applications?no=" + app.No, At: s.now()})
}

// Applications lists the actor's tenant's 申付单 (申请记录), newest first.
func (s Service) Applications(ctx context.Context, p *access.Principal) (_ []Application, err error) {
	defer apperr.Wrap(&err, "incentive.Applications")
	pid, err := tenantOf(p)
	if err != nil {
		return nil, err
	}
	var out []Application
	err = s.DB.WithContext(ctx).Where("partner_id = ?", pid).Order("submitted_at DESC, id DESC").Limit(200).Find(&out).Error
	return out, err
}

// ApplicationItems are an application's incentives.
func (s Service) ApplicationItems(ctx context.Context, appIDs []int64) (map[int64][]Item, error) {
	out := map[int64][]Item{}
	if len(appIDs) == 0 {
		return out, nil
	}
	var items []Item
	if err := s.DB.WithContext(ctx).Where("application_id IN ?", appIDs).Order("generated_at, id").Find(&items).Error; err != nil {
		return nil, err
	}
	for _, it := range items {
		out[*it.ApplicationID] = append(out[*it.ApplicationID], it)
	}
	return out, nil
}

// PayoutRow is an application on vendor finance's desk.
type PayoutRow struct {
	Application
	PartnerName  string
	TaxpayerType string // certified ("" before)
}

// InvoiceDue is the invoice amount the partner's invoices must add up to.
func (r *PayoutRow) InvoiceDue() decimal.Decimal { return InvoiceAmount(r.Total, r.TaxpayerType) }

// PayoutDesk lists the applications vendor finance handles, by state
// (default: those waiting for it), oldest first.
func (s Service) PayoutDesk(ctx context.Context, p *access.Principal, state string) (_ []PayoutRow, err error) {
	defer apperr.Wrap(&err, "incentive.PayoutDesk")
	if _, err := p.Staff(); err != nil {
		return nil, err
	}
	q := s.DB.WithContext(ctx).Table("payment_applications a").Joins("JOIN partners p ON p.id = a.partner_id").
		Joins("LEFT JOIN business_infos bi ON bi.partner_id = a.partner_id AND bi.status = 'certified'").
		Select("a.*, p.name AS partner_name, coalesce(bi.taxpayer_type, '') AS taxpayer_type")
	if state != "" {
		q = q.Where("a.status = ?", state)
	} else {
		q = q.Where("a.status IN ?", []string{AppAwaitingInvoice, AppInvoiceReceived})
	}
	var out []PayoutRow
	err = q.Order("a.submitted_at, a.id").Limit(200).Scan(&out).Error
	return out, err
}

// lockApp locks an application: one of the partner's (pid), or any for
// vendor finance (pid 0). Another tenant's is not found.
func (s Service) lockApp(ctx context.Context, tx *gorm.DB, id, pid int64) (*Application, error) {
	q := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ?", id)
	if pid != 0 {
		q = q.Where("partner_id = ?", pid)
	}
	var app Application
	if err := q.First(&app).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, apperr.NotFound()
		}
		return nil, err
	}
	return &app, nil
}

// decided reports a decision already made with this key: the same
// submission again (a double click, a retry after a lost response).
func decided(app *Application, status, key string) bool {
	return app.Status == status && app.DecisionKey == key
}

// Pay is vendor finance's 付款完成 of an application whose invoice was
// received: the account credited or the bank transfer's reference kept.
// The form's key makes a repeated submission a no-op.
func (s Service) Pay(ctx context.Context, p *access.Principal, id int64, ref, key string) (err error) {
	defer apperr.Wrap(&err, "incentive.Pay(%d)", id)
	uid, err := p.Staff()
	if err != nil {
		return err
	}
	if !ledger.ValidKey(key) {
		return apperr.Invalid("error.bad_request")
	}
	ref = strings.TrimSpace(ref)
	if utf8.RuneCountInString(ref) > 100 {
		return apperr.FieldError("payment_ref", "incentive.err.payment_ref")
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		app, err := s.lockApp(ctx, tx, id, 0)
		if err != nil {
			return err
		}
		if decided(app, AppCompleted, key) {
			return nil
		}
		if app.Status != AppInvoiceReceived {
			return apperr.Conflict("incentive.err.app_state")
		}
		if app.Method == MethodBank && ref == "" {
			return apperr.FieldError("payment_ref", "incentive.err.payment_ref")
		}
		return s.complete(ctx, tx, app, AppInvoiceReceived, ref, uid, key)
	})
}

// RejectApplication is vendor finance's 驳回 with a reason: the
// incentives return to 待申请. The form's key makes a repeated submission
// a no-op.
func (s Service) RejectApplication(ctx context.Context, p *access.Principal, id int64, reason, key string) (err error) {
	defer apperr.Wrap(&err, "incentive.RejectApplication(%d)", id)
	uid, err := p.Staff()
	if err != nil {
		return err
	}
	if !ledger.ValidKey(key) {
		return apperr.Invalid("error.bad_request")
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 500 {
		return apperr.FieldError("reason", "incentive.err.reject_reason")
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		app, err := s.lockApp(ctx, tx, id, 0)
		if err != nil {
			return err
		}
		if decided(app, AppRejected, key) {
			return nil
		}
		if app.Status != AppAwaitingInvoice && app.Status != AppInvoiceReceived {
			return apperr.Conflict("incentive.err.app_state")
		}
		now := s.now()
		if err := tx.WithContext(ctx).Model(&Application{}).Where("id = ?", id).
			Updates(map[string]any{"status": AppRejected, "reject_reason": reason, "decided_by": uid, "decision_key": key}).Error; err != nil {
			return err
		}
		if err := tx.WithContext(ctx).Model(&Item{}).Where("application_id = ?", id).
			Updates(map[string]any{"status": ItemPending, "application_id": nil}).Error; err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Change{At: now, PartnerID: app.PartnerID, Action: "incentive.application_rejected",
			ObjectType: "payment_application", ObjectID: id, Before: map[string]any{"status": app.Status},
			After: map[string]any{"status": AppRejected, "reason": reason}}); err != nil {
			return err
		}
		if err := appEvent(ctx, tx, app, AppRejected, now); err != nil {
			return err
		}
		return s.announce(ctx, tx, app, "incentive.msg.rejected.subject", "incentive.msg.rejected.body", map[string]any{"Reason": reason})
	})
}

package funds

import (
	"context"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/events"
	"partnercenter/internal/identity"
	"partnercenter/internal/ledger"
	"partnercenter/internal/notify"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
	"partnercenter/internal/platform/money"
)

// Withdrawal states.
const (
	WithdrawalPending  = "pending"
	WithdrawalPaid     = "paid"
	WithdrawalRejected = "rejected"
)

// Withdrawal is a row of withdrawals (提现, seed 003 §12.1.3.6–7).
type Withdrawal struct {
	ID          int64
	PartnerID   int64
	Amount      decimal.Decimal
	BankName    string
	AccountNo   string
	HolderName  string
	Status      string
	Reason      string
	RequestedBy *int64
	DecidedBy   *int64
	RequestedAt time.Time
	DecidedAt   *time.Time
	PartnerName string `gorm:"->;-:migration"`
}

// TableName maps Withdrawal to withdrawals.
func (Withdrawal) TableName() string { return "withdrawals" }

// WithdrawInput is the partner's 提现 form.
type WithdrawInput struct {
	Amount     string
	BankName   string
	AccountNo  string
	HolderName string
	Key        string
	Password   string
}

// Allowance is how much may be withdrawn to an account held by Holder.
type Allowance struct {
	Holder string
	Amount decimal.Decimal
}

var bankAccountPattern = regexp.MustCompile(`^[0-9]{8,30}$`)

// normName compares holder names: spaces and case do not count.
func normName(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), ""))
}

// Allowances tells, per bank account holder, how much the tenant may
// withdraw (R19, seed 003 §12.1.3.7): money recharged through Alipay or
// WeChat goes back to an account held by the Alipay/WeChat subject (the
// payer recorded with the recharge); money from online banking, bank
// transfers, returned incentives and trading-mode changes to an account
// held by the partner's real-name subject. Each is capped by the current
// balance; withdrawals pending or paid count against their holder.
func (s Service) Allowances(ctx context.Context, p *access.Principal) (_ []Allowance, err error) {
	defer apperr.Wrap(&err, "funds.Allowances")
	partnerID, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	return allowances(ctx, s.DB, partnerID)
}

func allowances(ctx context.Context, g *gorm.DB, partnerID int64) ([]Allowance, error) {
	subject, err := partner.Store{DB: g}.Name(ctx, partnerID)
	if err != nil {
		return nil, err
	}
	rows, err := ledger.RechargedBy(ctx, g, partnerID)
	if err != nil {
		return nil, err
	}
	byHolder := map[string]*Allowance{}
	var order []string
	add := func(holder string, d decimal.Decimal) {
		k := normName(holder)
		if byHolder[k] == nil {
			byHolder[k] = &Allowance{Holder: holder}
			order = append(order, k)
		}
		byHolder[k].Amount = byHolder[k].Amount.Add(d)
	}
	add(subject, decimal.Zero)
	for _, r := range rows {
		if r.Source == SourceAlipay || r.Source == SourceWeChat {
			add(r.PayerName, r.Sum)
		} else {
			add(subject, r.Sum)
		}
	}
	var used []struct {
		HolderName string
		Sum        decimal.Decimal
	}
	if err := g.WithContext(ctx).Raw(`SELECT holder_name, sum(amount) AS sum FROM withdrawals
		WHERE partner_id = ? AND status IN ('pending', 'paid') GROUP BY holder_name`, partnerID).Scan(&used).Error; err != nil {
		return nil, err
	}
	for _, u := range used {
		if a := byHolder[normName(u.HolderName)]; a != nil {
			a.Amount = a.Amount.Sub(u.Sum)
		}
	}
	cash, err := ledger.PartnerCash(ctx, g, partnerID)
	if err != nil {
		return nil, err
	}
	out := make([]Allowance, 0, len(order))
	for _, k := range order {
		a := *byHolder[k]
		if a.Amount.GreaterThan(cash.Balance) {
			a.Amount = cash.Balance
		}
		if a.Amount.IsNegative() {
			a.Amount = decimal.Zero
		}
		out = append(out, a)
	}
	return out, nil
}

// RequestWithdrawal asks vendor finance to pay money of the recharge
// account out to a bank account (seed 003 §12.1.3.6). The holder must be
// one the funds allow (R19); the money is held until paid or rejected.
func (s Service) RequestWithdrawal(ctx context.Context, p *access.Principal, in WithdrawInput) (_ *Withdrawal, err error) {
	defer apperr.Wrap(&err, "funds.RequestWithdrawal")
	partnerID, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	in.BankName = strings.TrimSpace(in.BankName)
	in.AccountNo = strings.ReplaceAll(strings.TrimSpace(in.AccountNo), " ", "")
	in.HolderName = strings.TrimSpace(in.HolderName)
	f := apperr.Fields{}
	amount, err := money.Parse(in.Amount, money.Amount)
	if err != nil {
		f.Add("amount", money.Key(err))
	}
	if n := utf8.RuneCountInString(in.BankName); n == 0 || n > 100 {
		f.Add("bank_name", "billing.err.bank_name")
	}
	if !bankAccountPattern.MatchString(in.AccountNo) {
		f.Add("account_no", "billing.err.bank_account")
	}
	if n := utf8.RuneCountInString(in.HolderName); n == 0 || n > 200 {
		f.Add("holder_name", "billing.err.holder_name")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if !ledger.ValidKey(in.Key) {
		return nil, apperr.Invalid(ledger.ErrKeyMissing)
	}
	if err := s.stepUp(ctx, p, in.Password); err != nil {
		return nil, err
	}
	var w Withdrawal
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		var res struct{ WithdrawalID int64 }
		hash := ledger.Hash("withdraw", amount.StringFixed(2), in.BankName, in.AccountNo, in.HolderName)
		replayed, err := ledger.Claim(ctx, tx, partnerID, in.Key, hash, &res)
		if err != nil {
			return err
		}
		if replayed {
			return tx.First(&w, res.WithdrawalID).Error
		}
		cash, err := ledger.PartnerCash(ctx, tx, partnerID)
		if err != nil {
			return err
		}
		held, err := ledger.PartnerWithdrawing(ctx, tx, partnerID)
		if err != nil {
			return err
		}
		if _, err := ledger.Lock(ctx, tx, cash.ID, held.ID); err != nil {
			return err
		}
		al, err := allowances(ctx, tx, partnerID)
		if err != nil {
			return err
		}
		var allowed *Allowance
		for i := range al {
			if normName(al[i].Holder) == normName(in.HolderName) {
				allowed = &al[i]
			}
		}
		if allowed == nil {
			return apperr.FieldError("holder_name", "billing.err.holder_mismatch")
		}
		if amount.GreaterThan(allowed.Amount) {
			return apperr.FieldError("amount", "billing.err.exceeds_withdrawable")
		}
		w = Withdrawal{PartnerID: partnerID, Amount: amount, BankName: in.BankName, AccountNo: in.AccountNo,
			HolderName: in.HolderName, Status: WithdrawalPending, RequestedBy: &p.UserID, RequestedAt: s.Clock.Now().UTC()}
		if err := tx.Omit("PartnerName").Create(&w).Error; err != nil {
			return err
		}
		posted, err := ledger.Post(ctx, tx, ledger.Move{PartnerID: partnerID, Kind: ledger.TxWithdraw, Amount: amount,
			WithdrawalID: w.ID, RequestKey: in.Key, CreatedBy: p.UserID, At: w.RequestedAt,
			Legs: []ledger.Leg{{AccountID: cash.ID, Amount: amount.Neg()}, {AccountID: held.ID, Amount: amount}}})
		if err != nil {
			if apperr.Is(err, apperr.KindConflict) {
				return apperr.FieldError("amount", "billing.err.exceeds_withdrawable")
			}
			return err
		}
		if err := alertIfCrossed(ctx, tx, partnerID, posted.Changes[cash.ID].Before, posted.Changes[cash.ID].After); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Change{PartnerID: partnerID, Action: "billing.withdraw.request", ObjectType: "withdrawal",
			ObjectID: w.ID, After: map[string]any{"amount": amount, "bank_name": in.BankName, "account_no": in.AccountNo,
				"holder_name": in.HolderName, "partner_balance": posted.Changes[cash.ID].After}}); err != nil {
			return err
		}
		return ledger.Complete(ctx, tx, partnerID, in.Key, map[string]any{"WithdrawalID": w.ID})
	})
	if err != nil {
		return nil, err
	}
	return &w, nil
}

// Withdrawals lists the tenant's withdrawals, newest first.
func (s Service) Withdrawals(ctx context.Context, p *access.Principal, page int) (_ []Withdrawal, _ int64, err error) {
	defer apperr.Wrap(&err, "funds.Withdrawals")
	partnerID, err := p.Tenant()
	if err != nil {
		return nil, 0, err
	}
	if page <= 0 {
		page = 1
	}
	var total int64
	q := s.DB.WithContext(ctx).Model(&Withdrawal{}).Where("partner_id = ?", partnerID)
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var rows []Withdrawal
	err = s.DB.WithContext(ctx).Where("partner_id = ?", partnerID).Order("requested_at DESC, id DESC").
		Limit(PerPage).Offset((page - 1) * PerPage).Find(&rows).Error
	return rows, total, err
}

// Payouts is vendor finance's side of withdrawals: every method takes the
// acting vendor staff member first; anyone else is refused.
type Payouts struct {
	DB    *gorm.DB
	Clock clock.Clock
}

// List returns withdrawals of every partner: pending first, then newest.
func (s Payouts) List(ctx context.Context, p *access.Principal, status string, page int) (_ []Withdrawal, _ int64, err error) {
	defer apperr.Wrap(&err, "funds.List")
	if _, err := p.Staff(); err != nil {
		return nil, 0, err
	}
	if page <= 0 {
		page = 1
	}
	q := func() *gorm.DB {
		g := s.DB.WithContext(ctx).Table("withdrawals w").Joins("JOIN partners p ON p.id = w.partner_id")
		if status == WithdrawalPending || status == WithdrawalPaid || status == WithdrawalRejected {
			g = g.Where("w.status = ?", status)
		}
		return g
	}
	var total int64
	if err := q().Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var rows []Withdrawal
	err = q().Select("w.*, p.name AS partner_name").Order("w.status = 'pending' DESC, w.requested_at DESC, w.id DESC").
		Limit(PerPage).Offset((page - 1) * PerPage).Scan(&rows).Error
	return rows, total, err
}

// Pay records that vendor finance paid a pending withdrawal out: the held
// money leaves through the vendor's bank clearing account.
func (s Payouts) Pay(ctx context.Context, p *access.Principal, id int64) (err error) {
	defer apperr.Wrap(&err, "funds.Pay(%d)", id)
	actorUserID, err := p.Staff()
	if err != nil {
		return err
	}
	return s.decide(ctx, actorUserID, id, true, "")
}

// Reject refuses a pending withdrawal with a reason; the held money goes
// back to the partner's recharge account.
func (s Payouts) Reject(ctx context.Context, p *access.Principal, id int64, reason string) (err error) {
	defer apperr.Wrap(&err, "funds.Reject(%d)", id)
	actorUserID, err := p.Staff()
	if err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 500 {
		return apperr.FieldError("reason", "billing.err.reason")
	}
	return s.decide(ctx, actorUserID, id, false, reason)
}

func (s Payouts) decide(ctx context.Context, actorUserID, id int64, pay bool, reason string) error {
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		var w Withdrawal
		err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Omit("PartnerName").First(&w, id).Error
		if db.IsNotFound(err) {
			return apperr.NotFound()
		}
		if err != nil {
			return err
		}
		if w.Status != WithdrawalPending {
			return apperr.Conflict("billing.err.already_decided")
		}
		held, err := ledger.PartnerWithdrawing(ctx, tx, w.PartnerID)
		if err != nil {
			return err
		}
		m := ledger.Move{PartnerID: w.PartnerID, Amount: w.Amount, WithdrawalID: w.ID, CreatedBy: actorUserID, Memo: reason, At: s.Clock.Now().UTC()}
		status, subject := WithdrawalPaid, "billing.msg.withdraw_paid.subject"
		if pay {
			bank, err := ledger.Vendor(ctx, tx, ledger.KindVendorBank)
			if err != nil {
				return err
			}
			m.Kind = ledger.TxWithdrawPaid
			m.Legs = []ledger.Leg{{AccountID: held.ID, Amount: w.Amount.Neg()}, {AccountID: bank.ID, Amount: w.Amount}}
		} else {
			cash, err := ledger.PartnerCash(ctx, tx, w.PartnerID)
			if err != nil {
				return err
			}
			status, subject = WithdrawalRejected, "billing.msg.withdraw_rejected.subject"
			m.Kind = ledger.TxWithdrawRejected
			m.Legs = []ledger.Leg{{AccountID: held.ID, Amount: w.Amount.Neg()}, {AccountID: cash.ID, Amount: w.Amount}}
		}
		if _, err := ledger.Post(ctx, tx, m); err != nil {
			return err
		}
		now := s.Clock.Now().UTC()
		if err := tx.Model(&Withdrawal{}).Where("id = ?", w.ID).Updates(map[string]any{
			"status": status, "reason": reason, "decided_by": nullID(actorUserID), "decided_at": now}).Error; err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Change{PartnerID: w.PartnerID, Action: "billing.withdraw." + status, ObjectType: "withdrawal",
			ObjectID: w.ID, Before: map[string]any{"status": w.Status}, After: map[string]any{"status": status, "reason": reason}}); err != nil {
			return err
		}
		if err := events.Record(ctx, tx, w.PartnerID, "withdrawal."+status, now, map[string]any{"withdrawal_id": w.ID,
			"amount": w.Amount.StringFixed(2), "reason": reason}); err != nil {
			return err
		}
		mainID, err := identity.Users{DB: tx}.MainAccountID(ctx, w.PartnerID)
		if err != nil {
			return err
		}
		if mainID == 0 {
			return nil
		}
		return notify.Send(ctx, tx, notify.Note{To: mainID, Partner: w.PartnerID, Subject: subject, Body: strings.Replace(subject, ".subject", ".body", 1),
			Params: map[string]any{"Amount": money.Grouped(w.Amount, 2), "Reason": reason}, Link: "/billing/funds/withdrawals", At: s.Clock.Now()})
	})
}

func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

package funds

import (
	"context"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/identity"
	"partnercenter/internal/ledger"
	"partnercenter/internal/notify"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
	"partnercenter/internal/platform/money"
)

// Service is 账务 > 资金管理 of one tenant: every method takes the acting
// partner member first and serves its tenant (access.Principal.Tenant);
// anyone else is refused. Recharges and Payouts are vendor finance's side
// (access.Principal.Staff).
type Service struct {
	DB    *gorm.DB
	Clock clock.Clock
}

// Settings is a tenant's billing_settings row.
type Settings struct {
	PartnerID      int64
	AlertThreshold decimal.NullDecimal
	StepupRequired bool
	UpdatedAt      time.Time
}

// Alerting reports whether balance is below the alert threshold — the
// one definition behind the funds page, the home figure and the 站内信
// sent when a debit crosses it (alertIfCrossed).
func (s Settings) Alerting(balance decimal.Decimal) bool {
	return s.AlertThreshold.Valid && balance.LessThan(s.AlertThreshold.Decimal)
}

// TableName maps Settings to billing_settings.
func (Settings) TableName() string { return "billing_settings" }

func settingsOf(ctx context.Context, g *gorm.DB, partnerID int64, lock bool) (Settings, error) {
	var rows []Settings
	q := g.WithContext(ctx).Where("partner_id = ?", partnerID)
	if lock {
		q = q.Clauses(clause.Locking{Strength: "SHARE"})
	}
	if err := q.Find(&rows).Error; err != nil {
		return Settings{}, err
	}
	if len(rows) == 0 {
		return Settings{PartnerID: partnerID}, nil
	}
	return rows[0], nil
}

// Overview is the 资金管理 page's head: the recharge account and settings.
type Overview struct {
	RechargeAccountNo string
	Balance           decimal.Decimal
	Withdrawing       decimal.Decimal // held by pending withdrawals
	CustomersFunded   decimal.Decimal // Σ balances of its resale customers' funded accounts
	Settings          Settings
	Recent            []Line
}

// Overview returns the tenant's account summary and its latest lines.
func (s Service) Overview(ctx context.Context, p *access.Principal) (_ *Overview, err error) {
	defer apperr.Wrap(&err, "funds.Overview")
	partnerID, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	cash, err := ledger.PartnerCash(ctx, s.DB, partnerID)
	if err != nil {
		return nil, err
	}
	o := &Overview{RechargeAccountNo: *cash.RechargeAccountNo, Balance: cash.Balance}
	sums, err := ledger.SumBalances(ctx, s.DB, partnerID, ledger.KindPartnerWithdrawing, ledger.KindCustomerFunded)
	if err != nil {
		return nil, err
	}
	o.Withdrawing, o.CustomersFunded = sums[ledger.KindPartnerWithdrawing], sums[ledger.KindCustomerFunded]
	if o.Settings, err = settingsOf(ctx, s.DB, partnerID, false); err != nil {
		return nil, err
	}
	list, err := s.Lines(ctx, p, LineFilter{PerPage: 5})
	if err != nil {
		return nil, err
	}
	o.Recent = list.Lines
	return o, nil
}

// Balance is the tenant's cash balance with its settings (alert threshold,
// step-up): two reads, for the pages that need no more of the overview
// (the home page's figure, 提现).
func (s Service) Balance(ctx context.Context, p *access.Principal) (_ decimal.Decimal, _ Settings, err error) {
	defer apperr.Wrap(&err, "funds.Balance")
	partnerID, err := p.Tenant()
	if err != nil {
		return decimal.Zero, Settings{}, err
	}
	cash, err := ledger.PartnerCash(ctx, s.DB, partnerID)
	if err != nil {
		return decimal.Zero, Settings{}, err
	}
	st, err := settingsOf(ctx, s.DB, partnerID, false)
	return cash.Balance, st, err
}

// SetAlert sets (or, with an empty value, clears) the balance alert
// threshold (设置余额预警, seed 003 §7.1.1 table 7-1).
func (s Service) SetAlert(ctx context.Context, p *access.Principal, threshold string) (err error) {
	defer apperr.Wrap(&err, "funds.SetAlert")
	partnerID, err := p.Tenant()
	if err != nil {
		return err
	}
	var val decimal.NullDecimal
	if threshold != "" {
		d, err := money.Parse(threshold, money.Threshold)
		if err != nil {
			return apperr.FieldError("threshold", money.Key(err))
		}
		val = decimal.NullDecimal{Decimal: d, Valid: true}
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		before, err := settingsOf(ctx, tx, partnerID, false)
		if err != nil {
			return err
		}
		if err := tx.Exec(`INSERT INTO billing_settings (partner_id, alert_threshold, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (partner_id) DO UPDATE SET alert_threshold = EXCLUDED.alert_threshold, updated_at = EXCLUDED.updated_at`,
			partnerID, val, s.Clock.Now().UTC()).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{PartnerID: partnerID, Action: "billing.alert.set", ObjectType: "billing_settings",
			ObjectID: partnerID, Before: map[string]any{"alert_threshold": before.AlertThreshold},
			After: map[string]any{"alert_threshold": val}})
	})
}

// SetStepUp turns the step-up check of money operations on or off: when
// on, transfers, recoveries and withdrawals ask for the current password
// (seed 003 §12.1.2.2: a verification step the partner may enable).
func (s Service) SetStepUp(ctx context.Context, p *access.Principal, on bool) (err error) {
	defer apperr.Wrap(&err, "funds.SetStepUp")
	partnerID, err := p.Tenant()
	if err != nil {
		return err
	}
	if !p.IsMain {
		return apperr.Forbidden()
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		before, err := settingsOf(ctx, tx, partnerID, false)
		if err != nil {
			return err
		}
		if err := tx.Exec(`INSERT INTO billing_settings (partner_id, stepup_required, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (partner_id) DO UPDATE SET stepup_required = EXCLUDED.stepup_required, updated_at = EXCLUDED.updated_at`,
			partnerID, on, s.Clock.Now().UTC()).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{PartnerID: partnerID, Action: "billing.stepup.set", ObjectType: "billing_settings",
			ObjectID: partnerID, Before: map[string]any{"stepup_required": before.StepupRequired},
			After: map[string]any{"stepup_required": on}})
	})
}

// alertIfCrossed messages the tenant's main account when a debit took the
// cash balance from at or above the threshold to below it (once per
// crossing), in the debit's transaction.
func alertIfCrossed(ctx context.Context, tx *gorm.DB, partnerID int64, before, after decimal.Decimal) error {
	if !after.LessThan(before) {
		return nil
	}
	st, err := settingsOf(ctx, tx, partnerID, false)
	if err != nil || st.Alerting(before) || !st.Alerting(after) {
		return err // only a debit that crosses the threshold alerts
	}
	th := st.AlertThreshold.Decimal
	mainID, err := identity.Users{DB: tx}.MainAccountID(ctx, partnerID)
	if err != nil {
		return err
	}
	if mainID == 0 {
		return nil
	}
	return notify.Send(ctx, tx, notify.Note{To: mainID, Partner: partnerID, Subject: "billing.msg.alert.subject", Body: "billing.msg.alert.body",
		Params: map[string]any{"Balance": money.Grouped(after, 2), "Threshold": money.Grouped(th, 2)}, Link: "/billing/funds"})
}

// Event types of funds (build-plan 5.F); withdrawals record
// "withdrawal.paid" and "withdrawal.rejected".
const (
	EventRecharged   = "funds.recharged"
	EventTransferred = "funds.transferred"
	EventRecovered   = "funds.recovered"
)

package funds

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

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

// Recharge sources (seed 003 §12.1.3.1, §12.1.3.7): they decide whose
// name a withdrawal's bank account must carry (R19).
const (
	SourceBankTransfer  = "bank_transfer"  // 电汇 / 转账到专用充值账户
	SourceOnlineBanking = "online_banking" // 个人网银 / 企业网银
	SourceAlipay        = "alipay"
	SourceWeChat        = "wechat"
	SourceIncentive     = "incentive" // 激励返充值
	// SourceIncentiveOwed is 返华为云账户-记欠票 (§12.1.5.16): written by
	// the incentive payout only; the invoice page counts it as owed.
	SourceIncentiveOwed = "incentive_owed"
	SourceModeChange    = "mode_change" // 交易模式变更的到账金额
)

// Sources lists the recharge sources in display order.
var Sources = []string{SourceBankTransfer, SourceOnlineBanking, SourceAlipay, SourceWeChat, SourceIncentive, SourceModeChange}

// payerNamed reports the sources whose payer name vendor finance records
// (the remitter or the Alipay/WeChat subject).
func payerNamed(src string) bool {
	return src == SourceBankTransfer || src == SourceOnlineBanking || src == SourceAlipay || src == SourceWeChat
}

// Recharges is vendor finance's side of recharges: a bank receipt on a
// partner's dedicated recharge account is recorded as a recharge (seed
// 003 §12.1.3.1: credited once the bank has processed it). Every method
// takes the acting vendor staff member first; anyone else is refused.
type Recharges struct {
	DB    *gorm.DB
	Clock clock.Clock
}

// RechargeInput is the 充值确认 form of the vendor console.
type RechargeInput struct {
	AccountNo string
	Amount    string
	Source    string
	PayerName string
	Reference string
	Key       string
}

// RechargeResult is what a confirmation did (stored for replays).
type RechargeResult struct {
	TransactionID int64
	PartnerID     int64
	PartnerName   string
	Amount        decimal.Decimal
	Replayed      bool `json:"-"`
}

// Confirm records a confirmed bank receipt as a recharge of the partner
// whose dedicated account number it was paid to, and messages its main
// account. The same key replays the first result.
func (s Recharges) Confirm(ctx context.Context, p *access.Principal, in RechargeInput) (_ *RechargeResult, err error) {
	defer apperr.Wrap(&err, "funds.Confirm")
	actorUserID, err := p.Staff()
	if err != nil {
		return nil, err
	}
	in.AccountNo = strings.ReplaceAll(strings.TrimSpace(in.AccountNo), " ", "")
	in.PayerName = strings.TrimSpace(in.PayerName)
	in.Reference = strings.TrimSpace(in.Reference)
	f := apperr.Fields{}
	amount, err := money.Parse(in.Amount, money.Amount)
	if err != nil {
		f.Add("amount", money.Key(err))
	}
	known := false
	for _, src := range Sources {
		known = known || src == in.Source
	}
	if !known {
		f.Add("source", "billing.err.source")
	}
	if payerNamed(in.Source) && in.PayerName == "" {
		f.Add("payer_name", "billing.err.payer_required")
	}
	if utf8.RuneCountInString(in.PayerName) > 200 {
		f.Add("payer_name", "billing.err.too_long")
	}
	if utf8.RuneCountInString(in.Reference) > 100 {
		f.Add("reference", "billing.err.too_long")
	}
	pid, err := ledger.PartnerByRechargeNo(ctx, s.DB, in.AccountNo)
	if err != nil {
		if !apperr.Is(err, apperr.KindNotFound) {
			return nil, err
		}
		f.Add("account_no", "billing.err.account_no_unknown")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if !ledger.ValidKey(in.Key) {
		return nil, apperr.Invalid(ledger.ErrKeyMissing)
	}
	var res RechargeResult
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		res = RechargeResult{}
		hash := ledger.Hash("recharge", in.AccountNo, amount.StringFixed(2), in.Source, in.PayerName, in.Reference)
		replayed, err := ledger.Claim(ctx, tx, pid, in.Key, hash, &res)
		if err != nil || replayed {
			res.Replayed = replayed
			return err
		}
		name, err := partner.Store{DB: tx}.Name(ctx, pid)
		if err != nil {
			return err
		}
		cash, err := ledger.PartnerCash(ctx, tx, pid)
		if err != nil {
			return err
		}
		bank, err := ledger.Vendor(ctx, tx, ledger.KindVendorBank)
		if err != nil {
			return err
		}
		posted, err := ledger.Post(ctx, tx, ledger.Move{PartnerID: pid, Kind: ledger.TxRecharge, Amount: amount,
			Source: in.Source, PayerName: in.PayerName, Reference: in.Reference, RequestKey: in.Key, CreatedBy: actorUserID, At: s.Clock.Now().UTC(),
			Legs: []ledger.Leg{{AccountID: bank.ID, Amount: amount.Neg()}, {AccountID: cash.ID, Amount: amount}}})
		if err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Change{PartnerID: pid, Action: "billing.recharge", ObjectType: "ledger_transaction",
			ObjectID: posted.Transaction.ID, Before: map[string]any{"partner_balance": posted.Changes[cash.ID].Before},
			After: map[string]any{"amount": amount, "source": in.Source, "payer_name": in.PayerName, "reference": in.Reference,
				"partner_balance": posted.Changes[cash.ID].After}}); err != nil {
			return err
		}
		if err := events.Record(ctx, tx, pid, EventRecharged, s.Clock.Now(), map[string]any{"amount": amount.StringFixed(2),
			"source": in.Source, "balance": posted.Changes[cash.ID].After.StringFixed(2)}); err != nil {
			return err
		}
		mainID, err := identity.Users{DB: tx}.MainAccountID(ctx, pid)
		if err != nil {
			return err
		}
		if mainID != 0 {
			if err := notify.Send(ctx, tx, notify.Note{To: mainID, Partner: pid, Subject: "billing.msg.recharged.subject", Body: "billing.msg.recharged.body",
				Params: map[string]any{"Amount": money.Grouped(amount, 2), "Balance": money.Grouped(posted.Changes[cash.ID].After, 2)}, Link: "/billing/funds", At: s.Clock.Now()}); err != nil {
				return err
			}
		}
		res = RechargeResult{TransactionID: posted.Transaction.ID, PartnerID: pid, PartnerName: name, Amount: amount}
		return ledger.Complete(ctx, tx, pid, in.Key, res)
	})
	if err != nil {
		return nil, err
	}
	return &res, nil
}

// RechargeRow is a recorded recharge as vendor finance lists them.
type RechargeRow = ledger.Recharge

// RechargeList is a page of recharges.
type RechargeList struct {
	Rows  []RechargeRow
	Total int64
	Page  int
}

// List returns recorded recharges of every partner, newest first,
// optionally filtered by partner name or account number.
func (s Recharges) List(ctx context.Context, p *access.Principal, q string, page int) (_ *RechargeList, err error) {
	defer apperr.Wrap(&err, "funds.List")
	if _, err := p.Staff(); err != nil {
		return nil, err
	}
	if page <= 0 {
		page = 1
	}
	var like, no string
	if v := strings.TrimSpace(q); v != "" {
		like, no = likeEscape(v), v
	}
	out := &RechargeList{Page: page}
	out.Rows, out.Total, err = ledger.Recharges(ctx, s.DB, like, no, PerPage, (page-1)*PerPage)
	if err != nil {
		return nil, err
	}
	return out, nil
}

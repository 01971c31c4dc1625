package funds

import (
	"context"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"partnercenter/internal/audit"
	"partnercenter/internal/ledger"
)

// RecoverOnUnbind returns a resale customer's remaining partner-funded
// balance to the partner as 解除关联回收 (seed 003 §12.4.4, §12.1.3.10;
// digest §4.6: "the customer's balance is returned to the partner"). It
// runs in tx, the transaction that ends the association or switches it
// to consulting, so the money moves exactly when the association changes.
// actorUserID is who completed the change (0: the system), at when (zero:
// now). It returns the
// amount recovered (zero when there was nothing to recover).
//
// internal/customer calls it from its transition effects (Service.apply)
// when a resale association unbinds or switches to consulting.
func RecoverOnUnbind(ctx context.Context, tx *gorm.DB, partnerID, customerID, actorUserID int64, at time.Time) (decimal.Decimal, error) {
	acct, err := ledger.FindCustomerFunded(ctx, tx, partnerID, customerID)
	if err != nil || acct == nil {
		return decimal.Zero, err
	}
	cash, err := ledger.PartnerCash(ctx, tx, partnerID)
	if err != nil {
		return decimal.Zero, err
	}
	locked, err := ledger.Lock(ctx, tx, cash.ID, acct.ID)
	if err != nil {
		return decimal.Zero, err
	}
	amount := locked[acct.ID].Balance
	if !amount.IsPositive() {
		return decimal.Zero, nil
	}
	posted, err := ledger.Post(ctx, tx, ledger.Move{PartnerID: partnerID, CustomerID: customerID, Kind: ledger.TxUnbindRecover,
		Amount: amount, CreatedBy: actorUserID, At: at,
		Legs: []ledger.Leg{{AccountID: acct.ID, Amount: amount.Neg()}, {AccountID: cash.ID, Amount: amount}}})
	if err != nil {
		return decimal.Zero, err
	}
	err = audit.Record(ctx, tx, audit.Change{PartnerID: partnerID, Action: "billing.unbind_recover", ObjectType: "ledger_transaction",
		ObjectID: posted.Transaction.ID,
		Before:   map[string]any{"customer_id": customerID, "customer_balance": amount, "partner_balance": posted.Changes[cash.ID].Before},
		After:    map[string]any{"customer_id": customerID, "amount": amount, "customer_balance": decimal.Zero, "partner_balance": posted.Changes[cash.ID].After}})
	return amount, err
}

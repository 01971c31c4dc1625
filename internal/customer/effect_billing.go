package customer

import (
	"context"

	"gorm.io/gorm"

	"partnercenter/internal/funds"
)

// effectBalanceRecovery is billing's effect on transitions (the recovery
// itself is owned by funds, see internal/funds/unbind.go): when a
// resale customer's unbinding or its switch to consulting completes, its
// remaining partner-funded balance returns to the partner as 解除关联回收 in
// the same transaction (seed 003 §12.4.4, §12.4.24, §12.1.3.10; digest
// §4.6). It runs after the association changed and the grace period (R16)
// was raised, before the audit and the notifications.
func effectBalanceRecovery(ctx context.Context, tx *gorm.DB, t *Transition) error {
	if !t.completed() {
		return nil
	}
	r := t.Request
	leavesResale := strOr(r.FromMode) == ModeResale &&
		(r.Type == RequestUnbind || r.Type == RequestMigrate || (r.Type == RequestSwitch && strOr(r.ToMode) == ModeConsulting))
	if !leavesResale {
		return nil
	}
	// The recovery is automatic: the system is its operator.
	_, err := funds.RecoverOnUnbind(ctx, tx, r.PartnerID, r.CustomerID, 0, t.At)
	return err
}

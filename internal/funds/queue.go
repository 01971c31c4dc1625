package funds

import (
	"context"

	"partnercenter/internal/access"
	"partnercenter/internal/platform/apperr"
)

// PendingCount is vendor finance's 待打款 queue: withdrawal requests of
// every partner waiting to be paid or rejected (its home page).
func (s Payouts) PendingCount(ctx context.Context, p *access.Principal) (_ int64, err error) {
	defer apperr.Wrap(&err, "funds.PendingCount")
	if _, err := p.Staff(); err != nil {
		return 0, err
	}
	var n int64
	err = s.DB.WithContext(ctx).Model(&Withdrawal{}).Where("status = ?", WithdrawalPending).Count(&n).Error
	return n, err
}

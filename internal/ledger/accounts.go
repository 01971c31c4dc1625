package ledger

import (
	"context"
	"fmt"
	"strconv"

	"gorm.io/gorm"

	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
)

// rechargePrefix starts every dedicated recharge account number.
const rechargePrefix = "7210"

// RechargeAccountNo is the partner's dedicated recharge account number
// (专用充值账户): the prefix, the partner id on 11 digits and a Luhn check
// digit. It is derived from the partner id, so it is unique per partner
// (R18, seed 003 §12.1.3.5), and the check digit catches a mistyped
// number when vendor finance records a bank receipt.
func RechargeAccountNo(partnerID int64) string {
	body := rechargePrefix + fmt.Sprintf("%011d", partnerID)
	return body + strconv.Itoa(luhn(body))
}

// ValidRechargeAccountNo reports a well-formed number (length and check digit).
func ValidRechargeAccountNo(s string) bool {
	if len(s) != 16 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return strconv.Itoa(luhn(s[:15])) == s[15:]
}

func luhn(body string) int {
	sum := 0
	double := true // the check digit will be appended on the right
	for i := len(body) - 1; i >= 0; i-- {
		n := int(body[i] - '0')
		if double {
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
		double = !double
	}
	return (10 - sum%10) % 10
}

func ensure(ctx context.Context, tx *gorm.DB, a Account, where string, args ...any) (*Account, error) {
	g := tx.WithContext(ctx)
	var got Account
	err := g.Where(where, args...).First(&got).Error
	if err == nil {
		return &got, nil
	}
	if !db.IsNotFound(err) {
		return nil, err
	}
	// Concurrent first uses create it once: the loser of the race waits
	// for the winner's insert and then reads its row.
	if err := g.Exec(`INSERT INTO ledger_accounts (kind, partner_id, customer_id, recharge_account_no, allow_negative)
		VALUES (?, ?, ?, ?, false) ON CONFLICT DO NOTHING`, a.Kind, a.PartnerID, a.CustomerID, a.RechargeAccountNo).Error; err != nil {
		return nil, err
	}
	if err := g.Where(where, args...).First(&got).Error; err != nil {
		return nil, err
	}
	return &got, nil
}

// PartnerCash returns (creating on first use) the partner's cash account.
func PartnerCash(ctx context.Context, tx *gorm.DB, partnerID int64) (*Account, error) {
	no := RechargeAccountNo(partnerID)
	return ensure(ctx, tx, Account{Kind: KindPartnerCash, PartnerID: &partnerID, RechargeAccountNo: &no},
		"kind = ? AND partner_id = ?", KindPartnerCash, partnerID)
}

// PartnerWithdrawing returns the account holding the partner's pending withdrawals.
func PartnerWithdrawing(ctx context.Context, tx *gorm.DB, partnerID int64) (*Account, error) {
	return ensure(ctx, tx, Account{Kind: KindPartnerWithdrawing, PartnerID: &partnerID},
		"kind = ? AND partner_id = ?", KindPartnerWithdrawing, partnerID)
}

// PartnerVoucherQuota returns (creating on first use) the partner's
// voucher quota account.
func PartnerVoucherQuota(ctx context.Context, tx *gorm.DB, partnerID int64) (*Account, error) {
	return ensure(ctx, tx, Account{Kind: KindPartnerVoucherQuota, PartnerID: &partnerID},
		"kind = ? AND partner_id = ?", KindPartnerVoucherQuota, partnerID)
}

// CustomerFunded returns the resale customer's balance funded by the partner.
func CustomerFunded(ctx context.Context, tx *gorm.DB, partnerID, customerID int64) (*Account, error) {
	return ensure(ctx, tx, Account{Kind: KindCustomerFunded, PartnerID: &partnerID, CustomerID: &customerID},
		"kind = ? AND partner_id = ? AND customer_id = ?", KindCustomerFunded, partnerID, customerID)
}

// FindCustomerFunded returns the account if it exists (nil otherwise).
func FindCustomerFunded(ctx context.Context, tx *gorm.DB, partnerID, customerID int64) (*Account, error) {
	var a Account
	err := tx.WithContext(ctx).Where("kind = ? AND partner_id = ? AND customer_id = ?", KindCustomerFunded, partnerID, customerID).First(&a).Error
	if db.IsNotFound(err) {
		return nil, nil
	}
	return &a, err
}

// Vendor returns a vendor clearing account (created by the migration).
func Vendor(ctx context.Context, tx *gorm.DB, kind string) (*Account, error) {
	var a Account
	err := tx.WithContext(ctx).Where("kind = ? AND partner_id IS NULL", kind).First(&a).Error
	return &a, err
}

// PartnerByRechargeNo finds the partner whose dedicated recharge account
// number this is (apperr.NotFound otherwise). Numbers are derived from
// partner ids, so a partner that never used its account is found too.
func PartnerByRechargeNo(ctx context.Context, tx *gorm.DB, no string) (int64, error) {
	if !ValidRechargeAccountNo(no) || no[:len(rechargePrefix)] != rechargePrefix {
		return 0, apperr.NotFound()
	}
	id, err := strconv.ParseInt(no[len(rechargePrefix):15], 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.NotFound()
	}
	ok, err := partner.Store{DB: tx}.Exists(ctx, id)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, apperr.NotFound()
	}
	return id, nil
}

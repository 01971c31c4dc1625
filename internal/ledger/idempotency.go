package ledger

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"regexp"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"partnercenter/internal/platform/apperr"
)

// Error keys of idempotency.
const (
	ErrKeyMissing = "ledger.err.key_missing"
	ErrKeyReused  = "ledger.err.key_reused"
)

var keyPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{16,64}$`)

// ValidKey reports a well-formed idempotency key.
func ValidKey(k string) bool { return keyPattern.MatchString(k) }

// ErrTransferRef refuses a bank transfer recorded without its reference.
const ErrTransferRef = "ledger.err.transfer_ref"

// TransferForm checks vendor finance's 付款完成 form of a bank transfer:
// the desk form's key, and the bank reference (field payment_ref, 1–100
// characters), returned trimmed.
func TransferForm(ref, key string) (string, error) {
	if !ValidKey(key) {
		return "", apperr.Invalid("error.bad_request")
	}
	ref = strings.TrimSpace(ref)
	if ref == "" || utf8.RuneCountInString(ref) > 100 {
		return "", apperr.FieldError("payment_ref", ErrTransferRef)
	}
	return ref, nil
}

// Hash fingerprints a request's parameters (joined in a fixed order).
func Hash(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x1f")))
	return hex.EncodeToString(h[:])
}

// Claim records key for the tenant with tx, before the request moves any
// money. It returns replayed=false for a new key: go on, and call
// Complete with the result in the same transaction. For a key already
// used with the same hash it returns replayed=true and fills result with
// the first request's result: move nothing. The same key with another
// hash is apperr Conflict ErrKeyReused. A concurrent request with the
// same key waits here until the first one commits or rolls back.
func Claim(ctx context.Context, tx *gorm.DB, partnerID int64, key, hash string, result any) (bool, error) {
	if !ValidKey(key) {
		return false, apperr.Invalid(ErrKeyMissing)
	}
	g := tx.WithContext(ctx)
	res := g.Exec(`INSERT INTO ledger_requests (partner_id, key, request_hash) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
		partnerID, key, hash)
	if res.Error != nil {
		return false, res.Error
	}
	if res.RowsAffected == 1 {
		return false, nil
	}
	var row struct {
		RequestHash string
		Result      *string
	}
	if err := g.Raw(`SELECT request_hash, result::text AS result FROM ledger_requests WHERE partner_id = ? AND key = ?`,
		partnerID, key).Scan(&row).Error; err != nil {
		return false, err
	}
	if row.RequestHash != hash {
		return false, apperr.Conflict(ErrKeyReused)
	}
	if row.Result != nil && result != nil {
		if err := json.Unmarshal([]byte(*row.Result), result); err != nil {
			return false, err
		}
	}
	return true, nil
}

// Complete stores the result of a claimed key (same transaction as Claim).
func Complete(ctx context.Context, tx *gorm.DB, partnerID int64, key string, result any) error {
	b, err := json.Marshal(result)
	if err != nil {
		return err
	}
	return tx.WithContext(ctx).Exec(`UPDATE ledger_requests SET result = ?::jsonb WHERE partner_id = ? AND key = ?`,
		string(b), partnerID, key).Error
}

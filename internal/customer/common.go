package customer

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/identity"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
)

func forUpdate() clause.Locking { return clause.Locking{Strength: "UPDATE"} }

func clean(s string) string { return strings.TrimSpace(s) }

func runes(s string) int { return utf8.RuneCountInString(s) }

func paging(page, per int) (int, int, int) {
	if per <= 0 || per > 200 {
		per = PerPage
	}
	if page < 1 {
		page = 1
	}
	return page, per, (page - 1) * per
}

// dateCN formats a time as a China date (how the seeds count days).
func dateCN(t time.Time) string { return t.In(clock.China).Format("2006-01-02") }

func ptr[T any](v T) *T { return &v }

func strOr(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func nilIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// notFoundIf maps gorm's not-found to apperr.NotFound.
func notFoundIf(err error) error {
	if db.IsNotFound(err) {
		return apperr.NotFound()
	}
	return err
}

// partnerName reads a partner's name ("" for none) through partner.
func partnerName(ctx context.Context, tx *gorm.DB, id int64) (string, error) {
	return partner.Store{DB: tx}.Name(ctx, id)
}

// mainAccount is the partner's main account user id (0 if none), from
// identity.
func mainAccount(ctx context.Context, tx *gorm.DB, partnerID int64) (int64, error) {
	return identity.Users{DB: tx}.MainAccountID(ctx, partnerID)
}

// lockKeys serializes concurrent work on the same keys (advisory locks
// held to the end of the transaction, taken in a stable order).
func lockKeys(ctx context.Context, tx *gorm.DB, keys ...string) error {
	seen := map[string]bool{}
	var uniq []string
	for _, k := range keys {
		if k != "" && !seen[k] {
			seen[k] = true
			uniq = append(uniq, k)
		}
	}
	sortStrings(uniq)
	for _, k := range uniq {
		if err := tx.WithContext(ctx).Exec("SELECT pg_advisory_xact_lock(hashtext(?))", "customer:"+k).Error; err != nil {
			return err
		}
	}
	return nil
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

package dbtest

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"
)

var userSeq atomic.Int64

// User inserts a user for a service test — a partner member (partnerID,
// main or not) or vendor staff (vendorRole) — with a login unique in the
// package's database, and returns its id and login. Its password is not
// usable: a service test acts through principals, never a sign-in.
func User(tb testing.TB, g *gorm.DB, partnerID int64, vendorRole string, main bool) (int64, string) {
	tb.Helper()
	kind := "partner"
	var pid, role any
	if partnerID != 0 {
		pid = partnerID
	}
	if vendorRole != "" {
		kind, role = "vendor", vendorRole
	}
	login := fmt.Sprintf("u%d_%d", userSeq.Add(1), time.Now().UnixNano()%1_000_000)
	var id int64
	if err := g.Raw(`INSERT INTO users (kind, partner_id, vendor_role, login_name, display_name, password_hash, is_main)
		VALUES (?, ?, ?, ?, ?, 'x', ?) RETURNING id`, kind, pid, role, login, login, main).Scan(&id).Error; err != nil {
		tb.Fatal(err)
	}
	return id, login
}

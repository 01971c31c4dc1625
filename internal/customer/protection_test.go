package customer

import (
	"testing"
	"time"

	"partnercenter/internal/access"
	"partnercenter/internal/platform/apperr"
)

// Protection warnings (issue 14, item 8): a report whose protection ends
// within the warning period is announced once to the partner's main
// account (and the member who reported it); one ending later is not; the
// vendor administrator alone changes the settings, and 0 days means no
// warnings.
func TestReportProtectionWarnings(t *testing.T) {
	f := setup(t)
	tn := f.tenant(t, 0)
	soon := f.report(t, tn)
	later := f.report(t, tn)
	now := f.clk.Now()
	if err := f.db.Exec(`UPDATE customer_reports SET expires_at = ? WHERE id = ?`, now.Add(5*24*time.Hour), soon.ID).Error; err != nil {
		t.Fatal(err)
	}
	if err := f.db.Exec(`UPDATE customer_reports SET expires_at = ? WHERE id = ?`, now.Add(9*24*time.Hour), later.ID).Error; err != nil {
		t.Fatal(err)
	}
	admin := access.VendorStaff(f.rawUser(t, "vendor", 0, "vendor_admin", false), "vendor_admin")
	if err := f.svc.SetProtection(ctx, access.VendorStaff(f.eco, "eco_manager"), Protection{ReportDays: 90, WarnDays: 7}); !apperr.Is(err, apperr.KindForbidden) {
		t.Fatalf("an ecosystem manager changed the settings: %v", err)
	}
	if err := f.svc.SetProtection(ctx, admin, Protection{ReportDays: 90, WarnDays: 61}); err == nil {
		t.Fatal("61 days was accepted")
	}
	if err := f.svc.SetProtection(ctx, admin, Protection{ReportDays: 90, WarnDays: 7}); err != nil {
		t.Fatal(err)
	}
	if n, err := f.svc.WarnExpiring(ctx, now); err != nil || n != 1 {
		t.Fatalf("warned of %d reports: %v", n, err)
	}
	if n, _ := f.svc.WarnExpiring(ctx, now); n != 0 {
		t.Fatal("warned twice")
	}
	var msgs int64
	f.db.Raw(`SELECT count(*) FROM messages WHERE user_id = ? AND subject_key = 'customer.msg.protection_ending.subject'`, tn.Main.UserID).Scan(&msgs)
	if msgs != 1 {
		t.Fatalf("the main account got %d warnings", msgs)
	}
	if err := f.svc.SetProtection(ctx, admin, Protection{ReportDays: 90, WarnDays: 0}); err != nil {
		t.Fatal(err)
	}
	if n, _ := f.svc.WarnExpiring(ctx, now.Add(5*24*time.Hour)); n != 0 {
		t.Fatal("warned with warnings off")
	}
}

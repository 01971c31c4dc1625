package partner

import (
	"context"
	"testing"

	"partnercenter/internal/access"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/dbtest"
)

// The company profile is a partner member's own tenant's (issue 8, "One
// actor, first"): vendor staff, a customer account and the system
// principal are refused by every method of Profiles and change nothing.
func TestProfilesRefusesAPrincipalOfTheWrongKindAndChangesNothing(t *testing.T) {
	g := dbtest.DB(t)
	p, main, _ := fixtureTenant(t, g, codeA)
	s := Profiles{DB: g, Clock: clock.System{}}
	files, audits := count(t, g, "files", "partner_id = ?", p.ID), count(t, g, "audit_log", "partner_id = ?", p.ID)
	for name, a := range map[string]*access.Principal{
		"vendor staff": access.VendorStaff(main.UserID, "vendor_admin"),
		"customer":     access.CustomerUser(main.UserID),
		"system":       access.System,
		"nobody":       nil,
	} {
		for op, err := range map[string]error{
			"company":  func() error { _, err := s.Company(context.Background(), a); return err }(),
			"accounts": func() error { _, err := s.AccountInfo(context.Background(), a); return err }(),
			"logo":     func() error { _, err := s.Logo(context.Background(), a); return err }(),
			"licence":  s.UpdateLicence(ctxAs(main), a, goodLicence(codeA)),
			"contacts": s.UpdateContacts(ctxAs(main), a, ContactsInput{Name: "赵六", Mobile: "13811112222", Email: "zl@example.cn"}),
			"intro":    s.UpdateIntro(ctxAs(main), a, "not mine"),
			"new logo": s.UpdateLogo(ctxAs(main), a, Upload{Name: "a.png", Data: pngBytes(t, 4, 4)}),
		} {
			if !apperr.Is(err, apperr.KindForbidden) {
				t.Errorf("%s by %s: %v, want forbidden", op, name, err)
			}
		}
	}
	after := reload(t, g, p.ID)
	if after.Name != p.Name || after.ContactName != p.ContactName || after.Introduction != "" || after.LogoFileID != nil {
		t.Fatalf("a refused principal changed the company: %+v", after)
	}
	if count(t, g, "files", "partner_id = ?", p.ID) != files || count(t, g, "audit_log", "partner_id = ?", p.ID) != audits {
		t.Fatal("a refused principal stored a file or wrote the audit trail")
	}
}

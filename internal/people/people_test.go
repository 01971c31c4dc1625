package people

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/files"
	"partnercenter/internal/partner"
	"partnercenter/internal/paths"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var (
	bg  = context.Background()
	seq atomic.Int64
)

type fx struct {
	db  *gorm.DB
	clk *clock.Fixed
	svc Service
	eco *access.Principal
}

func setup(t *testing.T) *fx {
	t.Helper()
	g := dbtest.DB(t)
	clk := clock.NewFixed(time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC))
	f := &fx{db: g, clk: clk, svc: Service{DB: g, Clock: clk}}
	eid, _ := dbtest.User(t, g, 0, "eco_manager", false)
	f.eco = access.VendorStaff(eid, "eco_manager")
	return f
}

// partner makes an active partner on the service path (joined), looked
// after by f.eco, and returns its main account.
func (f *fx) partner(t *testing.T) *access.Principal {
	t.Helper()
	n := seq.Add(1)
	p := partner.Partner{Name: fmt.Sprintf("专员测试%d有限公司", n), CreditCode: partner.USCCWithCheck(fmt.Sprintf("9133000000%07d", n+500)),
		Status: partner.StatusActive, Site: "cn", EcoManagerID: &f.eco.UserID}
	if err := f.db.Create(&p).Error; err != nil {
		t.Fatal(err)
	}
	if err := (partner.Store{DB: f.db}).AddIdentity(bg, p.ID, access.IdentityService, f.clk.Now()); err != nil {
		t.Fatal(err)
	}
	if err := f.db.Exec(`INSERT INTO path_enrollments (partner_id, path, stage, status, joined_at, stage_at, updated_at)
		VALUES (?, 'service', 'joined', 'active', ?, ?, ?)`, p.ID, f.clk.Now(), f.clk.Now(), f.clk.Now()).Error; err != nil {
		t.Fatal(err)
	}
	uid, _ := dbtest.User(t, f.db, p.ID, "", true)
	return access.Member(uid, p.ID, true)
}

// person registers a personal account of a site and real-name status.
func (f *fx) person(t *testing.T, site, realName string) *access.Principal {
	t.Helper()
	n := seq.Add(1)
	pr, err := f.svc.Register(bg, RegisterInput{LoginName: fmt.Sprintf("person%d", n), Password: "Secret#2026pw", Name: fmt.Sprintf("员工%d", n),
		Site: site, RealName: realName, Mobile: fmt.Sprintf("139%08d", n+7000), Email: fmt.Sprintf("person%d@example.com", n)})
	if err != nil {
		t.Fatal(err)
	}
	return access.PersonalUser(pr.ID)
}

func (f *fx) tenant(t *testing.T, p *access.Principal) string {
	t.Helper()
	pr, err := f.svc.Me(bg, p)
	if err != nil {
		t.Fatal(err)
	}
	return pr.LoginName
}

func key(err error) string {
	if ae, ok := apperr.As(err); ok {
		return ae.MessageKey()
	}
	return ""
}

// failed lists the checks that failed.
func failed(err error) []string {
	var cf *CheckFailure
	if !errors.As(err, &cf) {
		return nil
	}
	var out []string
	for _, c := range cf.Checks {
		if c.Outcome == approval.CheckFail {
			out = append(out, c.Name)
		}
	}
	return out
}

// link invites and accepts.
func (f *fx) link(t *testing.T, admin, who *access.Principal) *Invitation {
	t.Helper()
	inv, err := f.svc.Invite(bg, admin, f.tenant(t, who))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Accept(bg, who, inv.ID); err != nil {
		t.Fatal(err)
	}
	return inv
}

// The lookup and the five checks of §7.2.3–7.2.4: other sites and
// non-personal accounts are not found; each failing check is named.
func TestInviteChecks(t *testing.T) {
	f := setup(t)
	admin := f.partner(t)
	if _, err := f.svc.Invite(bg, admin, "nobody-here"); key(err) != ErrNotFound {
		t.Fatalf("unknown: %v", err)
	}
	intl := f.person(t, SiteIntl, RealNamePersonal)
	if _, err := f.svc.Invite(bg, admin, f.tenant(t, intl)); key(err) != ErrNotFound {
		t.Fatalf("another site: %v", err)
	}
	if _, err := f.svc.Invite(bg, admin, admin.Name); err == nil {
		t.Fatal("invited a partner account")
	}
	var main struct{ LoginName string }
	f.db.Raw(`SELECT login_name FROM users WHERE id = ?`, admin.UserID).Scan(&main)
	if got := failed(func() error { _, err := f.svc.Invite(bg, admin, main.LoginName); return err }()); len(got) != 1 || got[0] != "people.check.not_partner" {
		t.Fatalf("a partner account: %v", got)
	}
	ent := f.person(t, SiteChina, RealNameEnterprise)
	if got := failed(func() error { _, err := f.svc.Invite(bg, admin, f.tenant(t, ent)); return err }()); len(got) != 2 ||
		got[0] != "people.check.not_enterprise" || got[1] != "people.check.real_name" {
		t.Fatalf("enterprise real name: %v", got)
	}
	none := f.person(t, SiteChina, RealNameNone)
	if got := failed(func() error { _, err := f.svc.Invite(bg, admin, f.tenant(t, none)); return err }()); len(got) != 1 || got[0] != "people.check.real_name" {
		t.Fatalf("not real-name verified: %v", got)
	}
	// Linked elsewhere, then 3 partners within a year.
	p := f.person(t, SiteChina, RealNamePersonal)
	other := f.partner(t)
	f.link(t, other, p)
	if got := failed(func() error { _, err := f.svc.Invite(bg, admin, f.tenant(t, p)); return err }()); len(got) != 1 || got[0] != "people.check.not_linked" {
		t.Fatalf("linked to another partner: %v", got)
	}
	var l Link
	f.db.Where("person_id = ?", p.UserID).Take(&l)
	if err := f.svc.Unlink(bg, other, l.ID); err != nil {
		t.Fatal(err)
	}
	f.link(t, f.partner(t), p)
	f.db.Exec(`UPDATE specialist_links SET unlinked_at = ? WHERE person_id = ? AND unlinked_at IS NULL`, f.clk.Now(), p.UserID)
	f.link(t, f.partner(t), p)
	f.db.Exec(`UPDATE specialist_links SET unlinked_at = ? WHERE person_id = ? AND unlinked_at IS NULL`, f.clk.Now(), p.UserID)
	if got := failed(func() error { _, err := f.svc.Invite(bg, admin, f.tenant(t, p)); return err }()); len(got) != 1 || got[0] != "people.check.three_partners" {
		t.Fatalf("three partners in a year: %v", got)
	}
	// A year and a day after the first link, the oldest no longer counts.
	f.clk.Advance(366 * 24 * time.Hour)
	if _, err := f.svc.Invite(bg, admin, f.tenant(t, p)); err != nil {
		t.Fatalf("after a year: %v", err)
	}
	// A member may not invite.
	mid, _ := dbtest.User(t, f.db, admin.PartnerID, "", false)
	if _, err := f.svc.Invite(bg, access.Member(mid, admin.PartnerID, false), f.tenant(t, f.person(t, SiteChina, RealNamePersonal))); !apperr.Is(err, apperr.KindForbidden) {
		t.Fatalf("a member invited: %v", err)
	}
}

// The 7 days of §7.2.5 on both sides of the boundary; re-inviting makes
// a new invitation; the sweep marks the old one.
func TestInvitationValidSevenDays(t *testing.T) {
	f := setup(t)
	admin := f.partner(t)
	p := f.person(t, SiteChina, RealNamePersonal)
	inv, err := f.svc.Invite(bg, admin, f.tenant(t, p))
	if err != nil {
		t.Fatal(err)
	}
	if !inv.ExpiresAt.Equal(f.clk.Now().Add(7 * 24 * time.Hour)) {
		t.Fatalf("expires %s", inv.ExpiresAt)
	}
	if invs, _, err := f.svc.MyInvitations(bg, p); err != nil || len(invs) != 1 || invs[0].PartnerName == "" || invs[0].ID != inv.ID {
		t.Fatalf("the person's invitations: %+v %v", invs, err)
	}
	if _, err := f.svc.Invite(bg, admin, f.tenant(t, p)); key(err) != ErrAlreadyPending {
		t.Fatalf("twice: %v", err)
	}
	f.clk.Advance(inv.ExpiresAt.Sub(f.clk.Now()))
	if err := f.svc.Accept(bg, p, inv.ID); key(err) != ErrExpired {
		t.Fatalf("accepted at the 7 days: %v", err)
	}
	if n, err := f.svc.ExpireInvitations(bg); err != nil || n != 1 {
		t.Fatalf("sweep: %d %v", n, err)
	}
	again, err := f.svc.Invite(bg, admin, f.tenant(t, p))
	if err != nil || again.ID == inv.ID {
		t.Fatalf("re-invite: %v", err)
	}
	f.clk.Advance(again.ExpiresAt.Add(-time.Second).Sub(f.clk.Now()))
	if err := f.svc.Accept(bg, p, again.ID); err != nil {
		t.Fatalf("a second before: %v", err)
	}
	if _, err := f.svc.Invite(bg, admin, f.tenant(t, p)); key(err) != ErrLinkedHere {
		t.Fatalf("invited while linked: %v", err)
	}
	// Another person cannot accept it.
	q := f.person(t, SiteChina, RealNamePersonal)
	inv3, _ := f.svc.Invite(bg, admin, f.tenant(t, q))
	if err := f.svc.Accept(bg, p, inv3.ID); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("someone else's invitation: %v", err)
	}
}

func proof() []files.Upload {
	return []files.Upload{{Name: "在职证明.pdf", Data: []byte("%PDF-1.4\n在职证明\n%%EOF")}}
}

// One path per specialist (§7.2.9); unlinking refused while a specialist
// (§7.2.2); cancellation first; the since-date recorded.
func TestSpecialistOnePathAndUnlink(t *testing.T) {
	f := setup(t)
	admin := f.partner(t)
	p := f.person(t, SiteChina, RealNamePersonal)
	f.link(t, admin, p)
	var l Link
	f.db.Where("person_id = ? AND unlinked_at IS NULL", p.UserID).Take(&l)
	if _, err := f.svc.ApplySpecialist(bg, admin, l.ID, "", nil); key(err) != "people.err.proofs" {
		t.Fatalf("without material: %v", err)
	}
	sp, err := f.svc.ApplySpecialist(bg, admin, l.ID, "售前专家", proof())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ApplySpecialist(bg, admin, l.ID, "", proof()); key(err) != ErrOnePath {
		t.Fatalf("second application: %v", err)
	}
	if err := f.svc.Unlink(bg, admin, l.ID); key(err) != ErrUnlinkSpecial {
		t.Fatalf("unlinked a specialist in review: %v", err)
	}
	eng := approval.Engine{DB: f.db, Clock: f.clk}
	f.clk.Advance(time.Hour)
	if _, err := eng.Approve(bg, f.eco, *sp.ApplicationID, ""); err != nil {
		t.Fatal(err)
	}
	var got Specialist
	f.db.First(&got, sp.ID)
	if got.Status != SpecApproved || got.Since == nil || !got.Since.Equal(f.clk.Now()) {
		t.Fatalf("approved: %+v", got)
	}
	if err := f.svc.CancelSpecialist(bg, admin, sp.ID, ""); key(err) != "people.err.required" {
		t.Fatalf("cancel without a reason: %v", err)
	}
	if err := f.svc.CancelSpecialist(bg, admin, sp.ID, "切换路径"); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Unlink(bg, admin, l.ID); key(err) != ErrUnlinkSpecial {
		t.Fatalf("unlinked while the cancellation is in review: %v", err)
	}
	f.db.First(&got, sp.ID)
	if _, err := eng.Reject(bg, f.eco, *got.CancelApplicationID, "仍在项目中"); err != nil {
		t.Fatal(err)
	}
	if f.db.First(&got, sp.ID); got.Status != SpecApproved {
		t.Fatalf("a refused cancellation: %s", got.Status)
	}
	if err := f.svc.CancelSpecialist(bg, admin, sp.ID, "切换路径"); err != nil {
		t.Fatal(err)
	}
	f.db.First(&got, sp.ID)
	if _, err := eng.Approve(bg, f.eco, *got.CancelApplicationID, ""); err != nil {
		t.Fatal(err)
	}
	if f.db.First(&got, sp.ID); got.Status != SpecCancelled || got.CancelledAt == nil {
		t.Fatalf("cancelled: %+v", got)
	}
	if err := f.svc.Unlink(bg, admin, l.ID); err != nil {
		t.Fatalf("unlink after the cancellation: %v", err)
	}
	if err := f.svc.Unlink(bg, f.partner(t), l.ID); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("another partner's link: %v", err)
	}
}

func certFile() files.Upload {
	return files.Upload{Name: "HCIP.pdf", Data: []byte("%PDF-1.4\nHCIP\n%%EOF")}
}

// Uploaded certificates are reviewed; the owner deletes one to move it;
// synced ones come from the import, cannot be deleted, and do not move;
// linked persons' valid certificates are the path checks' counts.
func TestCertificates(t *testing.T) {
	f := setup(t)
	admin := f.partner(t)
	a, b := f.person(t, SiteChina, RealNamePersonal), f.person(t, SiteChina, RealNamePersonal)
	in := CertificateInput{Type: "HCIP", Direction: "Cloud Service", Number: "HCIP-0001", IssuedOn: "2025-06-01", ExpiresOn: "2028-06-01"}
	if _, err := f.svc.UploadCertificate(bg, a, CertificateInput{Type: "HCCDA", Direction: "x", Number: "1234", IssuedOn: "2025-01-01",
		ExpiresOn: "2027-01-01"}, certFile()); err == nil {
		t.Fatal("uploaded a synced type")
	}
	c, err := f.svc.UploadCertificate(bg, a, in, certFile())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.UploadCertificate(bg, b, in, certFile()); key(err) != ErrCertTaken {
		t.Fatalf("the same number on B: %v", err)
	}
	if err := f.svc.ReviewCertificate(bg, f.eco, c.ID, false, ""); key(err) != "people.err.required" {
		t.Fatalf("reject without reason: %v", err)
	}
	if err := f.svc.ReviewCertificate(bg, f.eco, c.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	// Move it: A deletes, B uploads.
	if err := f.svc.DeleteCertificate(bg, b, c.ID); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("B deleted A's certificate: %v", err)
	}
	if err := f.svc.DeleteCertificate(bg, a, c.ID); err != nil {
		t.Fatal(err)
	}
	moved, err := f.svc.UploadCertificate(bg, b, in, certFile())
	if err != nil {
		t.Fatalf("upload on B after the move: %v", err)
	}
	if err := f.svc.ReviewCertificate(bg, f.eco, moved.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	// The sync: all or nothing.
	csv := "tenant_name,type,direction,number,issued_on,expires_on\n" +
		f.tenant(t, a) + ",HCCDA,Cloud Developer,CDA-1,2025-01-01,2028-01-01\n" +
		f.tenant(t, b) + ",HCSP,Cloud Service,SP-1,2025-01-01,2028-01-01\n" +
		"nobody,HCCDP,Cloud Developer,CDP-9,2025-01-01,2028-01-01\n"
	staff := f.eco
	res, err := f.svc.ImportSynced(bg, staff, []byte(csv))
	if err != nil || res.Imported != 0 || len(res.Errors) != 1 || res.Errors[0].Line != 4 {
		t.Fatalf("import with an unknown person: %+v %v", res, err)
	}
	csv = strings.Replace(csv, "nobody", f.tenant(t, a), 1)
	if res, err = f.svc.ImportSynced(bg, staff, []byte(csv)); err != nil || res.Imported != 3 || len(res.Errors) != 0 {
		t.Fatalf("import: %+v %v", res, err)
	}
	if res, err = f.svc.ImportSynced(bg, staff, []byte(csv)); err != nil || res.Updated != 3 {
		t.Fatalf("re-import updates: %+v %v", res, err)
	}
	moveSynced := "tenant_name,type,direction,number,issued_on,expires_on\n" + f.tenant(t, b) + ",HCCDA,Cloud Developer,CDA-1,2025-01-01,2028-01-01\n"
	if res, _ = f.svc.ImportSynced(bg, staff, []byte(moveSynced)); len(res.Errors) != 1 || res.Errors[0].Key != ErrCertTaken {
		t.Fatalf("a synced certificate moved: %+v", res)
	}
	var synced Certificate
	f.db.Where("number = 'CDA-1'").Take(&synced)
	if err := f.svc.DeleteCertificate(bg, a, synced.ID); key(err) != "people.err.synced" {
		t.Fatalf("deleted a synced certificate: %v", err)
	}
	// Counts: only linked persons count.
	today := clock.ChinaDate(f.clk.Now())
	if c, _ := certificateCounts(bg, f.db, admin.PartnerID, today); c != (paths.CertificateCounts{}) {
		t.Fatalf("before linking: %+v", c)
	}
	f.link(t, admin, a)
	f.link(t, admin, b)
	c2, err := certificateCounts(bg, f.db, admin.PartnerID, today)
	want := paths.CertificateCounts{Entry: 1, Working: 2, HCSAPersons: 1, Experts: 2}
	if err != nil || c2 != want {
		t.Fatalf("counts %+v, want %+v", c2, want)
	}
	// Expired certificates do not count.
	if c3, _ := certificateCounts(bg, f.db, admin.PartnerID, time.Date(2028, 6, 2, 0, 0, 0, 0, time.UTC)); c3 != (paths.CertificateCounts{}) {
		t.Fatalf("after expiry: %+v", c3)
	}
	// The partner sees a linked person's certificates; not another's.
	d, err := f.svc.PersonDetail(bg, admin, a.UserID)
	if err != nil || d.Link == nil || len(d.Certificates) != 2 {
		t.Fatalf("detail: %+v %v", d, err)
	}
	if _, err := f.svc.PersonDetail(bg, f.partner(t), a.UserID); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("another tenant read the person: %v", err)
	}
}

// Three partners' invitations accepted at once, and a specialist applied
// for twice at once: one link, one specialist (-race).
func TestConcurrentAcceptanceLinksOnce(t *testing.T) {
	f := setup(t)
	p := f.person(t, SiteChina, RealNamePersonal)
	var invs []*Invitation
	for range 3 {
		inv, err := f.svc.Invite(bg, f.partner(t), f.tenant(t, p))
		if err != nil {
			t.Fatal(err)
		}
		invs = append(invs, inv)
	}
	var wg sync.WaitGroup
	var won, refused atomic.Int32
	for _, inv := range invs {
		wg.Add(1)
		go func(id int64) {
			defer wg.Done()
			err := f.svc.Accept(bg, p, id)
			switch {
			case err == nil:
				won.Add(1)
			case len(failed(err)) == 1 && failed(err)[0] == "people.check.not_linked":
				refused.Add(1)
			default:
				t.Error(err)
			}
		}(inv.ID)
	}
	wg.Wait()
	if won.Load() != 1 || refused.Load() != 2 {
		t.Fatalf("accepted %d, refused %d", won.Load(), refused.Load())
	}
	var l Link
	if err := f.db.Where("person_id = ? AND unlinked_at IS NULL", p.UserID).Take(&l).Error; err != nil {
		t.Fatal(err)
	}
	admin := access.Member(0, l.PartnerID, true)
	f.db.Raw(`SELECT id FROM users WHERE partner_id = ? AND is_main`, l.PartnerID).Scan(&admin.UserID)
	won.Store(0)
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := f.svc.ApplySpecialist(bg, admin, l.ID, "", proof()); err == nil {
				won.Add(1)
			} else if key(err) != ErrOnePath {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if won.Load() != 1 {
		t.Fatalf("specialists applied: %d", won.Load())
	}
}

// TestImportReadsTheSheetAndRefusesBadLinesFirst: the sync file is read
// like every upload (a BOM is no part of the header); a malformed line is
// refused before any person or certificate is looked up; a number twice in
// one file for the same person is imported once and renewed.
func TestImportReadsTheSheetAndRefusesBadLinesFirst(t *testing.T) {
	f := setup(t)
	a := f.person(t, SiteChina, RealNamePersonal)
	head := "\xef\xbb\xbftenant_name,type,direction,number,issued_on,expires_on\n"
	bad := head + "nobody,HCCDA,Cloud Developer,X,2025-01-01,2028-01-01\n"
	res, err := f.svc.ImportSynced(bg, f.eco, []byte(bad))
	if err != nil || len(res.Errors) != 1 || res.Errors[0].Key != "people.err.cert_number" || res.Errors[0].Line != 2 {
		t.Fatalf("bad number: %+v %v", res, err)
	}
	n := fmt.Sprintf("DUP-%d", seq.Add(1))
	twice := head + f.tenant(t, a) + ",HCCDA,Cloud Developer," + n + ",2025-01-01,2028-01-01\n" +
		f.tenant(t, a) + ",hccda,Cloud Native," + strings.ToLower(n) + ",2025-01-01,2029-01-01\n"
	if res, err = f.svc.ImportSynced(bg, f.eco, []byte(twice)); err != nil || res.Imported != 1 || res.Updated != 1 || len(res.Errors) != 0 {
		t.Fatalf("twice in one file: %+v %v", res, err)
	}
	var got Certificate
	if err := f.db.Where("upper(number) = ?", n).Take(&got).Error; err != nil || got.Direction != "Cloud Native" || got.ExpiresOn.Year() != 2029 {
		t.Fatalf("the later line wins: %+v %v", got, err)
	}
}

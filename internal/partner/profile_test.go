package partner

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/dbtest"
	"partnercenter/internal/platform/reqctx"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var fixtureSeq atomic.Int64

// fixtureTenant creates an active partner with a main account and a
// member, and returns the partner and both principals.
func fixtureTenant(t *testing.T, g *gorm.DB, code string) (*Partner, *access.Principal, *access.Principal) {
	t.Helper()
	n := fixtureSeq.Add(1)
	joined := time.Now().UTC().AddDate(0, 0, -int(n))
	p := Partner{Name: fmt.Sprintf("测试科技有限公司%d", n), CreditCode: code, Status: StatusActive, Site: "cn",
		Address: "上海市浦东新区", PostalCode: "200120", LegalRepresentative: "张三", RegisteredCapital: "100万人民币",
		BusinessScope: "软件开发", ContactName: "李四", ContactMobile: "13900000000", ContactEmail: "li@example.cn",
		JoinedHCPNAt: &joined}
	if err := g.Create(&p).Error; err != nil {
		t.Fatal(err)
	}
	mk := func(login string, main bool) int64 {
		var id int64
		if err := g.Raw(`INSERT INTO users (kind, partner_id, login_name, password_hash, is_main) VALUES ('partner', ?, ?, 'x', ?) RETURNING id`,
			p.ID, login, main).Scan(&id).Error; err != nil {
			t.Fatal(err)
		}
		return id
	}
	mainID := mk(fmt.Sprintf("pmain%d", n), true)
	memberID := mk(fmt.Sprintf("pmember%d", n), false)
	return &p, access.Member(mainID, p.ID, true), access.Member(memberID, p.ID, false)
}

func ctxAs(a *access.Principal) context.Context {
	return reqctx.With(context.Background(), &reqctx.Meta{RequestID: "test-req-0001", IP: "198.51.100.1", ActorID: a.UserID, ActorName: "tester", PartnerID: a.PartnerID})
}

// Codes used by fixtures: valid USCCs with correct check characters.
var (
	codeA = USCCWithCheck("91310115MA1K4A2B4")
	codeB = USCCWithCheck("91330100MA2H7C8D5")
)

func pngBytes(t *testing.T, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	img.Set(0, 0, color.RGBA{200, 10, 10, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jpegBytes(t *testing.T) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewRGBA(image.Rect(0, 0, 8, 8)), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var pdfBytes = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

func goodLicence(code string) LicenceInput {
	return LicenceInput{Name: "测试科技（上海）有限公司", RegisteredCapital: "200万人民币", EstablishedOn: "2015-06-01",
		LegalRepresentative: "王五", Address: "上海市徐汇区漕河泾", PostalCode: "200233", BusinessScope: "云计算技术服务",
		LicenceCode: code, LicenceFile: &Upload{Name: "licence.pdf", Data: pdfBytes}}
}

func fieldKey(err error, field string) string {
	ae, ok := apperr.As(err)
	if !ok || ae.Fields == nil {
		return ""
	}
	return ae.Fields[field]
}

func count(t *testing.T, g *gorm.DB, table, where string, args ...any) int64 {
	var n int64
	if err := g.Table(table).Where(where, args...).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func reload(t *testing.T, g *gorm.DB, id int64) *Partner {
	p, err := Store{DB: g}.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLicenceWithAnotherCreditCodeIsRefusedWithSeedMessageAndChangesNothing(t *testing.T) {
	g := dbtest.DB(t)
	p, main, _ := fixtureTenant(t, g, codeA)
	s := Profiles{DB: g, Clock: clock.System{}}
	files, audits := count(t, g, "files", "partner_id = ?", p.ID), count(t, g, "audit_log", "partner_id = ?", p.ID)

	err := s.UpdateLicence(ctxAs(main), main, goodLicence(codeB)) // valid code, but not this company's
	ae, ok := apperr.As(err)
	if !ok || ae.Kind != apperr.KindInvalid || ae.Key != "profile.err.licence_code_mismatch" || fieldKey(err, "licence_code") == "" {
		t.Fatalf("got %v, want the seed's mismatch message (seed 003 §6.1.3)", err)
	}
	after := reload(t, g, p.ID)
	if after.Name != p.Name || after.Address != p.Address || after.CreditCode != codeA {
		t.Fatal("a refused licence change must change nothing")
	}
	if count(t, g, "files", "partner_id = ?", p.ID) != files || count(t, g, "audit_log", "partner_id = ?", p.ID) != audits {
		t.Fatal("a refused licence change must store no file and write no audit row")
	}
}

func TestOnlyTheMainAccountMayEditLicenceLogoAndIntroduction(t *testing.T) {
	g := dbtest.DB(t)
	p, _, member := fixtureTenant(t, g, codeA)
	s := Profiles{DB: g, Clock: clock.System{}}
	for name, err := range map[string]error{
		"licence": s.UpdateLicence(ctxAs(member), member, goodLicence(codeA)),
		"logo":    s.UpdateLogo(ctxAs(member), member, Upload{Name: "a.png", Data: pngBytes(t, 4, 4)}),
		"intro":   s.UpdateIntro(ctxAs(member), member, "member wrote this"),
	} {
		if !apperr.Is(err, apperr.KindForbidden) {
			t.Errorf("%s by a member: got %v, want forbidden (seed 003 §6.1.2)", name, err)
		}
	}
	if after := reload(t, g, p.ID); after.Name != p.Name || after.Introduction != "" || after.LogoFileID != nil {
		t.Fatal("a member's refused edit changed the company")
	}
	// A main account of another tenant acting on this one is not its main.
	_, otherMain, _ := fixtureTenant(t, g, codeB)
	cross := access.Member(otherMain.UserID, p.ID, true)
	if err := s.UpdateIntro(ctxAs(cross), cross, "x"); !apperr.Is(err, apperr.KindForbidden) {
		t.Fatalf("another tenant's main account: got %v", err)
	}
}

func TestLicenceChangeUpdatesDataKeepsCreditCodeStoresFileAndAudits(t *testing.T) {
	g := dbtest.DB(t)
	p, main, _ := fixtureTenant(t, g, codeA)
	in := goodLicence(strings.ToLower(" " + codeA + " ")) // typed in lower case with spaces
	if err := (Profiles{DB: g, Clock: clock.System{}}).UpdateLicence(ctxAs(main), main, in); err != nil {
		t.Fatal(err)
	}
	after := reload(t, g, p.ID)
	if after.Name != "测试科技（上海）有限公司" || after.PostalCode != "200233" || after.EstablishedOn == nil ||
		after.EstablishedOn.Format("2006-01-02") != "2015-06-01" || after.CreditCode != codeA {
		t.Fatalf("licence data not saved: %+v", after)
	}
	var ct string
	g.Table("files").Where("partner_id = ?", p.ID).Order("id DESC").Limit(1).Pluck("content_type", &ct)
	if ct != "application/pdf" {
		t.Fatalf("licence file stored as %q", ct)
	}
	var row struct {
		Action, RequestID string
		Before, After     string
	}
	g.Table("audit_log").Where("partner_id = ? AND action = 'partner.licence.update'", p.ID).
		Select("action, request_id, before::text, after::text").Take(&row)
	if row.RequestID != "test-req-0001" || !strings.Contains(row.Before, p.Name) || !strings.Contains(row.After, "测试科技（上海）") {
		t.Fatalf("audit row: %+v", row)
	}
}

func TestLicenceInputIsValidated(t *testing.T) {
	g := dbtest.DB(t)
	p, main, _ := fixtureTenant(t, g, codeA)
	s := Profiles{DB: g, Clock: clock.System{}}
	cases := map[string]struct {
		mutate func(*LicenceInput)
		field  string
		key    string
	}{
		"bad checksum": {func(in *LicenceInput) { in.LicenceCode = codeA[:17] + "0" }, "licence_code", "profile.err.credit_code_invalid"},
		"missing file": {func(in *LicenceInput) { in.LicenceFile = nil }, "licence_file", "profile.err.licence_file_required"},
		"html named pdf": {func(in *LicenceInput) {
			in.LicenceFile = &Upload{Name: "x.pdf", Data: []byte("<html><script>1</script>")}
		}, "licence_file", "files.err.type"},
		"too large": {func(in *LicenceInput) {
			in.LicenceFile = &Upload{Name: "x.pdf", Data: append(pdfBytes, make([]byte, MaxLicenceBytes)...)}
		}, "licence_file", "files.err.too_large"},
		"postal code":        {func(in *LicenceInput) { in.PostalCode = "2002" }, "postal_code", "profile.err.postal_code"},
		"future established": {func(in *LicenceInput) { in.EstablishedOn = time.Now().AddDate(1, 0, 0).Format("2006-01-02") }, "established_on", "profile.err.date_range"},
		"no name":            {func(in *LicenceInput) { in.Name = "  " }, "name", "profile.err.required"},
	}
	for name, c := range cases {
		in := goodLicence(codeA)
		c.mutate(&in)
		err := s.UpdateLicence(ctxAs(main), main, in)
		if got := fieldKey(err, c.field); got != c.key {
			t.Errorf("%s: field %s = %q (err %v), want %q", name, c.field, got, err, c.key)
		}
	}
	if reload(t, g, p.ID).Name != p.Name {
		t.Fatal("invalid input changed the company")
	}
	// JPEG and PNG scans are accepted too.
	in := goodLicence(codeA)
	in.LicenceFile = &Upload{Name: "scan.bin", Data: jpegBytes(t)}
	if err := s.UpdateLicence(ctxAs(main), main, in); err != nil {
		t.Fatalf("jpeg licence: %v", err)
	}
}

func TestContactsAreValidatedAndAudited(t *testing.T) {
	g := dbtest.DB(t)
	p, _, member := fixtureTenant(t, g, codeA)
	s := Profiles{DB: g, Clock: clock.System{}}
	bad := map[string]ContactsInput{
		"contact_mobile": {Name: "赵六", Mobile: "1380000", Email: "zl@example.cn"},
		"contact_email":  {Name: "赵六", Mobile: "13811112222", Email: "zl@@example"},
		"contact_name":   {Name: " ", Mobile: "13811112222", Email: "zl@example.cn"},
	}
	for field, in := range bad {
		if err := s.UpdateContacts(ctxAs(member), member, in); fieldKey(err, field) == "" {
			t.Errorf("%s: got %v, want a field error", field, err)
		}
	}
	if reload(t, g, p.ID).ContactName != "李四" {
		t.Fatal("invalid contacts changed the company")
	}
	// Contacts are edited directly by members holding 修改账号信息 (seed 003 §6.1.5).
	if err := s.UpdateContacts(ctxAs(member), member, ContactsInput{Name: "赵六", Position: "渠道经理",
		Mobile: "13811112222", Email: "ZL@Example.cn"}); err != nil {
		t.Fatal(err)
	}
	after := reload(t, g, p.ID)
	if after.ContactName != "赵六" || after.ContactEmail != "zl@example.cn" || after.ContactMobile != "13811112222" {
		t.Fatalf("contacts not saved: %+v", after)
	}
	if count(t, g, "audit_log", "partner_id = ? AND action = 'partner.contacts.update'", p.ID) != 1 {
		t.Fatal("contacts change not audited")
	}
}

func TestLogoTypeIsSniffedAndSizeLimited(t *testing.T) {
	g := dbtest.DB(t)
	p, main, _ := fixtureTenant(t, g, codeA)
	s := Profiles{DB: g, Clock: clock.System{}}
	var gifBuf bytes.Buffer
	_ = gif.Encode(&gifBuf, image.NewPaletted(image.Rect(0, 0, 2, 2), []color.Color{color.Black}), nil)
	refused := map[string]Upload{
		"html named png": {Name: "logo.png", Data: []byte("<html><body onload=alert(1)>")},
		"svg":            {Name: "logo.svg", Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)},
		"gif":            {Name: "logo.png", Data: gifBuf.Bytes()},
		"over 2 MB":      {Name: "logo.png", Data: append(pngBytes(t, 2, 2), make([]byte, MaxLogoBytes)...)},
		"truncated png":  {Name: "logo.png", Data: pngBytes(t, 4, 4)[:20]},
		"empty":          {Name: "logo.png"},
	}
	for name, up := range refused {
		if err := s.UpdateLogo(ctxAs(main), main, up); fieldKey(err, "logo") == "" {
			t.Errorf("%s: got %v, want a logo field error", name, err)
		}
	}
	if reload(t, g, p.ID).LogoFileID != nil {
		t.Fatal("a refused logo was stored")
	}
	// A PNG named .jpg is stored as what it is.
	if err := s.UpdateLogo(ctxAs(main), main, Upload{Name: "logo.jpg", Data: pngBytes(t, 16, 16)}); err != nil {
		t.Fatal(err)
	}
	first := reload(t, g, p.ID).LogoFileID
	logo, err := s.Logo(context.Background(), main)
	if err != nil || logo.ContentType != "image/png" {
		t.Fatalf("logo: %v %+v", err, logo)
	}
	// Replacing it deletes the previous file.
	if err := s.UpdateLogo(ctxAs(main), main, Upload{Name: "logo.jpg", Data: jpegBytes(t)}); err != nil {
		t.Fatal(err)
	}
	if count(t, g, "files", "id = ?", *first) != 0 {
		t.Fatal("the previous logo file was kept")
	}
	if logo, _ := s.Logo(context.Background(), main); logo == nil || logo.ContentType != "image/jpeg" {
		t.Fatal("new logo not served")
	}
}

func TestLogoIsServedOnlyFromTheTenantsOwnFiles(t *testing.T) {
	g := dbtest.DB(t)
	a, mainA, _ := fixtureTenant(t, g, codeA)
	b, mainB, _ := fixtureTenant(t, g, codeB)
	s := Profiles{DB: g, Clock: clock.System{}}
	if err := s.UpdateLogo(ctxAs(mainA), mainA, Upload{Name: "a.png", Data: pngBytes(t, 4, 4)}); err != nil {
		t.Fatal(err)
	}
	// Even if b's row pointed at a's file, b would not get it.
	fileA := reload(t, g, a.ID).LogoFileID
	if err := g.Exec(`UPDATE partners SET logo_file_id = ? WHERE id = ?`, *fileA, b.ID).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := s.Logo(context.Background(), mainB); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("another tenant's file served: %v", err)
	}
	g.Exec(`UPDATE partners SET logo_file_id = NULL WHERE id = ?`, b.ID)
}

func TestIntroductionIsLimitedTo2000Characters(t *testing.T) {
	g := dbtest.DB(t)
	p, main, _ := fixtureTenant(t, g, codeA)
	s := Profiles{DB: g, Clock: clock.System{}}
	if err := s.UpdateIntro(ctxAs(main), main, strings.Repeat("云", 2001)); fieldKey(err, "introduction") != "profile.err.intro_too_long" {
		t.Fatalf("2001 characters: %v", err)
	}
	if err := s.UpdateIntro(ctxAs(main), main, strings.Repeat("云", 2000)); err != nil {
		t.Fatalf("2000 characters: %v", err)
	}
	if got := reload(t, g, p.ID).Introduction; len([]rune(got)) != 2000 {
		t.Fatalf("introduction has %d characters", len([]rune(got)))
	}
}

func TestAccountInfoListsOnlyAccountsOfTheSameLegalEntity(t *testing.T) {
	g := dbtest.DB(t)
	code := USCCWithCheck("91440300MA5F6G7H8")
	first, _, _ := fixtureTenant(t, g, code)
	second, _, member := fixtureTenant(t, g, code)
	other, _, _ := fixtureTenant(t, g, codeB)
	// first joined earlier (fixtures join one day earlier each).
	g.Exec(`UPDATE partners SET joined_hcpn_at = now() - interval '400 days' WHERE id = ?`, first.ID)
	info, err := (Profiles{DB: g, Clock: clock.System{}}).AccountInfo(context.Background(), member)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[int64]EntityAccount{}
	for _, a := range info.Accounts {
		ids[a.ID] = a
	}
	if len(ids) != 2 || ids[other.ID].ID != 0 {
		t.Fatalf("accounts: %+v", info.Accounts)
	}
	if !ids[first.ID].EntityMain || ids[second.ID].EntityMain || !ids[second.ID].Current {
		t.Fatalf("flags: %+v", info.Accounts)
	}
	if info.MainLogin == "" || info.Partner.ID != second.ID {
		t.Fatalf("info: %+v", info)
	}
}

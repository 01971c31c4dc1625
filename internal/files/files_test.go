package files

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"gorm.io/gorm"

	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var (
	pdfBytes  = []byte("%PDF-1.4 test")
	jpegBytes = []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F'}
	pngBytes  = []byte("\x89PNG\r\n\x1a\nrest")
)

func TestSniffTrustsTheBytesNotTheName(t *testing.T) {
	cases := map[string]struct {
		data []byte
		want string
	}{
		"pdf":        {pdfBytes, PDF},
		"jpeg":       {jpegBytes, JPEG},
		"png":        {pngBytes, PNG},
		"html":       {[]byte("<html><script>alert(1)</script>"), ""},
		"svg":        {[]byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>`), ""},
		"gif":        {[]byte("GIF89a...."), ""},
		"exe":        {[]byte("MZ\x90\x00"), ""},
		"empty":      {nil, ""},
		"pdf inside": {[]byte(" %PDF-1.4"), ""},
	}
	for name, c := range cases {
		if got := Sniff(c.data); got != c.want {
			t.Errorf("%s: Sniff = %q, want %q", name, got, c.want)
		}
	}
}

func TestCleanNameDropsPathsControlCharactersAndQuotes(t *testing.T) {
	cases := map[string]string{
		`C:\docs\执照.pdf`:      "执照.pdf",
		"/etc/passwd":         "passwd",
		"../../secret.png":    "secret.png",
		"a\x00b\r\n\"c\".pdf": "abc.pdf",
		"  report.pdf  ":      "report.pdf",
		"":                    "fallback.pdf",
		"..":                  "fallback.pdf",
		"\x01\x02":            "fallback.pdf",
		"dir/":                "dir",
	}
	for in, want := range cases {
		if got := CleanName(in, "fallback.pdf"); got != want {
			t.Errorf("CleanName(%q) = %q, want %q", in, got, want)
		}
	}
	long := CleanName(strings.Repeat("营", 300)+".pdf", "x")
	if utf8.RuneCountInString(long) != 200 || !strings.HasSuffix(long, ".pdf") {
		t.Fatalf("long name kept %d runes: …%s", utf8.RuneCountInString(long), long[len(long)-8:])
	}
}

// The document rule's messages name its limits (the onboarding form's
// inline error says "PDF"); a narrower rule's messages point at the hint.
func TestCheckRefusesEmptyOversizedAndUnlistedTypes(t *testing.T) {
	cases := map[string]struct {
		data    []byte
		allowed []string
		max     int64
		ct, key string
	}{
		"pdf document":        {pdfBytes, Documents, MaxSize, PDF, ""},
		"png document":        {pngBytes, Documents, MaxSize, PNG, ""},
		"empty":               {nil, Documents, MaxSize, "", "files.err.empty"},
		"over the limit":      {append(append([]byte{}, pngBytes...), make([]byte, 100)...), Documents, 64, "", "files.err.too_large_hint"},
		"over the table max":  {append(append([]byte{}, pdfBytes...), make([]byte, MaxSize)...), Documents, 2 * MaxSize, "", "files.err.too_large"},
		"pdf where images":    {pdfBytes, []string{PNG, JPEG}, MaxSize, "", "files.err.type_hint"},
		"html named anything": {[]byte("<html>"), Documents, MaxSize, "", "files.err.type"},
	}
	for name, c := range cases {
		ct, key := Check(c.data, c.allowed, c.max)
		if ct != c.ct || key != c.key {
			t.Errorf("%s: Check = %q, %q; want %q, %q", name, ct, key, c.ct, c.key)
		}
	}
}

// tenant creates a partner for the tests and returns its id.
func tenant(t *testing.T, g *gorm.DB, name string) int64 {
	t.Helper()
	var id int64
	if err := g.Raw(`INSERT INTO partners (name, credit_code) VALUES (?, '91310000X') RETURNING id`, name).Scan(&id).Error; err != nil {
		t.Fatal(err)
	}
	return id
}

func save(t *testing.T, g *gorm.DB, up Upload, allowed []string) (int64, string, error) {
	t.Helper()
	var id int64
	var ct string
	err := g.Transaction(func(tx *gorm.DB) error {
		var err error
		id, ct, err = Save(context.Background(), tx, up, allowed, MaxSize, "attachment")
		return err
	})
	return id, ct, err
}

func TestSaveStoresTheSniffedTypeAndACleanName(t *testing.T) {
	g := dbtest.DB(t)
	p := tenant(t, g, "存储测试公司")
	// A PNG named .pdf is stored as a PNG.
	id, ct, err := save(t, g, Upload{PartnerID: p, Name: `C:\scans\执照.pdf`, Data: pngBytes}, Documents)
	if err != nil || ct != PNG {
		t.Fatalf("save: %v %q", err, ct)
	}
	f, err := Get(context.Background(), g, p, id)
	if err != nil {
		t.Fatal(err)
	}
	if f.Name != "执照.pdf" || f.ContentType != PNG || f.Size != int64(len(pngBytes)) || !bytes.Equal(f.Data, pngBytes) ||
		len(f.SHA256) != 32 || f.PartnerID == nil || *f.PartnerID != p || f.CreatedBy != nil {
		t.Fatalf("stored %+v", f)
	}
	// No name: a fallback with the sniffed type's extension.
	id, _, err = save(t, g, Upload{PartnerID: p, Data: pdfBytes}, Documents)
	if err != nil {
		t.Fatal(err)
	}
	if f, _ := Get(context.Background(), g, p, id); f == nil || f.Name != "file.pdf" {
		t.Fatalf("fallback name: %+v", f)
	}
}

func TestSaveRefusalIsAFieldErrorAndStoresNothing(t *testing.T) {
	g := dbtest.DB(t)
	p := tenant(t, g, "拒绝测试公司")
	_, _, err := save(t, g, Upload{PartnerID: p, Name: "evil.pdf", Data: []byte("<html><script>1</script>")}, Documents)
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.KindInvalid || e.Fields["attachment"] != "files.err.type" {
		t.Fatalf("got %v, want a field error on attachment", err)
	}
	if _, _, err := save(t, g, Upload{Name: "x.pdf", Data: pdfBytes}, Documents); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("a file without a tenant was stored: %v", err)
	}
	var n int64
	g.Table("files").Where("partner_id = ? OR partner_id IS NULL", p).Count(&n)
	if n != 0 {
		t.Fatalf("%d files stored", n)
	}
}

func TestGetRefusesAnotherTenantsFile(t *testing.T) {
	g := dbtest.DB(t)
	a, b := tenant(t, g, "甲公司"), tenant(t, g, "乙公司")
	id, _, err := save(t, g, Upload{PartnerID: a, Name: "a.pdf", Data: pdfBytes}, Documents)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Get(context.Background(), g, a, id); err != nil {
		t.Fatalf("own file: %v", err)
	}
	for _, pid := range []int64{b, 0} {
		if f, err := Get(context.Background(), g, pid, id); !apperr.Is(err, apperr.KindNotFound) || f != nil {
			t.Fatalf("tenant %d read another tenant's file: %v", pid, err)
		}
	}
	if _, err := Get(context.Background(), g, a, id+1000); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("missing file: %v", err)
	}
}

func TestDeleteLeavesAnotherTenantsFileAlone(t *testing.T) {
	g := dbtest.DB(t)
	a, b := tenant(t, g, "丙公司"), tenant(t, g, "丁公司")
	id, _, err := save(t, g, Upload{PartnerID: a, Name: "a.png", Data: pngBytes}, Documents)
	if err != nil {
		t.Fatal(err)
	}
	if err := Delete(g, b, id); err != nil {
		t.Fatal(err)
	}
	if _, err := Get(context.Background(), g, a, id); err != nil {
		t.Fatalf("another tenant deleted the file: %v", err)
	}
	if err := Delete(g, a, id); err != nil {
		t.Fatal(err)
	}
	if _, err := Get(context.Background(), g, a, id); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("deleted file still there: %v", err)
	}
}

func TestInfosListsOnlyTheTenantsFilesWithoutContent(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	a, b := tenant(t, g, "戊公司"), tenant(t, g, "己公司")
	one, _, err := save(t, g, Upload{PartnerID: a, Name: "one.pdf", Data: pdfBytes}, Documents)
	if err != nil {
		t.Fatal(err)
	}
	two, _, err := save(t, g, Upload{PartnerID: a, Name: "two.png", Data: pngBytes}, Documents)
	if err != nil {
		t.Fatal(err)
	}
	theirs, _, err := save(t, g, Upload{PartnerID: b, Name: "b.pdf", Data: pdfBytes}, Documents)
	if err != nil {
		t.Fatal(err)
	}
	infos, err := Infos(ctx, g, a, []int64{two, theirs, one, two + 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(infos) != 2 || infos[0].ID != one || infos[1].ID != two || infos[0].Name != "one.pdf" ||
		infos[1].ContentType != PNG || infos[1].Size != int64(len(pngBytes)) || infos[0].CreatedAt.IsZero() {
		t.Fatalf("infos = %+v", infos)
	}
	for _, pid := range []int64{0, b} {
		if infos, err := Infos(ctx, g, pid, []int64{one}); err != nil || len(infos) != 0 {
			t.Fatalf("tenant %d sees %+v %v", pid, infos, err)
		}
	}
}

package pdf

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

func sampleDocument(t *testing.T) []byte {
	t.Helper()
	d := New(Info{Title: "华为云付款协议", Author: "示例云科技有限公司"})
	d.SetCreated(time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC))
	p := d.AddPage()
	p.Text(72, 80, Song, 18, "华为云付款协议")
	p.Text(72, 110, Song, 10.5, "甲方：示例云科技有限公司 (USCC 91110000MA01ABCD2X)")
	p.Text(72, 130, Helvetica, 10, `Code HWCP-20250301-000001 (a\b)`)
	p.TextRight(520, 150, HelveticaBold, 10, "1,234.56")
	p.Line(72, 160, 520, 160, 0.5)
	p.FillRect(72, 170, 448, 20, 0.9)
	p.Rect(72, 170, 448, 40, 0.5)
	for i, line := range Wrap(Song, 10.5, 440, strings.Repeat("本协议自双方签署之日起生效。", 8)) {
		p.Text(76, 230+float64(i)*16, Song, 10.5, line)
	}
	d.AddPage().Text(72, 80, Song, 12, "第二页 Page 2")
	b, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestOutputFrame: a reader needs the header first and %%EOF last.
func TestOutputFrame(t *testing.T) {
	b := sampleDocument(t)
	if !bytes.HasPrefix(b, []byte("%PDF-1.")) {
		t.Fatalf("missing header: %q", b[:20])
	}
	if !bytes.HasSuffix(bytes.TrimRight(b, "\r\n"), []byte("%%EOF")) {
		t.Fatalf("missing %%%%EOF trailer: %q", b[len(b)-20:])
	}
	for _, want := range []string{"/STSong-Light", "/UniGB-UCS2-H", "/Ordering (GB1) /Supplement 2", "/CIDFontType0", "/Type0", "/Count 2"} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("output lacks %s", want)
		}
	}
	if len(b) > 20_000 {
		t.Errorf("a two-page document should be small (no embedded font), got %d bytes", len(b))
	}
}

// TestXrefOffsetsPointAtObjects: every in-use xref entry's offset points at
// the "n 0 obj" line of object n, and startxref points at the xref keyword;
// a wrong offset makes strict readers repair or refuse the file.
func TestXrefOffsetsPointAtObjects(t *testing.T) {
	b := sampleDocument(t)
	m := regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n$`).FindSubmatch(b)
	if m == nil {
		t.Fatal("no startxref")
	}
	start, _ := strconv.Atoi(string(m[1]))
	if !bytes.HasPrefix(b[start:], []byte("xref\n")) {
		t.Fatalf("startxref %d does not point at xref: %q", start, b[start:start+10])
	}
	lines := strings.Split(string(b[start:]), "\n")
	var first, count int
	if _, err := fmtSscan(lines[1], &first, &count); err != nil || first != 0 {
		t.Fatalf("xref subsection header %q", lines[1])
	}
	if count < 11 {
		t.Fatalf("too few objects: %d", count)
	}
	if lines[2] != "0000000000 65535 f " {
		t.Fatalf("object 0 entry %q", lines[2])
	}
	for n := 1; n < count; n++ {
		e := lines[2+n]
		if len(e) != 19 || !strings.HasSuffix(e, " 00000 n ") {
			t.Fatalf("entry %d malformed: %q (entries must be 20 bytes with the newline)", n, e)
		}
		off, _ := strconv.Atoi(e[:10])
		want := strconv.Itoa(n) + " 0 obj\n"
		if !bytes.HasPrefix(b[off:], []byte(want)) {
			t.Errorf("object %d offset %d points at %q", n, off, b[off:off+12])
		}
	}
	if !regexp.MustCompile(`/Size ` + strconv.Itoa(count) + ` `).Match(b) {
		t.Error("trailer /Size does not match the xref count")
	}
}

func fmtSscan(s string, a, b *int) (int, error) {
	f := strings.Fields(s)
	if len(f) != 2 {
		return 0, strconv.ErrSyntax
	}
	var err error
	if *a, err = strconv.Atoi(f[0]); err != nil {
		return 0, err
	}
	*b, err = strconv.Atoi(f[1])
	return 2, err
}

// TestEscaping is table-driven: literal strings escape the delimiters and the
// backslash (an unescaped ")" would end the string and let text inject PDF
// operators); Song strings are UTF-16BE hex; non-BMP runes become '?'.
func TestEscaping(t *testing.T) {
	cases := []struct {
		name string
		font Font
		in   string
		want string
	}{
		{"plain ascii", Helvetica, "Total 12.00", "(Total 12.00)"},
		{"parentheses", Helvetica, "a(b)c", `(a\(b\)c)`},
		{"unbalanced close paren cannot end the string", Helvetica, ") Tj /F9 99 Tf (", `(\) Tj /F9 99 Tf \()`},
		{"backslash", Helvetica, `C:\x\`, `(C:\\x\\)`},
		{"newline and tab become spaces", Helvetica, "a\nb\tc\r", "(a b c )"},
		{"non-ascii in helvetica", HelveticaBold, "合同 é", "(?? ?)"},
		{"non-BMP in helvetica", Helvetica, "x😀", "(x?)"},
		{"chinese as utf-16be hex", Song, "中文", "<4E2D6587>"},
		{"latin in song needs no escaping", Song, "A(1)\\", "<0041 0028 0031 0029 005C>"},
		{"non-BMP in song", Song, "合😀同𠀀", "<5408003F540C003F>"},
		{"control in song", Song, "甲\n乙", "<75320020 4E59>"},
		{"empty", Song, "", "<>"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := strings.ReplaceAll(c.want, " ", "")
			if c.font != Song {
				want = c.want
			}
			if got := encodeString(c.font, c.in); got != want {
				t.Errorf("encodeString(%q) = %s, want %s", c.in, got, want)
			}
		})
	}
}

func TestTextWidthAndWrap(t *testing.T) {
	if w := TextWidth(Song, 10, "中文ab"); w != 31.12 {
		t.Errorf("song width = %v, want 31.12 (ASCII measured as Helvetica)", w)
	}
	var p Page
	p.Text(10, 20, Song, 10, "合同 No.1")
	if got, want := p.ops.String(), "BT 10 821.89 Td /F1 10 Tf <5408540C> Tj /F2 10 Tf ( No.1) Tj ET\n"; got != want {
		t.Errorf("mixed text ops:\n got %q\nwant %q", got, want)
	}
	if w := TextWidth(Helvetica, 10, "00"); w != 11.12 {
		t.Errorf("helvetica width = %v, want 11.12", w)
	}
	lines := Wrap(Song, 10, 50, "一二三四五六七八九十十一")
	if len(lines) != 3 || lines[0] != "一二三四五" {
		t.Errorf("wrap chinese = %q", lines)
	}
	lines = Wrap(Helvetica, 10, 60, "alpha beta gamma delta")
	for _, l := range lines {
		if strings.HasPrefix(l, " ") || TextWidth(Helvetica, 10, l) > 60 {
			t.Errorf("line %q too wide or starts with space (all %q)", l, lines)
		}
	}
	if strings.Join(lines, " ") != "alpha beta gamma delta" {
		t.Errorf("latin wrap broke words: %q", lines)
	}
	// A long number after Chinese moves to the next line whole.
	lines = Wrap(Song, 10, 120, "账号为：7210000000012345678。")
	if len(lines) != 2 || lines[0] != "账号为：" || lines[1] != "7210000000012345678。" {
		t.Errorf("number split: %q", lines)
	}
	if got := Wrap(Song, 10, 100, "a\n\nb"); len(got) != 3 {
		t.Errorf("explicit newlines: %q", got)
	}
}

// TestChineseRoundTripsThroughPdftotext: the Chinese text is extractable as
// written (ToUnicode), which is what search, copy and accessibility rely on.
// It needs poppler-utils (.ci/run and make setup install it).
func TestChineseRoundTripsThroughPdftotext(t *testing.T) {
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatal("pdftotext is needed: install poppler-utils (.ci/run and make setup do)")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "a.pdf")
	if err := os.WriteFile(path, sampleDocument(t), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	text := string(out)
	for _, want := range []string{"华为云付款协议", "甲方：示例云科技有限公司", "91110000MA01ABCD2X", "HWCP-20250301-000001", `(a\b)`, "1,234.56", "本协议自双方签署之日起生效。", "第二页"} {
		if !strings.Contains(text, want) {
			t.Errorf("pdftotext output lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(strings.ToLower(text), "syntax error") {
		t.Errorf("pdftotext reported errors:\n%s", text)
	}
	if info, err := exec.LookPath("pdfinfo"); err == nil {
		out, err := exec.Command(info, path).CombinedOutput()
		if err != nil || !strings.Contains(string(out), "Pages:") || strings.Contains(string(out), "Syntax Error") {
			t.Errorf("pdfinfo: %v\n%s", err, out)
		}
		if !strings.Contains(string(out), "华为云付款协议") {
			t.Errorf("pdfinfo title not round-tripped:\n%s", out)
		}
	}
}

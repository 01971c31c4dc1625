package pdf

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

func newDoc(t *testing.T, info Info) *Document {
	t.Helper()
	d, err := New(info)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func sampleDocument(t *testing.T) []byte {
	t.Helper()
	d := newDoc(t, Info{Title: "华为云付款协议", Author: "示例云科技有限公司"})
	d.SetCreated(time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC))
	p := d.AddPage()
	p.Text(72, 80, 18, "华为云付款协议")
	p.Text(72, 110, 10.5, "甲方：示例云科技有限公司 (USCC 91110000MA01ABCD2X)")
	p.Text(72, 130, 10, `Code HWCP-20250301-000001 (a\b)`)
	p.TextRight(520, 150, 10, "¥1,234.56")
	p.Line(72, 160, 520, 160, 0.5)
	p.FillRect(72, 170, 448, 20, 0.9)
	p.Rect(72, 170, 448, 40, 0.5)
	for i, line := range d.Wrap(10.5, 440, strings.Repeat("本协议自双方签署之日起生效。", 8)) {
		p.Text(76, 230+float64(i)*16, 10.5, line)
	}
	d.AddPage().Text(72, 80, 12, "第二页 Page 2")
	b, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func needPoppler(t *testing.T, tool string) string {
	t.Helper()
	bin, err := exec.LookPath(tool)
	if err != nil {
		t.Fatalf("%s is needed: install poppler-utils (.ci/run and make setup do)", tool)
	}
	return bin
}

func writeTemp(t *testing.T, b []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "a.pdf")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestOutputFrame: a reader needs the header first and %%EOF last; both
// fonts are embedded TrueType subsets with a ToUnicode map, so the file is
// small although the CJK font file is 4 MB.
func TestOutputFrame(t *testing.T) {
	b := sampleDocument(t)
	if !bytes.HasPrefix(b, []byte("%PDF-1.")) {
		t.Fatalf("missing header: %q", b[:20])
	}
	if !bytes.HasSuffix(bytes.TrimRight(b, "\r\n"), []byte("%%EOF")) {
		t.Fatalf("missing %%%%EOF trailer: %q", b[len(b)-20:])
	}
	for _, want := range []string{"/" + cjkFamily, "/" + latinFamily, "/Identity-H", "/CIDFontType2", "/FontFile2", "/ToUnicode", "/Count 2"} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("output lacks %s", want)
		}
	}
	if bytes.Contains(b, []byte("STSong")) {
		t.Error("output still names the non-embedded STSong-Light")
	}
	if len(b) > 150_000 {
		t.Errorf("a two-page document embeds font subsets only, should be well under 150 kB, got %d bytes", len(b))
	}
	out, err := exec.Command(needPoppler(t, "pdffonts"), writeTemp(t, b)).CombinedOutput()
	if err != nil {
		t.Fatalf("pdffonts: %v\n%s", err, out)
	}
	// name  type  encoding  emb sub uni  object ID
	rows := 0
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) < 7 || !strings.HasPrefix(f[0], "PC") {
			continue
		}
		rows++
		if got := strings.Join(f[len(f)-5:len(f)-2], " "); got != "yes yes yes" {
			t.Errorf("font %s: emb/sub/uni = %s, want yes yes yes\n%s", f[0], got, out)
		}
	}
	if rows != 2 {
		t.Errorf("want the two embedded fonts, got:\n%s", out)
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
	if !regexp.MustCompile(`/Size ` + strconv.Itoa(count) + `\s`).Match(b) {
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

// TestFontFallback is table-driven: each rune is set in the font that has
// it — Latin, digits, ¥ and “—” in Liberation Sans, Chinese and full-width
// punctuation in Droid Sans Fallback; control characters become spaces and
// runes neither font has (emoji, CJK Extension B, ①) become '?'.
func TestFontFallback(t *testing.T) {
	d := newDoc(t, Info{})
	type r struct{ font, text string }
	L, C := latinFamily, cjkFamily
	cases := []struct {
		name string
		in   string
		want []r
	}{
		{"plain ascii", "Total 12.00", []r{{L, "Total 12.00"}}},
		{"parentheses and backslash stay text", `a(b)c\`, []r{{L, `a(b)c\`}}},
		{"operators in text are text", ") Tj /F9 99 Tf (", []r{{L, ") Tj /F9 99 Tf ("}}},
		{"newline and tab become spaces", "a\nb\tc\r", []r{{L, "a b c "}}},
		{"chinese", "中文", []r{{C, "中文"}}},
		{"mixed", "合同 No.1：¥5", []r{{C, "合同"}, {L, " No.1"}, {C, "："}, {L, "¥5"}}},
		{"yen and full-width yen", "¥￥", []r{{L, "¥"}, {C, "￥"}}},
		{"non-BMP and missing", "合😀同𠀀①", []r{{C, "合"}, {L, "?"}, {C, "同"}, {L, "??"}}},
		{"empty", "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []r
			for _, run := range d.runs(c.in) {
				got = append(got, r{d.fonts.family(run.face), run.text})
			}
			if len(got) != len(c.want) {
				t.Fatalf("runs(%q) = %q, want %q", c.in, got, c.want)
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Errorf("runs(%q) = %q, want %q", c.in, got, c.want)
				}
			}
		})
	}
}

// TestTrickyTextKeepsTheFileValid: delimiters, backslashes and would-be
// operators in user text cannot break out of the string (the library
// writes glyph ids as hex), and extract as written.
func TestTrickyTextKeepsTheFileValid(t *testing.T) {
	d := newDoc(t, Info{Title: "a) /Title (x"})
	p := d.AddPage()
	texts := []string{`) Tj /F9 99 Tf (`, `C:\x\`, "<4E2D> ]TJ", "公司(北京)有限公司"}
	for i, s := range texts {
		p.Text(72, 100+float64(i)*20, 10, s)
	}
	b, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	path := writeTemp(t, b)
	out, err := exec.Command(needPoppler(t, "pdftotext"), "-enc", "UTF-8", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	for _, want := range texts {
		if !strings.Contains(string(out), want) {
			t.Errorf("pdftotext lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(strings.ToLower(string(out)), "error") {
		t.Errorf("pdftotext reported errors:\n%s", out)
	}
}

func TestTextWidthAndWrap(t *testing.T) {
	d := newDoc(t, Info{})
	// Ideographs are 1 em; Liberation Sans has Helvetica's widths.
	if w := d.TextWidth(10, "中文ab"); w != 31.12 {
		t.Errorf("mixed width = %v, want 31.12", w)
	}
	if w := d.TextWidth(10, "00"); w != 11.12 {
		t.Errorf("digits width = %v, want 11.12", w)
	}
	if w := d.TextWidth(10, "¥"); w != 5.56 {
		t.Errorf("¥ width = %v, want 5.56", w)
	}
	lines := d.Wrap(10, 50, "一二三四五六七八九十十一")
	if len(lines) != 3 || lines[0] != "一二三四五" {
		t.Errorf("wrap chinese = %q", lines)
	}
	lines = d.Wrap(10, 60, "alpha beta gamma delta")
	for _, l := range lines {
		if strings.HasPrefix(l, " ") || d.TextWidth(10, l) > 60 {
			t.Errorf("line %q too wide or starts with space (all %q)", l, lines)
		}
	}
	if strings.Join(lines, " ") != "alpha beta gamma delta" {
		t.Errorf("latin wrap broke words: %q", lines)
	}
	// A long number after Chinese moves to the next line whole.
	lines = d.Wrap(10, 120, "账号为：7210000000012345678。")
	if len(lines) != 2 || lines[0] != "账号为：" || lines[1] != "7210000000012345678。" {
		t.Errorf("number split: %q", lines)
	}
	// A number wider than the line is cut, never drawn past it.
	for _, l := range d.Wrap(10, 30, "-9,999,999,999.99") {
		if d.TextWidth(10, l) > 30 {
			t.Errorf("line %q wider than 30", l)
		}
	}
	if got := d.Wrap(10, 100, "a\n\nb"); len(got) != 3 {
		t.Errorf("explicit newlines: %q", got)
	}
}

// TestBoxesMatchPdftotextBBox: the widths the layer measures are the ones
// gopdf draws with — the recorded boxes agree with where pdftotext -bbox
// finds each word (x within a fraction of a point, y inside the box).
func TestBoxesMatchPdftotextBBox(t *testing.T) {
	d := newDoc(t, Info{})
	p := d.AddPage()
	words := []string{"¥-9,999,999,999.99", "欠费金额", "折扣优惠：¥12.50", "HWCP-20250301-000001", "华为云计算技术有限公司（北京）", "0.12345678"}
	var boxes []Box
	y := 80.0
	for i, w := range words {
		size := 7.5 + float64(i)*2
		switch i % 3 {
		case 0:
			boxes = append(boxes, p.Text(60, y, size, w))
		case 1:
			boxes = append(boxes, p.TextRight(540, y, size, w))
		default:
			boxes = append(boxes, p.TextCenter(PageWidth/2, y, size, w))
		}
		y += size * 2.5
	}
	b, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(needPoppler(t, "pdftotext"), "-bbox", "-enc", "UTF-8", writeTemp(t, b), "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext -bbox: %v\n%s", err, out)
	}
	found := parseBBox(t, string(out))
	if len(found) != len(words) {
		t.Fatalf("pdftotext found %d words, want %d:\n%s", len(found), len(words), out)
	}
	for i, f := range found {
		want := boxes[i]
		if f.Text != want.Text {
			t.Errorf("word %d = %q, want %q", i, f.Text, want.Text)
			continue
		}
		if abs(f.X-want.X) > 0.3 || abs(f.X+f.W-(want.X+want.W)) > 0.3 {
			t.Errorf("%q: pdftotext x %.2f–%.2f, recorded %.2f–%.2f", f.Text, f.X, f.X+f.W, want.X, want.X+want.W)
		}
		if mid := f.Y + f.H/2; mid < want.Y || mid > want.Y+want.H {
			t.Errorf("%q: pdftotext y %.2f–%.2f outside recorded %.2f–%.2f", f.Text, f.Y, f.Y+f.H, want.Y, want.Y+want.H)
		}
	}
}

func abs(f float64) float64 { return max(f, -f) }

// parseBBox reads the words of pdftotext -bbox output.
func parseBBox(t *testing.T, html string) []Box {
	t.Helper()
	re := regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)
	var out []Box
	for _, m := range re.FindAllStringSubmatch(html, -1) {
		f := make([]float64, 4)
		for i := range f {
			f[i], _ = strconv.ParseFloat(m[i+1], 64)
		}
		text := strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&apos;", "'").Replace(m[5])
		out = append(out, Box{Rect: Rect{X: f[0], Y: f[1], W: f[2] - f[0], H: f[3] - f[1]}, Text: text})
	}
	return out
}

// TestChineseRoundTripsThroughPdftotext: the Chinese text is extractable as
// written (ToUnicode), which is what search, copy and accessibility rely on.
// It needs poppler-utils (.ci/run and make setup install it).
func TestChineseRoundTripsThroughPdftotext(t *testing.T) {
	bin := needPoppler(t, "pdftotext")
	path := writeTemp(t, sampleDocument(t))
	out, err := exec.Command(bin, "-enc", "UTF-8", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	text := string(out)
	for _, want := range []string{"华为云付款协议", "甲方：示例云科技有限公司", "91110000MA01ABCD2X", "HWCP-20250301-000001", `(a\b)`, "¥1,234.56", "本协议自双方签署之日起生效。", "第二页"} {
		if !strings.Contains(text, want) {
			t.Errorf("pdftotext output lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(strings.ToLower(text), "syntax error") {
		t.Errorf("pdftotext reported errors:\n%s", text)
	}
	out, err = exec.Command(needPoppler(t, "pdfinfo"), path).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Pages:") || strings.Contains(string(out), "Syntax Error") {
		t.Errorf("pdfinfo: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "华为云付款协议") {
		t.Errorf("pdfinfo title not round-tripped:\n%s", out)
	}
	if !strings.Contains(string(out), "2025") {
		t.Errorf("pdfinfo lacks the creation date:\n%s", out)
	}
}

// TestDeterministic: the same calls give the same bytes (no clock in the
// file unless SetCreated is called), which keeps tests and stored files
// comparable.
func TestDeterministic(t *testing.T) {
	a, b := sampleDocument(t), sampleDocument(t)
	if !bytes.Equal(a, b) {
		t.Error("two renderings of the same document differ")
	}
	d := newDoc(t, Info{Title: "x"})
	d.AddPage().Text(72, 72, 10, "无日期")
	out, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(out, []byte("/CreationDate")) || bytes.Contains(out, []byte("/ModDate")) {
		t.Error("a document without SetCreated carries a date")
	}
	again, err := d.Bytes()
	if err != nil || !bytes.Equal(out, again) {
		t.Errorf("rendering twice differs (err %v)", err)
	}
}

// TestMissingFontIsAClearError: no panic, an error naming the package.
func TestMissingFontIsAClearError(t *testing.T) {
	for _, c := range []struct {
		name string
		path *string
		data []byte
		pkg  string
	}{
		{"cjk missing", &CJKFontPath, nil, "fonts-droid-fallback"},
		{"latin missing", &LatinFontPath, nil, "fonts-liberation2"},
		{"cjk not a TrueType font", &CJKFontPath, []byte("ttcf\x00\x01\x00\x00 a collection"), "fonts-droid-fallback"},
	} {
		t.Run(c.name, func(t *testing.T) {
			old := *c.path
			t.Cleanup(func() { *c.path = old })
			*c.path = filepath.Join(t.TempDir(), "none.ttf")
			if c.data != nil {
				if err := os.WriteFile(*c.path, c.data, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			d, err := New(Info{})
			if err == nil || d != nil {
				t.Fatalf("New = %v, %v; want an error", d, err)
			}
			if !errors.Is(err, ErrFont) || !strings.Contains(err.Error(), c.pkg) || !strings.Contains(err.Error(), *c.path) {
				t.Errorf("error %q should wrap ErrFont and name %s and the path", err, c.pkg)
			}
		})
	}
}

// TestWrapKeepsPunctuationWithItsText: a line never starts with 。，）
// nor ends with （.
func TestWrapKeepsPunctuationWithItsText(t *testing.T) {
	d := newDoc(t, Info{})
	lines := d.Wrap(10, 50, "一二三四五。六七八九十")
	if len(lines) != 3 || lines[0] != "一二三四" || lines[1] != "五。六七八" {
		t.Errorf("closing punctuation: %q", lines)
	}
	lines = d.Wrap(10, 50, "一二三四（五六）")
	if len(lines) != 2 || lines[0] != "一二三四" || lines[1] != "（五六）" {
		t.Errorf("opening punctuation: %q", lines)
	}
}

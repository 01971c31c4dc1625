package pdf

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// A4 page size in points.
const (
	PageWidth  = 595.28
	PageHeight = 841.89
)

// Font selects one of the fonts every document carries.
type Font int

const (
	// Song is STSong-Light (Chinese and Latin), see the package comment.
	Song Font = iota
	// Helvetica is the standard Type1 Helvetica (printable ASCII only).
	Helvetica
	// HelveticaBold is the standard Type1 Helvetica-Bold (printable ASCII only).
	HelveticaBold
)

// resource names in the page resource dictionary.
var fontRes = [...]string{Song: "F1", Helvetica: "F2", HelveticaBold: "F3"}

// Info is the document information dictionary.
type Info struct {
	Title   string
	Author  string
	Subject string
}

// Document is a PDF under construction. The zero value is not usable; call New.
type Document struct {
	info    Info
	created time.Time
	pages   []*Page
}

// New starts an empty document.
func New(info Info) *Document { return &Document{info: info} }

// SetCreated records a creation date in the information dictionary.
func (d *Document) SetCreated(t time.Time) { d.created = t }

// Page is one A4 page; its drawing methods append to the content stream.
type Page struct {
	ops bytes.Buffer
}

// AddPage appends a new A4 portrait page and returns it.
func (d *Document) AddPage() *Page {
	p := &Page{}
	d.pages = append(d.pages, p)
	return p
}

// PageCount returns the number of pages added so far.
func (d *Document) PageCount() int { return len(d.pages) }

// num formats a coordinate with at most 2 decimals and no trailing zeros.
func num(f float64) string {
	s := strconv.FormatFloat(f, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" || s == "" {
		return "0"
	}
	return s
}

// Text draws s on one line with its baseline starting at (x, y), measured
// from the top-left corner of the page.
//
// With Song, runs of printable ASCII are set in Helvetica (same size, in
// the same text object) so Latin letters and digits keep their proper
// proportional widths next to Chinese; TextWidth measures the same way.
func (p *Page) Text(x, y float64, f Font, size float64, s string) {
	fmt.Fprintf(&p.ops, "BT %s %s Td", num(x), num(PageHeight-y))
	for _, r := range runs(f, s) {
		fmt.Fprintf(&p.ops, " /%s %s Tf %s Tj", fontRes[r.font], num(size), encodeString(r.font, r.text))
	}
	p.ops.WriteString(" ET\n")
}

type run struct {
	font Font
	text string
}

// runs splits Song text into Helvetica runs (printable ASCII) and Song runs
// (everything else); other fonts are one run.
func runs(f Font, s string) []run {
	if f != Song {
		return []run{{f, s}}
	}
	var out []run
	var b strings.Builder
	cur := Font(-1)
	for _, r := range s {
		r = clean(Song, r)
		rf := Song
		if r <= 0x7e {
			rf = Helvetica
		}
		if rf != cur && b.Len() > 0 {
			out = append(out, run{cur, b.String()})
			b.Reset()
		}
		cur = rf
		b.WriteRune(r)
	}
	if b.Len() > 0 || len(out) == 0 {
		if cur < 0 {
			cur = Song
		}
		out = append(out, run{cur, b.String()})
	}
	return out
}

// TextRight draws s so that it ends at x (right-aligned, e.g. amounts).
func (p *Page) TextRight(x, y float64, f Font, size float64, s string) {
	p.Text(x-TextWidth(f, size, s), y, f, size, s)
}

// TextCenter draws s centred on x.
func (p *Page) TextCenter(x, y float64, f Font, size float64, s string) {
	p.Text(x-TextWidth(f, size, s)/2, y, f, size, s)
}

// Line strokes a line from (x1, y1) to (x2, y2) with the given width.
func (p *Page) Line(x1, y1, x2, y2, width float64) {
	fmt.Fprintf(&p.ops, "%s w %s %s m %s %s l S\n",
		num(width), num(x1), num(PageHeight-y1), num(x2), num(PageHeight-y2))
}

// Rect strokes a rectangle whose top-left corner is (x, y).
func (p *Page) Rect(x, y, w, h, width float64) {
	fmt.Fprintf(&p.ops, "%s w %s %s %s %s re S\n",
		num(width), num(x), num(PageHeight-y-h), num(w), num(h))
}

// FillRect fills a rectangle whose top-left corner is (x, y) with a grey
// level (0 black … 1 white), e.g. a table header band, then restores black.
func (p *Page) FillRect(x, y, w, h, gray float64) {
	fmt.Fprintf(&p.ops, "q %s g %s %s %s %s re f Q\n",
		num(gray), num(x), num(PageHeight-y-h), num(w), num(h))
}

// clean maps a rune to what the font can show: control characters become a
// space; runes outside the BMP (Song) or outside printable ASCII (Helvetica)
// become '?'.
func clean(f Font, r rune) rune {
	switch {
	case r < 0x20 || r == 0x7f:
		return ' '
	case f != Song && r > 0x7e:
		return '?'
	case r > 0xffff || (r >= 0xd800 && r <= 0xdfff):
		return '?'
	}
	return r
}

// encodeString renders s as a PDF string operand for font f.
func encodeString(f Font, s string) string {
	if f == Song {
		return hexUCS2(s)
	}
	return literal(s)
}

// hexUCS2 encodes s as a UTF-16BE hex string of BMP code units (UniGB-UCS2-H).
func hexUCS2(s string) string {
	var b strings.Builder
	b.Grow(2 + 4*utf8.RuneCountInString(s))
	b.WriteByte('<')
	for _, r := range s {
		fmt.Fprintf(&b, "%04X", clean(Song, r))
	}
	b.WriteByte('>')
	return b.String()
}

// literal encodes s as a PDF literal string for a WinAnsi standard font,
// escaping the delimiters ( ) and the escape character \.
func literal(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('(')
	for _, r := range s {
		r = clean(Helvetica, r)
		if r == '(' || r == ')' || r == '\\' {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteByte(')')
	return b.String()
}

// utf16Text encodes s for a text string outside content streams (document
// information): UTF-16BE with a byte order mark, as a hex string; non-BMP
// runes are written as surrogate pairs there, which text strings allow.
func utf16Text(s string) string {
	var b strings.Builder
	b.WriteString("<FEFF")
	for _, r := range s {
		if r >= 0x10000 && r <= utf8.MaxRune {
			r -= 0x10000
			fmt.Fprintf(&b, "%04X%04X", 0xd800+(r>>10), 0xdc00+(r&0x3ff))
			continue
		}
		fmt.Fprintf(&b, "%04X", r)
	}
	b.WriteByte('>')
	return b.String()
}

// TextWidth returns the width of s in points at the given size.
func TextWidth(f Font, size float64, s string) float64 {
	units := 0
	for _, r := range s {
		r = clean(f, r)
		switch f {
		case Song:
			if r <= 0x7e {
				units += helveticaWidths[r-0x20] // set in Helvetica, see Text
			} else {
				units += 1000
			}
		case HelveticaBold:
			units += helveticaBoldWidths[r-0x20]
		default:
			units += helveticaWidths[r-0x20]
		}
	}
	return float64(units) * size / 1000
}

// Wrap breaks s into lines no wider than width. Chinese text breaks between
// any two characters; Latin words break at spaces when they can. Explicit
// newlines start a new line.
func Wrap(f Font, size, width float64, s string) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		lines = append(lines, wrapLine(f, size, width, para)...)
	}
	return lines
}

func wrapLine(f Font, size, width float64, s string) []string {
	var lines []string
	runes := []rune(s)
	for len(runes) > 0 {
		w, cut := 0.0, len(runes)
		for i, r := range runes {
			w += TextWidth(f, size, string(r))
			if w > width && i > 0 {
				cut = i
				break
			}
		}
		// Do not split a Latin word or number: move it to the next line
		// unless it alone is wider than the line.
		if cut < len(runes) && isWordRune(runes[cut]) && isWordRune(runes[cut-1]) {
			start := cut
			for start > 0 && isWordRune(runes[start-1]) {
				start--
			}
			if start > 0 {
				cut = start
			}
		}
		lines = append(lines, strings.TrimRight(string(runes[:cut]), " "))
		runes = runes[cut:]
		for len(runes) > 0 && runes[0] == ' ' {
			runes = runes[1:]
		}
	}
	if len(lines) == 0 {
		lines = []string{""}
	}
	return lines
}

func isWordRune(r rune) bool { return r > ' ' && r <= 0x7e }

// Bytes renders the document.
func (d *Document) Bytes() ([]byte, error) {
	var buf bytes.Buffer
	if _, err := d.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writer tracks byte offsets of objects while writing.
type writer struct {
	buf     bytes.Buffer
	offsets []int // index = object number
}

func (w *writer) begin(n int) {
	for len(w.offsets) <= n {
		w.offsets = append(w.offsets, 0)
	}
	w.offsets[n] = w.buf.Len()
	fmt.Fprintf(&w.buf, "%d 0 obj\n", n)
}

func (w *writer) end() { w.buf.WriteString("\nendobj\n") }

func (w *writer) object(n int, body string) {
	w.begin(n)
	w.buf.WriteString(body)
	w.end()
}

func (w *writer) stream(n int, dict string, data []byte) error {
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	if _, err := zw.Write(data); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	w.begin(n)
	fmt.Fprintf(&w.buf, "<< %s/Length %d /Filter /FlateDecode >>\nstream\n", dict, z.Len())
	w.buf.Write(z.Bytes())
	w.buf.WriteString("\nendstream")
	w.end()
	return nil
}

// fixed object numbers; pages follow from firstPage on, two objects each.
const (
	objCatalog = 1 + iota
	objPages
	objSong
	objSongCID
	objSongDesc
	objToUnicode
	objHelvetica
	objHelveticaBold
	objInfo
	firstPage
)

// WriteTo renders the document to out.
func (d *Document) WriteTo(out io.Writer) (int64, error) {
	if len(d.pages) == 0 {
		d.AddPage()
	}
	w := &writer{}
	w.buf.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")

	w.object(objCatalog, fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", objPages))
	kids := make([]string, len(d.pages))
	for i := range d.pages {
		kids[i] = fmt.Sprintf("%d 0 R", firstPage+2*i)
	}
	w.object(objPages, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d /MediaBox [0 0 %s %s] >>",
		strings.Join(kids, " "), len(d.pages), num(PageWidth), num(PageHeight)))

	w.object(objSong, fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>",
		objSongCID, objToUnicode))
	w.object(objSongCID, fmt.Sprintf("<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor %d 0 R /DW 1000 /W [1 95 500] >>",
		objSongDesc))
	w.object(objSongDesc, "<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 737 /StemV 58 >>")
	if err := w.stream(objToUnicode, "", toUnicodeCMap()); err != nil {
		return 0, err
	}
	w.object(objHelvetica, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	w.object(objHelveticaBold, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")

	info := "<< /Producer (partnercenter pdf)"
	if d.info.Title != "" {
		info += " /Title " + utf16Text(d.info.Title)
	}
	if d.info.Author != "" {
		info += " /Author " + utf16Text(d.info.Author)
	}
	if d.info.Subject != "" {
		info += " /Subject " + utf16Text(d.info.Subject)
	}
	if !d.created.IsZero() {
		t := d.created.UTC()
		info += " /CreationDate (D:" + t.Format("20060102150405") + "Z)"
	}
	w.object(objInfo, info+" >>")

	resources := fmt.Sprintf("<< /Font << /F1 %d 0 R /F2 %d 0 R /F3 %d 0 R >> /ProcSet [/PDF /Text] >>",
		objSong, objHelvetica, objHelveticaBold)
	for i, p := range d.pages {
		n := firstPage + 2*i
		w.object(n, fmt.Sprintf("<< /Type /Page /Parent %d 0 R /Resources %s /Contents %d 0 R >>", objPages, resources, n+1))
		if err := w.stream(n+1, "", p.ops.Bytes()); err != nil {
			return 0, err
		}
	}

	xref := w.buf.Len()
	fmt.Fprintf(&w.buf, "xref\n0 %d\n0000000000 65535 f \n", len(w.offsets))
	for _, off := range w.offsets[1:] {
		fmt.Fprintf(&w.buf, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&w.buf, "trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n",
		len(w.offsets), objCatalog, objInfo, xref)
	n, err := out.Write(w.buf.Bytes())
	return int64(n), err
}

// toUnicodeCMap maps every 2-byte code (a UCS-2 code unit under UniGB-UCS2-H)
// to the same Unicode value, one bfrange per high byte so no range crosses a
// last-byte boundary; surrogate code units are never written and are left out.
func toUnicodeCMap() []byte {
	var b bytes.Buffer
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n" +
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n" +
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	var ranges []int
	for hi := 0; hi < 256; hi++ {
		if hi >= 0xd8 && hi <= 0xdf {
			continue
		}
		ranges = append(ranges, hi)
	}
	for len(ranges) > 0 {
		n := min(len(ranges), 100)
		fmt.Fprintf(&b, "%d beginbfrange\n", n)
		for _, hi := range ranges[:n] {
			fmt.Fprintf(&b, "<%02X00> <%02XFF> <%02X00>\n", hi, hi, hi)
		}
		b.WriteString("endbfrange\n")
		ranges = ranges[n:]
	}
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	return b.Bytes()
}

// Widths of printable ASCII (0x20–0x7E) in the standard Helvetica fonts,
// 1/1000 em, from the Adobe AFM files.
var helveticaWidths = [95]int{
	278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
	556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
	1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
	667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
	333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
	556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
}

var helveticaBoldWidths = [95]int{
	278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
	556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
	975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
	667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
	333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
	611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
}

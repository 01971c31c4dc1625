package pdf

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/signintech/gopdf"
)

// A4 page size in points.
const (
	PageWidth  = 595.28
	PageHeight = 841.89
)

// The vertical extent of a line of text, in em above and below the
// baseline: it holds the ink of CJK ideographs (about −0.12…0.88 em in
// Droid Sans Fallback) and of Latin capitals, digits and descenders (0.905
// and −0.212 em in Liberation Sans). Text boxes (Box) use it, and line
// heights are larger, so lines of a paragraph never touch.
const (
	Ascent  = 0.9
	Descent = 0.22
)

// Info is the document information dictionary.
type Info struct {
	Title   string
	Author  string
	Subject string
}

// Document is a PDF under construction. The zero value is not usable; call New.
// Drawing is recorded and the file is produced by Bytes or WriteTo, so a
// Page can still be drawn on after later pages were added.
type Document struct {
	info    Info
	created time.Time
	fonts   fontSet
	pages   []*Page
	boxes   []Box
	used    map[*face]bool
	glyphs  map[rune]glyph // pick and advance, memoised
}

// glyph is how a rune is drawn: the face, the rune actually drawn and its
// advance in 1/1000 em.
type glyph struct {
	face    *face
	r       rune
	advance float64
}

func (d *Document) glyph(r rune) glyph {
	if g, ok := d.glyphs[r]; ok {
		return g
	}
	f, dr := d.fonts.pick(r)
	g := glyph{f, dr, f.advance(dr)}
	d.glyphs[r] = g
	return g
}

// New starts an empty document. It fails, with an error wrapping ErrFont
// that names the Debian package to install, when a font file is missing
// or unusable.
func New(info Info) (*Document, error) {
	fs, err := loadFonts()
	if err != nil {
		return nil, err
	}
	return &Document{info: info, fonts: fs, used: map[*face]bool{}, glyphs: map[rune]glyph{}}, nil
}

// SetCreated records a creation date in the information dictionary;
// without it the file carries no date, so the same calls give the same bytes.
func (d *Document) SetCreated(t time.Time) { d.created = t }

// Page is one A4 portrait page. Coordinates are in points from the
// TOP-LEFT corner of the page, y growing downwards.
type Page struct {
	doc *Document
	num int // 1-based
	ops []op
}

type opKind int

const (
	opText opKind = iota
	opLine
	opRect
	opFill
)

// op is one recorded drawing operation; v is the font size, line width or
// grey level.
type op struct {
	kind       opKind
	x, y, w, h float64
	v          float64
	face       *face
	text       string
}

// AddPage appends a new A4 portrait page and returns it.
func (d *Document) AddPage() *Page {
	p := &Page{doc: d, num: len(d.pages) + 1}
	d.pages = append(d.pages, p)
	return p
}

// PageCount returns the number of pages added so far.
func (d *Document) PageCount() int { return len(d.pages) }

// Number is the page's 1-based number.
func (p *Page) Number() int { return p.num }

// Doc is the document the page belongs to (for measuring).
func (p *Page) Doc() *Document { return p.doc }

// run is a stretch of text drawn with one font.
type run struct {
	face  *face
	text  string
	width float64 // in 1/1000 em
}

// runs splits s into runs by the font that has each rune (see fontSet);
// control characters become spaces and runes no font has become '?'.
func (d *Document) runs(s string) []run {
	var out []run
	var b strings.Builder
	var cur *face
	var w float64
	for _, r := range s {
		g := d.glyph(r)
		if g.face != cur && b.Len() > 0 {
			out = append(out, run{cur, b.String(), w})
			b.Reset()
			w = 0
		}
		cur = g.face
		b.WriteRune(g.r)
		w += g.advance
	}
	if b.Len() > 0 {
		out = append(out, run{cur, b.String(), w})
	}
	return out
}

// TextWidth returns the width of s in points at the given size.
func (d *Document) TextWidth(size float64, s string) float64 {
	var units float64
	for _, r := range s {
		units += d.glyph(r).advance
	}
	return units * size / 1000
}

// Text draws s on one line with its baseline starting at (x, y) and
// returns the box it occupies. Chinese and Latin may be mixed freely.
func (p *Page) Text(x, y, size float64, s string) Box {
	return p.text(x, y, size, s, Rect{})
}

// TextRight draws s so that it ends at x (right-aligned, e.g. amounts).
func (p *Page) TextRight(x, y, size float64, s string) Box {
	return p.Text(x-p.doc.TextWidth(size, s), y, size, s)
}

// TextCenter draws s centred on x.
func (p *Page) TextCenter(x, y, size float64, s string) Box {
	return p.Text(x-p.doc.TextWidth(size, s)/2, y, size, s)
}

func (p *Page) text(x, y, size float64, s string, within Rect) Box {
	start := x
	for _, r := range p.doc.runs(s) {
		p.ops = append(p.ops, op{kind: opText, x: x, y: y, v: size, face: r.face, text: r.text})
		p.doc.used[r.face] = true
		x += r.width * size / 1000
	}
	b := Box{Page: p.num, Rect: Rect{X: start, Y: y - Ascent*size, W: x - start, H: (Ascent + Descent) * size}, Text: s, Within: within}
	if s != "" {
		p.doc.boxes = append(p.doc.boxes, b)
	}
	return b
}

// Line strokes a line from (x1, y1) to (x2, y2) with the given width.
func (p *Page) Line(x1, y1, x2, y2, width float64) {
	p.ops = append(p.ops, op{kind: opLine, x: x1, y: y1, w: x2, h: y2, v: width})
}

// Rect strokes a rectangle whose top-left corner is (x, y).
func (p *Page) Rect(x, y, w, h, width float64) {
	p.ops = append(p.ops, op{kind: opRect, x: x, y: y, w: w, h: h, v: width})
}

// FillRect fills a rectangle whose top-left corner is (x, y) with a grey
// level (0 black … 1 white), e.g. a table header band. Draw it before the
// text that goes on it.
func (p *Page) FillRect(x, y, w, h, gray float64) {
	p.ops = append(p.ops, op{kind: opFill, x: x, y: y, w: w, h: h, v: gray})
}

// Bytes renders the document.
func (d *Document) Bytes() ([]byte, error) {
	var buf bytes.Buffer
	if _, err := d.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WriteTo renders the document to out; it can be called more than once.
func (d *Document) WriteTo(out io.Writer) (int64, error) {
	if len(d.pages) == 0 {
		d.AddPage()
	}
	gp := &gopdf.GoPdf{}
	gp.Start(gopdf.Config{Unit: gopdf.UnitPT, PageSize: gopdf.Rect{W: PageWidth, H: PageHeight}})
	gp.SetInfo(gopdf.PdfInfo{
		Title:        infoText(d.info.Title),
		Author:       infoText(d.info.Author),
		Subject:      infoText(d.info.Subject),
		Producer:     "partnercenter (gopdf)",
		CreationDate: d.created.UTC(), // zero: no date
	})
	// Only the fonts that were drawn with are embedded, each as the subset
	// of its glyphs that the text uses.
	for _, f := range []*face{d.fonts.latin, d.fonts.cjk} {
		if !d.used[f] {
			continue
		}
		if err := gp.AddTTFFontData(d.fonts.family(f), f.data); err != nil {
			return 0, fmt.Errorf("pdf: font %s: %w", f.path, err)
		}
	}
	for _, p := range d.pages {
		gp.AddPage()
		if err := p.replay(gp); err != nil {
			return 0, err
		}
	}
	return gp.WriteTo(out)
}

// replay draws the page's recorded operations with gopdf.
func (p *Page) replay(gp *gopdf.GoPdf) error {
	var font *face
	size, width := -1.0, -1.0
	for _, o := range p.ops {
		switch o.kind {
		case opText:
			if o.face != font || o.v != size {
				if err := gp.SetFont(p.doc.fonts.family(o.face), "", o.v); err != nil {
					return fmt.Errorf("pdf: %w", err)
				}
				font, size = o.face, o.v
			}
			gp.SetXY(o.x, o.y)
			if err := gp.Text(o.text); err != nil {
				return fmt.Errorf("pdf: text %q: %w", o.text, err)
			}
		case opLine, opRect:
			if o.v != width {
				gp.SetLineWidth(o.v)
				width = o.v
			}
			if o.kind == opLine {
				gp.Line(o.x, o.y, o.w, o.h)
			} else {
				gp.RectFromUpperLeftWithStyle(o.x, o.y, o.w, o.h, "D")
			}
		case opFill:
			gp.SetGrayFill(o.v)
			gp.RectFromUpperLeftWithStyle(o.x, o.y, o.w, o.h, "F")
			gp.SetGrayFill(0)
		}
	}
	return nil
}

// infoText keeps what the information dictionary can carry: the library
// writes each rune as 4 hex digits (UTF-16 without surrogates), so runes
// outside the BMP become '?'; control characters become spaces.
func infoText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r > 0xffff:
			return '?'
		case r < 0x20 || r == 0x7f:
			return ' '
		}
		return r
	}, s)
}

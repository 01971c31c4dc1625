package pdf

import "strings"

// Wrap breaks s into lines no wider than width at the given size. Chinese
// text breaks between any two characters; Latin words and numbers break at
// spaces when they can (one wider than the line is cut where it must be).
// Explicit newlines start a new line.
func (d *Document) Wrap(size, width float64, s string) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		lines = append(lines, d.wrapLine(size, width, para)...)
	}
	return lines
}

func (d *Document) wrapLine(size, width float64, s string) []string {
	var lines []string
	runes := []rune(strings.TrimRight(s, "\r"))
	for len(runes) > 0 {
		w, cut := 0.0, len(runes)
		for i, r := range runes {
			w += d.glyph(r).advance * size / 1000
			if w > width+1e-9 && i > 0 {
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
		// Chinese line breaking: a line does not start with closing
		// punctuation (。，）…) nor end with an opening one (（《“): the
		// character before moves down with it.
		if cut > 1 && cut < len(runes) && (strings.ContainsRune(noLineStart, runes[cut]) || strings.ContainsRune(noLineEnd, runes[cut-1])) {
			cut--
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

const (
	noLineStart = "。，、；：？！）》」』】〕〉”’…·%)]},.;:?!"
	noLineEnd   = "（《「『【〔〈“‘([{"
)

// Align is the horizontal alignment of text in a cell.
type Align int

const (
	Left Align = iota
	Center
	Right
)

// Fit says what a cell does with text wider than it.
type Fit int

const (
	// Wrap breaks the text into lines (the cell grows downwards).
	Wrap Fit = iota
	// Shrink first reduces the font size, down to MinSize, to keep the text
	// on one line (amounts, codes); what still does not fit wraps.
	Shrink
)

// Style is how text is set in a cell. The zero value is 10 pt, left
// aligned, wrapping, lines 1.3 × the size apart.
type Style struct {
	Size    float64 // font size in points; 0 means 10 (or the table's Size)
	Align   Align
	Fit     Fit
	MinSize float64 // smallest size Shrink uses; 0 means 0.7 × Size
	Leading float64 // line height as a multiple of the size; 0 means 1.3
}

func (st Style) norm() Style {
	if st.Size <= 0 {
		st.Size = 10
	}
	if st.MinSize <= 0 || st.MinSize > st.Size {
		st.MinSize = 0.7 * st.Size
	}
	if st.Leading < Ascent+Descent {
		st.Leading = 1.3
	}
	return st
}

// fit lays s out for a cell of width w: the lines and the size they use.
func (d *Document) fit(w float64, st Style, s string) ([]string, float64) {
	st = st.norm()
	size := st.Size
	if st.Fit == Shrink && !strings.Contains(s, "\n") {
		if tw := d.TextWidth(size, s); tw > w {
			size = max(st.MinSize, size*w/tw)
			// Widths are linear in the size; step down a hair against rounding.
			for size > st.MinSize && d.TextWidth(size, s) > w {
				size = max(st.MinSize, size-0.05)
			}
		}
	}
	return d.Wrap(size, w, s), size
}

// CellHeight is the height Cell uses for s in a column of width w.
func (d *Document) CellHeight(w float64, st Style, s string) float64 {
	lines, size := d.fit(w, st, s)
	return float64(len(lines)) * st.norm().Leading * size
}

// Cell sets s in the column [x, x+w] from the top y down: wrapped (or
// shrunk, see Fit) so that no line is wider than w, each line aligned. It
// returns the height used. Every line's box records the cell as Within.
func (p *Page) Cell(x, y, w float64, st Style, s string) float64 {
	lines, size := p.doc.fit(w, st, s)
	lh := st.norm().Leading * size
	h := float64(len(lines)) * lh
	within := Rect{X: x, Y: y, W: w, H: h}
	for i, line := range lines {
		base := y + float64(i)*lh + (lh-(Ascent+Descent)*size)/2 + Ascent*size
		lx := x
		switch st.Align {
		case Right:
			lx = x + w - p.doc.TextWidth(size, line)
		case Center:
			lx = x + (w-p.doc.TextWidth(size, line))/2
		}
		p.text(lx, base, size, line, within)
	}
	return h
}

// Column is one column of a Table.
type Column struct {
	Width float64
	Style Style // Size 0 takes the table's Size
}

// Table lays out rows of cells side by side; a cell's text never leaves
// its column (it wraps or shrinks, see Fit), and a row is as tall as its
// tallest cell. The caller keeps the y position and decides on page
// breaks with Height.
type Table struct {
	X         float64
	Columns   []Column
	Size      float64 // default font size of the cells; 0 means 10
	PadX      float64 // space between a column's edges and its text
	PadY      float64 // space above and below the text of a row
	MinHeight float64 // smallest row height
	Grid      float64 // width of the cell borders; 0 draws none
	Middle    bool    // centre cells vertically in the row (default top)
}

// Width is the sum of the column widths.
func (t Table) Width() float64 {
	var w float64
	for _, c := range t.Columns {
		w += c.Width
	}
	return w
}

func (t Table) style(i int) Style {
	st := t.Columns[i].Style
	if st.Size <= 0 {
		st.Size = t.Size
	}
	return st
}

// Height is the height Row would use for these cells.
func (t Table) Height(d *Document, cells ...string) float64 {
	h := 0.0
	for i, c := range t.Columns {
		if i < len(cells) && cells[i] != "" {
			h = max(h, d.CellHeight(c.Width-2*t.PadX, t.style(i), cells[i]))
		}
	}
	return max(h+2*t.PadY, t.MinHeight)
}

// Row draws one row with its top at y (cells beyond the columns are
// ignored) and returns its height.
func (t Table) Row(p *Page, y float64, cells ...string) float64 {
	return t.row(p, y, -1, cells)
}

// FilledRow is Row on a grey band (0 black … 1 white), e.g. a header.
func (t Table) FilledRow(p *Page, y, gray float64, cells ...string) float64 {
	return t.row(p, y, gray, cells)
}

func (t Table) row(p *Page, y, gray float64, cells []string) float64 {
	h := t.Height(p.doc, cells...)
	if gray >= 0 {
		p.FillRect(t.X, y, t.Width(), h, gray)
	}
	x := t.X
	for i, c := range t.Columns {
		if i < len(cells) && cells[i] != "" {
			w := c.Width - 2*t.PadX
			top := y + t.PadY
			if t.Middle {
				top = y + (h-p.doc.CellHeight(w, t.style(i), cells[i]))/2
			}
			p.Cell(x+t.PadX, top, w, t.style(i), cells[i])
		}
		if t.Grid > 0 && i > 0 {
			p.Line(x, y, x, y+h, t.Grid)
		}
		x += c.Width
	}
	if t.Grid > 0 {
		p.Rect(t.X, y, t.Width(), h, t.Grid)
	}
	return h
}

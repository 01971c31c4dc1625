package pdf

import (
	"errors"
	"fmt"
)

// Rect is an area of a page: top-left corner (X, Y), width and height.
type Rect struct {
	X, Y, W, H float64
}

// IsZero reports whether r is the zero Rect.
func (r Rect) IsZero() bool { return r == Rect{} }

// Overlaps reports whether r and o share more than a hair (touching
// edges do not count).
func (r Rect) Overlaps(o Rect) bool {
	const eps = 0.01
	return r.X+eps < o.X+o.W && o.X+eps < r.X+r.W && r.Y+eps < o.Y+o.H && o.Y+eps < r.Y+r.H
}

// Contains reports whether o lies inside r (up to a hair).
func (r Rect) Contains(o Rect) bool {
	const eps = 0.01
	return o.X >= r.X-eps && o.Y >= r.Y-eps && o.X+o.W <= r.X+r.W+eps && o.Y+o.H <= r.Y+r.H+eps
}

// Box is a piece of text the document drew: its extent (advance width ×
// Ascent+Descent em around the baseline) on a page, and, for text set by
// Cell or a Table, the cell it was laid out in.
type Box struct {
	Page int
	Rect
	Text   string
	Within Rect
}

func (b Box) String() string {
	return fmt.Sprintf("p%d %q [%.1f,%.1f %.1f×%.1f]", b.Page, b.Text, b.X, b.Y, b.W, b.H)
}

// Boxes returns every non-empty text drawn so far, in drawing order.
func (d *Document) Boxes() []Box { return append([]Box(nil), d.boxes...) }

// CheckLayout reports text that collides: two text boxes on a page that
// overlap, a box that leaves the page, or cell text that leaves its cell.
// Tests of the documents call it with the longest values they can hold.
func (d *Document) CheckLayout() error { return CheckBoxes(d.boxes) }

// CheckBoxes is CheckLayout for a list of boxes.
func CheckBoxes(boxes []Box) error {
	var errs []error
	page := Rect{W: PageWidth, H: PageHeight}
	byPage := map[int][]Box{}
	last := 0
	for _, b := range boxes {
		if !page.Contains(b.Rect) {
			errs = append(errs, fmt.Errorf("off the page: %v", b))
		}
		if !b.Within.IsZero() && !b.Within.Contains(b.Rect) {
			errs = append(errs, fmt.Errorf("outside its cell [%.1f,%.1f %.1f×%.1f]: %v", b.Within.X, b.Within.Y, b.Within.W, b.Within.H, b))
		}
		byPage[b.Page] = append(byPage[b.Page], b)
		last = max(last, b.Page)
	}
	for n := 1; n <= last; n++ {
		list := byPage[n]
		for i, a := range list {
			for _, b := range list[i+1:] {
				if a.Overlaps(b.Rect) {
					errs = append(errs, fmt.Errorf("overlap: %v and %v", a, b))
				}
			}
		}
	}
	return errors.Join(errs...)
}

package pdf

import (
	"time"

	"partnercenter/internal/platform/clock"
)

// Sheet is a one-page A4 form as the vendor issues them (开票清单): a
// centred title, a two-column table of fields, what the caller draws in
// between, wrapped notes, and the generation time at the foot. Callers
// draw with Page at Y and advance Y; Width is the writing width between
// the margins.
type Sheet struct {
	Doc   *Document
	Page  *Page
	Y     float64
	Width float64
	at    string
}

// SheetMargin is a sheet's left and right margin.
const SheetMargin = 48.0

// NewSheet starts a sheet titled title, created at (stamped 生成时间 in
// China time).
func NewSheet(info Info, title string, at time.Time) (*Sheet, error) {
	d, err := New(info)
	if err != nil {
		return nil, err
	}
	d.SetCreated(at)
	s := &Sheet{Doc: d, Page: d.AddPage(), Y: 60, Width: PageWidth - 2*SheetMargin,
		at: "生成时间：" + at.In(clock.China).Format("2006-01-02 15:04")}
	s.Page.TextCenter(PageWidth/2, s.Y, 18, title)
	s.Y += 34
	return s, nil
}

// Fields draws label–value rows, labels 130 wide.
func (s *Sheet) Fields(rows [][2]string) {
	kv := Table{X: SheetMargin, Size: 10, PadX: 6, PadY: 4, Grid: 0.5, Columns: []Column{{Width: 130}, {Width: s.Width - 130}}}
	for _, r := range rows {
		s.Y += kv.Row(s.Page, s.Y, r[0], r[1])
	}
}

// Notes draws paragraphs wrapped to the width at size, line height lead.
func (s *Sheet) Notes(size, lead float64, paragraphs ...string) {
	for _, p := range paragraphs {
		for _, line := range s.Doc.Wrap(size, s.Width, p) {
			s.Page.Text(SheetMargin, s.Y, size, line)
			s.Y += lead
		}
	}
}

// Bytes stamps the generation line at the foot of the last page and
// returns the file.
func (s *Sheet) Bytes() ([]byte, error) {
	s.Page.TextRight(PageWidth-SheetMargin, 790, 9, s.at)
	return s.Doc.Bytes()
}

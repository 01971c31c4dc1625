package sheet

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Format is a file format of a table.
type Format string

// Formats.
const (
	XLSX Format = "xlsx"
	CSV  Format = "csv"
)

// ContentType is the MIME type of a format.
func (f Format) ContentType() string {
	if f == CSV {
		return "text/csv; charset=utf-8"
	}
	return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
}

// Ext is the file name extension with its dot.
func (f Format) Ext() string { return "." + string(f) }

// MaxXLSXRows is what one worksheet holds besides its header row.
const MaxXLSXRows = 1_048_575

// ErrTooManyRows is returned by an xlsx sink asked for more rows than a
// worksheet holds.
var ErrTooManyRows = errors.New("sheet: more rows than an xlsx worksheet holds")

// Table is a row source with its columns.
type Table struct {
	Sheet   string   // worksheet name (xlsx)
	Header  []string // column titles, already translated
	Numeric []bool   // columns holding exact numeric text (amounts); nil: none
	Widths  []float64
	// Rows calls each for every row, in order; the slice may be reused
	// between calls.
	Rows func(ctx context.Context, each func(cells []string) error) error
}

// Sink receives a table's rows.
type Sink interface {
	Row(cells []string) error
	Close() error
}

// New opens a sink of format f on out for a table's columns.
func New(f Format, out io.Writer, t *Table) (Sink, error) {
	if f == CSV {
		return NewCSV(out, t.Numeric)
	}
	return NewXLSX(out, t.Sheet, t.Numeric, t.Widths)
}

// Write sends t to a new sink of format f on out: the header, then every
// row; onRow (optional) runs after each row with the count so far.
func Write(ctx context.Context, f Format, out io.Writer, t *Table, onRow func(n int64) error) (int64, error) {
	s, err := New(f, out, t)
	if err != nil {
		return 0, err
	}
	if err := s.Row(t.Header); err != nil {
		return 0, err
	}
	var n int64
	err = t.Rows(ctx, func(cells []string) error {
		if err := s.Row(cells); err != nil {
			return err
		}
		n++
		if onRow != nil {
			return onRow(n)
		}
		return nil
	})
	if err != nil {
		return n, err
	}
	return n, s.Close()
}

// Safe defuses spreadsheet formulas and control characters at the start
// of a text cell (CSV injection): such a cell gets a leading quote.
func Safe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

type csvSink struct {
	bw      *bufio.Writer
	w       *csv.Writer
	flusher interface{ Flush() }
	numeric []bool
	buf     []string
	n       int
}

// NewCSV writes UTF-8 CSV with a BOM; every text cell goes through Safe
// and invalid UTF-8 is replaced. When out can Flush (an HTTP response),
// rows reach the client every 500 rows.
func NewCSV(out io.Writer, numeric []bool) (Sink, error) {
	bw := bufio.NewWriterSize(out, 32<<10)
	if _, err := bw.WriteString("\uFEFF"); err != nil {
		return nil, err
	}
	s := &csvSink{bw: bw, w: csv.NewWriter(bw), numeric: numeric}
	s.flusher, _ = out.(interface{ Flush() })
	return s, nil
}

func (s *csvSink) Row(cells []string) error {
	s.buf = s.buf[:0]
	for i, c := range cells {
		if i >= len(s.numeric) || !s.numeric[i] {
			c = Safe(strings.ToValidUTF8(c, "\uFFFD"))
		}
		s.buf = append(s.buf, c)
	}
	if err := s.w.Write(s.buf); err != nil {
		return err
	}
	if s.n++; s.n%500 == 0 && s.flusher != nil {
		s.w.Flush()
		if err := s.bw.Flush(); err != nil {
			return err
		}
		s.flusher.Flush()
	}
	return nil
}

func (s *csvSink) Close() error {
	s.w.Flush()
	if err := s.w.Error(); err != nil {
		return err
	}
	return s.bw.Flush()
}

const sheetPart = "xl/worksheets/sheet1.xml"

type xlsxSink struct {
	zw      *zip.Writer
	w       *bufio.Writer
	cols    []string // column letters
	numeric []bool
	r       int64
	err     error
}

// NewXLSX writes an xlsx whose first sheet is streamed row by row. The
// first row is frozen (the header); numeric columns are written as
// numbers holding their exact text.
func NewXLSX(out io.Writer, sheet string, numeric []bool, widths []float64) (Sink, error) {
	f := excelize.NewFile()
	defer f.Close()
	if sheet == "" {
		sheet = "Sheet1"
	}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	skeleton, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	zr, err := zip.NewReader(bytes.NewReader(skeleton.Bytes()), int64(skeleton.Len()))
	if err != nil {
		return nil, err
	}
	zw := zip.NewWriter(out)
	found := false
	for _, part := range zr.File {
		if part.Name == sheetPart {
			found = true
			continue
		}
		if err := zw.Copy(part); err != nil {
			return nil, err
		}
	}
	if !found {
		return nil, io.ErrUnexpectedEOF
	}
	pw, err := zw.Create(sheetPart)
	if err != nil {
		return nil, err
	}
	x := &xlsxSink{zw: zw, w: bufio.NewWriterSize(pw, 64<<10), numeric: numeric}
	x.w.WriteString(xml.Header)
	x.w.WriteString(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
		`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
		`<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>`)
	if len(widths) > 0 {
		x.w.WriteString(`<cols>`)
		for i, wd := range widths {
			if wd <= 0 {
				continue
			}
			n := strconv.Itoa(i + 1)
			x.w.WriteString(`<col min="` + n + `" max="` + n + `" width="` + strconv.FormatFloat(wd, 'f', -1, 64) + `" customWidth="1"/>`)
		}
		x.w.WriteString(`</cols>`)
	}
	x.w.WriteString(`<sheetData>`)
	return x, nil
}

func (x *xlsxSink) col(i int) string {
	for len(x.cols) <= i {
		name, _ := excelize.ColumnNumberToName(len(x.cols) + 1)
		x.cols = append(x.cols, name)
	}
	return x.cols[i]
}

// Row writes the next row; cells flagged numeric are numbers (their text
// is written as the value, exactly), the others inline strings. The first
// row (the header) is always text.
func (x *xlsxSink) Row(cells []string) error {
	if x.err != nil {
		return x.err
	}
	if x.r > MaxXLSXRows {
		x.err = ErrTooManyRows
		return x.err
	}
	x.r++
	rs := strconv.FormatInt(x.r, 10)
	w := x.w
	w.WriteString(`<row r="`)
	w.WriteString(rs)
	w.WriteString(`">`)
	for i, v := range cells {
		if v == "" {
			continue
		}
		w.WriteString(`<c r="`)
		w.WriteString(x.col(i))
		w.WriteString(rs)
		if x.r > 1 && i < len(x.numeric) && x.numeric[i] {
			w.WriteString(`"><v>`)
			w.WriteString(v) // PostgreSQL NUMERIC text: digits, '-' and '.'
			w.WriteString(`</v></c>`)
			continue
		}
		w.WriteString(`" t="inlineStr"><is><t xml:space="preserve">`)
		if err := xml.EscapeText(w, []byte(strings.ToValidUTF8(v, "\uFFFD"))); err != nil {
			x.err = err
			return err
		}
		w.WriteString(`</t></is></c>`)
	}
	_, x.err = w.WriteString(`</row>`)
	return x.err
}

func (x *xlsxSink) Close() error {
	if x.err != nil {
		return x.err
	}
	x.w.WriteString(`</sheetData></worksheet>`)
	if err := x.w.Flush(); err != nil {
		return err
	}
	return x.zw.Close()
}

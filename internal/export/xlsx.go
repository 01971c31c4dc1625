package export

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// Why not excelize's StreamWriter alone: it keeps rows out of memory
// (spilling to a temporary file), but File.WriteTo then zips the whole
// workbook into a bytes.Buffer (WriteToBuffer) before writing it out — a
// 1M-row period peaked at 435 MB of heap. So excelize builds the package
// (workbook, styles, content types, relationships) around an empty sheet,
// and sheetWriter streams the worksheet part itself into an archive/zip
// writer on the output: memory stays at the deflate and bufio buffers.

const sheetPart = "xl/worksheets/sheet1.xml"

// sheetWriter writes an xlsx whose first sheet is streamed row by row.
type sheetWriter struct {
	zw   *zip.Writer
	w    *bufio.Writer
	cols []string // column letters
	err  error
}

func newSheetWriter(out io.Writer, sheet string) (*sheetWriter, error) {
	f := excelize.NewFile()
	defer f.Close()
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
	x := &sheetWriter{zw: zw, w: bufio.NewWriterSize(pw, 64<<10)}
	x.w.WriteString(xml.Header)
	x.w.WriteString(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
		`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
		`<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>` +
		`<sheetData>`)
	return x, nil
}

func (x *sheetWriter) col(i int) string {
	for len(x.cols) <= i {
		name, _ := excelize.ColumnNumberToName(len(x.cols) + 1)
		x.cols = append(x.cols, name)
	}
	return x.cols[i]
}

// row writes row number r; cells flagged in number are numbers (their
// text is written as the value, exactly), the others inline strings.
func (x *sheetWriter) row(r int64, cells []string, number []bool) {
	if x.err != nil {
		return
	}
	rs := strconv.FormatInt(r, 10)
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
		if number != nil && number[i] {
			w.WriteString(`"><v>`)
			w.WriteString(v) // PostgreSQL NUMERIC text: digits, '-' and '.'
			w.WriteString(`</v></c>`)
			continue
		}
		w.WriteString(`" t="inlineStr"><is><t xml:space="preserve">`)
		if err := xml.EscapeText(w, []byte(v)); err != nil {
			x.err = err
			return
		}
		w.WriteString(`</t></is></c>`)
	}
	_, x.err = w.WriteString(`</row>`)
}

func (x *sheetWriter) close() error {
	if x.err != nil {
		return x.err
	}
	x.w.WriteString(`</sheetData></worksheet>`)
	if err := x.w.Flush(); err != nil {
		return err
	}
	return x.zw.Close()
}

package sheet

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// Errors of Open and Rows.Next, for the caller to word.
var (
	ErrFileType = errors.New("sheet: not a readable csv or xlsx file")
	ErrEmpty    = errors.New("sheet: the workbook has no worksheet")
)

// Rows yields the cells of a file line by line; io.EOF ends it.
type Rows interface {
	Next() ([]string, error)
	Close() error
}

// Open opens a CSV or xlsx file by its name's extension. CSV may be UTF-8
// (with or without a BOM) or GB18030/GBK, as Excel saves it on Chinese
// Windows; an xlsx file is read from its first worksheet. A malformed
// file gives ErrFileType (from Open or from Next).
func Open(name string, r io.Reader) (Rows, error) {
	lower := strings.ToLower(name)
	switch {
	case strings.HasSuffix(lower, ".csv"):
		br := bufio.NewReaderSize(r, 64<<10)
		head, _ := br.Peek(64 << 10)
		var src io.Reader = br
		if bytes.HasPrefix(head, []byte("\xef\xbb\xbf")) {
			_, _ = br.Discard(3)
		} else if !validUTF8Prefix(head) {
			src = transform.NewReader(br, simplifiedchinese.GB18030.NewDecoder())
		}
		cr := csv.NewReader(src)
		cr.FieldsPerRecord = -1
		cr.ReuseRecord = true
		return &csvRows{r: cr}, nil
	case strings.HasSuffix(lower, ".xlsx"):
		f, err := excelize.OpenReader(r)
		if err != nil {
			return nil, ErrFileType
		}
		sheets := f.GetSheetList()
		if len(sheets) == 0 {
			_ = f.Close()
			return nil, ErrEmpty
		}
		it, err := f.Rows(sheets[0])
		if err != nil {
			_ = f.Close()
			return nil, ErrFileType
		}
		return &xlsxRows{f: f, it: it}, nil
	}
	return nil, ErrFileType
}

// validUTF8Prefix reports valid UTF-8, ignoring a rune cut at the end of
// the peeked prefix.
func validUTF8Prefix(b []byte) bool {
	for i := 0; i < 4 && len(b) > 0; i++ {
		if utf8.Valid(b) {
			return true
		}
		b = b[:len(b)-1]
	}
	return utf8.Valid(b)
}

type csvRows struct{ r *csv.Reader }

func (c *csvRows) Next() ([]string, error) {
	rec, err := c.r.Read()
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return nil, ErrFileType
	}
	return rec, err
}

func (c *csvRows) Close() error { return nil }

type xlsxRows struct {
	f  *excelize.File
	it *excelize.Rows
}

func (x *xlsxRows) Next() ([]string, error) {
	if !x.it.Next() {
		if err := x.it.Error(); err != nil {
			return nil, err
		}
		return nil, io.EOF
	}
	return x.it.Columns()
}

func (x *xlsxRows) Close() error {
	_ = x.it.Close()
	return x.f.Close()
}

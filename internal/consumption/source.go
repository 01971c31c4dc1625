package consumption

import (
	"errors"
	"io"
	"strings"

	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/sheet"
)

// rows yields the cells of a file line by line; io.EOF ends it.
type rows = sheet.Rows

// openRows opens an uploaded CSV or xlsx file (sheet.Open: UTF-8 or
// GB18030/GBK CSV, first worksheet of an xlsx) and words its errors as
// the import's messages.
func openRows(name string, r io.Reader) (rows, error) {
	src, err := sheet.Open(name, r)
	if err != nil {
		return nil, wordSheetErr(err)
	}
	return worded{src}, nil
}

type worded struct{ sheet.Rows }

func (w worded) Next() ([]string, error) {
	rec, err := w.Rows.Next()
	if err != nil && err != io.EOF {
		return nil, wordSheetErr(err)
	}
	return rec, err
}

func wordSheetErr(err error) error {
	switch {
	case errors.Is(err, sheet.ErrEmpty):
		return apperr.Invalid(ErrEmpty)
	case errors.Is(err, sheet.ErrFileType):
		return apperr.Invalid(ErrFileType)
	}
	return err
}

// header maps the header line to column positions. Headers match in
// Chinese or English, case and surrounding spaces ignored.
func header(rec []string) (map[string]int, []Reject) {
	byText := map[string]string{}
	for _, c := range Columns {
		byText[strings.ToLower(c.Key)] = c.Key
		for _, h := range c.Headers {
			byText[strings.ToLower(h)] = c.Key
		}
	}
	pos := map[string]int{}
	for i, h := range rec {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		h = strings.TrimSuffix(h, "*")
		if key, ok := byText[h]; ok {
			if _, dup := pos[key]; !dup {
				pos[key] = i
			}
		}
	}
	var missing []Reject
	for _, c := range Columns {
		if _, ok := pos[c.Key]; !ok && c.Required {
			missing = append(missing, Reject{LineNo: 1, Column: c.Key, Message: ErrHeaderMissing, Value: c.Headers[0]})
		}
	}
	return pos, missing
}

package consumption

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"partnercenter/internal/access"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/i18n"
	"partnercenter/internal/platform/sheet"
)

// FailedSince counts the imports that failed after since (vendor finance's
// home page: a file to upload again).
func (s Importer) FailedSince(ctx context.Context, p *access.Principal, since time.Time) (_ int64, err error) {
	defer apperr.Wrap(&err, "consumption.FailedSince")
	if _, err := p.Staff(); err != nil {
		return 0, err
	}
	var n int64
	err = s.DB.WithContext(ctx).Model(&Import{}).Where("status = 'failed' AND created_at >= ?", since).Count(&n).Error
	return n, err
}

// RejectsTable is an import's rejected lines as a table to download: the
// template's columns as the lines had them, then the reasons (column:
// reason, in lang) and the line's number in the original file. Vendor
// finance fixes the cells and imports the same file again (the two extra
// columns are ignored on import). Read from a cursor.
func (s Importer) RejectsTable(ctx context.Context, p *access.Principal, id int64, lang string) (_ *sheet.Table, err error) {
	defer apperr.Wrap(&err, "consumption.RejectsTable(%d)", id)
	if _, err := p.Staff(); err != nil {
		return nil, err
	}
	var n int64
	if err := s.DB.WithContext(ctx).Model(&Import{}).Where("id = ?", id).Count(&n).Error; err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, apperr.NotFound()
	}
	t := &sheet.Table{Sheet: i18n.TL(lang, "consumption.report.title")}
	for _, c := range Columns {
		t.Header = append(t.Header, headerIn(c, lang))
	}
	t.Header = append(t.Header, i18n.TL(lang, "consumption.report.reason"), i18n.TL(lang, "consumption.report.file_line"))
	t.Rows = func(ctx context.Context, each func([]string) error) error {
		rows, err := s.DB.WithContext(ctx).Raw(`
			SELECT r.line_no, coalesce(l.cells, '[]'::jsonb)::text,
			       jsonb_agg(jsonb_build_array(r.column_name, r.message_key, r.value) ORDER BY r.column_name)::text
			FROM consumption_import_rejects r
			LEFT JOIN consumption_import_reject_lines l ON l.import_id = r.import_id AND l.line_no = r.line_no
			WHERE r.import_id = ?
			GROUP BY r.line_no, l.cells ORDER BY r.line_no`, id).Rows()
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var line int
			var cellsJSON, reasonsJSON string
			if err := rows.Scan(&line, &cellsJSON, &reasonsJSON); err != nil {
				return err
			}
			var cells []string
			var reasons [][3]string
			if err := json.Unmarshal([]byte(cellsJSON), &cells); err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(reasonsJSON), &reasons); err != nil {
				return err
			}
			out := make([]string, len(Columns), len(Columns)+2)
			copy(out, cells)
			if len(cells) == 0 {
				// An import from before the lines' cells were kept: at least
				// the refused values, in their columns.
				for _, r := range reasons {
					if i := columnIndex(r[0]); i >= 0 {
						out[i] = r[2]
					}
				}
			}
			words := make([]string, len(reasons))
			for i, r := range reasons {
				words[i] = i18n.TL(lang, "consumption.column."+r[0]) + i18n.TL(lang, "consumption.report.reason_sep") + i18n.TL(lang, r[1])
			}
			out = append(out, strings.Join(words, i18n.TL(lang, "consumption.report.reasons_sep")), strconv.Itoa(line))
			if err := each(out); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	return t, nil
}

// columnIndex is the position of a column key in Columns, or -1.
func columnIndex(key string) int {
	for i, c := range Columns {
		if c.Key == key {
			return i
		}
	}
	return -1
}

// headerIn is a column's header as the template names it in lang (the
// English template uses the keys; both import).
func headerIn(c Column, lang string) string {
	if strings.HasPrefix(lang, "en") {
		return c.Key
	}
	return c.Headers[0]
}

package consumption

import (
	"context"
	"strconv"
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

// RejectsTable is an import's rejected lines as a table to download (line,
// column, reason, value, in lang), read from a cursor: vendor finance
// fixes them in its file and imports the corrected lines again.
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
	for _, k := range []string{"consumption.report.line", "consumption.report.column", "consumption.report.reason", "consumption.report.value"} {
		t.Header = append(t.Header, i18n.TL(lang, k))
	}
	t.Rows = func(ctx context.Context, each func([]string) error) error {
		rows, err := s.DB.WithContext(ctx).Table("consumption_import_rejects").Where("import_id = ?", id).
			Select("line_no, column_name, message_key, value").Order("line_no, column_name").Rows()
		if err != nil {
			return err
		}
		defer rows.Close()
		var r Reject
		for rows.Next() {
			if err := rows.Scan(&r.LineNo, &r.Column, &r.Message, &r.Value); err != nil {
				return err
			}
			if err := each([]string{strconv.Itoa(r.LineNo), i18n.TL(lang, "consumption.column."+r.Column), i18n.TL(lang, r.Message), r.Value}); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	return t, nil
}

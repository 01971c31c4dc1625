package audit

import (
	"context"

	"partnercenter/internal/platform/apperr"

	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/i18n"
	"partnercenter/internal/platform/sheet"
)

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// ExportTable is 导出 of the audit log: after checking the reader's
// tenant and the filter it returns the matching rows as a table
// (sheet.Table, in lang) whose rows come from a database cursor when it is
// written. The export itself is recorded ("audit.export") by the export
// pipeline (export.Service.Start) that delivers it.
func (q Query) ExportTable(ctx context.Context, r Reader, f Filter, lang string) (_ *sheet.Table, err error) {
	defer apperr.Wrap(&err, "audit.ExportTable")
	partnerID, err := tenantOf(r)
	if err != nil {
		return nil, err
	}
	if err := f.Normalize(); err != nil {
		return nil, err
	}
	if _, err := q.scope(ctx, partnerID, f); err != nil {
		return nil, err
	}
	t := &sheet.Table{Sheet: i18n.TL(lang, "audit.title")}
	for _, k := range []string{"audit.col.time", "audit.col.actor", "audit.col.action", "audit.col.action_code",
		"audit.col.object_type", "audit.col.object_id", "audit.col.ip", "audit.col.request_id",
		"audit.col.before", "audit.col.after"} {
		t.Header = append(t.Header, i18n.TL(lang, k))
	}
	t.Rows = func(ctx context.Context, each func([]string) error) error {
		return q.each(ctx, partnerID, f, func(e *Entry) error {
			return each([]string{e.At.In(clock.China).Format("2006-01-02 15:04:05"), ActorLabel(lang, e.ActorName), ActionLabel(lang, e.Action),
				e.Action, ObjectLabel(lang, e.ObjectType), e.ObjectID, e.IP, e.RequestID, str(e.Before), str(e.After)})
		})
	}
	return t, nil
}

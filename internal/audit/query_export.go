package audit

import (
	"bufio"
	"context"
	"encoding/csv"
	"io"
	"strings"

	"gorm.io/gorm"

	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
	"partnercenter/internal/platform/i18n"
)

// utf8BOM makes Excel open the CSV as UTF-8, so Chinese reads correctly.
const utf8BOM = "\uFEFF"

// ActionLabel is the translated label of an action ("audit.action.<action>"),
// or the action itself when the catalog has none.
func ActionLabel(lang, action string) string {
	key := "audit.action." + action
	if s := i18n.TL(lang, key); s != key {
		return s
	}
	return action
}

// ObjectLabel is the translated label of an object type, or the type.
func ObjectLabel(lang, objectType string) string {
	key := "audit.object." + objectType
	if s := i18n.TL(lang, key); s != key {
		return s
	}
	return objectType
}

// FieldLabel is the translated label of a snapshot field
// ("audit.field.<field>"), or the field name itself.
func FieldLabel(lang, field string) string {
	key := "audit.field." + field
	if s := i18n.TL(lang, key); s != key {
		return s
	}
	return field
}

// csvSafe defuses spreadsheet formulas: a cell starting with = + - @ or a
// control character is prefixed with a quote (CSV injection).
func csvSafe(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// Export streams the reader's tenant's rows matching f as CSV (UTF-8 with
// BOM) to w, in lang, after recording the export itself in the audit
// trail. Rows come from a database cursor and are flushed as they are
// written.
func (q Query) Export(ctx context.Context, w io.Writer, r Reader, f Filter, lang string) error {
	partnerID, err := tenantOf(r)
	if err != nil {
		return err
	}
	if err := f.Normalize(); err != nil {
		return err
	}
	if _, err := q.scope(ctx, partnerID, f); err != nil {
		return err
	}
	if err := db.WithTx(ctx, q.DB, func(tx *gorm.DB) error {
		return Record(ctx, tx, Change{At: q.Clock.Now(), PartnerID: partnerID, Action: "audit.export", ObjectType: "audit_log",
			After: map[string]string{"actor": f.Actor, "action": f.Action, "object_type": f.ObjectType, "q": f.Q,
				"from": f.From, "to": f.To, "format": "csv"}})
	}); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 32<<10)
	if _, err := bw.WriteString(utf8BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(bw)
	header := []string{"audit.col.time", "audit.col.actor", "audit.col.action", "audit.col.action_code",
		"audit.col.object_type", "audit.col.object_id", "audit.col.ip", "audit.col.request_id",
		"audit.col.before", "audit.col.after"}
	for i, k := range header {
		header[i] = i18n.TL(lang, k)
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	n := 0
	err = q.each(ctx, partnerID, f, func(e *Entry) error {
		rec := []string{
			e.At.In(clock.China).Format("2006-01-02 15:04:05"),
			e.ActorName,
			ActionLabel(lang, e.Action),
			e.Action,
			ObjectLabel(lang, e.ObjectType),
			e.ObjectID,
			e.IP,
			e.RequestID,
			str(e.Before),
			str(e.After),
		}
		for i := range rec {
			rec[i] = csvSafe(strings.ToValidUTF8(rec[i], "\uFFFD"))
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
		n++
		if n%500 == 0 {
			cw.Flush()
			if err := cw.Error(); err != nil {
				return err
			}
			if fl, ok := w.(interface{ Flush() }); ok {
				if err := bw.Flush(); err != nil {
					return err
				}
				fl.Flush()
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

package audit

import (
	"context"
	"encoding/json"
	"partnercenter/internal/platform/db"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
)

// Filter narrows the audit trail of one tenant (组织 > 操作日志). Dates are
// calendar days in China time, both ends included.
type Filter struct {
	Actor      string // login name, part of it, case-insensitive
	Action     string // exact action
	ObjectType string // exact object type
	Q          string // part of an object id, or an exact request id
	From       string // YYYY-MM-DD
	To         string // YYYY-MM-DD
	Asc        bool   // oldest first; newest first by default
	Page       int
	PerPage    int
}

// DefaultPerPage is the page size of the audit list.
const DefaultPerPage = 20

// range bounds in UTC: [from, to).
type bounds struct{ from, to *time.Time }

func parseDay(s string) (time.Time, bool) {
	d, err := time.ParseInLocation(time.DateOnly, s, clock.China)
	return d, err == nil
}

// Normalize trims the filter and checks the dates; bad dates are field
// errors (from, to) so the filter bar can show them inline.
func (f *Filter) Normalize() error {
	f.Actor = strings.TrimSpace(f.Actor)
	f.Action = strings.TrimSpace(f.Action)
	f.ObjectType = strings.TrimSpace(f.ObjectType)
	f.Q = strings.TrimSpace(f.Q)
	f.From = strings.TrimSpace(f.From)
	f.To = strings.TrimSpace(f.To)
	if f.Page < 1 {
		f.Page = 1
	}
	if f.PerPage < 1 || f.PerPage > 100 {
		f.PerPage = DefaultPerPage
	}
	_, err := f.bounds()
	return err
}

func (f *Filter) bounds() (bounds, error) {
	var b bounds
	errs := apperr.Fields{}
	if f.From != "" {
		if d, ok := parseDay(f.From); ok {
			u := d.UTC()
			b.from = &u
		} else {
			errs.Add("from", "audit.err.date")
		}
	}
	if f.To != "" {
		if d, ok := parseDay(f.To); ok {
			u := d.AddDate(0, 0, 1).UTC()
			b.to = &u
		} else {
			errs.Add("to", "audit.err.date")
		}
	}
	if b.from != nil && b.to != nil && !b.from.Before(*b.to) {
		errs.Add("to", "audit.err.date_order")
	}
	return b, errs.Err()
}

func likeEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}

// Query reads a tenant's audit rows. Every query is bound to one partner
// id: rows of other tenants and vendor-level rows (partner_id NULL) are
// never returned.
//
// Lists page over the (partner_id, at DESC, id DESC) index (a deep page
// finds its ids on the index first), count at most 10,001 rows
// (db.CappedCount) and read their filter options by skip scans of the
// action and object-type indexes (migration 00021): a million rows cost
// what a thousand do (docs/PERFORMANCE.md). Next at 100× the rows: monthly
// partitions of audit_log; the CSV export already streams from a cursor.
type Query struct {
	DB    *gorm.DB
	Clock clock.Clock // stamps the audit row of an export
}

// Reader is the principal reading the trail: an *access.Principal, named
// here by its guard because package access records its role changes
// through this package and cannot be imported by it. Tenant gives the
// partner tenant of a partner member and refuses anyone else.
type Reader interface {
	Tenant() (int64, error)
}

// tenantOf is the reader's tenant, or the guard's refusal.
func tenantOf(r Reader) (int64, error) {
	if r == nil {
		return 0, apperr.Forbidden()
	}
	return r.Tenant()
}

func (q Query) scope(ctx context.Context, partnerID int64, f Filter) (*gorm.DB, error) {
	if partnerID == 0 { // never the vendor-level rows (partner_id NULL)
		return nil, apperr.NotFound()
	}
	b, err := f.bounds()
	if err != nil {
		return nil, err
	}
	s := q.DB.WithContext(ctx).Model(&Entry{}).Where("partner_id = ?", partnerID)
	if f.Actor != "" {
		s = s.Where("actor_name ILIKE ?", likeEscape(f.Actor))
	}
	if f.Action != "" {
		s = s.Where("action = ?", f.Action)
	}
	if f.ObjectType != "" {
		s = s.Where("object_type = ?", f.ObjectType)
	}
	if f.Q != "" {
		s = s.Where("(object_id ILIKE ? OR request_id = ?)", likeEscape(f.Q), f.Q)
	}
	if b.from != nil {
		s = s.Where("at >= ?", *b.from)
	}
	if b.to != nil {
		s = s.Where("at < ?", *b.to)
	}
	return s, nil
}

func (f Filter) order() string {
	if f.Asc {
		return "at ASC, id ASC"
	}
	return "at DESC, id DESC"
}

// Page is one page of audit rows and the total matching.
type Page struct {
	Rows  []Entry
	Total int64
	// Capped: there are more than Total (db.MaxCount) rows.
	Capped bool
}

// List returns one page of the reader's tenant's rows, newest first
// unless Asc.
func (q Query) List(ctx context.Context, r Reader, f Filter) (_ *Page, err error) {
	defer apperr.Wrap(&err, "audit.List")
	partnerID, err := tenantOf(r)
	if err != nil {
		return nil, err
	}
	if err := f.Normalize(); err != nil {
		return nil, err
	}
	s, err := q.scope(ctx, partnerID, f)
	if err != nil {
		return nil, err
	}
	p := &Page{}
	if p.Total, p.Capped, err = db.CappedCount(s.Session(&gorm.Session{})); err != nil {
		return nil, err
	}
	if off := (f.Page - 1) * f.PerPage; off > 0 {
		// A deep page: walk the index to the page's ids, then read only
		// those rows (not the skipped ones' jsonb).
		var ids []int64
		if err := s.Session(&gorm.Session{}).Order(f.order()).Offset(off).Limit(f.PerPage).Pluck("id", &ids).Error; err != nil {
			return nil, err
		}
		err = q.DB.WithContext(ctx).Where("id IN ?", ids).Order(f.order()).Find(&p.Rows).Error
		return p, err
	}
	err = s.Order(f.order()).Limit(f.PerPage).Find(&p.Rows).Error
	return p, err
}

// Each calls fn for every matching row of the reader's tenant, oldest or
// newest first as the filter says, streaming from a database cursor: the
// rows are never all in memory. Pagination fields of the filter are
// ignored.
func (q Query) Each(ctx context.Context, r Reader, f Filter, fn func(*Entry) error) error {
	partnerID, err := tenantOf(r)
	if err != nil {
		return err
	}
	return q.each(ctx, partnerID, f, fn)
}

func (q Query) each(ctx context.Context, partnerID int64, f Filter, fn func(*Entry) error) error {
	if err := f.Normalize(); err != nil {
		return err
	}
	s, err := q.scope(ctx, partnerID, f)
	if err != nil {
		return err
	}
	return db.Each(s.Order(f.order()), func(e Entry) error { return fn(&e) })
}

// Facets lists the actions and object types present in the reader's
// tenant's trail, for the filter selects.
func (q Query) Facets(ctx context.Context, r Reader) (actions, objectTypes []string, err error) {
	partnerID, err := tenantOf(r)
	if err != nil {
		return nil, nil, err
	}
	if partnerID == 0 {
		return nil, nil, apperr.NotFound()
	}
	if actions, err = q.distinct(ctx, partnerID, "action", 500); err != nil {
		return nil, nil, err
	}
	objectTypes, err = q.distinct(ctx, partnerID, "object_type", 200)
	return actions, objectTypes, err
}

// distinct lists the values of a column (action or object_type) among the
// partner's rows by a skip scan of its index (audit_log_partner_action_idx,
// audit_log_partner_object_idx, migration 00021): one probe per value, not
// a scan of every row.
func (q Query) distinct(ctx context.Context, partnerID int64, column string, limit int) ([]string, error) {
	var out []string
	err := q.DB.WithContext(ctx).Raw(`
		WITH RECURSIVE v AS (
			(SELECT `+column+` AS val FROM audit_log WHERE partner_id = ? ORDER BY `+column+` LIMIT 1)
			UNION ALL
			SELECT (SELECT `+column+` FROM audit_log WHERE partner_id = ? AND `+column+` > v.val ORDER BY `+column+` LIMIT 1)
			FROM v WHERE v.val IS NOT NULL)
		SELECT val FROM v WHERE val IS NOT NULL LIMIT ?`, partnerID, partnerID, limit).Scan(&out).Error
	return out, err
}

// DiffLine is one field of a before/after comparison.
type DiffLine struct {
	Field   string
	Label   string // the field's label (DescribeDiff)
	Before  string
	After   string
	Changed bool
}

func render(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func decode(s *string) (map[string]any, any, bool) {
	if s == nil || *s == "" || *s == "null" {
		return nil, nil, false
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(*s), &m); err == nil {
		return m, nil, true
	}
	var v any
	_ = json.Unmarshal([]byte(*s), &v)
	return nil, v, true
}

// Diff compares the before and after snapshots of a row field by field
// (objects), or as a whole (other JSON values).
func Diff(e *Entry) []DiffLine {
	bm, bv, bok := decode(e.Before)
	am, av, aok := decode(e.After)
	if !bok && !aok {
		return nil
	}
	if (bok && bm == nil) || (aok && am == nil) {
		b, a := render(bv), render(av)
		if bm != nil {
			b = render(bm)
		}
		if am != nil {
			a = render(am)
		}
		return []DiffLine{{Before: b, After: a, Changed: b != a}}
	}
	keys := map[string]bool{}
	for k := range bm {
		keys[k] = true
	}
	for k := range am {
		keys[k] = true
	}
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	sort.Strings(names)
	out := make([]DiffLine, 0, len(names))
	for _, k := range names {
		b, a := render(bm[k]), render(am[k])
		out = append(out, DiffLine{Field: k, Before: b, After: a, Changed: b != a})
	}
	return out
}

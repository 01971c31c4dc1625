package audit

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/dbtest"
	"partnercenter/internal/platform/reqctx"
	"partnercenter/internal/platform/sheet"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var seq atomic.Int64

func fixturePartner(t *testing.T, g *gorm.DB) int64 {
	t.Helper()
	var id int64
	if err := g.Raw(`INSERT INTO partners (name, credit_code, status) VALUES (?, '91310115MA1K4A2B3X', 'active') RETURNING id`,
		fmt.Sprintf("审计测试%d", seq.Add(1))).Scan(&id).Error; err != nil {
		t.Fatal(err)
	}
	return id
}

func entry(t *testing.T, g *gorm.DB, pid int64, at time.Time, actor, action, objType, objID string, before, after *string) {
	t.Helper()
	e := Entry{At: at, ActorName: actor, Action: action, ObjectType: objType, ObjectID: objID, Before: before, After: after,
		RequestID: "req-" + objID, IP: "203.0.113.1"}
	if pid != 0 {
		e.PartnerID = &pid
	}
	if err := g.Create(&e).Error; err != nil {
		t.Fatal(err)
	}
}

func sp(s string) *string { return &s }

// member stands for a partner member's principal of tenant pid as Query
// sees it, a Reader (these tests are inside package audit and cannot
// import access, which imports audit; actor_test.go uses real
// principals). member(0) is a reader whose guard gave no tenant: the
// query's own defence refuses it.
type member int64

func (m member) Tenant() (int64, error) { return int64(m), nil }

func china(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04:05", s, clock.China)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func TestAuditQueryReturnsOnlyTheTenantsOwnRows(t *testing.T) {
	g := dbtest.DB(t)
	a, b := fixturePartner(t, g), fixturePartner(t, g)
	entry(t, g, a, china("2025-03-01 10:00:00"), "alice", "org.member.create", "user", "11", nil, nil)
	entry(t, g, b, china("2025-03-01 10:00:00"), "bob", "org.member.create", "user", "12", nil, nil)
	entry(t, g, 0, china("2025-03-01 10:00:00"), "vendor", "partner.eco_manager.assign", "partner", "13", nil, nil)
	q := Query{DB: g, Clock: clock.System{}}
	page, err := q.List(context.Background(), member(a), Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 1 || len(page.Rows) != 1 || page.Rows[0].ActorName != "alice" {
		t.Fatalf("tenant a sees %+v", page.Rows)
	}
	// Filters never widen the scope.
	page, _ = q.List(context.Background(), member(a), Filter{Actor: "bob"})
	if page.Total != 0 {
		t.Fatal("a filter reached another tenant's rows")
	}
	if _, err := q.List(context.Background(), member(0), Filter{}); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("no tenant: %v", err)
	}
	actions, types, _ := q.Facets(context.Background(), member(a))
	if len(actions) != 1 || len(types) != 1 {
		t.Fatalf("facets leak: %v %v", actions, types)
	}
}

func TestAuditFiltersWorkWithChinaDays(t *testing.T) {
	g := dbtest.DB(t)
	p := fixturePartner(t, g)
	entry(t, g, p, china("2025-04-30 23:59:59"), "sp_admin", "org.member.create", "user", "101", nil, nil)
	entry(t, g, p, china("2025-05-01 00:00:00"), "sp_admin", "org.role.update", "role", "202", nil, nil)
	entry(t, g, p, china("2025-05-02 08:00:00"), "SP_Finance", "audit.export", "audit_log", "", nil, nil)
	entry(t, g, p, china("2025-05-03 12:00:00"), "sp_viewer", "user.password.change", "user", "1015", nil, nil)
	q := Query{DB: g, Clock: clock.System{}}
	total := func(f Filter) int64 {
		t.Helper()
		page, err := q.List(context.Background(), member(p), f)
		if err != nil {
			t.Fatal(err)
		}
		return page.Total
	}
	for name, c := range map[string]struct {
		f    Filter
		want int64
	}{
		"all":                  {Filter{}, 4},
		"actor part, any case": {Filter{Actor: "sp_f"}, 1},
		"actor admin":          {Filter{Actor: "sp_admin"}, 2},
		"action":               {Filter{Action: "org.role.update"}, 1},
		"object type":          {Filter{ObjectType: "user"}, 2},
		"object id part":       {Filter{Q: "10"}, 2}, // 101 and 1015
		"request id":           {Filter{Q: "req-202"}, 1},
		"like is escaped":      {Filter{Q: "%"}, 0},
		"from 1 May (China)":   {Filter{From: "2025-05-01"}, 3},
		"to 30 April":          {Filter{To: "2025-04-30"}, 1},
		"one day":              {Filter{From: "2025-05-02", To: "2025-05-02"}, 1},
	} {
		if got := total(c.f); got != c.want {
			t.Errorf("%s: %d rows, want %d", name, got, c.want)
		}
	}
	if _, err := q.List(context.Background(), member(p), Filter{From: "2025-13-01"}); !apperr.Is(err, apperr.KindInvalid) {
		t.Fatalf("bad date: %v", err)
	}
	if _, err := q.List(context.Background(), member(p), Filter{From: "2025-05-03", To: "2025-05-01"}); !apperr.Is(err, apperr.KindInvalid) {
		t.Fatalf("reversed range: %v", err)
	}
	page, _ := q.List(context.Background(), member(p), Filter{PerPage: 2, Page: 1})
	if len(page.Rows) != 2 || page.Rows[0].ObjectID != "1015" || page.Total != 4 {
		t.Fatalf("newest first, paged: %+v", page.Rows)
	}
	page, _ = q.List(context.Background(), member(p), Filter{PerPage: 2, Page: 1, Asc: true})
	if page.Rows[0].ObjectID != "101" {
		t.Fatal("oldest first")
	}
}

func TestCSVExportStreamsHeaderAndRowsWithBOM(t *testing.T) {
	g := dbtest.DB(t)
	p, other := fixturePartner(t, g), fixturePartner(t, g)
	for i := 0; i < 1200; i++ { // more than one flush
		entry(t, g, p, china("2025-06-01 09:00:00").Add(time.Duration(i)*time.Second), "sp_admin", "partner.contacts.update", "partner",
			fmt.Sprint(i), sp(`{"contact_name":"刘洋"}`), sp(`{"contact_name":"=HYPERLINK(\"http://evil\")"}`))
	}
	entry(t, g, other, china("2025-06-01 09:00:00"), "md_admin", "org.member.create", "user", "9", nil, nil)
	ctx := reqctx.With(context.Background(), &reqctx.Meta{RequestID: "req-export", ActorName: "sp_finance", ActorID: 1})
	var buf bytes.Buffer
	table, err := (Query{DB: g, Clock: clock.System{}}).ExportTable(ctx, member(p), Filter{Action: "partner.contacts.update"}, "zh-CN")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sheet.Write(ctx, sheet.CSV, &buf, table, nil); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "\uFEFF") {
		t.Fatal("CSV must start with a UTF-8 BOM for Excel")
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1201 || recs[0][0] != "操作时间" {
		t.Fatalf("%d records, header %v", len(recs), recs[0])
	}
	if recs[1][2] != "修改联系人信息" || recs[1][0] != "2025-06-01 09:19:59" || !strings.Contains(recs[1][8], "刘洋") {
		t.Fatalf("first row: %v", recs[1])
	}
	if !strings.HasPrefix(recs[1][9], "{") { // JSON cell: the formula is not at the cell start
		t.Fatalf("after cell: %q", recs[1][9])
	}
	if strings.Contains(out, "md_admin") {
		t.Fatal("another tenant's row in the export")
	}
}

func TestDiffComparesFieldByField(t *testing.T) {
	e := Entry{Before: sp(`{"name":"a","keep":1}`), After: sp(`{"name":"b","keep":1,"added":true}`)}
	lines := Diff(&e)
	if len(lines) != 3 {
		t.Fatalf("%+v", lines)
	}
	byField := map[string]DiffLine{}
	for _, l := range lines {
		byField[l.Field] = l
	}
	if !byField["name"].Changed || byField["keep"].Changed || byField["added"].After != "true" || byField["added"].Before != "" {
		t.Fatalf("%+v", lines)
	}
	if Diff(&Entry{}) != nil {
		t.Fatal("no snapshots, no diff")
	}
}

func TestActionLabelFallsBackToTheRawAction(t *testing.T) {
	if got := ActionLabel("zh-CN", "user.password.change"); got != "修改密码" {
		t.Fatalf("label: %q", got)
	}
	if got := ActionLabel("en-US", "something.unknown"); got != "something.unknown" {
		t.Fatalf("fallback: %q", got)
	}
}

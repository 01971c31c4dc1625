package audit_test

import (
	"context"
	"fmt"
	"testing"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/dbtest"
)

// The trail is read by a partner member of its tenant only (issue 8, "One
// actor, first"): vendor staff, a customer account and the system
// principal are refused by List, Each, Facets and Export, and a refused
// export is not recorded.
func TestQueryRefusesAPrincipalOfTheWrongKindAndChangesNothing(t *testing.T) {
	g := dbtest.DB(t)
	var pid, uid int64
	if err := g.Raw(`INSERT INTO partners (name, credit_code, status) VALUES (?, '91310115MA1K4A2B3X', 'active') RETURNING id`,
		fmt.Sprintf("审计主体测试%d", clock.System{}.Now().UnixNano())).Scan(&pid).Error; err != nil {
		t.Fatal(err)
	}
	if err := g.Raw(`INSERT INTO users (kind, partner_id, login_name, password_hash, is_main) VALUES ('partner', ?, ?, 'x', true) RETURNING id`,
		pid, fmt.Sprintf("audit_actor_%d", pid)).Scan(&uid).Error; err != nil {
		t.Fatal(err)
	}
	if err := g.Exec(`INSERT INTO audit_log (partner_id, action, object_type, object_id) VALUES (?, 'org.member.create', 'user', '1')`, pid).Error; err != nil {
		t.Fatal(err)
	}
	q := audit.Query{DB: g, Clock: clock.System{}}
	count := func() int64 {
		var n int64
		g.Table("audit_log").Where("partner_id = ?", pid).Count(&n)
		return n
	}
	before := count()
	ctx := context.Background()
	for name, p := range map[string]*access.Principal{
		"vendor staff": access.VendorStaff(uid, "vendor_admin"),
		"customer":     access.CustomerUser(uid),
		"system":       access.System,
		"nobody":       nil,
	} {
		for op, err := range map[string]error{
			"list":   func() error { _, err := q.List(ctx, p, audit.Filter{}); return err }(),
			"each":   q.Each(ctx, p, audit.Filter{}, func(*audit.Entry) error { t.Errorf("%s read a row", name); return nil }),
			"facets": func() error { _, _, err := q.Facets(ctx, p); return err }(),
			"export": func() error {
				tb, err := q.ExportTable(ctx, p, audit.Filter{}, "zh-CN")
				if tb != nil {
					t.Errorf("export by %s returned a table", name)
				}
				return err
			}(),
		} {
			if !apperr.Is(err, apperr.KindForbidden) {
				t.Errorf("%s by %s: %v, want forbidden", op, name, err)
			}
		}
	}
	if count() != before {
		t.Fatal("a refused export was recorded")
	}
	// The tenant's own member reads it.
	page, err := q.List(ctx, access.Member(uid, pid, true), audit.Filter{})
	if err != nil || page.Total != 1 {
		t.Fatalf("the tenant's member: %+v %v", page, err)
	}
}

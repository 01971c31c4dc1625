package web

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"partnercenter/internal/audit"
	"partnercenter/internal/demo"
)

// auditFixture appends an audit row for a tenant and returns its marker
// (a unique actor name).
func auditFixture(t *testing.T, env *testEnv, pid int64, action string) string {
	t.Helper()
	actor := fmt.Sprintf("actor_%d", time.Now().UnixNano())
	before, after := `{"contact_name":"旧"}`, `{"contact_name":"新"}`
	e := audit.Entry{At: time.Now().UTC(), ActorName: actor, PartnerID: &pid, Action: action, ObjectType: "partner",
		ObjectID: fmt.Sprint(pid), Before: &before, After: &after, RequestID: "req-" + actor, IP: "198.51.100.20"}
	if err := env.DB.Create(&e).Error; err != nil {
		t.Fatal(err)
	}
	return actor
}

func TestAuditPageShowsOnlyTheTenantsOwnRows(t *testing.T) {
	env := newEnv(t)
	own := auditFixture(t, env, env.World.SP, "partner.contacts.update")
	foreign := auditFixture(t, env, env.World.MD, "partner.contacts.update")
	c := env.as(t, demo.SPAdmin)
	r := c.get("/org/audit")
	if r.Status != http.StatusOK {
		t.Fatalf("status %d", r.Status)
	}
	if !strings.Contains(r.Body, own) || strings.Contains(r.Body, foreign) {
		t.Fatal("the audit page must show the tenant's rows and never another tenant's")
	}
	d := r.doc(t)
	if d.Find(`[data-testid="audit-export"]`).Length() != 1 || d.Find(`[data-testid="pager"]`).Length() != 1 {
		t.Fatal("export button and pager expected")
	}
	// Filtering by actor narrows the list, the action label is translated
	// and the before/after comparison is there.
	r = c.get("/org/audit?actor=" + own)
	d = r.doc(t)
	if n := d.Find(`[data-testid="audit-row"]`).Length(); n != 1 {
		t.Fatalf("actor filter: %d rows", n)
	}
	if got := strings.TrimSpace(d.Find(`[data-testid="audit-action"]`).Text()); got != "修改联系人信息" {
		t.Fatalf("action label %q", got)
	}
	if d.Find(`[data-testid="audit-diff"]`).Length() != 1 || !strings.Contains(d.Find(`[data-testid="audit-diff"]`).Text(), "新") {
		t.Fatal("before/after comparison missing")
	}
	// Another tenant's actor name finds nothing here.
	if n := c.get("/org/audit?actor=" + foreign).doc(t).Find(`[data-testid="audit-row"]`).Length(); n != 0 {
		t.Fatal("a filter reached another tenant's rows")
	}
	// htmx filter requests work too.
	if r := c.htmx(http.MethodGet, "/org/audit?action=partner.contacts.update", nil); r.Status != http.StatusOK ||
		!strings.Contains(r.Body, `id="audit-table"`) {
		t.Fatalf("htmx filter: %d", r.Status)
	}
	// Bad dates are shown inline.
	if r := c.get("/org/audit?from=2025-02-31"); r.Status != http.StatusUnprocessableEntity ||
		r.doc(t).Find(`[data-testid="error-from"]`).Length() != 1 {
		t.Fatalf("bad date: %d", r.Status)
	}
}

func TestMembersWithoutTheItemAndVendorStaffCannotReadTheAuditLog(t *testing.T) {
	env := newEnv(t)
	for _, acc := range []string{demo.SPViewer, demo.SPManager1, demo.EcoManager, demo.VendorAdmin} {
		c := env.as(t, acc)
		for _, p := range []string{"/org/audit", "/org/audit/export.csv"} {
			if r := c.get(p); r.Status != http.StatusForbidden {
				t.Errorf("%s %s: %d, want 403", acc, p, r.Status)
			}
		}
	}
}

func TestAuditCSVExportWithFiltersIsStreamedAndAudited(t *testing.T) {
	env := newEnv(t)
	own := auditFixture(t, env, env.World.SP, "partner.intro.update")
	auditFixture(t, env, env.World.SP, "partner.intro.update")
	foreign := auditFixture(t, env, env.World.MD, "partner.intro.update")
	c := env.as(t, demo.SPFinance)
	r := c.get("/org/audit/export.csv?action=partner.intro.update&actor=" + own)
	if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(r.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("export: %d %q", r.Status, r.Header.Get("Content-Type"))
	}
	if !strings.HasPrefix(r.Body, "\uFEFF") {
		t.Fatal("BOM missing")
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.Body, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0][1] != "操作人" || recs[1][1] != own || recs[1][2] != "修改公司简介" {
		t.Fatalf("csv: %v", recs)
	}
	if strings.Contains(r.Body, foreign) {
		t.Fatal("another tenant's row exported")
	}
	var n int64
	env.DB.Table("audit_log").Where("partner_id = ? AND action = 'audit.export' AND actor_name = ?", env.World.SP, demo.SPFinance).Count(&n)
	if n == 0 {
		t.Fatal("the export must be audited")
	}
}

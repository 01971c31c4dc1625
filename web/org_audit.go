package web

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/export"
	"partnercenter/internal/platform/apperr"
	auditview "partnercenter/views/audit"
	"partnercenter/views/components"
)

// orgAuditRoutes is 组织 > 操作日志: the tenant's own audit trail. Vendor
// staff hold neither item, so they never read a partner's trail here.
func (a *App) orgAuditRoutes() []Route {
	return []Route{
		get("/org/audit", access.OrgAuditView, a.auditList),
		get("/org/audit/export.csv", access.OrgAuditExport, a.auditExport),
	}
}

// auditFilter reads the filter from the query and returns it with the
// query values that reproduce it (without page).
func auditFilter(c echo.Context) (audit.Filter, url.Values) {
	f := audit.Filter{
		Actor: c.QueryParam("actor"), Action: c.QueryParam("action"), ObjectType: c.QueryParam("object_type"),
		Q: c.QueryParam("q"), From: c.QueryParam("from"), To: c.QueryParam("to"),
		Asc: c.QueryParam("dir") == "asc",
	}
	f.Page, f.PerPage = pageOf(c, audit.DefaultPerPage)
	q := url.Values{}
	for k, v := range map[string]string{"actor": f.Actor, "action": f.Action, "object_type": f.ObjectType,
		"q": f.Q, "from": f.From, "to": f.To} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if f.Asc {
		q.Set("sort", "at")
		q.Set("dir", "asc")
	}
	return f, q
}

func (a *App) auditList(c echo.Context) error {
	ctx := c.Request().Context()
	p := principalOf(c)
	f, q := auditFilter(c)
	aq := a.svc.Audit
	vm := auditview.ListVM{Filter: f, Query: q}
	var err error
	if vm.Actions, vm.ObjectTypes, err = aq.Facets(ctx, p); err != nil {
		return err
	}
	status := http.StatusOK
	page, err := aq.List(ctx, p, f)
	switch {
	case err == nil:
		vm.Rows = page.Rows
		vm.Pager.Total, vm.Pager.Capped = page.Total, page.Capped
	case apperr.Is(err, apperr.KindInvalid):
		ae, _ := apperr.As(err)
		vm.Errors = ae.Fields
		status = http.StatusUnprocessableEntity
	default:
		return err
	}
	_ = f.Normalize()
	vm.Filter.Page, vm.Filter.PerPage = f.Page, f.PerPage
	vm.Pager = sized(c, components.Pager{Page: f.Page, PerPage: f.PerPage, Total: vm.Pager.Total, Capped: vm.Pager.Capped, Query: q,
		Path: "/org/audit", Target: "#audit-table"})
	return render(c, status, auditview.List(vm))
}

// auditExport is 导出 of 操作日志: the filtered rows as CSV
// (export.KindAuditLog), recorded as audit.export; a principal without a
// tenant gets 404.
func (a *App) auditExport(c echo.Context) error {
	f, _ := auditFilter(c)
	err := a.startExport(c, export.KindAuditLog, f)
	if apperr.Is(err, apperr.KindForbidden) {
		return apperr.NotFound()
	}
	return err
}

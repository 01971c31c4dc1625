package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/export"
	billingview "partnercenter/views/billing"
	"partnercenter/views/components"
)

// exportsPage is 导出记录: the tenant's export tasks, newest first.
func (a *App) exportsPage(c echo.Context) error {
	list, err := a.svc.Exports.List(c.Request().Context(), principalOf(c), queryInt(c, "page", 1))
	if err != nil {
		return err
	}
	q := c.QueryParams()
	q.Del("page")
	return render(c, http.StatusOK, billingview.Exports(billingview.ExportsVM{List: list,
		Pager: components.Pager{Page: list.Page, PerPage: export.PerPage, Total: list.Total, Query: q, Path: "/billing/exports", Target: "#export-table"}}))
}

// exportProgress is one task's row, polled by the page while it runs.
func (a *App) exportProgress(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	t, err := a.svc.Exports.Get(c.Request().Context(), principalOf(c), id)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, billingview.ExportRow(*t, billingview.ExportBase(false)))
}

// exportDownload streams a done task's file with its content type and its
// (Chinese) file name in RFC 5987 form; other states are refused.
func (a *App) exportDownload(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return a.svc.Exports.Download(c.Request().Context(), principalOf(c), id, taskFile(c))
}

package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/export"
	"partnercenter/internal/platform/clock"
	billingview "partnercenter/views/billing"
	"partnercenter/views/components"
)

// exportRoutes is 我的导出: the signed-in member's own export tasks of
// every kind (a list export too large to stream in the request becomes
// one, export.Service.Start). Every partner member may follow its own
// tasks; the service refuses anyone without a tenant and another user's
// task is not found.
func (a *App) exportRoutes() []Route {
	return []Route{
		get("/exports", access.SignedIn, a.myExports),
		get("/exports/:id/progress", access.SignedIn, a.myExportProgress),
		get("/exports/:id/download", access.SignedIn, a.myExportDownload),
	}
}

// startExport delivers a list export the one way (export.Service.Start):
// a small table is downloaded at once, a large one (or one of a kind the
// seed always makes a task) becomes an export task and the user is taken
// to 我的导出 with 导出任务创建成功.
func (a *App) startExport(c echo.Context, kind string, filter any) error {
	d, err := a.svc.Exports.Start(c.Request().Context(), principalOf(c), kind, filter)
	if err != nil {
		return err
	}
	if d.Task != nil && d.Large {
		return a.done(c, "/exports", "export.created_background")
	}
	if d.Task != nil {
		return a.done(c, "/exports", "export.created")
	}
	return a.sendTable(c, d.Format, d.Name+"-"+a.Clock.Now().In(clock.China).Format("20060102-150405"), d.Table)
}

func (a *App) myExports(c echo.Context) error {
	list, err := a.svc.Exports.Mine(c.Request().Context(), principalOf(c), queryInt(c, "page", 1))
	if err != nil {
		return err
	}
	q := c.QueryParams()
	q.Del("page")
	return render(c, http.StatusOK, billingview.MyExports(billingview.ExportsVM{List: list, Mine: true,
		Pager: components.Pager{Page: list.Page, PerPage: export.PerPage, Total: list.Total, Query: q, Path: "/exports", Target: "#export-table"}}))
}

func (a *App) myExportProgress(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	t, err := a.svc.Exports.GetMine(c.Request().Context(), principalOf(c), id)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, billingview.ExportRow(*t, billingview.ExportBase(true)))
}

func (a *App) myExportDownload(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return a.svc.Exports.DownloadMine(c.Request().Context(), principalOf(c), id, taskFile(c))
}

package web

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"partnercenter/internal/access"
	"partnercenter/internal/consumption"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
	"partnercenter/internal/platform/i18n"
	"partnercenter/internal/platform/sheet"
	"partnercenter/views/components"
	csview "partnercenter/views/consumption"
)

// financeConsumptionRoutes: vendor finance's 财务 > 消费导入 (seed 003
// §12.1.9.14): upload rated lines, follow the import job, read its report.
func (a *App) financeConsumptionRoutes() []Route {
	return []Route{
		get("/finance/consumption", access.VendorConsumptionImport, a.consumptionImports),
		post("/finance/consumption", access.VendorConsumptionImport, a.consumptionImport),
		get("/finance/consumption/template", access.VendorConsumptionImport, a.consumptionTemplate),
		get("/finance/consumption/:id", access.VendorConsumptionImport, a.consumptionImportReport),
		get("/finance/consumption/:id/rejects.csv", access.VendorConsumptionImport, a.consumptionRejects),
	}
}

// largeUploads are the routes whose body may exceed the global 12 MB
// limit, with their own limit: a consumption file of a million lines is
// about 130 MB of CSV.
var largeUploads = map[string]string{"POST /finance/consumption": "512M"}

// largeUploadLimit applies largeUploads' limits (the global limit skips
// these routes).
func (a *App) largeUploadLimit(next echo.HandlerFunc) echo.HandlerFunc {
	limits := map[string]echo.MiddlewareFunc{}
	for k, v := range largeUploads {
		limits[k] = middleware.BodyLimit(v)
	}
	return func(c echo.Context) error {
		if mw, ok := limits[c.Request().Method+" "+c.Path()]; ok {
			return mw(next)(c)
		}
		return next(c)
	}
}

func (a *App) renderImports(c echo.Context, status int, formErr error) error {
	page := queryInt(c, "page", 1)
	rows, total, err := a.svc.Importer.List(c.Request().Context(), principalOf(c), page)
	if err != nil {
		return err
	}
	vm := csview.ImportsVM{Rows: rows,
		Pager: components.Pager{Page: page, PerPage: consumption.PerPage, Total: total, Query: url.Values{}, Path: "/finance/consumption", Target: "#import-table"}}
	if ae, ok := apperr.As(formErr); ok {
		vm.Summary, vm.Args = ae.Key, ae.Args
	}
	return render(c, status, csview.Imports(vm))
}

func (a *App) consumptionImports(c echo.Context) error { return a.renderImports(c, http.StatusOK, nil) }

// consumptionImport stores an uploaded file and queues its import (a
// River job), then shows the report page, which follows the job. A file
// that cannot be read, or lacks required columns, re-renders the form
// with the reason and stores nothing.
func (a *App) consumptionImport(c echo.Context) error {
	fh, err := c.FormFile("file")
	if err != nil {
		return a.renderImports(c, http.StatusUnprocessableEntity, apperr.Invalid(consumption.ErrNoFile))
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	imp, err := a.svc.Importer.Upload(c.Request().Context(), principalOf(c), fh.Filename, f)
	if apperr.Is(err, apperr.KindInvalid) {
		return a.renderImports(c, http.StatusUnprocessableEntity, err)
	}
	if err != nil {
		return err
	}
	// The report page follows the background import to its end.
	return a.done(c, "/finance/consumption/"+strconv.FormatInt(imp.ID, 10), "consumption.imports.queued")
}

func (a *App) consumptionImportReport(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return apperr.NotFound()
	}
	page := queryInt(c, "page", 1)
	imp, rejects, total, err := a.svc.Importer.Get(c.Request().Context(), principalOf(c), id, page)
	if db.IsNotFound(err) {
		return apperr.NotFound()
	}
	if err != nil {
		return err
	}
	vm := csview.ImportVM{Import: imp, Rejects: rejects,
		Pager: components.Pager{Page: page, PerPage: 50, Total: total, Query: url.Values{}, Path: c.Request().URL.Path, Target: "#reject-table"}}
	return render(c, http.StatusOK, csview.Import(vm))
}

// consumptionTemplate is the import file's header with two example lines
// (the second is the seed's 抹零 example of §12.1.9.14), in UTF-8 with a
// BOM so that Excel opens it correctly.
func (a *App) consumptionTemplate(c echo.Context) error {
	c.Response().Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="consumption-template.csv"; filename*=UTF-8''`+
		url.PathEscape(i18n.TL(i18n.Lang(c.Request().Context()), "consumption.template.file")+".csv"))
	w := c.Response().Writer
	_, _ = w.Write([]byte("\ufeff"))
	cw := csv.NewWriter(w)
	var head []string
	for _, col := range consumption.Columns {
		head = append(head, col.Headers[0])
	}
	_ = cw.Write(head)
	_ = cw.Write([]string{"SAMPLE-0001", "customer_account", "消费", "2025-06", "2025-06-15 10:00:00", "CS2506150001", "弹性云服务器 ECS",
		"s6.large.2", "ecs.instance", "i-0001", "cn-north-4", "包年/包月", "199.00000000", "19.90000000", "", "", "", "0", "0"})
	_ = cw.Write([]string{"SAMPLE-0002", "customer_account", "消费", "2025-06", "2025-06-15 18:11:14", "", "云硬盘 EVS",
		"高IO 10GB", "evs.volume", "vol-0001", "cn-north-4", "按需", "", "", "0.00064000", "10", "25874", "", ""})
	cw.Flush()
	return cw.Error()
}

// consumptionRejects downloads an import's rejected lines as CSV — the
// template's columns as the lines had them, then the reasons and the line
// number — to fix and import again. It streams in the request: an import
// keeps at most 10,000 rejected lines (consumption.maxStoredRejects),
// below what would need an export task.
func (a *App) consumptionRejects(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	t, err := a.svc.Importer.RejectsTable(ctx, principalOf(c), id, i18n.Lang(ctx))
	if err != nil {
		return err
	}
	return a.sendTable(c, sheet.CSV, i18n.T(ctx, "consumption.report.rejects_file")+"-"+strconv.FormatInt(id, 10), t)
}

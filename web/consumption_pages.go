package web

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"partnercenter/internal/access"
	"partnercenter/internal/consumption"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
	"partnercenter/internal/platform/i18n"
	"partnercenter/views/components"
	csview "partnercenter/views/consumption"
)

// consumptionRoutes: 客户 > 客户消费 and 客户订单 (seed 003 §12.1.7.1,
// §12.1.9.16, §12.3.10) and vendor finance's 消费导入.
func (a *App) consumptionRoutes() []Route {
	return []Route{
		get("/customers/consumption", access.CustomerConsumptionView, a.consumptionSummary),
		get("/customers/consumption/details", access.CustomerConsumptionView, a.consumptionDetails),
		get("/customers/orders", access.CustomerOrdersView, a.consumptionOrders),
		get("/finance/consumption", access.VendorConsumptionImport, a.consumptionImports),
		post("/finance/consumption", access.VendorConsumptionImport, a.consumptionImport),
		get("/finance/consumption/template", access.VendorConsumptionImport, a.consumptionTemplate),
		get("/finance/consumption/:id", access.VendorConsumptionImport, a.consumptionImportReport),
	}
}

func (a *App) consumptionService() consumption.Service {
	return consumption.Service{DB: a.DB, Clock: a.Clock}
}

// consumptionList reads the filter of a consumption list and the periods
// to choose from (the last 24 months).
func (a *App) consumptionList(c echo.Context, tab string) (csview.ListVM, consumption.Filter) {
	f := consumption.Filter{Customer: c.QueryParam("customer"), Mode: c.QueryParam("mode"), BillType: c.QueryParam("bill_type"),
		OrderNo: c.QueryParam("order_no"), Page: queryInt(c, "page", 1)}
	if t, err := time.Parse("2006-01", c.QueryParam("period")); err == nil {
		f.Period = t
	}
	now := a.Clock.Now().UTC()
	var periods []components.Option
	for i := 0; i < 24; i++ {
		m := time.Date(now.Year(), now.Month()-time.Month(i), 1, 0, 0, 0, 0, time.UTC).Format("2006-01")
		periods = append(periods, components.Option{Value: m, Label: m, Raw: true})
	}
	q := c.QueryParams()
	q.Del("page")
	return csview.ListVM{Tab: tab, Periods: periods, Query: q}, f
}

func consumptionPager(vm csview.ListVM, path string, total int64, page int, period time.Time) components.Pager {
	q := url.Values{}
	for k, v := range vm.Query {
		q[k] = v
	}
	q.Set("period", period.Format("2006-01"))
	return components.Pager{Page: page, PerPage: consumption.PerPage, Total: total, Query: q, Path: path, Target: "#consumption-table"}
}

func (a *App) consumptionSummary(c echo.Context) error {
	tab := "summary"
	if c.QueryParam("tab") == "refunds" {
		tab = "refunds"
	}
	vm, f := a.consumptionList(c, tab)
	if tab == "refunds" {
		f.BillType = "refund" // 客户退订汇总
	} else {
		f.BillType = ""
	}
	s, err := a.consumptionService().Summary(c.Request().Context(), principalOf(c), f)
	if err != nil {
		return err
	}
	vm.Summary, vm.Filter, vm.Period = s, f, s.Period.Format("2006-01")
	vm.Filter.BillType = ""
	vm.Pager = consumptionPager(vm, "/customers/consumption", s.Total, s.Page, s.Period)
	return render(c, http.StatusOK, csview.Consumption(vm))
}

func (a *App) consumptionDetails(c echo.Context) error {
	vm, f := a.consumptionList(c, "details")
	d, err := a.consumptionService().Details(c.Request().Context(), principalOf(c), f)
	if err != nil {
		return err
	}
	f.Period = d.Period
	vm.Details, vm.Filter, vm.Period = d, f, d.Period.Format("2006-01")
	vm.Pager = consumptionPager(vm, "/customers/consumption/details", d.Total, d.Page, d.Period)
	return render(c, http.StatusOK, csview.Consumption(vm))
}

func (a *App) consumptionOrders(c echo.Context) error {
	vm, f := a.consumptionList(c, "orders")
	o, err := a.consumptionService().Orders(c.Request().Context(), principalOf(c), f)
	if err != nil {
		return err
	}
	f.Period = o.Period
	vm.Orders, vm.Filter, vm.Period = o, f, o.Period.Format("2006-01")
	vm.Pager = consumptionPager(vm, "/customers/orders", o.Total, o.Page, o.Period)
	return render(c, http.StatusOK, csview.Orders(vm))
}

func (a *App) importer() consumption.Importer { return consumption.Importer{DB: a.DB, Clock: a.Clock} }

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
	rows, total, err := a.importer().List(c.Request().Context(), page)
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
		return a.renderImports(c, http.StatusUnprocessableEntity, apperr.Invalid(consumption.ErrEmpty))
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	imp, err := a.importer().Upload(c.Request().Context(), principalOf(c), fh.Filename, f)
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
	imp, rejects, total, err := a.importer().Get(c.Request().Context(), id, page)
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

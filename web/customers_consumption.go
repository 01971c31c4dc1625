package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/consumption"
	"partnercenter/views/components"
	csview "partnercenter/views/consumption"
)

// customerConsumptionRoutes: 客户 > 客户消费 and 客户订单 (seed 003 §12.1.7.1,
// §12.1.9.16, §12.3.10).
func (a *App) customerConsumptionRoutes() []Route {
	return []Route{
		get("/customers/consumption", access.CustomerConsumptionView, a.consumptionSummary),
		get("/customers/consumption/details", access.CustomerConsumptionView, a.consumptionDetails),
		get("/customers/orders", access.CustomerOrdersView, a.consumptionOrders),
	}
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
	s, err := a.svc.Consumption.Summary(c.Request().Context(), principalOf(c), f)
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
	d, err := a.svc.Consumption.Details(c.Request().Context(), principalOf(c), f)
	if err != nil {
		return err
	}
	f.Period = d.Period
	vm.Details, vm.Filter, vm.Period = d, f, d.Period.Format("2006-01")
	vm.Pager = consumptionPager(vm, "/customers/consumption/details", d.Total, d.Page, d.Period)
	vm.Pager.Capped = d.Capped
	return render(c, http.StatusOK, csview.Consumption(vm))
}

func (a *App) consumptionOrders(c echo.Context) error {
	vm, f := a.consumptionList(c, "orders")
	o, err := a.svc.Consumption.Orders(c.Request().Context(), principalOf(c), f)
	if err != nil {
		return err
	}
	f.Period = o.Period
	vm.Orders, vm.Filter, vm.Period = o, f, o.Period.Format("2006-01")
	vm.Pager = consumptionPager(vm, "/customers/orders", o.Total, o.Page, o.Period)
	return render(c, http.StatusOK, csview.Orders(vm))
}

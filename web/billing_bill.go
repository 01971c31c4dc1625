package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/bill"
	billingview "partnercenter/views/billing"
	"partnercenter/views/components"
)

// billingBillRoutes is 账务 > 伙伴账单 (seed 003 §12.1.9.8) and its exports with
// 导出记录 (§12.1.9.9).
func (a *App) billingBillRoutes() []Route {
	return []Route{
		get("/billing/bill", access.BillingBillView, a.billPage),
		get("/billing/bill/customers", access.BillingBillView, a.billCustomers),
		post("/billing/bill/export", access.BillingBillExport, a.billExport),
		get("/billing/exports", access.BillingBillExport, a.exportsPage),
		get("/billing/exports/:id/progress", access.BillingBillExport, a.exportProgress),
		get("/billing/exports/:id/download", access.BillingBillExport, a.exportDownload),
	}
}

// choosePeriod is the requested period when it has data, else the latest.
func choosePeriod(periods []time.Time, requested string) time.Time {
	want := bill.ParsePeriod(requested)
	for _, p := range periods {
		if p.Equal(want) {
			return p
		}
	}
	if len(periods) > 0 {
		return periods[0]
	}
	return time.Time{}
}

func (a *App) billPage(c echo.Context) error {
	ctx := c.Request().Context()
	p := principalOf(c)
	s := a.svc.Bills
	periods, err := s.Periods(ctx, p)
	if err != nil {
		return err
	}
	vm := billingview.BillVM{Periods: periods}
	// The user's exports of the last hour show their progress here, where
	// 导出 was clicked (the page polls each running one).
	if vm.Recent, err = a.svc.Exports.Recent(ctx, p, a.Clock.Now().Add(-time.Hour)); err != nil {
		return err
	}
	if len(periods) == 0 {
		return render(c, http.StatusOK, billingview.Bill(vm))
	}
	vm.Period = choosePeriod(periods, c.QueryParam("period"))
	vm.Tab = c.QueryParam("tab")
	if vm.Tab != bill.TypeRefund && vm.Tab != bill.TypeAdjustment {
		vm.Tab = bill.TypeConsumption
	}
	if vm.Summary, err = s.Summary(ctx, p, vm.Period); err != nil {
		return err
	}
	page := queryInt(c, "page", 1)
	if vm.Lines, err = s.Lines(ctx, p, vm.Period, vm.Tab, page); err != nil {
		return err
	}
	if vm.Bars, err = s.ByProduct(ctx, p, vm.Period, 8); err != nil {
		return err
	}
	q := c.QueryParams()
	q.Del("page")
	q.Set("period", vm.Period.Format(bill.PeriodFormat))
	q.Set("tab", vm.Tab)
	vm.Pager = components.Pager{Page: page, PerPage: bill.PerPage, Total: vm.Lines.Total, Query: q, Path: "/billing/bill", Target: "#bill-lines"}
	return render(c, http.StatusOK, billingview.Bill(vm))
}

func (a *App) billCustomers(c echo.Context) error {
	ctx := c.Request().Context()
	p := principalOf(c)
	s := a.svc.Bills
	periods, err := s.Periods(ctx, p)
	if err != nil {
		return err
	}
	if len(periods) == 0 {
		return a.seeOther(c, "/billing/bill")
	}
	period := choosePeriod(periods, c.QueryParam("period"))
	f := bill.CustomerFilter{Q: c.QueryParam("q"), Mode: c.QueryParam("mode"), Page: queryInt(c, "page", 1)}
	list, err := s.Customers(ctx, p, period, f)
	if err != nil {
		return err
	}
	q := c.QueryParams()
	q.Del("page")
	q.Set("period", period.Format(bill.PeriodFormat))
	vm := billingview.BillCustomersVM{Period: period, Filter: f, List: list,
		Pager: components.Pager{Page: list.Page, PerPage: bill.PerPage, Total: list.Total, Query: q, Path: "/billing/bill/customers", Target: "#bill-customer-table"}}
	return render(c, http.StatusOK, billingview.BillCustomers(vm))
}

// billExport creates an export task of the period and says
// 导出任务创建成功 (§12.1.9.9); the file is made in the background.
func (a *App) billExport(c echo.Context) error {
	period := c.FormValue("period")
	_, err := a.svc.Exports.Create(c.Request().Context(), principalOf(c), c.FormValue("kind"), period)
	if err != nil {
		return err // an unknown kind or period (only a forged form): 422, nothing created
	}
	back := "/billing/bill?period=" + bill.ParsePeriod(period).Format(bill.PeriodFormat)
	return a.done(c, back, "export.created")
}

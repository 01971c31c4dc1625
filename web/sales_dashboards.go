package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/performance"
	salesview "partnercenter/views/sales"
)

// dashboardRoutes are 销售 > 运营看板 (§12.1.9.17, §12.2.1; build-plan 3.D;
// issue 12): 客户看板, 消费看板, 业绩看板 and 激励看板, each a chart and
// its table; a cloud reseller has the first two, a customer manager sees
// its own customers (R57).
func (a *App) dashboardRoutes() []Route {
	return []Route{
		get("/sales/dashboards/customers", access.DashboardsCustomersView, a.dashboardCustomers),
		get("/sales/dashboards/consumption", access.DashboardsConsumptionView, a.dashboardConsumption),
		get("/sales/dashboards/performance", access.DashboardsPerformanceView, a.dashboardPerformance),
		get("/sales/dashboards/incentives", access.DashboardsIncentivesView, a.dashboardIncentives),
	}
}

func (a *App) dashboardCustomers(c echo.Context) error {
	b, err := a.svc.Customers.Board(c.Request().Context(), principalOf(c))
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, salesview.CustomerBoard(b))
}

func (a *App) dashboardConsumption(c echo.Context) error {
	b, err := a.svc.Consumption.Board(c.Request().Context(), principalOf(c))
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, salesview.ConsumptionBoard(b))
}

// dashboardPerformance is 业绩看板: the trend, and 业绩汇总数据 of a month
// (?month=YYYY-MM) in the tab 消费数据 or 退款数据 (?tab=refunds), for one
// second-tier reseller of a master distributor (?reseller).
func (a *App) dashboardPerformance(c echo.Context) error {
	ctx := c.Request().Context()
	f := performance.BoardFilter{Month: c.QueryParam("month"), Refunds: c.QueryParam("tab") == "refunds"}
	f.Reseller, _ = strconv.ParseInt(c.QueryParam("reseller"), 10, 64)
	b, err := a.svc.Performance.Board(ctx, principalOf(c), f)
	if err != nil {
		return err
	}
	resellers, err := a.svc.Performance.Resellers(ctx, principalOf(c))
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, salesview.PerformanceBoard(salesview.PerformanceBoardVM{B: b, Filter: f, Resellers: resellers}))
}

func (a *App) dashboardIncentives(c echo.Context) error {
	b, err := a.svc.Incentive.Dashboard(c.Request().Context(), principalOf(c))
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, salesview.IncentiveBoard(b))
}

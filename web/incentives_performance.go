package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/performance"
	"partnercenter/views/components"
	incview "partnercenter/views/incentives"
)

// incentiveRoutes is 销售 > 激励 > 业绩管理 (seed 003 §12.1.5.3; build-plan
// 3.A; issue 12): 业绩汇总 by month with the running month's estimate,
// 业绩明细 with its filters, and a record's detail. Not for cloud
// resellers (§12.3.4).
func (a *App) incentiveRoutes() []Route {
	return []Route{
		get("/incentives/performance", access.IncentivesPerformanceView, a.performanceSummaries),
		get("/incentives/performance/records", access.IncentivesPerformanceView, a.performanceRecords),
		get("/incentives/performance/records/:id", access.IncentivesPerformanceView, a.performanceRecord),
	}
}

func (a *App) performanceSummaries(c echo.Context) error {
	period := c.QueryParam("period")
	o, err := a.svc.Performance.Summaries(c.Request().Context(), principalOf(c), period)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, incview.Summaries(incview.SummariesVM{O: o, Period: period}))
}

func (a *App) performanceRecords(c echo.Context) error {
	f := performance.Filter{From: c.QueryParam("from"), To: c.QueryParam("to"), BillType: choice(c.QueryParam("bill_type"),
		[]string{"", "consumption", "refund", "adjustment"}), Mode: choice(c.QueryParam("mode"), []string{"", "yearly_monthly", "on_demand"}),
		Customer: c.QueryParam("customer"), OrderNo: c.QueryParam("order_no")}
	f.SummaryID, _ = strconv.ParseInt(c.QueryParam("summary"), 10, 64)
	f.Reseller, _ = strconv.ParseInt(c.QueryParam("reseller"), 10, 64)
	f.Page, f.Per = pageOf(c, performance.PerPage)
	rows, total, err := a.svc.Performance.Records(c.Request().Context(), principalOf(c), f)
	if err != nil {
		return err
	}
	q := c.QueryParams()
	q.Del("page")
	return render(c, http.StatusOK, incview.Records(incview.RecordsVM{Filter: f, Rows: rows,
		Pager: sized(c, components.Pager{Page: f.Page, PerPage: f.Per, Total: total, Query: q, Path: "/incentives/performance/records",
			Target: "#performance-table"})}))
}

func (a *App) performanceRecord(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	r, err := a.svc.Performance.Get(c.Request().Context(), principalOf(c), id)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, incview.Record(incview.RecordVM{R: r}))
}

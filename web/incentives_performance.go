package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/export"
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
		get("/incentives/performance/export", access.IncentivesPerformanceView, a.performanceExport),
		get("/incentives/indicators", access.IncentivesIndicatorsView, a.indicators),
		get("/incentives/indicators/export", access.IncentivesIndicatorsView, a.indicatorsExport),
		post("/incentives/performance/:id/feedback", access.IncentivesPerformanceFeedback, a.performanceFeedback(false)),
		post("/incentives/performance/records/:id/feedback", access.IncentivesPerformanceFeedback, a.performanceFeedback(true)),
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

// performanceFilter reads 业绩明细's filters from the query string.
func performanceFilter(c echo.Context) performance.Filter {
	f := performance.Filter{From: c.QueryParam("from"), To: c.QueryParam("to"), BillType: choice(c.QueryParam("bill_type"),
		[]string{"", "consumption", "refund", "adjustment"}), Mode: choice(c.QueryParam("mode"), []string{"", "yearly_monthly", "on_demand"}),
		Customer: c.QueryParam("customer"), OrderNo: c.QueryParam("order_no"), Code: c.QueryParam("code"), Manager: c.QueryParam("manager"),
		PeriodFrom: c.QueryParam("period_from"), PeriodTo: c.QueryParam("period_to"), ProductType: c.QueryParam("product_type")}
	f.SummaryID, _ = strconv.ParseInt(c.QueryParam("summary"), 10, 64)
	f.Reseller, _ = strconv.ParseInt(c.QueryParam("reseller"), 10, 64)
	return f
}

// performanceExport is 导出 > 按业绩形成时间导出 (?by=time: the formation
// dates chosen in its 选择导出条件 form, both required) and 导出当前记录 (the
// list's filters): an xlsx export task (导出任务创建成功, 我的导出).
func (a *App) performanceExport(c echo.Context) error {
	f := performanceFilter(c)
	if c.QueryParam("by") == "time" {
		f = performance.Filter{From: c.QueryParam("export_from"), To: c.QueryParam("export_to")}
		if !performance.ValidRange(f.From, f.To) {
			return a.renderRecords(c, http.StatusUnprocessableEntity, f, "performance.export.err_range")
		}
	}
	return a.startExport(c, export.KindPerformance, f)
}

func (a *App) performanceRecords(c echo.Context) error {
	return a.renderRecords(c, http.StatusOK, performanceFilter(c), "")
}

// renderRecords draws 业绩明细 for a filter, with why an export was
// refused (its form opened).
func (a *App) renderRecords(c echo.Context, status int, f performance.Filter, exportError string) error {
	f.Page, f.Per = pageOf(c, performance.PerPage)
	rows, total, capped, err := a.svc.Performance.Records(c.Request().Context(), principalOf(c), f)
	if err != nil {
		return err
	}
	resellers, err := a.svc.Performance.Resellers(c.Request().Context(), principalOf(c))
	if err != nil {
		return err
	}
	q := c.QueryParams()
	q.Del("page")
	return render(c, status, incview.Records(incview.RecordsVM{Filter: f, Rows: rows, Resellers: resellers, ExportError: exportError,
		Pager: sized(c, components.Pager{Page: f.Page, PerPage: f.Per, Total: total, Query: q, Path: "/incentives/performance/records",
			Target: "#performance-table", Capped: capped})}))
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
	return render(c, http.StatusOK, incview.Record(incview.RecordVM{R: r, Feedback: incview.FeedbackForm{Open: c.QueryParam("feedback") == "1"}}))
}

// performanceFeedback is 问题反馈 on a summary (or a record): submitted to
// the ecosystem manager through the approval engine; the application's
// page is 反馈详情. A refusal (the seed's sentence once final, an empty
// opinion) is shown on the page it came from.
func (a *App) performanceFeedback(onRecord bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := paramID(c, "id")
		if err != nil {
			return err
		}
		var summaryID, recordID int64
		if onRecord {
			recordID = id
		} else {
			summaryID = id
		}
		opinion := c.FormValue("opinion")
		uploads, err := readUploads(c, "files", approval.MaxSupplementFiles)
		if err == nil {
			app, ferr := a.svc.Performance.Feedback(c.Request().Context(), principalOf(c), summaryID, recordID, opinion, uploads)
			if ferr == nil {
				return a.done(c, "/applications/"+strconv.FormatInt(app.ID, 10), "performance.flash.feedback")
			}
			err = ferr
		}
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		fb := incview.FeedbackForm{Key: strconv.FormatInt(id, 10), Opinion: opinion, Error: ae.Fields["opinion"], Summary: ae.MessageKey()}
		if onRecord {
			r, gerr := a.svc.Performance.Get(c.Request().Context(), principalOf(c), id)
			if gerr != nil {
				return gerr
			}
			return render(c, status, incview.Record(incview.RecordVM{R: r, Feedback: fb}))
		}
		o, serr := a.svc.Performance.Summaries(c.Request().Context(), principalOf(c), "")
		if serr != nil {
			return serr
		}
		return render(c, status, incview.Summaries(incview.SummariesVM{O: o, Feedback: fb}))
	}
}

// indicatorFilter reads 指标信息's filters.
func indicatorFilter(c echo.Context) performance.IndicatorFilter {
	f := performance.IndicatorFilter{Period: c.QueryParam("period"), Customer: c.QueryParam("customer")}
	f.DefinitionID, _ = strconv.ParseInt(c.QueryParam("definition"), 10, 64)
	return f
}

// indicatorsExport is 指标信息 > 导出: the list's filters as xlsx (an export
// task when long).
func (a *App) indicatorsExport(c echo.Context) error {
	return a.startExport(c, export.KindIndicators, indicatorFilter(c))
}

// indicators is 指标信息 (§12.1.8): the tenant's indicators with the
// filters name, period and customer; 详情 opens the performance behind one
// that has details.
func (a *App) indicators(c echo.Context) error {
	ctx := c.Request().Context()
	f := indicatorFilter(c)
	f.Page, f.Per = pageOf(c, performance.PerPage)
	rows, total, err := a.svc.Performance.Indicators(ctx, principalOf(c), f)
	if err != nil {
		return err
	}
	defs, err := a.svc.Performance.Definitions(ctx)
	if err != nil {
		return err
	}
	q := c.QueryParams()
	q.Del("page")
	return render(c, http.StatusOK, incview.Indicators(incview.IndicatorsVM{Filter: f, Rows: rows, Definitions: defs,
		Pager: sized(c, components.Pager{Page: f.Page, PerPage: f.Per, Total: total, Query: q, Path: "/incentives/indicators",
			Target: "#indicator-table"})}))
}

package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/export"
	"partnercenter/internal/incentive"
	"partnercenter/internal/platform/apperr"
	"partnercenter/views/components"
	incview "partnercenter/views/incentives"
)

// incentiveBillRoutes are 业绩管理 > 激励对账 (seed 003 §12.1.5.4,
// §12.1.5.45; build-plan 3.C; issue 12): 激励汇总 (the bills), a bill's
// 核算过程, 激励明细 (its lines) and 确认对账.
func (a *App) incentiveBillRoutes() []Route {
	return []Route{
		get("/incentives/bills", access.IncentivesBillsView, a.incentiveBills),
		get("/incentives/bills/:id", access.IncentivesBillsView, a.incentiveBill),
		get("/incentives/details", access.IncentivesBillsView, a.incentiveDetails),
		get("/incentives/details/export", access.IncentivesBillsView, a.incentiveDetailsExport),
		post("/incentives/bills/:id/confirm", access.IncentivesBillsConfirm, a.incentiveConfirm),
		post("/incentives/bills/:id/feedback", access.IncentivesBillsFeedback, a.incentiveFeedback(false)),
		post("/incentives/details/:id/feedback", access.IncentivesBillsFeedback, a.incentiveFeedback(true)),
	}
}

func (a *App) renderIncentiveBills(c echo.Context, status int, refusal string, fb incview.FeedbackForm) error {
	f := incentive.BillFilter{Period: c.QueryParam("period"), Name: c.QueryParam("name"),
		Status: choice(c.QueryParam("status"), append([]string{""}, incentive.States...))}
	f.Page, f.Per = pageOf(c, incentive.PerPage)
	rows, total, err := a.svc.Incentive.Bills(c.Request().Context(), principalOf(c), f)
	if err != nil {
		return err
	}
	q := c.QueryParams()
	q.Del("page")
	return render(c, status, incview.Bills(incview.BillsVM{Filter: f, Rows: rows, Refusal: refusal, Feedback: fb,
		Pager: sized(c, components.Pager{Page: f.Page, PerPage: f.Per, Total: total, Query: q, Path: "/incentives/bills",
			Target: "#bill-table"})}))
}

func (a *App) incentiveBills(c echo.Context) error {
	return a.renderIncentiveBills(c, http.StatusOK, "", incview.FeedbackForm{})
}

// incentiveBill is 查看核算过程: the indicator values, the ratio and its
// step table (chart and table), and why a zero is zero.
func (a *App) incentiveBill(c echo.Context) error {
	v, err := a.svc.Incentive.Bill(c.Request().Context(), principalOf(c), c.Param("id"))
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, incview.Bill(incview.BillVM{V: v}))
}

// incentiveDetails is 激励明细: a published bill's lines (the 业绩金额
// column on request, §12.1.5.4), or a 预估 bill's one aggregate row.
func (a *App) incentiveDetails(c echo.Context) error {
	return a.renderIncentiveDetails(c, http.StatusOK, incview.FeedbackForm{})
}

func (a *App) renderIncentiveDetails(c echo.Context, status int, fb incview.FeedbackForm) error {
	ctx := c.Request().Context()
	f := detailFilter(c)
	f.Page, f.Per = pageOf(c, incentive.PerPage)
	vm := incview.DetailsVM{Filter: f, ShowPerformance: c.QueryParam("cols") == "performance", Feedback: fb}
	if f.BillID != "" {
		v, err := a.svc.Incentive.Bill(ctx, principalOf(c), f.BillID)
		if err != nil {
			return err
		}
		vm.Bill = v
	}
	rows, total, capped, err := a.svc.Incentive.Details(ctx, principalOf(c), f)
	if err != nil {
		return err
	}
	vm.Rows = rows
	q := c.QueryParams()
	q.Del("page")
	vm.Pager = sized(c, components.Pager{Page: f.Page, PerPage: f.Per, Total: total, Query: q, Path: "/incentives/details",
		Target: "#detail-table", Capped: capped})
	return render(c, status, incview.Details(vm))
}

// incentiveDetailsExport is 激励明细 > 导出: the lines of the filter as xlsx
// (an export task when long, 导出任务创建成功).
func (a *App) incentiveDetailsExport(c echo.Context) error {
	return a.startExport(c, export.KindIncentiveDetails, detailFilter(c))
}

// detailFilter reads 激励明细's filters: bill, customer, product, and the
// performance record of 业绩明细's 查看激励.
func detailFilter(c echo.Context) incentive.DetailFilter {
	f := incentive.DetailFilter{BillID: c.QueryParam("bill"), Customer: c.QueryParam("customer"), Product: c.QueryParam("product")}
	f.RecordID, _ = strconv.ParseInt(c.QueryParam("record"), 10, 64)
	return f
}

// incentiveConfirm is 确认对账 of a 待确认 bill; a refusal (the state
// changed) is shown on 激励汇总.
func (a *App) incentiveConfirm(c echo.Context) error {
	if err := a.svc.Incentive.Confirm(c.Request().Context(), principalOf(c), c.Param("id")); err != nil {
		if ae, ok := apperr.As(err); ok && ae.Kind == apperr.KindConflict {
			return a.renderIncentiveBills(c, http.StatusConflict, ae.Key, incview.FeedbackForm{})
		}
		return err
	}
	return a.done(c, "/incentives/bills?status="+incentive.StateConfirmed, "incentive.flash.confirmed")
}

// incentiveFeedback is 问题反馈 on a bill (or one of its lines): submitted
// to the ecosystem manager through the approval engine, whose page is
// 反馈详情; a refusal is shown on the page it came from.
func (a *App) incentiveFeedback(onDetail bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		billID, key := c.Param("id"), c.Param("id")
		var detailID int64
		if onDetail {
			id, err := paramID(c, "id")
			if err != nil {
				return err
			}
			billID, detailID = "", id
		}
		opinion := c.FormValue("opinion")
		uploads, err := readUploads(c, "files", approval.MaxSupplementFiles)
		if err == nil {
			app, ferr := a.svc.Incentive.Feedback(c.Request().Context(), principalOf(c), billID, detailID, opinion, uploads)
			if ferr == nil {
				return a.done(c, "/applications/"+strconv.FormatInt(app.ID, 10), "performance.flash.feedback")
			}
			err = ferr
		}
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		fb := incview.FeedbackForm{Key: key, Opinion: opinion, Error: ae.Fields["opinion"], Summary: ae.MessageKey()}
		if onDetail {
			return a.renderIncentiveDetails(c, status, fb)
		}
		return a.renderIncentiveBills(c, status, "", fb)
	}
}

package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/opportunity"
	oppview "partnercenter/views/opportunities"
)

// partnerOpportunityRoutes are the ecosystem manager's 机会点审核 (seed 003
// §11.1.2.8–9; build-plan 5.B; issue 14): the POs of the partners it looks
// after (all of them for the vendor administrator), each with the earlier
// valid opportunities of its customer, and 通过, 审核不通过 with one of the
// three reasons, 驳回.
func (a *App) partnerOpportunityRoutes() []Route {
	return []Route{
		get("/partners/opportunities", access.VendorApprovalsView, a.poReviewList),
		get("/partners/opportunities/:id", access.VendorApprovalsView, a.poReview),
		post("/partners/opportunities/:id/approve", access.VendorApprovalsDecide, a.poApprove),
		post("/partners/opportunities/:id/fail", access.VendorApprovalsDecide, a.poFail),
		post("/partners/opportunities/:id/send-back", access.VendorApprovalsDecide, a.poSendBack),
	}
}

func (a *App) poReviewList(c echo.Context) error {
	f := poFilterOf(c)
	if !c.QueryParams().Has("status") {
		f.Status = opportunity.StateReview
	}
	rows, total, capped, err := a.svc.Opportunities.VendorList(c.Request().Context(), principalOf(c), f)
	if err != nil {
		return err
	}
	return a.renderPOList(c, rows, total, capped, f, true)
}

func (a *App) renderPOReview(c echo.Context, status int, id int64, vm oppview.ReviewVM) error {
	r, err := a.svc.Opportunities.VendorGet(c.Request().Context(), principalOf(c), id)
	if err != nil {
		return err
	}
	vm.R = r
	return render(c, status, oppview.Review(vm))
}

func (a *App) poReview(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return a.renderPOReview(c, http.StatusOK, id, oppview.ReviewVM{})
}

// poDecision runs one reviewer action and shows a refusal on the page.
func (a *App) poDecision(c echo.Context, do func(id int64) error, toast string) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := do(id); err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.renderPOReview(c, status, id, oppview.ReviewVM{Summary: ae.MessageKey(), Args: ae.Args, Errors: ae.Fields})
	}
	return a.done(c, "/partners/opportunities/"+strconv.FormatInt(id, 10), toast)
}

func (a *App) poApprove(c echo.Context) error {
	return a.poDecision(c, func(id int64) error {
		return a.svc.Opportunities.Approve(c.Request().Context(), principalOf(c), id, "")
	}, "opportunity.flash.approved")
}

func (a *App) poFail(c echo.Context) error {
	return a.poDecision(c, func(id int64) error {
		return a.svc.Opportunities.Fail(c.Request().Context(), principalOf(c), id, c.FormValue("reason"), c.FormValue("fail_comment"))
	}, "opportunity.flash.failed")
}

func (a *App) poSendBack(c echo.Context) error {
	return a.poDecision(c, func(id int64) error {
		return a.svc.Opportunities.SendBack(c.Request().Context(), principalOf(c), id, c.FormValue("back_comment"))
	}, "opportunity.flash.sent_back")
}

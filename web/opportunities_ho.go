package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/opportunity"
	"partnercenter/views/components"
	oppview "partnercenter/views/opportunities"
)

// hoRoutes are 机会点 > 由华为共享 (seed 003 §11.1.3; build-plan 5.C; issue
// 14): the HOs the vendor shared with a PCE member, 待接受 first with the
// time left, and 接受 or 拒绝 with a reason within three working days.
func (a *App) hoRoutes() []Route {
	return []Route{
		get("/opportunities/ho", access.OpportunitiesHOView, a.hoList),
		get("/opportunities/ho/:id", access.OpportunitiesHOView, a.hoDetail),
		post("/opportunities/ho/:id/accept", access.OpportunitiesHODecide, a.hoAccept),
		post("/opportunities/ho/:id/reject", access.OpportunitiesHODecide, a.hoReject),
	}
}

func hoFilterOf(c echo.Context) opportunity.Filter {
	f := opportunity.Filter{Status: choice(c.QueryParam("status"), append([]string{""}, opportunity.HOStates...)), Q: c.QueryParam("q")}
	f.Page, f.Per = pageOf(c, opportunity.PerPage)
	return f
}

func (a *App) renderHOList(c echo.Context, rows []opportunity.HORow, total int64, f opportunity.Filter, vendor bool) error {
	q := c.QueryParams()
	q.Del("page")
	vm := oppview.HOListVM{Rows: rows, Filter: f, Vendor: vendor, Now: a.Clock.Now(),
		Pager: components.Pager{Page: f.Page, PerPage: f.Per, Total: total, Query: q, Path: oppview.HOListPath(vendor), Target: "#ho-table"}}
	return render(c, http.StatusOK, oppview.HOList(vm))
}

func (a *App) hoList(c echo.Context) error {
	f := hoFilterOf(c)
	rows, total, err := a.svc.Opportunities.HOList(c.Request().Context(), principalOf(c), f)
	if err != nil {
		return err
	}
	return a.renderHOList(c, rows, total, f, false)
}

func (a *App) renderHODetail(c echo.Context, status int, id int64, vm oppview.HODetailVM) error {
	h, err := a.svc.Opportunities.HOGet(c.Request().Context(), principalOf(c), id)
	if err != nil {
		return err
	}
	vm.H, vm.Now = &opportunity.HORow{HO: *h}, a.Clock.Now()
	return render(c, status, oppview.HODetail(vm))
}

func (a *App) hoDetail(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return a.renderHODetail(c, http.StatusOK, id, oppview.HODetailVM{})
}

// hoDecision runs the partner's 接受 or 拒绝 and shows a refusal on the page.
func (a *App) hoDecision(c echo.Context, do func(id int64) error, toast string) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := do(id); err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.renderHODetail(c, status, id, oppview.HODetailVM{Summary: ae.MessageKey(), Args: ae.Args, Errors: ae.Fields,
			Reason: c.FormValue("reject_reason")})
	}
	return a.done(c, "/opportunities/ho/"+strconv.FormatInt(id, 10), toast)
}

func (a *App) hoAccept(c echo.Context) error {
	return a.hoDecision(c, func(id int64) error {
		return a.svc.Opportunities.Accept(c.Request().Context(), principalOf(c), id)
	}, "opportunity.flash.ho_accepted")
}

func (a *App) hoReject(c echo.Context) error {
	return a.hoDecision(c, func(id int64) error {
		return a.svc.Opportunities.Reject(c.Request().Context(), principalOf(c), id, c.FormValue("reject_reason"))
	}, "opportunity.flash.ho_rejected")
}

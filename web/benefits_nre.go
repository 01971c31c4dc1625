package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/nre"
	"partnercenter/internal/platform/clock"
	nreview "partnercenter/views/nre"
)

// nreRoutes are 权益 > 一次性工程费用 (seed 003 §10.8; build-plan 7.B; issue
// 16): the partner's ecosystem special solutions and NREs, the
// application, an NRE's page with its milestones and their acceptance.
func (a *App) nreRoutes() []Route {
	return []Route{
		get("/benefits/nre", access.BenefitsView, a.nreHome),
		get("/benefits/nre/new", access.BenefitsApply, a.nreNew),
		post("/benefits/nre", access.BenefitsApply, a.nreApply),
		get("/benefits/nre/:id", access.BenefitsView, a.nreDetail),
		post("/benefits/nre/milestones/:id/accept", access.BenefitsApply, a.nreAccept),
	}
}

func (a *App) nreHome(c echo.Context) error {
	ctx := c.Request().Context()
	sols, err := a.svc.NRE.Solutions(ctx, principalOf(c))
	if err != nil {
		return err
	}
	apps, err := a.svc.NRE.Applications(ctx, principalOf(c))
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, nreview.Home(nreview.HomeVM{Solutions: sols, Apps: apps}))
}

func (a *App) renderNREForm(c echo.Context, status int, solutionID int64, vm nreview.FormVM) error {
	sol, err := a.svc.NRE.SolutionOf(c.Request().Context(), principalOf(c), solutionID)
	if err != nil {
		return err
	}
	vm.Solution, vm.Today = sol, clock.ChinaDate(a.Clock.Now())
	if vm.Errors == nil {
		vm.Errors = map[string]string{}
	}
	return render(c, status, nreview.Form(vm))
}

func (a *App) nreNew(c echo.Context) error {
	id, err := strconv.ParseInt(c.QueryParam("solution"), 10, 64)
	if err != nil {
		return a.seeOther(c, "/benefits/nre")
	}
	return a.renderNREForm(c, http.StatusOK, id, nreview.FormVM{})
}

func (a *App) nreApply(c echo.Context) error {
	id, _ := strconv.ParseInt(c.FormValue("solution_id"), 10, 64)
	if id == 0 {
		return a.seeOther(c, "/benefits/nre") // the form is opened from a solution
	}
	in := nre.ApplyInput{SolutionID: id, Scope: c.FormValue("scope"), Services: c.FormValue("services"), Plan: c.FormValue("plan"),
		StartsOn: c.FormValue("starts_on"), Acknowledged: c.FormValue("acknowledged") == "on"}
	ups, err := readUploads(c, "files", 5)
	var created *nre.Application
	if err == nil {
		created, err = a.svc.NRE.Apply(c.Request().Context(), principalOf(c), in, ups)
	}
	if err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.renderNREForm(c, status, id, nreview.FormVM{In: in, Errors: ae.Fields, Summary: ae.MessageKey()})
	}
	return a.done(c, "/benefits/nre/"+strconv.FormatInt(created.ID, 10), "nre.flash.applied")
}

func (a *App) renderNREDetail(c echo.Context, id int64, status int, vm nreview.DetailVM) error {
	d, err := a.svc.NRE.DetailOf(c.Request().Context(), principalOf(c), id)
	if err != nil {
		return err
	}
	vm.D = d
	return render(c, status, nreview.Detail(vm))
}

func (a *App) nreDetail(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return a.renderNREDetail(c, id, http.StatusOK, nreview.DetailVM{})
}

func (a *App) nreAccept(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	nreID, err := a.svc.NRE.MilestoneNRE(ctx, principalOf(c), id)
	if err != nil {
		return err
	}
	ups, err := readUploads(c, "files", 5)
	if err == nil {
		err = a.svc.NRE.ApplyAcceptance(ctx, principalOf(c), id, c.FormValue("note"), ups)
	}
	if err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		msg := ae.MessageKey()
		return a.renderNREDetail(c, nreID, status, nreview.DetailVM{Failed: id, Summary: msg})
	}
	return a.done(c, "/benefits/nre/"+strconv.FormatInt(nreID, 10), "nre.flash.acceptance")
}

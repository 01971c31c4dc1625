package web

import (
	"strconv"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/paths"
	"partnercenter/internal/platform/apperr"
)

// partnerPathRoutes are the vendor's path actions (build-plan 1.D): on a
// partner's page, put it on the SI whitelist or invite it to the learning
// & enablement path, and record a solution certification (the software
// path's stage follows); on the partner list, open the December re-review
// campaign (vendor administrator).
func (a *App) partnerPathRoutes() []Route {
	return []Route{
		post("/partners/:id/paths/invite", access.VendorProgramsManage, a.partnerPathInvite),
		post("/partners/:id/paths/solutions", access.VendorProgramsManage, a.partnerPathSolution),
		post("/partners/path-campaign", access.VendorProgramsManage, a.pathCampaign),
	}
}

func (a *App) partnerPathInvite(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := a.svc.Paths.Invite(c.Request().Context(), principalOf(c), id, c.FormValue("path")); err != nil {
		return a.programFail(c, id, "path-invite", err)
	}
	return a.done(c, "/partners/"+strconv.FormatInt(id, 10), "path.flash.invited")
}

func (a *App) partnerPathSolution(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	in := paths.SolutionInput{Name: c.FormValue("name"), Kind: c.FormValue("kind"), ApprovedOn: c.FormValue("approved_on")}
	if err := a.svc.Paths.RecordSolution(c.Request().Context(), principalOf(c), id, in); err != nil {
		return a.programFail(c, id, "solution", err)
	}
	return a.done(c, "/partners/"+strconv.FormatInt(id, 10), "path.flash.solution")
}

func (a *App) pathCampaign(c echo.Context) error {
	if err := a.svc.Paths.OpenCampaign(c.Request().Context(), principalOf(c), c.FormValue("deadline")); err != nil {
		ae, ok := apperr.As(err)
		if !ok || (ae.Kind != apperr.KindInvalid && ae.Kind != apperr.KindConflict) {
			return err
		}
		// The form is one date on the list page: the refusal is a toast.
		a.flash(c, "error", ae.MessageKey())
		return a.seeOther(c, "/partners")
	}
	return a.done(c, "/partners", "path.flash.campaign")
}

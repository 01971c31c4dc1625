package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	mdfview "partnercenter/views/mdf"
)

// partnerMDFRoutes are the vendor's MDF page (build-plan 7.A; issue 16):
// the caps of the year by tier (the vendor administrator edits them) and
// the violation flags that take away a partner entity's MDF for the year
// (the ecosystem manager of the partner, or the vendor administrator).
func (a *App) partnerMDFRoutes() []Route {
	return []Route{
		get("/partners/mdf", access.VendorPartnersView, a.mdfAdmin),
		post("/partners/mdf/caps", access.VendorBenefitsManage, a.mdfSaveCap),
		post("/partners/mdf/violations", access.VendorPartnersView, a.mdfFlag),
	}
}

func (a *App) renderMDFAdmin(c echo.Context, status int, vm mdfview.AdminVM) error {
	ctx := c.Request().Context()
	p := principalOf(c)
	vm.Year = a.yearNow()
	var err error
	if _, err := p.VendorAdmin(); err == nil {
		if vm.Caps, err = a.svc.MDF.Caps(ctx, p, vm.Year); err != nil {
			return err
		}
	}
	if vm.Violations, err = a.svc.MDF.Violations(ctx, p, vm.Year); err != nil {
		return err
	}
	if vm.Partners, err = a.svc.Directory.Choices(ctx, p); err != nil {
		return err
	}
	if vm.Errors == nil {
		vm.Errors = map[string]string{}
	}
	return render(c, status, mdfview.Admin(vm))
}

func (a *App) mdfAdmin(c echo.Context) error {
	return a.renderMDFAdmin(c, http.StatusOK, mdfview.AdminVM{})
}

func (a *App) mdfSaveCap(c echo.Context) error {
	year, _ := strconv.Atoi(c.FormValue("year"))
	vm := mdfview.AdminVM{Tier: c.FormValue("tier"), Cap: c.FormValue("cap")}
	if err := a.svc.MDF.SaveCap(c.Request().Context(), principalOf(c), year, vm.Tier, vm.Cap); err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		vm.Errors, vm.Summary = ae.Fields, ae.MessageKey()
		return a.renderMDFAdmin(c, status, vm)
	}
	return a.done(c, "/partners/mdf", "mdf.flash.cap_saved")
}

func (a *App) mdfFlag(c echo.Context) error {
	id, _ := strconv.ParseInt(c.FormValue("partner_id"), 10, 64)
	err := a.svc.MDF.Flag(c.Request().Context(), principalOf(c), id, c.FormValue("reason"))
	if err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.renderMDFAdmin(c, status, mdfview.AdminVM{Errors: ae.Fields, Summary: ae.MessageKey(), Reason: c.FormValue("reason"),
			Partner: c.FormValue("partner_id")})
	}
	return a.done(c, "/partners/mdf", "mdf.flash.flagged")
}

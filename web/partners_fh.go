package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/partner"
	fhview "partnercenter/views/fh"
)

// partnerFHRoutes are the vendor's FH page (build-plan 7.C; issue 16):
// FH is by invitation (§10.6.1.1); vendor staff invite the partners they
// see.
func (a *App) partnerFHRoutes() []Route {
	return []Route{
		get("/partners/fh", access.VendorPartnersView, a.fhVendor),
		post("/partners/fh/invite", access.VendorPartnersView, a.fhInvite),
		post("/partners/fh/:id/end", access.VendorPartnersView, a.fhEnd),
	}
}

func (a *App) renderFHVendor(c echo.Context, status int, vm fhview.VendorVM) error {
	ctx := c.Request().Context()
	var err error
	if vm.Programs, err = a.svc.FH.Programs(ctx, principalOf(c)); err != nil {
		return err
	}
	if vm.Partners, _, err = a.svc.Directory.List(ctx, principalOf(c), partner.DirectoryFilter{Page: 1, PerPage: 200,
		Status: partner.StatusActive}); err != nil {
		return err
	}
	if vm.Errors == nil {
		vm.Errors = map[string]string{}
	}
	return render(c, status, fhview.Vendor(vm))
}

func (a *App) fhVendor(c echo.Context) error {
	return a.renderFHVendor(c, http.StatusOK, fhview.VendorVM{})
}

func (a *App) fhInvite(c echo.Context) error {
	id, _ := strconv.ParseInt(c.FormValue("partner_id"), 10, 64)
	if id == 0 {
		return a.renderFHVendor(c, http.StatusUnprocessableEntity, fhview.VendorVM{Errors: map[string]string{"partner_id": "fh.err.partner"}})
	}
	if err := a.svc.FH.Invite(c.Request().Context(), principalOf(c), id, c.FormValue("variant")); err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.renderFHVendor(c, status, fhview.VendorVM{Errors: ae.Fields, Summary: ae.MessageKey()})
	}
	return a.done(c, "/partners/fh", "fh.flash.invited")
}

func (a *App) fhEnd(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := a.svc.FH.End(c.Request().Context(), principalOf(c), id, c.FormValue("reason")); err != nil {
		msg, status, ok := failedSummary(err, "reason")
		if !ok {
			return err
		}
		return a.renderFHVendor(c, status, fhview.VendorVM{Summary: msg})
	}
	return a.done(c, "/partners/fh", "fh.flash.ended")
}

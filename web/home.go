package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/views/home"
)

func (a *App) homeRoutes() []Route {
	return []Route{
		get("/", access.HomeView, a.home),
	}
}

// home is the partner's or the vendor staff's landing page; a customer's
// home is its console.
func (a *App) home(c echo.Context) error {
	if principalOf(c).IsCustomer {
		return c.Redirect(http.StatusSeeOther, "/console")
	}
	ctx := c.Request().Context()
	u := currentUser(c)
	if u.IsVendor() {
		vm, err := a.vendorHome(c)
		if err != nil {
			return err
		}
		return render(c, http.StatusOK, home.Vendor(vm))
	}
	p, err := a.svc.Partners.Own(ctx, principalOf(c))
	if err != nil {
		return err
	}
	ids, err := a.svc.Partners.Identities(ctx, principalOf(c))
	if err != nil {
		return err
	}
	vm := home.PartnerVM{Partner: p, Identities: ids}
	if p.EcoManagerID != nil {
		if m, err := (a.svc.Users).ByID(ctx, *p.EcoManagerID); err == nil {
			vm.EcoManager = m
		}
	}
	if vm.Pending, err = a.pendingItems(c, p); err != nil {
		return err
	}
	if vm.Progress, err = a.homeProgress(c, p); err != nil {
		return err
	}
	return render(c, http.StatusOK, home.Partner(vm))
}

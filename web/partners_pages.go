package web

import (
	"net/http"
	"partnercenter/internal/platform/clock"
	"strconv"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/views/components"
	"partnercenter/views/partners"
)

// partnerRoutes is the vendor console's 伙伴 menu: the partners an
// ecosystem manager is responsible for (all of them for the vendor
// administrator), and the assignment of ecosystem managers.
func (a *App) partnerRoutes() []Route {
	return []Route{
		get("/partners", access.VendorPartnersView, a.vendorPartners),
		get("/partners/:id", access.VendorPartnersView, a.vendorPartner),
		post("/partners/:id/eco-manager", access.VendorPartnersAssign, a.assignEcoManager),
	}
}

func (a *App) vendorPartners(c echo.Context) error {
	f := partner.DirectoryFilter{
		Query: c.QueryParam("q"), Status: c.QueryParam("status"), Identity: c.QueryParam("identity"),
		Sort: c.QueryParam("sort"), Desc: c.QueryParam("dir") == "desc"}
	f.Page, f.PerPage = pageOf(c, 20)
	rows, total, err := a.svc.Directory.List(c.Request().Context(), principalOf(c), f)
	if err != nil {
		return err
	}
	q := c.QueryParams()
	q.Del("page")
	vm := partners.PartnersVM{Filter: f, Rows: rows,
		Pager: sized(c, components.Pager{Page: f.Page, PerPage: f.PerPage, Total: total, Query: q, Path: "/partners", Target: "#partner-table"})}
	return render(c, http.StatusOK, partners.Partners(vm))
}

func (a *App) vendorPartner(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return a.renderVendorPartner(c, id, http.StatusOK, "")
}

// partnerForm is a refused form of the partner's page: which one, the
// refusal and its field errors.
type partnerForm struct {
	Form    string
	Summary string
	Args    map[string]any
	Fields  map[string]string
}

func (a *App) renderVendorPartner(c echo.Context, id int64, status int, fieldErr string) error {
	return a.renderVendorPartnerWith(c, id, status, partnerForm{Fields: map[string]string{"eco_manager_id": fieldErr}})
}

func (a *App) renderVendorPartnerWith(c echo.Context, id int64, status int, f partnerForm) error {
	ctx := c.Request().Context()
	dir := a.svc.Directory
	row, err := dir.Get(ctx, principalOf(c), id)
	if err != nil {
		return err
	}
	vm := partners.PartnerVM{Row: row, AssignError: f.Fields["eco_manager_id"], Form: f.Form, Summary: f.Summary, SummaryArgs: f.Args, Errors: f.Fields,
		Year: a.Clock.Now().In(clock.China).Year() - 1}
	if vm.Programs, err = a.svc.Programs.ForPartner(ctx, principalOf(c), row); err != nil {
		return err
	}
	if vm.Path, err = a.svc.Paths.ForPartner(ctx, principalOf(c), row); err != nil {
		return err
	}
	if vm.MigrationTargets, err = a.svc.Programs.MigrationTargets(ctx, principalOf(c), row); err != nil {
		return err
	}
	if ui := principalOf(c); ui.Can(access.VendorPartnersAssign) {
		if vm.Managers, err = dir.EcoManagers(ctx); err != nil {
			return err
		}
	}
	return render(c, status, partners.PartnerDetail(vm))
}

func (a *App) assignEcoManager(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	managerID, _ := strconv.ParseInt(c.FormValue("eco_manager_id"), 10, 64)
	err = a.svc.Directory.AssignEcoManager(c.Request().Context(), principalOf(c), id, managerID)
	if ae, ok := apperr.As(err); ok && ae.Kind == apperr.KindInvalid {
		return a.renderVendorPartner(c, id, http.StatusUnprocessableEntity, ae.Fields["eco_manager_id"])
	}
	if err != nil {
		return err
	}
	return a.done(c, "/partners/"+strconv.FormatInt(id, 10), "vendor.partners.assigned")
}

package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/opportunity"
	oppview "partnercenter/views/opportunities"
)

// partnerHORoutes are the ecosystem manager's side of 由华为共享 (seed 003
// §11.1.3; build-plan 5.C; issue 14): a partner's check list (PCE, path
// stage, a jointly built Offering) with the Offerings it keeps, 共享机会点,
// the HOs of its partners, and 撤回 of an accepted one.
func (a *App) partnerHORoutes() []Route {
	return []Route{
		get("/partners/opportunities/ho", access.VendorPartnersView, a.vendorHOList),
		get("/partners/opportunities/ho/:id", access.VendorPartnersView, a.vendorHODetail),
		post("/partners/opportunities/ho/:id/withdraw", access.VendorOpportunitiesManage, a.vendorHOWithdraw),
		get("/partners/:id/opportunities/new", access.VendorOpportunitiesManage, a.hoShareForm),
		post("/partners/:id/opportunities", access.VendorOpportunitiesManage, a.hoShare),
		post("/partners/:id/offerings", access.VendorOpportunitiesManage, a.offeringAdd),
		post("/partners/:id/offerings/:oid/delete", access.VendorOpportunitiesManage, a.offeringRemove),
	}
}

func (a *App) vendorHOList(c echo.Context) error {
	f := hoFilterOf(c)
	rows, total, err := a.svc.Opportunities.VendorHOList(c.Request().Context(), principalOf(c), f)
	if err != nil {
		return err
	}
	return a.renderHOList(c, rows, total, f, true)
}

func (a *App) renderVendorHO(c echo.Context, status int, id int64, vm oppview.HODetailVM) error {
	h, err := a.svc.Opportunities.VendorHOGet(c.Request().Context(), principalOf(c), id)
	if err != nil {
		return err
	}
	vm.H, vm.Now, vm.Vendor = h, a.Clock.Now(), true
	return render(c, status, oppview.HODetail(vm))
}

func (a *App) vendorHODetail(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return a.renderVendorHO(c, http.StatusOK, id, oppview.HODetailVM{})
}

func (a *App) vendorHOWithdraw(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	reason := c.FormValue("withdraw_reason")
	if err := a.svc.Opportunities.Withdraw(c.Request().Context(), principalOf(c), id, reason); err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.renderVendorHO(c, status, id, oppview.HODetailVM{Summary: ae.MessageKey(), Args: ae.Args, Errors: ae.Fields, Reason: reason})
	}
	return a.done(c, "/partners/opportunities/ho/"+strconv.FormatInt(id, 10), "opportunity.flash.ho_withdrawn")
}

// renderShare is a partner's 共享机会点 page: the check list, the jointly
// built Offerings and the form.
func (a *App) renderShare(c echo.Context, status int, partnerID int64, vm oppview.ShareVM) error {
	el, err := a.svc.Opportunities.HOEligibilityOf(c.Request().Context(), principalOf(c), partnerID)
	if err != nil {
		return err
	}
	vm.E = el
	if vm.Errors == nil {
		vm.Errors = map[string]string{}
	}
	return render(c, status, oppview.Share(vm))
}

func (a *App) hoShareForm(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return a.renderShare(c, http.StatusOK, id, oppview.ShareVM{})
}

func hoInput(c echo.Context) opportunity.HOInput {
	return opportunity.HOInput{CustomerName: c.FormValue("customer_name"), CustomerCreditCode: c.FormValue("customer_credit_code"),
		Industry: c.FormValue("industry"), Requirement: c.FormValue("requirement"), Budget: c.FormValue("budget"),
		PurchaseOn: c.FormValue("purchase_on"), Description: c.FormValue("description"), CustomerOwner: c.FormValue("customer_owner"),
		CRMCreatedAt: c.FormValue("crm_created_at")}
}

func (a *App) hoShare(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	in := hoInput(c)
	h, err := a.svc.Opportunities.Share(c.Request().Context(), principalOf(c), id, in)
	if err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.renderShare(c, status, id, oppview.ShareVM{In: in, Errors: ae.Fields, Summary: ae.MessageKey(), Args: ae.Args})
	}
	return a.done(c, "/partners/opportunities/ho/"+strconv.FormatInt(h.ID, 10), "opportunity.flash.ho_shared")
}

func (a *App) offeringAdd(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	name, lead := c.FormValue("offering_name"), c.FormValue("offering_lead")
	if err := a.svc.Opportunities.AddOffering(c.Request().Context(), principalOf(c), id, name, lead); err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.renderShare(c, status, id, oppview.ShareVM{Errors: ae.Fields, Summary: ae.MessageKey(), Args: ae.Args,
			OfferingName: name, OfferingLead: lead})
	}
	return a.done(c, "/partners/"+strconv.FormatInt(id, 10)+"/opportunities/new", "opportunity.flash.offering_added")
}

func (a *App) offeringRemove(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	oid, err := paramID(c, "oid")
	if err != nil {
		return err
	}
	if err := a.svc.Opportunities.RemoveOffering(c.Request().Context(), principalOf(c), id, oid); err != nil {
		return err
	}
	return a.done(c, "/partners/"+strconv.FormatInt(id, 10)+"/opportunities/new", "opportunity.flash.offering_removed")
}

package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	nreview "partnercenter/views/nre"
)

// financeNRERoutes are vendor finance's NRE payments (build-plan 7.B;
// issue 16): accepted milestones paid by bank transfer with the reference.
func (a *App) financeNRERoutes() []Route {
	return []Route{
		get("/finance/nre", access.VendorFinanceManage, a.nreDesk),
		post("/finance/nre/milestones/:id/pay", access.VendorFinanceManage, a.nrePay),
	}
}

func (a *App) renderNREDesk(c echo.Context, status int, vm nreview.DeskVM) error {
	rows, err := a.svc.NRE.Desk(c.Request().Context(), principalOf(c))
	if err != nil {
		return err
	}
	vm.Rows, vm.Key = rows, newIdemKey()
	return render(c, status, nreview.Desk(vm))
}

func (a *App) nreDesk(c echo.Context) error {
	return a.renderNREDesk(c, http.StatusOK, nreview.DeskVM{})
}

func (a *App) nrePay(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := a.svc.NRE.Pay(c.Request().Context(), principalOf(c), id, c.FormValue("payment_ref"), c.FormValue("key")); err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		msg := ae.MessageKey()
		return a.renderNREDesk(c, status, nreview.DeskVM{Failed: id, Summary: msg})
	}
	return a.done(c, "/finance/nre", "nre.flash.paid")
}

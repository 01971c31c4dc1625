package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	fhview "partnercenter/views/fh"
)

// financeFHRoutes are vendor finance's FH payments (build-plan 7.C; issue
// 16): quarterly payment applications paid by bank transfer.
func (a *App) financeFHRoutes() []Route {
	return []Route{
		get("/finance/fh", access.VendorFinanceManage, a.fhDesk),
		post("/finance/fh/:id/pay", access.VendorFinanceManage, a.fhPay),
	}
}

func (a *App) renderFHDesk(c echo.Context, status int, vm fhview.DeskVM) error {
	rows, err := a.svc.FH.Desk(c.Request().Context(), principalOf(c))
	if err != nil {
		return err
	}
	vm.Rows, vm.Key = rows, newIdemKey()
	return render(c, status, fhview.Desk(vm))
}

func (a *App) fhDesk(c echo.Context) error { return a.renderFHDesk(c, http.StatusOK, fhview.DeskVM{}) }

func (a *App) fhPay(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := a.svc.FH.Pay(c.Request().Context(), principalOf(c), id, c.FormValue("payment_ref"), c.FormValue("key")); err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		msg := ae.MessageKey()
		return a.renderFHDesk(c, status, fhview.DeskVM{Failed: id, Summary: msg})
	}
	return a.done(c, "/finance/fh", "fh.flash.paid")
}

package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/mdf"
	mdfview "partnercenter/views/mdf"
)

// financeMDFRoutes are vendor finance's MDF payment desk (build-plan 7.A;
// issue 16): approved claims waiting for the partner's invoice, invoiced
// ones to pay by bank transfer (付款完成 with the reference) or to send
// back (退回发票), and the paid ones.
func (a *App) financeMDFRoutes() []Route {
	return []Route{
		get("/finance/mdf", access.VendorFinanceManage, a.mdfDesk),
		get("/finance/mdf/:id/invoice", access.VendorFinanceManage, a.mdfInvoiceFile),
		post("/finance/mdf/:id/pay", access.VendorFinanceManage, a.mdfPay),
		post("/finance/mdf/:id/return", access.VendorFinanceManage, a.mdfReturn),
	}
}

func (a *App) renderMDFDesk(c echo.Context, status int, vm mdfview.ClaimsVM) error {
	vm.Filter = mdfFilter(c)
	if !c.QueryParams().Has("status") && c.Request().Method == http.MethodGet {
		vm.Filter.Status = mdf.ClaimInvoiced
	}
	rows, total, err := a.svc.MDF.FinanceQueue(c.Request().Context(), principalOf(c), vm.Filter)
	if err != nil {
		return err
	}
	vm.Rows, vm.Total, vm.Query, vm.Key = rows, total, listQuery(c), newIdemKey()
	return render(c, status, mdfview.Desk(vm))
}

func (a *App) mdfDesk(c echo.Context) error {
	return a.renderMDFDesk(c, http.StatusOK, mdfview.ClaimsVM{})
}

func (a *App) mdfInvoiceFile(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	f, err := a.svc.MDF.InvoiceFile(c.Request().Context(), principalOf(c), id)
	if err != nil {
		return err
	}
	return sendFile(c, f)
}

// mdfDeskAction runs one desk action and shows a refusal on its row.
func (a *App) mdfDeskAction(c echo.Context, do func(id int64) error, toast string) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := do(id); err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		msg := ae.MessageKey()
		return a.renderMDFDesk(c, status, mdfview.ClaimsVM{Failed: id, Summary: msg, Args: ae.Args})
	}
	return a.done(c, "/finance/mdf", toast)
}

func (a *App) mdfPay(c echo.Context) error {
	return a.mdfDeskAction(c, func(id int64) error {
		return a.svc.MDF.Pay(c.Request().Context(), principalOf(c), id, c.FormValue("payment_ref"), c.FormValue("key"))
	}, "mdf.flash.paid")
}

func (a *App) mdfReturn(c echo.Context) error {
	return a.mdfDeskAction(c, func(id int64) error {
		return a.svc.MDF.ReturnInvoice(c.Request().Context(), principalOf(c), id, c.FormValue("reason"), c.FormValue("key"))
	}, "mdf.flash.invoice_returned")
}

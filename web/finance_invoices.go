package web

import (
	"net/http"
	"partnercenter/internal/access"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/invoice"
	"partnercenter/internal/platform/apperr"
	billingview "partnercenter/views/billing"
	"partnercenter/views/components"
)

// financeInvoiceRoutes: vendor finance's 发票开具.
func (a *App) financeInvoiceRoutes() []Route {
	return []Route{
		get("/finance/invoices", access.VendorInvoiceIssue, a.financeInvoices),
		get("/finance/invoices/:id", access.VendorInvoiceIssue, a.financeInvoice),
		get("/finance/invoices/:id/pdf", access.VendorInvoiceIssue, a.financeInvoicePDF),
		post("/finance/invoices/:id/issue", access.VendorInvoiceIssue, a.financeInvoiceIssue),
		post("/finance/invoices/:id/mail", access.VendorInvoiceIssue, a.financeInvoiceMail),
		post("/finance/invoices/:id/accept-return", access.VendorInvoiceIssue, a.financeInvoiceAcceptReturn),
	}
}

// Vendor finance's 发票开具: the queue of every partner's invoice
// applications and returns; issue (typed or generated number, the
// e-invoice PDF for electronic ones), mail paper invoices, accept returns.

func (a *App) financeInvoices(c echo.Context) error {
	f := invoice.Filter{State: c.QueryParam("state"), Type: c.QueryParam("type"), Period: c.QueryParam("period")}
	invoiceSortOf(c, &f)
	list, err := a.svc.InvoiceDesk.Queue(c.Request().Context(), principalOf(c), f)
	if err != nil {
		return err
	}
	q := c.QueryParams()
	q.Del("page")
	return render(c, http.StatusOK, billingview.FinanceInvoices(billingview.FinanceInvoicesVM{Filter: f, List: list,
		Pager: sized(c, components.Pager{Page: list.Page, PerPage: list.Per, Total: list.Total, Query: q, Path: "/finance/invoices", Target: "#finance-invoice-table"})}))
}

func (a *App) renderFinanceInvoice(c echo.Context, status int, id int64, vm billingview.InvoiceDetailVM, formErr error) error {
	inv, bills, err := a.svc.InvoiceDesk.Get(c.Request().Context(), principalOf(c), id)
	if err != nil {
		return err
	}
	vm.Inv, vm.Bills, vm.Vendor = inv, bills, true
	vm.Errors = map[string]string{}
	if formErr != nil {
		vm.Errors, vm.Summary, vm.SummaryArgs = formErrors(formErr)
	}
	return render(c, status, billingview.FinanceInvoice(vm))
}

func (a *App) financeInvoice(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return a.renderFinanceInvoice(c, http.StatusOK, id, billingview.InvoiceDetailVM{}, nil)
}

func (a *App) financeInvoicePDF(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	d, err := a.svc.InvoiceDesk.Document(c.Request().Context(), principalOf(c), id)
	if err != nil {
		return err
	}
	return sendDocument(c, d)
}

// financeResult re-renders the invoice with the refusal or goes back to
// it with a toast.
func (a *App) financeResult(c echo.Context, id int64, vm billingview.InvoiceDetailVM, err error, done string) error {
	switch {
	case apperr.Is(err, apperr.KindInvalid):
		return a.renderFinanceInvoice(c, http.StatusUnprocessableEntity, id, vm, err)
	case apperr.Is(err, apperr.KindConflict):
		return a.renderFinanceInvoice(c, http.StatusConflict, id, vm, err)
	case err != nil:
		return err
	}
	return a.done(c, "/finance/invoices/"+c.Param("id"), done)
}

func (a *App) financeInvoiceIssue(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	number := c.FormValue("number")
	err = a.svc.InvoiceDesk.Issue(c.Request().Context(), principalOf(c), id, number)
	return a.financeResult(c, id, billingview.InvoiceDetailVM{Number: number}, err, "invoice.finance.issued")
}

func (a *App) financeInvoiceMail(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	courier, tracking := c.FormValue("courier"), c.FormValue("tracking_no")
	err = a.svc.InvoiceDesk.Mail(c.Request().Context(), principalOf(c), id, courier, tracking)
	return a.financeResult(c, id, billingview.InvoiceDetailVM{Courier: courier, TrackingNo: tracking}, err, "invoice.finance.mailed")
}

func (a *App) financeInvoiceAcceptReturn(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	err = a.svc.InvoiceDesk.AcceptReturn(c.Request().Context(), principalOf(c), id)
	return a.financeResult(c, id, billingview.InvoiceDetailVM{}, err, "invoice.finance.returned")
}

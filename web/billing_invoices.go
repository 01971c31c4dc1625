package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/invoice"
	"partnercenter/internal/platform/apperr"
	billingview "partnercenter/views/billing"
	"partnercenter/views/components"
)

// 账务 > 发票管理 (seed 003 §12.1.4, §12.1.9.4) and vendor finance's
// 发票开具 (web/finance_invoices.go).
func (a *App) billingInvoiceRoutes() []Route {
	return []Route{
		get("/billing/invoices", access.BillingInvoiceView, a.invoicesPage),
		get("/billing/invoices/info", access.BillingInvoiceInfo, a.invoiceInfoForm),
		post("/billing/invoices/info", access.BillingInvoiceInfo, a.invoiceInfoSave),
		get("/billing/invoices/apply", access.BillingInvoiceApply, a.invoiceApplyForm),
		post("/billing/invoices/apply", access.BillingInvoiceApply, a.invoiceApply),
		get("/billing/invoices/:id", access.BillingInvoiceView, a.invoiceDetail),
		get("/billing/invoices/:id/pdf", access.BillingInvoiceView, a.invoicePDF),
		get("/billing/invoices/:id/return", access.BillingInvoiceApply, a.invoiceReturnForm),
		post("/billing/invoices/:id/return", access.BillingInvoiceApply, a.invoiceReturn),
	}
}

// formErrors splits an input error into field errors and a summary.
func formErrors(err error) (map[string]string, string, map[string]any) {
	fields := map[string]string{}
	ae, ok := apperr.As(err)
	if !ok {
		return fields, "", nil
	}
	for k, v := range ae.Fields {
		fields[k] = v
	}
	return fields, ae.Key, ae.Args
}

// pickEntity returns the requested entity when the tenant has it, else
// the newest one it has (华为云计算 after a change).
func pickEntity(entities []string, want string) string {
	for _, e := range entities {
		if e == want {
			return e
		}
	}
	return entities[len(entities)-1]
}

func (a *App) invoicesPage(c echo.Context) error {
	ctx := c.Request().Context()
	p := principalOf(c)
	s := a.svc.Invoices
	ts, err := s.Tabs(ctx, p)
	if err != nil {
		return err
	}
	f := invoice.Filter{Entity: pickEntity(ts.Tabs, c.QueryParam("entity")), Merged: ts.Merged, State: c.QueryParam("state"),
		Type: c.QueryParam("type"), Period: c.QueryParam("period")}
	invoiceSortOf(c, &f)
	var bills []invoice.Bill
	for _, e := range append([]string{f.Entity}, ts.Merged...) {
		bills = append(bills, ts.Bills[e]...)
	}
	sum, err := s.Summarize(ctx, p, f.Entity, bills)
	if err != nil {
		return err
	}
	info, err := s.CurrentInfo(ctx, p)
	if err != nil {
		return err
	}
	list, err := s.List(ctx, p, f)
	if err != nil {
		return err
	}
	q := c.QueryParams()
	q.Del("page")
	q.Set("entity", f.Entity)
	return render(c, http.StatusOK, billingview.Invoices(billingview.InvoicesVM{Entities: ts.Tabs, Merged: ts.Merged, Entity: f.Entity, Summary: sum,
		Info: info, Bills: bills, Filter: f, List: list,
		Pager: sized(c, components.Pager{Page: list.Page, PerPage: list.Per, Total: list.Total, Query: q, Path: "/billing/invoices", Target: "#invoice-table"})}))
}

// invoiceSortOf reads an invoice list's sort and page (unknown sorts
// give the newest application first).
func invoiceSortOf(c echo.Context, f *invoice.Filter) {
	f.Page, f.Per = pageOf(c, invoice.PerPage)
	f.Sort, f.Desc = sortOf(c, invoice.SortFields, "applied", true)
}

func (a *App) renderInvoiceInfo(c echo.Context, status int, in *invoice.InfoInput, formErr error) error {
	cur, err := a.svc.Invoices.CurrentInfo(c.Request().Context(), principalOf(c))
	if err != nil {
		return err
	}
	vm := billingview.InvoiceInfoVM{Current: cur, Errors: map[string]string{}}
	switch {
	case in != nil:
		vm.Input = *in
	case cur != nil:
		vm.Input = invoice.InfoInput{ID: cur.ID, Title: cur.Title, TaxpayerID: cur.TaxpayerID, BankName: cur.BankName,
			BankAccount: cur.BankAccount, Address: cur.Address, Phone: cur.Phone}
	}
	if formErr != nil {
		vm.Errors, vm.Summary, vm.SummaryArgs = formErrors(formErr)
	}
	return render(c, status, billingview.InvoiceInfo(vm))
}

func (a *App) invoiceInfoForm(c echo.Context) error {
	return a.renderInvoiceInfo(c, http.StatusOK, nil, nil)
}

func (a *App) invoiceInfoSave(c echo.Context) error {
	id, _ := strconv.ParseInt(c.FormValue("id"), 10, 64)
	in := invoice.InfoInput{ID: id, Title: c.FormValue("title"), TaxpayerID: c.FormValue("taxpayer_id"), BankName: c.FormValue("bank_name"),
		BankAccount: c.FormValue("bank_account"), Address: c.FormValue("address"), Phone: c.FormValue("phone")}
	_, err := a.svc.Invoices.SaveInfo(c.Request().Context(), principalOf(c), in)
	if apperr.Is(err, apperr.KindInvalid) {
		return a.renderInvoiceInfo(c, http.StatusUnprocessableEntity, &in, err)
	}
	if err != nil {
		return err
	}
	return a.done(c, "/billing/invoices", "invoice.info.saved")
}

func (a *App) renderInvoiceApply(c echo.Context, status int, in invoice.ApplyInput, formErr error) error {
	ctx := c.Request().Context()
	p := principalOf(c)
	s := a.svc.Invoices
	entities, _, err := s.Entities(ctx, p)
	if err != nil {
		return err
	}
	entity := pickEntity(entities, in.Entity)
	bills, err := s.Bills(ctx, p, entity)
	if err != nil {
		return err
	}
	info, err := s.CurrentInfo(ctx, p)
	if err != nil {
		return err
	}
	vm := billingview.InvoiceApplyVM{Entities: entities, Input: in, Bills: bills, Info: info, Errors: map[string]string{}}
	vm.Input.Entity = entity
	for _, b := range bills {
		if b.Free() {
			vm.Invoiceable = vm.Invoiceable.Add(b.Invoiceable)
		}
	}
	if formErr != nil {
		vm.Errors, vm.Summary, vm.SummaryArgs = formErrors(formErr)
	}
	return render(c, status, billingview.InvoiceApply(vm))
}

func (a *App) invoiceApplyForm(c echo.Context) error {
	in := invoice.ApplyInput{Entity: c.QueryParam("entity"), Mode: invoice.ModePeriods, Type: invoice.TypeGeneral, Medium: invoice.MediumElectronic,
		Periods: c.QueryParams()["periods"]}
	return a.renderInvoiceApply(c, http.StatusOK, in, nil)
}

func (a *App) invoiceApply(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	in := invoice.ApplyInput{Entity: form.Get("entity"), Mode: form.Get("mode"), Periods: form["periods"], Amount: form.Get("amount"),
		Type: form.Get("type"), Medium: form.Get("medium"), Remark: form.Get("remark"), Recipient: form.Get("recipient"),
		Phone: form.Get("phone"), Address: form.Get("address")}
	inv, err := a.svc.Invoices.Apply(c.Request().Context(), principalOf(c), in)
	if apperr.Is(err, apperr.KindInvalid) || apperr.Is(err, apperr.KindConflict) {
		return a.renderInvoiceApply(c, http.StatusUnprocessableEntity, in, err)
	}
	if err != nil {
		return err
	}
	return a.done(c, "/billing/invoices/"+strconv.FormatInt(inv.ID, 10), "invoice.apply.done")
}

func (a *App) invoiceDetail(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	inv, bills, err := a.svc.Invoices.Get(c.Request().Context(), principalOf(c), id)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, billingview.InvoiceDetail(billingview.InvoiceDetailVM{Inv: inv, Bills: bills}))
}

func sendDocument(c echo.Context, d *invoice.Document) error {
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+d.FileName+`"`)
	return c.Blob(http.StatusOK, d.ContentType, d.Content)
}

// invoicePDF downloads an issued e-invoice (§12.1.4.16: 更多 > 下载).
func (a *App) invoicePDF(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	d, err := a.svc.Invoices.Document(c.Request().Context(), principalOf(c), id)
	if err != nil {
		return err
	}
	return sendDocument(c, d)
}

func (a *App) renderInvoiceReturn(c echo.Context, status int, id int64, in invoice.ReturnInput, formErr error) error {
	inv, _, err := a.svc.Invoices.Get(c.Request().Context(), principalOf(c), id)
	if err != nil {
		return err
	}
	if formErr == nil && !inv.Returnable() {
		formErr = apperr.Conflict("invoice.err.not_returnable")
		status = http.StatusConflict
	}
	vm := billingview.InvoiceReturnVM{Inv: inv, Input: in, Errors: map[string]string{}}
	if formErr != nil {
		vm.Errors, vm.Summary, vm.SummaryArgs = formErrors(formErr)
	}
	return render(c, status, billingview.InvoiceReturn(vm))
}

func (a *App) invoiceReturnForm(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return a.renderInvoiceReturn(c, http.StatusOK, id, invoice.ReturnInput{}, nil)
}

func (a *App) invoiceReturn(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	in := invoice.ReturnInput{Reason: c.FormValue("reason"), Courier: c.FormValue("courier"), TrackingNo: c.FormValue("tracking_no"),
		Remark: c.FormValue("remark")}
	err = a.svc.Invoices.RequestReturn(c.Request().Context(), principalOf(c), id, in)
	switch {
	case apperr.Is(err, apperr.KindInvalid):
		return a.renderInvoiceReturn(c, http.StatusUnprocessableEntity, id, in, err)
	case apperr.Is(err, apperr.KindConflict):
		return a.renderInvoiceReturn(c, http.StatusConflict, id, in, err)
	case err != nil:
		return err
	}
	return a.done(c, "/billing/invoices/"+strconv.FormatInt(id, 10), "invoice.return.done")
}

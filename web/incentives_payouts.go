package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/incentive"
	incview "partnercenter/views/incentives"
)

// incentivePayoutRoutes are 激励管理 (seed 003 §12.1.5.5–45; build-plan
// WP4; issue 13): 激励申请 (the confirmed bills' incentives, applied for in
// one 申付单 with a payout method) and 申请记录.
func (a *App) incentivePayoutRoutes() []Route {
	return []Route{
		get("/incentives/payouts", access.IncentivesPayoutView, a.incentivePayouts),
		post("/incentives/payouts", access.IncentivesPayoutApply, a.incentiveApply),
		post("/incentives/payouts/auto", access.IncentivesPayoutAuto, a.incentiveAutoApply),
		get("/incentives/payouts/applications", access.IncentivesPayoutView, a.incentiveApplications),
		get("/incentives/payouts/applications/:id/billing-list", access.IncentivesPayoutView, a.incentiveBillingList),
		get("/incentives/payouts/applications/:id/invoice-guide", access.IncentivesPayoutView, a.incentiveInvoiceGuide),
		post("/incentives/payouts/applications/:id/invoices", access.IncentivesPayoutApply, a.incentiveAddInvoice),
		post("/incentives/payouts/applications/:id/invoices/:invoice/delete", access.IncentivesPayoutApply, a.incentiveRemoveInvoice),
	}
}

func (a *App) renderPayouts(c echo.Context, status int, vm incview.PayoutsVM) error {
	page, err := a.svc.Incentive.Payouts(c.Request().Context(), principalOf(c))
	if err != nil {
		return err
	}
	vm.Page = page
	if vm.Settings, err = a.svc.Incentive.SettingsOf(c.Request().Context(), principalOf(c)); err != nil {
		return err
	}
	if vm.Key == "" {
		vm.Key = newIdemKey()
	}
	return render(c, status, incview.Payouts(vm))
}

func (a *App) incentivePayouts(c echo.Context) error {
	return a.renderPayouts(c, http.StatusOK, incview.PayoutsVM{})
}

// incentiveApply is 申请发放: the ticked incentives (the negatives always),
// the method, and the form's idempotency key.
func (a *App) incentiveApply(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	var ids []int64
	for _, v := range form["item"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 {
			ids = append(ids, id)
		}
	}
	method := choice(c.FormValue("method"), append([]string{""}, incentive.Methods...))
	key := c.FormValue("key")
	app, err := a.svc.Incentive.Apply(c.Request().Context(), principalOf(c), ids, method, key)
	if err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.renderPayouts(c, status, incview.PayoutsVM{Key: key, Method: method, Selected: ids, Summary: ae.MessageKey()})
	}
	return a.done(c, "/incentives/payouts/applications?no="+app.No, "incentive.flash.applied")
}

func (a *App) renderApplications(c echo.Context, status int, vm incview.ApplicationsVM) error {
	ctx := c.Request().Context()
	apps, err := a.svc.Incentive.Applications(ctx, principalOf(c))
	if err != nil {
		return err
	}
	ids := make([]int64, len(apps))
	for i := range apps {
		ids[i] = apps[i].ID
	}
	if vm.Items, err = a.svc.Incentive.ApplicationItems(ctx, ids); err != nil {
		return err
	}
	if vm.Invoices, err = a.svc.Incentive.Invoices(ctx, ids); err != nil {
		return err
	}
	if vm.Taxpayer, err = a.svc.Incentive.TaxpayerType(ctx, principalOf(c)); err != nil {
		return err
	}
	vm.Apps = apps
	if vm.Highlight == "" {
		vm.Highlight = c.QueryParam("no")
	}
	return render(c, status, incview.Applications(vm))
}

func (a *App) incentiveApplications(c echo.Context) error {
	return a.renderApplications(c, http.StatusOK, incview.ApplicationsVM{})
}

// incentiveAddInvoice is 录入发票: one invoice the partner issued for a
// 待开票 application; a refusal shows in place with the form kept.
func (a *App) incentiveAddInvoice(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	in := incentive.InvoiceInput{No: c.FormValue("invoice_no"), Amount: c.FormValue("amount"), Rate: c.FormValue("tax_rate"),
		Type: c.FormValue("type"), Content: c.FormValue("content")}
	if err := a.svc.Incentive.AddInvoice(c.Request().Context(), principalOf(c), id, in); err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.renderApplications(c, status, incview.ApplicationsVM{Failed: id, Form: in, Errors: ae.Fields, Summary: ae.Key, Args: ae.Args})
	}
	return a.done(c, "/incentives/payouts/applications#app-"+strconv.FormatInt(id, 10), "incentive.flash.invoice_added")
}

// incentiveRemoveInvoice deletes an invoice entered by mistake.
func (a *App) incentiveRemoveInvoice(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	inv, err := paramID(c, "invoice")
	if err != nil {
		return err
	}
	if err := a.svc.Incentive.RemoveInvoice(c.Request().Context(), principalOf(c), id, inv); err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.renderApplications(c, status, incview.ApplicationsVM{Failed: id, Summary: ae.Key, Args: ae.Args})
	}
	return a.done(c, "/incentives/payouts/applications#app-"+strconv.FormatInt(id, 10), "incentive.flash.invoice_removed")
}

// incentiveInvoiceGuide is 查看开票样例及开票注意事项 with 查看增值税发票模板
// (§12.1.5.10, §12.1.5.16–19, §12.1.5.27, §12.1.5.31–32, R54): what to
// invoice for this application, to whom, and how.
func (a *App) incentiveInvoiceGuide(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	g, err := a.svc.Incentive.InvoiceGuide(c.Request().Context(), principalOf(c), id)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, incview.InvoiceGuide(incview.InvoiceGuideVM{Guide: g}))
}

// incentiveBillingList is 查看开票清单: the PDF the partner prints, writes
// its invoice numbers on and posts with the invoice (§12.1.5.19).
func (a *App) incentiveBillingList(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	name, data, err := a.svc.Incentive.BillingList(c.Request().Context(), principalOf(c), id)
	if err != nil {
		return err
	}
	return sendPDF(c, name, data)
}

// incentiveAutoApply is the admin's 自动申请 switch with its default method.
func (a *App) incentiveAutoApply(c echo.Context) error {
	method := choice(c.FormValue("default_method"), []string{incentive.MethodAccount, incentive.MethodBank, incentive.MethodVoucherQuota})
	if err := a.svc.Incentive.SetAutoApply(c.Request().Context(), principalOf(c), c.FormValue("auto_apply") == "on", method); err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.renderPayouts(c, status, incview.PayoutsVM{Summary: ae.MessageKey()})
	}
	return a.done(c, "/incentives/payouts", "incentive.flash.auto_saved")
}

package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/incentive"
	incview "partnercenter/views/incentives"
)

// financeIncentiveRoutes are vendor finance's 激励付款 desk (build-plan
// WP4; issue 13): the 申付单 waiting for an invoice or a payment, their age
// against the 15-day promise (R36), 登记收票, 付款完成 and 驳回.
func (a *App) financeIncentiveRoutes() []Route {
	return []Route{
		get("/finance/incentives", access.VendorFinanceManage, a.payoutDesk),
		post("/finance/incentives/:id/invoice", access.VendorFinanceManage, a.payoutInvoice),
		post("/finance/incentives/:id/pay", access.VendorFinanceManage, a.payoutPay),
		post("/finance/incentives/:id/reject", access.VendorFinanceManage, a.payoutReject),
	}
}

func (a *App) renderPayoutDesk(c echo.Context, status int, vm incview.PayoutDeskVM) error {
	if vm.State == "" {
		vm.State = choice(c.QueryParam("state"), append([]string{""}, incentive.AppStates...))
	}
	rows, err := a.svc.Incentive.PayoutDesk(c.Request().Context(), principalOf(c), vm.State)
	if err != nil {
		return err
	}
	vm.Rows, vm.Now, vm.Key = rows, a.Clock.Now(), newIdemKey()
	ids := make([]int64, len(rows))
	for i := range rows {
		ids[i] = rows[i].ID
	}
	if vm.Invoices, err = a.svc.Incentive.Invoices(c.Request().Context(), ids); err != nil {
		return err
	}
	return render(c, status, incview.PayoutDesk(vm))
}

func (a *App) payoutDesk(c echo.Context) error {
	return a.renderPayoutDesk(c, http.StatusOK, incview.PayoutDeskVM{})
}

// payoutAction runs one desk action and shows a refusal in place.
func (a *App) payoutAction(c echo.Context, do func(id int64) error, toast string) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := do(id); err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.renderPayoutDesk(c, status, incview.PayoutDeskVM{Failed: id, Summary: ae.MessageKey(), Args: ae.Args})
	}
	return a.done(c, "/finance/incentives", toast)
}

func (a *App) payoutInvoice(c echo.Context) error {
	return a.payoutAction(c, func(id int64) error {
		return a.svc.Incentive.ReceiveInvoice(c.Request().Context(), principalOf(c), id)
	}, "incentive.flash.invoice_received")
}

func (a *App) payoutPay(c echo.Context) error {
	return a.payoutAction(c, func(id int64) error {
		return a.svc.Incentive.Pay(c.Request().Context(), principalOf(c), id, c.FormValue("payment_ref"), c.FormValue("key"))
	}, "incentive.flash.paid")
}

func (a *App) payoutReject(c echo.Context) error {
	return a.payoutAction(c, func(id int64) error {
		reason := c.FormValue("reason")
		if c.FormValue("preset") == "rate_mismatch" {
			reason = incentive.RateMismatchReason // §12.1.5.39
		}
		return a.svc.Incentive.RejectApplication(c.Request().Context(), principalOf(c), id, reason, c.FormValue("key"))
	}, "incentive.flash.app_rejected")
}

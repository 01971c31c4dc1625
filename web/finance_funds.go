package web

import (
	"net/http"
	"partnercenter/internal/access"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/funds"
	"partnercenter/internal/platform/apperr"
	billingview "partnercenter/views/billing"
	"partnercenter/views/components"
)

// financeFundsRoutes: vendor finance's 财务 > 充值确认 and 提现审核
// (seed 003 §12.1.3, §12.1.9.24).
func (a *App) financeFundsRoutes() []Route {
	return []Route{
		get("/finance/recharges", access.VendorFinanceManage, a.financeRecharges),
		post("/finance/recharges", access.VendorFinanceManage, a.financeRecharge),
		get("/finance/withdrawals", access.VendorFinanceManage, a.financePayouts),
		post("/finance/withdrawals/:id/pay", access.VendorFinanceManage, a.financePay),
		post("/finance/withdrawals/:id/reject", access.VendorFinanceManage, a.financeReject),
	}
}

// Vendor finance (财务): 充值确认 and 提现审核.

func (a *App) renderRecharges(c echo.Context, status int, in funds.RechargeInput, formErr error) error {
	q := c.QueryParam("q")
	page := queryInt(c, "page", 1)
	list, err := a.svc.Recharges.List(c.Request().Context(), principalOf(c), q, page)
	if err != nil {
		return err
	}
	if in.Key == "" {
		in.Key = newIdemKey()
	}
	if in.Source == "" {
		in.Source = funds.SourceBankTransfer
	}
	qs := c.QueryParams()
	qs.Del("page")
	vm := billingview.RechargesVM{Input: in, Errors: map[string]string{}, Q: q, List: list,
		Pager: components.Pager{Page: list.Page, PerPage: funds.PerPage, Total: list.Total, Query: qs, Path: "/finance/recharges", Target: "#recharge-table"}}
	if ae, ok := apperr.As(formErr); ok {
		vm.Summary = ae.Key
		if ae.Fields != nil {
			vm.Errors = ae.Fields
		}
	}
	return render(c, status, billingview.Recharges(vm))
}

func (a *App) financeRecharges(c echo.Context) error {
	return a.renderRecharges(c, http.StatusOK, funds.RechargeInput{}, nil)
}

func (a *App) financeRecharge(c echo.Context) error {
	in := funds.RechargeInput{AccountNo: c.FormValue("account_no"), Amount: c.FormValue("amount"), Source: c.FormValue("source"),
		PayerName: c.FormValue("payer_name"), Reference: c.FormValue("reference"), Key: c.FormValue("key")}
	_, err := a.svc.Recharges.Confirm(c.Request().Context(), principalOf(c), in)
	if apperr.Is(err, apperr.KindInvalid) {
		return a.renderRecharges(c, http.StatusUnprocessableEntity, in, err)
	}
	if apperr.Is(err, apperr.KindConflict) {
		in.Key = ""
		return a.renderRecharges(c, http.StatusConflict, in, err)
	}
	if err != nil {
		return err
	}
	return a.done(c, "/finance/recharges", "billing.recharges.done")
}

func (a *App) financePayouts(c echo.Context) error {
	status := c.QueryParam("status")
	page := queryInt(c, "page", 1)
	rows, total, err := a.svc.Payouts.List(c.Request().Context(), principalOf(c), status, page)
	if err != nil {
		return err
	}
	q := c.QueryParams()
	q.Del("page")
	return render(c, http.StatusOK, billingview.Payouts(billingview.PayoutsVM{Status: status, Rows: rows,
		Pager: components.Pager{Page: page, PerPage: funds.PerPage, Total: total, Query: q, Path: "/finance/withdrawals", Target: "#withdrawal-table"}}))
}

func (a *App) financePay(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := a.svc.Payouts.Pay(c.Request().Context(), principalOf(c), id); err != nil {
		return err
	}
	return a.done(c, "/finance/withdrawals", "billing.payouts.paid")
}

func (a *App) financeReject(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := a.svc.Payouts.Reject(c.Request().Context(), principalOf(c), id, c.FormValue("reason")); err != nil {
		return err
	}
	return a.done(c, "/finance/withdrawals", "billing.payouts.rejected")
}

package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/billing"
	"partnercenter/internal/platform/apperr"
	billingview "partnercenter/views/billing"
	"partnercenter/views/components"
)

// Vendor finance (财务): 充值确认 and 提现审核.

func (a *App) renderRecharges(c echo.Context, status int, in billing.RechargeInput, formErr error) error {
	q := c.QueryParam("q")
	page := queryInt(c, "page", 1)
	list, err := billing.Recharges{DB: a.DB, Clock: a.Clock}.List(c.Request().Context(), q, page)
	if err != nil {
		return err
	}
	if in.Key == "" {
		in.Key = newIdemKey()
	}
	if in.Source == "" {
		in.Source = billing.SourceBankTransfer
	}
	qs := c.QueryParams()
	qs.Del("page")
	vm := billingview.RechargesVM{Input: in, Errors: map[string]string{}, Q: q, List: list,
		Pager: components.Pager{Page: list.Page, PerPage: billing.PerPage, Total: list.Total, Query: qs, Path: "/finance/recharges", Target: "#recharge-table"}}
	if ae, ok := apperr.As(formErr); ok {
		vm.Summary = ae.Key
		if ae.Fields != nil {
			vm.Errors = ae.Fields
		}
	}
	return render(c, status, billingview.Recharges(vm))
}

func (a *App) financeRecharges(c echo.Context) error {
	return a.renderRecharges(c, http.StatusOK, billing.RechargeInput{}, nil)
}

func (a *App) financeRecharge(c echo.Context) error {
	in := billing.RechargeInput{AccountNo: c.FormValue("account_no"), Amount: c.FormValue("amount"), Source: c.FormValue("source"),
		PayerName: c.FormValue("payer_name"), Reference: c.FormValue("reference"), Key: c.FormValue("key")}
	_, err := billing.Recharges{DB: a.DB, Clock: a.Clock}.Confirm(c.Request().Context(), principalOf(c).UserID, in)
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
	rows, total, err := billing.Payouts{DB: a.DB, Clock: a.Clock}.List(c.Request().Context(), status, page)
	if err != nil {
		return err
	}
	q := c.QueryParams()
	q.Del("page")
	return render(c, http.StatusOK, billingview.Payouts(billingview.PayoutsVM{Status: status, Rows: rows,
		Pager: components.Pager{Page: page, PerPage: billing.PerPage, Total: total, Query: q, Path: "/finance/withdrawals", Target: "#withdrawal-table"}}))
}

func (a *App) financePay(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := (billing.Payouts{DB: a.DB, Clock: a.Clock}).Pay(c.Request().Context(), principalOf(c).UserID, id); err != nil {
		return err
	}
	return a.done(c, "/finance/withdrawals", "billing.payouts.paid")
}

func (a *App) financeReject(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := (billing.Payouts{DB: a.DB, Clock: a.Clock}).Reject(c.Request().Context(), principalOf(c).UserID, id, c.FormValue("reason")); err != nil {
		return err
	}
	return a.done(c, "/finance/withdrawals", "billing.payouts.rejected")
}

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
	}
}

func (a *App) renderPayouts(c echo.Context, status int, vm incview.PayoutsVM) error {
	items, certified, err := a.svc.Incentive.PendingItems(c.Request().Context(), principalOf(c))
	if err != nil {
		return err
	}
	vm.Items, vm.Certified = items, certified
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

func (a *App) incentiveApplications(c echo.Context) error {
	ctx := c.Request().Context()
	apps, err := a.svc.Incentive.Applications(ctx, principalOf(c))
	if err != nil {
		return err
	}
	ids := make([]int64, len(apps))
	for i := range apps {
		ids[i] = apps[i].ID
	}
	items, err := a.svc.Incentive.ApplicationItems(ctx, ids)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, incview.Applications(incview.ApplicationsVM{Apps: apps, Items: items, Highlight: c.QueryParam("no")}))
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
	method := choice(c.FormValue("default_method"), []string{incentive.MethodAccount, incentive.MethodBank})
	if err := a.svc.Incentive.SetAutoApply(c.Request().Context(), principalOf(c), c.FormValue("auto_apply") == "on", method); err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.renderPayouts(c, status, incview.PayoutsVM{Summary: ae.MessageKey()})
	}
	return a.done(c, "/incentives/payouts", "incentive.flash.auto_saved")
}

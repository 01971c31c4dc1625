package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/incentive"
	"partnercenter/internal/performance"
	incview "partnercenter/views/incentives"
)

// partnerIncentiveRoutes are the vendor's side of 激励 (build-plan 3.B,
// 3.C; issue 12): 激励公示 (publish the partners' 预估 bills with an end
// date, then the final bill for 确认对账), the incentive policies of each
// year, and the indicator definitions they read.
func (a *App) partnerIncentiveRoutes() []Route {
	return []Route{
		get("/partners/incentives", access.VendorIncentivesManage, a.incentiveDesk),
		get("/partners/incentives/:id", access.VendorIncentivesManage, a.incentiveDeskBill),
		post("/partners/incentives/:id/publish", access.VendorIncentivesManage, a.incentivePublish),
		post("/partners/incentives/:id/finalize", access.VendorIncentivesManage, a.incentiveFinalize),
		get("/partners/incentive-policies", access.VendorPoliciesManage, a.incentivePolicies),
		post("/partners/incentive-policies", access.VendorPoliciesManage, a.incentivePolicyCreate),
		post("/partners/incentive-policies/:id/active", access.VendorPoliciesManage, a.incentivePolicyActive),
		get("/partners/indicator-definitions", access.VendorPoliciesManage, a.indicatorDefinitions),
		post("/partners/indicator-definitions", access.VendorPoliciesManage, a.indicatorDefinitionCreate),
		post("/partners/indicator-definitions/:id/active", access.VendorPoliciesManage, a.indicatorDefinitionActive),
	}
}

func (a *App) renderIncentiveDesk(c echo.Context, status int, vm incview.IncentiveDeskVM) error {
	if vm.State == "" {
		vm.State = choice(c.QueryParam("state"), append([]string{""}, incentive.States...))
	}
	rows, err := a.svc.Incentive.Desk(c.Request().Context(), principalOf(c), vm.State)
	if err != nil {
		return err
	}
	vm.Rows = rows
	return render(c, status, incview.IncentiveDesk(vm))
}

func (a *App) incentiveDesk(c echo.Context) error {
	return a.renderIncentiveDesk(c, http.StatusOK, incview.IncentiveDeskVM{})
}

// incentiveDeskBill is a bill's 核算过程 as the vendor sees it.
func (a *App) incentiveDeskBill(c echo.Context) error {
	v, err := a.svc.Incentive.Bill(c.Request().Context(), principalOf(c), c.Param("id"))
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, incview.Bill(incview.BillVM{V: v, Vendor: true}))
}

func (a *App) incentivePublish(c echo.Context) error {
	id := c.Param("id")
	if err := a.svc.Incentive.Publish(c.Request().Context(), principalOf(c), id, c.FormValue("ends_on")); err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.renderIncentiveDesk(c, status, incview.IncentiveDeskVM{Failed: id, Summary: ae.MessageKey()})
	}
	return a.done(c, "/partners/incentives?state="+incentive.StatePublicity, "incentive.flash.published")
}

func (a *App) incentiveFinalize(c echo.Context) error {
	id := c.Param("id")
	if err := a.svc.Incentive.Finalize(c.Request().Context(), principalOf(c), id); err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.renderIncentiveDesk(c, status, incview.IncentiveDeskVM{Failed: id, Summary: ae.MessageKey()})
	}
	return a.done(c, "/partners/incentives?state="+incentive.StatePending, "incentive.flash.finalized")
}

func (a *App) renderPolicies(c echo.Context, status int, vm incview.PoliciesVM) error {
	ctx := c.Request().Context()
	pols, err := a.svc.Incentive.Policies(ctx, principalOf(c))
	if err != nil {
		return err
	}
	defs, err := a.svc.Performance.AllDefinitions(ctx, principalOf(c))
	if err != nil {
		return err
	}
	vm.Policies, vm.Definitions = pols, defs
	return render(c, status, incview.Policies(vm))
}

func (a *App) incentivePolicies(c echo.Context) error {
	return a.renderPolicies(c, http.StatusOK, incview.PoliciesVM{})
}

func (a *App) incentivePolicyCreate(c echo.Context) error {
	in := incentive.PolicyInput{Year: c.FormValue("year"), Name: c.FormValue("name"),
		Kind:        choice(c.FormValue("kind"), []string{incentive.KindGrowth, incentive.KindThreshold}),
		Eligibility: choice(c.FormValue("eligibility"), []string{incentive.EligibleLeveled, incentive.EligibleAll}),
		MinGrowth:   c.FormValue("min_growth"), Tiers: c.FormValue("tiers")}
	in.ThresholdDefinitionID, _ = strconv.ParseInt(c.FormValue("threshold_definition_id"), 10, 64)
	in.BaseDefinitionID, _ = strconv.ParseInt(c.FormValue("base_definition_id"), 10, 64)
	if _, err := a.svc.Incentive.CreatePolicy(c.Request().Context(), principalOf(c), in); err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.renderPolicies(c, status, incview.PoliciesVM{Form: in, Errors: ae.Fields, Summary: ae.Key})
	}
	return a.done(c, "/partners/incentive-policies", "incentive.flash.policy_created")
}

func (a *App) incentivePolicyActive(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := a.svc.Incentive.SetPolicyActive(c.Request().Context(), principalOf(c), id, c.FormValue("active") == "true"); err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.renderPolicies(c, status, incview.PoliciesVM{Summary: ae.Key})
	}
	return a.done(c, "/partners/incentive-policies", "incentive.flash.policy_saved")
}

func (a *App) renderDefinitions(c echo.Context, status int, vm incview.DefinitionsVM) error {
	defs, err := a.svc.Performance.AllDefinitions(c.Request().Context(), principalOf(c))
	if err != nil {
		return err
	}
	vm.Definitions = defs
	return render(c, status, incview.Definitions(vm))
}

func (a *App) indicatorDefinitions(c echo.Context) error {
	return a.renderDefinitions(c, http.StatusOK, incview.DefinitionsVM{})
}

func (a *App) indicatorDefinitionCreate(c echo.Context) error {
	in := performance.DefinitionInput{Name: c.FormValue("name"), Scope: c.FormValue("scope"),
		Cycle:       choice(c.FormValue("cycle"), []string{performance.CycleYear, performance.CycleQuarter, performance.CycleMonth}),
		Dimension:   choice(c.FormValue("dimension"), []string{performance.DimensionPartner, performance.DimensionCustomer}),
		Kind:        choice(c.FormValue("kind"), []string{performance.KindThreshold, performance.KindBase, performance.KindDerived}),
		ProductType: c.FormValue("product_type")}
	in.DerivedFrom, _ = strconv.ParseInt(c.FormValue("derived_from"), 10, 64)
	if _, err := a.svc.Performance.CreateDefinition(c.Request().Context(), principalOf(c), in); err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.renderDefinitions(c, status, incview.DefinitionsVM{Form: in, Errors: ae.Fields, Summary: ae.Key})
	}
	return a.done(c, "/partners/indicator-definitions", "indicator.flash.created")
}

func (a *App) indicatorDefinitionActive(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := a.svc.Performance.SetDefinitionActive(c.Request().Context(), principalOf(c), id, c.FormValue("active") == "true"); err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.renderDefinitions(c, status, incview.DefinitionsVM{Summary: ae.Key})
	}
	return a.done(c, "/partners/indicator-definitions", "indicator.flash.saved")
}

package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/benefit"
	benefitview "partnercenter/views/benefits"
)

// partnerBenefitRoutes are the vendor administrator's 权益政策 (yearly caps
// by benefit and tier) and 权益发放 (审核通过 → 权益已发放) (build-plan 6.E;
// issue 15).
func (a *App) partnerBenefitRoutes() []Route {
	return []Route{
		get("/partners/benefit-policies", access.VendorBenefitsManage, a.benefitPolicies),
		post("/partners/benefit-policies", access.VendorBenefitsManage, a.benefitPolicySave),
		get("/partners/benefits", access.VendorBenefitsManage, a.benefitQueue),
		post("/partners/benefits/:id/issue", access.VendorBenefitsManage, a.benefitIssue),
	}
}

func (a *App) renderBenefitPolicies(c echo.Context, status int, vm benefitview.PoliciesVM) error {
	if vm.Year == 0 {
		vm.Year = a.yearNow()
		if y, err := strconv.Atoi(c.QueryParam("year")); err == nil && y >= 2020 && y <= 2100 {
			vm.Year = y
		}
	}
	ps, err := a.svc.Benefits.Policies(c.Request().Context(), principalOf(c), vm.Year)
	if err != nil {
		return err
	}
	vm.Policies = ps
	if vm.Errors == nil {
		vm.Errors = map[string]string{}
	}
	return render(c, status, benefitview.Policies(vm))
}

func (a *App) benefitPolicies(c echo.Context) error {
	return a.renderBenefitPolicies(c, http.StatusOK, benefitview.PoliciesVM{In: benefit.PolicyInput{Type: benefit.TypeTestVoucher}})
}

func (a *App) benefitPolicySave(c echo.Context) error {
	year, _ := strconv.Atoi(c.FormValue("year"))
	in := benefit.PolicyInput{Year: year, Type: c.FormValue("type"), Tier: c.FormValue("tier"), Cap: c.FormValue("cap"), Notes: c.FormValue("notes")}
	if err := a.svc.Benefits.SavePolicy(c.Request().Context(), principalOf(c), in); err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		if year < 2020 || year > 2100 {
			year = a.yearNow()
		}
		return a.renderBenefitPolicies(c, status, benefitview.PoliciesVM{Year: year, In: in, Errors: ae.Fields, Summary: ae.MessageKey()})
	}
	return a.done(c, "/partners/benefit-policies?year="+strconv.Itoa(year), "benefit.flash.policy_saved")
}

func (a *App) benefitQueue(c echo.Context) error {
	status := c.QueryParam("status")
	if status == "" {
		status = benefit.StateApproved
	}
	rows, err := a.svc.Benefits.Queue(c.Request().Context(), principalOf(c), status)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, benefitview.Queue(benefitview.QueueVM{Status: status, Rows: rows}))
}

func (a *App) benefitIssue(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, err := a.svc.Benefits.Issue(c.Request().Context(), principalOf(c), id); err != nil {
		ae, _, ok := failedStatus(err)
		if !ok {
			return err
		}
		a.flash(c, "error", ae.MessageKey())
		return a.seeOther(c, "/partners/benefits")
	}
	return a.done(c, "/partners/benefits?status=issued", "benefit.flash.issued")
}

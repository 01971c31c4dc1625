package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/benefit"
	benefitview "partnercenter/views/benefits"
)

// benefitRoutes are 权益 (seed 003 §10.1–§10.4; build-plan 6.E–6.H; issue
// 15): 权益申请 with each benefit's standing, the 测试券, 考试券 and 云实验
// forms, and 申请记录 with the vouchers issued.
func (a *App) benefitRoutes() []Route {
	return []Route{
		get("/benefits", access.BenefitsView, a.benefitHome),
		get("/benefits/test-voucher/new", access.BenefitsApply, a.testVoucherNew),
		post("/benefits/test-voucher", access.BenefitsApply, a.testVoucherApply),
		get("/benefits/exam-voucher/new", access.BenefitsApply, a.personsNew(benefit.TypeExamVoucher)),
		post("/benefits/exam-voucher", access.BenefitsApply, a.personsApply(benefit.TypeExamVoucher)),
		get("/benefits/cloud-lab/new", access.BenefitsApply, a.personsNew(benefit.TypeCloudLab)),
		post("/benefits/cloud-lab", access.BenefitsApply, a.personsApply(benefit.TypeCloudLab)),
		get("/benefits/applications", access.BenefitsView, a.benefitRecords),
	}
}

func (a *App) benefitHome(c echo.Context) error {
	st, err := a.svc.Benefits.Standings(c.Request().Context(), principalOf(c))
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, benefitview.Home(benefitview.HomeVM{Test: st[benefit.TypeTestVoucher], Exam: st[benefit.TypeExamVoucher],
		Lab: st[benefit.TypeCloudLab]}))
}

// renderPersons renders the 考试券 or 云实验 form with the standing and
// the linked persons (those without a bound e-mail shown, not selectable).
func (a *App) renderPersons(c echo.Context, typ string, status int, vm benefitview.PersonsVM) error {
	ctx := c.Request().Context()
	st, err := a.svc.Benefits.Standing(ctx, principalOf(c), typ)
	if err != nil {
		return err
	}
	if vm.Persons, err = a.svc.Benefits.Persons(ctx, principalOf(c)); err != nil {
		return err
	}
	vm.Type, vm.S = typ, st
	if vm.Errors == nil {
		vm.Errors = map[string]string{}
	}
	return render(c, status, benefitview.PersonsForm(vm))
}

func (a *App) personsNew(typ string) echo.HandlerFunc {
	return func(c echo.Context) error { return a.renderPersons(c, typ, http.StatusOK, benefitview.PersonsVM{}) }
}

func (a *App) personsApply(typ string) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := c.Request().ParseForm(); err != nil {
			return err
		}
		in := benefit.PersonsInput{Exam: c.FormValue("exam"), Points: c.FormValue("points"), Persons: c.Request().PostForm["persons"],
			Reason: c.FormValue("reason")}
		if _, err := a.svc.Benefits.ApplyForPersons(c.Request().Context(), principalOf(c), typ, in); err != nil {
			ae, status, ok := failedStatus(err)
			if !ok {
				return err
			}
			return a.renderPersons(c, typ, status, benefitview.PersonsVM{In: in, Errors: ae.Fields, Summary: ae.MessageKey(), Args: ae.Args})
		}
		return a.done(c, "/benefits/applications", "benefit.flash.submitted")
	}
}

func (a *App) renderTestVoucher(c echo.Context, status int, vm benefitview.FormVM) error {
	st, err := a.svc.Benefits.Standing(c.Request().Context(), principalOf(c), benefit.TypeTestVoucher)
	if err != nil {
		return err
	}
	vm.S = st
	if vm.Errors == nil {
		vm.Errors = map[string]string{}
	}
	return render(c, status, benefitview.TestVoucherForm(vm))
}

func (a *App) testVoucherNew(c echo.Context) error {
	return a.renderTestVoucher(c, http.StatusOK, benefitview.FormVM{})
}

func (a *App) testVoucherApply(c echo.Context) error {
	in := benefit.TestVoucherInput{Solution: c.FormValue("solution"), Amount: c.FormValue("amount"), Reason: c.FormValue("reason"),
		Resources: c.FormValue("resources"), StartOn: c.FormValue("start_on"), EndOn: c.FormValue("end_on"),
		Acknowledged: c.FormValue("acknowledged") == "on"}
	uploads, err := readUploads(c, "material", 5)
	if err == nil {
		_, err = a.svc.Benefits.ApplyTestVoucher(c.Request().Context(), principalOf(c), in, uploads)
	}
	if err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.renderTestVoucher(c, status, benefitview.FormVM{In: in, Errors: ae.Fields, Summary: ae.MessageKey(), Args: ae.Args})
	}
	return a.done(c, "/benefits/applications", "benefit.flash.submitted")
}

func (a *App) benefitRecords(c echo.Context) error {
	apps, vouchers, err := a.svc.Benefits.Records(c.Request().Context(), principalOf(c))
	if err != nil {
		return err
	}
	persons, err := a.svc.Benefits.PersonVouchersOf(c.Request().Context(), principalOf(c), apps)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, benefitview.Records(benefitview.RecordsVM{Apps: apps, Vouchers: vouchers, Persons: persons, Now: a.Clock.Now()}))
}

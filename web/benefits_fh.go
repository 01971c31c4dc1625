package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/fh"
	"partnercenter/internal/platform/clock"
	fhview "partnercenter/views/fh"
)

// fhRoutes are 权益 > 专职人员激励 (seed 003 §10.6; build-plan 7.C; issue
// 16), a tab per variant (?variant=, a form's variant field): the
// programme the vendor invited the partner to, or the partner's
// application (a 2025 scenario, the SI programme); joined by the main
// account with the compliance points; the funded persons (2024), passed
// standards (2025), experts and gradings (SI) or lecturers (LP); the
// monthly applications (an LP month with its lecturers' funds and proofs);
// the quarterly payment applications.
func (a *App) fhRoutes() []Route {
	return []Route{
		get("/benefits/fh", access.BenefitsView, a.fhPage),
		post("/benefits/fh/apply", access.BenefitsApply, a.fhApply),
		post("/benefits/fh/join", access.BenefitsApply, a.fhJoin),
		post("/benefits/fh/persons", access.BenefitsApply, a.fhSavePerson),
		post("/benefits/fh/persons/:id/remove", access.BenefitsApply, a.fhRemovePerson),
		post("/benefits/fh/months", access.BenefitsApply, a.fhSubmitMonth),
		post("/benefits/fh/payments", access.BenefitsApply, a.fhApplyPayment),
	}
}

// fhVariant is the tab asked for (the 2024 programme by default).
func fhVariant(c echo.Context) string {
	if v := c.FormValue("variant"); v != "" {
		return v
	}
	return fh.Service2024
}

func (a *App) renderFH(c echo.Context, status int, vm fhview.PageVM) error {
	page, err := a.svc.FH.PageOf(c.Request().Context(), principalOf(c), fhVariant(c))
	if err != nil {
		return err
	}
	vm.P = page
	if vm.Month == "" {
		vm.Month = a.Clock.Now().In(clock.China).Format("2006-01")
	}
	if vm.Errors == nil {
		vm.Errors = map[string]string{}
	}
	return render(c, status, fhview.Page(vm))
}

func (a *App) fhPage(c echo.Context) error { return a.renderFH(c, http.StatusOK, fhview.PageVM{}) }

// fhAction runs one of the page's actions and shows a refusal on it,
// with the month typed (the person form's values are the select's).
func (a *App) fhAction(c echo.Context, do func() error, toast string) error {
	if err := do(); err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		form, _ := c.FormParams()
		return a.renderFH(c, status, fhview.PageVM{Errors: ae.Fields, Summary: ae.MessageKey(), Args: ae.Args, Month: c.FormValue("month"),
			Role: c.FormValue("role"), City: c.FormValue("city"), Typed: form})
	}
	return a.done(c, fh.PagePath(fhVariant(c)), toast)
}

func (a *App) fhApply(c echo.Context) error {
	return a.fhAction(c, func() error {
		_, err := a.svc.FH.Apply(c.Request().Context(), principalOf(c), fhVariant(c), c.FormValue("scenario"))
		return err
	}, "fh.flash.applied")
}

func (a *App) fhJoin(c echo.Context) error {
	return a.fhAction(c, func() error {
		form, err := c.FormParams()
		if err != nil {
			return err
		}
		return a.svc.FH.Join(c.Request().Context(), principalOf(c), fhVariant(c), form["compliance"])
	}, "fh.flash.joined")
}

func (a *App) fhSavePerson(c echo.Context) error {
	return a.fhAction(c, func() error {
		id, _ := strconv.ParseInt(c.FormValue("person_id"), 10, 64)
		return a.svc.FH.SavePerson(c.Request().Context(), principalOf(c), fh.PersonInput{PersonID: id, Role: c.FormValue("role"),
			City: c.FormValue("city")})
	}, "fh.flash.person_saved")
}

func (a *App) fhRemovePerson(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return a.fhAction(c, func() error { return a.svc.FH.RemovePerson(c.Request().Context(), principalOf(c), id) }, "fh.flash.person_removed")
}

// fhSubmitMonth takes an LP month's rows as lecturer (the person ids
// listed) with fund_<id>, days_<id> and satisfaction_<id>, and the proofs
// as files.
func (a *App) fhSubmitMonth(c echo.Context) error {
	return a.fhAction(c, func() error {
		in := fh.MonthInput{Variant: fhVariant(c), Month: c.FormValue("month")}
		form, err := c.FormParams()
		if err != nil {
			return err
		}
		for _, v := range form["lecturer"] {
			id, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				continue
			}
			in.Lecturers = append(in.Lecturers, fh.LecturerInput{PersonID: id, Fund: form.Get("fund_" + v), ClassDays: form.Get("days_" + v),
				Satisfaction: form.Get("satisfaction_" + v)})
		}
		if in.Materials, err = readUploads(c, "files", fh.MaxMaterials); err != nil {
			return err
		}
		_, err = a.svc.FH.SubmitMonth(c.Request().Context(), principalOf(c), in)
		return err
	}, "fh.flash.month_submitted")
}

func (a *App) fhApplyPayment(c echo.Context) error {
	return a.fhAction(c, func() error {
		_, err := a.svc.FH.ApplyPayment(c.Request().Context(), principalOf(c), fhVariant(c), c.FormValue("quarter"))
		return err
	}, "fh.flash.payment_applied")
}

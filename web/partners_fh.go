package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/fh"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	fhview "partnercenter/views/fh"
)

// partnerFHRoutes are the vendor's FH page (build-plan 7.C; issue 16):
// FH is by invitation (§10.6.1.1); vendor staff invite the partners they
// see, and set an LP programme's monthly regional limit (§10.6.4.6). The
// 2025 capability building's page keeps the scenarios' tiers and
// standards (the vendor administrator's policy) and the appraisals the
// ecosystem managers record (§10.6.2.6–10.6.2.7); the SI page the
// ecosystem managers' gradings of presales experts (§10.6.3.6–10.6.3.7).
func (a *App) partnerFHRoutes() []Route {
	return []Route{
		get("/partners/fh", access.VendorPartnersView, a.fhVendor),
		post("/partners/fh/invite", access.VendorPartnersView, a.fhInvite),
		post("/partners/fh/:id/end", access.VendorPartnersView, a.fhEnd),
		post("/partners/fh/:id/limit", access.VendorPartnersView, a.fhSetLimit),
		get("/partners/fh/capability", access.VendorPartnersView, a.fhCapability),
		post("/partners/fh/tiers", access.VendorBenefitsManage, a.fhSetTier),
		post("/partners/fh/standards", access.VendorBenefitsManage, a.fhAddStandard),
		post("/partners/fh/standards/:id/retire", access.VendorBenefitsManage, a.fhRetireStandard),
		post("/partners/fh/appraisals", access.VendorPartnersView, a.fhRecordAppraisal),
		get("/partners/fh/presales", access.VendorPartnersView, a.fhPresales),
		post("/partners/fh/gradings", access.VendorPartnersView, a.fhRecordGrading),
	}
}

func (a *App) renderFHVendor(c echo.Context, status int, vm fhview.VendorVM) error {
	ctx := c.Request().Context()
	var err error
	if vm.Programs, err = a.svc.FH.Programs(ctx, principalOf(c)); err != nil {
		return err
	}
	if vm.Partners, err = a.svc.Directory.Choices(ctx, principalOf(c)); err != nil {
		return err
	}
	if vm.Errors == nil {
		vm.Errors = map[string]string{}
	}
	return render(c, status, fhview.Vendor(vm))
}

func (a *App) fhVendor(c echo.Context) error {
	return a.renderFHVendor(c, http.StatusOK, fhview.VendorVM{})
}

func (a *App) fhInvite(c echo.Context) error {
	id, _ := strconv.ParseInt(c.FormValue("partner_id"), 10, 64)
	if err := a.svc.FH.Invite(c.Request().Context(), principalOf(c), id, c.FormValue("variant"), c.FormValue("scenario")); err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.renderFHVendor(c, status, fhview.VendorVM{Errors: ae.Fields, Summary: ae.MessageKey(), Partner: c.FormValue("partner_id"),
			Variant: c.FormValue("variant"), Scenario: c.FormValue("scenario")})
	}
	return a.done(c, "/partners/fh", "fh.flash.invited")
}

func (a *App) fhEnd(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := a.svc.FH.End(c.Request().Context(), principalOf(c), id, c.FormValue("reason")); err != nil {
		msg, status, ok := failedSummary(err, "reason")
		if !ok {
			return err
		}
		return a.renderFHVendor(c, status, fhview.VendorVM{Summary: msg})
	}
	return a.done(c, "/partners/fh", "fh.flash.ended")
}

func (a *App) fhSetLimit(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := a.svc.FH.SetLimit(c.Request().Context(), principalOf(c), id, c.FormValue("limit")); err != nil {
		msg, status, ok := failedSummary(err, "limit")
		if !ok {
			return err
		}
		return a.renderFHVendor(c, status, fhview.VendorVM{Summary: msg, Failed: id, Limit: c.FormValue("limit")})
	}
	return a.done(c, "/partners/fh", "fh.flash.limit_saved")
}

func (a *App) renderFHCapability(c echo.Context, status int, vm fhview.CapabilityVM) error {
	var err error
	if vm.A, err = a.svc.FH.Capability(c.Request().Context(), principalOf(c)); err != nil {
		return err
	}
	if vm.Errors == nil {
		vm.Errors = map[string]string{}
	}
	if vm.PassedOn == "" {
		vm.PassedOn = a.Clock.Now().In(clock.China).Format(time.DateOnly)
	}
	return render(c, status, fhview.Capability(vm))
}

func (a *App) fhCapability(c echo.Context) error {
	return a.renderFHCapability(c, http.StatusOK, fhview.CapabilityVM{})
}

// fhCapabilityAction runs one of the 2025 page's forms and shows a
// refusal on the form it came from, with what was typed.
func (a *App) fhCapabilityAction(c echo.Context, form string, do func() error, toast string) error {
	if err := do(); err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.renderFHCapability(c, status, fhview.CapabilityVM{Form: form, Errors: ae.Fields, Summary: ae.MessageKey(),
			Scenario: c.FormValue("scenario"), Name: c.FormValue("name"), PassedOn: c.FormValue("passed_on"), Choice: c.FormValue("choice"),
			StandardID: c.FormValue("standard_id")})
	}
	return a.done(c, "/partners/fh/capability", toast)
}

func (a *App) fhSetTier(c echo.Context) error {
	return a.fhCapabilityAction(c, "tier", func() error {
		tier, _ := strconv.ParseInt(c.FormValue("tier"), 10, 16)
		return a.svc.FH.SetTier(c.Request().Context(), principalOf(c), c.FormValue("scenario"), int16(tier))
	}, "fh.flash.tier_saved")
}

func (a *App) fhAddStandard(c echo.Context) error {
	return a.fhCapabilityAction(c, "standard", func() error {
		return a.svc.FH.AddStandard(c.Request().Context(), principalOf(c), c.FormValue("scenario"), c.FormValue("name"))
	}, "fh.flash.standard_added")
}

func (a *App) fhRetireStandard(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return a.fhCapabilityAction(c, "", func() error { return a.svc.FH.RetireStandard(c.Request().Context(), principalOf(c), id) },
		"fh.flash.standard_retired")
}

// fhRecordAppraisal takes the person as "programme:person" (one select
// lists every joined programme's specialists).
func (a *App) fhRecordAppraisal(c echo.Context) error {
	return a.fhCapabilityAction(c, "appraisal", func() error {
		var in fh.AppraisalInput
		prog, person, _ := strings.Cut(c.FormValue("choice"), ":")
		in.ProgramID, _ = strconv.ParseInt(prog, 10, 64)
		in.PersonID, _ = strconv.ParseInt(person, 10, 64)
		in.StandardID, _ = strconv.ParseInt(c.FormValue("standard_id"), 10, 64)
		in.PassedOn = c.FormValue("passed_on")
		if in.ProgramID == 0 {
			return apperr.FieldError("person_id", "fh.err.not_specialist")
		}
		return a.svc.FH.RecordAppraisal(c.Request().Context(), principalOf(c), in)
	}, "fh.flash.appraisal_recorded")
}

func (a *App) renderFHPresales(c echo.Context, status int, vm fhview.PresalesVM) error {
	var err error
	if vm.A, err = a.svc.FH.Presales(c.Request().Context(), principalOf(c)); err != nil {
		return err
	}
	if vm.Errors == nil {
		vm.Errors = map[string]string{}
	}
	if vm.GradedOn == "" {
		vm.GradedOn = a.Clock.Now().In(clock.China).Format(time.DateOnly)
	}
	return render(c, status, fhview.Presales(vm))
}

func (a *App) fhPresales(c echo.Context) error {
	return a.renderFHPresales(c, http.StatusOK, fhview.PresalesVM{})
}

// fhRecordGrading takes the person as "programme:person" like the
// appraisal form.
func (a *App) fhRecordGrading(c echo.Context) error {
	in := fh.GradingInput{Level: c.FormValue("level"), ProjectCode: c.FormValue("project_code"), ProjectName: c.FormValue("project_name"),
		Customer: c.FormValue("customer"), Currency: c.FormValue("currency"), Cash: c.FormValue("cash"), StartMonth: c.FormValue("start_month"),
		GradedOn: c.FormValue("graded_on"), WrittenExam: c.FormValue("written_exam") == "1"}
	prog, person, _ := strings.Cut(c.FormValue("choice"), ":")
	in.ProgramID, _ = strconv.ParseInt(prog, 10, 64)
	in.PersonID, _ = strconv.ParseInt(person, 10, 64)
	if err := a.svc.FH.RecordGrading(c.Request().Context(), principalOf(c), in); err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.renderFHPresales(c, status, fhview.PresalesVM{Errors: ae.Fields, Summary: ae.MessageKey(), In: in, Choice: c.FormValue("choice"),
			GradedOn: in.GradedOn})
	}
	return a.done(c, "/partners/fh/presales", "fh.flash.grading_recorded")
}

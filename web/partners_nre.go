package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/files"
	"partnercenter/internal/nre"
	nreview "partnercenter/views/nre"
)

// partnerNRERoutes are the vendor's NRE page (build-plan 7.B; issue 16):
// vendor staff record the partners' ecosystem special solutions and their
// flags and upload the signed agreements; the vendor administrator reviews
// them (协议复核).
func (a *App) partnerNRERoutes() []Route {
	return []Route{
		get("/partners/nre", access.VendorPartnersView, a.nreVendor),
		post("/partners/nre/solutions", access.VendorPartnersView, a.nreSaveSolution),
		post("/partners/nre/:id/agreement", access.VendorPartnersView, a.nreAgreement),
		post("/partners/nre/:id/agreement/confirm", access.VendorBenefitsManage, a.nreReviewAgreement(true)),
		post("/partners/nre/:id/agreement/return", access.VendorBenefitsManage, a.nreReviewAgreement(false)),
	}
}

func (a *App) renderNREVendor(c echo.Context, status int, vm nreview.VendorVM) error {
	ctx := c.Request().Context()
	page, err := a.svc.NRE.Vendor(ctx, principalOf(c))
	if err != nil {
		return err
	}
	if vm.Partners, err = a.svc.Directory.Choices(ctx, principalOf(c)); err != nil {
		return err
	}
	if vm.Errors == nil {
		vm.Errors = map[string]string{}
	}
	return render(c, status, nreview.Vendor(vm, page))
}

func (a *App) nreVendor(c echo.Context) error {
	return a.renderNREVendor(c, http.StatusOK, nreview.VendorVM{})
}

func (a *App) nreSaveSolution(c echo.Context) error {
	pid, _ := strconv.ParseInt(c.FormValue("partner_id"), 10, 64)
	in := nre.SolutionInput{Name: c.FormValue("name"), Programme: c.FormValue("programme"), AdmittedOn: c.FormValue("admitted_on"),
		Listed: c.FormValue("listed") == "on"}
	if _, err := a.svc.NRE.RecordSolution(c.Request().Context(), principalOf(c), pid, in); err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.renderNREVendor(c, status, nreview.VendorVM{In: in, Partner: c.FormValue("partner_id"), Errors: ae.Fields, Summary: ae.MessageKey()})
	}
	return a.done(c, "/partners/nre", "nre.flash.solution_saved")
}

func (a *App) nreAgreement(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	var ms []nre.MilestoneInput
	for i, name := range form["m_name"] {
		m := nre.MilestoneInput{Name: name}
		if i < len(form["m_amount"]) {
			m.Amount = form["m_amount"][i]
		}
		if i < len(form["m_due"]) {
			m.DueOn = form["m_due"][i]
		}
		ms = append(ms, m)
	}
	ups, err := readUploads(c, "agreement", 1)
	if err == nil {
		var file *files.Upload
		if len(ups) == 1 {
			file = &ups[0]
		}
		err = a.svc.NRE.UploadAgreement(c.Request().Context(), principalOf(c), id, c.FormValue("amount"), ms, file)
	}
	if err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		vm := nreview.VendorVM{Failed: id, Errors: ae.Fields, Summary: ae.MessageKey(), Amount: c.FormValue("amount")}
		for _, m := range ms {
			vm.Milestones = append(vm.Milestones, [3]string{m.Name, m.Amount, m.DueOn})
		}
		return a.renderNREVendor(c, status, vm)
	}
	return a.done(c, "/partners/nre", "nre.flash.agreement_uploaded")
}

func (a *App) nreReviewAgreement(confirm bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := paramID(c, "id")
		if err != nil {
			return err
		}
		if err := a.svc.NRE.ReviewAgreement(c.Request().Context(), principalOf(c), id, confirm, c.FormValue("reason")); err != nil {
			msg, status, ok := failedSummary(err, "reason")
			if !ok {
				return err
			}
			return a.renderNREVendor(c, status, nreview.VendorVM{Failed: id, Summary: msg})
		}
		key := "nre.flash.agreement_confirmed"
		if !confirm {
			key = "nre.flash.agreement_returned"
		}
		return a.done(c, "/partners/nre", key)
	}
}

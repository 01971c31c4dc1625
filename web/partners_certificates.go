package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/people"
	"partnercenter/views/specialists"
)

// certificateReviewRoutes are the vendor's 个人资质审核 (seed 003 §7.2.6;
// build-plan 6.C; issue 15): uploaded HCIA/HCIP/HCIE certificates to
// approve or reject with a reason, their files, and the 云学堂 sync
// import (a CSV standing in for the sync).
func (a *App) certificateReviewRoutes() []Route {
	return []Route{
		get("/partners/certificates", access.VendorCertificatesReview, a.certificateQueue),
		get("/partners/certificates/:id/file", access.VendorCertificatesReview, a.certificateFile),
		post("/partners/certificates/:id/approve", access.VendorCertificatesReview, a.certificateDecide(true)),
		post("/partners/certificates/:id/reject", access.VendorCertificatesReview, a.certificateDecide(false)),
		post("/partners/certificates/import", access.VendorCertificatesReview, a.certificateImport),
	}
}

func (a *App) renderCertificateQueue(c echo.Context, status int, vm specialists.ReviewVM) error {
	vm.Filter = people.Filter{Status: c.QueryParam("status"), Q: c.QueryParam("q"), Page: queryInt(c, "page", 1)}
	if c.Request().Method == http.MethodGet && !c.QueryParams().Has("status") {
		vm.Filter.Status = people.CertPending
	}
	rows, total, err := a.svc.People.ReviewQueue(c.Request().Context(), principalOf(c), vm.Filter)
	if err != nil {
		return err
	}
	vm.Rows, vm.Total, vm.Query = rows, total, listQuery(c)
	if vm.Errors == nil {
		vm.Errors = map[string]string{}
	}
	return render(c, status, specialists.Review(vm))
}

func (a *App) certificateQueue(c echo.Context) error {
	return a.renderCertificateQueue(c, http.StatusOK, specialists.ReviewVM{})
}

// certificateFile serves an uploaded certificate's file to its owner (the
// personal console) and to vendor staff (people.CertificateFile decides).
func (a *App) certificateFile(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	f, err := a.svc.People.CertificateFile(c.Request().Context(), principalOf(c), id)
	if err != nil {
		return err
	}
	return sendFile(c, f)
}

func (a *App) certificateDecide(approve bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := paramID(c, "id")
		if err != nil {
			return err
		}
		if err := a.svc.People.ReviewCertificate(c.Request().Context(), principalOf(c), id, approve, c.FormValue("reason")); err != nil {
			msg, status, ok := failedSummary(err, "reason")
			if !ok {
				return err
			}
			return a.renderCertificateQueue(c, status, specialists.ReviewVM{Error: msg})
		}
		key := "specialists.flash.cert_approved"
		if !approve {
			key = "specialists.flash.cert_rejected"
		}
		return a.done(c, "/partners/certificates", key)
	}
}

// certificateImport runs the sync import; with any line refused nothing
// is imported and the page lists the lines.
func (a *App) certificateImport(c echo.Context) error {
	ups, err := readUploads(c, "file", 1)
	if err == nil && len(ups) == 0 {
		err = people.ErrNoImportFile
	}
	var res *people.ImportResult
	if err == nil {
		res, err = a.svc.People.ImportSynced(c.Request().Context(), principalOf(c), ups[0].Data)
	}
	if err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.renderCertificateQueue(c, status, specialists.ReviewVM{Errors: ae.Fields, Error: ae.MessageKey()})
	}
	status := http.StatusOK
	if len(res.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	return a.renderCertificateQueue(c, status, specialists.ReviewVM{Import: res})
}

package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/files"
	"partnercenter/internal/mdf"
	"partnercenter/internal/platform/clock"
	mdfview "partnercenter/views/mdf"
)

// mdfRoutes are 权益 > 市场发展基金 (seed 003 §10.5; build-plan 7.A; issue
// 16): 额度, 使用申请 (list, form, page) and 兑现申报 (the claim on the usage
// application's page, its submission, the 开票清单 PDF and the invoice).
func (a *App) mdfRoutes() []Route {
	return []Route{
		get("/benefits/mdf", access.BenefitsView, a.mdfQuota),
		get("/benefits/mdf/usages", access.BenefitsView, a.mdfUsages),
		get("/benefits/mdf/usages/new", access.BenefitsApply, a.mdfUsageNew),
		post("/benefits/mdf/usages", access.BenefitsApply, a.mdfUsageApply),
		get("/benefits/mdf/usages/:id", access.BenefitsView, a.mdfUsage),
		post("/benefits/mdf/usages/:id/claim", access.BenefitsApply, a.mdfClaimSave),
		get("/benefits/mdf/claims", access.BenefitsView, a.mdfClaims),
		post("/benefits/mdf/claims/:id/submit", access.BenefitsApply, a.mdfClaimSubmit),
		get("/benefits/mdf/claims/:id/billing-list", access.BenefitsView, a.mdfBillingList),
		post("/benefits/mdf/claims/:id/invoice", access.BenefitsApply, a.mdfInvoice),
	}
}

func mdfFilter(c echo.Context) mdf.Filter {
	page, _ := strconv.Atoi(c.QueryParam("page"))
	return mdf.Filter{Status: c.QueryParam("status"), Q: c.QueryParam("q"), Page: max(page, 1)}
}

func (a *App) mdfQuota(c echo.Context) error {
	st, err := a.svc.MDF.Standing(c.Request().Context(), principalOf(c))
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, mdfview.Quota(mdfview.QuotaVM{S: st}))
}

func (a *App) mdfUsages(c echo.Context) error {
	f := mdfFilter(c)
	rows, total, err := a.svc.MDF.Usages(c.Request().Context(), principalOf(c), f)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, mdfview.Usages(mdfview.UsagesVM{Filter: f, Rows: rows, Total: total, Query: listQuery(c)}))
}

func (a *App) mdfClaims(c echo.Context) error {
	f := mdfFilter(c)
	rows, total, err := a.svc.MDF.Claims(c.Request().Context(), principalOf(c), f)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, mdfview.Claims(mdfview.ClaimsVM{Filter: f, Rows: rows, Total: total, Query: listQuery(c)}))
}

// renderUsageForm shows the form with the standing and the first event day
// that needs no late reason (the 10 working days, holidays counted).
func (a *App) renderUsageForm(c echo.Context, status int, vm mdfview.FormVM) error {
	ctx := c.Request().Context()
	st, err := a.svc.MDF.Standing(ctx, principalOf(c))
	if err != nil {
		return err
	}
	if vm.NoReasonFrom, err = a.svc.MDF.NoReasonFrom(ctx); err != nil {
		return err
	}
	vm.S = st
	if vm.Errors == nil {
		vm.Errors = map[string]string{}
	}
	if vm.Summary == "" && st.Refusal != "" {
		vm.Summary = st.Refusal
	}
	return render(c, status, mdfview.UsageForm(vm))
}

func (a *App) mdfUsageNew(c echo.Context) error {
	return a.renderUsageForm(c, http.StatusOK, mdfview.FormVM{})
}

func (a *App) mdfUsageApply(c echo.Context) error {
	if err := c.Request().ParseForm(); err != nil {
		return err
	}
	form := c.Request().PostForm
	in := mdf.UsageInput{ActivityType: form.Get("activity_type"), Name: form.Get("name"), Audience: form.Get("audience"),
		Department: form.Get("department"), Location: form.Get("location"), Format: form.Get("format"), Solutions: form.Get("solutions"),
		Budget: form.Get("budget"), Starts: form["start"], Ends: form["end"], LateReason: form.Get("late_reason"),
		OverReason: form.Get("over_reason"), Acknowledged: form.Get("acknowledged") == "on"}
	u, err := a.svc.MDF.Apply(c.Request().Context(), principalOf(c), in)
	if err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.renderUsageForm(c, status, mdfview.FormVM{In: in, Errors: ae.Fields, Summary: ae.MessageKey(), Args: ae.Args})
	}
	return a.done(c, "/benefits/mdf/usages/"+strconv.FormatInt(u.ID, 10), "mdf.flash.applied")
}

func (a *App) renderMDFUsage(c echo.Context, id int64, status int, vm mdfview.DetailVM) error {
	d, err := a.svc.MDF.UsageOf(c.Request().Context(), principalOf(c), id)
	if err != nil {
		return err
	}
	vm.D, vm.Today = d, clock.ChinaDate(a.Clock.Now())
	if vm.Errors == nil {
		vm.Errors = map[string]string{}
	}
	return render(c, status, mdfview.Detail(vm))
}

func (a *App) mdfUsage(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return a.renderMDFUsage(c, id, http.StatusOK, mdfview.DetailVM{})
}

// mdfClaimSave saves the claim's draft with the materials added.
func (a *App) mdfClaimSave(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	in := mdf.ClaimInput{Amount: c.FormValue("amount"), Summary: c.FormValue("summary"), Uploads: map[string][]files.Upload{}}
	for _, cat := range mdf.Materials {
		ups, uerr := readUploads(c, "files_"+cat, mdf.MaxPerGroup)
		if uerr != nil {
			err = uerr
			break
		}
		in.Uploads[cat] = ups
	}
	if err == nil {
		var ext []files.Upload
		if ext, err = readUploads(c, "extension", 1); err == nil && len(ext) == 1 {
			in.Extension = &ext[0]
		}
	}
	if err == nil {
		_, err = a.svc.MDF.SaveClaim(c.Request().Context(), principalOf(c), id, in)
	}
	if err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.renderMDFUsage(c, id, status, mdfview.DetailVM{Errors: ae.Fields, Summary: ae.MessageKey(), Args: ae.Args,
			Amount: in.Amount, Text: in.Summary})
	}
	return a.done(c, "/benefits/mdf/usages/"+strconv.FormatInt(id, 10), "mdf.flash.claim_saved")
}

func (a *App) mdfClaimSubmit(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	cl, err := a.svc.MDF.SubmitClaim(ctx, principalOf(c), id)
	if err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		usage, uerr := a.svc.MDF.ClaimUsage(ctx, principalOf(c), id)
		if uerr != nil {
			return uerr
		}
		return a.renderMDFUsage(c, usage, status, mdfview.DetailVM{Errors: ae.Fields, Summary: ae.MessageKey(), Args: ae.Args})
	}
	return a.done(c, "/benefits/mdf/usages/"+strconv.FormatInt(cl.UsageID, 10), "mdf.flash.claim_submitted")
}

func (a *App) mdfBillingList(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	bl, err := a.svc.MDF.ClaimBillingList(c.Request().Context(), principalOf(c), id)
	if err != nil {
		return err
	}
	name, data, err := bl.PDF(a.Clock.Now())
	if err != nil {
		return err
	}
	return sendPDF(c, name, data)
}

func (a *App) mdfInvoice(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	in := mdf.InvoiceInput{No: c.FormValue("invoice_no"), Amount: c.FormValue("invoice_amount")}
	ups, err := readUploads(c, "invoice_file", 1)
	if err == nil {
		if len(ups) == 1 {
			in.File = &ups[0]
		}
		err = a.svc.MDF.RegisterInvoice(ctx, principalOf(c), id, in)
	}
	usage, uerr := a.svc.MDF.ClaimUsage(ctx, principalOf(c), id)
	if uerr != nil {
		return uerr
	}
	if err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.renderMDFUsage(c, usage, status, mdfview.DetailVM{Errors: ae.Fields, Summary: ae.MessageKey(), Args: ae.Args,
			InvoiceNo: in.No, InvoiceAmount: in.Amount})
	}
	return a.done(c, "/benefits/mdf/usages/"+strconv.FormatInt(usage, 10), "mdf.flash.invoice_registered")
}

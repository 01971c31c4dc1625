package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/bizinfo"
	"partnercenter/internal/files"
	"partnercenter/internal/platform/apperr"
	bizview "partnercenter/views/bizinfo"
)

// profileBusinessRoutes is 伙伴信息 > 商业信息 (seed 003 §6.2; issue 11):
// members with the item read it, the main account submits, re-certifies
// and uploads the stamped bank letter.
func (a *App) profileBusinessRoutes() []Route {
	return []Route{
		get("/profile/business", access.ProfileBusinessView, a.businessPage),
		post("/profile/business", access.ProfileBusinessEdit, a.businessSubmit),
		post("/profile/business/letter", access.ProfileBusinessEdit, a.businessLetter),
		get("/profile/business/:id/files/:which", access.ProfileBusinessView, a.businessFile),
	}
}

func (a *App) renderBusiness(c echo.Context, status int, vm bizview.PageVM) error {
	st, err := a.svc.Business.Load(c.Request().Context(), principalOf(c))
	if err != nil {
		return err
	}
	vm.State = st
	canEdit := principalOf(c).Can(access.ProfileBusinessEdit)
	if st.Open == nil && canEdit && (st.Latest == nil || c.QueryParam("edit") == "1" || vm.Errors != nil || st.Latest.Status == bizinfo.StateFailed) {
		vm.Editing = true
	}
	if vm.Editing && vm.Errors == nil {
		vm.Input = prefill(st)
	}
	return render(c, status, bizview.Page(vm))
}

// prefill starts the form from the latest submission (re-certification
// changes what changed), or the company's name for a first one.
func prefill(st *bizinfo.State) bizinfo.Input {
	if l := st.Latest; l != nil {
		return bizinfo.Input{SupplierName: l.SupplierName, BankName: l.BankName, AccountNo: l.AccountNo, BranchName: l.BranchName,
			BranchNo: l.BranchNo, AccountName: l.AccountName, TaxpayerType: l.TaxpayerType, InvoiceAddress: l.InvoiceAddress,
			InvoicePhone: l.InvoicePhone, FinanceName: l.FinanceName, FinanceMobile: l.FinanceMobile, FinanceEmail: l.FinanceEmail}
	}
	return bizinfo.Input{SupplierName: st.Partner.Name, AccountName: st.Partner.Name, InvoiceAddress: st.Partner.Address,
		TaxpayerType: bizinfo.TaxpayerGeneral}
}

func (a *App) businessPage(c echo.Context) error {
	return a.renderBusiness(c, http.StatusOK, bizview.PageVM{})
}

func (a *App) businessSubmit(c echo.Context) error {
	in := bizinfo.Input{SupplierName: c.FormValue("supplier_name"), BankName: c.FormValue("bank_name"), AccountNo: c.FormValue("account_no"),
		BranchName: c.FormValue("branch_name"), BranchNo: c.FormValue("branch_no"), AccountName: c.FormValue("account_name"),
		TaxpayerType: c.FormValue("taxpayer_type"), InvoiceAddress: c.FormValue("invoice_address"), InvoicePhone: c.FormValue("invoice_phone"),
		FinanceName: c.FormValue("finance_name"), FinanceMobile: c.FormValue("finance_mobile"), FinanceEmail: c.FormValue("finance_email")}
	if _, err := a.svc.Business.Submit(c.Request().Context(), principalOf(c), in); err != nil {
		ae, ok := apperr.As(err)
		if !ok || (ae.Kind != apperr.KindInvalid && ae.Kind != apperr.KindConflict) {
			return err
		}
		vm := bizview.PageVM{Input: in, Errors: map[string]string{}, Summary: ae.Key}
		for k, v := range ae.Fields {
			vm.Errors[k] = v
		}
		status := http.StatusUnprocessableEntity
		if ae.Kind == apperr.KindConflict {
			status, vm.Errors = http.StatusConflict, nil
		}
		return a.renderBusiness(c, status, vm)
	}
	return a.done(c, "/profile/business", "bizinfo.flash.submitted")
}

func (a *App) businessLetter(c echo.Context) error {
	up, err := readUpload(c, "letter", files.MaxSize)
	if err == nil {
		in := files.Upload{}
		if up != nil {
			in.Name, in.Data = up.Name, up.Data
		}
		err = a.svc.Business.UploadLetter(c.Request().Context(), principalOf(c), in)
	}
	if err != nil {
		ae, ok := apperr.As(err)
		if !ok || (ae.Kind != apperr.KindInvalid && ae.Kind != apperr.KindConflict) {
			return err
		}
		field := ae.Fields["letter"]
		if field == "" && ae.Kind == apperr.KindInvalid {
			field = ae.Key
		}
		status := http.StatusUnprocessableEntity
		if ae.Kind == apperr.KindConflict {
			status = http.StatusConflict
		}
		return a.renderBusiness(c, status, bizview.PageVM{Errors: map[string]string{"letter": field}, Summary: ae.Key})
	}
	return a.done(c, "/profile/business", "bizinfo.flash.letter_uploaded")
}

// businessFile downloads the bank-letter draft or the uploaded letter of
// one of the tenant's submissions.
func (a *App) businessFile(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	which := c.Param("which")
	if which != "draft" && which != "letter" {
		return apperr.NotFound()
	}
	f, err := a.svc.Business.File(c.Request().Context(), principalOf(c), id, which)
	if err != nil {
		return err
	}
	return sendFile(c, f)
}

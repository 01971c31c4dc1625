package web

import (
	"net/http"
	"partnercenter/internal/access"
	"strconv"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/contract"
	"partnercenter/internal/files"
	"partnercenter/internal/platform/apperr"
	billingview "partnercenter/views/billing"
	"partnercenter/views/components"
)

// financeContractRoutes: 线下合同 entered by vendor staff (§12.3.11).
func (a *App) financeContractRoutes() []Route {
	return []Route{
		get("/finance/contracts", access.VendorContractManage, a.financeContracts),
		get("/finance/contracts/new", access.VendorContractManage, a.financeContractNew),
		post("/finance/contracts", access.VendorContractManage, a.financeContractCreate),
		post("/finance/contracts/:id/terminate", access.VendorContractManage, a.financeContractTerminate),
		get("/finance/contracts/:id/download", access.VendorContractManage, a.financeContractDownload),
	}
}

// Vendor console: 线下合同 (offline contracts) entered by vendor staff
// (vendor_admin and vendor finance hold VendorContractManage, §12.3.11).
// Vendor staff see every partner's contracts; the routes are unscoped.

func (a *App) financeContracts(c echo.Context) error {
	kind := c.QueryParam("kind")
	if kind != contract.KindOnline && kind != "all" {
		kind = contract.KindOffline
	}
	f := contract.Filter{Kind: kind, Query: c.QueryParam("q"), State: c.QueryParam("state"), Type: c.QueryParam("type")}
	contractSortOf(c, &f)
	list, err := a.svc.Contracts.Vendor(c.Request().Context(), principalOf(c), f)
	if err != nil {
		return err
	}
	q := c.QueryParams()
	q.Del("page")
	return render(c, http.StatusOK, billingview.VendorContracts(billingview.VendorContractsVM{Filter: f, List: list,
		Pager: sized(c, components.Pager{Page: list.Page, PerPage: list.Per, Total: list.Total, Query: q,
			Path: "/finance/contracts", Target: "#vendor-contract-table"})}))
}

func (a *App) renderContractForm(c echo.Context, status int, in contract.OfflineInput, formErr error) error {
	sel, _ := strconv.ParseInt(in.PartnerID, 10, 64)
	pq := c.QueryParam("pq")
	opts, err := a.svc.Contracts.PartnerOptions(c.Request().Context(), principalOf(c), pq, sel)
	if err != nil {
		return err
	}
	if in.Entity == "" {
		in.Entity = contract.EntityCloud
	}
	vm := billingview.ContractFormVM{Input: in, Partners: opts, PartnerQuery: pq, Errors: map[string]string{}}
	if ae, ok := apperr.As(formErr); ok {
		if ae.Fields != nil {
			vm.Errors = ae.Fields
		}
		vm.Summary = ae.Key
	}
	return render(c, status, billingview.ContractForm(vm))
}

// financeContractNew is the 录入线下合同 form; ?partner= preselects a
// partner, ?pq= narrows the partner picker.
func (a *App) financeContractNew(c echo.Context) error {
	return a.renderContractForm(c, http.StatusOK, contract.OfflineInput{PartnerID: c.QueryParam("partner")}, nil)
}

func (a *App) financeContractCreate(c echo.Context) error {
	in := contract.OfflineInput{PartnerID: c.FormValue("partner_id"), Code: c.FormValue("code"), Name: c.FormValue("name"),
		Type: c.FormValue("type"), Entity: c.FormValue("entity"), Amount: c.FormValue("amount"),
		StartsOn: c.FormValue("starts_on"), EndsOn: c.FormValue("ends_on")}
	up, err := readUpload(c, "scan", files.MaxSize)
	if err != nil {
		return err
	}
	if up != nil {
		in.Scan = &contract.Upload{Name: up.Name, Data: up.Data}
	}
	_, err = a.svc.Contracts.CreateOffline(c.Request().Context(), principalOf(c), in)
	if apperr.Is(err, apperr.KindInvalid) {
		in.Scan = nil
		return a.renderContractForm(c, http.StatusUnprocessableEntity, in, err)
	}
	if err != nil {
		return err
	}
	return a.done(c, "/finance/contracts", "contract.created")
}

func (a *App) financeContractTerminate(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	err = a.svc.Contracts.Terminate(c.Request().Context(), principalOf(c), id, c.FormValue("reason"))
	if apperr.Is(err, apperr.KindInvalid) || apperr.Is(err, apperr.KindConflict) {
		a.flash(c, "error", apperrKey(err))
		return a.seeOther(c, "/finance/contracts")
	}
	if err != nil {
		return err
	}
	return a.done(c, "/finance/contracts", "contract.terminated")
}

// apperrKey is the message of a refused action for a toast: the field's
// message when it is a field error.
func apperrKey(err error) string {
	ae, _ := apperr.As(err)
	return ae.MessageKey()
}

func (a *App) financeContractDownload(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	f, err := a.svc.Contracts.VendorFile(c.Request().Context(), principalOf(c), id)
	if err != nil {
		return err
	}
	return sendFile(c, f)
}

package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/contract"
	"partnercenter/internal/platform/apperr"
	billingview "partnercenter/views/billing"
	"partnercenter/views/components"
)

// billingContractRoutes is 账务 > 合同商务 (seed 003 §12.1.9.2, §12.1.9.4, §12.3.11)
// for partners and the vendor's 线下合同 entry (web/finance_contracts.go).
func (a *App) billingContractRoutes() []Route {
	return []Route{
		get("/billing/contracts", access.BillingContractView, a.contractsList),
		get("/billing/contracts/agreement", access.BillingContractSign, a.contractAgreement),
		post("/billing/contracts/agreement", access.BillingContractSign, a.contractSign),
		get("/billing/contracts/:id", access.BillingContractView, a.contractDetail),
		get("/billing/contracts/:id/download", access.BillingContractView, a.contractDownload),
	}
}

// contractsList is the 合同商务 page with its two tabs: 线上协议 (the
// payment agreement) and 线下合同 (a master distributor's list includes its
// cloud resellers' contracts, §12.3.11).
func (a *App) contractsList(c echo.Context) error {
	ctx := c.Request().Context()
	p := principalOf(c)
	tab := c.QueryParam("tab")
	if tab != contract.KindOffline {
		tab = contract.KindOnline
	}
	f := contract.Filter{Kind: tab, Code: c.QueryParam("code"), State: c.QueryParam("state")}
	contractSortOf(c, &f)
	if tab == contract.KindOffline {
		f.Type = c.QueryParam("type")
	}
	s := a.svc.Contracts
	list, err := s.ForPartner(ctx, p, f)
	if err != nil {
		return err
	}
	vm := billingview.ContractsVM{Tab: tab, Filter: f, List: list, PartnerID: p.PartnerID}
	if tab == contract.KindOnline {
		if vm.Draft, err = s.Draft(ctx, p); err != nil {
			return err
		}
	} else if vm.Resellers, err = s.HasResellers(ctx, p); err != nil {
		return err
	}
	q := c.QueryParams()
	q.Del("page")
	vm.Pager = sized(c, components.Pager{Page: list.Page, PerPage: list.Per, Total: list.Total, Query: q,
		Path: "/billing/contracts", Target: "#contract-table"})
	return render(c, http.StatusOK, billingview.Contracts(vm))
}

// contractSortOf reads a contract list's sort and page (unknown sorts
// give the newest first).
func contractSortOf(c echo.Context, f *contract.Filter) {
	f.Page, f.Per = pageOf(c, contract.PerPage)
	f.Sort, f.Desc = sortOf(c, contract.SortFields, "created", true)
}

func (a *App) renderAgreement(c echo.Context, status int, agreed bool, formErr error) error {
	d, err := a.svc.Contracts.Draft(c.Request().Context(), principalOf(c))
	if err != nil {
		return err
	}
	vm := billingview.AgreementVM{Draft: d, Agreed: agreed, Errors: map[string]string{}}
	if ae, ok := apperr.As(formErr); ok {
		if ae.Fields != nil {
			vm.Errors = ae.Fields
		} else {
			vm.Summary, vm.Args = ae.Key, ae.Args
		}
	}
	return render(c, status, billingview.Agreement(vm))
}

// contractAgreement previews the 华为云付款协议 with the partner's facts.
func (a *App) contractAgreement(c echo.Context) error {
	return a.renderAgreement(c, http.StatusOK, false, nil)
}

// contractSign signs it (我已阅读并同意本协议 + 提交, §12.1.9.6 step 4).
func (a *App) contractSign(c echo.Context) error {
	agreed := c.FormValue("agree") == "on"
	k, err := a.svc.Contracts.SignPaymentAgreement(c.Request().Context(), principalOf(c), agreed)
	switch {
	case apperr.Is(err, apperr.KindInvalid):
		return a.renderAgreement(c, http.StatusUnprocessableEntity, agreed, err)
	case apperr.Is(err, apperr.KindConflict):
		return a.renderAgreement(c, http.StatusConflict, agreed, err)
	case err != nil:
		return err
	}
	return a.done(c, "/billing/contracts/"+strconv.FormatInt(k.ID, 10), "contract.signed")
}

func (a *App) contractDetail(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	p := principalOf(c)
	k, err := a.svc.Contracts.Get(c.Request().Context(), p, id)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, billingview.ContractDetail(billingview.ContractDetailVM{C: k, Own: k.PartnerID == p.PartnerID}))
}

// contractDownload sends the contract's PDF (generated agreement or scan).
func (a *App) contractDownload(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	f, err := a.svc.Contracts.File(c.Request().Context(), principalOf(c), id)
	if err != nil {
		return err
	}
	return sendFile(c, f)
}

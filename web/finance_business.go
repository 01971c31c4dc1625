package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/bizinfo"
	"partnercenter/internal/platform/apperr"
	bizview "partnercenter/views/bizinfo"
	"partnercenter/views/components"
)

// financeBusinessRoutes is the vendor's 财务 > 商业信息审核 (build-plan
// 1.B): vendor finance reviews what the automatic verification could not
// decide, drafts and checks bank letters, changes taxpayer types.
func (a *App) financeBusinessRoutes() []Route {
	return []Route{
		get("/finance/business-infos", access.VendorBusinessReview, a.businessDesk),
		get("/finance/business-infos/:id", access.VendorBusinessReview, a.businessDetail),
		get("/finance/business-infos/:id/files/:which", access.VendorBusinessReview, a.businessFile),
		post("/finance/business-infos/:id/decide", access.VendorBusinessReview, a.businessDecide),
		post("/finance/business-infos/:id/letter-draft", access.VendorBusinessReview, a.businessLetterDraft),
		post("/finance/business-infos/:id/letter", access.VendorBusinessReview, a.businessLetterDecide),
		post("/finance/business-infos/:id/taxpayer", access.VendorBusinessReview, a.businessTaxpayer),
	}
}

func (a *App) businessDesk(c echo.Context) error {
	q := bizinfo.Query{Partner: c.QueryParam("partner")}
	for _, s := range bizinfo.States {
		if c.QueryParam("status") == s {
			q.Status = s
		}
	}
	q.Page, q.PerPage = pageOf(c, 20)
	rows, total, err := a.svc.Business.List(c.Request().Context(), principalOf(c), q)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, bizview.Desk(bizview.DeskVM{Query: q, Rows: rows,
		Pager: sized(c, components.Pager{Page: q.Page, PerPage: q.PerPage, Total: total, Query: listQuery(c),
			Path: "/finance/business-infos", Target: "#business-table"})}))
}

func (a *App) renderBusinessDetail(c echo.Context, status int, vm bizview.DetailVM) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	d, err := a.svc.Business.Get(c.Request().Context(), principalOf(c), id)
	if err != nil {
		return err
	}
	vm.D = d
	return render(c, status, bizview.Detail(vm))
}

func (a *App) businessDetail(c echo.Context) error {
	return a.renderBusinessDetail(c, http.StatusOK, bizview.DetailVM{})
}

// businessAction runs one vendor action and answers with the detail page
// (an input or state error shown there) or the flash.
func (a *App) businessAction(c echo.Context, action, flash string, run func(id int64) error) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := run(id); err != nil {
		ae, ok := apperr.As(err)
		if !ok || (ae.Kind != apperr.KindInvalid && ae.Kind != apperr.KindConflict) {
			return err
		}
		status := http.StatusUnprocessableEntity
		if ae.Kind == apperr.KindConflict {
			status = http.StatusConflict
		}
		return a.renderBusinessDetail(c, status, bizview.DetailVM{Summary: ae.Key, Action: action, Reason: c.FormValue("reason"),
			ReasonErr: ae.Fields["reason"]})
	}
	return a.done(c, "/finance/business-infos/"+strconv.FormatInt(id, 10), flash)
}

func (a *App) businessDecide(c echo.Context) error {
	certify := c.FormValue("decision") == "certify"
	flash := "bizinfo.flash.certified"
	if !certify {
		flash = "bizinfo.flash.failed"
	}
	return a.businessAction(c, "fail", flash, func(id int64) error {
		return a.svc.Business.Decide(c.Request().Context(), principalOf(c), id, certify, c.FormValue("reason"))
	})
}

func (a *App) businessLetterDraft(c echo.Context) error {
	return a.businessAction(c, "draft", "bizinfo.flash.letter_drafted", func(id int64) error {
		return a.svc.Business.GenerateLetter(c.Request().Context(), principalOf(c), id)
	})
}

func (a *App) businessLetterDecide(c echo.Context) error {
	accept := c.FormValue("decision") == "accept"
	flash := "bizinfo.flash.certified"
	if !accept {
		flash = "bizinfo.flash.letter_refused"
	}
	return a.businessAction(c, "letter", flash, func(id int64) error {
		return a.svc.Business.DecideLetter(c.Request().Context(), principalOf(c), id, accept, c.FormValue("reason"))
	})
}

func (a *App) businessTaxpayer(c echo.Context) error {
	return a.businessAction(c, "taxpayer", "bizinfo.flash.taxpayer", func(id int64) error {
		return a.svc.Business.ChangeTaxpayer(c.Request().Context(), principalOf(c), id, c.FormValue("taxpayer_type"))
	})
}

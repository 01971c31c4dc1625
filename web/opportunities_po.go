package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/opportunity"
	"partnercenter/views/components"
	oppview "partnercenter/views/opportunities"
)

// opportunityRoutes are 机会点 > 共享给华为 (seed 003 §11.1.2; build-plan
// 5.B; issue 14): PCE members list their POs, 添加机会点, edit one while a
// draft or after 审核不通过 for its information, submit it, and close an
// approved one as 赢单/丢单.
func (a *App) opportunityRoutes() []Route {
	return []Route{
		get("/opportunities/po", access.OpportunitiesView, a.poList),
		get("/opportunities/po/new", access.OpportunitiesCreate, a.poNew),
		post("/opportunities/po", access.OpportunitiesCreate, a.poCreate),
		get("/opportunities/po/:id", access.OpportunitiesView, a.poDetail),
		post("/opportunities/po/:id", access.OpportunitiesCreate, a.poUpdate),
		post("/opportunities/po/:id/close", access.OpportunitiesCreate, a.poClose),
	}
}

func poFilterOf(c echo.Context) opportunity.Filter {
	f := opportunity.Filter{Status: choice(c.QueryParam("status"), append([]string{""}, opportunity.States...)), Q: c.QueryParam("q")}
	f.Page, f.Per = pageOf(c, opportunity.PerPage)
	return f
}

func (a *App) poList(c echo.Context) error {
	f := poFilterOf(c)
	rows, total, err := a.svc.Opportunities.List(c.Request().Context(), principalOf(c), f)
	if err != nil {
		return err
	}
	return a.renderPOList(c, rows, total, false, f, false)
}

func (a *App) renderPOList(c echo.Context, rows []opportunity.Row, total int64, capped bool, f opportunity.Filter, vendor bool) error {
	q := c.QueryParams()
	q.Del("page")
	path := "/opportunities/po"
	if vendor {
		path = "/partners/opportunities"
	}
	return render(c, http.StatusOK, oppview.List(oppview.ListVM{Rows: rows, Filter: f, Vendor: vendor,
		Pager: components.Pager{Page: f.Page, PerPage: f.Per, Total: total, Capped: capped, Query: q, Path: path, Target: "#po-table"}}))
}

func (a *App) poNew(c echo.Context) error {
	return render(c, http.StatusOK, oppview.Form(oppview.FormVM{Errors: map[string]string{}}))
}

func poInput(c echo.Context) opportunity.Input {
	return opportunity.Input{CustomerName: c.FormValue("customer_name"), CustomerCreditCode: c.FormValue("customer_credit_code"),
		Industry: c.FormValue("industry"), ContactName: c.FormValue("contact_name"), ContactPhone: c.FormValue("contact_phone"),
		Requirement: c.FormValue("requirement"), Budget: c.FormValue("budget"), PurchaseOn: c.FormValue("purchase_on"),
		Description: c.FormValue("description"), Offerings: c.FormValue("offerings"), Support: c.FormValue("support"),
		PartnerContact: c.FormValue("partner_contact"), PartnerPhone: c.FormValue("partner_phone"), Authorized: c.FormValue("authorized") == "on"}
}

// poRefused shows the form again with the refusal.
func (a *App) poRefused(c echo.Context, o *opportunity.Opportunity, in opportunity.Input, err error) error {
	ae, status, ok := failedStatus(err)
	if !ok {
		return err
	}
	return render(c, status, oppview.Form(oppview.FormVM{O: o, In: in, Errors: ae.Fields, Summary: ae.MessageKey(), Args: ae.Args}))
}

// poCreate is 添加机会点: saved as a draft, or submitted at once.
func (a *App) poCreate(c echo.Context) error {
	ctx, p, in := c.Request().Context(), principalOf(c), poInput(c)
	o, err := a.svc.Opportunities.Create(ctx, p, in)
	if err != nil {
		return a.poRefused(c, nil, in, err)
	}
	return a.poSaved(c, o, in)
}

// poSaved submits a saved PO when asked, then shows it.
func (a *App) poSaved(c echo.Context, o *opportunity.Opportunity, in opportunity.Input) error {
	path := "/opportunities/po/" + strconv.FormatInt(o.ID, 10)
	if c.FormValue("action") != "submit" {
		return a.done(c, path, "opportunity.flash.saved")
	}
	if err := a.svc.Opportunities.Submit(c.Request().Context(), principalOf(c), o.ID, c.FormValue("note")); err != nil {
		cur, gerr := a.svc.Opportunities.Get(c.Request().Context(), principalOf(c), o.ID)
		if gerr != nil {
			return gerr
		}
		return a.poRefused(c, cur, in, err)
	}
	return a.done(c, path, "opportunity.flash.submitted")
}

func (a *App) poDetail(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	o, err := a.svc.Opportunities.Get(c.Request().Context(), principalOf(c), id)
	if err != nil {
		return err
	}
	w, err := a.svc.Opportunities.WinnerOf(c.Request().Context(), principalOf(c), o)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, oppview.Form(oppview.FormVM{O: o, Winner: w, In: oppview.InputOf(o), Errors: map[string]string{}}))
}

func (a *App) poUpdate(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx, p, in := c.Request().Context(), principalOf(c), poInput(c)
	o, err := a.svc.Opportunities.Get(ctx, p, id)
	if err != nil {
		return err
	}
	if err := a.svc.Opportunities.Update(ctx, p, id, in); err != nil {
		return a.poRefused(c, o, in, err)
	}
	return a.poSaved(c, o, in)
}

func (a *App) poClose(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := a.svc.Opportunities.Close(c.Request().Context(), principalOf(c), id, c.FormValue("result")); err != nil {
		ae, _, ok := failedStatus(err)
		if !ok {
			return err
		}
		a.flash(c, "error", ae.MessageKey())
		return a.seeOther(c, "/opportunities/po/"+strconv.FormatInt(id, 10))
	}
	return a.done(c, "/opportunities/po/"+strconv.FormatInt(id, 10), "opportunity.flash.closed")
}

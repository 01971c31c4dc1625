package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/opportunity"
	"partnercenter/views/components"
	"partnercenter/views/sales"
)

// dealRoutes are 销售 > 拓新 > 商机 (seed 002 L17–18; build-plan 5.D; issue
// 14): the 商机 of the partner's sub-customers and its resellers', created,
// edited and followed with progress entries; a customer manager works on
// its own customers only, its supervisor only looks.
func (a *App) dealRoutes() []Route {
	return []Route{
		get("/sales/deals", access.SalesDealsView, a.dealList),
		get("/sales/deals/new", access.SalesDealsManage, a.dealNew),
		post("/sales/deals", access.SalesDealsManage, a.dealCreate),
		get("/sales/deals/:id", access.SalesDealsView, a.dealDetail),
		post("/sales/deals/:id", access.SalesDealsManage, a.dealUpdate),
		post("/sales/deals/:id/progress", access.SalesDealsManage, a.dealProgress),
	}
}

func (a *App) dealList(c echo.Context) error {
	f := opportunity.DealFilter{Stage: c.QueryParam("stage"), Q: c.QueryParam("q")}
	f.Page, f.Per = pageOf(c, opportunity.PerPage)
	rows, total, err := a.svc.Opportunities.Deals(c.Request().Context(), principalOf(c), f)
	if err != nil {
		return err
	}
	q := c.QueryParams()
	q.Del("page")
	return render(c, http.StatusOK, sales.Deals(sales.DealsVM{Rows: rows, Filter: f,
		Pager: components.Pager{Page: f.Page, PerPage: f.Per, Total: total, Query: q, Path: "/sales/deals", Target: "#deal-table"}}))
}

// renderDealForm shows the new form (with the customers to pick) or a
// 商机, with a refusal's messages.
func (a *App) renderDealForm(c echo.Context, status int, id int64, vm sales.DealFormVM) error {
	ctx, p := c.Request().Context(), principalOf(c)
	if id != 0 {
		d, err := a.svc.Opportunities.Deal(ctx, p, id)
		if err != nil {
			return err
		}
		vm.D = d
		if vm.In == (opportunity.DealInput{}) {
			vm.In = sales.DealInputOf(d)
		}
	} else {
		cs, err := a.svc.Opportunities.DealCustomers(ctx, p, "")
		if err != nil {
			return err
		}
		vm.Customers = cs
	}
	if vm.Errors == nil {
		vm.Errors = map[string]string{}
	}
	return render(c, status, sales.DealForm(vm))
}

func (a *App) dealNew(c echo.Context) error {
	return a.renderDealForm(c, http.StatusOK, 0, sales.DealFormVM{In: opportunity.DealInput{Stage: "lead"}})
}

func dealInput(c echo.Context) opportunity.DealInput {
	id, _ := strconv.ParseInt(c.FormValue("customer_id"), 10, 64)
	return opportunity.DealInput{CustomerID: id, Title: c.FormValue("title"), Industry: c.FormValue("industry"), Kind: c.FormValue("kind"),
		Confidence: c.FormValue("confidence"), Stage: c.FormValue("stage"), MonthlyRevenue: c.FormValue("monthly_revenue"),
		Description: c.FormValue("description")}
}

func (a *App) dealCreate(c echo.Context) error {
	in := dealInput(c)
	d, err := a.svc.Opportunities.CreateDeal(c.Request().Context(), principalOf(c), in)
	if err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.renderDealForm(c, status, 0, sales.DealFormVM{In: in, Errors: ae.Fields, Summary: ae.MessageKey()})
	}
	return a.done(c, "/sales/deals/"+strconv.FormatInt(d.ID, 10), "deal.flash.created")
}

func (a *App) dealDetail(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return a.renderDealForm(c, http.StatusOK, id, sales.DealFormVM{})
}

func (a *App) dealUpdate(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	in := dealInput(c)
	if err := a.svc.Opportunities.UpdateDeal(c.Request().Context(), principalOf(c), id, in); err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.renderDealForm(c, status, id, sales.DealFormVM{In: in, Errors: ae.Fields, Summary: ae.MessageKey()})
	}
	return a.done(c, "/sales/deals/"+strconv.FormatInt(id, 10), "deal.flash.saved")
}

func (a *App) dealProgress(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	note, stage := c.FormValue("note"), c.FormValue("progress_stage")
	if err := a.svc.Opportunities.AddProgress(c.Request().Context(), principalOf(c), id, note, stage); err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.renderDealForm(c, status, id, sales.DealFormVM{Errors: ae.Fields, Summary: ae.MessageKey(), Note: note, Stage: stage})
	}
	return a.done(c, "/sales/deals/"+strconv.FormatInt(id, 10), "deal.flash.progress")
}

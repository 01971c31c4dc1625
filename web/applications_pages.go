package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/files"
	"partnercenter/internal/onboarding"
	"partnercenter/internal/partner"
	apv "partnercenter/views/approval"
	"partnercenter/views/components"
)

// applicationRoutes are 伙伴信息 > 我的申请 for partners; the vendor's 审批
// inbox (approvals_pages.go) is the other face of the application engine
// (internal/approval).
func (a *App) applicationRoutes() []Route {
	return []Route{
		get("/applications", access.ApplicationsView, a.applications),
		get("/applications/:id", access.ApplicationsView, a.application),
		get("/applications/:id/files/:file", access.ApplicationsView, a.applicationFile),
		post("/applications/:id/withdraw", access.ApplicationsManage, a.withdrawApplication),
	}
}

// applicationQuery reads list filters, keeping only known values.
func applicationQuery(c echo.Context) approval.Query {
	q := approval.Query{Overdue: c.QueryParam("overdue") == "1", Desc: c.QueryParam("dir") == "desc"}
	q.Page, q.PerPage = pageOf(c, 20)
	if t := c.QueryParam("type"); t != "" {
		if _, ok := approval.Lookup(t); ok {
			q.Type = t
		}
	}
	for _, s := range approval.States {
		if c.QueryParam("state") == s {
			q.State = s
		}
	}
	if q.Overdue && q.State == "" {
		q.State = approval.StateSubmitted // overdue means still waiting
	}
	switch s := c.QueryParam("sort"); s {
	case "due", "submitted", "created":
		q.Sort = s
	}
	p := strings.TrimSpace(c.QueryParam("partner"))
	if len([]rune(p)) > 100 {
		p = string([]rune(p)[:100])
	}
	q.Partner = p
	return q
}

func listQuery(c echo.Context) url.Values {
	q := url.Values{}
	for k, v := range c.QueryParams() {
		if k != "page" {
			q[k] = v
		}
	}
	return q
}

func (a *App) applications(c echo.Context) error {
	ctx := c.Request().Context()
	p := principalOf(c)
	q := applicationQuery(c)
	q.Partner = "" // a tenant lists only its own
	rows, total, err := a.svc.Approvals.ForPartner(ctx, p, q)
	if err != nil {
		return err
	}
	counts, err := a.svc.Approvals.PartnerCounts(ctx, p)
	if err != nil {
		return err
	}
	tenant, err := a.svc.Partners.Own(ctx, p)
	if err != nil {
		return err
	}
	open := tenant.Status == partner.StatusRegistered || tenant.Status == partner.StatusRejected
	vm := apv.ListVM{Query: q, Rows: rows, Counts: counts, Now: a.Clock.Now(), OnboardingCTA: open,
		Pager: sized(c, components.Pager{Page: q.Page, PerPage: q.PerPage, Total: total, Query: listQuery(c), Path: "/applications", Target: "#application-table"})}
	return render(c, http.StatusOK, apv.Applications(vm))
}

func (a *App) application(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	d, err := a.svc.Approvals.DetailForPartner(c.Request().Context(), principalOf(c), id)
	if err != nil {
		return err
	}
	vm := apv.DetailVM{D: d, Now: a.Clock.Now(),
		CanResubmit: d.Type == onboarding.TypeKey && d.State == approval.StateRejected && d.Partner.Status == partner.StatusRejected}
	return render(c, http.StatusOK, apv.Application(vm))
}

func (a *App) withdrawApplication(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, err := a.svc.Approvals.Withdraw(c.Request().Context(), principalOf(c), id); err != nil {
		return err
	}
	return a.done(c, "/applications/"+strconv.FormatInt(id, 10), "approval.flash.withdrawn")
}

func (a *App) applicationFile(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	fid, err := paramID(c, "file")
	if err != nil {
		return err
	}
	f, err := a.svc.Approvals.FileForPartner(c.Request().Context(), principalOf(c), id, fid)
	if err != nil {
		return err
	}
	return sendFile(c, f)
}

// sendFile answers an attachment as a download.
func sendFile(c echo.Context, f *files.File) error {
	h := c.Response().Header()
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="file"; filename*=UTF-8''%s`, url.PathEscape(f.Name)))
	h.Set("Cache-Control", "private, no-store")
	return c.Blob(http.StatusOK, f.ContentType, f.Data)
}

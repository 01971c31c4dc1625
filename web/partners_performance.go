package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/performance"
	incview "partnercenter/views/incentives"
)

// partnerPerformanceRoutes are the vendor's 业绩公示 desk (§12.1.5.3): the
// summaries of the partners an ecosystem manager looks after (every
// partner for the vendor administrator), published with an end date and
// finalised after it.
func (a *App) partnerPerformanceRoutes() []Route {
	return []Route{
		get("/partners/performance", access.VendorPerformanceManage, a.performanceDesk),
		post("/partners/performance/:id/publish", access.VendorPerformanceManage, a.performancePublish),
		post("/partners/performance/:id/finalize", access.VendorPerformanceManage, a.performanceFinalize),
	}
}

func (a *App) renderPerformanceDesk(c echo.Context, status int, vm incview.DeskVM) error {
	if vm.State == "" {
		vm.State = choice(c.QueryParam("state"), append([]string{""}, performance.States...))
	}
	rows, err := a.svc.Performance.Desk(c.Request().Context(), principalOf(c), vm.State)
	if err != nil {
		return err
	}
	vm.Rows = rows
	return render(c, status, incview.Desk(vm))
}

func (a *App) performanceDesk(c echo.Context) error {
	return a.renderPerformanceDesk(c, http.StatusOK, incview.DeskVM{})
}

func (a *App) performanceDeskFail(c echo.Context, id int64, err error) error {
	ae, status, ok := failedStatus(err)
	if !ok {
		return err
	}
	return a.renderPerformanceDesk(c, status, incview.DeskVM{Failed: id, Summary: ae.MessageKey()})
}

func (a *App) performancePublish(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := a.svc.Performance.Publish(c.Request().Context(), principalOf(c), id, c.FormValue("ends_on")); err != nil {
		return a.performanceDeskFail(c, id, err)
	}
	return a.done(c, "/partners/performance?state="+performance.StatePublicity, "performance.flash.published")
}

func (a *App) performanceFinalize(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := a.svc.Performance.Finalize(c.Request().Context(), principalOf(c), id); err != nil {
		return a.performanceDeskFail(c, id, err)
	}
	return a.done(c, "/partners/performance?state="+performance.StateFinal+"&id="+strconv.FormatInt(id, 10), "performance.flash.finalized")
}

package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/outbox"
	"partnercenter/views/components"
	outboxview "partnercenter/views/outbox"
)

// messageLogRoutes are the vendor administrator's 消息发送记录 (build-plan
// 5.E; issue 14): every e-mail and SMS with each delivery attempt, and
// 重新投递 of a failed one.
func (a *App) messageLogRoutes() []Route {
	return []Route{
		get("/staff/messages", access.VendorStaffManage, a.messageLog),
		post("/staff/messages/:id/retry", access.VendorStaffManage, a.messageRetry),
	}
}

func (a *App) messageLog(c echo.Context) error {
	f := outbox.Filter{Channel: c.QueryParam("channel"), Status: c.QueryParam("status"), Q: c.QueryParam("q")}
	f.Page, f.Per = pageOf(c, outbox.PerPage)
	rows, total, err := a.svc.MessageLog.List(c.Request().Context(), principalOf(c), f)
	if err != nil {
		return err
	}
	q := c.QueryParams()
	q.Del("page")
	return render(c, http.StatusOK, outboxview.Log(outboxview.LogVM{Rows: rows, Filter: f,
		Pager: components.Pager{Page: f.Page, PerPage: f.Per, Total: total, Query: q, Path: "/staff/messages", Target: "#log-table"}}))
}

func (a *App) messageRetry(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := a.svc.MessageLog.Retry(c.Request().Context(), principalOf(c), id); err != nil {
		ae, _, ok := failedStatus(err)
		if !ok {
			return err
		}
		a.flash(c, "error", ae.MessageKey())
		return a.seeOther(c, "/staff/messages")
	}
	return a.done(c, "/staff/messages?status=queued", "outbox.log.retried")
}

package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/outbox"
	"partnercenter/internal/webhook"
	"partnercenter/views/components"
	webhookview "partnercenter/views/webhooks"
)

// webhookRoutes are 伙伴信息 > Webhook (build-plan 5.F; issue 14): the main
// account registers HTTPS endpoints for event types, reads each one's
// secret and delivery log, sends a test event, redelivers a failed one,
// stops, restarts or deletes an endpoint.
func (a *App) webhookRoutes() []Route {
	return []Route{
		get("/profile/webhooks", access.ProfileWebhooks, a.webhookList),
		post("/profile/webhooks", access.ProfileWebhooks, a.webhookCreate),
		get("/profile/webhooks/:id", access.ProfileWebhooks, a.webhookDetail),
		post("/profile/webhooks/:id/test", access.ProfileWebhooks, a.webhookTest),
		post("/profile/webhooks/:id/enable", access.ProfileWebhooks, a.webhookActive(true)),
		post("/profile/webhooks/:id/disable", access.ProfileWebhooks, a.webhookActive(false)),
		post("/profile/webhooks/:id/delete", access.ProfileWebhooks, a.webhookDelete),
		post("/profile/webhooks/:id/deliveries/:mid/retry", access.ProfileWebhooks, a.webhookRedeliver),
	}
}

func (a *App) renderWebhooks(c echo.Context, status int, vm webhookview.ListVM) error {
	es, err := a.svc.Webhooks.List(c.Request().Context(), principalOf(c))
	if err != nil {
		return err
	}
	vm.Endpoints = es
	if vm.Errors == nil {
		vm.Errors = map[string]string{}
	}
	return render(c, status, webhookview.List(vm))
}

func (a *App) webhookList(c echo.Context) error {
	return a.renderWebhooks(c, http.StatusOK, webhookview.ListVM{})
}

func (a *App) webhookCreate(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	in := webhook.Input{URL: c.FormValue("url"), Description: c.FormValue("description"), Types: form["types"]}
	e, err := a.svc.Webhooks.Create(c.Request().Context(), principalOf(c), in)
	if err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.renderWebhooks(c, status, webhookview.ListVM{In: in, Errors: ae.Fields, Summary: ae.MessageKey()})
	}
	return a.done(c, "/profile/webhooks/"+strconv.FormatInt(e.ID, 10), "webhook.flash.created")
}

func (a *App) renderWebhook(c echo.Context, status int, id int64, summary string) error {
	ctx, p := c.Request().Context(), principalOf(c)
	e, err := a.svc.Webhooks.Get(ctx, p, id)
	if err != nil {
		return err
	}
	page, per := pageOf(c, outbox.PerPage)
	rows, total, err := a.svc.Webhooks.Deliveries(ctx, p, id, page)
	if err != nil {
		return err
	}
	q := c.QueryParams()
	q.Del("page")
	path := "/profile/webhooks/" + strconv.FormatInt(id, 10)
	return render(c, status, webhookview.Detail(webhookview.DetailVM{E: e, Rows: rows, Summary: summary,
		Pager: components.Pager{Page: page, PerPage: per, Total: total, Query: q, Path: path, Target: "#delivery-table"}}))
}

func (a *App) webhookDetail(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return a.renderWebhook(c, http.StatusOK, id, "")
}

// webhookAction runs an action on an endpoint and shows a refusal on its
// page.
func (a *App) webhookAction(c echo.Context, do func(id int64) error, toast string) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := do(id); err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.renderWebhook(c, status, id, ae.MessageKey())
	}
	return a.done(c, "/profile/webhooks/"+strconv.FormatInt(id, 10), toast)
}

func (a *App) webhookTest(c echo.Context) error {
	return a.webhookAction(c, func(id int64) error {
		return a.svc.Webhooks.SendTest(c.Request().Context(), principalOf(c), id)
	}, "webhook.flash.test_queued")
}

func (a *App) webhookActive(on bool) echo.HandlerFunc {
	toast := map[bool]string{true: "webhook.flash.enabled", false: "webhook.flash.disabled"}[on]
	return func(c echo.Context) error {
		return a.webhookAction(c, func(id int64) error {
			return a.svc.Webhooks.SetActive(c.Request().Context(), principalOf(c), id, on)
		}, toast)
	}
}

func (a *App) webhookRedeliver(c echo.Context) error {
	mid, err := paramID(c, "mid")
	if err != nil {
		return err
	}
	return a.webhookAction(c, func(id int64) error {
		return a.svc.Webhooks.Redeliver(c.Request().Context(), principalOf(c), id, mid)
	}, "webhook.flash.redelivered")
}

func (a *App) webhookDelete(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := a.svc.Webhooks.Delete(c.Request().Context(), principalOf(c), id); err != nil {
		return err
	}
	return a.done(c, "/profile/webhooks", "webhook.flash.deleted")
}

package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/notify"
	"partnercenter/views/components"
	msgv "partnercenter/views/messages"
)

// messageRoutes are the message center (站内信) of every signed-in user.
// A message belongs to one user: anyone else gets 404.
func (a *App) messageRoutes() []Route {
	return []Route{
		get("/messages", access.SignedIn, a.messages),
		get("/messages/:id", access.SignedIn, a.openMessage),
		post("/messages/:id/read", access.SignedIn, a.markMessageRead),
		post("/messages/read-all", access.SignedIn, a.markAllMessagesRead),
	}
}

func (a *App) messages(c echo.Context) error {
	ctx := c.Request().Context()
	p := principalOf(c)
	f := notify.Filter{UnreadOnly: c.QueryParam("unread") == "1"}
	f.Page, f.PerPage = pageOf(c, 20)
	rows, total, err := a.svc.Notify.List(ctx, p, f)
	if err != nil {
		return err
	}
	unread, err := a.svc.Notify.UnreadCount(ctx, p)
	if err != nil {
		return err
	}
	reader, err := a.reader(c)
	if err != nil {
		return err
	}
	vm := msgv.ListVM{Rows: rows, UnreadOnly: f.UnreadOnly, Unread: unread, Reader: reader,
		Pager: sized(c, components.Pager{Page: f.Page, PerPage: f.PerPage, Total: total, Query: listQuery(c), Path: "/messages", Target: "#message-list"})}
	return render(c, http.StatusOK, msgv.List(vm))
}

// openMessage marks a message read and follows its link, or shows it
// when it has none.
func (a *App) openMessage(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	m, err := a.svc.Notify.Open(c.Request().Context(), principalOf(c), id)
	if err != nil {
		return err
	}
	if m.Link != "" {
		return c.Redirect(http.StatusSeeOther, safeNext(m.Link))
	}
	reader, err := a.reader(c)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, msgv.Detail(msgv.DetailVM{M: m, Reader: reader}))
}

// reader is the language and time zone the user reads its 站内信 in
// (消息接收设置, seed 003 §6.1.1).
func (a *App) reader(c echo.Context) (msgv.Reader, error) {
	lang, loc, err := a.svc.MessageSettings.Inbox(c.Request().Context(), principalOf(c))
	return msgv.Reader{Lang: lang, Zone: loc}, err
}

func (a *App) markMessageRead(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := a.svc.Notify.MarkRead(c.Request().Context(), principalOf(c), id); err != nil {
		return err
	}
	return a.seeOther(c, "/messages")
}

func (a *App) markAllMessagesRead(c echo.Context) error {
	if _, err := a.svc.Notify.MarkAllRead(c.Request().Context(), principalOf(c)); err != nil {
		return err
	}
	return a.done(c, "/messages", "messages.flash.all_read")
}

package web

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"partnercenter/internal/identity"
	"partnercenter/internal/platform/clock"
	"partnercenter/views/components"
	"partnercenter/views/ui"
)

// render writes a component after rendering it fully into a buffer, so a
// failing template never sends half a page.
func render(c echo.Context, status int, comp templ.Component) error {
	var buf bytes.Buffer
	if err := comp.Render(c.Request().Context(), &buf); err != nil {
		return err
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// flash stores a toast (a catalog id) shown on the next page.
func (a *App) flash(c echo.Context, kind, key string) {
	st := a.state(c)
	st.sess.Values[identity.KeyFlash] = kind + "|" + key
	st.dirty = true
}

func decodeFlash(s string) *ui.Flash {
	kind, key, ok := strings.Cut(s, "|")
	if !ok {
		return nil
	}
	return &ui.Flash{Kind: kind, Key: key}
}

// seeOther ends a successful unsafe request: 303 to path, or for htmx an
// HX-Redirect so the browser loads the page (with its toast).
func (a *App) seeOther(c echo.Context, path string) error {
	if isHTMX(c) {
		c.Response().Header().Set("HX-Redirect", path)
		return c.NoContent(http.StatusNoContent)
	}
	return c.Redirect(http.StatusSeeOther, path)
}

// done is seeOther with a success toast.
func (a *App) done(c echo.Context, path, key string) error {
	a.flash(c, "success", key)
	return a.seeOther(c, path)
}

// paramID parses a positive integer path parameter; anything else is a 404.
func paramID(c echo.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, echo.ErrNotFound
	}
	return id, nil
}

// queryInt reads a positive integer query parameter with a default.
func queryInt(c echo.Context, name string, def int) int {
	n, err := strconv.Atoi(c.QueryParam(name))
	if err != nil || n <= 0 {
		return def
	}
	return n
}

// yearNow is this year in China time.
func (a *App) yearNow() int { return a.Clock.Now().In(clock.China).Year() }

// pageOf reads a list's page (?page) and page size (?per, one of
// components.PageSizes, else def).
func pageOf(c echo.Context, def int) (page, per int) {
	return queryInt(c, "page", 1), components.PageSize(c.QueryParam("per"), def)
}

// sortOf reads a list's ?sort (one of fields) and ?dir; an unknown sort
// gives def in its default direction defDesc.
func sortOf(c echo.Context, fields map[string]string, def string, defDesc bool) (string, bool) {
	if s := c.QueryParam("sort"); s != "" && fields[s] != "" {
		return s, c.QueryParam("dir") == "desc"
	}
	return def, defDesc
}

// sized marks a pager as offering page sizes, keeping the size asked in
// its query (the pages and sort headers built from it keep it too).
func sized(c echo.Context, p components.Pager) components.Pager {
	if per := c.QueryParam("per"); per != "" && components.PageSize(per, 0) == p.PerPage && p.Query != nil {
		p.Query.Set("per", per)
	}
	p.Sized = true
	return p
}

// safeNext accepts only a local path as a post-sign-in destination.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return next
}

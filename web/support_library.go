package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/library"
	"partnercenter/internal/platform/apperr"
	"partnercenter/views/components"
	libview "partnercenter/views/library"
)

// libraryRoutes are 支持 > 资料库 (seed 003 §14.1; build-plan 5.G; issue
// 14): the documents a partner in a programme or path may see, searched
// by title and keyword and filtered by category and directory, opened in
// the viewer, downloaded when the vendor allows it.
func (a *App) libraryRoutes() []Route {
	return []Route{
		get("/support/library", access.SupportLibraryView, a.libraryList),
		get("/support/library/:id", access.SupportLibraryView, a.libraryView),
		get("/support/library/:id/view", access.SupportLibraryView, a.libraryFile(false)),
		get("/support/library/:id/download", access.SupportLibraryView, a.libraryFile(true)),
	}
}

func libraryFilterOf(c echo.Context) library.Filter {
	f := library.Filter{Title: c.QueryParam("title"), Keyword: c.QueryParam("keyword"), Category: c.QueryParam("category"),
		Directory: c.QueryParam("directory"), Status: c.QueryParam("status")}
	f.Page, f.Per = pageOf(c, library.PerPage)
	return f
}

func (a *App) libraryList(c echo.Context) error {
	f := libraryFilterOf(c)
	docs, total, dirs, err := a.svc.Library.List(c.Request().Context(), principalOf(c), f)
	if ae, ok := apperr.As(err); ok && ae.MessageKey() == library.ErrNoAccess {
		return render(c, http.StatusOK, libview.List(libview.ListVM{NoAccess: true}))
	}
	if err != nil {
		return err
	}
	q := c.QueryParams()
	q.Del("page")
	return render(c, http.StatusOK, libview.List(libview.ListVM{Docs: docs, Dirs: dirs, Filter: f,
		Pager: components.Pager{Page: f.Page, PerPage: f.Per, Total: total, Query: q, Path: "/support/library", Target: "#library-table"}}))
}

func (a *App) libraryView(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	d, err := a.svc.Library.Get(c.Request().Context(), principalOf(c), id)
	if err != nil {
		return libraryRefusal(err)
	}
	return render(c, http.StatusOK, libview.View(libview.ViewVM{D: d}))
}

// libraryRefusal answers a partner outside every programme and path as
// for a document it may not see.
func libraryRefusal(err error) error {
	if ae, ok := apperr.As(err); ok && ae.MessageKey() == library.ErrNoAccess {
		return apperr.NotFound()
	}
	return err
}

// libraryFile sends a document's file: inline for the viewer (framed by
// our own page only), or as an attachment when it may be downloaded.
func (a *App) libraryFile(download bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := paramID(c, "id")
		if err != nil {
			return err
		}
		d, f, err := a.svc.Library.File(c.Request().Context(), principalOf(c), id, download)
		if err != nil {
			return libraryRefusal(err)
		}
		if f == nil {
			return errors.New("library: no file")
		}
		h := c.Response().Header()
		h.Set("Cache-Control", "private, no-store")
		if download {
			h.Set(echo.HeaderContentDisposition, contentDisposition(d.FileName))
		} else {
			h.Set(echo.HeaderContentDisposition, "inline; filename*=UTF-8''"+rfc5987(d.FileName))
			// The viewer page frames it; nothing else may.
			h.Set("X-Frame-Options", "SAMEORIGIN")
			h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'self'; sandbox")
			if strings.HasPrefix(f.ContentType, "application/pdf") {
				h.Set("Content-Security-Policy", "frame-ancestors 'self'")
			}
		}
		return c.Blob(http.StatusOK, f.ContentType, f.Data)
	}
}

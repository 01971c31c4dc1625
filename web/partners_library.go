package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/files"
	"partnercenter/internal/library"
	"partnercenter/views/components"
	libview "partnercenter/views/library"
)

// libraryManageRoutes are the vendor administrator's 资料管理 (build-plan
// 5.G; issue 14): publish a document with its category, directory,
// keywords, audience and whether it may be downloaded; edit it; 下架 and
// 重新上架.
func (a *App) libraryManageRoutes() []Route {
	return []Route{
		get("/partners/library", access.VendorLibraryManage, a.libraryManage),
		get("/partners/library/new", access.VendorLibraryManage, a.libraryNew),
		post("/partners/library", access.VendorLibraryManage, a.libraryPublish),
		get("/partners/library/:id", access.VendorLibraryManage, a.libraryEdit),
		post("/partners/library/:id", access.VendorLibraryManage, a.libraryUpdate),
		post("/partners/library/:id/status", access.VendorLibraryManage, a.libraryStatus),
	}
}

func (a *App) libraryManage(c echo.Context) error {
	f := libraryFilterOf(c)
	docs, total, err := a.svc.Library.VendorList(c.Request().Context(), principalOf(c), f)
	if err != nil {
		return err
	}
	q := c.QueryParams()
	q.Del("page")
	return render(c, http.StatusOK, libview.VendorList(libview.VendorListVM{Docs: docs, Filter: f,
		Pager: components.Pager{Page: f.Page, PerPage: f.Per, Total: total, Query: q, Path: "/partners/library", Target: "#library-table"}}))
}

func (a *App) libraryNew(c echo.Context) error {
	return render(c, http.StatusOK, libview.Form(libview.FormVM{In: library.Input{Downloadable: true}, Errors: map[string]string{}}))
}

func libraryInput(c echo.Context) library.Input {
	in := library.Input{Title: c.FormValue("title"), Keywords: c.FormValue("keywords"), Category: c.FormValue("category"),
		Directory: c.FormValue("directory"), Downloadable: c.FormValue("downloadable") == "on"}
	if form, err := c.MultipartForm(); err == nil {
		in.Audience = form.Value["audience"]
	} else if vals, err := c.FormParams(); err == nil {
		in.Audience = vals["audience"]
	}
	return in
}

// libraryRefused shows the form again with the refusal.
func (a *App) libraryRefused(c echo.Context, d *library.Document, in library.Input, err error) error {
	ae, status, ok := failedStatus(err)
	if !ok {
		return err
	}
	return render(c, status, libview.Form(libview.FormVM{D: d, In: in, Errors: ae.Fields, Summary: ae.MessageKey()}))
}

func (a *App) libraryPublish(c echo.Context) error {
	in := libraryInput(c)
	up := files.Upload{}
	att, err := readAttachment(c, "file")
	if err != nil {
		return a.libraryRefused(c, nil, in, err)
	}
	if att != nil {
		up.Name, up.Data = att.Name, att.Data
	}
	d, err := a.svc.Library.Publish(c.Request().Context(), principalOf(c), in, up)
	if err != nil {
		return a.libraryRefused(c, nil, in, err)
	}
	return a.done(c, "/partners/library/"+strconv.FormatInt(d.ID, 10), "library.flash.published")
}

func (a *App) libraryEdit(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	d, err := a.svc.Library.VendorGet(c.Request().Context(), principalOf(c), id)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, libview.Form(libview.FormVM{D: d, In: libview.InputOf(d), Errors: map[string]string{}}))
}

func (a *App) libraryUpdate(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx, p, in := c.Request().Context(), principalOf(c), libraryInput(c)
	d, err := a.svc.Library.VendorGet(ctx, p, id)
	if err != nil {
		return err
	}
	if err := a.svc.Library.Update(ctx, p, id, in); err != nil {
		return a.libraryRefused(c, d, in, err)
	}
	return a.done(c, "/partners/library/"+strconv.FormatInt(id, 10), "library.flash.saved")
}

func (a *App) libraryStatus(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	to := c.FormValue("to")
	if err := a.svc.Library.SetStatus(c.Request().Context(), principalOf(c), id, to); err != nil {
		ae, _, ok := failedStatus(err)
		if !ok {
			return err
		}
		a.flash(c, "error", ae.MessageKey())
		return a.seeOther(c, "/partners/library")
	}
	return a.done(c, "/partners/library", "library.flash.status_"+to)
}

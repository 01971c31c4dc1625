package web

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/export"
	billingview "partnercenter/views/billing"
	"partnercenter/views/components"
)

// exportsPage is 导出记录: the tenant's export tasks, newest first.
func (a *App) exportsPage(c echo.Context) error {
	list, err := a.svc.Exports.List(c.Request().Context(), principalOf(c), queryInt(c, "page", 1))
	if err != nil {
		return err
	}
	q := c.QueryParams()
	q.Del("page")
	return render(c, http.StatusOK, billingview.Exports(billingview.ExportsVM{List: list,
		Pager: components.Pager{Page: list.Page, PerPage: export.PerPage, Total: list.Total, Query: q, Path: "/billing/exports", Target: "#export-table"}}))
}

// exportProgress is one task's row, polled by the page while it runs.
func (a *App) exportProgress(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	t, err := a.svc.Exports.Get(c.Request().Context(), principalOf(c), id)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, billingview.ExportRow(*t))
}

// exportDownload streams a done task's file with its content type and its
// (Chinese) file name in RFC 5987 form; other states are refused.
func (a *App) exportDownload(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	res := c.Response()
	return a.svc.Exports.Download(c.Request().Context(), principalOf(c), id, func(t *export.Task) io.Writer {
		res.Header().Set(echo.HeaderContentType, t.ContentType)
		res.Header().Set(echo.HeaderContentLength, strconv.FormatInt(t.FileSize, 10))
		res.Header().Set(echo.HeaderContentDisposition, contentDisposition(t.FileName))
		res.Header().Set("Cache-Control", "private, no-store")
		res.WriteHeader(http.StatusOK)
		return res
	})
}

// contentDisposition names an attachment: an ASCII fallback and the
// UTF-8 name (RFC 6266 with RFC 5987 encoding).
func contentDisposition(name string) string {
	ascii := make([]rune, 0, len(name))
	for _, r := range name {
		switch {
		case r == '"' || r == '\\' || r < 0x20 || r > 0x7e:
			ascii = append(ascii, '_')
		default:
			ascii = append(ascii, r)
		}
	}
	return `attachment; filename="` + string(ascii) + `"; filename*=UTF-8''` + rfc5987(name)
}

// rfc5987 percent-encodes every byte that is not an attr-char.
func rfc5987(s string) string {
	const attr = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$&+-.^_`|~"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(attr, s[i]) >= 0 {
			b.WriteByte(s[i])
		} else {
			fmt.Fprintf(&b, "%%%02X", s[i])
		}
	}
	return b.String()
}

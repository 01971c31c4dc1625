package web

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/export"
	"partnercenter/internal/platform/sheet"
)

// sendTable streams a table to the browser as a download, row by row
// from the service's cursor (sheet.Write: the one xlsx and csv sink, with
// the CSV-injection guard). Nothing is sent until 64 KB are ready or the
// table ends, so a refusal or failure before that (another tenant, a bad
// filter) is still an ordinary error page; once bytes are out the status
// cannot change, and a failure is logged and ends the file early.
func (a *App) sendTable(c echo.Context, f sheet.Format, name string, t *sheet.Table) error {
	w := &lazyDownload{res: c.Response(), head: func(h http.Header) {
		h.Set(echo.HeaderContentType, f.ContentType())
		h.Set(echo.HeaderContentDisposition, contentDisposition(name+f.Ext()))
		h.Set("Cache-Control", "no-store")
	}}
	_, err := sheet.Write(c.Request().Context(), f, w, t, nil)
	if err != nil {
		if !w.committed {
			return err
		}
		a.Log.Error("download interrupted", "file", name, "err", err)
		return nil
	}
	return w.commit()
}

// taskFile sets a finished export task's headers — its content type, size
// and (Chinese) file name in RFC 5987 form — and returns the response to
// stream the stored file into.
func taskFile(c echo.Context) func(t *export.Task) io.Writer {
	return func(t *export.Task) io.Writer {
		res := c.Response()
		res.Header().Set(echo.HeaderContentType, t.ContentType)
		res.Header().Set(echo.HeaderContentLength, strconv.FormatInt(t.FileSize, 10))
		res.Header().Set(echo.HeaderContentDisposition, contentDisposition(t.FileName))
		res.Header().Set("Cache-Control", "private, no-store")
		res.WriteHeader(http.StatusOK)
		return res
	}
}

// lazyDownload holds the start of a download until it is worth sending.
type lazyDownload struct {
	res       *echo.Response
	head      func(http.Header)
	buf       []byte
	committed bool
}

const downloadHold = 64 << 10

func (w *lazyDownload) Write(p []byte) (int, error) {
	if w.committed {
		return w.res.Write(p)
	}
	w.buf = append(w.buf, p...)
	if len(w.buf) >= downloadHold {
		if err := w.commit(); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// Flush sends what is held and flushes the response (the csv sink
// flushes every few hundred rows so a long file arrives as it is made).
func (w *lazyDownload) Flush() {
	if w.commit() == nil {
		w.res.Flush()
	}
}

func (w *lazyDownload) commit() error {
	if w.committed {
		return nil
	}
	w.committed = true
	w.head(w.res.Header())
	w.res.WriteHeader(http.StatusOK)
	_, err := w.res.Write(w.buf)
	w.buf = nil
	return err
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

// sendPDF sends a generated PDF (a certificate, a letter) as a download.
func sendPDF(c echo.Context, name string, data []byte) error {
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, contentDisposition(name))
	h.Set("Cache-Control", "private, no-store")
	return c.Blob(http.StatusOK, "application/pdf", data)
}

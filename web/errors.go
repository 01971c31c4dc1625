package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/reqctx"
	"partnercenter/views/errorpage"
)

// ctxUnknownRoute marks a request for an address no route has.
const ctxUnknownRoute = "unknown_route"

// handleError is the one place that turns errors into responses: a full
// page, or for htmx requests a fragment (a toast for input errors). Raw
// error text and stack traces never reach the user.
func (a *App) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		switch he.Code {
		case http.StatusNotFound:
			// An unknown address: read the session as any page does, so the
			// 404 is in the user's language and inside the console shell.
			if c.Get(ctxPrincipal) == nil && c.Get(ctxUnknownRoute) == nil {
				c.Set(ctxUnknownRoute, true)
				a.handleError(noStore(a.loadSession(a.authenticate(func(echo.Context) error { return apperr.NotFound() })))(c), c)
				return
			}
			err = apperr.NotFound()
		case http.StatusMethodNotAllowed:
			// The router has set Allow (GET, HEAD, POST … of this path).
			if c.Request().Method == http.MethodHead {
				_ = c.NoContent(http.StatusMethodNotAllowed)
				return
			}
			_ = render(c, http.StatusMethodNotAllowed, errorpage.Page(http.StatusMethodNotAllowed, "error.method_not_allowed", nil))
			return
		case http.StatusRequestEntityTooLarge:
			err = apperr.Invalid("error.too_large")
		default:
			if he.Code < 500 {
				err = apperr.Invalid("error.bad_request")
			}
		}
	}
	ae, ok := apperr.As(err)
	if !ok {
		a.Log.Error("internal error", "request_id", reqctx.From(c.Request().Context()).RequestID, "err", err)
		ae = &apperr.Error{Kind: 0, Key: "error.internal"}
	}
	// Vendor staff are not told to ask a partner administrator.
	if ae.Kind == apperr.KindForbidden && ae.Key == "error.forbidden" {
		if p := principalOf(c); p != nil && p.IsVendor {
			ae = &apperr.Error{Kind: apperr.KindForbidden, Key: "error.forbidden.vendor"}
		}
	}
	status := http.StatusInternalServerError
	switch ae.Kind {
	case apperr.KindUnauthenticated:
		// To the partner sign-in, or for the customer console (and an
		// invitation's accept) to the console's own.
		login := signInPage(c.Request().URL.Path)
		next := c.Request().URL.RequestURI()
		if isHTMX(c) {
			c.Response().Header().Set("HX-Redirect", login+"?next="+url.QueryEscape(c.Request().Header.Get("HX-Current-URL")))
			_ = c.NoContent(http.StatusUnauthorized)
			return
		}
		if c.Request().Method != http.MethodGet {
			next = afterSignIn(c.Request().URL.Path)
		}
		_ = c.Redirect(http.StatusSeeOther, login+"?next="+url.QueryEscape(next))
		return
	case apperr.KindForbidden:
		status = http.StatusForbidden
	case apperr.KindNotFound:
		status = http.StatusNotFound
	case apperr.KindInvalid:
		status = http.StatusUnprocessableEntity
	case apperr.KindConflict:
		status = http.StatusConflict
	case apperr.KindTooMany:
		status = http.StatusTooManyRequests
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	if isHTMX(c) {
		// Input errors of inline actions become a toast; page-level
		// refusals replace the target like a page would.
		if status == http.StatusUnprocessableEntity || status == http.StatusConflict || status == http.StatusTooManyRequests {
			c.Response().Header().Set("HX-Retarget", "#toasts")
			c.Response().Header().Set("HX-Reswap", "beforeend")
			_ = render(c, status, errorpage.Toast(ae.Key, ae.Args))
			return
		}
		_ = render(c, status, errorpage.Fragment(status, ae.Key, ae.Args))
		return
	}
	_ = render(c, status, errorpage.Page(status, ae.Key, ae.Args))
}

// failedStatus is the status of a refusal a page shows (422 invalid, 409
// conflict), or false for an error the error page handles.
func failedStatus(err error) (*apperr.Error, int, bool) {
	ae, ok := apperr.As(err)
	if !ok || (ae.Kind != apperr.KindInvalid && ae.Kind != apperr.KindConflict) {
		return nil, 0, false
	}
	if ae.Kind == apperr.KindConflict {
		return ae, http.StatusConflict, true
	}
	return ae, http.StatusUnprocessableEntity, true
}

// failedSummary is failedStatus for a form whose one field is shown in its
// summary line (a reason typed in a confirmation dialog): the field's
// message when the refusal names it, else the refusal's own.
func failedSummary(err error, field string) (string, int, bool) {
	ae, status, ok := failedStatus(err)
	if !ok {
		return "", 0, false
	}
	if k := ae.Fields[field]; k != "" {
		return k, status, true
	}
	return ae.MessageKey(), status, true
}

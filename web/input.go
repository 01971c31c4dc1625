package web

import (
	"mime"
	"net/http"
	"net/url"
	"partnercenter/internal/platform/db"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
)

// maxFormMemory is what a multipart form keeps in memory before spilling
// files to disk (Echo's FormFile uses the same).
const maxFormMemory = 32 << 20

// cleanInput makes every query value and form field valid text once,
// before the session, CSRF check, handler or validation reads it: NUL and
// the other C0 control characters except tab, newline and carriage
// return are removed, and invalid UTF-8 becomes U+FFFD. PostgreSQL refuses
// NUL and invalid UTF-8 in text (SQLSTATE 22021), and no person types
// them; with this, no handler has to care, and a bad value meets the
// ordinary validation (a field message), never a 500.
func (a *App) cleanInput(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if r.URL.RawQuery != "" {
			if q, err := url.ParseQuery(r.URL.RawQuery); err == nil && cleanValues(q) {
				r.URL.RawQuery = q.Encode()
			}
		}
		if r.Method == http.MethodPost || r.Method == http.MethodPut || r.Method == http.MethodPatch {
			ct, _, _ := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
			switch ct {
			case echo.MIMEApplicationForm:
				if r.ParseForm() == nil {
					cleanValues(r.PostForm)
					cleanValues(r.Form)
				}
			case echo.MIMEMultipartForm:
				if r.ParseMultipartForm(maxFormMemory) == nil {
					cleanValues(r.PostForm)
					cleanValues(r.Form)
					cleanValues(r.MultipartForm.Value)
					for _, fhs := range r.MultipartForm.File {
						for _, fh := range fhs {
							fh.Filename = cleanText(fh.Filename)
						}
					}
				}
			}
		}
		return next(c)
	}
}

// cleanValues cleans every value (and key) in place; it reports a change.
func cleanValues(vs map[string][]string) bool {
	changed := false
	for k, list := range vs {
		for i, v := range list {
			if w := cleanText(v); w != v {
				list[i], changed = w, true
			}
		}
		if ck := cleanText(k); ck != k {
			delete(vs, k)
			vs[ck] = append(vs[ck], list...)
			changed = true
		}
	}
	return changed
}

// cleanText removes C0 controls other than \t \n \r and replaces invalid
// UTF-8 with U+FFFD.
func cleanText(s string) string {
	bad := !utf8.ValidString(s)
	if !bad {
		for i := 0; i < len(s); i++ {
			if b := s[i]; b < 0x20 && b != '\t' && b != '\n' && b != '\r' {
				bad = true
				break
			}
		}
	}
	if !bad {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' {
			return -1
		}
		return r
	}, s)
}

// exactCounts passes a list's 精确计数 (?count=exact, the pager's link
// under a capped total) to the services through the context (db.CappedCount).
func exactCounts(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if c.Request().Method == http.MethodGet && c.QueryParam("count") == "exact" {
			c.SetRequest(c.Request().WithContext(db.WithExactCount(c.Request().Context())))
		}
		return next(c)
	}
}

// choice is s when it is one of set, else set's first (a tab, a filter
// value from the query string).
func choice(s string, set []string) string {
	if slices.Contains(set, s) {
		return s
	}
	return set[0]
}

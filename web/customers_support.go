package web

import (
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
)

// formIDs reads the positive integer values of a repeated form field
// (selected rows of a bulk action).
func custFormIDs(c echo.Context, name string) []int64 {
	form, err := c.FormParams()
	if err != nil {
		return nil
	}
	var out []int64
	seen := map[int64]bool{}
	for _, s := range form[name] {
		if id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil && id > 0 && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// formInt64 reads an integer form field (0 when absent or malformed).
func custFormInt64(c echo.Context, name string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(c.FormValue(name)), 10, 64)
	return n
}

// localBack is a same-site path to return to after a bulk action (the list
// with its filters), or def.
func custLocalBack(s, prefix, def string) string {
	if strings.HasPrefix(s, prefix) && safeNext(s) == s {
		return s
	}
	return def
}

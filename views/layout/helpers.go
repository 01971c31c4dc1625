// Package layout holds the document and the console shell every page
// renders inside.
package layout

import (
	"context"
	"strconv"
	"unicode/utf8"

	"partnercenter/views/ui"
)

func unreadLabel(n int64) string {
	if n > 99 {
		return "99+"
	}
	return strconv.FormatInt(n, 10)
}

func initial(name string) string {
	r, _ := utf8.DecodeRuneInString(name)
	if r == utf8.RuneError {
		return "?"
	}
	return string(r)
}

// sideGroups is the left navigation of the active menu, or 伙伴信息 when a
// page of the user menu is open. A menu with a single page has none.
func sideGroups(ctx context.Context) []ui.NavGroup {
	p := ui.P(ctx)
	for _, m := range p.Nav {
		if m.Active {
			n := 0
			for _, g := range m.Groups {
				n += len(g.Pages)
			}
			// A menu keeps its side navigation even with one page (a cloud
			// reseller's 账务 is 资金管理 alone), so the layout does not jump;
			// a home page is its menu and needs none.
			if n > 1 || (n == 1 && m.Key != "home" && m.Key != "console" && m.Key != "my_partners") {
				return m.Groups
			}
			return nil
		}
	}
	for _, pg := range p.UserMenu {
		if pg.Active {
			return []ui.NavGroup{{Label: "nav.partner_info", Pages: p.UserMenu}}
		}
	}
	return nil
}

package components

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"partnercenter/internal/platform/i18n"
	"partnercenter/views/ui"
)

// A capped total says "more than", grouped; an exact one says how many.
func TestPagerSaysMoreThanWhenTheCountIsCapped(t *testing.T) {
	for _, c := range []struct {
		lang   string
		capped bool
		want   string
	}{
		{i18n.ZhCN, true, "超过 10,000 条"}, {i18n.EnUS, true, "More than 10,000"}, {i18n.ZhCN, false, "共 10000 条"},
	} {
		var buf bytes.Buffer
		ctx := ui.With(i18n.WithLang(context.Background(), c.lang), &ui.Page{Lang: c.lang})
		p := Pager{Page: 1, PerPage: 20, Total: 10000, Capped: c.capped, Path: "/x", Target: "#x"}
		if err := PagerBar(p).Render(ctx, &buf); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), c.want) {
			t.Errorf("%s capped=%v: %q lacks %q", c.lang, c.capped, buf.String()[:min(200, buf.Len())], c.want)
		}
		if exact := strings.Contains(buf.String(), `data-testid="count-exact"`); exact != c.capped ||
			(exact && !strings.Contains(buf.String(), "count=exact")) {
			t.Errorf("%s capped=%v: the exact count link is offered %v", c.lang, c.capped, exact)
		}
	}
}

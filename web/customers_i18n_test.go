package web

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"partnercenter/internal/customer"
	"partnercenter/internal/demo"
)

var partnerPagesKeyRe = regexp.MustCompile(`\b(customers?|sales|org|error|nav|list)(\.[a-z_]+){1,}\b`)

// Every partner page of 客户 and 销售 is complete in both languages: no
// catalog id shows through (an address ending in .cn is data).
func TestCustomerAndSalesPagesAreTranslatedInBothLanguages(t *testing.T) {
	env := newEnv(t)
	f := custAssociated(t, env, demo.SPAdmin, customer.ModeConsulting, demo.SPManager1)
	on := custInvitation(t, env, demo.SPAdmin, customer.ChannelOnline)
	off := custInvitation(t, env, demo.SPAdmin, customer.ChannelOffline)
	pages := []string{"/customers", "/customers/assign", "/customers/records", fmt.Sprintf("/customers/%d", f.ID),
		fmt.Sprintf("/customers/%d/switch", f.ID), fmt.Sprintf("/customers/%d/unbind", f.ID), "/sales/reports", "/sales/reports/new",
		fmt.Sprintf("/sales/reports/%d", on.ReportID), "/sales/invitations/online", "/sales/invitations/offline",
		fmt.Sprintf("/sales/invitations/online/%d", on.ID), fmt.Sprintf("/sales/invitations/offline/%d", off.ID), "/customers?q=不存在的客户"}
	c := env.as(t, demo.SPAdmin)
	t.Cleanup(func() { env.DB.Exec("UPDATE users SET locale = 'zh-CN' WHERE login_name = ?", demo.SPAdmin) })
	for _, lang := range []string{"en-US", "zh-CN"} {
		c.post("/locale", url.Values{"lang": {lang}})
		for _, p := range pages {
			r := c.get(p)
			if r.Status != http.StatusOK {
				t.Errorf("%s %s: status %d", lang, p, r.Status)
				continue
			}
			d := r.doc(t)
			d.Find("script, style").Remove()
			for _, m := range partnerPagesKeyRe.FindAllString(d.Find("body").Text(), -1) {
				if !strings.HasSuffix(m, ".cn") && !strings.HasSuffix(m, ".com") {
					t.Errorf("%s %s: untranslated %q", lang, p, m)
				}
			}
			if d.Find(`[data-testid="page-title"]`).Text() == "" {
				t.Errorf("%s %s: no page title", lang, p)
			}
		}
	}
	// The export speaks the user's language too.
	c.post("/locale", url.Values{"lang": {"en-US"}})
	rows := xlsxRows(t, c.get("/customers/export.xlsx?q="+url.QueryEscape(f.Name)).Body)
	if len(rows) != 2 || rows[0][0] != "Customer / account" || rows[1][4] != "Consulting sales" && !strings.Contains(rows[1][4], "onsult") {
		t.Errorf("English export: %v", rows)
	}
	c.post("/locale", url.Values{"lang": {"zh-CN"}})
}

package web

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"partnercenter/internal/approval"
	"partnercenter/internal/demo"
	"partnercenter/internal/platform/i18n"
	approvalview "partnercenter/views/approval"
)

// Every application type a partner can submit has its own payload view
// (labelled fields, codes named): only the test types fall back to the
// plain list of fields.
func TestApplicationTypesHaveAPayloadView(t *testing.T) {
	for _, k := range approval.TypeKeys() {
		if !strings.HasPrefix(k, "test_") && !approvalview.HasPayloadView(k) {
			t.Errorf("application type %s has no payload view in views/approval", k)
		}
	}
}

// payloadFreeText are the payload fields and check arguments (by key)
// whose values are what people typed or login names, even when spelled
// like a code.
var payloadFreeText = map[string]bool{"account_name": true, "name": true, "customer_name": true, "position": true,
	"legal_representative": true, "business_scope": true, "address": true, "registered_capital": true, "existing_name": true,
	"Account": true, "Name": true, "Existing": true}

// The application pages of the demo world's applications read in words in
// both languages, the partner's (/applications/:id, as its main account)
// and the reviewer's (/approvals/:id, as vendor_admin): no payload key,
// code (a review reason, an agreement, a site, a check outcome), catalog
// id, JSON or "system" shows through, and in Chinese every label of the
// payload is Chinese.
func TestApplicationAndApprovalPagesShowLabelsNotKeys(t *testing.T) {
	env := newEnv(t)
	var apps []struct {
		ID      int64
		Type    string
		Payload string
		Checks  string
		Login   string
	}
	logins := []string{demo.SPAdmin, demo.MDAdmin, demo.CRAdmin, "nr_admin", "yf_admin", "bc_admin", demo.QMAdmin}
	if err := env.DB.Raw(`SELECT a.id, a.type, a.payload::text AS payload, a.checks::text AS checks, u.login_name AS login
		FROM applications a JOIN users u ON u.partner_id = a.partner_id AND u.is_main
		WHERE a.type NOT LIKE 'test\_%' AND u.login_name IN ? ORDER BY a.id`, logins).Scan(&apps).Error; err != nil {
		t.Fatal(err)
	}
	types := map[string]bool{}
	for _, a := range apps {
		types[a.Type] = true
	}
	if len(apps) < 10 || !types["hcpn_onboarding"] || !types["customer_report_review"] {
		t.Fatalf("the demo's applications: %d of types %v", len(apps), types)
	}
	ids := catalogIDs(t, i18n.ZhCN)
	words := map[string]map[string]bool{}
	for _, lang := range i18n.Supported {
		words[lang] = catalogWords(t, lang)
	}
	clients := map[string]*client{}
	as := func(login string) *client {
		if clients[login] == nil {
			clients[login] = env.as(t, login)
		}
		return clients[login]
	}
	t.Cleanup(func() {
		env.DB.Exec("UPDATE users SET locale = 'zh-CN' WHERE login_name IN ?", append(logins, demo.VendorAdmin))
	})
	for _, lang := range i18n.Supported {
		for _, c := range clients {
			c.setLang(lang)
		}
		for _, a := range apps {
			// The internals of this application: its payload's keys and
			// code-like values, its check results' codes.
			forbidden := map[string]bool{"true": true, "false": true}
			for _, doc := range []string{a.Payload, a.Checks} {
				jsonWalk(decodeJSON(t, doc), nil, func(keys []string, v any) {
					if len(keys) == 0 {
						return
					}
					k := keys[len(keys)-1]
					forbidden[k] = true
					if s, ok := v.(string); ok && codeLikeRe.MatchString(s) && !payloadFreeText[k] {
						forbidden[s] = true
					}
				})
			}
			for _, page := range []struct{ login, path string }{
				{a.Login, fmt.Sprintf("/applications/%d", a.ID)},
				{demo.VendorAdmin, fmt.Sprintf("/approvals/%d", a.ID)},
			} {
				c := as(page.login)
				c.setLang(lang)
				r := c.get(page.path)
				if r.Status != http.StatusOK {
					t.Errorf("%s %s %s: %d", lang, page.login, page.path, r.Status)
					continue
				}
				for _, w := range internalsIn(visibleText(t, r), lang, forbidden, ids, words[lang]) {
					t.Errorf("%s %s %s (%s): shows %q", lang, page.login, page.path, a.Type, w)
				}
				d := r.doc(t)
				if d.Find(`[data-testid="payload"] dt`).Length() == 0 {
					t.Errorf("%s %s: no payload fields", lang, page.path)
				}
				if lang == i18n.ZhCN {
					d.Find(`[data-testid="payload"] dt, [data-testid="contacts"] dt`).Each(func(_ int, s *goquery.Selection) {
						if !hanRe.MatchString(s.Text()) {
							t.Errorf("%s: payload label %q is not in Chinese", page.path, s.Text())
						}
					})
				}
			}
		}
	}
}

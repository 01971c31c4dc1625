package web

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"partnercenter/internal/demo"
)

// The authorization matrix: every registered route is requested as
// anonymous, every demo account and another tenant's admin, and the
// outcome must be the one its row declares. A route without a row fails
// the test, so nobody adds a route without deciding who may use it.
//
// Each menu registers its rows in web/<menu>_matrix_test.go with
// matrixRow(...) from an init function.

type outcome string

const (
	allowed   outcome = "ok"        // 200 (or a redirect elsewhere) for GET; 2xx, 303 or an input error for POST
	toLogin   outcome = "login"     // 303 to /login?next= (the console's pages: to /console/login?next=)
	forbidden outcome = "forbidden" // 403 没有访问权限
	notFound  outcome = "404"
	// toConsoleLogin is toLogin for the customer console's pages and the
	// invitation's accept: customers sign in on the console's own page.
	toConsoleLogin outcome = "console login"
)

// Accounts of the matrix: anonymous, every demo login, and md_admin as
// "another tenant's admin" for the solution provider's objects.
const anon = "(anonymous)"

var matrixAccounts = []string{anon, demo.SPAdmin, demo.SPFinance, demo.SPManager1, demo.SPManager2, demo.SPViewer,
	demo.MDAdmin, demo.CRAdmin, demo.EcoManager, demo.VendorAdmin, demo.CustZhang, demo.CustNew, demo.PersonLi}

// matrixCase describes how to request one route and what each account gets.
type matrixCase struct {
	// target returns the concrete path for an account (it may create a
	// throwaway object, so that an allowed POST does no harm). Nil means
	// the route's path as registered.
	target func(t *testing.T, env *testEnv, account string) string
	// form is posted for POST routes (the CSRF token is added).
	form url.Values
	// allow lists the accounts that get through; others get forbidden
	// (anonymous: login) unless listed in notFound.
	allow    []string
	notFound []string
	// public routes are allowed for everyone, anonymous included.
	public bool
	// unscoped explains why a route with an object id has no account that
	// holds its item but must not see the object (so no 404 case exists).
	unscoped string
}

var matrix = map[string]matrixCase{}

func matrixRow(key string, c matrixCase) {
	if _, dup := matrix[key]; dup {
		panic("matrix row registered twice: " + key)
	}
	matrix[key] = c
}

// Groups of accounts used by rows.
var (
	partnerAdmins  = []string{demo.SPAdmin, demo.MDAdmin, demo.CRAdmin}
	vendorStaff    = []string{demo.EcoManager, demo.VendorAdmin}
	partnerMembers = []string{demo.SPFinance, demo.SPManager1, demo.SPManager2, demo.SPViewer}
	allPartner     = append(append([]string{}, partnerAdmins...), partnerMembers...)
	customers      = []string{demo.CustZhang, demo.CustNew} // console accounts: only public, signed-in and console routes
	persons        = []string{demo.PersonLi}                // personal Huawei accounts: only public, signed-in and personal-console routes
	everyone       = append(append(append(append([]string{}, allPartner...), vendorStaff...), customers...), persons...)
)

func (c matrixCase) expected(account string) outcome {
	if c.public {
		return allowed
	}
	if account == anon {
		return toLogin
	}
	for _, a := range c.notFound {
		if a == account {
			return notFound
		}
	}
	for _, a := range c.allow {
		if a == account {
			return allowed
		}
	}
	return forbidden
}

func classify(method string, r *response) outcome {
	switch {
	case r.Status == http.StatusSeeOther && strings.HasPrefix(r.Location, "/login?next="):
		return toLogin
	case r.Status == http.StatusSeeOther && strings.HasPrefix(r.Location, "/console/login?next="):
		return toConsoleLogin
	case r.Status == http.StatusForbidden && strings.Contains(r.Body, `data-error-key="error.forbidden`):
		return forbidden
	case r.Status == http.StatusNotFound:
		return notFound
	case method == http.MethodGet && (r.Status == http.StatusOK || r.Status == http.StatusSeeOther):
		return allowed
	case method != http.MethodGet && (r.Status < 300 || r.Status == http.StatusSeeOther ||
		r.Status == http.StatusUnprocessableEntity || r.Status == http.StatusConflict):
		return allowed
	}
	return outcome("unexpected status " + http.StatusText(r.Status))
}

func TestAuthorizationMatrixCoversEveryRoute(t *testing.T) {
	env := newEnv(t)
	var keys []string
	for _, r := range env.App.Routes() {
		keys = append(keys, r.Key())
		if _, ok := matrix[r.Key()]; !ok {
			t.Errorf("route %s has no row in the authorization matrix (add one in web/<menu>_matrix_test.go)", r.Key())
		}
	}
	registered := map[string]bool{}
	for _, k := range keys {
		registered[k] = true
	}
	for k := range matrix {
		if !registered[k] {
			t.Errorf("matrix row %s matches no registered route", k)
		}
	}
}

func TestAuthorizationMatrix(t *testing.T) {
	env := newEnv(t)
	clients := map[string]*client{}
	for _, acc := range matrixAccounts {
		if acc == anon {
			c := env.client(t)
			c.get("/login")
			clients[acc] = c
		} else {
			clients[acc] = env.as(t, acc)
		}
	}
	routes := env.App.Routes()
	sort.Slice(routes, func(i, j int) bool { return routes[i].Key() < routes[j].Key() })
	for _, r := range routes {
		row, ok := matrix[r.Key()]
		if !ok {
			continue // reported by TestAuthorizationMatrixCoversEveryRoute
		}
		if r.Key() == "POST /logout" || r.Key() == "POST /login" {
			continue // they change the clients themselves; covered in auth_test.go
		}
		for _, acc := range matrixAccounts {
			c := clients[acc]
			path := r.Path
			if row.target != nil {
				path = row.target(t, env, acc)
			}
			var res *response
			if r.Method == http.MethodGet {
				res = c.get(path)
			} else {
				form := url.Values{}
				for k, v := range row.form {
					form[k] = v
				}
				res = c.post(path, form)
			}
			want := row.expected(acc)
			if want == toLogin && (strings.HasPrefix(r.Path, "/console") || strings.HasPrefix(r.Path, "/invite/")) {
				want = toConsoleLogin
			}
			if got := classify(r.Method, res); got != want {
				t.Errorf("%s as %s (%s): got %s, want %s", r.Key(), acc, path, got, want)
			}
		}
	}
}

func init() {
	matrixRow("GET /healthz", matrixCase{public: true})
	matrixRow("GET /readyz", matrixCase{public: true})
	matrixRow("GET /login", matrixCase{public: true})
	matrixRow("POST /login", matrixCase{public: true})
	matrixRow("POST /logout", matrixCase{allow: everyone})
	matrixRow("POST /locale", matrixCase{public: true, form: url.Values{"lang": {"zh-CN"}}})
	matrixRow("GET /", matrixCase{allow: everyone})
}

// 忘记密码: public pages (an empty form is refused as input; an unknown
// token shows the form).
func init() {
	matrixRow("GET /login/forgot", matrixCase{public: true})
	matrixRow("POST /login/forgot", matrixCase{public: true})
	matrixRow("GET /login/reset/:token", matrixCase{public: true, target: func(*testing.T, *testEnv, string) string { return "/login/reset/nope" },
		unscoped: "a public page; the token is the request's secret"})
	matrixRow("POST /login/reset/:token", matrixCase{public: true, target: func(*testing.T, *testEnv, string) string { return "/login/reset/nope" },
		unscoped: "a public page; the token is the request's secret"})
}

package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
)

// Route is one entry of the route table. Perm is the permission item the
// route needs; access.Public and access.SignedIn are pseudo items. The
// permission middleware, the navigation and the buttons all read Perm
// from here, so a hidden button and a refused request never disagree.
type Route struct {
	Method  string
	Path    string
	Perm    access.Item
	Handler echo.HandlerFunc
}

// Key is "METHOD /path" as used by Allowed in views.
func (r Route) Key() string { return r.Method + " " + r.Path }

func get(path string, perm access.Item, h echo.HandlerFunc) Route {
	return Route{http.MethodGet, path, perm, h}
}

func post(path string, perm access.Item, h echo.HandlerFunc) Route {
	return Route{http.MethodPost, path, perm, h}
}

// Routes is the whole route table. Each menu contributes its own list.
func (a *App) Routes() []Route {
	var rs []Route
	for _, part := range [][]Route{
		a.systemRoutes(),
		a.authRoutes(),
		a.homeRoutes(),
		a.messageRoutes(),
		a.profileRoutes(),
		a.orgRoutes(),
		a.auditRoutes(),
		a.applicationRoutes(),
		a.onboardingRoutes(),
		a.vendorRoutes(),
		a.staffRoutes(),
		a.billingRoutes(),
		a.billRoutes(),
		a.contractRoutes(),
		a.customerRoutes(),
		a.salesRoutes(),
		a.consoleRoutes(),
		a.invoiceRoutes(),
		a.consumptionRoutes(),
	} {
		rs = append(rs, part...)
	}
	return rs
}

package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/customer"
	"partnercenter/views/partners"
)

// protectionRoutes are the vendor administrator's 保护期设置 (issue 14,
// item 8): the customer report protection period and how many days before
// a report's or a PO's protection ends its owner and the partner admin are
// warned.
func (a *App) protectionRoutes() []Route {
	return []Route{
		get("/partners/protection", access.VendorPoliciesManage, a.protectionPage),
		post("/partners/protection", access.VendorPoliciesManage, a.protectionSave),
	}
}

func (a *App) protectionPage(c echo.Context) error {
	p, err := a.svc.Customers.ProtectionSettings(c.Request().Context(), principalOf(c))
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, partners.Protection(partners.ProtectionVM{ReportDays: strconv.Itoa(p.ReportDays),
		WarnDays: strconv.Itoa(p.WarnDays), Errors: map[string]string{}}))
}

func (a *App) protectionSave(c echo.Context) error {
	rd, wd := strings.TrimSpace(c.FormValue("report_days")), strings.TrimSpace(c.FormValue("warn_days"))
	in := customer.Protection{ReportDays: -1, WarnDays: -1}
	if n, err := strconv.Atoi(rd); err == nil {
		in.ReportDays = n
	}
	if n, err := strconv.Atoi(wd); err == nil {
		in.WarnDays = n
	}
	if err := a.svc.Customers.SetProtection(c.Request().Context(), principalOf(c), in); err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return render(c, status, partners.Protection(partners.ProtectionVM{ReportDays: rd, WarnDays: wd, Errors: ae.Fields,
			Summary: ae.MessageKey()}))
	}
	return a.done(c, "/partners/protection", "protection.saved")
}

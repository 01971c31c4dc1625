package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/customer"
	"partnercenter/internal/platform/apperr"
	"partnercenter/views/components"
	salesview "partnercenter/views/sales"
)

// salesRoutes is 销售 > 拓新 > 客户拓展: 报备客户, 线上拓展 and 线下拓展
// (seed 003 §12.1.2.4–6, §12.1.9.18).
func (a *App) salesRoutes() []Route {
	return []Route{
		get("/sales/reports", access.SalesReportsView, a.salesReports),
		get("/sales/reports/new", access.SalesReportsManage, a.salesReportNew),
		post("/sales/reports", access.SalesReportsManage, a.salesReportCreate),
		get("/sales/reports/:id", access.SalesReportsView, a.salesReport),

		get("/sales/invitations/online", access.SalesInvitationsManage, a.salesInvitationsOnline),
		post("/sales/invitations/online", access.SalesInvitationsManage, a.salesInviteOnline),
		get("/sales/invitations/offline", access.SalesInvitationsManage, a.salesInvitationsOffline),
		post("/sales/invitations/offline", access.SalesInvitationsManage, a.salesInviteOffline),
		get("/sales/invitations/online/:id", access.SalesInvitationsManage, a.salesInvitationOnline),
		get("/sales/invitations/offline/:id", access.SalesInvitationsManage, a.salesInvitationOffline),
		get("/sales/invitations/:id/qr.png", access.SalesInvitationsManage, a.salesInvitationQR),
		post("/sales/invitations/:id/reinvite", access.SalesInvitationsManage, a.salesReinvite),
	}
}

// ---- 报备客户 ----

func (a *App) salesReports(c echo.Context) error {
	ctx := c.Request().Context()
	f := customer.ReportFilter{Q: strings.TrimSpace(c.QueryParam("q")), Status: c.QueryParam("status")}
	f.Page, f.Per = pageOf(c, customer.PerPage)
	if !custOneOf(f.Status, customer.ReportStatuses) {
		f.Status = ""
	}
	list, err := a.svc.Customers.ListReports(ctx, principalOf(c), f)
	if err != nil {
		return err
	}
	days, err := a.svc.Customers.ReportValidityDays(ctx)
	if err != nil {
		return err
	}
	q := salesview.ReportListQuery(f)
	vm := salesview.ReportsVM{Filter: f, List: list, ValidityDays: days,
		Pager: sized(c, components.Pager{Page: list.Page, PerPage: list.Per, Total: list.Total, Query: q, Path: "/sales/reports", Target: "#report-table"})}
	return render(c, http.StatusOK, salesview.Reports(vm))
}

func (a *App) salesRenderReportForm(c echo.Context, status int, in customer.ReportInput, formErr error) error {
	days, err := a.svc.Customers.ReportValidityDays(c.Request().Context())
	if err != nil {
		return err
	}
	vm := salesview.ReportFormVM{Input: in, Errors: map[string]string{}, ValidityDays: days}
	if ae, ok := apperr.As(formErr); ok {
		vm.Summary, vm.SummaryArgs = ae.Key, ae.Args
		if ae.Fields != nil {
			vm.Errors = ae.Fields
		}
	}
	return render(c, status, salesview.ReportForm(vm))
}

func (a *App) salesReportNew(c echo.Context) error {
	return a.salesRenderReportForm(c, http.StatusOK, customer.ReportInput{Kind: customer.KindEnterprise}, nil)
}

func (a *App) salesReportCreate(c echo.Context) error {
	in := customer.ReportInput{
		CustomerName: c.FormValue("customer_name"), Kind: c.FormValue("kind"), CreditCode: c.FormValue("credit_code"),
		ContactName: c.FormValue("contact_name"), Mobile: c.FormValue("mobile"), Email: c.FormValue("email"),
		Industry: c.FormValue("industry"), Region: c.FormValue("region"), Notes: c.FormValue("notes"),
	}
	r, err := a.svc.Customers.CreateReport(c.Request().Context(), principalOf(c), in)
	switch {
	case apperr.Is(err, apperr.KindInvalid):
		return a.salesRenderReportForm(c, http.StatusUnprocessableEntity, in, err)
	case apperr.Is(err, apperr.KindConflict):
		// Another partner's protected report (or our own): the reason is
		// the service's, shown above the form with what was entered.
		return a.salesRenderReportForm(c, http.StatusConflict, in, err)
	case err != nil:
		return err
	}
	if r.Status == customer.ReportInReview {
		// Sent to the ecosystem manager for a manual review.
		return a.done(c, salesReportPath(r.ID), "sales.reports.sent_to_review")
	}
	return a.done(c, salesReportPath(r.ID), "sales.reports.created")
}

func salesReportPath(id int64) string { return "/sales/reports/" + strconv.FormatInt(id, 10) }

// salesInvitationPath is an invitation's page, under its channel's menu.
func salesInvitationPath(inv *customer.Invitation) string {
	return "/sales/invitations/" + inv.Channel + "/" + strconv.FormatInt(inv.ID, 10)
}

func (a *App) salesRenderReport(c echo.Context, status int, id int64, email, mode string, formErr error) error {
	ctx := c.Request().Context()
	p := principalOf(c)
	r, err := a.svc.Customers.GetReport(ctx, p, id)
	if err != nil {
		return err
	}
	invs, err := a.svc.Customers.ListInvitations(ctx, p, customer.InvitationFilter{ReportID: r.ID, Per: 200})
	if err != nil {
		return err
	}
	if email == "" && formErr == nil {
		email = r.Email
	}
	vm := salesview.ReportVM{Report: r, Invitations: invs.Rows, Now: a.Clock.Now(), BaseURL: a.Config.BaseURL,
		Errors: map[string]string{}, Email: email, Mode: mode}
	if ae, ok := apperr.As(formErr); ok {
		vm.Summary = ae.Key
		if ae.Fields != nil {
			vm.Errors = ae.Fields
		}
	}
	return render(c, status, salesview.ReportDetail(vm))
}

func (a *App) salesReport(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return a.salesRenderReport(c, http.StatusOK, id, "", "", nil)
}

// ---- 线上拓展 / 线下拓展 ----

func (a *App) salesInvitationsOnline(c echo.Context) error {
	return a.salesRenderInvitations(c, http.StatusOK, customer.ChannelOnline, salesInviteForm{ReportID: custQueryID(c, "report")}, nil)
}

func (a *App) salesInvitationsOffline(c echo.Context) error {
	return a.salesRenderInvitations(c, http.StatusOK, customer.ChannelOffline, salesInviteForm{ReportID: custQueryID(c, "report")}, nil)
}

type salesInviteForm struct {
	ReportID    int64
	Email, Mode string
}

func custQueryID(c echo.Context, name string) int64 {
	n, err := strconv.ParseInt(c.QueryParam(name), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

func (a *App) salesRenderInvitations(c echo.Context, status int, channel string, in salesInviteForm, formErr error) error {
	ctx := c.Request().Context()
	p := principalOf(c)
	f := customer.InvitationFilter{Channel: channel, Q: strings.TrimSpace(c.QueryParam("q")), Status: c.QueryParam("status")}
	f.Page, f.Per = pageOf(c, customer.PerPage)
	if !custOneOf(f.Status, customer.InvitationStatuses) {
		f.Status = ""
	}
	list, err := a.svc.Customers.ListInvitations(ctx, p, f)
	if err != nil {
		return err
	}
	reports, err := a.svc.Customers.ListReports(ctx, p, customer.ReportFilter{Status: customer.ReportProtected, Per: 200})
	if err != nil {
		return err
	}
	path := "/sales/invitations/" + channel
	q := salesview.InvitationListQuery(f)
	vm := salesview.InvitationsVM{Channel: channel, Filter: f, List: list, Reports: reports.Rows, Now: a.Clock.Now(),
		BaseURL: a.Config.BaseURL, ReportID: in.ReportID, Email: in.Email, Mode: in.Mode, Errors: map[string]string{},
		Open:  in.ReportID > 0 || formErr != nil,
		Pager: sized(c, components.Pager{Page: list.Page, PerPage: list.Per, Total: list.Total, Query: q, Path: path, Target: "#" + channel + "-table"})}
	if ae, ok := apperr.As(formErr); ok {
		vm.Summary, vm.SummaryArgs = ae.Key, ae.Args
		if ae.Fields != nil {
			vm.Errors = ae.Fields
		}
	}
	return render(c, status, salesview.Invitations(vm))
}

// salesInviteError re-renders the page the invitation form was on (the report's
// page or the channel's list) with the error; other errors pass through.
func (a *App) salesInviteError(c echo.Context, channel string, in salesInviteForm, err error) error {
	status := http.StatusUnprocessableEntity
	switch {
	case apperr.Is(err, apperr.KindInvalid):
	case apperr.Is(err, apperr.KindConflict):
		status = http.StatusConflict
	default:
		return err
	}
	if c.FormValue("from") == "report" && in.ReportID > 0 {
		return a.salesRenderReport(c, status, in.ReportID, in.Email, in.Mode, err)
	}
	return a.salesRenderInvitations(c, status, channel, in, err)
}

func (a *App) salesInviteOnline(c echo.Context) error {
	in := salesInviteForm{ReportID: custFormInt64(c, "report_id"), Email: strings.TrimSpace(c.FormValue("email")), Mode: c.FormValue("mode")}
	if in.ReportID <= 0 {
		return a.salesInviteError(c, customer.ChannelOnline, in, apperr.FieldError("report_id", "sales.invite.err.report_required"))
	}
	ctx := c.Request().Context()
	p := principalOf(c)
	email := in.Email
	if email == "" {
		// Left empty: the email given when the customer was reported.
		r, err := a.svc.Customers.GetReport(ctx, p, in.ReportID)
		if err != nil {
			return err
		}
		email = r.Email
	}
	inv, err := a.svc.Customers.InviteOnline(ctx, p, in.ReportID, email, in.Mode)
	if err != nil {
		return a.salesInviteError(c, customer.ChannelOnline, in, err)
	}
	return a.done(c, salesInvitationPath(inv), "sales.invitation.sent")
}

func (a *App) salesInviteOffline(c echo.Context) error {
	in := salesInviteForm{ReportID: custFormInt64(c, "report_id"), Mode: c.FormValue("mode")}
	if in.ReportID <= 0 {
		return a.salesInviteError(c, customer.ChannelOffline, in, apperr.FieldError("report_id", "sales.invite.err.report_required"))
	}
	inv, err := a.svc.Customers.InviteOffline(c.Request().Context(), principalOf(c), in.ReportID, in.Mode)
	if err != nil {
		return a.salesInviteError(c, customer.ChannelOffline, in, err)
	}
	return a.done(c, salesInvitationPath(inv), "sales.invitation.generated")
}

func (a *App) salesRenderInvitation(c echo.Context, status int, channel string, id int64, email string, formErr error) error {
	inv, err := a.svc.Customers.GetInvitation(c.Request().Context(), principalOf(c), id)
	if err != nil {
		return err
	}
	if channel != "" && inv.Channel != channel {
		return apperr.NotFound() // one invitation, one address
	}
	if email == "" && formErr == nil {
		email = inv.Email
	}
	vm := salesview.InvitationVM{Inv: inv, Now: a.Clock.Now(), BaseURL: a.Config.BaseURL, Email: email, Errors: map[string]string{}}
	if ae, ok := apperr.As(formErr); ok {
		if len(ae.Fields) > 0 {
			vm.Errors = ae.Fields
		} else {
			vm.Errors["email"] = ae.Key // a refusal without a field: shown under the email
		}
	}
	return render(c, status, salesview.Invitation(vm))
}

func (a *App) salesInvitationOnline(c echo.Context) error {
	return a.salesInvitation(c, customer.ChannelOnline)
}

func (a *App) salesInvitationOffline(c echo.Context) error {
	return a.salesInvitation(c, customer.ChannelOffline)
}

func (a *App) salesInvitation(c echo.Context, channel string) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return a.salesRenderInvitation(c, http.StatusOK, channel, id, "", nil)
}

// salesReinvite corrects the email of an online invitation and sends a
// new link valid 7 days (seed 003 §12.1.2.6, R10).
func (a *App) salesReinvite(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	email := strings.TrimSpace(c.FormValue("email"))
	inv, err := a.svc.Customers.Reinvite(c.Request().Context(), principalOf(c), id, email)
	if apperr.Is(err, apperr.KindInvalid) || apperr.Is(err, apperr.KindConflict) {
		status := http.StatusUnprocessableEntity
		if apperr.Is(err, apperr.KindConflict) {
			status = http.StatusConflict
		}
		return a.salesRenderInvitation(c, status, "", id, email, err)
	}
	if err != nil {
		return err
	}
	return a.done(c, salesInvitationPath(inv), "sales.invitation.resent")
}

// salesInvitationQR is the offline link's QR code (拓展二维码, seed 003
// §12.1.2.5) as a PNG, shown inline or downloaded.
func (a *App) salesInvitationQR(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	inv, err := a.svc.Customers.GetInvitation(c.Request().Context(), principalOf(c), id)
	if err != nil {
		return err
	}
	if inv.Channel != customer.ChannelOffline {
		return apperr.NotFound()
	}
	return sendQR(c, a.Config.BaseURL+inv.Path(), "invitation-"+strconv.FormatInt(inv.ID, 10)+"-qr.png")
}

func custOneOf(s string, set []string) bool {
	for _, v := range set {
		if v == s {
			return true
		}
	}
	return false
}

package web

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/export"
	"partnercenter/internal/funds"
	"partnercenter/internal/platform/apperr"
	billingview "partnercenter/views/billing"
	"partnercenter/views/components"
)

// billingFundsRoutes is 账务 > 资金管理 (seed 003 §12.1.3, §12.1.9.24) and vendor
// finance's 财务 menu (充值确认, 提现审核).
func (a *App) billingFundsRoutes() []Route {
	return []Route{
		get("/billing/funds", access.BillingFundsView, a.fundsOverview),
		post("/billing/funds/alert", access.BillingAlert, a.fundsSetAlert),
		post("/billing/funds/security", access.BillingSecurity, a.fundsSetSecurity),
		get("/billing/funds/lines", access.BillingFundsView, a.fundsLines),
		get("/billing/funds/lines/export", access.BillingFundsView, a.fundsLinesExport),
		get("/billing/funds/adjustments", access.BillingFundsView, a.fundsAdjustments),
		get("/billing/funds/customers", access.BillingFundsView, a.fundsCustomers),
		get("/billing/funds/transfer", access.BillingTransfer, a.moveForm(funds.OpTransfer)),
		post("/billing/funds/transfer/preview", access.BillingTransfer, a.movePreview(funds.OpTransfer)),
		post("/billing/funds/transfer", access.BillingTransfer, a.moveConfirm(funds.OpTransfer)),
		get("/billing/funds/recover", access.BillingRecover, a.moveForm(funds.OpRecover)),
		post("/billing/funds/recover/preview", access.BillingRecover, a.movePreview(funds.OpRecover)),
		post("/billing/funds/recover", access.BillingRecover, a.moveConfirm(funds.OpRecover)),
		get("/billing/funds/withdrawals", access.BillingWithdraw, a.fundsWithdrawals),
		post("/billing/funds/withdrawals", access.BillingWithdraw, a.fundsWithdraw),
	}
}

// newIdemKey is the idempotency key a money form carries: generated on
// the server when the form renders, so a double click or a retry of the
// same form moves money once.
func newIdemKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (a *App) renderOverview(c echo.Context, status int, threshold string, formErr error) error {
	o, err := a.svc.Funds.Overview(c.Request().Context(), principalOf(c))
	if err != nil {
		return err
	}
	vm := billingview.OverviewVM{O: o, Threshold: threshold, Errors: map[string]string{}}
	if formErr == nil && o.Settings.AlertThreshold.Valid {
		vm.Threshold = o.Settings.AlertThreshold.Decimal.StringFixed(2)
	}
	if ae, ok := apperr.As(formErr); ok {
		vm.Errors = ae.Fields
	}
	return render(c, status, billingview.Overview(vm))
}

func (a *App) fundsOverview(c echo.Context) error {
	return a.renderOverview(c, http.StatusOK, "", nil)
}

func (a *App) fundsSetAlert(c echo.Context) error {
	th := c.FormValue("threshold")
	err := a.svc.Funds.SetAlert(c.Request().Context(), principalOf(c), th)
	if apperr.Is(err, apperr.KindInvalid) {
		return a.renderOverview(c, http.StatusUnprocessableEntity, th, err)
	}
	if err != nil {
		return err
	}
	return a.done(c, "/billing/funds", "billing.alert.saved")
}

func (a *App) fundsSetSecurity(c echo.Context) error {
	on := c.FormValue("stepup") == "on"
	if err := a.svc.Funds.SetStepUp(c.Request().Context(), principalOf(c), on); err != nil {
		return err
	}
	return a.done(c, "/billing/funds", "billing.security.saved")
}

func lineFilterOf(c echo.Context) (funds.LineFilter, string, string) {
	from, to := c.QueryParam("from"), c.QueryParam("to")
	return funds.LineFilter{Kind: c.QueryParam("kind"), Direction: c.QueryParam("direction"), Customer: c.QueryParam("customer"),
		From: funds.ParseDay(from), To: funds.ParseDay(to), Oldest: oldestFirst(c),
		Page: queryInt(c, "page", 1), PerPage: components.PageSize(c.QueryParam("per"), funds.PerPage)}, from, to
}

// oldestFirst reads a time-ordered list's sort: ?sort=at&dir=asc is the
// oldest first, anything else the newest.
func oldestFirst(c echo.Context) bool {
	return c.QueryParam("sort") == "at" && c.QueryParam("dir") == "asc"
}

func (a *App) fundsLines(c echo.Context) error {
	f, from, to := lineFilterOf(c)
	list, err := a.svc.Funds.Lines(c.Request().Context(), principalOf(c), f)
	if err != nil {
		return err
	}
	q := c.QueryParams()
	q.Del("page")
	exp := url.Values{}
	for k, v := range q {
		exp[k] = v
	}
	vm := billingview.LinesVM{Filter: f, From: from, To: to, List: list, ExportURL: "/billing/funds/lines/export?" + exp.Encode(),
		Pager: sized(c, components.Pager{Page: list.Page, PerPage: f.PerPage, Total: list.Total, Capped: list.Capped, Query: q, Path: "/billing/funds/lines", Target: "#line-table"})}
	return render(c, http.StatusOK, billingview.Lines(vm))
}

// fundsLinesExport is 导出当前记录 (seed 003 §12.1.9.24): the filtered lines
// as CSV (export.KindFundsLines).
func (a *App) fundsLinesExport(c echo.Context) error {
	f, _, _ := lineFilterOf(c)
	return a.startExport(c, export.KindFundsLines, f)
}

func (a *App) fundsAdjustments(c echo.Context) error {
	from, to := c.QueryParam("from"), c.QueryParam("to")
	f := funds.AdjustmentFilter{Kind: c.QueryParam("kind"), Customer: c.QueryParam("customer"),
		From: funds.ParseDay(from), To: funds.ParseDay(to), Oldest: oldestFirst(c)}
	f.Page, f.PerPage = pageOf(c, funds.PerPage)
	list, err := a.svc.Funds.Adjustments(c.Request().Context(), principalOf(c), f)
	if err != nil {
		return err
	}
	q := c.QueryParams()
	q.Del("page")
	vm := billingview.AdjustmentsVM{Filter: f, From: from, To: to, List: list,
		Pager: sized(c, components.Pager{Page: list.Page, PerPage: f.PerPage, Total: list.Total, Query: q, Path: "/billing/funds/adjustments", Target: "#adjustment-table"})}
	return render(c, http.StatusOK, billingview.Adjustments(vm))
}

func (a *App) fundsCustomers(c echo.Context) error {
	f := funds.CustomerFilter{Q: c.QueryParam("q"), OnlyFunded: c.QueryParam("funded") == "1"}
	f.Page, f.PerPage = pageOf(c, funds.PerPage)
	list, err := a.svc.Funds.Customers(c.Request().Context(), principalOf(c), f)
	if err != nil {
		return err
	}
	q := c.QueryParams()
	q.Del("page")
	vm := billingview.CustomersVM{Filter: f, List: list,
		Pager: sized(c, components.Pager{Page: list.Page, PerPage: f.PerPage, Total: list.Total, Query: q, Path: "/billing/funds/customers", Target: "#customer-table"})}
	return render(c, http.StatusOK, billingview.Customers(vm))
}

func (a *App) renderWithdrawals(c echo.Context, status int, in funds.WithdrawInput, formErr error) error {
	ctx := c.Request().Context()
	p := principalOf(c)
	s := a.svc.Funds
	al, err := s.Allowances(ctx, p)
	if err != nil {
		return err
	}
	balance, st, err := s.Balance(ctx, p)
	if err != nil {
		return err
	}
	page := queryInt(c, "page", 1)
	rows, total, err := s.Withdrawals(ctx, p, page)
	if err != nil {
		return err
	}
	in.Password = ""
	if in.Key == "" {
		in.Key = newIdemKey()
	}
	vm := billingview.WithdrawalsVM{Allowances: al, Balance: balance, Rows: rows, Total: total, Page: page, Input: in,
		StepUp: st.StepupRequired, Errors: map[string]string{}}
	if vm.StepUp {
		if vm.StepUpByCode, err = s.StepUpByCode(ctx, p); err != nil {
			return err
		}
	}
	if ae, ok := apperr.As(formErr); ok {
		vm.Errors, vm.Summary = ae.Fields, ae.Key
		if vm.Errors == nil {
			vm.Errors = map[string]string{}
		}
	}
	return render(c, status, billingview.Withdrawals(vm))
}

func (a *App) fundsWithdrawals(c echo.Context) error {
	return a.renderWithdrawals(c, http.StatusOK, funds.WithdrawInput{}, nil)
}

func (a *App) fundsWithdraw(c echo.Context) error {
	in := funds.WithdrawInput{Amount: c.FormValue("amount"), BankName: c.FormValue("bank_name"), AccountNo: c.FormValue("account_no"),
		HolderName: c.FormValue("holder_name"), Key: c.FormValue("key"), Password: c.FormValue("password")}
	_, err := a.svc.Funds.RequestWithdrawal(c.Request().Context(), principalOf(c), in)
	if apperr.Is(err, apperr.KindInvalid) || apperr.Is(err, apperr.KindConflict) {
		status := http.StatusUnprocessableEntity
		if apperr.Is(err, apperr.KindConflict) {
			status, in.Key = http.StatusConflict, ""
		}
		return a.renderWithdrawals(c, status, in, err)
	}
	if err != nil {
		return err
	}
	return a.done(c, "/billing/funds/withdrawals", "billing.withdrawals.requested")
}

// idsOf reads repeated positive integer parameters.
func idsOf(vals []string) []int64 {
	var out []int64
	for _, s := range vals {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 {
			out = append(out, id)
		}
	}
	return out
}

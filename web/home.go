package web

import (
	"net/http"
	"partnercenter/internal/bill"
	"partnercenter/internal/platform/clock"
	"time"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/views/home"
)

func (a *App) homeRoutes() []Route {
	return []Route{
		get("/", access.HomeView, a.home),
	}
}

// home is the partner's or the vendor staff's landing page; a customer's
// home is its console.
func (a *App) home(c echo.Context) error {
	if principalOf(c).IsCustomer {
		return c.Redirect(http.StatusSeeOther, "/console")
	}
	if principalOf(c).IsPersonal {
		return c.Redirect(http.StatusSeeOther, "/me")
	}
	ctx := c.Request().Context()
	u := currentUser(c)
	if u.IsVendor() {
		vm, err := a.vendorHome(c)
		if err != nil {
			return err
		}
		return render(c, http.StatusOK, home.Vendor(vm))
	}
	p, err := a.svc.Partners.Own(ctx, principalOf(c))
	if err != nil {
		return err
	}
	// The identities were read with the principal, this request.
	vm := home.PartnerVM{Partner: p, Identities: principalOf(c).Identities}
	if p.Status == "active" {
		if vm.Path, err = a.svc.Paths.Current(ctx, principalOf(c)); err != nil {
			return err
		}
	}
	if p.EcoManagerID != nil {
		if m, err := (a.svc.Users).ByID(ctx, *p.EcoManagerID); err == nil {
			vm.EcoManager = m
		}
	}
	if vm.Pending, err = a.pendingItems(c, p); err != nil {
		return err
	}
	if p.Status == "active" {
		if vm.Figures, err = a.homeFigures(c); err != nil {
			return err
		}
	}
	if vm.Progress, err = a.homeProgress(c, p); err != nil {
		return err
	}
	return render(c, http.StatusOK, home.Partner(vm))
}

// homeFigures are the partner's numbers at a glance, each only when the
// user may open the page it links to: the balance and its alert, active
// customers and this month's new ones (in the user's data scope), and the
// last six billing periods' consumption.
func (a *App) homeFigures(c echo.Context) (*home.Figures, error) {
	ctx := c.Request().Context()
	p := principalOf(c)
	can := func(key string) bool { return p.Can(a.Perm(key)) }
	f := &home.Figures{}
	if can("GET /billing/funds") {
		balance, st, err := a.svc.Funds.Balance(ctx, p)
		if err != nil {
			return nil, err
		}
		f.ShowBalance, f.Balance, f.AlertBelow = true, balance, st.Alerting(balance)
	}
	if can("GET /customers") {
		now := a.Clock.Now().In(clock.China)
		month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, clock.China)
		var err error
		if f.Customers, f.NewCustomers, err = a.svc.Customers.Counts(ctx, p, month); err != nil {
			return nil, err
		}
		f.ShowCustomers = true
	}
	if can("GET /billing/bill") {
		trend, err := a.svc.Bills.Trend(ctx, p, 6)
		if err != nil {
			return nil, err
		}
		for _, m := range trend {
			f.Months = append(f.Months, home.Month{Label: m.Period.Format(bill.PeriodFormat), Amount: m.Amount})
		}
	}
	if !f.ShowBalance && !f.ShowCustomers && len(f.Months) == 0 {
		return nil, nil
	}
	return f, nil
}

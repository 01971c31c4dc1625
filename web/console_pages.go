package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/customer"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/i18n"
	cv "partnercenter/views/console"
)

// consoleRoutes are the customer console (云账号中心) of partners'
// customers (seed 003 §12.4; spec §4.4–4.6): registration and the
// invitation landing are public; everything else needs access.ConsoleUse,
// which only customer accounts hold, so partners and vendor staff get
// 没有访问权限 here and customers get it on every partner page.
func (a *App) consoleRoutes() []Route {
	return []Route{
		get("/console/register", access.Public, a.consoleRegisterPage),
		post("/console/register", access.Public, a.consoleRegister),
		get("/invite/:token", access.Public, a.inviteLanding),
		post("/invite/:token/accept", access.ConsoleUse, a.inviteAccept),
		get("/console", access.ConsoleUse, a.consoleHome),
		get("/console/partners", access.ConsoleUse, a.consolePartners),
		get("/console/requests/:id", access.ConsoleUse, a.consoleRequest),
		post("/console/requests/:id/accept", access.ConsoleUse, a.consoleConsentAccept),
		post("/console/requests/:id/decline", access.ConsoleUse, a.consoleConsentDecline),
		post("/console/requests/:id/cancel", access.ConsoleUse, a.consoleCancelRequest),
		get("/console/unbind", access.ConsoleUse, a.consoleUnbindPage),
		post("/console/unbind", access.ConsoleUse, a.consoleUnbind),
	}
}

// consoleLanding is where a signed-in user goes instead of a sign-up page.
func consoleLanding(p *access.Principal, invite string) string {
	switch {
	case p == nil || !p.IsCustomer:
		return "/"
	case invite != "":
		return customer.InvitePathPrefix + invite
	}
	return "/console"
}

func (a *App) consoleRegisterPage(c echo.Context) error {
	invite := c.QueryParam("invite")
	if p := principalOf(c); p != nil {
		return c.Redirect(http.StatusSeeOther, consoleLanding(p, invite))
	}
	return render(c, http.StatusOK, cv.Register(cv.RegisterVM{Invite: invite,
		Form: customer.RegisterInput{Kind: customer.KindPersonal, RealName: customer.RealNamePersonal}}))
}

// consoleRegister creates the customer cloud account, signs it in with a
// rotated session (a.startSession, as sign-in does) and goes on to the invitation it came
// from, or to 账号中心.
func (a *App) consoleRegister(c echo.Context) error {
	invite := c.FormValue("invite")
	if p := principalOf(c); p != nil {
		return a.seeOther(c, consoleLanding(p, invite))
	}
	in := customer.RegisterInput{
		LoginName: c.FormValue("login_name"), Password: c.FormValue("password"), Name: c.FormValue("name"),
		Kind: c.FormValue("kind"), RealName: c.FormValue("real_name"), CreditCode: c.FormValue("credit_code"),
		Mobile: c.FormValue("mobile"), Email: c.FormValue("email"),
		EnterpriseMaster: c.FormValue("enterprise_master"), FinanceHosted: c.FormValue("finance_hosted") != "",
	}
	vm := cv.RegisterVM{Form: in, Invite: invite}
	vm.Form.Password = ""
	if in.Password != c.FormValue("password_confirm") {
		vm.Errors = map[string]string{"password_confirm": "console.err.password_mismatch"}
		return render(c, http.StatusUnprocessableEntity, cv.Register(vm))
	}
	ctx := c.Request().Context()
	cu, err := a.svc.Customers.Register(ctx, in)
	if err != nil {
		if ae, ok := apperr.As(err); ok && (ae.Kind == apperr.KindInvalid || ae.Kind == apperr.KindConflict) {
			vm.Errors, vm.Error, vm.ErrArgs = ae.Fields, ae.Key, ae.Args
			return render(c, statusOf(ae), cv.Register(vm))
		}
		return err
	}
	if cu.UserID == nil {
		return apperr.NotFound()
	}
	if err := a.startSession(c, *cu.UserID, "success|console.flash.registered"); err != nil {
		return err
	}
	// Remember the language the visitor registered in.
	if err := (a.svc.Users).SetLocale(ctx, *cu.UserID, i18n.Lang(ctx)); err != nil {
		return err
	}
	next := "/console"
	if invite != "" {
		next = safeNext(customer.InvitePathPrefix + invite)
	}
	return c.Redirect(http.StatusSeeOther, next)
}

// statusOf is the status of a refused form: 409 for a conflict, else 422.
func statusOf(ae *apperr.Error) int {
	if ae.Kind == apperr.KindConflict {
		return http.StatusConflict
	}
	return http.StatusUnprocessableEntity
}

// inviteLanding shows the invitation. An anonymous visitor or a customer
// opening it marks it opened; a signed-in customer sees every pre-check
// with its reason (spec §4.4 step 4).
func (a *App) inviteLanding(c echo.Context) error {
	vm, err := a.landingVM(c)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, cv.Landing(*vm))
}

func (a *App) landingVM(c echo.Context) (*cv.LandingVM, error) {
	ctx := c.Request().Context()
	token := c.Param("token")
	p := principalOf(c)
	svc := a.svc.Customers
	var (
		l   *customer.Landing
		err error
	)
	if p == nil || p.IsCustomer {
		l, err = svc.OpenInvitation(ctx, token)
	} else {
		// Partner staff checking a link do not count as the customer opening it.
		l, err = svc.LookupInvitation(ctx, token)
	}
	if err != nil {
		return nil, err
	}
	vm := &cv.LandingVM{Landing: l, Anonymous: p == nil, NotCustomer: p != nil && !p.IsCustomer}
	if p != nil && p.IsCustomer {
		if vm.Pre, err = svc.Precheck(ctx, p, token); err != nil {
			return nil, err
		}
	}
	return vm, nil
}

// inviteAccept associates the customer after every pre-check passes and
// the agreement is ticked; a refusal re-renders the landing with the
// reason and changes nothing.
func (a *App) inviteAccept(c echo.Context) error {
	_, err := a.svc.Customers.Accept(c.Request().Context(), principalOf(c), c.Param("token"), c.FormValue("agree") != "")
	if err == nil {
		return a.done(c, "/console/partners", "console.flash.associated")
	}
	ae, ok := apperr.As(err)
	if !ok || (ae.Kind != apperr.KindInvalid && ae.Kind != apperr.KindConflict) {
		return err
	}
	vm, verr := a.landingVM(c)
	if verr != nil {
		return verr
	}
	if k := ae.Fields[customer.ErrAgreementFieldName]; k != "" {
		vm.AgreeErr = k
	} else {
		vm.Error, vm.ErrArgs = ae.Key, ae.Args
	}
	return render(c, statusOf(ae), cv.Landing(*vm))
}

// consoleHome is 账号中心.
func (a *App) consoleHome(c echo.Context) error {
	acc, err := a.svc.Customers.Account(c.Request().Context(), principalOf(c))
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, cv.Account(cv.AccountVM{Account: acc}))
}

// consolePartners is 我的合作伙伴.
func (a *App) consolePartners(c echo.Context) error {
	ctx := c.Request().Context()
	mp, err := a.svc.Customers.MyPartners(ctx, principalOf(c))
	if err != nil {
		return err
	}
	vm := cv.PartnersVM{P: mp, Agreement: mp.Customer.AgreementVersion}
	if mp.Current != nil {
		if vm.Partner, err = (a.svc.Partners).Get(ctx, mp.Current.PartnerID); err != nil {
			return err
		}
	}
	return render(c, http.StatusOK, cv.Partners(vm))
}

// myRequest finds one of the signed-in customer's requests; any other id
// (another customer's) is 404.
func (a *App) myRequest(c echo.Context) (*customer.MyPartners, *customer.RequestRow, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, nil, err
	}
	mp, err := a.svc.Customers.MyPartners(c.Request().Context(), principalOf(c))
	if err != nil {
		return nil, nil, err
	}
	for _, list := range [][]customer.RequestRow{mp.Pending, mp.Own, mp.Log} {
		for i := range list {
			if list[i].ID == id {
				return mp, &list[i], nil
			}
		}
	}
	return nil, nil, apperr.NotFound()
}

// consoleRequest is 立即处理 for one request.
func (a *App) consoleRequest(c echo.Context) error {
	mp, r, err := a.myRequest(c)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, cv.Request(cv.RequestVM{Row: *r, Current: mp.Current}))
}

func (a *App) consoleConsentAccept(c echo.Context) error {
	return a.consent(c, true)
}

func (a *App) consoleConsentDecline(c echo.Context) error {
	return a.consent(c, false)
}

// consent agrees to (after the acknowledgement is ticked) or declines a
// partner-initiated switch or unbinding.
func (a *App) consent(c echo.Context, accept bool) error {
	mp, r, err := a.myRequest(c)
	if err != nil {
		return err
	}
	if !r.AwaitsCustomer {
		// An association, the customer's own unbinding or a decided
		// request: nothing to consent to.
		return apperr.Conflict("console.err.not_awaiting")
	}
	if accept && c.FormValue("ack") == "" {
		return render(c, http.StatusUnprocessableEntity, cv.Request(cv.RequestVM{Row: *r, Current: mp.Current, AckErr: "console.request.err.ack"}))
	}
	if _, err := a.svc.Customers.Consent(c.Request().Context(), principalOf(c), r.ID, accept); err != nil {
		if ae, ok := apperr.As(err); ok && (ae.Kind == apperr.KindInvalid || ae.Kind == apperr.KindConflict) {
			return render(c, statusOf(ae), cv.Request(cv.RequestVM{Row: *r, Current: mp.Current, Error: ae.Key, ErrArgs: ae.Args}))
		}
		return err
	}
	if accept {
		return a.done(c, "/console/partners", "console.flash.consented")
	}
	return a.done(c, "/console/partners", "console.flash.declined")
}

// consoleCancelRequest withdraws the customer's own pending unbinding.
func (a *App) consoleCancelRequest(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, err := a.svc.Customers.CustomerCancelRequest(c.Request().Context(), principalOf(c), id); err != nil {
		return err
	}
	return a.done(c, "/console/partners", "console.flash.cancelled")
}

func (a *App) consoleUnbindPage(c echo.Context) error {
	mp, err := a.svc.Customers.MyPartners(c.Request().Context(), principalOf(c))
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, cv.Unbind(cv.UnbindVM{P: mp}))
}

// consoleUnbind is the customer's unbinding application (R15: at most 3
// in 3 months); it waits for the partner admin (R14).
func (a *App) consoleUnbind(c echo.Context) error {
	ctx := c.Request().Context()
	p := principalOf(c)
	reason := c.FormValue("reason")
	_, err := a.svc.Customers.CustomerRequestUnbind(ctx, p, reason)
	if err == nil {
		return a.done(c, "/console/partners", "console.flash.unbind_requested")
	}
	ae, ok := apperr.As(err)
	if !ok || (ae.Kind != apperr.KindInvalid && ae.Kind != apperr.KindConflict) {
		return err
	}
	mp, merr := a.svc.Customers.MyPartners(ctx, p)
	if merr != nil {
		return merr
	}
	return render(c, statusOf(ae), cv.Unbind(cv.UnbindVM{P: mp, Reason: reason, Errors: ae.Fields, Error: ae.Key, ErrArgs: ae.Args}))
}

package web

import (
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/files"
	"partnercenter/internal/identity"
	"partnercenter/internal/onboarding"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/i18n"
	obv "partnercenter/views/onboarding"
)

// onboardingRoutes are joining the partner network (seed 003 §3): public
// registration and the onboarding form of a tenant's main account.
func (a *App) onboardingRoutes() []Route {
	return []Route{
		get("/register", access.Public, a.registerPage),
		post("/register", access.Public, a.register),
		get("/onboarding", access.OnboardingApply, a.onboardingPage),
		post("/onboarding", access.OnboardingApply, a.submitOnboarding),
	}
}

func (a *App) registerPage(c echo.Context) error {
	if principalOf(c) != nil {
		return c.Redirect(http.StatusSeeOther, "/")
	}
	return render(c, http.StatusOK, obv.Register(obv.RegisterVM{Form: onboarding.Registration{Site: "cn"}}))
}

// register creates the company and its main account, signs the new
// account in (rotating the session, as sign-in does) and opens the
// onboarding form.
func (a *App) register(c echo.Context) error {
	if principalOf(c) != nil {
		return a.seeOther(c, "/")
	}
	in := onboarding.Registration{
		CompanyName: c.FormValue("company_name"), CreditCode: c.FormValue("credit_code"), Site: c.FormValue("site"),
		LoginName: c.FormValue("login_name"), DisplayName: c.FormValue("display_name"), Email: c.FormValue("email"),
		Mobile: c.FormValue("mobile"), Password: c.FormValue("password"), Confirm: c.FormValue("password_confirm"),
		Agree: c.FormValue("agree") != "",
	}
	u, err := a.svc.Onboarding.Register(c.Request().Context(), in)
	if err != nil {
		if ae, ok := apperr.As(err); ok && ae.Kind == apperr.KindInvalid {
			in.Password, in.Confirm = "", ""
			return render(c, http.StatusUnprocessableEntity, obv.Register(obv.RegisterVM{Form: in, Errors: ae.Fields, Error: ae.Key}))
		}
		return err
	}
	st := a.state(c)
	for k := range st.sess.Values {
		delete(st.sess.Values, k)
	}
	st.sess.Values[identity.KeyUserID] = strconv.FormatInt(u.ID, 10)
	st.sess.Values[identity.KeyFlash] = "success|onboarding.flash.registered"
	if err := a.Sessions.Rotate(c.Request(), c.Response().Writer, st.sess); err != nil {
		return err
	}
	st.dirty = false
	// Remember the language the visitor registered in.
	if err := (a.svc.Users).SetLocale(c.Request().Context(), u.ID, i18n.Lang(c.Request().Context())); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/onboarding")
}

func (a *App) onboardingPage(c echo.Context) error {
	st, err := a.svc.Onboarding.Load(c.Request().Context(), principalOf(c))
	if err != nil {
		return err
	}
	p := st.Partner
	f := onboarding.Form{CompanyName: p.Name, Address: p.Address, LegalRepresentative: p.LegalRepresentative,
		RegisteredCapital: p.RegisteredCapital, BusinessScope: p.BusinessScope, ContactName: p.ContactName,
		ContactPosition: p.ContactPosition, ContactMobile: p.ContactMobile, ContactEmail: p.ContactEmail}
	if f.ContactName == "" {
		u := currentUser(c)
		f.ContactName, f.ContactMobile, f.ContactEmail, f.ContactPosition = u.DisplayName, identity.Str(u.Mobile), identity.Str(u.Email), u.Position
	}
	return a.renderOnboarding(c, http.StatusOK, st, f, nil, "")
}

func (a *App) renderOnboarding(c echo.Context, status int, st *onboarding.State, f onboarding.Form, errs map[string]string, key string) error {
	vm := obv.FormVM{State: st, Form: f, Errors: errs, Error: key}
	if !st.CanSubmit {
		prog, err := a.onboardingProgress(c, st.Partner.Status)
		if err != nil {
			return err
		}
		vm.Progress = prog
	}
	return render(c, status, obv.Page(vm))
}

// onboardingProgress is the review progress of the signed-in tenant's
// latest onboarding application.
func (a *App) onboardingProgress(c echo.Context, status string) (*obv.ProgressVM, error) {
	ctx := c.Request().Context()
	p := principalOf(c)
	vm := &obv.ProgressVM{Status: status}
	latest, err := a.svc.Approvals.Latest(ctx, p, onboarding.TypeKey)
	if err != nil || latest == nil {
		return vm, err
	}
	if vm.D, err = a.svc.Approvals.DetailForPartner(ctx, p, latest.ID); err != nil {
		return nil, err
	}
	return vm, nil
}

func (a *App) submitOnboarding(c echo.Context) error {
	ctx := c.Request().Context()
	f := onboarding.Form{
		CompanyName: c.FormValue("company_name"), Address: c.FormValue("address"),
		LegalRepresentative: c.FormValue("legal_representative"), RegisteredCapital: c.FormValue("registered_capital"),
		BusinessScope: c.FormValue("business_scope"), ContactName: c.FormValue("contact_name"),
		ContactPosition: c.FormValue("contact_position"), ContactMobile: c.FormValue("contact_mobile"),
		ContactEmail: c.FormValue("contact_email"),
	}
	if form, err := c.FormParams(); err == nil {
		f.Agreements = form["agreements"]
	}
	up, err := readAttachment(c, "licence")
	var app *approval.Application
	if err == nil {
		f.Licence = up
		app, err = a.svc.Onboarding.Submit(ctx, principalOf(c), f)
	}
	if err != nil {
		if ae, ok := apperr.As(err); ok && ae.Kind == apperr.KindInvalid {
			st, lerr := a.svc.Onboarding.Load(ctx, principalOf(c))
			if lerr != nil {
				return lerr
			}
			return a.renderOnboarding(c, http.StatusUnprocessableEntity, st, f, ae.Fields, ae.Key)
		}
		return err
	}
	if app.State == approval.StateApproved {
		return a.done(c, "/", "onboarding.flash.approved")
	}
	return a.done(c, "/applications/"+strconv.FormatInt(app.ID, 10), "onboarding.flash.submitted")
}

// readAttachment reads an optional uploaded file of at most files.MaxSize.
func readAttachment(c echo.Context, field string) (*onboarding.Upload, error) {
	fh, err := c.FormFile(field)
	if errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart) {
		return nil, nil
	}
	if err != nil {
		return nil, apperr.FieldError(field, "files.err.invalid")
	}
	if fh.Size > files.MaxSize {
		return nil, apperr.FieldError(field, "files.err.too_large")
	}
	file, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, files.MaxSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) == 0 {
		return nil, nil
	}
	return &onboarding.Upload{Name: fh.Filename, Data: data}, nil
}

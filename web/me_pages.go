package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/files"
	"partnercenter/internal/people"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/i18n"
	"partnercenter/views/me"
)

// meRoutes are the personal console of a personal Huawei account
// (个人华为账号, seed 003 §7.2, §10.3–§10.4; build-plan 6.A; issue 15): the
// public sign-up, then 邀请, 个人资质, 我的券 and 个人信息, which need
// access.PersonalUse — only personal accounts hold it. A person signs in
// on the partner sign-in page and lands here.
func (a *App) meRoutes() []Route {
	return []Route{
		get("/me/register", access.Public, a.meRegisterPage),
		post("/me/register", access.Public, a.meRegister),
		get("/me", access.PersonalUse, a.meInvitations),
		post("/me/invitations/:id/accept", access.PersonalUse, a.meAccept),
		get("/me/certificates", access.PersonalUse, a.meCertificates),
		post("/me/certificates", access.PersonalUse, a.meUploadCertificate),
		post("/me/certificates/:id/delete", access.PersonalUse, a.meDeleteCertificate),
		get("/me/certificates/:id/file", access.PersonalUse, a.certificateFile),
		get("/me/vouchers", access.PersonalUse, a.meVouchers),
		post("/me/vouchers/:id/redeem", access.PersonalUse, a.meRedeem),
		get("/me/profile", access.PersonalUse, a.meProfile),
		post("/me/profile", access.PersonalUse, a.meSaveProfile),
	}
}

func (a *App) meRegisterPage(c echo.Context) error {
	if p := principalOf(c); p != nil {
		return c.Redirect(http.StatusSeeOther, "/")
	}
	return render(c, http.StatusOK, me.Register(me.RegisterVM{In: people.RegisterInput{Site: people.SiteChina, RealName: people.RealNamePersonal}}))
}

// meRegister creates the personal account and signs it in (a rotated
// session, as sign-in does), in the language of the page.
func (a *App) meRegister(c echo.Context) error {
	if p := principalOf(c); p != nil {
		return a.seeOther(c, "/")
	}
	in := people.RegisterInput{LoginName: c.FormValue("login_name"), Password: c.FormValue("password"), Name: c.FormValue("name"),
		Site: c.FormValue("site"), RealName: c.FormValue("real_name"), Email: c.FormValue("email"), Mobile: c.FormValue("mobile")}
	vm := me.RegisterVM{In: in}
	vm.In.Password = ""
	if in.Password != c.FormValue("password_confirm") {
		vm.Errors = map[string]string{"password_confirm": "console.err.password_mismatch"}
		return render(c, http.StatusUnprocessableEntity, me.Register(vm))
	}
	ctx := c.Request().Context()
	pr, err := a.svc.People.Register(ctx, in)
	if err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		vm.Errors, vm.Summary = ae.Fields, ae.MessageKey()
		return render(c, status, me.Register(vm))
	}
	if err := a.startSession(c, pr.ID, "success|me.flash.registered"); err != nil {
		return err
	}
	if err := a.svc.Users.SetLocale(ctx, pr.ID, i18n.Lang(ctx)); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/me")
}

func (a *App) meInvitationsVM(c echo.Context) (me.InvitationsVM, error) {
	invs, links, err := a.svc.People.MyInvitations(c.Request().Context(), principalOf(c))
	return me.InvitationsVM{Invitations: invs, Links: links, Now: a.Clock.Now()}, err
}

func (a *App) meInvitations(c echo.Context) error {
	vm, err := a.meInvitationsVM(c)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, me.Invitations(vm))
}

// meAccept links the person to the inviting partner; a refusal (the 7
// days are over, a check fails now) is shown on the page in the seed's
// words with the checks.
func (a *App) meAccept(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	err = a.svc.People.Accept(c.Request().Context(), principalOf(c), id)
	if err == nil {
		return a.done(c, "/me", "me.flash.accepted")
	}
	var cf *people.CheckFailure
	vm, verr := a.meInvitationsVM(c)
	if verr != nil {
		return verr
	}
	switch {
	case errors.As(err, &cf):
		vm.Error, vm.Checks = people.ErrChecksFailed, cf.Checks
		return render(c, http.StatusConflict, me.Invitations(vm))
	default:
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		vm.Error, vm.Args = ae.MessageKey(), ae.Args
		return render(c, status, me.Invitations(vm))
	}
}

func (a *App) renderCertificates(c echo.Context, status int, vm me.CertificatesVM) error {
	cs, err := a.svc.People.MyCertificates(c.Request().Context(), principalOf(c))
	if err != nil {
		return err
	}
	vm.Certificates, vm.Now = cs, clock.ChinaDate(a.Clock.Now())
	if vm.Errors == nil {
		vm.Errors = map[string]string{}
	}
	return render(c, status, me.Certificates(vm))
}

func (a *App) meCertificates(c echo.Context) error {
	return a.renderCertificates(c, http.StatusOK, me.CertificatesVM{})
}

func (a *App) meUploadCertificate(c echo.Context) error {
	in := people.CertificateInput{Type: c.FormValue("type"), Direction: c.FormValue("direction"), Number: c.FormValue("number"),
		IssuedOn: c.FormValue("issued_on"), ExpiresOn: c.FormValue("expires_on")}
	ups, err := readUploads(c, "file", 1)
	if err == nil {
		up := files.Upload{}
		if len(ups) == 1 {
			up = ups[0]
		}
		_, err = a.svc.People.UploadCertificate(c.Request().Context(), principalOf(c), in, up)
	}
	if err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.renderCertificates(c, status, me.CertificatesVM{In: in, Errors: ae.Fields, Summary: ae.MessageKey(), Open: true})
	}
	return a.done(c, "/me/certificates", "me.flash.cert_uploaded")
}

func (a *App) meDeleteCertificate(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := a.svc.People.DeleteCertificate(c.Request().Context(), principalOf(c), id); err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.renderCertificates(c, status, me.CertificatesVM{Summary: ae.MessageKey()})
	}
	return a.done(c, "/me/certificates", "me.flash.cert_deleted")
}

func (a *App) renderVouchers(c echo.Context, status int, vm me.VouchersVM) error {
	vs, err := a.svc.Benefits.MyVouchers(c.Request().Context(), principalOf(c))
	if err != nil {
		return err
	}
	vm.Vouchers, vm.Now = vs, a.Clock.Now()
	return render(c, status, me.Vouchers(vm))
}

func (a *App) meVouchers(c echo.Context) error {
	return a.renderVouchers(c, http.StatusOK, me.VouchersVM{})
}

// meRedeem is 兑换: within the voucher's days; a late one is refused
// with its last day.
func (a *App) meRedeem(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := a.svc.Benefits.Redeem(c.Request().Context(), principalOf(c), id); err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.renderVouchers(c, status, me.VouchersVM{Error: ae.MessageKey(), Args: ae.Args})
	}
	return a.done(c, "/me/vouchers", "me.flash.redeemed")
}

func (a *App) renderProfile(c echo.Context, status int, vm me.ProfileVM) error {
	pr, err := a.svc.People.Me(c.Request().Context(), principalOf(c))
	if err != nil {
		return err
	}
	vm.Me = pr
	if vm.Errors == nil {
		vm.Errors = map[string]string{}
		vm.In = people.ProfileInput{Email: pr.BoundEmail(), Uniportal: pr.Profile.Uniportal, Company: pr.Profile.Company,
			Position: pr.Profile.Position, City: pr.Profile.City}
		if pr.Profile.JoinedOn != nil {
			vm.In.JoinedOn = pr.Profile.JoinedOn.Format("2006-01-02")
		}
	}
	return render(c, status, me.Profile(vm))
}

func (a *App) meProfile(c echo.Context) error {
	return a.renderProfile(c, http.StatusOK, me.ProfileVM{})
}

func (a *App) meSaveProfile(c echo.Context) error {
	in := people.ProfileInput{Email: c.FormValue("email"), Uniportal: c.FormValue("uniportal"), Company: c.FormValue("company"),
		Position: c.FormValue("position"), JoinedOn: c.FormValue("joined_on"), City: c.FormValue("city")}
	if err := a.svc.People.UpdateProfile(c.Request().Context(), principalOf(c), in); err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.renderProfile(c, status, me.ProfileVM{In: in, Errors: ae.Fields, Summary: ae.MessageKey()})
	}
	return a.done(c, "/me/profile", "me.flash.profile_saved")
}

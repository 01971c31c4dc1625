package web

import (
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"html"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/views/profile"
)

// profileRoutes is 伙伴信息 > 基本信息 (seed 003 §6.1): company info,
// account info, personal profile and password, signed-in devices.
func (a *App) profileRoutes() []Route {
	return []Route{
		get("/profile/company", access.ProfileCompanyView, a.companyPage),
		// Licence data, logo and introduction: main account only
		// (seed 003 §6.1.2, §6.1.4; ProfileCompanyEdit is MainOnly).
		post("/profile/company/licence", access.ProfileCompanyEdit, a.companyLicence),
		post("/profile/company/logo", access.ProfileCompanyEdit, a.companyLogo),
		post("/profile/company/intro", access.ProfileCompanyEdit, a.companyIntro),
		// Contacts are edited directly in 公司信息 (seed 003 §6.1.5) with
		// 修改账号信息, a default item of every member (§7.1.1).
		post("/profile/company/contacts", access.ProfileAccountEdit, a.companyContacts),
		// The home page shows the logo, so whoever sees the home page may
		// load it.
		get("/profile/company/logo", access.ProfileCompanyView, a.companyLogoImage),
		get("/profile/account", access.ProfileAccountView, a.accountPage),
		get("/profile/personal", access.ProfilePersonalView, a.personalPage),
		post("/profile/personal", access.ProfileCredentials, a.personalSave),
		post("/profile/password", access.ProfileCredentials, a.passwordChange),
		get("/profile/sessions", access.ProfileCredentials, a.sessionsPage),
		post("/profile/sessions/end-others", access.ProfileCredentials, a.sessionsEndOthers),
		post("/profile/sessions/:id/end", access.ProfileCredentials, a.sessionEnd),
		get("/profile/security", access.ProfileCredentials, a.securityPage),
		post("/profile/security/totp", access.ProfileCredentials, a.securityEnrol),
		post("/profile/security/totp/disable", access.ProfileCredentials, a.securityDisable),
	}
}

// formError turns an input error into a form to re-render; other errors
// are returned for the error handler.
func formError(err error, values map[string]string) (profile.Form, error) {
	ae, ok := apperr.As(err)
	if !ok || (ae.Kind != apperr.KindInvalid && ae.Kind != apperr.KindTooMany && ae.Kind != apperr.KindConflict) {
		return profile.Form{}, err
	}
	return profile.Form{Values: values, Errors: ae.Fields, Summary: ae.Key, Args: ae.Args}, nil
}

func formStatus(err error) int {
	if ae, ok := apperr.As(err); ok {
		switch ae.Kind {
		case apperr.KindTooMany:
			return http.StatusTooManyRequests
		case apperr.KindConflict:
			return http.StatusConflict
		}
	}
	return http.StatusUnprocessableEntity
}

// readUpload reads a multipart file field, at most limit+1 bytes (the
// service refuses anything over limit). A missing file is nil.
func readUpload(c echo.Context, field string, limit int64) (*partner.Upload, error) {
	fh, err := c.FormFile(field)
	if err != nil {
		if errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart) {
			return nil, nil
		}
		return nil, apperr.Invalid("error.bad_request")
	}
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	return &partner.Upload{Name: fh.Filename, Data: data}, nil
}

func (a *App) renderCompany(c echo.Context, status int, edit string, form, logoForm profile.Form) error {
	p, err := a.svc.Profiles.Company(c.Request().Context(), principalOf(c))
	if err != nil {
		return err
	}
	if form.Values == nil {
		switch edit {
		case "licence":
			form.Values = profile.LicenceValues(p)
		case "contacts":
			form.Values = profile.ContactValues(p)
		case "intro":
			form.Values = map[string]string{"introduction": p.Introduction}
		}
	}
	return render(c, status, profile.Company(profile.CompanyVM{Partner: p, Edit: edit, Form: form, LogoForm: logoForm}))
}

func (a *App) companyPage(c echo.Context) error {
	edit := c.QueryParam("edit")
	switch edit {
	case "licence", "contacts", "intro":
	default:
		edit = ""
	}
	return a.renderCompany(c, http.StatusOK, edit, profile.Form{}, profile.Form{})
}

func (a *App) companyLicence(c echo.Context) error {
	in := partner.LicenceInput{
		Name: c.FormValue("name"), RegisteredCapital: c.FormValue("registered_capital"),
		EstablishedOn: c.FormValue("established_on"), LegalRepresentative: c.FormValue("legal_representative"),
		Address: c.FormValue("address"), PostalCode: c.FormValue("postal_code"),
		BusinessScope: c.FormValue("business_scope"), LicenceCode: c.FormValue("licence_code"),
	}
	up, err := readUpload(c, "licence_file", partner.MaxLicenceBytes)
	if err != nil {
		return err
	}
	in.LicenceFile = up
	err = a.svc.Profiles.UpdateLicence(c.Request().Context(), principalOf(c), in)
	if err == nil {
		return a.done(c, "/profile/company", "profile.company.licence_saved")
	}
	values := map[string]string{
		"name": in.Name, "registered_capital": in.RegisteredCapital, "established_on": in.EstablishedOn,
		"legal_representative": in.LegalRepresentative, "address": in.Address, "postal_code": in.PostalCode,
		"business_scope": in.BusinessScope, "licence_code": in.LicenceCode,
	}
	form, ferr := formError(err, values)
	if ferr != nil {
		return ferr
	}
	return a.renderCompany(c, formStatus(err), "licence", form, profile.Form{})
}

func (a *App) companyContacts(c echo.Context) error {
	in := partner.ContactsInput{Name: c.FormValue("contact_name"), Position: c.FormValue("contact_position"),
		Mobile: c.FormValue("contact_mobile"), Email: c.FormValue("contact_email")}
	err := a.svc.Profiles.UpdateContacts(c.Request().Context(), principalOf(c), in)
	if err == nil {
		return a.done(c, "/profile/company", "profile.company.contacts_saved")
	}
	form, ferr := formError(err, map[string]string{"contact_name": in.Name, "contact_position": in.Position,
		"contact_mobile": in.Mobile, "contact_email": in.Email})
	if ferr != nil {
		return ferr
	}
	return a.renderCompany(c, formStatus(err), "contacts", form, profile.Form{})
}

func (a *App) companyIntro(c echo.Context) error {
	intro := c.FormValue("introduction")
	err := a.svc.Profiles.UpdateIntro(c.Request().Context(), principalOf(c), intro)
	if err == nil {
		return a.done(c, "/profile/company", "profile.company.intro_saved")
	}
	form, ferr := formError(err, map[string]string{"introduction": intro})
	if ferr != nil {
		return ferr
	}
	return a.renderCompany(c, formStatus(err), "intro", form, profile.Form{})
}

func (a *App) companyLogo(c echo.Context) error {
	up, err := readUpload(c, "logo", partner.MaxLogoBytes)
	if err != nil {
		return err
	}
	if up == nil {
		up = &partner.Upload{}
	}
	err = a.svc.Profiles.UpdateLogo(c.Request().Context(), principalOf(c), *up)
	if err == nil {
		return a.done(c, "/profile/company", "profile.company.logo_saved")
	}
	form, ferr := formError(err, nil)
	if ferr != nil {
		return ferr
	}
	return a.renderCompany(c, formStatus(err), "", profile.Form{}, form)
}

// companyLogoImage serves the tenant's own logo with its stored (sniffed)
// content type; without one, a placeholder with the company's initial.
func (a *App) companyLogoImage(c echo.Context) error {
	ctx := c.Request().Context()
	act := principalOf(c)
	if _, err := act.Tenant(); err != nil {
		return apperr.NotFound()
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "private, max-age=300")
	logo, err := a.svc.Profiles.Logo(ctx, act)
	if apperr.Is(err, apperr.KindNotFound) {
		p, err := a.svc.Profiles.Company(ctx, act)
		if err != nil {
			return err
		}
		return c.Blob(http.StatusOK, "image/svg+xml", placeholderLogo(p.Name))
	}
	if err != nil {
		return err
	}
	etag := `"` + hex.EncodeToString(logo.Sha256) + `"`
	h.Set("ETag", etag)
	h.Set("Content-Disposition", "inline")
	if subtle.ConstantTimeCompare([]byte(c.Request().Header.Get("If-None-Match")), []byte(etag)) == 1 {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, logo.ContentType, logo.Data)
}

// placeholderLogo is an SVG square with the company's first character
// (escaped: the name is user input).
func placeholderLogo(name string) []byte {
	ch := "?"
	for _, r := range name {
		ch = string(r)
		break
	}
	return []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">` +
		`<rect width="64" height="64" rx="8" fill="#e0f2fe"/>` +
		`<text x="32" y="42" font-size="28" text-anchor="middle" fill="#0369a1" font-family="sans-serif">` +
		html.EscapeString(ch) + `</text></svg>`)
}

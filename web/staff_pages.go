package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/identity"
	"partnercenter/internal/platform/apperr"
	"partnercenter/views/partners"
)

// staffRoutes: the vendor administrator manages vendor staff accounts.
func (a *App) staffRoutes() []Route {
	return []Route{
		get("/staff", access.VendorStaffManage, a.staffList),
		get("/staff/new", access.VendorStaffManage, a.staffNew),
		post("/staff", access.VendorStaffManage, a.staffCreate),
		post("/staff/:id/disable", access.VendorStaffManage, a.staffStatus(identity.StatusDisabled)),
		post("/staff/:id/enable", access.VendorStaffManage, a.staffStatus(identity.StatusActive)),
		post("/staff/:id/onboarding-reviewer", access.VendorStaffManage, a.staffOnboardingReviewer),
	}
}

func (a *App) staffList(c echo.Context) error {
	rows, err := a.svc.Staff.List(c.Request().Context(), principalOf(c))
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, partners.StaffList(partners.StaffVM{Rows: rows, Me: currentUser(c).ID}))
}

func (a *App) staffNew(c echo.Context) error {
	return render(c, http.StatusOK, partners.StaffForm(partners.StaffFormVM{Input: identity.StaffInput{Role: identity.VendorEcoManager}}))
}

func (a *App) staffCreate(c echo.Context) error {
	in := identity.StaffInput{LoginName: c.FormValue("login_name"), DisplayName: c.FormValue("display_name"),
		Email: c.FormValue("email"), Mobile: c.FormValue("mobile"), Position: c.FormValue("position"),
		Role: c.FormValue("role"), Password: c.FormValue("password")}
	_, err := a.svc.Staff.Create(c.Request().Context(), principalOf(c), in)
	if ae, ok := apperr.As(err); ok && ae.Kind == apperr.KindInvalid {
		in.Password = ""
		return render(c, http.StatusUnprocessableEntity, partners.StaffForm(partners.StaffFormVM{Input: in, Errors: ae.Fields}))
	}
	if err != nil {
		return err
	}
	return a.done(c, "/staff", "staff.created")
}

func (a *App) staffStatus(status string) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := paramID(c, "id")
		if err != nil {
			return err
		}
		if err := a.svc.Staff.SetStatus(c.Request().Context(), principalOf(c), id, status); err != nil {
			return err
		}
		return a.done(c, "/staff", "staff.status_"+status)
	}
}

func (a *App) staffOnboardingReviewer(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	on := c.FormValue("on") == "1"
	if err := a.svc.Staff.SetOnboardingReviewer(c.Request().Context(), principalOf(c), id, on); err != nil {
		return err
	}
	return a.done(c, "/staff", "staff.onboarding_reviewer_saved")
}

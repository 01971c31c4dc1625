package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/platform/apperr"
	orgview "partnercenter/views/org"
)

func (a *App) orgRoles(c echo.Context) error {
	ctx := c.Request().Context()
	p := principalOf(c)
	roles, err := a.svc.Roles.List(ctx, p)
	if err != nil {
		return err
	}
	defs, err := a.svc.Roles.Defaults(ctx, p)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, orgview.Roles(orgview.RolesVM{Roles: roles, Defaults: defs}))
}

func roleInput(c echo.Context) (access.RoleInput, error) {
	form, err := c.FormParams()
	if err != nil {
		return access.RoleInput{}, err
	}
	return access.RoleInput{Name: form.Get("name"), Description: form.Get("description"), Items: form["items"]}, nil
}

func (a *App) renderRoleForm(c echo.Context, status int, r *access.RoleDetail, in access.RoleInput, formErr error) error {
	defs, err := a.svc.Roles.Defaults(c.Request().Context(), principalOf(c))
	if err != nil {
		return err
	}
	vm := orgview.RoleFormVM{Role: r, Input: in, Errors: map[string]string{}, Defaults: defs}
	if ae, ok := apperr.As(formErr); ok {
		vm.Errors, vm.Summary = ae.Fields, ae.Key
	}
	return render(c, status, orgview.RoleForm(vm))
}

func (a *App) orgRoleNew(c echo.Context) error {
	return a.renderRoleForm(c, http.StatusOK, nil, access.RoleInput{}, nil)
}

func (a *App) orgRoleCreate(c echo.Context) error {
	in, err := roleInput(c)
	if err != nil {
		return err
	}
	_, err = a.svc.Roles.Create(c.Request().Context(), principalOf(c), in)
	if apperr.Is(err, apperr.KindInvalid) {
		return a.renderRoleForm(c, http.StatusUnprocessableEntity, nil, in, err)
	}
	if err != nil {
		return err
	}
	return a.done(c, "/org/roles", "org.roles.created")
}

// loadRole reads the :id role of the tenant; the preset role is fixed
// (seed 003 §7.1.4) and has no editor.
func (a *App) loadRole(c echo.Context) (*access.RoleDetail, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, err
	}
	r, err := a.svc.Roles.Get(c.Request().Context(), principalOf(c), id)
	if err != nil {
		return nil, err
	}
	if r.IsPreset() {
		return nil, apperr.Conflict("org.roles.err.preset_fixed")
	}
	return r, nil
}

func (a *App) orgRoleEdit(c echo.Context) error {
	r, err := a.loadRole(c)
	if err != nil {
		return err
	}
	in := access.RoleInput{Name: r.Name, Description: r.Description}
	for _, it := range r.Items {
		in.Items = append(in.Items, string(it))
	}
	return a.renderRoleForm(c, http.StatusOK, r, in, nil)
}

func (a *App) orgRoleUpdate(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	in, err := roleInput(c)
	if err != nil {
		return err
	}
	err = a.svc.Roles.Update(c.Request().Context(), principalOf(c), id, in)
	if apperr.Is(err, apperr.KindInvalid) {
		r, gerr := a.loadRole(c)
		if gerr != nil {
			return gerr
		}
		return a.renderRoleForm(c, http.StatusUnprocessableEntity, r, in, err)
	}
	if err != nil {
		return err
	}
	return a.done(c, "/org/roles", "org.roles.updated")
}

func (a *App) orgRoleDelete(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := a.svc.Roles.Delete(c.Request().Context(), principalOf(c), id); err != nil {
		return err
	}
	return a.done(c, "/org/roles", "org.roles.deleted")
}

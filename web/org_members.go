package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/identity"
	"partnercenter/internal/org"
	"partnercenter/internal/platform/apperr"
	"partnercenter/views/components"
	orgview "partnercenter/views/org"
)

// orgMemberRoutes is 组织 > 组织成员 and 角色管理 (seed 003 §7.1).
func (a *App) orgMemberRoutes() []Route {
	return []Route{
		get("/org/members", access.OrgMembersView, a.orgMembers),
		get("/org/members/new", access.OrgMembersManage, a.orgMemberNew),
		post("/org/members", access.OrgMembersManage, a.orgMemberCreate),
		get("/org/members/:id/edit", access.OrgMembersManage, a.orgMemberEdit),
		post("/org/members/:id", access.OrgMembersManage, a.orgMemberUpdate),
		post("/org/members/:id/disable", access.OrgMembersManage, a.orgMemberDisable),
		post("/org/members/:id/enable", access.OrgMembersManage, a.orgMemberEnable),
		post("/org/members/:id/delete", access.OrgMembersManage, a.orgMemberDelete),
		post("/org/members/:id/reset-password", access.OrgMembersManage, a.orgMemberResetPassword),

		get("/org/roles", access.OrgRolesView, a.orgRoles),
		get("/org/roles/new", access.OrgRolesManage, a.orgRoleNew),
		post("/org/roles", access.OrgRolesManage, a.orgRoleCreate),
		get("/org/roles/:id/edit", access.OrgRolesManage, a.orgRoleEdit),
		post("/org/roles/:id", access.OrgRolesManage, a.orgRoleUpdate),
		post("/org/roles/:id/delete", access.OrgRolesManage, a.orgRoleDelete),
	}
}

func (a *App) orgMembers(c echo.Context) error {
	ctx := c.Request().Context()
	p := principalOf(c)
	roleID, _ := strconv.ParseInt(c.QueryParam("role"), 10, 64)
	f := org.Filter{Q: strings.TrimSpace(c.QueryParam("q")), Status: c.QueryParam("status"), RoleID: roleID}
	f.Sort, f.Desc = sortOf(c, org.SortFields, "", false)
	f.Page, f.Per = pageOf(c, org.PerPage)
	list, err := a.svc.Members.List(ctx, p, f)
	if err != nil {
		return err
	}
	roles, err := a.svc.Roles.Assignable(ctx, p)
	if err != nil {
		return err
	}
	q := c.QueryParams()
	q.Del("page")
	vm := orgview.MembersVM{Filter: f, List: list, Roles: roles, Query: q,
		Pager: sized(c, components.Pager{Page: list.Page, PerPage: list.Per, Total: list.Total, Query: q, Path: "/org/members", Target: "#member-table"})}
	return render(c, http.StatusOK, orgview.Members(vm))
}

// memberInput reads the member form.
func memberInput(c echo.Context) (org.Input, error) {
	form, err := c.FormParams()
	if err != nil {
		return org.Input{}, err
	}
	in := org.Input{LoginName: form.Get("login_name"), DisplayName: form.Get("display_name"), Email: form.Get("email"),
		Mobile: form.Get("mobile"), Position: form.Get("position"), Password: form.Get("password")}
	for _, s := range form["roles"] {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 {
			in.RoleIDs = append(in.RoleIDs, id)
		}
	}
	return in, nil
}

// renderMemberForm draws the create form (m nil) or the edit page.
func (a *App) renderMemberForm(c echo.Context, status int, m *org.Member, in org.Input, formErr error, resetErr error) error {
	ctx := c.Request().Context()
	p := principalOf(c)
	roles, err := a.svc.Roles.List(ctx, p)
	if err != nil {
		return err
	}
	vm := orgview.MemberFormVM{Member: m, Input: in, Errors: map[string]string{}, ResetErrors: map[string]string{},
		Roles: roles, SelfID: p.UserID}
	if ae, ok := apperr.As(formErr); ok {
		vm.Errors, vm.Summary = ae.Fields, ae.Key
	}
	if ae, ok := apperr.As(resetErr); ok {
		vm.ResetErrors = ae.Fields
	}
	if m != nil {
		if vm.Sessions, err = a.svc.Members.SessionCount(ctx, p, m.ID); err != nil {
			return err
		}
		if !m.IsMain && m.ID != p.UserID {
			if vm.Supervisors, err = a.svc.Members.SupervisorChoices(ctx, p, m.ID); err != nil {
				return err
			}
			if vm.Supervisors == nil {
				vm.Supervisors = []org.SupervisorChoice{} // the card shows "none" only
			}
		}
	}
	return render(c, status, orgview.MemberForm(vm))
}

func inputOf(m *org.Member) org.Input {
	return org.Input{LoginName: m.LoginName, DisplayName: m.DisplayName, Email: identity.Str(m.Email),
		Mobile: identity.Str(m.Mobile), Position: m.Position, RoleIDs: m.RoleIDs()}
}

func (a *App) orgMemberNew(c echo.Context) error {
	return a.renderMemberForm(c, http.StatusOK, nil, org.Input{}, nil, nil)
}

func (a *App) orgMemberCreate(c echo.Context) error {
	in, err := memberInput(c)
	if err != nil {
		return err
	}
	_, err = a.svc.Members.Create(c.Request().Context(), principalOf(c), in)
	if apperr.Is(err, apperr.KindInvalid) {
		in.Password = "" // never echo a password back
		return a.renderMemberForm(c, http.StatusUnprocessableEntity, nil, in, err, nil)
	}
	if err != nil {
		return err
	}
	return a.done(c, "/org/members", "org.members.created")
}

// loadMember reads the :id member of the tenant (404 for anyone else's).
func (a *App) loadMember(c echo.Context) (*org.Member, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, err
	}
	return a.svc.Members.Get(c.Request().Context(), principalOf(c), id)
}

func (a *App) orgMemberEdit(c echo.Context) error {
	m, err := a.loadMember(c)
	if err != nil {
		return err
	}
	return a.renderMemberForm(c, http.StatusOK, m, inputOf(m), nil, nil)
}

func (a *App) orgMemberUpdate(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	in, err := memberInput(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	p := principalOf(c)
	err = a.svc.Members.Update(ctx, p, id, in)
	if apperr.Is(err, apperr.KindInvalid) {
		m, gerr := a.svc.Members.Get(ctx, p, id)
		if gerr != nil {
			return gerr
		}
		return a.renderMemberForm(c, http.StatusUnprocessableEntity, m, in, err, nil)
	}
	if err != nil {
		return err
	}
	return a.done(c, "/org/members", "org.members.updated")
}

func (a *App) orgMemberDisable(c echo.Context) error {
	return a.memberAction(c, org.Members.Disable, "org.members.disabled")
}

func (a *App) orgMemberEnable(c echo.Context) error {
	return a.memberAction(c, org.Members.Enable, "org.members.enabled")
}

func (a *App) orgMemberDelete(c echo.Context) error {
	return a.memberAction(c, org.Members.Delete, "org.members.deleted")
}

type memberOp func(org.Members, context.Context, *access.Principal, int64) error

func (a *App) memberAction(c echo.Context, op memberOp, msg string) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := op(a.svc.Members, c.Request().Context(), principalOf(c), id); err != nil {
		return err
	}
	return a.done(c, "/org/members", msg)
}

func (a *App) orgMemberResetPassword(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	p := principalOf(c)
	err = a.svc.Members.ResetPassword(ctx, p, id, c.FormValue("password"))
	if apperr.Is(err, apperr.KindInvalid) {
		m, gerr := a.svc.Members.Get(ctx, p, id)
		if gerr != nil {
			return gerr
		}
		return a.renderMemberForm(c, http.StatusUnprocessableEntity, m, inputOf(m), nil, err)
	}
	if err != nil {
		return err
	}
	return a.done(c, "/org/members/"+strconv.FormatInt(id, 10)+"/edit", "org.members.password_reset")
}

package web

import (
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/platform/apperr"
)

// orgSupervisorRoutes: who supervises a customer manager (R57, seed 003
// §12.1.9.5), set on the member's page in 组织成员; it decides whose
// customers a 客户经理 supervisor sees in 客户管理.
func (a *App) orgSupervisorRoutes() []Route {
	return []Route{
		post("/org/members/:id/supervisor", access.OrgMembersManage, a.orgMemberSupervisor),
	}
}

func (a *App) orgMemberSupervisor(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	back := "/org/members/" + strconv.FormatInt(id, 10) + "/edit"
	sup, perr := strconv.ParseInt(strings.TrimSpace(c.FormValue("supervisor_id")), 10, 64)
	if perr != nil || sup < 0 {
		sup = -1 // no such member: refused by the service after the tenant check
	}
	err = a.svc.Members.SetSupervisor(c.Request().Context(), principalOf(c), id, sup)
	if ae, ok := apperr.As(err); ok && (ae.Kind == apperr.KindInvalid || ae.Kind == apperr.KindConflict) {
		a.flash(c, "error", ae.MessageKey())
		return a.seeOther(c, back)
	}
	if err != nil {
		return err
	}
	return a.done(c, back, "org.supervisor.saved")
}

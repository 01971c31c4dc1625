package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/people"
	"partnercenter/internal/platform/clock"
	"partnercenter/views/specialists"
)

// specialistRoutes are 组织 > 项目专员 (seed 003 §7.2; build-plan 6.B–6.D;
// issue 15): members read the linked persons and the invitations; the
// main account alone invites, cancels an invitation, unlinks, and applies
// for (or cancels) a project specialist (access.OrgSpecialistsManage is
// MainOnly).
func (a *App) specialistRoutes() []Route {
	return []Route{
		get("/org/specialists", access.OrgSpecialistsView, a.specialistMembers),
		get("/org/specialists/invitations", access.OrgSpecialistsView, a.specialistInvitations),
		post("/org/specialists/invite", access.OrgSpecialistsManage, a.specialistInvite),
		post("/org/specialists/invitations/:id/cancel", access.OrgSpecialistsManage, a.specialistCancelInvite),
		get("/org/specialists/people/:id", access.OrgSpecialistsView, a.specialistPerson),
		post("/org/specialists/links/:id/unlink", access.OrgSpecialistsManage, a.specialistUnlink),
		post("/org/specialists/links/:id/apply", access.OrgSpecialistsManage, a.specialistApply),
		post("/org/specialists/:id/cancel", access.OrgSpecialistsManage, a.specialistCancel),
	}
}

func specialistFilter(c echo.Context) people.Filter {
	return people.Filter{Status: c.QueryParam("status"), Q: c.QueryParam("q"), Page: queryInt(c, "page", 1)}
}

// specialistList renders a tab; vm carries an invitation's refusal.
func (a *App) specialistList(c echo.Context, status int, vm specialists.ListVM) error {
	ctx := c.Request().Context()
	p := principalOf(c)
	vm.Filter, vm.Now, vm.Query = specialistFilter(c), a.Clock.Now(), listQuery(c)
	var err error
	if vm.Tab == "invitations" {
		vm.Invitations, vm.Total, err = a.svc.People.Invitations(ctx, p, vm.Filter)
	} else {
		vm.Tab = "members"
		vm.Members, vm.Total, err = a.svc.People.Members(ctx, p, vm.Filter)
	}
	if err != nil {
		return err
	}
	return render(c, status, specialists.List(vm))
}

func (a *App) specialistMembers(c echo.Context) error {
	return a.specialistList(c, http.StatusOK, specialists.ListVM{Tab: "members"})
}

func (a *App) specialistInvitations(c echo.Context) error {
	return a.specialistList(c, http.StatusOK, specialists.ListVM{Tab: "invitations"})
}

// specialistInvite sends the invitation; a refusal re-renders the
// invitation list with the checks (§7.2.3) or the hints of
// "未查询到账号信息" (§7.2.4).
func (a *App) specialistInvite(c echo.Context) error {
	tenant := c.FormValue("tenant_name")
	_, err := a.svc.People.Invite(c.Request().Context(), principalOf(c), tenant)
	if err == nil {
		return a.done(c, "/org/specialists/invitations", "specialists.flash.invited")
	}
	vm := specialists.ListVM{Tab: "invitations", Tenant: tenant}
	var cf *people.CheckFailure
	if errors.As(err, &cf) {
		vm.Checks = cf.Checks
		return a.specialistList(c, http.StatusConflict, vm)
	}
	msg, status, ok := failedSummary(err, "tenant_name")
	if !ok {
		return err
	}
	vm.Error, vm.NotFound = msg, msg == people.ErrNotFound
	return a.specialistList(c, status, vm)
}

func (a *App) specialistCancelInvite(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := a.svc.People.CancelInvitation(c.Request().Context(), principalOf(c), id); err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.specialistList(c, status, specialists.ListVM{Tab: "invitations", Error: ae.MessageKey()})
	}
	return a.done(c, "/org/specialists/invitations", "specialists.flash.invite_cancelled")
}

// specialistPersonPage renders a person's page; vm carries a refusal.
func (a *App) specialistPersonPage(c echo.Context, personID int64, status int, vm specialists.PersonVM) error {
	ctx := c.Request().Context()
	p := principalOf(c)
	d, err := a.svc.People.PersonDetail(ctx, p, personID)
	if err != nil {
		return err
	}
	vm.D, vm.Now = d, clock.ChinaDate(a.Clock.Now())
	if en, err := a.svc.Paths.Current(ctx, p); err != nil {
		return err
	} else if en != nil {
		vm.Path = en.Path
	}
	if vm.Errors == nil {
		vm.Errors = map[string]string{}
	}
	return render(c, status, specialists.Person(vm))
}

func (a *App) specialistPerson(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return a.specialistPersonPage(c, id, http.StatusOK, specialists.PersonVM{})
}

// linkPerson is the person of one of the tenant's links (404 otherwise),
// to come back to its page.
func (a *App) linkPerson(c echo.Context, linkID int64) (int64, error) {
	return a.svc.People.LinkPerson(c.Request().Context(), principalOf(c), linkID)
}

func (a *App) specialistUnlink(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	person, err := a.linkPerson(c, id)
	if err != nil {
		return err
	}
	if err := a.svc.People.Unlink(c.Request().Context(), principalOf(c), id); err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.specialistPersonPage(c, person, status, specialists.PersonVM{Error: ae.MessageKey(), Args: ae.Args})
	}
	return a.done(c, "/org/specialists", "specialists.flash.unlinked")
}

func (a *App) specialistApply(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	person, err := a.linkPerson(c, id)
	if err != nil {
		return err
	}
	ups, err := readUploads(c, "files", 5)
	if err == nil {
		_, err = a.svc.People.ApplySpecialist(c.Request().Context(), principalOf(c), id, c.FormValue("note"), ups)
	}
	if err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.specialistPersonPage(c, person, status, specialists.PersonVM{Error: ae.MessageKey(), Args: ae.Args, Errors: ae.Fields,
			Note: c.FormValue("note")})
	}
	return a.done(c, "/org/specialists/people/"+strconv.FormatInt(person, 10), "specialists.flash.applied")
}

func (a *App) specialistCancel(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	person, err := a.svc.People.SpecialistPerson(ctx, principalOf(c), id)
	if err != nil {
		return err
	}
	reason := c.FormValue("reason")
	if err := a.svc.People.CancelSpecialist(ctx, principalOf(c), id, reason); err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		vm := specialists.PersonVM{CancelReason: reason}
		if k := ae.Fields["reason"]; k != "" {
			vm.CancelErr = k
		} else {
			vm.Error, vm.Args = ae.MessageKey(), ae.Args
		}
		return a.specialistPersonPage(c, person, status, vm)
	}
	return a.done(c, "/org/specialists/people/"+strconv.FormatInt(person, 10), "specialists.flash.cancel_applied")
}

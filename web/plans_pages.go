package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/platform/apperr"
	plansview "partnercenter/views/plans"
)

// plansRoutes is 计划 (seed 003 §5, §12.3.11; build-plan 1.C; issue 11):
// 华为云伙伴计划 with its tabs 伙伴计划 (catalogue), 已申请 and 已加入, the
// solution-provider application, the answer to a master-distributor
// invitation, a cloud-reseller invitation link's page, certificates and
// 已签署协议.
func (a *App) plansRoutes() []Route {
	return []Route{
		get("/plans", access.PlansView, a.plansPage),
		post("/plans/solution-provider/apply", access.PlansApply, a.plansApplySP),
		post("/plans/pce/join", access.PlansApply, a.plansJoinPCE),
		post("/plans/memberships/:id/accept", access.PlansApply, a.plansAnswerMD(true)),
		post("/plans/memberships/:id/decline", access.PlansApply, a.plansAnswerMD(false)),
		get("/plans/memberships/:id/certificate", access.PlansView, a.plansCertificate),
		get("/plans/agreements", access.PlansView, a.plansAgreements),
		get("/plans/join/:token", access.PlansView, a.plansInvitation),
		post("/plans/join/:token", access.PlansApply, a.plansAcceptReseller),
	}
}

var planTabs = []string{"catalogue", "applied", "joined"}

func (a *App) renderPlans(c echo.Context, status int, vm plansview.PageVM) error {
	o, err := a.svc.Programs.Overview(c.Request().Context(), principalOf(c))
	if err != nil {
		return err
	}
	vm.O = o
	if vm.Tab == "" {
		vm.Tab = choice(c.QueryParam("tab"), planTabs)
	}
	return render(c, status, plansview.Page(vm))
}

func (a *App) plansPage(c echo.Context) error {
	return a.renderPlans(c, http.StatusOK, plansview.PageVM{Why: c.QueryParam("why") == "1"})
}

// plansApplySP submits the solution-provider application; a refusal
// shows the check list with the seed's sentence.
func (a *App) plansApplySP(c echo.Context) error {
	note := c.FormValue("note")
	app, err := a.svc.Programs.ApplySP(c.Request().Context(), principalOf(c), note)
	if err != nil {
		ae, ok := apperr.As(err)
		if !ok || (ae.Kind != apperr.KindInvalid && ae.Kind != apperr.KindConflict) {
			return err
		}
		status := http.StatusUnprocessableEntity
		if ae.Kind == apperr.KindConflict {
			status = http.StatusConflict
		}
		return a.renderPlans(c, status, plansview.PageVM{Tab: "catalogue", Summary: ae.Key, Note: note,
			NoteErr: ae.Fields["note"], Why: true})
	}
	return a.done(c, "/applications/"+strconv.FormatInt(app.ID, 10), "program.flash.sp_applied")
}

// plansJoinPCE is 立即加入 合作伙伴共拓计划: the agreement and the
// commitment ticked, admitted at once (§11.1.1.5–6).
func (a *App) plansJoinPCE(c echo.Context) error {
	_, err := a.svc.Programs.JoinPCE(c.Request().Context(), principalOf(c), c.FormValue("agree") == "on", c.FormValue("commit") == "on")
	if err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.renderPlans(c, status, plansview.PageVM{Tab: "catalogue", Summary: ae.MessageKey(), PCEErr: ae.Fields["agree"]})
	}
	return a.done(c, "/plans?tab=joined", "program.flash.pce_joined")
}

func (a *App) plansAnswerMD(accept bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := paramID(c, "id")
		if err != nil {
			return err
		}
		if err := a.svc.Programs.AnswerMD(c.Request().Context(), principalOf(c), id, accept); err != nil {
			ae, ok := apperr.As(err)
			if !ok || ae.Kind != apperr.KindConflict {
				return err
			}
			return a.renderPlans(c, http.StatusConflict, plansview.PageVM{Tab: "joined", Summary: ae.Key})
		}
		if accept {
			return a.done(c, "/plans?tab=joined", "program.flash.md_accepted")
		}
		return a.done(c, "/plans?tab=applied", "program.flash.md_declined")
	}
}

func (a *App) plansCertificate(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	name, data, err := a.svc.Programs.Certificate(c.Request().Context(), principalOf(c), id)
	if err != nil {
		return err
	}
	return sendPDF(c, name, data)
}

func (a *App) plansAgreements(c echo.Context) error {
	rows, err := a.svc.Programs.Agreements(c.Request().Context(), principalOf(c))
	if err != nil {
		return err
	}
	vm := plansview.AgreementsVM{Code: c.QueryParam("code"), State: choice(c.QueryParam("state"), []string{"", "active", "terminated"})}
	vm.Rows = plansview.FilterAgreements(rows, vm.Code, vm.State)
	return render(c, http.StatusOK, plansview.Agreements(vm))
}

// plansInvitation is a cloud-reseller invitation link's page: who
// invites, and whether this account may accept (and why not).
func (a *App) plansInvitation(c echo.Context) error {
	v, err := a.svc.Programs.Invitation(c.Request().Context(), principalOf(c), c.Param("token"))
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, plansview.Invitation(plansview.InvitationVM{V: v, Token: c.Param("token")}))
}

func (a *App) plansAcceptReseller(c echo.Context) error {
	token := c.Param("token")
	if err := a.svc.Programs.AcceptReseller(c.Request().Context(), principalOf(c), token); err != nil {
		ae, ok := apperr.As(err)
		if !ok || ae.Kind != apperr.KindConflict {
			return err
		}
		v, verr := a.svc.Programs.Invitation(c.Request().Context(), principalOf(c), token)
		if verr != nil {
			return verr
		}
		return render(c, http.StatusConflict, plansview.Invitation(plansview.InvitationVM{V: v, Token: token, Summary: ae.Key}))
	}
	return a.done(c, "/plans?tab=joined", "program.flash.reseller_accepted")
}

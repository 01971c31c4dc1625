package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/paths"
	"partnercenter/internal/platform/apperr"
	plansview "partnercenter/views/plans"
)

// plansPathRoutes is 计划 > 发展路径 (seed 003 §4; build-plan 1.D; issue
// 11): join a path, exit it before role certification, apply for the
// next stage with the declared figures and proofs, submit re-review
// material, download the stage certificate.
func (a *App) plansPathRoutes() []Route {
	return []Route{
		get("/plans/paths", access.PlansView, a.pathsPage),
		post("/plans/paths/join", access.PlansApply, a.pathsJoin),
		post("/plans/paths/exit", access.PlansApply, a.pathsExit),
		post("/plans/paths/apply", access.PlansApply, a.pathsApply),
		post("/plans/paths/rereview", access.PlansApply, a.pathsRereview),
		get("/plans/paths/certificate", access.PlansView, a.pathsCertificate),
	}
}

func (a *App) renderPaths(c echo.Context, status int, vm plansview.PathsVM) error {
	o, err := a.svc.Paths.Overview(c.Request().Context(), principalOf(c))
	if err != nil {
		return err
	}
	vm.O = o
	return render(c, status, plansview.Paths(vm))
}

func (a *App) pathsPage(c echo.Context) error {
	return a.renderPaths(c, http.StatusOK, plansview.PathsVM{})
}

// pathsFail shows a refusal on the page (a field's, a conflict's, or the
// failed check list), or passes other errors on.
func (a *App) pathsFail(c echo.Context, vm plansview.PathsVM, err error) error {
	var cf *paths.ChecksFailed
	if errors.As(err, &cf) {
		vm.Summary, vm.Checks = cf.Error(), cf.Checks
		return a.renderPaths(c, http.StatusUnprocessableEntity, vm)
	}
	ae, ok := apperr.As(err)
	if !ok || (ae.Kind != apperr.KindInvalid && ae.Kind != apperr.KindConflict) {
		return err
	}
	status := http.StatusUnprocessableEntity
	if ae.Kind == apperr.KindConflict {
		status = http.StatusConflict
	}
	vm.Summary, vm.Errors = ae.MessageKey(), ae.Fields
	return a.renderPaths(c, status, vm)
}

func (a *App) pathsJoin(c echo.Context) error {
	if err := a.svc.Paths.Join(c.Request().Context(), principalOf(c), c.FormValue("path")); err != nil {
		return a.pathsFail(c, plansview.PathsVM{}, err)
	}
	return a.done(c, "/plans/paths", "path.flash.joined")
}

func (a *App) pathsExit(c echo.Context) error {
	if err := a.svc.Paths.Exit(c.Request().Context(), principalOf(c)); err != nil {
		return a.pathsFail(c, plansview.PathsVM{}, err)
	}
	return a.done(c, "/plans/paths", "path.flash.exited")
}

// stageInput reads the declaration form (numbers that do not parse count
// as -1 and are refused by the service).
func stageInput(c echo.Context) paths.StageInput {
	n := func(name string) int {
		v := strings.TrimSpace(c.FormValue(name))
		if v == "" {
			return 0
		}
		i, err := strconv.Atoi(v)
		if err != nil {
			return -1
		}
		return i
	}
	form, _ := c.FormParams()
	return paths.StageInput{Entry: n("entry_certs"), Working: n("working_certs"), HCSAPersons: n("hcsa_hcsp_persons"),
		CaseName: c.FormValue("case_name"), CaseDate: c.FormValue("case_date"), Labels: form["labels"], OtherLabels: n("other_labels"),
		TeamSize: n("team_size"), Practice: c.FormValue("practice"), BPInterlock: c.FormValue("bp_interlock") == "1",
		Experts: n("experts"), HCIE: n("hcie"), Offerings: n("offerings"), Note: c.FormValue("note")}
}

func (a *App) pathsApply(c echo.Context) error {
	in := stageInput(c)
	vm := plansview.PathsVM{Input: in, Applying: true}
	proofs, err := readUploads(c, "files", paths.MaxFiles)
	if err == nil {
		created, aerr := a.svc.Paths.Apply(c.Request().Context(), principalOf(c), c.FormValue("to"), in, proofs)
		if aerr == nil {
			return a.done(c, "/applications/"+strconv.FormatInt(created.ID, 10), "path.flash.applied")
		}
		err = aerr
	}
	return a.pathsFail(c, vm, err)
}

func (a *App) pathsRereview(c echo.Context) error {
	proofs, err := readUploads(c, "files", paths.MaxFiles)
	if err == nil {
		created, rerr := a.svc.Paths.Rereview(c.Request().Context(), principalOf(c), c.FormValue("note"), proofs)
		if rerr == nil {
			return a.done(c, "/applications/"+strconv.FormatInt(created.ID, 10), "path.flash.rereview")
		}
		err = rerr
	}
	return a.pathsFail(c, plansview.PathsVM{Rereview: true, Note: c.FormValue("note")}, err)
}

func (a *App) pathsCertificate(c echo.Context) error {
	e, pt, err := a.svc.Paths.Certificate(c.Request().Context(), principalOf(c))
	if err != nil {
		return err
	}
	data, err := paths.CertificatePDF(e, pt, a.Clock.Now())
	if err != nil {
		return err
	}
	return sendPDF(c, *e.CertificateNo+".pdf", data)
}

package web

import (
	"strconv"

	"github.com/labstack/echo/v4"

	"net/http"
	"partnercenter/internal/access"
	"partnercenter/internal/platform/apperr"
)

// partnerProgramRoutes are the vendor's program actions on a partner's
// page (build-plan 1.C): invite it as a master distributor (§5.2.2),
// record an exit or a delisting (§5.1.10–5.1.11, §5.2.7, §5.3.7) and the
// annual assessment the yearly renewal reads (§5.1.6, §5.1.9).
func (a *App) partnerProgramRoutes() []Route {
	return []Route{
		post("/partners/:id/programs/md-invite", access.VendorProgramsManage, a.partnerInviteMD),
		post("/partners/:id/programs/:mid/end", access.VendorProgramsManage, a.partnerProgramEnd),
		post("/partners/:id/programs/:mid/assessment", access.VendorProgramsManage, a.partnerProgramAssessment),
		post("/partners/:id/programs/migrate", access.VendorProgramsManage, a.partnerMigrate),
		post("/partners/:id/programs/pce-whitelist", access.VendorProgramsManage, a.partnerPCEWhitelist),
	}
}

// partnerPCEWhitelist puts the partner on the PCE whitelist (or takes it
// off): a partner in no program or path then finds the entry (§11.1.1.7).
func (a *App) partnerPCEWhitelist(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := a.svc.Programs.SetPCEWhitelist(c.Request().Context(), principalOf(c), id, c.FormValue("on") == "1"); err != nil {
		return a.programFail(c, id, "pce", err)
	}
	return a.done(c, "/partners/"+strconv.FormatInt(id, 10), "program.flash.pce_whitelist")
}

// programFail shows a refused program action on the partner's page, or
// passes other errors on.
func (a *App) programFail(c echo.Context, id int64, form string, err error) error {
	ae, ok := apperr.As(err)
	if !ok || (ae.Kind != apperr.KindInvalid && ae.Kind != apperr.KindConflict) {
		return err
	}
	status := http.StatusUnprocessableEntity
	if ae.Kind == apperr.KindConflict {
		status = http.StatusConflict
	}
	return a.renderVendorPartnerWith(c, id, status, partnerForm{Form: form, Summary: ae.Key, Args: ae.Args, Fields: ae.Fields})
}

func (a *App) partnerInviteMD(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	class, _ := strconv.Atoi(c.FormValue("region_class"))
	if _, err := a.svc.Programs.InviteMD(c.Request().Context(), principalOf(c), id, c.FormValue("md_type"), class); err != nil {
		return a.programFail(c, id, "md-invite", err)
	}
	return a.done(c, "/partners/"+strconv.FormatInt(id, 10), "program.flash.md_invited")
}

// membershipParams reads :id and :mid; the membership must belong to the
// partner of the URL (else 404).
func (a *App) membershipParams(c echo.Context) (int64, int64, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return 0, 0, err
	}
	mid, err := paramID(c, "mid")
	if err != nil {
		return 0, 0, err
	}
	row, err := a.svc.Directory.Get(c.Request().Context(), principalOf(c), id)
	if err != nil {
		return 0, 0, err
	}
	v, err := a.svc.Programs.ForPartner(c.Request().Context(), principalOf(c), row)
	if err != nil {
		return 0, 0, err
	}
	for _, m := range v.Memberships {
		if m.ID == mid {
			return id, mid, nil
		}
	}
	return 0, 0, apperr.NotFound()
}

func (a *App) partnerProgramEnd(c echo.Context) error {
	id, mid, err := a.membershipParams(c)
	if err != nil {
		return err
	}
	if err := a.svc.Programs.End(c.Request().Context(), principalOf(c), mid, c.FormValue("kind"), c.FormValue("reason")); err != nil {
		return a.programFail(c, id, "end-"+strconv.FormatInt(mid, 10), err)
	}
	return a.done(c, "/partners/"+strconv.FormatInt(id, 10), "program.flash.ended")
}

func (a *App) partnerProgramAssessment(c echo.Context) error {
	id, mid, err := a.membershipParams(c)
	if err != nil {
		return err
	}
	year, _ := strconv.Atoi(c.FormValue("year"))
	passed := c.FormValue("passed") == "1"
	if err := a.svc.Programs.RecordAssessment(c.Request().Context(), principalOf(c), mid, year, passed, c.FormValue("note")); err != nil {
		return a.programFail(c, id, "assess-"+strconv.FormatInt(mid, 10), err)
	}
	return a.done(c, "/partners/"+strconv.FormatInt(id, 10), "program.flash.assessed")
}

// partnerMigrate is 迁移客户至云经销商 (§12.3.2, R76) on a solution
// provider's page.
func (a *App) partnerMigrate(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	to, _ := strconv.ParseInt(c.FormValue("to"), 10, 64)
	if _, err := a.svc.Programs.MigrateCustomers(c.Request().Context(), principalOf(c), a.svc.Customers, id, to, c.FormValue("accounts")); err != nil {
		return a.programFail(c, id, "migrate", err)
	}
	return a.done(c, "/partners/"+strconv.FormatInt(id, 10), "program.flash.migrated")
}

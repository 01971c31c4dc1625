package web

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	qrcode "github.com/skip2/go-qrcode"

	"partnercenter/internal/access"
	"partnercenter/internal/platform/apperr"
	plansview "partnercenter/views/plans"
)

// salesResellerRoutes is 销售 > 云经销商 > 云经销商管理 (a master
// distributor's, seed 003 §12.1.9.17; build-plan 1.C): 我的云经销商, 邀请记录
// and the invitation link with its QR code.
func (a *App) salesResellerRoutes() []Route {
	return []Route{
		get("/sales/resellers", access.ResellersView, a.resellersPage),
		post("/sales/resellers/invitations", access.ResellersInvite, a.resellersInvite),
		post("/sales/resellers/invitations/:id/revoke", access.ResellersInvite, a.resellersRevoke),
		get("/sales/resellers/invitations/:id/qr.png", access.ResellersView, a.resellersQR),
	}
}

func (a *App) renderResellers(c echo.Context, status int, vm plansview.ResellersVM) error {
	ctx, p := c.Request().Context(), principalOf(c)
	if vm.Tab == "" {
		vm.Tab = choice(c.QueryParam("tab"), []string{"resellers", "invitations"})
	}
	vm.BaseURL, vm.Now = a.Config.BaseURL, a.Clock.Now()
	page, err := a.svc.Programs.Resellers(ctx, p)
	if err != nil {
		return err
	}
	vm.Rows, vm.Invitations = page.Rows, page.Invitations
	if id, _ := strconv.ParseInt(c.QueryParam("link"), 10, 64); id > 0 && vm.New == nil {
		inv, err := a.svc.Programs.PendingInvitation(ctx, p, id)
		if err != nil {
			return err
		}
		vm.New = inv
	}
	return render(c, status, plansview.Resellers(vm))
}

func (a *App) resellersPage(c echo.Context) error {
	return a.renderResellers(c, http.StatusOK, plansview.ResellersVM{})
}

func (a *App) resellersInvite(c echo.Context) error {
	inv, err := a.svc.Programs.InviteReseller(c.Request().Context(), principalOf(c), c.FormValue("note"))
	if err != nil {
		ae, ok := apperr.As(err)
		if !ok || ae.Kind != apperr.KindInvalid {
			return err
		}
		return a.renderResellers(c, http.StatusUnprocessableEntity, plansview.ResellersVM{Summary: ae.Key, NoteErr: ae.Fields["note"]})
	}
	return a.done(c, "/sales/resellers?tab=invitations&link="+strconv.FormatInt(inv.ID, 10), "program.flash.link_created")
}

func (a *App) resellersRevoke(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := a.svc.Programs.RevokeInvitation(c.Request().Context(), principalOf(c), id); err != nil {
		ae, ok := apperr.As(err)
		if !ok || ae.Kind != apperr.KindConflict {
			return err
		}
		return a.renderResellers(c, http.StatusConflict, plansview.ResellersVM{Tab: "invitations", Summary: ae.Key})
	}
	return a.done(c, "/sales/resellers?tab=invitations", "program.flash.link_revoked")
}

func (a *App) resellersQR(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	inv, err := a.svc.Programs.PendingInvitation(c.Request().Context(), principalOf(c), id)
	if err != nil {
		return err
	}
	return sendQR(c, a.Config.BaseURL+"/plans/join/"+inv.Token, "reseller-invitation-"+strconv.FormatInt(inv.ID, 10)+"-qr.png")
}

// sendQR sends a PNG QR code of url (an invitation link); ?download=1
// makes it a download named name.
func sendQR(c echo.Context, url, name string) error {
	png, err := qrcode.Encode(url, qrcode.Medium, 320)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "private, max-age=300")
	if c.QueryParam("download") != "" {
		h.Set(echo.HeaderContentDisposition, contentDisposition(name))
	}
	return c.Stream(http.StatusOK, "image/png", bytes.NewReader(png))
}

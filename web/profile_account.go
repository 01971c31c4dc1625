package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"partnercenter/views/profile"
)

// accountPage is 基本信息 > 账号信息: the tenant's account, its programs
// and the accounts of the same legal entity (seed 003 §6.1.1).
func (a *App) accountPage(c echo.Context) error {
	ctx := c.Request().Context()
	info, err := a.svc.Profiles.AccountInfo(ctx, principalOf(c))
	if err != nil {
		return err
	}
	vm := profile.AccountVM{Info: info}
	if id := info.Partner.EcoManagerID; id != nil {
		if m, err := (a.svc.Users).ByID(ctx, *id); err == nil {
			vm.EcoManager = m
		}
	}
	return render(c, http.StatusOK, profile.Account(vm))
}

package web

import (
	"github.com/labstack/echo/v4"

	"partnercenter/internal/partner"
	"partnercenter/views/home"
)

// pendingItems lists what waits for the partner on the home page.
// TODO(approval): onboarding progress and open applications.
func (a *App) pendingItems(c echo.Context, p *partner.Partner) ([]home.PendingItem, error) {
	return nil, nil
}

// vendorHome counts the vendor staff's queue.
func (a *App) vendorHome(c echo.Context) (home.VendorVM, error) {
	return home.VendorVM{}, nil
}

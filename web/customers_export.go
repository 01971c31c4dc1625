package web

import (
	"github.com/labstack/echo/v4"

	"partnercenter/internal/export"
)

// custExport is 客户管理 > 导出: the list's filters and the user's data
// scope, as xlsx (export.KindCustomers; a long list becomes an export task).
func (a *App) custExport(c echo.Context) error {
	lq, err := a.custParseFilter(c)
	if err != nil {
		return err
	}
	return a.startExport(c, export.KindCustomers, lq.F)
}

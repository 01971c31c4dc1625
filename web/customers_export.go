package web

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"

	"partnercenter/internal/customer"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/i18n"
	"partnercenter/views/ui"
)

// custExport downloads the customer list as xlsx with the list's filters
// and the user's data scope. Rows come from the service's iterator into
// excelize's StreamWriter (which spills to a temporary file past a small
// buffer), so the whole set is never held in memory.
func (a *App) custExport(c echo.Context) error {
	ctx := c.Request().Context()
	lq, err := a.custParseFilter(c)
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	_ = sw.SetColWidth(1, 1, 32)
	_ = sw.SetColWidth(2, 2, 24)
	_ = sw.SetColWidth(3, 12, 16)
	tr := func(key string) string { return i18n.T(ctx, key) }
	header := []any{tr("customers.col.name"), tr("customers.field.account"), tr("customers.col.kind"), tr("customers.col.mobile"),
		tr("customers.col.mode"), tr("customers.col.associated"), tr("customers.col.manager"), tr("customers.col.realname"),
		tr("customers.col.state"), tr("customers.export.ended"), tr("customers.field.level")}
	if lq.F.Resellers {
		header = append(header, tr("customers.col.reseller"))
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	n := 1
	err = a.svc.Customers.Export(ctx, principalOf(c), lq.F, func(r customer.Row) error {
		n++
		ended := ""
		if r.EndedAt != nil {
			ended = ui.DateTime(*r.EndedAt)
		}
		realName := r.RealNameStatus
		if realName == "" {
			realName = customer.RealNameNone
		}
		row := []any{r.Name, r.AccountName, tr("customer.kind." + r.Kind), r.Mobile, tr("customer.mode." + r.Mode),
			ui.DateTime(r.AssociatedAt), r.ManagerName, tr("customer.real_name." + realName), tr("customer.state." + r.State),
			ended, r.Level}
		if lq.F.Resellers {
			row = append(row, r.PartnerName)
		}
		cell, err := excelize.CoordinatesToCellName(1, n)
		if err != nil {
			return err
		}
		return sw.SetRow(cell, row)
	})
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	name := tr("customers.export.filename") + "-" + a.Clock.Now().In(clock.China).Format("20060102-150405") + ".xlsx"
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	h.Set(echo.HeaderContentDisposition, "attachment; filename=\"customers.xlsx\"; filename*=UTF-8''"+url.PathEscape(name))
	h.Set("Cache-Control", "no-store")
	c.Response().WriteHeader(http.StatusOK)
	return f.Write(c.Response())
}

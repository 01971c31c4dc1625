package web

import (
	"context"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/customer"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/i18n"
	"partnercenter/internal/platform/sheet"
	"partnercenter/views/ui"
)

// custExport downloads the customer list as xlsx with the list's filters
// and the user's data scope, streamed from the service's iterator.
func (a *App) custExport(c echo.Context) error {
	ctx := c.Request().Context()
	lq, err := a.custParseFilter(c)
	if err != nil {
		return err
	}
	tr := func(key string) string { return i18n.T(ctx, key) }
	t := &sheet.Table{
		Sheet: tr("customers.export.filename"),
		Header: []string{tr("customers.col.name"), tr("customers.field.account"), tr("customers.col.kind"), tr("customers.col.mobile"),
			tr("customers.col.mode"), tr("customers.col.associated"), tr("customers.col.manager"), tr("customers.col.realname"),
			tr("customers.col.state"), tr("customers.export.ended"), tr("customers.field.level")},
		Widths: []float64{32, 24, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16},
	}
	if lq.F.Resellers {
		t.Header = append(t.Header, tr("customers.col.reseller"))
	}
	t.Rows = func(ctx context.Context, each func([]string) error) error {
		return a.svc.Customers.Export(ctx, principalOf(c), lq.F, func(r customer.Row) error {
			ended := ""
			if r.EndedAt != nil {
				ended = ui.DateTime(*r.EndedAt)
			}
			realName := r.RealNameStatus
			if realName == "" {
				realName = customer.RealNameNone
			}
			row := []string{r.Name, r.AccountName, tr("customer.kind." + r.Kind), r.Mobile, tr("customer.mode." + r.Mode),
				ui.DateTime(r.AssociatedAt), r.ManagerName, tr("customer.real_name." + realName), tr("customer.state." + r.State),
				ended, r.Level}
			if lq.F.Resellers {
				row = append(row, r.PartnerName)
			}
			return each(row)
		})
	}
	name := tr("customers.export.filename") + "-" + a.Clock.Now().In(clock.China).Format("20060102-150405")
	return a.sendTable(c, sheet.XLSX, name, t)
}

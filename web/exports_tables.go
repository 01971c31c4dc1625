package web

import (
	"context"
	"encoding/json"
	"strconv"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/customer"
	"partnercenter/internal/export"
	"partnercenter/internal/funds"
	"partnercenter/internal/incentive"
	"partnercenter/internal/performance"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/i18n"
	"partnercenter/internal/platform/money"
	"partnercenter/internal/platform/sheet"
	"partnercenter/views/ui"
)

// exportTables are the list downloads, each a row source with its
// columns built from the domain service that owns the rows. They go
// through export.Service.Start, which streams a small one in the request
// and makes a large one an export task (我的导出).
func exportTables(s *Services) export.Tables {
	return export.Tables{
		export.KindCustomers:  {Format: sheet.XLSX, FileName: named("customers.export.filename"), Build: customersTable(s)},
		export.KindFundsLines: {Format: sheet.CSV, FileName: named("billing.lines.export_file"), Build: fundsLinesTable(s)},
		export.KindAuditLog:   {Format: sheet.CSV, FileName: named("audit.export_file"), Build: auditTable(s), AuditAction: "audit.export"},
		export.KindPerformance: {Format: sheet.XLSX, FileName: named("performance.export.filename"), Build: performanceTable(s),
			AsTask: true},
		export.KindIndicators: {Format: sheet.XLSX, FileName: named("indicator.export.filename"), Build: indicatorsTable(s)},
		export.KindIncentiveDetails: {Format: sheet.XLSX, FileName: named("incentive.export.filename"),
			Build: incentiveDetailsTable(s)},
	}
}

func named(key string) func(lang string) string {
	return func(lang string) string { return i18n.TL(lang, key) }
}

// decode reads a table's filter; a malformed one is a bad request.
func decode(raw json.RawMessage, f any) error {
	if err := json.Unmarshal(raw, f); err != nil {
		return apperr.Invalid("error.bad_request")
	}
	return nil
}

// customersTable is 客户管理 > 导出: the list's filters and the user's data
// scope (customer.Service.Export).
func customersTable(s *Services) func(context.Context, *access.Principal, json.RawMessage, string) (*sheet.Table, error) {
	return func(_ context.Context, p *access.Principal, raw json.RawMessage, lang string) (*sheet.Table, error) {
		var f customer.Filter
		if err := decode(raw, &f); err != nil {
			return nil, err
		}
		if _, err := p.Tenant(); err != nil {
			return nil, err
		}
		tr := func(key string) string { return i18n.TL(lang, key) }
		t := &sheet.Table{
			Sheet: tr("customers.export.filename"),
			Header: []string{tr("customers.col.name"), tr("customers.field.account"), tr("customers.col.kind"), tr("customers.col.mobile"),
				tr("customers.col.mode"), tr("customers.col.associated"), tr("customers.col.manager"), tr("customers.col.realname"),
				tr("customers.col.state"), tr("customers.export.ended"), tr("customers.field.level")},
			Widths: []float64{32, 24, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16},
		}
		if f.Resellers {
			t.Header = append(t.Header, tr("customers.col.reseller"))
		}
		t.Rows = func(ctx context.Context, each func([]string) error) error {
			return s.Customers.Export(ctx, p, f, func(r customer.Row) error {
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
				if f.Resellers {
					row = append(row, r.PartnerName)
				}
				return each(row)
			})
		}
		return t, nil
	}
}

// fundsLinesTable is 资金明细 > 导出当前记录 (seed 003 §12.1.9.24).
func fundsLinesTable(s *Services) func(context.Context, *access.Principal, json.RawMessage, string) (*sheet.Table, error) {
	return func(_ context.Context, p *access.Principal, raw json.RawMessage, lang string) (*sheet.Table, error) {
		var f funds.LineFilter
		if err := decode(raw, &f); err != nil {
			return nil, err
		}
		if _, err := p.Tenant(); err != nil {
			return nil, err
		}
		t := &sheet.Table{Sheet: i18n.TL(lang, "billing.lines.export_file"), Numeric: []bool{4: true, 5: true}}
		for _, k := range []string{"billing.col.time", "billing.col.kind", "billing.col.customer", "billing.col.account",
			"billing.col.amount", "billing.col.balance_after", "billing.recharges.source", "billing.recharges.payer",
			"billing.col.reference", "billing.col.memo", "billing.col.operator"} {
			t.Header = append(t.Header, i18n.TL(lang, k))
		}
		t.Rows = func(ctx context.Context, each func([]string) error) error {
			return s.Funds.ExportLines(ctx, p, f, func(l funds.Line) error {
				src := ""
				if l.Source != nil {
					src = i18n.TL(lang, "billing.source."+*l.Source)
				}
				return each([]string{ui.DateTime(l.At), i18n.TL(lang, "billing.kind."+l.Kind), l.CustomerName, l.CustomerAccount,
					money.Plain(l.Amount, 2), money.Plain(l.BalanceAfter, 2), src, l.PayerName, l.Reference, l.Memo, l.Operator})
			})
		}
		return t, nil
	}
}

// auditTable is 操作日志 > 导出 (audit.Query.ExportTable).
func auditTable(s *Services) func(context.Context, *access.Principal, json.RawMessage, string) (*sheet.Table, error) {
	return func(ctx context.Context, p *access.Principal, raw json.RawMessage, lang string) (*sheet.Table, error) {
		var f audit.Filter
		if err := decode(raw, &f); err != nil {
			return nil, err
		}
		return s.Audit.ExportTable(ctx, p, f, lang)
	}
}

// performanceTable is 业绩明细 > 导出 (§12.1.5.3): the list's filters in
// the user's data scope (performance.Service.Export), with the second-tier
// reseller's columns for a master distributor (§12.2.1).
func performanceTable(s *Services) func(context.Context, *access.Principal, json.RawMessage, string) (*sheet.Table, error) {
	return func(_ context.Context, p *access.Principal, raw json.RawMessage, lang string) (*sheet.Table, error) {
		var f performance.Filter
		if err := decode(raw, &f); err != nil {
			return nil, err
		}
		if !p.Can(access.IncentivesPerformanceView) {
			return nil, apperr.Forbidden()
		}
		tr := func(key string) string { return i18n.TL(lang, key) }
		t := &sheet.Table{
			Sheet: tr("performance.export.filename"),
			Header: []string{tr("performance.col.id"), tr("performance.col.code"), tr("performance.col.order_no"), tr("performance.export.product_name"),
				tr("performance.export.product_type"), tr("performance.col.billing_mode"), tr("performance.col.order_type"),
				tr("performance.export.customer_name"), tr("performance.export.customer_account"), tr("performance.col.mode"),
				tr("performance.col.amount"), tr("performance.col.formed_at"), tr("performance.col.manager"), tr("performance.col.reseller")},
			Widths: []float64{12, 20, 22, 28, 20, 12, 12, 28, 22, 12, 18, 20, 14, 28},
		}
		t.Rows = func(ctx context.Context, each func([]string) error) error {
			return s.Performance.Export(ctx, p, f, func(r performance.Row) error {
				return each([]string{strconv.FormatInt(r.ID, 10), performance.SummaryCode(r.PartnerID, r.Period), r.OrderNo, r.ProductName,
					r.ProductType, tr("performance.billing_mode." + r.BillingMode), tr("performance.bill_type." + r.BillType), r.CustomerName,
					r.CustomerAccount, tr("customer.mode." + r.Mode), r.Amount.StringFixed(8), ui.DateTime(r.FormedAt), r.ManagerName,
					r.ResellerName})
			})
		}
		return t, nil
	}
}

// indicatorsTable is 指标信息 > 导出 (§12.1.8.1): the list's filters in the
// user's data scope.
func indicatorsTable(s *Services) func(context.Context, *access.Principal, json.RawMessage, string) (*sheet.Table, error) {
	return func(_ context.Context, p *access.Principal, raw json.RawMessage, lang string) (*sheet.Table, error) {
		var f performance.IndicatorFilter
		if err := decode(raw, &f); err != nil {
			return nil, err
		}
		if !p.Can(access.IncentivesIndicatorsView) {
			return nil, apperr.Forbidden()
		}
		tr := func(key string) string { return i18n.TL(lang, key) }
		t := &sheet.Table{
			Sheet: tr("indicator.export.filename"),
			Header: []string{tr("indicator.col.name"), tr("indicator.col.scope"), tr("indicator.col.method"), tr("indicator.col.cycle"),
				tr("indicator.col.dimension"), tr("indicator.col.period"), tr("indicator.col.value"), tr("indicator.col.customer"),
				tr("performance.export.customer_account"), tr("indicator.col.updated")},
			Widths: []float64{36, 36, 12, 10, 10, 12, 18, 28, 22, 20},
		}
		t.Rows = func(ctx context.Context, each func([]string) error) error {
			return s.Performance.ExportIndicators(ctx, p, f, func(r performance.IndicatorRow) error {
				value := r.Value.StringFixed(2)
				if r.IsRate() {
					value += "%"
				}
				return each([]string{r.Name, r.Scope, tr("indicator.method.auto"), tr("indicator.cycle." + r.Cycle),
					tr("indicator.dimension." + r.Dimension), r.PeriodCode, value, r.CustomerName, r.CustomerAccount, ui.DateTime(r.UpdatedAt)})
			})
		}
		return t, nil
	}
}

// incentiveDetailsTable is 激励明细 > 导出 (§12.1.5.4): the lines of a
// bill (or all) in the user's data scope, with the performance amount the
// page hides by default.
func incentiveDetailsTable(s *Services) func(context.Context, *access.Principal, json.RawMessage, string) (*sheet.Table, error) {
	return func(_ context.Context, p *access.Principal, raw json.RawMessage, lang string) (*sheet.Table, error) {
		var f incentive.DetailFilter
		if err := decode(raw, &f); err != nil {
			return nil, err
		}
		if !p.Can(access.IncentivesBillsView) {
			return nil, apperr.Forbidden()
		}
		tr := func(key string) string { return i18n.TL(lang, key) }
		t := &sheet.Table{
			Sheet: tr("incentive.export.filename"),
			Header: []string{tr("incentive.col.id"), tr("performance.col.period"), tr("incentive.col.name"), tr("incentive.col.reseller"),
				tr("performance.export.customer_name"), tr("performance.export.customer_account"), tr("incentive.col.product_type"),
				tr("incentive.col.product"), tr("performance.col.formed_at"), tr("performance.col.amount"), tr("incentive.col.rebate_ratio"),
				tr("incentive.col.rule"), tr("incentive.col.amount")},
			Widths: []float64{38, 10, 24, 24, 28, 22, 18, 28, 20, 20, 10, 30, 20},
		}
		t.Rows = func(ctx context.Context, each func([]string) error) error {
			return s.Incentive.ExportDetails(ctx, p, f, func(r incentive.DetailRow) error {
				return each([]string{r.BillID, r.PeriodCode, r.PolicyName, r.ResellerName, r.CustomerName, r.CustomerAccount, r.ProductType,
					r.ProductName, ui.DateTime(r.FormedAt), r.Performance.StringFixed(8), "--",
					i18n.TL(lang, r.RuleKey(), map[string]any{"Ratio": r.Ratio.String()}), r.Amount.StringFixed(8)})
			})
		}
		return t, nil
	}
}

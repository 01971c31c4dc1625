package export

import (
	"context"
	"io"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/bill"
	partnerpkg "partnercenter/internal/partner"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/i18n"
	"partnercenter/internal/platform/money"
	"partnercenter/internal/platform/pdf"
)

func (w *Worker) writePDF(ctx context.Context, t *Task, period time.Time, out io.Writer) (string, string, error) {
	var name, ctype string
	err := w.reader().WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		name, ctype, err = encodePDF(ctx, tx, t, period, w.now(), out)
		return err
	}, bill.ReadOnly)
	return name, ctype, err
}

// encodePDF draws the bill of a period (billDoc) and writes it to out.
func encodePDF(ctx context.Context, read *gorm.DB, t *Task, period time.Time, now time.Time, out io.Writer) (string, string, error) {
	doc, err := billDoc(ctx, read, t, period, now)
	if err != nil {
		return "", "", err
	}
	if _, err := doc.WriteTo(out); err != nil {
		return "", "", err
	}
	lang := i18n.Normalize(t.Params().Lang)
	return FileBase(KindBillPDF, lang, t.Params().Period) + ".pdf", ContentTypePDF, nil
}

// billDoc draws the bill of a period: the overview (§12.1.9.8) and the
// 消费 / 退款 / 调账 lines aggregated by product type, resource type and
// billing mode. Every value sits in a table cell or a wrapped cell: names
// wrap, amounts shrink (then wrap) inside their columns, so large amounts
// never run into the next column.
func billDoc(ctx context.Context, read *gorm.DB, t *Task, period time.Time, now time.Time) (*pdf.Document, error) {
	p := t.Params()
	lang := i18n.Normalize(p.Lang)
	tr := func(k string, args ...map[string]any) string { return i18n.TL(lang, k, args...) }
	svc := bill.Service{DB: read}
	// The file is made for the task's creator, in the task's tenant.
	creator := access.Member(t.UserID, t.PartnerID, false)
	sum, err := svc.Summary(ctx, creator, period)
	if err != nil {
		return nil, err
	}
	partner, err := (partnerpkg.Store{DB: read}).Name(ctx, t.PartnerID)
	if err != nil {
		return nil, err
	}
	title := tr("bill.title") + " " + p.Period
	doc, err := pdf.New(pdf.Info{Title: title, Author: tr("app.name"), Subject: partner})
	if err != nil {
		return nil, err
	}
	doc.SetCreated(now)
	const left, right, bottom = 40.0, pdf.PageWidth - 40, pdf.PageHeight - 50
	const width = right - left
	page := doc.AddPage()
	y := 42.0 // top of the next block
	y += page.Cell(left, y, width, pdf.Style{Size: 18}, title) + 7
	generated := tr("export.pdf.generated", map[string]any{"At": now.In(clock.China).Format(time.DateTime)})
	genW := doc.TextWidth(9, generated) + 12
	head := pdf.Table{X: left, Columns: []pdf.Column{
		{Width: width - genW, Style: pdf.Style{Size: 10}}, {Width: genW, Style: pdf.Style{Size: 9, Align: pdf.Right}},
	}}
	y += head.Row(page, y, partner, generated) + 3
	page.Line(left, y, right, y, 0.8)
	y += 12

	yuan := func(d decimal.Decimal) string { return "¥" + money.Plain(d, 2) }
	tot := sum.Total
	y += page.Cell(left, y, width, pdf.Style{Size: 11}, tr("bill.overview")) + 5
	y += page.Cell(left, y, width, pdf.Style{Size: 14}, tr("bill.formula", map[string]any{"Total": yuan(tot.Amount), "Cash": money.Plain(tot.Cash, 2),
		"Voucher": money.Plain(tot.Voucher, 2), "Card": money.Plain(tot.Card, 2), "Arrears": money.Plain(tot.Arrears, 2)})) + 1
	y += page.Cell(left, y, width, pdf.Style{Size: 9}, tr("bill.formula_hint")) + 8
	facts := pdf.Table{X: left, Size: 10, PadY: 1.5, Columns: []pdf.Column{
		{Width: 150}, {Width: 110, Style: pdf.Style{Align: pdf.Right, Fit: pdf.Shrink}},
	}}
	for _, f := range [][2]string{
		{tr("bill.discount_month"), yuan(tot.Discount)},
		{tr("bill.refunds"), yuan(sum.ByType[bill.TypeRefund].Amount)},
		{tr("bill.adjustments"), yuan(sum.ByType[bill.TypeAdjustment].Amount)},
		{tr("bill.rounding_off"), "¥" + money.Plain(tot.RoundingOff, 8)},
	} {
		y += facts.Row(page, y, f[0], f[1])
	}
	y += 12

	// Columns: label columns that wrap, then amounts that shrink.
	heads := []string{tr("bill.col.product_type"), tr("bill.col.resource_type"), tr("bill.col.billing_mode"), tr("bill.col.amount"),
		tr("bill.col.cash"), tr("bill.col.voucher"), tr("bill.col.card"), tr("bill.col.arrears"), tr("bill.col.discount")}
	const labels = 90.0 + 80 + 50
	amount := pdf.Column{Width: (width - labels) / 6, Style: pdf.Style{Align: pdf.Right, Fit: pdf.Shrink, MinSize: 5.5}}
	lines := pdf.Table{X: left, Size: 7.5, PadX: 2, PadY: 1.5, Columns: []pdf.Column{
		{Width: 90}, {Width: 80}, {Width: 50}, amount, amount, amount, amount, amount, amount,
	}}
	newPage := func() {
		page = doc.AddPage()
		y = 50
	}
	header := func() {
		y += lines.FilledRow(page, y, 0.92, heads...) + 2
	}
	for _, typ := range bill.Types {
		if y > bottom-60 {
			newPage()
		}
		y += page.Cell(left, y, width, pdf.Style{Size: 11}, tr("bill.tab."+typ)) + 3
		header()
		any := false
		for pg := 1; ; pg++ {
			list, err := svc.Lines(ctx, creator, period, typ, pg)
			if err != nil {
				return nil, err
			}
			for _, l := range list.Lines {
				any = true
				cells := []string{l.ProductType, l.ResourceType, tr("bill.billing_mode." + l.BillingMode), money.Plain(l.Amount, 2),
					money.Plain(l.Cash, 2), money.Plain(l.Voucher, 2), money.Plain(l.Card, 2), money.Plain(l.Arrears, 2), money.Plain(l.Discount, 2)}
				if y+lines.Height(doc, cells...) > bottom {
					newPage()
					header()
				}
				y += lines.Row(page, y, cells...)
			}
			if int64(pg*bill.PerPage) >= list.Total {
				break
			}
		}
		if !any {
			y += page.Cell(left, y, width, pdf.Style{Size: 7.5}, tr("bill.empty_tab"))
		}
		y += 14
	}
	return doc, nil
}

package export

import (
	"context"
	"io"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/bill"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/i18n"
	"partnercenter/internal/platform/money"
	"partnercenter/internal/platform/pdf"
)

func (w *Worker) writePDF(ctx context.Context, t *Task, period time.Time, out io.Writer) (string, string, error) {
	var name, ctype string
	err := w.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		name, ctype, err = encodePDF(ctx, tx, t, period, w.now(), out)
		return err
	}, bill.ReadOnly)
	return name, ctype, err
}

// encodePDF draws the bill of a period: the overview (§12.1.9.8) and the
// 消费 / 退款 / 调账 lines aggregated by product type, resource type and
// billing mode.
func encodePDF(ctx context.Context, read *gorm.DB, t *Task, period time.Time, now time.Time, out io.Writer) (string, string, error) {
	p := t.Params()
	lang := i18n.Normalize(p.Lang)
	tr := func(k string, args ...map[string]any) string { return i18n.TL(lang, k, args...) }
	svc := bill.Service{DB: read}
	// The file is made for the task's creator, in the task's tenant.
	creator := access.Member(t.UserID, t.PartnerID, false)
	sum, err := svc.Summary(ctx, creator, period)
	if err != nil {
		return "", "", err
	}
	var partner string
	if err := read.WithContext(ctx).Raw(`SELECT name FROM partners WHERE id = ?`, t.PartnerID).Scan(&partner).Error; err != nil {
		return "", "", err
	}
	title := tr("bill.title") + " " + p.Period
	doc := pdf.New(pdf.Info{Title: title, Author: tr("app.name"), Subject: partner})
	doc.SetCreated(now)
	const left, right, bottom = 40.0, pdf.PageWidth - 40, pdf.PageHeight - 50
	page := doc.AddPage()
	y := 60.0
	page.Text(left, y, pdf.Song, 18, title)
	y += 22
	page.Text(left, y, pdf.Song, 10, partner)
	page.TextRight(right, y, pdf.Song, 9, tr("export.pdf.generated", map[string]any{"At": now.In(clock.China).Format(time.DateTime)}))
	y += 10
	page.Line(left, y, right, y, 0.8)
	y += 24

	yuan := func(d decimal.Decimal) string { return "¥" + money.Plain(d, 2) }
	tot := sum.Total
	page.Text(left, y, pdf.Song, 11, tr("bill.overview"))
	y += 20
	page.Text(left, y, pdf.Song, 14, tr("bill.formula", map[string]any{"Total": yuan(tot.Amount), "Cash": money.Plain(tot.Cash, 2),
		"Voucher": money.Plain(tot.Voucher, 2), "Card": money.Plain(tot.Card, 2), "Arrears": money.Plain(tot.Arrears, 2)}))
	y += 16
	page.Text(left, y, pdf.Song, 9, tr("bill.formula_hint"))
	y += 20
	facts := [][2]string{
		{tr("bill.discount_month"), yuan(tot.Discount)},
		{tr("bill.refunds"), yuan(sum.ByType[bill.TypeRefund].Amount)},
		{tr("bill.adjustments"), yuan(sum.ByType[bill.TypeAdjustment].Amount)},
		{tr("bill.rounding_off"), "¥" + money.Plain(tot.RoundingOff, 8)},
	}
	for _, f := range facts {
		page.Text(left, y, pdf.Song, 10, f[0])
		page.TextRight(left+260, y, pdf.Song, 10, f[1])
		y += 15
	}
	y += 12

	// Columns: label columns then right-aligned amounts.
	heads := []string{tr("bill.col.product_type"), tr("bill.col.resource_type"), tr("bill.col.billing_mode"), tr("bill.col.amount"),
		tr("bill.col.cash"), tr("bill.col.voucher"), tr("bill.col.card"), tr("bill.col.arrears"), tr("bill.col.discount")}
	xs := []float64{left, left + 95, left + 175, left + 290, left + 340, left + 390, left + 435, left + 480, right}
	const size = 7.5
	newPage := func() {
		page = doc.AddPage()
		y = 60
	}
	header := func() {
		page.FillRect(left-2, y-10, right-left+4, 14, 0.92)
		for i, h := range heads {
			if i < 3 {
				page.Text(xs[i], y, pdf.Song, size, h)
			} else {
				page.TextRight(xs[i], y, pdf.Song, size, h)
			}
		}
		y += 15
	}
	for _, typ := range bill.Types {
		if y > bottom-60 {
			newPage()
		}
		page.Text(left, y, pdf.Song, 11, tr("bill.tab."+typ))
		y += 16
		header()
		any := false
		for pg := 1; ; pg++ {
			list, err := svc.Lines(ctx, creator, period, typ, pg)
			if err != nil {
				return "", "", err
			}
			for _, l := range list.Lines {
				any = true
				if y > bottom {
					newPage()
					header()
				}
				cells := []string{l.ProductType, l.ResourceType, tr("bill.billing_mode." + l.BillingMode), money.Plain(l.Amount, 2),
					money.Plain(l.Cash, 2), money.Plain(l.Voucher, 2), money.Plain(l.Card, 2), money.Plain(l.Arrears, 2), money.Plain(l.Discount, 2)}
				for i, c := range cells {
					if i < 3 {
						page.Text(xs[i], y, pdf.Song, size, clip(c, 14))
					} else {
						page.TextRight(xs[i], y, pdf.Song, size, c)
					}
				}
				y += 12
			}
			if int64(pg*bill.PerPage) >= list.Total {
				break
			}
		}
		if !any {
			page.Text(left, y, pdf.Song, size, tr("bill.empty_tab"))
			y += 12
		}
		y += 14
	}
	if _, err := doc.WriteTo(out); err != nil {
		return "", "", err
	}
	return FileBase(KindBillPDF, lang, p.Period) + ".pdf", ContentTypePDF, nil
}

// clip shortens s to n runes with an ellipsis.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

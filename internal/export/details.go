package export

import (
	"context"
	"io"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/bill"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/i18n"
	"partnercenter/internal/platform/sheet"
)

// Content types of the files.
var (
	ContentTypeXLSX = sheet.XLSX.ContentType()
	ContentTypeCSV  = sheet.CSV.ContentType()
)

// ContentTypePDF is the content type of 导出账单(pdf).
const ContentTypePDF = "application/pdf"

// detailColumns are the 消费明细 columns (§3.21), catalog keys.
var detailColumns = []string{"bill.col.period", "bill.col.customer_name", "bill.col.customer_account", "bill.col.mode",
	"bill.col.bill_type", "bill.col.transaction_at", "bill.col.order_no", "bill.col.product_type", "bill.col.product_name",
	"bill.col.resource_type", "bill.col.resource_id", "bill.col.region", "bill.col.billing_mode", "bill.col.list_price",
	"bill.col.discount_amount", "bill.col.amount_payable", "bill.col.amount", "bill.col.rounding_off", "bill.col.cash",
	"bill.col.voucher", "bill.col.card", "bill.col.arrears", "bill.col.signing_entity"}

// firstAmountColumn is the index of 官网价, the first amount column.
const firstAmountColumn = 13

// labels translates the coded values of detail rows once per export.
type labels map[string]string

func newLabels(lang string) labels {
	l := labels{}
	for _, k := range []string{"bill.mode.resale", "bill.mode.consulting", "bill.type.consumption", "bill.type.refund",
		"bill.type.adjustment", "bill.billing_mode.yearly_monthly", "bill.billing_mode.on_demand",
		"bill.entity.software", "bill.entity.cloud"} {
		l[k] = i18n.TL(lang, k)
	}
	return l
}

func (l labels) of(prefix, v string) string {
	if s, ok := l[prefix+v]; ok {
		return s
	}
	return v
}

// texts fills row with the detail's cells as text.
func (l labels) texts(d *bill.Detail, row []string) {
	row[0] = d.Period.Format(bill.PeriodFormat)
	row[1], row[2] = d.CustomerName, d.Account
	row[3] = l.of("bill.mode.", d.Mode)
	row[4] = l.of("bill.type.", d.BillType)
	row[5] = d.TransactionAt.In(clock.China).Format(time.DateTime)
	row[6], row[7], row[8], row[9], row[10], row[11] = d.OrderNo, d.ProductType, d.ProductName, d.ResourceType, d.ResourceID, d.Region
	row[12] = l.of("bill.billing_mode.", d.BillingMode)
	row[13], row[14], row[15], row[16], row[17] = d.ListPrice, d.Discount, d.Payable, d.Charged, d.RoundingOff
	row[18], row[19], row[20], row[21] = d.Cash, d.Voucher, d.Card, d.Arrears
	row[22] = l.of("bill.entity.", d.Entity)
}

// isAmount marks the amount columns (官网价 … 欠费金额): numeric cells
// holding PostgreSQL's exact text.
var isAmount = func() []bool {
	a := make([]bool, len(detailColumns))
	for i := firstAmountColumn; i < len(detailColumns)-1; i++ {
		a[i] = true
	}
	return a
}()

// FileBase is the file name without extension, e.g. 伙伴账单明细_2024-06.
func FileBase(kind, lang, period string) string {
	key := "export.file.bill_detail"
	if kind == KindBillPDF {
		key = "export.file.bill"
	}
	return i18n.TL(lang, key) + "_" + period
}

// detailSource calls each for every detail row, in order.
type detailSource func(each func(d *bill.Detail) error) error

// encodeDetails writes the rows of src as an xlsx or csv file to out
// (sheet.Write: the one table sink, CSV injection guarded there); onRow
// runs after every row with the count written so far.
func encodeDetails(kind, lang, period string, src detailSource, out io.Writer, onRow func(n int64) error) (string, string, error) {
	l := newLabels(lang)
	t := &sheet.Table{Sheet: i18n.TL(lang, "export.sheet.details"), Header: make([]string, len(detailColumns)), Numeric: isAmount}
	for i, k := range detailColumns {
		t.Header[i] = i18n.TL(lang, k)
	}
	text := make([]string, len(detailColumns))
	t.Rows = func(_ context.Context, each func([]string) error) error {
		return src(func(d *bill.Detail) error {
			l.texts(d, text)
			return each(text)
		})
	}
	format := sheet.XLSX
	if kind == KindBillCSV {
		format = sheet.CSV
	}
	if _, err := sheet.Write(context.Background(), format, out, t, onRow); err != nil {
		return "", "", err
	}
	return FileBase(kind, lang, period) + format.Ext(), format.ContentType(), nil
}

// writeDetails streams the period's lines, read in one snapshot, into an
// xlsx or csv file, recording progress every ProgressEvery rows.
func (w *Worker) writeDetails(ctx context.Context, t *Task, period time.Time, out io.Writer) (name, ctype string, err error) {
	p := t.Params()
	err = w.reader().WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		total, err := bill.CountDetails(ctx, tx, t.PartnerID, period)
		if err != nil {
			return err
		}
		if t.Kind == KindBillXLSX && total > sheet.MaxXLSXRows {
			return apperr.Invalid("export.err.too_many_rows")
		}
		if err := w.setProgress(ctx, t, 0, total); err != nil {
			return err
		}
		src := func(each func(d *bill.Detail) error) error {
			var i int64
			return bill.StreamDetails(ctx, tx, t.PartnerID, period, func(d *bill.Detail) error {
				if w.beforeRow != nil {
					if err := w.beforeRow(t, i); err != nil {
						return err
					}
				}
				i++
				return each(d)
			})
		}
		name, ctype, err = encodeDetails(t.Kind, i18n.Normalize(p.Lang), p.Period, src, out, func(n int64) error {
			if n%ProgressEvery == 0 {
				return w.setProgress(ctx, t, n, total)
			}
			return nil
		})
		return err
	}, bill.ReadOnly)
	return name, ctype, err
}

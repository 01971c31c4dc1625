package incentive

import (
	"context"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/bizinfo"
	"partnercenter/internal/invoice"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
	"partnercenter/internal/platform/money"
	"partnercenter/internal/platform/pdf"
)

// The partner's invoice to the vendor (§12.1.5.16–19, §12.1.5.32, R32,
// R35, R41): for 银行转账付款 and 返华为云账户 only.

// OutputRate is the vendor's output VAT rate the incentive includes
// (销项税率, §12.1.5.16).
var OutputRate = decimal.RequireFromString("0.06")

// ServiceFeeRate is the partner's service-fee VAT rate by taxpayer type:
// 6% general, 3% small-scale (R32; no other tax points, §12.1.5.18).
func ServiceFeeRate(taxpayer string) decimal.Decimal {
	if taxpayer == "small_scale" {
		return decimal.RequireFromString("0.03")
	}
	return decimal.RequireFromString("0.06")
}

// InvoiceAmount is 激励开票金额 = incentive (incl. output tax) ÷ (1 +
// output rate) × (1 + service-fee rate), half-up to the fen (§12.1.5.16):
// 1,060.00 invoices 1,060.00 for a general taxpayer, 1,030.00 for a
// small-scale one.
func InvoiceAmount(incentive decimal.Decimal, taxpayer string) decimal.Decimal {
	one := decimal.NewFromInt(1)
	return money.RoundHalfUp(incentive.Mul(one.Add(ServiceFeeRate(taxpayer))).DivRound(one.Add(OutputRate), 12), 2)
}

// InvoiceContents are the four contents an incentive invoice may carry
// (R41, §12.1.5.32); InvoiceTypes the two types (R35).
var (
	InvoiceContents = []string{"信息技术服务-信息系统服务", "信息技术服务-技术服务费", "信息技术服务-信息技术服务费", "信息技术服务-信息服务费"}
	InvoiceTypes    = []string{InvoiceSpecial, InvoiceESpecial}
)

// Invoice types (R35): 增值税专用发票 and 电子专票; never 增值税普通发票.
const (
	InvoiceSpecial  = "special"
	InvoiceESpecial = "e_special"
)

// invoiceTo is the vendor entity the partner invoices for an application:
// the signing entity at submission — 华为软件 before the partner's change,
// 华为云计算 from it (R54, seed 003 §12.1.9.4 激励申付).
func invoiceTo(ctx context.Context, g *gorm.DB, app *Application) (string, error) {
	changed, err := partner.Store{DB: g}.SigningEntityChangedAt(ctx, app.PartnerID)
	if err != nil {
		return "", err
	}
	return invoice.EntityNames[invoice.EntityAt(changed, app.SubmittedAt)], nil
}

// InvoiceGuide is 查看开票样例及开票注意事项 and 查看增值税发票模板 of one
// application: the invoice to issue, filled in.
type InvoiceGuide struct {
	App      Application
	Items    []Item
	Info     *bizinfo.Info // the partner's certified invoicing details (the seller)
	Buyer    string        // the entity to invoice
	Rate     int           // percent
	Amount   decimal.Decimal
	Net, Tax decimal.Decimal // the amount without VAT and the VAT, as the invoice shows them
}

// InvoiceGuide reads the guide of one of the actor's tenant's applications
// that needs an invoice.
func (s Service) InvoiceGuide(ctx context.Context, p *access.Principal, id int64) (_ *InvoiceGuide, err error) {
	defer apperr.Wrap(&err, "incentive.InvoiceGuide(%d)", id)
	app, info, items, err := s.invoicedApp(ctx, p, id)
	if err != nil {
		return nil, err
	}
	g := &InvoiceGuide{App: *app, Items: items, Info: info, Rate: TaxRate(info.TaxpayerType), Amount: InvoiceAmount(app.Total, info.TaxpayerType)}
	if g.Buyer, err = invoiceTo(ctx, s.DB, app); err != nil {
		return nil, err
	}
	one := decimal.NewFromInt(1)
	g.Net = money.RoundHalfUp(g.Amount.DivRound(one.Add(ServiceFeeRate(info.TaxpayerType)), 12), 2)
	g.Tax = g.Amount.Sub(g.Net)
	return g, nil
}

// invoicedApp is one of the actor's tenant's applications that needs an
// invoice, with the certified business information and its incentives.
func (s Service) invoicedApp(ctx context.Context, p *access.Principal, id int64) (*Application, *bizinfo.Info, []Item, error) {
	pid, err := tenantOf(p)
	if err != nil {
		return nil, nil, nil, err
	}
	var app Application
	if err := s.DB.WithContext(ctx).Where("id = ? AND partner_id = ?", id, pid).First(&app).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, nil, nil, apperr.NotFound()
		}
		return nil, nil, nil, err
	}
	if !app.NeedsInvoice {
		return nil, nil, nil, apperr.NotFound()
	}
	ok, info, err := bizinfo.Certified(ctx, s.DB, pid)
	if err != nil {
		return nil, nil, nil, err
	}
	if !ok {
		return nil, nil, nil, apperr.Conflict(ErrNotCertified)
	}
	items, err := s.ApplicationItems(ctx, []int64{id})
	if err != nil {
		return nil, nil, nil, err
	}
	return &app, info, items[id], nil
}

// BillingList is 开票清单 of one of the actor's tenant's applications that
// needs an invoice: the partner's invoicing details from its certified
// business information, the entity to invoice, the incentives with their
// periods, the total and the invoice amount by the formula, and the rules
// of the invoice. It returns the file name and the PDF.
func (s Service) BillingList(ctx context.Context, p *access.Principal, id int64) (name string, data []byte, err error) {
	defer apperr.Wrap(&err, "incentive.BillingList(%d)", id)
	app, info, items, err := s.invoicedApp(ctx, p, id)
	if err != nil {
		return "", nil, err
	}
	to, err := invoiceTo(ctx, s.DB, app)
	if err != nil {
		return "", nil, err
	}
	data, err = billingListPDF(app, info, items, to, s.now())
	return "开票清单-" + app.No + ".pdf", data, err
}

func billingListPDF(app *Application, info *bizinfo.Info, items []Item, to string, at time.Time) ([]byte, error) {
	sh, err := pdf.NewSheet(pdf.Info{Title: "开票清单 " + app.No, Author: "华为云伙伴中心", Subject: "开票清单"}, "开票清单", at)
	if err != nil {
		return nil, err
	}
	amount := InvoiceAmount(app.Total, info.TaxpayerType)
	taxpayer := map[string]string{"general": "一般纳税人", "small_scale": "小规模纳税人"}[info.TaxpayerType]
	sh.Fields([][2]string{
		{"申付单号", app.No},
		{"开票单位（伙伴）", info.InvoiceTitle},
		{"纳税人识别号", info.TaxID},
		{"纳税人类型", taxpayer + "（服务费税率 " + ServiceFeeRate(info.TaxpayerType).Mul(decimal.NewFromInt(100)).String() + "%）"},
		{"开户银行及账号", info.BankName + " " + info.BranchName + " " + info.AccountNo},
		{"财务联系人", info.FinanceName + " " + info.FinanceMobile + " " + info.FinanceEmail},
		{"收票单位（发票抬头）", to},
		{"付款条件", "收到合格发票后15个自然日内付款（COD）"},
		{"发放方式", map[string]string{MethodBank: "银行转账付款", MethodAccount: "返华为云账户"}[app.Method]},
	})
	sh.Y += 18
	sh.Page.Text(pdf.SheetMargin, sh.Y, 11, "激励明细")
	sh.Y += 8
	tbl := pdf.Table{X: pdf.SheetMargin, Size: 10, PadX: 6, PadY: 4, Grid: 0.5, Columns: []pdf.Column{{Width: 90}, {Width: sh.Width - 90 - 140},
		{Width: 140, Style: pdf.Style{Align: pdf.Right, Fit: pdf.Shrink}}}}
	sh.Y += tbl.FilledRow(sh.Page, sh.Y, 0.92, "对账期次", "激励名称", "激励金额（含销项税，元）")
	for _, it := range items {
		if sh.Y > 700 {
			sh.Page = sh.Doc.AddPage()
			sh.Y = 60
		}
		sh.Y += tbl.Row(sh.Page, sh.Y, it.PeriodCode, it.Name, money.Grouped(it.Amount, 2))
	}
	sh.Y += tbl.Row(sh.Page, sh.Y, "合计", "", money.Grouped(app.Total, 2))
	sh.Y += 14
	sh.Notes(11, 16, "激励开票金额 = 激励金额（含销项税）/（1 + 销项税率 6%）×（1 + 服务费税率 "+
		ServiceFeeRate(info.TaxpayerType).Mul(decimal.NewFromInt(100)).String()+"%）= "+money.Grouped(amount, 2)+" 元")
	sh.Y += 6
	sh.Notes(10, 15,
		"发票类型：增值税专用发票或增值税电子专用发票，不能开具增值税普通发票。",
		"发票内容（四选一）：信息技术服务-信息系统服务、信息技术服务-技术服务费、信息技术服务-信息技术服务费、信息技术服务-信息服务费。",
		"一个申付单可开具多张发票，一张发票不能对应多个申付单；开票后请在本清单上填写发票号，并随发票一同邮寄。",
		"发票号：____________________________",
	)
	return sh.Bytes()
}

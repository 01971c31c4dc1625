package invoice

import (
	"errors"
	"strings"

	"github.com/shopspring/decimal"

	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/pdf"
)

// EntityNames are the signing entities as printed on invoices.
var EntityNames = map[string]string{
	EntitySoftware: "华为软件技术有限公司",
	EntityCloud:    "华为云计算技术有限公司",
}

// renderPDF writes the e-invoice of an issued electronic invoice as a
// one-page PDF (internal/platform/pdf, fonts embedded): number and date,
// buyer (the invoice info copied at application) and seller (the signing
// entity), the single line *信息技术服务*云服务费 with net amount, 6% and
// tax, the total in figures and in Chinese capitals, and the remark.
// Simplified Chinese only (§12.1.4.12).
func renderPDF(inv *Invoice, partnerName string) ([]byte, error) {
	doc, err := invoiceDoc(inv, partnerName)
	if err != nil {
		return nil, err
	}
	return doc.Bytes()
}

// invoiceDoc draws the e-invoice. Names, addresses and the remark wrap
// inside their boxes and amounts shrink inside their columns, and the
// boxes grow with their content, so nothing overlaps whatever the length.
func invoiceDoc(inv *Invoice, partnerName string) (*pdf.Document, error) {
	doc, err := pdf.New(pdf.Info{Title: "电子发票（普通发票） " + inv.Number(), Author: EntityNames[inv.SigningEntity], Subject: inv.No})
	if err != nil {
		return nil, err
	}
	if inv.IssuedAt == nil {
		return nil, errors.New("invoice: an e-invoice is drawn once issued (IssuedAt)")
	}
	issued := *inv.IssuedAt
	p := doc.AddPage()
	const left, right = 40.0, pdf.PageWidth - 40
	const mid = pdf.PageWidth / 2
	p.TextCenter(mid, 70, 20, "电子发票（普通发票）")
	p.Line(mid-110, 78, mid+110, 78, 1)
	meta := pdf.Style{Size: 10}
	p.Cell(right-190, 94, 190, meta, "发票号码："+inv.Number())
	p.Cell(right-190, 111, 190, meta, "开票日期："+issued.In(clock.China).Format("2006年01月02日"))
	p.Cell(left, 111, right-200-left, meta, "申请单号："+inv.No)

	// Buyer and seller, side by side; the box is as tall as the longer side.
	top := 140.0
	half := mid - left - 16
	head, line, small := pdf.Style{Size: 11}, pdf.Style{Size: 9.5}, pdf.Style{Size: 8, Leading: 1.25}
	by := top + 9
	by += p.Cell(left+8, by, half, head, "购买方信息") + 8
	by += p.Cell(left+8, by, half, line, "名称："+inv.Title) + 5
	by += p.Cell(left+8, by, half, line, "纳税人识别号："+inv.TaxpayerID) + 3
	if inv.RegAddress != "" {
		by += p.Cell(left+8, by, half, small, "地址、电话："+inv.RegAddress+" "+inv.RegPhone)
	}
	sy := top + 9
	sy += p.Cell(mid+8, sy, half, head, "销售方信息") + 8
	sy += p.Cell(mid+8, sy, half, line, "名称："+EntityNames[inv.SigningEntity]) + 5
	sy += p.Cell(mid+8, sy, half, line, "开票内容："+Content)
	boxH := max(90, max(by, sy)+6-top)
	p.Rect(left, top, right-left, boxH, 0.8)
	p.Line(mid, top, mid, top+boxH, 0.8)

	// The line and totals: 项目名称 | 金额 | 税率 | 税额, amounts shrink to fit.
	top += boxH + 20
	amount := pdf.Style{Align: pdf.Right, Fit: pdf.Shrink, MinSize: 6}
	items := pdf.Table{X: left, Size: 10, PadX: 8, PadY: 4, MinHeight: 22, Grid: 0.5, Middle: true, Columns: []pdf.Column{
		{Width: 200}, {Width: 100, Style: amount}, {Width: 70, Style: pdf.Style{Align: pdf.Center}}, {Width: right - left - 370, Style: amount},
	}}
	y := top
	y += items.FilledRow(p, y, 0.92, "项目名称", "金额", "税率", "税额")
	y += items.Row(p, y, "*信息技术服务*"+Content, inv.Net().StringFixed(2), "6%", inv.TaxAmount.StringFixed(2))
	y += items.Row(p, y, "合计", "¥"+inv.Net().StringFixed(2), "", "¥"+inv.TaxAmount.StringFixed(2))
	total := pdf.Table{X: left, Size: 10, PadX: 8, PadY: 6, MinHeight: 26, Middle: true, Columns: []pdf.Column{
		{Width: 320}, {Width: right - left - 320, Style: amount},
	}}
	y += total.Row(p, y, "价税合计（大写）："+Capitals(inv.Amount), "（小写）¥"+inv.Amount.StringFixed(2))
	p.Rect(left, top, right-left, y-top, 0.8)

	// Remark.
	top = y + 18
	remark := inv.Remark
	if partnerName != "" {
		remark = strings.TrimSpace(remark + " 伙伴：" + partnerName)
	}
	notes := pdf.Table{X: left, PadX: 8, PadY: 8, MinHeight: 70, Columns: []pdf.Column{
		{Width: 50, Style: pdf.Style{Size: 10}}, {Width: right - left - 50, Style: pdf.Style{Size: 9.5, Leading: 1.6}},
	}}
	h := notes.Row(p, top, "备注", remark)
	p.Rect(left, top, right-left, h, 0.8)
	p.Cell(left, top+h+16, right-left, pdf.Style{Size: 9}, "开票人：华为云财务    本发票由系统生成，仅有简体中文版。")
	return doc, nil
}

// Capitals writes an amount in Chinese financial capitals as on invoices
// (价税合计大写): 212.00 → 贰佰壹拾贰圆整, 10005.30 → 壹万零伍圆叁角整.
func Capitals(d decimal.Decimal) string {
	if d.IsNegative() {
		return "负" + Capitals(d.Neg())
	}
	fen := d.Round(2).Shift(2).IntPart()
	yuan, jiao, fenDigit := fen/100, (fen/10)%10, fen%10
	const digits = "零壹贰叁肆伍陆柒捌玖"
	dg := []rune(digits)
	units := []string{"", "拾", "佰", "仟"}
	groups := []string{"", "万", "亿", "万亿"}
	var b strings.Builder
	var parts []int64
	for n := yuan; n > 0; n /= 10000 {
		parts = append(parts, n%10000)
	}
	written, gap := false, false
	for i := len(parts) - 1; i >= 0; i-- {
		g := parts[i]
		if g == 0 {
			gap = written
			continue
		}
		if written && (g < 1000 || gap) {
			b.WriteString("零")
		}
		inner, pending := false, false
		for pos := 3; pos >= 0; pos-- {
			v := (g / pow10(pos)) % 10
			if v == 0 {
				pending = inner
				continue
			}
			if pending {
				b.WriteString("零")
				pending = false
			}
			b.WriteRune(dg[v])
			b.WriteString(units[pos])
			inner = true
		}
		b.WriteString(groups[i])
		written, gap = true, false
	}
	if written {
		b.WriteString("圆")
	}
	switch {
	case jiao == 0 && fenDigit == 0:
		if !written {
			return "零圆整"
		}
		b.WriteString("整")
	case jiao == 0:
		if written {
			b.WriteString("零")
		}
		b.WriteRune(dg[fenDigit])
		b.WriteString("分")
	default:
		b.WriteRune(dg[jiao])
		b.WriteString("角")
		if fenDigit == 0 {
			b.WriteString("整")
		} else {
			b.WriteRune(dg[fenDigit])
			b.WriteString("分")
		}
	}
	return b.String()
}

func pow10(n int) int64 {
	r := int64(1)
	for ; n > 0; n-- {
		r *= 10
	}
	return r
}

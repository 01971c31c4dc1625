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
// one-page PDF (internal/platform/pdf: STSong-Light, UniGB-UCS2-H, not
// embedded): number and date, buyer (the invoice info copied at
// application) and seller (the signing entity), the single line
// *信息技术服务*云服务费 with net amount, 6% and tax, the total in figures
// and in Chinese capitals, and the remark. Simplified Chinese only
// (§12.1.4.12).
func renderPDF(inv *Invoice, partnerName string) ([]byte, error) {
	if inv.IssuedAt == nil {
		return nil, errors.New("invoice: an e-invoice is drawn once issued (IssuedAt)")
	}
	issued := *inv.IssuedAt
	doc := pdf.New(pdf.Info{Title: "电子发票（普通发票） " + inv.Number(), Author: EntityNames[inv.SigningEntity], Subject: inv.No})
	p := doc.AddPage()
	const left, right = 40.0, pdf.PageWidth - 40
	p.TextCenter(pdf.PageWidth/2, 70, pdf.Song, 20, "电子发票（普通发票）")
	p.Line(pdf.PageWidth/2-110, 78, pdf.PageWidth/2+110, 78, 1)
	p.Text(right-190, 105, pdf.Song, 10, "发票号码："+inv.Number())
	p.Text(right-190, 122, pdf.Song, 10, "开票日期："+issued.In(clock.China).Format("2006年01月02日"))
	p.Text(left, 122, pdf.Song, 10, "申请单号："+inv.No)

	// Buyer and seller.
	top := 140.0
	p.Rect(left, top, right-left, 90, 0.8)
	p.Line(pdf.PageWidth/2, top, pdf.PageWidth/2, top+90, 0.8)
	p.Text(left+8, top+20, pdf.Song, 11, "购买方信息")
	p.Text(left+8, top+42, pdf.Song, 9.5, "名称："+inv.Title)
	p.Text(left+8, top+60, pdf.Song, 9.5, "纳税人识别号："+inv.TaxpayerID)
	if inv.RegAddress != "" {
		for i, l := range pdf.Wrap(pdf.Song, 8, pdf.PageWidth/2-left-16, "地址、电话："+inv.RegAddress+" "+inv.RegPhone) {
			if i < 2 {
				p.Text(left+8, top+74+float64(i)*10, pdf.Song, 8, l)
			}
		}
	}
	sx := pdf.PageWidth/2 + 8
	p.Text(sx, top+20, pdf.Song, 11, "销售方信息")
	p.Text(sx, top+42, pdf.Song, 9.5, "名称："+EntityNames[inv.SigningEntity])
	p.Text(sx, top+60, pdf.Song, 9.5, "开票内容："+Content)

	// The line and totals.
	top += 110
	cols := []float64{left, left + 200, left + 300, left + 370, right}
	p.FillRect(left, top, right-left, 22, 0.92)
	p.Rect(left, top, right-left, 92, 0.8)
	for _, x := range cols[1 : len(cols)-1] {
		p.Line(x, top, x, top+66, 0.5)
	}
	p.Line(left, top+22, right, top+22, 0.5)
	p.Line(left, top+66, right, top+66, 0.5)
	p.Text(left+8, top+15, pdf.Song, 10, "项目名称")
	p.TextRight(cols[2]-8, top+15, pdf.Song, 10, "金额")
	p.TextCenter((cols[2]+cols[3])/2, top+15, pdf.Song, 10, "税率")
	p.TextRight(right-8, top+15, pdf.Song, 10, "税额")
	p.Text(left+8, top+40, pdf.Song, 10, "*信息技术服务*"+Content)
	p.TextRight(cols[2]-8, top+40, pdf.Helvetica, 10, inv.Net().StringFixed(2))
	p.TextCenter((cols[2]+cols[3])/2, top+40, pdf.Helvetica, 10, "6%")
	p.TextRight(right-8, top+40, pdf.Helvetica, 10, inv.TaxAmount.StringFixed(2))
	p.Text(left+8, top+60, pdf.Song, 10, "合计")
	p.TextRight(cols[2]-8, top+60, pdf.Song, 10, "¥"+inv.Net().StringFixed(2))
	p.TextRight(right-8, top+60, pdf.Song, 10, "¥"+inv.TaxAmount.StringFixed(2))
	p.Text(left+8, top+84, pdf.Song, 10, "价税合计（大写）："+Capitals(inv.Amount))
	p.TextRight(right-8, top+84, pdf.Song, 10, "（小写）¥"+inv.Amount.StringFixed(2))

	// Remark.
	top += 110
	p.Rect(left, top, right-left, 70, 0.8)
	p.Text(left+8, top+18, pdf.Song, 10, "备注")
	remark := inv.Remark
	if partnerName != "" {
		remark = strings.TrimSpace(remark + " 伙伴：" + partnerName)
	}
	for i, l := range pdf.Wrap(pdf.Song, 9.5, right-left-60, remark) {
		if i < 3 {
			p.Text(left+50, top+18+float64(i)*16, pdf.Song, 9.5, l)
		}
	}
	p.Text(left, top+95, pdf.Song, 9, "开票人：华为云财务    本发票由系统生成，仅有简体中文版。")
	return doc.Bytes()
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

package contract

import (
	"strconv"
	"strings"

	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/pdf"
)

// AgreementPDF renders a signed 华为云付款协议: a header with the contract
// code, a table of the parties, the articles wrapped to the page, and the
// electronic signing record. Pages break as the text needs.
func AgreementPDF(c Contract, pt Parties, terms []string) ([]byte, error) {
	d := pdf.New(pdf.Info{Title: AgreementName + " " + c.Code, Author: pt.Company, Subject: EntityName(c.SigningEntity)})
	if c.SignedAt != nil {
		d.SetCreated(*c.SignedAt)
	}
	const left, right, bottom = 64.0, pdf.PageWidth - 64, pdf.PageHeight - 64
	width := right - left
	page := d.AddPage()
	y := 72.0
	footer := func() {
		page.Line(left, bottom+14, right, bottom+14, 0.4)
		page.Text(left, bottom+28, pdf.Song, 8, AgreementName+"  "+c.Code)
		page.TextRight(right, bottom+28, pdf.Helvetica, 8, "page "+strconv.Itoa(d.PageCount()))
	}
	newPage := func() {
		footer()
		page = d.AddPage()
		y = 72
	}

	page.TextCenter(pdf.PageWidth/2, y, pdf.Song, 20, AgreementName)
	y += 22
	page.TextCenter(pdf.PageWidth/2, y, pdf.Helvetica, 9, "Contract No. "+c.Code)
	y += 20

	// Parties table: label | value, 4 rows.
	rows := [][2]string{
		{"甲方（付款方）", pt.Company},
		{"统一社会信用代码", pt.CreditCode},
		{"乙方（收款方 / 签约主体）", EntityName(c.SigningEntity)},
		{"甲方专属汇款账号", pt.AccountNo},
	}
	const rowH, labelW = 22.0, 150.0
	page.FillRect(left, y, labelW, rowH*float64(len(rows)), 0.93)
	page.Rect(left, y, width, rowH*float64(len(rows)), 0.6)
	page.Line(left+labelW, y, left+labelW, y+rowH*float64(len(rows)), 0.4)
	for i, r := range rows {
		top := y + rowH*float64(i)
		if i > 0 {
			page.Line(left, top, right, top, 0.4)
		}
		page.Text(left+8, top+15, pdf.Song, 10, r[0])
		page.Text(left+labelW+8, top+15, pdf.Song, 10, r[1])
	}
	y += rowH*float64(len(rows)) + 24

	// The articles; the party lines at the top are in the table already.
	body := terms
	for len(body) > 0 && body[0] != "" {
		body = body[1:]
	}
	const size, lead = 10.5, 17.0
	for _, para := range body {
		if para == "" {
			y += lead / 2
			continue
		}
		heading := strings.HasPrefix(para, "第") && strings.Contains(para, "条 ")
		if heading {
			y += 4
		}
		for _, line := range pdf.Wrap(pdf.Song, size, width, para) {
			if y > bottom-8 {
				newPage()
			}
			sz := size
			if heading {
				sz = 11.5
			}
			page.Text(left, y, pdf.Song, sz, line)
			y += lead
		}
	}

	// Electronic signing record.
	if y > bottom-110 {
		newPage()
	}
	y += 16
	page.Rect(left, y, width, 84, 0.6)
	signed := "—"
	if c.SignedAt != nil {
		signed = c.SignedAt.In(clock.China).Format("2006-01-02 15:04:05") + " (UTC+8)"
	}
	page.Text(left+10, y+20, pdf.Song, 10.5, "甲方（盖章）："+pt.Company)
	page.Text(left+10, y+40, pdf.Song, 10.5, "乙方（盖章）："+EntityName(c.SigningEntity))
	page.Text(left+10, y+60, pdf.Song, 10.5, "签署方式：伙伴中心在线签署（我已阅读并同意本协议）")
	page.Text(left+10, y+76, pdf.Song, 9, "签署时间："+signed)
	footer()
	return d.Bytes()
}

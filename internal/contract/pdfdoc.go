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
	d, err := agreementDoc(c, pt, terms)
	if err != nil {
		return nil, err
	}
	return d.Bytes()
}

// agreementDoc draws the agreement. The parties' names wrap inside their
// table cells and the signing record's box, so no length overlaps.
func agreementDoc(c Contract, pt Parties, terms []string) (*pdf.Document, error) {
	d, err := pdf.New(pdf.Info{Title: AgreementName + " " + c.Code, Author: pt.Company, Subject: EntityName(c.SigningEntity)})
	if err != nil {
		return nil, err
	}
	if c.SignedAt != nil {
		d.SetCreated(*c.SignedAt)
	}
	const left, right, bottom = 64.0, pdf.PageWidth - 64, pdf.PageHeight - 64
	width := right - left
	page := d.AddPage()
	y := 72.0
	footer := func() {
		page.Line(left, bottom+14, right, bottom+14, 0.4)
		page.Text(left, bottom+28, 8, AgreementName+"  "+c.Code)
		page.TextRight(right, bottom+28, 8, "page "+strconv.Itoa(page.Number()))
	}
	newPage := func() {
		footer()
		page = d.AddPage()
		y = 72
	}

	page.TextCenter(pdf.PageWidth/2, y, 20, AgreementName)
	y += 22
	page.TextCenter(pdf.PageWidth/2, y, 9, "Contract No. "+c.Code)
	y += 20

	// Parties table: label | value, 4 rows; long values wrap in their cell.
	rows := [][2]string{
		{"甲方（付款方）", pt.Company},
		{"统一社会信用代码", pt.CreditCode},
		{"乙方（收款方 / 签约主体）", EntityName(c.SigningEntity)},
		{"甲方专属汇款账号", pt.AccountNo},
	}
	const labelW = 150.0
	parties := pdf.Table{X: left, Size: 10, PadX: 8, PadY: 5, MinHeight: 22, Grid: 0.4, Middle: true,
		Columns: []pdf.Column{{Width: labelW}, {Width: width - labelW}}}
	top := y
	for _, r := range rows {
		page.FillRect(left, y, labelW, parties.Height(d, r[0], r[1]), 0.93)
		y += parties.Row(page, y, r[0], r[1])
	}
	page.Rect(left, top, width, y-top, 0.6)
	y += 24

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
		sz := size
		if strings.HasPrefix(para, "第") && strings.Contains(para, "条 ") {
			sz = 11.5
			y += 4
		}
		for _, line := range d.Wrap(sz, width, para) {
			if y > bottom-8 {
				newPage()
			}
			page.Text(left, y, sz, line)
			y += lead
		}
	}

	// Electronic signing record, in a box as tall as its (wrapped) lines.
	signed := "—"
	if c.SignedAt != nil {
		signed = c.SignedAt.In(clock.China).Format("2006-01-02 15:04:05") + " (UTC+8)"
	}
	record := []struct {
		size float64
		text string
	}{
		{10.5, "甲方（盖章）：" + pt.Company},
		{10.5, "乙方（盖章）：" + EntityName(c.SigningEntity)},
		{10.5, "签署方式：伙伴中心在线签署（我已阅读并同意本协议）"},
		{9, "签署时间：" + signed},
	}
	const pad, gap = 8.0, 6.0
	boxH := 2*pad - gap
	for _, l := range record {
		boxH += d.CellHeight(width-20, pdf.Style{Size: l.size}, l.text) + gap
	}
	if y+16+boxH > bottom {
		newPage()
	}
	y += 16
	page.Rect(left, y, width, boxH, 0.6)
	ry := y + pad
	for _, l := range record {
		ry += page.Cell(left+10, ry, width-20, pdf.Style{Size: l.size}, l.text) + gap
	}
	footer()
	return d, nil
}

package bizinfo

import (
	"time"

	"partnercenter/internal/partner"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/pdf"
)

// LetterPDF draws the bank-letter draft (银行函草稿, §6.2.9–6.2.10): the
// seven bank items of the submission, the request to update the
// supplier's bank details, and the place for the company's fresh seal.
func LetterPDF(i *Info, pt *partner.Partner, at time.Time) ([]byte, error) {
	d, err := pdf.New(pdf.Info{Title: "银行函 " + pt.Name, Author: pt.Name, Subject: "商业信息认证"})
	if err != nil {
		return nil, err
	}
	d.SetCreated(at)
	const left, right = 64.0, pdf.PageWidth - 64
	width := right - left
	page := d.AddPage()
	y := 80.0
	page.TextCenter(pdf.PageWidth/2, y, 20, "银 行 函")
	y += 36
	for _, line := range d.Wrap(11, width, "致：华为云计算技术有限公司 / 华为软件技术有限公司") {
		page.Text(left, y, 11, line)
		y += 18
	}
	y += 6
	body := "我司（" + pt.Name + "，统一社会信用代码 " + pt.CreditCode + "）在华为云伙伴中心提交的商业信息认证银行信息如下，" +
		"请据此更新我司在贵司供应商系统中的银行信息。我司对以下信息的真实性与准确性负责。"
	for _, line := range d.Wrap(11, width, body) {
		page.Text(left, y, 11, line)
		y += 18
	}
	y += 12
	rows := [][2]string{
		{"a. 供应商名称", i.SupplierName},
		{"b. 开户银行", i.BankName},
		{"c. 银行账号", i.AccountNo},
		{"d. 分行名称", i.BranchName},
		{"e. 分行号", i.BranchNo},
		{"f. 账户名称", i.AccountName},
		{"g. 币种", i.Currency},
	}
	const labelW = 140.0
	t := pdf.Table{X: left, Size: 11, PadX: 8, PadY: 5, MinHeight: 24, Grid: 0.4, Middle: true,
		Columns: []pdf.Column{{Width: labelW}, {Width: width - labelW}}}
	top := y
	for _, r := range rows {
		page.FillRect(left, y, labelW, t.Height(d, r[0], r[1]), 0.93)
		y += t.Row(page, y, r[0], r[1])
	}
	page.Rect(left, top, width, y-top, 0.6)
	y += 28
	note := "签章说明：开户银行在中国的供应商须加盖公章、财务专用章或合同专用章（鲜章），禁止用截图粘贴，不允许电子盖章或签名。"
	for _, line := range d.Wrap(9.5, width, note) {
		page.Text(left, y, 9.5, line)
		y += 15
	}
	y += 40
	page.Text(right-220, y, 11, "公司名称（盖章）："+pt.Name)
	y += 28
	page.Text(right-220, y, 11, "日期："+at.In(clock.China).Format("2006年01月02日"))
	return d.Bytes()
}

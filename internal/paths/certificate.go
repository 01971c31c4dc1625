package paths

import (
	"time"

	"partnercenter/internal/partner"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/pdf"
)

var pathNames = map[string]string{
	PathSoftware: "软件合作伙伴发展路径",
	PathService:  "服务合作伙伴发展路径",
	PathSI:       "数字化转型咨询与系统集成合作伙伴发展路径",
	PathLearning: "学习与赋能合作伙伴发展路径",
}

var stageNames = map[string]string{StageRole: "角色认证", StageDiff: "能力差异化认证"}

// CertificatePDF draws a path stage certificate (N16: valid to 31
// January of the next year).
func CertificatePDF(e *Enrollment, pt *partner.Partner, at time.Time) ([]byte, error) {
	title := pathNames[e.Path] + " · " + stageNames[e.Stage]
	d, err := pdf.New(pdf.Info{Title: title + " " + pt.Name, Author: "华为云伙伴中心", Subject: title})
	if err != nil {
		return nil, err
	}
	d.SetCreated(at)
	page := d.AddPage()
	const margin = 48.0
	page.Rect(margin, margin, pdf.PageWidth-2*margin, 700, 1.2)
	y := 150.0
	page.TextCenter(pdf.PageWidth/2, y, 22, "华为云合作伙伴认证证书")
	y += 56
	page.TextCenter(pdf.PageWidth/2, y, 12, "兹证明")
	y += 40
	page.TextCenter(pdf.PageWidth/2, y, 18, pt.Name)
	y += 28
	page.TextCenter(pdf.PageWidth/2, y, 10, "统一社会信用代码："+pt.CreditCode)
	y += 44
	page.TextCenter(pdf.PageWidth/2, y, 12, "已通过"+pathNames[e.Path]+stageNames[e.Stage]+"，特发此证。")
	y += 60
	left := margin + 90
	rows := [][2]string{{"证书编号", *e.CertificateNo}, {"认证日期", e.StageAt.In(clock.China).Format("2006年01月02日")}}
	if e.CertValidUntil != nil {
		rows = append(rows, [2]string{"有效期至", e.CertValidUntil.Format("2006年01月02日")})
	}
	for _, r := range rows {
		page.Text(left, y, 11, r[0]+"：")
		page.Text(left+110, y, 11, r[1])
		y += 24
	}
	page.TextRight(pdf.PageWidth-margin-40, 680, 11, "华为云计算技术有限公司")
	page.TextRight(pdf.PageWidth-margin-40, 700, 10, "签发日期："+at.In(clock.China).Format("2006年01月02日"))
	return d.Bytes()
}

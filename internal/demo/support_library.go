package demo

import (
	"context"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/files"
	"partnercenter/internal/library"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/pdf"
)

func init() { seeders = append(seeders, seedLibrary) }

// seedLibrary fills 资料库 with documents named in the seeds: the FTR
// template and self-check table and 方案介绍一指禅 (§8.1.4–5, software path
// only), incentive and CSP policies (§12.1.5.4, G§1.3), the PCE guide
// (§11.1.4.2), the 2024 delivery-capability rules (001:L8, view only),
// and an old policy taken down (§14.1.5).
func seedLibrary(ctx context.Context, tx *gorm.DB, w *World) error {
	admin := access.VendorStaff(w.Users[VendorAdmin], "vendor_admin")
	admin.Name = VendorAdmin
	now := w.Now
	docs := []struct {
		days     int
		in       library.Input
		takeDown bool
	}{
		{90, library.Input{Title: "2023年华为云伙伴增量激励政策", Keywords: "激励,增量,2023", Category: "policy", Directory: "激励政策/2023",
			Downloadable: true}, true},
		{60, library.Input{Title: "2024年华为云伙伴增量激励政策", Keywords: "激励,增量,返点", Category: "policy", Directory: "激励政策/2024",
			Downloadable: true}, false},
		{55, library.Input{Title: "华为云CSP伙伴激励政策", Keywords: "CSP,激励,代金券", Category: "policy", Directory: "激励政策/2024",
			Downloadable: true, Audience: []string{access.IdentitySolutionProvider, access.IdentityMasterDistributor, access.IdentityCloudReseller}}, false},
		{40, library.Input{Title: "合作伙伴共拓计划（PCE）伙伴指南", Keywords: "PCE,机会点,共拓", Category: "marketing", Directory: "伙伴计划/合作伙伴共拓计划",
			Downloadable: true}, false},
		{30, library.Input{Title: "FTR基础技术审核模板", Keywords: "FTR,软件伙伴,认证", Category: "solution", Directory: "发展路径/软件伙伴",
			Downloadable: true, Audience: []string{access.IdentitySoftware}}, false},
		{30, library.Input{Title: "FTR基础技术审核自检表（SaaS类）", Keywords: "FTR,自检表", Category: "solution", Directory: "发展路径/软件伙伴",
			Downloadable: true, Audience: []string{access.IdentitySoftware}}, false},
		{28, library.Input{Title: "方案介绍一指禅模板", Keywords: "方案,模板", Category: "solution", Directory: "发展路径/软件伙伴",
			Downloadable: true, Audience: []string{access.IdentitySoftware}}, false},
		{20, library.Input{Title: "2024年服务伙伴交付能力规则", Keywords: "交付能力,服务伙伴", Category: "benefit", Directory: "发展路径/服务伙伴",
			Downloadable: false}, false},
	}
	for _, d := range docs {
		data, err := libraryPDF(d.in.Title, d.in.Directory)
		if err != nil {
			return err
		}
		s := library.Service{DB: tx, Clock: clock.NewFixed(now.AddDate(0, 0, -d.days))}
		doc, err := s.Publish(ctx, admin, d.in, files.Upload{Name: d.in.Title + ".pdf", Data: data})
		if err != nil {
			return err
		}
		if d.takeDown {
			if err := s.SetStatus(ctx, admin, doc.ID, library.StatusTakenDown); err != nil {
				return err
			}
		}
	}
	return nil
}

// libraryPDF is a one-page stand-in for a document.
func libraryPDF(title, directory string) ([]byte, error) {
	d, err := pdf.New(pdf.Info{Title: title})
	if err != nil {
		return nil, err
	}
	p := d.AddPage()
	p.TextCenter(pdf.PageWidth/2, 120, 18, title)
	p.TextCenter(pdf.PageWidth/2, 150, 11, "华为云伙伴中心 资料库 · "+directory)
	p.Rect(72, 180, pdf.PageWidth-144, 420, 1)
	p.TextCenter(pdf.PageWidth/2, 400, 12, "演示资料：正文内容以华为云发布的正式文件为准")
	return d.Bytes()
}

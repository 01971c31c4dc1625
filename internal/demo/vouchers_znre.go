package demo

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/files"
	"partnercenter/internal/nre"
	"partnercenter/internal/platform/clock"
)

func init() { seeders = append(seeders, seedNRE) }

// seedNRE gives 一次性工程费用 every state on 智云软件: ecosystem special
// solutions eligible (one yet to apply for) and not (listed, no admission
// certification), NREs in
// 技术评估, 协议待签署 (the vendor's upload form), 协议复核 (the vendor
// administrator's review) and 协议生效 with one milestone paid, one accepted
// to pay and one to accept.
func seedNRE(ctx context.Context, tx *gorm.DB, w *World) error {
	now := w.Now
	at := func(days int) clock.Clock { return clock.NewFixed(now.Add(-time.Duration(days*24) * time.Hour)) }
	svc := func(days int) nre.Service { return nre.Service{DB: tx, Clock: at(days)} }
	eng := func(days int) approval.Engine { return approval.Engine{DB: tx, Clock: at(days)} }
	eco := access.VendorStaff(w.Users[EcoManager], "eco_manager")
	eco.Name = EcoManager
	admin := access.VendorStaff(w.Users[VendorAdmin], "vendor_admin")
	admin.Name = VendorAdmin
	fin := access.VendorStaff(w.Users[VendorFinance], "finance")
	fin.Name = VendorFinance
	zy := access.Member(w.Users[ZYAdmin], 0, true)
	zy.Name = ZYAdmin
	if err := tx.WithContext(ctx).Raw(`SELECT partner_id FROM users WHERE id = ?`, zy.UserID).Scan(&zy.PartnerID).Error; err != nil {
		return err
	}
	day := func(days int) string { return now.AddDate(0, 0, days).In(clock.China).Format(time.DateOnly) }
	solutions := map[string]int64{}
	for _, s := range []struct {
		name, programme  string
		admitted, listed bool
	}{
		{"智云鲲鹏版ERP", "kunpeng", true, false},
		{"智云Gauss数据中台", "gauss", true, false},
		{"智云盘古客服助手", "ascend_pangu", true, false},
		{"智云数据库迁移工具", "gauss", true, false},
		{"智云高斯报表引擎", "gauss", true, false},
		{"智云鸿蒙移动办公", "harmony", false, false},
		{"智云昇腾AI质检", "ascend_pangu", true, true},
	} {
		in := nre.SolutionInput{Name: s.name, Programme: s.programme, Listed: s.listed}
		if s.admitted {
			in.AdmittedOn = day(-200)
		}
		sol, err := svc(200).RecordSolution(ctx, eco, zy.PartnerID, in)
		if err != nil {
			return fmt.Errorf("demo NRE solution %s: %w", s.name, err)
		}
		solutions[s.name] = sol.ID
	}
	doc := func(name string) []files.Upload {
		return []files.Upload{{Name: name, Data: []byte("%PDF-1.4\n% demo " + name + "\n%%EOF\n")}}
	}
	apply := func(days int, solution string) (*nre.Application, error) {
		return svc(days).Apply(ctx, zy, nre.ApplyInput{SolutionID: solutions[solution], Scope: "核心模块迁移至" + solution + "所属生态并完成性能调优",
			Services: "GaussDB, ModelArts, CodeArts", Plan: "三个里程碑：迁移、联调、上线", StartsOn: day(-days), Acknowledged: true}, doc("技术评估材料.pdf"))
	}
	both := func(a *nre.Application, days int) error {
		if _, err := eng(days).Approve(ctx, eco, *a.ApplicationID, "技术方案可行"); err != nil {
			return err
		}
		_, err := eng(days-1).Approve(ctx, admin, *a.ApplicationID, "商业价值明确")
		return err
	}
	agreement := func(a *nre.Application, days int, amount string, ms []nre.MilestoneInput) error {
		f := doc("NRE协议（已签署）.pdf")[0]
		return svc(days).UploadAgreement(ctx, eco, a.ID, amount, ms, &f)
	}
	if _, err := apply(3, "智云Gauss数据中台"); err != nil {
		return err
	}
	pending, err := apply(30, "智云盘古客服助手")
	if err != nil {
		return err
	}
	if err := both(pending, 20); err != nil {
		return err
	}
	review, err := apply(40, "智云数据库迁移工具")
	if err != nil {
		return err
	}
	if err := both(review, 30); err != nil {
		return err
	}
	if err := agreement(review, 5, "300000", []nre.MilestoneInput{{Name: "完成迁移", Amount: "120000", DueOn: day(60)},
		{Name: "上线验收", Amount: "180000", DueOn: day(150)}}); err != nil {
		return err
	}
	live, err := apply(160, "智云鲲鹏版ERP")
	if err != nil {
		return err
	}
	if err := both(live, 150); err != nil {
		return err
	}
	if err := agreement(live, 120, "480000", []nre.MilestoneInput{{Name: "鲲鹏迁移完成", Amount: "160000", DueOn: day(-60)},
		{Name: "性能调优", Amount: "160000", DueOn: day(-10)}, {Name: "联合方案上线", Amount: "160000", DueOn: day(60)}}); err != nil {
		return err
	}
	if err := svc(118).ReviewAgreement(ctx, admin, live.ID, true, ""); err != nil {
		return err
	}
	d, err := svc(0).DetailOf(ctx, zy, live.ID)
	if err != nil {
		return err
	}
	for i, m := range d.Milestones[:2] {
		days := 70 - i*50
		if err := svc(days).ApplyAcceptance(ctx, zy, m.ID, "交付物见附件", doc("验收材料.pdf")); err != nil {
			return err
		}
		var app int64
		if err := tx.WithContext(ctx).Raw(`SELECT application_id FROM nre_milestones WHERE id = ?`, m.ID).Scan(&app).Error; err != nil {
			return err
		}
		if _, err := eng(days-2).Approve(ctx, eco, app, "验收通过"); err != nil {
			return err
		}
		if i == 0 {
			if err := svc(days-5).Pay(ctx, fin, m.ID, "CMB-NRE-"+day(-days+5), fmt.Sprintf("demo-nre-pay-%012d", m.ID)); err != nil {
				return err
			}
		}
	}
	return nil
}

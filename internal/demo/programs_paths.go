package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/files"
	"partnercenter/internal/paths"
	"partnercenter/internal/people"
	"partnercenter/internal/platform/clock"
)

// Demo accounts of 发展路径 (build-plan 1.D). Their password is
// DemoPassword too.
const (
	ZYAdmin = "zy_admin" // 智云软件有限公司: software path, differentiated by its solution certifications
	SLAdmin = "sl_admin" // 数联云服务有限公司: service path, role certified (a certificate to the next 31 January)
	HXAdmin = "hx_admin" // 华信数字集成有限公司: on the SI whitelist, not joined yet
)

func init() { seeders = append(seeders, seedPaths) }

// seedPaths shows the paths at each stage: 示例云科技's same-entity sibling
// (spsvc_admin) on the service path with its role-certification
// application under review, 智云软件 differentiated on the software path,
// 数联云服务 role certified on the service path, 华信数字 whitelisted for SI.
func seedPaths(ctx context.Context, tx *gorm.DB, w *World) error {
	now := w.Now
	eco := w.Users[EcoManager]
	staff := access.VendorStaff(eco, "eco_manager")
	staff.Name = EcoManager
	svc := paths.Service{DB: tx, Clock: clock.NewFixed(now.AddDate(0, -3, 0))}
	proof := []files.Upload{{Name: "在职证明.pdf", Data: demoPDF}, {Name: "服务案例.pdf", Data: demoPDF}}

	// The sibling joined the service path three months ago and applied for
	// role certification last week.
	sibling := access.Member(w.Users[SPServiceAdmin], 0, true)
	sibling.Name = SPServiceAdmin
	if err := tx.Raw(`SELECT partner_id FROM users WHERE id = ?`, sibling.UserID).Scan(&sibling.PartnerID).Error; err != nil {
		return err
	}
	if err := svc.Join(ctx, sibling, paths.PathService); err != nil {
		return err
	}
	// Its engineers' certificates are what the checks count (§7.2.6).
	if err := certifiedStaff(ctx, tx, w, sibling, now.AddDate(0, 0, -20), "spsvc", "工程师SP", "Cloud Service", [][]string{{"HCCDA", "HCCDP", "HCSA"}, {"HCCDA", "HCCDP"}, {"HCCDP"}}); err != nil {
		return err
	}
	svc.Clock = clock.NewFixed(now.AddDate(0, 0, -6))
	if _, err := svc.Apply(ctx, sibling, paths.StageRole, paths.StageInput{Entry: 2, Working: 3, HCSAPersons: 1,
		CaseName: "某零售集团电商系统上云迁移", CaseDate: now.AddDate(0, -4, 0).In(clock.China).Format(time.DateOnly),
		Note: "三名工程师已通过HCCDP认证。"}, proof); err != nil {
		return err
	}

	zy, err := company(ctx, tx, w, ZYAdmin, "智云软件有限公司", "91440101MA5Y1Y2K3", "赵云", "13600000111", now.AddDate(-2, 0, 0))
	if err != nil {
		return err
	}
	svc.Clock = clock.NewFixed(now.AddDate(0, -10, 0))
	if err := svc.Join(ctx, zy, paths.PathSoftware); err != nil {
		return err
	}
	for _, s := range []paths.SolutionInput{
		{Name: "智慧园区运营SaaS", Kind: paths.KindCloudSoftware, ApprovedOn: now.AddDate(0, -9, 0).In(clock.China).Format(time.DateOnly)},
		{Name: "工业设备预测性维护平台", Kind: paths.KindAdvanced, ApprovedOn: now.AddDate(0, -2, 0).In(clock.China).Format(time.DateOnly)},
	} {
		approved, _ := time.Parse(time.DateOnly, s.ApprovedOn)
		svc.Clock = clock.NewFixed(approved.Add(10 * time.Hour))
		if err := svc.RecordSolution(ctx, staff, zy.PartnerID, s); err != nil {
			return err
		}
	}

	sl, err := company(ctx, tx, w, SLAdmin, "数联云服务有限公司", "91510100MA6R2L3M4", "孙磊", "13600000121", now.AddDate(-1, -6, 0))
	if err != nil {
		return err
	}
	svc.Clock = clock.NewFixed(now.AddDate(0, -5, 0))
	if err := svc.Join(ctx, sl, paths.PathService); err != nil {
		return err
	}
	if err := certifiedStaff(ctx, tx, w, sl, now.AddDate(0, -2, 0), "sleng", "工程师SL", "Cloud Service", [][]string{{"HCCDA", "HCCDP", "HCSA"}, {"HCCDA", "HCCDP", "HCSP"}}); err != nil {
		return err
	}
	// Certified a few days ago: its certificate runs to the next 31
	// January whatever the day make run is started.
	svc.Clock = clock.NewFixed(now.AddDate(0, 0, -5))
	app, err := svc.Apply(ctx, sl, paths.StageRole, paths.StageInput{Entry: 2, Working: 2, HCSAPersons: 2,
		CaseName: "某制造企业ERP上云", CaseDate: now.AddDate(0, -3, 0).In(clock.China).Format(time.DateOnly)}, proof)
	if err != nil {
		return err
	}
	rev := approval.Engine{DB: tx, Clock: clock.NewFixed(now.AddDate(0, 0, -3))}
	if _, err := rev.Approve(ctx, ecoManager(eco, EcoManager), app.ID, "证书与案例材料齐全，角色认证通过。"); err != nil {
		return err
	}

	hx, err := company(ctx, tx, w, HXAdmin, "华信数字集成有限公司", "91320100MA7H3X4N5", "黄信", "13600000131", now.AddDate(-1, 0, 0))
	if err != nil {
		return err
	}
	svc.Clock = clock.NewFixed(now.AddDate(0, 0, -5))
	return svc.Invite(ctx, staff, hx.PartnerID, paths.PathSI)
}

// certifiedStaff links one personal account per entry of certs to the
// admin's partner (<prefix>1, <prefix>2, … named <name>1, <name>2, …,
// password DemoPassword) and gives each the certificates named, of the
// direction, synced from 云学堂 — the counts a path application's checks
// read.
func certifiedStaff(ctx context.Context, tx *gorm.DB, w *World, admin *access.Principal, at time.Time, prefix, name, direction string, certs [][]string) error {
	ps := people.Service{DB: tx, Clock: clock.NewFixed(at)}
	eco := access.VendorStaff(w.Users[EcoManager], "eco_manager")
	csv := "tenant_name,type,direction,number,issued_on,expires_on\n"
	for i, types := range certs {
		login := fmt.Sprintf("%s%d", prefix, i+1)
		pr, err := ps.Register(ctx, people.RegisterInput{LoginName: login, Password: DemoPassword, Name: fmt.Sprintf("%s%d", name, i+1),
			Site: people.SiteChina, RealName: people.RealNamePersonal, Email: login + "@staff-demo.cn", Mobile: fmt.Sprintf("1590000%04d", len(w.Users))})
		if err != nil {
			return fmt.Errorf("demo staff %s: %w", login, err)
		}
		w.Users[login] = pr.ID
		inv, err := ps.Invite(ctx, admin, login)
		if err != nil {
			return err
		}
		if err := ps.Accept(ctx, access.PersonalUser(pr.ID), inv.ID); err != nil {
			return err
		}
		for _, t := range types {
			csv += fmt.Sprintf("%s,%s,%s,%s-%s-%d,%s,%s\n", login, t, direction, t, strings.ToUpper(prefix), i+1,
				at.AddDate(0, -1, 0).Format(time.DateOnly), at.AddDate(3, 0, 0).Format(time.DateOnly))
		}
	}
	res, err := ps.ImportSynced(ctx, eco, []byte(csv))
	if err == nil && len(res.Errors) > 0 {
		err = fmt.Errorf("demo staff certificates: %+v", res.Errors)
	}
	return err
}

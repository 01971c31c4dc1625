package demo

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/benefit"
	"partnercenter/internal/files"
	"partnercenter/internal/people"
	"partnercenter/internal/platform/clock"
)

// Personal Huawei accounts of the demo (password DemoPassword), signing
// in on the partner sign-in page to their personal console.
const (
	PersonLi     = "li_lei"     // 李雷: linked to 智云软件, a project specialist, certificates synced and uploaded, vouchers redeemed
	PersonHan    = "han_meimei" // 韩梅梅: linked, a certificate in review, an exam voucher to redeem, lab points expired
	PersonWang   = "wang_fang"  // 王芳: linked without a bound e-mail (not selectable for vouchers), specialist in review
	PersonZhao   = "zhao_qiang" // 赵强: invited, not yet accepted
	PersonChen   = "chen_jing"  // 陈静: the invitation expired
	PersonLiu    = "liu_yang"   // 刘洋: was a specialist, cancelled and unlinked
	PersonQiye   = "qiye_zhang" // 张总: real-name verified as an enterprise (fails the checks)
	PersonGlobal = "global_lee" // an international-site account (未查询到账号信息)
)

func init() { seeders = append(seeders, seedPeople) }

// seedPeople gives 项目专员, 个人资质 and the person benefits every state
// (issue 15): 智云软件's linked employees, invitations pending and
// expired, a specialist approved, one in review and one cancelled,
// certificates synced, approved, in review and rejected, 考试券 and 云实验
// applications issued (redeemed, to redeem, expired) and one approved.
// Runs after the benefits (the policies of its tier).
func seedPeople(ctx context.Context, tx *gorm.DB, w *World) error {
	now := w.Now
	at := func(days int) clock.Clock { return clock.NewFixed(now.Add(-time.Duration(days*24) * time.Hour)) }
	ps := func(days int) people.Service { return people.Service{DB: tx, Clock: at(days)} }
	bs := func(days int) benefit.Service { return benefit.Service{DB: tx, Clock: at(days)} }
	eng := func(days int) approval.Engine { return approval.Engine{DB: tx, Clock: at(days)} }
	admin := access.VendorStaff(w.Users[VendorAdmin], "vendor_admin")
	admin.Name = VendorAdmin
	eco := access.VendorStaff(w.Users[EcoManager], "eco_manager")
	eco.Name = EcoManager
	zy := access.Member(w.Users[ZYAdmin], 0, true)
	zy.Name = ZYAdmin
	if err := tx.WithContext(ctx).Raw(`SELECT partner_id FROM users WHERE id = ?`, zy.UserID).Scan(&zy.PartnerID).Error; err != nil {
		return err
	}
	zy.Identities = []string{access.IdentitySoftware}

	type person struct {
		login, name, site, realName, email, uniportal string
	}
	made := map[string]*access.Principal{}
	for i, p := range []person{
		{PersonLi, "李雷", people.SiteChina, people.RealNamePersonal, "lilei@zhiyun-demo.cn", "lilei_uni"},
		{PersonHan, "韩梅梅", people.SiteChina, people.RealNamePersonal, "hanmeimei@zhiyun-demo.cn", ""},
		{PersonWang, "王芳", people.SiteChina, people.RealNamePersonal, "", ""},
		{PersonZhao, "赵强", people.SiteChina, people.RealNamePersonal, "zhaoqiang@example.cn", ""},
		{PersonChen, "陈静", people.SiteChina, people.RealNamePersonal, "chenjing@example.cn", ""},
		{PersonLiu, "刘洋", people.SiteChina, people.RealNamePersonal, "liuyang@example.cn", ""},
		{PersonQiye, "张总", people.SiteChina, people.RealNameEnterprise, "", ""},
		{PersonGlobal, "Lee Global", people.SiteIntl, people.RealNamePersonal, "lee@example.com", ""},
	} {
		pr, err := ps(200).Register(ctx, people.RegisterInput{LoginName: p.login, Password: DemoPassword, Name: p.name, Site: p.site,
			RealName: p.realName, Email: p.email, Mobile: fmt.Sprintf("1580000%04d", 100+i)})
		if err != nil {
			return fmt.Errorf("demo person %s: %w", p.login, err)
		}
		w.Users[p.login] = pr.ID
		me := access.PersonalUser(pr.ID)
		me.Name = p.login
		made[p.login] = me
		if p.uniportal != "" {
			if err := ps(200).UpdateProfile(ctx, me, people.ProfileInput{Email: p.email, Uniportal: p.uniportal, Company: "智云软件有限公司",
				Position: "解决方案架构师", JoinedOn: now.AddDate(-3, 0, 0).Format(time.DateOnly), City: "广州"}); err != nil {
				return err
			}
		}
	}
	link := func(days int, login string) error {
		inv, err := ps(days).Invite(ctx, zy, login)
		if err != nil {
			return fmt.Errorf("demo invite %s: %w", login, err)
		}
		return ps(days-1).Accept(ctx, made[login], inv.ID)
	}
	for _, l := range []string{PersonLi, PersonHan, PersonWang, PersonLiu} {
		if err := link(150, l); err != nil {
			return err
		}
	}
	if _, err := ps(2).Invite(ctx, zy, PersonZhao); err != nil {
		return err
	}
	if _, err := ps(12).Invite(ctx, zy, PersonChen); err != nil {
		return err
	}
	if _, err := ps(0).ExpireInvitations(ctx); err != nil {
		return err
	}

	// Certificates: the 云学堂 sync, uploads approved, in review, rejected.
	csv := "tenant_name,type,direction,number,issued_on,expires_on\n" +
		fmt.Sprintf("%s,HCCDA,Cloud Developer,HCCDA-2024-0001,%s,%s\n", PersonLi, now.AddDate(-1, 0, 0).Format(time.DateOnly), now.AddDate(2, 0, 0).Format(time.DateOnly)) +
		fmt.Sprintf("%s,HCCDP,Cloud Developer,HCCDP-2025-0007,%s,%s\n", PersonLi, now.AddDate(0, -5, 0).Format(time.DateOnly), now.AddDate(2, 7, 0).Format(time.DateOnly)) +
		fmt.Sprintf("%s,HCSA,Cloud Service,HCSA-2025-0103,%s,%s\n", PersonHan, now.AddDate(0, -8, 0).Format(time.DateOnly), now.AddDate(2, 4, 0).Format(time.DateOnly))
	if res, err := ps(100).ImportSynced(ctx, eco, []byte(csv)); err != nil || len(res.Errors) > 0 {
		return fmt.Errorf("demo certificate sync: %v %+v", err, res)
	}
	pdf := func(name string) files.Upload {
		return files.Upload{Name: name, Data: []byte("%PDF-1.4\n% demo certificate " + name + "\n%%EOF\n")}
	}
	upload := func(days int, login, typ, number string) (*people.Certificate, error) {
		return ps(days).UploadCertificate(ctx, made[login], people.CertificateInput{Type: typ, Direction: "Cloud Service", Number: number,
			IssuedOn: now.AddDate(0, 0, -days-30).Format(time.DateOnly), ExpiresOn: now.AddDate(3, 0, 0).Format(time.DateOnly)}, pdf(typ+".pdf"))
	}
	c, err := upload(90, PersonLi, "HCIP", "HCIP-CS-20250311")
	if err != nil {
		return err
	}
	if err := ps(88).ReviewCertificate(ctx, eco, c.ID, true, ""); err != nil {
		return err
	}
	if _, err := upload(3, PersonHan, "HCIA", "HCIA-CS-20261120"); err != nil {
		return err
	}
	c, err = upload(30, PersonWang, "HCIE", "HCIE-FAKE-0001")
	if err != nil {
		return err
	}
	if err := ps(28).ReviewCertificate(ctx, eco, c.ID, false, "证书编号与华为人才在线记录不符，请上传清晰的证书扫描件"); err != nil {
		return err
	}

	// Project specialists: 李雷 approved four months ago, 王芳 in review,
	// 刘洋 approved then cancelled and unlinked.
	linkOf := func(login string) (int64, error) {
		var id int64
		err := tx.WithContext(ctx).Raw(`SELECT id FROM specialist_links WHERE person_id = ? AND unlinked_at IS NULL`, w.Users[login]).Scan(&id).Error
		return id, err
	}
	specialist := func(days int, login string) (*people.Specialist, error) {
		l, err := linkOf(login)
		if err != nil {
			return nil, err
		}
		return ps(days).ApplySpecialist(ctx, zy, l, "解决方案架构师，负责云软件方案的交付", []files.Upload{pdf("在职证明.pdf")})
	}
	sp, err := specialist(125, PersonLi)
	if err != nil {
		return err
	}
	if _, err := eng(122).Approve(ctx, eco, *sp.ApplicationID, "在职证明有效"); err != nil {
		return err
	}
	if _, err := specialist(1, PersonWang); err != nil {
		return err
	}
	sp, err = specialist(140, PersonLiu)
	if err != nil {
		return err
	}
	if _, err := eng(138).Approve(ctx, eco, *sp.ApplicationID, ""); err != nil {
		return err
	}
	if err := ps(60).CancelSpecialist(ctx, zy, sp.ID, "员工转岗，不再负责该路径"); err != nil {
		return err
	}
	var cancelApp int64
	if err := tx.WithContext(ctx).Raw(`SELECT cancel_application_id FROM project_specialists WHERE id = ?`, sp.ID).Scan(&cancelApp).Error; err != nil {
		return err
	}
	if _, err := eng(58).Approve(ctx, eco, cancelApp, ""); err != nil {
		return err
	}
	l, err := linkOf(PersonLiu)
	if err != nil {
		return err
	}
	if err := ps(50).Unlink(ctx, zy, l); err != nil {
		return err
	}

	// 考试券 and 云实验: the vendor's policies for 智云软件's tier, then
	// applications redeemed, to redeem, expired, and approved.
	for _, year := range policyYears(now, 40) {
		for _, p := range []benefit.PolicyInput{
			{Year: year, Type: benefit.TypeExamVoucher, Tier: "software:differentiated", Cap: "20", Notes: "差异化软件伙伴每年考试券"},
			{Year: year, Type: benefit.TypeCloudLab, Tier: "software:differentiated", Cap: "5000", Notes: "差异化软件伙伴每年云实验点"},
			{Year: year, Type: benefit.TypeExamVoucher, Tier: "software:role_certified", Cap: "10", Notes: "角色认证软件伙伴每年考试券"},
		} {
			if err := bs(60).SavePolicy(ctx, admin, p); err != nil {
				return err
			}
		}
	}
	id := func(login string) string { return fmt.Sprint(w.Users[login]) }
	issue := func(days int, typ string, in benefit.PersonsInput) (*benefit.Application, error) {
		a, err := bs(days).ApplyForPersons(ctx, zy, typ, in)
		if err != nil {
			return nil, fmt.Errorf("demo %s: %w", typ, err)
		}
		if _, err := eng(days-1).Approve(ctx, eco, *a.ApplicationID, ""); err != nil {
			return nil, err
		}
		if _, err := bs(days-1).Issue(ctx, admin, a.ID); err != nil {
			return nil, err
		}
		return a, nil
	}
	if _, err := issue(40, benefit.TypeExamVoucher, benefit.PersonsInput{Exam: "HCCDA", Persons: []string{id(PersonLi)}, Reason: "开发者认证"}); err != nil {
		return err
	}
	if _, err := issue(20, benefit.TypeExamVoucher, benefit.PersonsInput{Exam: "HCIE", Persons: []string{id(PersonLi)}, Reason: "HCIE 备考"}); err != nil {
		return err
	}
	if _, err := issue(3, benefit.TypeExamVoucher, benefit.PersonsInput{Exam: "HCCDP", Persons: []string{id(PersonHan)}, Reason: "开发者认证进阶"}); err != nil {
		return err
	}
	if _, err := issue(15, benefit.TypeCloudLab, benefit.PersonsInput{Points: "300", Persons: []string{id(PersonHan)}, Reason: "方案实验"}); err != nil {
		return err
	}
	if _, err := issue(2, benefit.TypeCloudLab, benefit.PersonsInput{Points: "500", Persons: []string{id(PersonLi), id(PersonHan)}, Reason: "云原生实验"}); err != nil {
		return err
	}
	// 李雷 redeemed his HCCDA voucher within its days and the HCIE one.
	var redeem []int64
	if err := tx.WithContext(ctx).Raw(`SELECT id FROM person_vouchers WHERE person_id = ? AND kind = 'exam' ORDER BY id`, w.Users[PersonLi]).
		Scan(&redeem).Error; err != nil {
		return err
	}
	for i, v := range redeem {
		if err := bs(38-i*20).Redeem(ctx, made[PersonLi], v); err != nil {
			return err
		}
	}
	if _, err := bs(0).ExpireVouchers(ctx); err != nil {
		return err
	}
	a, err := bs(1).ApplyForPersons(ctx, zy, benefit.TypeExamVoucher, benefit.PersonsInput{Exam: "HCIP", Persons: []string{id(PersonLi)}, Reason: "职业认证"})
	if err != nil {
		return err
	}
	_, err = eng(0).Approve(ctx, eco, *a.ApplicationID, "")
	return err
}

package demo

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/program"
)

// Demo accounts of 华为云伙伴计划 (build-plan 1.C). Their password is
// DemoPassword too.
const (
	XHAdmin = "xh_admin" // 星河数据科技有限公司: solution-provider application under review
	YJAdmin = "yj_admin" // 远景云服务有限公司: solution-provider application returned for more materials
	LHAdmin = "lh_admin" // 蓝海网络科技有限公司: invited by the vendor to the master distributor program
	// SPCRAdmin is 示例云科技's cloud-reseller account under 华东数智 (same
	// legal entity): the target of 迁移客户至云经销商 on 示例云科技's page.
	SPCRAdmin = "spcr_admin"
	QSAdmin   = "qs_admin" // 青松信息技术有限公司: an empty partner account (伙伴空账号): apply, or accept a reseller link
)

func init() { seeders = append(seeders, seedPrograms) }

// seedPrograms shows the programs in their states: 示例云科技 a solution
// provider (core level, assessed), 华东数智 a national master distributor
// with 杭州云启 as its cloud reseller (joined through an accepted link), a
// pending and an expired invitation link, 星河数据's application under
// review, 远景云's returned one, 蓝海网络 invited as a regional master
// distributor, and 青松信息, an empty account.
//
// The build plan's data decision: 示例云科技 held the solution provider
// program and the software path on one account, which §5.1.2 forbids; its
// path is not seeded (paths live on its same-entity sibling account).
func seedPrograms(ctx context.Context, tx *gorm.DB, w *World) error {
	now := w.Now
	joined := now.AddDate(-2, 0, 0)
	active := func(pid int64, prog, level, mdType string, class int, parent *int64, at time.Time) (int64, error) {
		vu := time.Date(now.In(clock.China).Year()+1, time.January, 31, 0, 0, 0, 0, time.UTC)
		prefix := map[string]string{program.SolutionProvider: "SP", program.MasterDistributor: "MD", program.CloudReseller: "CR"}[prog]
		no := fmt.Sprintf("HWC-%s-%d-P%06d", prefix, at.In(clock.China).Year(), pid)
		m := program.Membership{PartnerID: pid, Program: prog, Status: program.StateActive, Level: level, MDType: mdType,
			ParentPartnerID: parent, InvitedAt: &at, JoinedAt: &at, ValidUntil: &vu, CertificateNo: &no, CreatedAt: at, UpdatedAt: at}
		if class != 0 {
			m.RegionClass = &class
		}
		if err := tx.Create(&m).Error; err != nil {
			return 0, fmt.Errorf("demo membership %s: %w", prog, err)
		}
		return m.ID, nil
	}
	spMember, err := active(w.SP, program.SolutionProvider, "core", "", 0, nil, joined)
	if err != nil {
		return err
	}
	last := now.In(clock.China).Year() - 1
	if err := tx.Create(&program.Assessment{MembershipID: spMember, Year: last, Passed: true, Note: "年度指标全部达成",
		RecordedBy: ptr(w.Users[EcoManager]), RecordedAt: now.AddDate(0, 0, -3)}).Error; err != nil {
		return err
	}
	if _, err := active(w.MD, program.MasterDistributor, "", program.MDNational, 1, nil, joined); err != nil {
		return err
	}
	crJoined := now.AddDate(-1, -3, 0)
	if _, err := active(w.CR, program.CloudReseller, "", "", 0, &w.MD, crJoined); err != nil {
		return err
	}
	// 示例云科技's reseller account (same credit code), under 华东数智.
	spcr, err := company(ctx, tx, w, SPCRAdmin, "示例云科技有限公司", "91310115MA1K4A2B3", "刘洋", "13600000141", crJoined)
	if err != nil {
		return err
	}
	if err := (partner.Store{DB: tx}).SetParent(ctx, spcr.PartnerID, w.MD, crJoined); err != nil {
		return err
	}
	if err := (partner.Store{DB: tx}).AddIdentity(ctx, spcr.PartnerID, program.CloudReseller, crJoined); err != nil {
		return err
	}
	if _, err := active(spcr.PartnerID, program.CloudReseller, "", "", 0, &w.MD, crJoined); err != nil {
		return err
	}
	mdAdmin := w.Users[MDAdmin]
	for _, inv := range []program.Invitation{
		{MasterPartnerID: w.MD, Token: "demo-accepted-invitation-0001", Note: "杭州云启", Status: program.InviteAccepted,
			CreatedBy: &mdAdmin, CreatedAt: crJoined.AddDate(0, 0, -2), ExpiresAt: crJoined.AddDate(0, 0, 5),
			AcceptedPartnerID: &w.CR, AcceptedAt: &crJoined},
		{MasterPartnerID: w.MD, Token: "demo-expired-invitation-0002", Note: "宁波渠道（未接受）", Status: program.InvitePending,
			CreatedBy: &mdAdmin, CreatedAt: now.AddDate(0, 0, -20), ExpiresAt: now.AddDate(0, 0, -13)},
		{MasterPartnerID: w.MD, Token: "demo-pending-invitation-0003", Note: "青松信息", Status: program.InvitePending,
			CreatedBy: &mdAdmin, CreatedAt: now.AddDate(0, 0, -1), ExpiresAt: now.AddDate(0, 0, program.InvitationDays-1)},
	} {
		if err := tx.Create(&inv).Error; err != nil {
			return err
		}
	}

	// Onboarded companies of the programs' other states.
	eco := w.Users[EcoManager]
	xh, err := company(ctx, tx, w, XHAdmin, "星河数据科技有限公司", "91310104MA1X2H3K4", "许航", "13600000071", now.AddDate(0, -8, 0))
	if err != nil {
		return err
	}
	svc := program.Service{DB: tx, Clock: clock.NewFixed(now.AddDate(0, 0, -1))}
	if _, err := svc.ApplySP(ctx, xh, "专注数据库上云与数据治理，已服务30余家企业客户。"); err != nil {
		return err
	}
	yj, err := company(ctx, tx, w, YJAdmin, "远景云服务有限公司", "91310112MA1Y4J5L6", "严静", "13600000081", now.AddDate(0, -5, 0))
	if err != nil {
		return err
	}
	svc.Clock = clock.NewFixed(now.AddDate(0, 0, -4))
	app, err := svc.ApplySP(ctx, yj, "")
	if err != nil {
		return err
	}
	rev := approval.Engine{DB: tx, Clock: clock.NewFixed(now.AddDate(0, 0, -3))}
	if _, err := rev.Return(ctx, ecoManager(eco, EcoManager), app.ID,
		"请补充近一年华为云销售与交付案例（客户名称、项目金额、交付内容），并说明业务开展地对应的代表处。"); err != nil {
		return err
	}
	lh, err := company(ctx, tx, w, LHAdmin, "蓝海网络科技有限公司", "91330203MA2L6H7M8", "蓝天", "13600000091", now.AddDate(0, -6, 0))
	if err != nil {
		return err
	}
	staff := access.VendorStaff(eco, "eco_manager")
	staff.Name = EcoManager
	svc.Clock = clock.NewFixed(now.AddDate(0, 0, -2))
	if _, err := svc.InviteMD(ctx, staff, lh.PartnerID, program.MDRegional, 2); err != nil {
		return err
	}
	_, err = company(ctx, tx, w, QSAdmin, "青松信息技术有限公司", "91330602MA2Q8R9T1", "秦松", "13600000101", now.AddDate(0, -2, 0))
	return err
}

func ptr[T any](v T) *T { return &v }

// company makes an onboarded demo company in no program or path, looked
// after by eco_manager, with its main account (login, DemoPassword).
func company(ctx context.Context, tx *gorm.DB, w *World, login, name, body, person, mobile string, at time.Time) (*access.Principal, error) {
	var hash string
	if err := tx.WithContext(ctx).Raw(`SELECT password_hash FROM users WHERE id = ?`, w.Users[SPAdmin]).Scan(&hash).Error; err != nil {
		return nil, err
	}
	eco := w.Users[EcoManager]
	p := partner.Partner{Name: name, CreditCode: partner.USCCWithCheck(body), Status: partner.StatusActive, Site: "cn",
		Address: "上海市徐汇区漕河泾开发区宜山路700号", LegalRepresentative: person, RegisteredCapital: "1000万人民币",
		BusinessScope: "云计算技术服务；软件开发", ContactName: person, ContactPosition: "总经理", ContactMobile: mobile,
		ContactEmail: login + "@example.cn", EcoManagerID: &eco, JoinedHCPNAt: &at, CreatedAt: at, UpdatedAt: at}
	if err := tx.WithContext(ctx).Create(&p).Error; err != nil {
		return nil, fmt.Errorf("demo company %s: %w", name, err)
	}
	var uid int64
	if err := tx.WithContext(ctx).Raw(`INSERT INTO users (kind, partner_id, login_name, display_name, email, mobile, password_hash, is_main, position, created_at, updated_at)
		VALUES ('partner', ?, ?, ?, ?, ?, ?, true, '总经理', ?, ?) RETURNING id`,
		p.ID, login, person, login+"@example.cn", mobile, hash, at, at).Scan(&uid).Error; err != nil {
		return nil, err
	}
	w.Users[login] = uid
	a := access.Member(uid, p.ID, true)
	a.Name = login
	return a, nil
}

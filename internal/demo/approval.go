package demo

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/notify"
	"partnercenter/internal/onboarding"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/clock"
)

// Demo accounts of companies joining the partner network (seed 003 §3).
// Their password is DemoPassword too.
const (
	NRAdmin = "nr_admin" // 新锐数据服务有限公司: onboarding under review, overdue, with eco_manager
	YFAdmin = "yf_admin" // 云帆智能科技有限公司: onboarding under review, just submitted
	BCAdmin = "bc_admin" // 北辰信息技术有限公司: onboarding rejected, may resubmit
	QMAdmin = "qm_admin" // 启明软件有限公司: onboarding returned for more materials (退回补充材料)
)

func init() { seeders = append(seeders, seedApprovals) }

// demoPDF is a tiny valid-looking PDF used as a licence scan.
var demoPDF = []byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

func seedApprovals(ctx context.Context, tx *gorm.DB, w *World) error {
	now := w.Now
	eco := w.Users[EcoManager]

	type company struct {
		login, name, body, person, email, mobile string
		at                                       time.Time
		eco                                      *int64
		form                                     onboarding.Form
	}
	join := func(c company) (int64, *approval.Application, error) {
		svc := onboarding.Service{DB: tx, Clock: clock.NewFixed(c.at)}
		u, err := svc.Register(ctx, onboarding.Registration{CompanyName: c.name, CreditCode: partner.USCCWithCheck(c.body), Site: "cn",
			LoginName: c.login, DisplayName: c.person, Email: c.email, Mobile: c.mobile, Password: DemoPassword, Confirm: DemoPassword, Agree: true})
		if err != nil {
			return 0, nil, err
		}
		w.Users[c.login] = u.ID
		if c.eco != nil {
			if err := tx.Exec(`UPDATE partners SET eco_manager_id = ? WHERE id = ?`, *c.eco, u.TenantID()).Error; err != nil {
				return 0, nil, err
			}
		}
		actor := access.Member(u.ID, u.TenantID(), true)
		actor.Name = c.login
		app, err := svc.Submit(ctx, actor, c.form)
		return u.TenantID(), app, err
	}
	form := func(name, addr, legal, capital, scope, contact, position, mobile, email string) onboarding.Form {
		return onboarding.Form{CompanyName: name, Address: addr, LegalRepresentative: legal, RegisteredCapital: capital,
			BusinessScope: scope, ContactName: contact, ContactPosition: position, ContactMobile: mobile, ContactEmail: email,
			Agreements: onboarding.Agreements, Licence: &onboarding.Upload{Name: "营业执照.pdf", Data: demoPDF}}
	}

	// 新锐数据: submitted 8 days ago, 3 working days long past: overdue in
	// eco_manager's inbox.
	if _, _, err := join(company{login: NRAdmin, name: "新锐数据服务有限公司", body: "91110108MA01N2R3X", person: "陈晓",
		email: "admin@xinrui-data.cn", mobile: "13700000031", at: now.AddDate(0, 0, -8), eco: &eco,
		form: form("新锐数据服务有限公司", "北京市海淀区中关村大街27号", "陈晓", "2000万人民币", "数据处理服务；软件开发；信息技术咨询服务",
			"陈晓", "总经理", "13700000031", "admin@xinrui-data.cn")}); err != nil {
		return err
	}
	// 云帆智能: submitted an hour ago, assigned to the least busy ecosystem manager.
	if _, _, err := join(company{login: YFAdmin, name: "云帆智能科技有限公司", body: "91320594MA1W3F4G5", person: "周航",
		email: "admin@yunfan-ai.cn", mobile: "13700000041", at: now.Add(-time.Hour),
		form: form("云帆智能科技有限公司", "江苏省苏州市工业园区星湖街328号", "周航", "800万人民币", "人工智能应用软件开发；云计算装备技术服务",
			"周航", "创始人", "13700000041", "admin@yunfan-ai.cn")}); err != nil {
		return err
	}
	// 北辰信息: submitted 10 days ago and rejected by eco_manager.
	_, bc, err := join(company{login: BCAdmin, name: "北辰信息技术有限公司", body: "91120116MA05B6C7D", person: "韩雪",
		email: "admin@beichen-it.cn", mobile: "13700000051", at: now.AddDate(0, 0, -10), eco: &eco,
		form: form("北辰信息技术有限公司", "天津市滨海新区第三大街51号", "韩雪", "300万人民币", "信息系统集成服务",
			"韩雪", "商务经理", "13700000051", "admin@beichen-it.cn")})
	if err != nil {
		return err
	}
	rev := approval.Engine{DB: tx, Clock: clock.NewFixed(now.AddDate(0, 0, -9))}
	if _, err := rev.Reject(ctx, ecoManager(eco, EcoManager), bc.ID,
		"营业执照扫描件模糊，无法核验公司名称与统一社会信用代码，请上传清晰的营业执照扫描件后重新提交。"); err != nil {
		return err
	}

	// 启明软件: submitted 3 days ago, returned by eco_manager 2 days ago
	// for more materials; waits for its applicant to add them.
	_, qm, err := join(company{login: QMAdmin, name: "启明软件有限公司", body: "91440300MA5Q7M8N9", person: "林琪",
		email: "admin@qiming-soft.cn", mobile: "13700000061", at: now.AddDate(0, 0, -3), eco: &eco,
		form: form("启明软件有限公司", "广东省深圳市南山区科技园南区高新南一道9号", "林琪", "1000万人民币", "软件开发；信息技术咨询服务",
			"林琪", "运营总监", "13700000061", "admin@qiming-soft.cn")})
	if err != nil {
		return err
	}
	rev = approval.Engine{DB: tx, Clock: clock.NewFixed(now.AddDate(0, 0, -2))}
	if _, err := rev.Return(ctx, ecoManager(eco, EcoManager), qm.ID,
		"营业执照经营范围与申请材料不一致，请补充最新版营业执照副本扫描件，并说明近一年的经营范围变更情况。"); err != nil {
		return err
	}

	// 示例云科技's approved onboarding two years ago (history only).
	var sp partner.Partner
	if err := tx.First(&sp, w.SP).Error; err != nil {
		return err
	}
	joined := *sp.JoinedHCPNAt
	submitted := joined.AddDate(0, 0, -2)
	payload, _ := json.Marshal(onboarding.Payload{
		Company: onboarding.Company{Name: sp.Name, CreditCode: sp.CreditCode, Site: sp.Site, Address: sp.Address,
			LegalRepresentative: sp.LegalRepresentative, RegisteredCapital: sp.RegisteredCapital, BusinessScope: sp.BusinessScope},
		Contacts:   onboarding.Contacts{Name: sp.ContactName, Position: sp.ContactPosition, Mobile: sp.ContactMobile, Email: sp.ContactEmail},
		Agreements: onboarding.Agreements})
	checks, _ := json.Marshal([]approval.CheckResult{
		{Name: "onboarding.check.credit_code", Outcome: approval.CheckPass, Message: "onboarding.check.credit_code.pass", Args: map[string]any{"Code": sp.CreditCode}},
		{Name: "onboarding.check.site", Outcome: approval.CheckPass, Message: "onboarding.check.site.pass"},
		{Name: "onboarding.check.same_entity", Outcome: approval.CheckWarn, Message: "onboarding.check.same_entity.none"},
	})
	spAdmin := w.Users[SPAdmin]
	due := clock.Calendar{}.AddWorkingDays(submitted, onboarding.SLA)
	app := approval.Application{Type: onboarding.TypeKey, PartnerID: w.SP, ApplicantUserID: &spAdmin, State: approval.StateApproved,
		Title: sp.Name, Payload: string(payload), Checks: string(checks), ReviewerID: &eco, SubmittedAt: &submitted, DueAt: &due,
		DecidedAt: &joined, DecidedBy: &eco, DecisionComment: "公司信息与营业执照一致，审核通过。", CreatedAt: submitted, UpdatedAt: joined}
	if err := tx.Create(&app).Error; err != nil {
		return err
	}
	ecoName := "王立新"
	for _, ev := range []approval.Event{
		{At: submitted, ActorUserID: &spAdmin, ActorName: "刘洋", Action: approval.ActionCreate, ToState: approval.StateDraft},
		{At: submitted, ActorUserID: &spAdmin, ActorName: "刘洋", Action: approval.ActionSubmit, FromState: approval.StateDraft, ToState: approval.StateSubmitted},
		{At: submitted, ActorName: "system", Action: approval.ActionAutoCheck, FromState: approval.StateSubmitted, ToState: approval.StateSubmitted,
			Comment: "统一社会信用代码校验: 通过；站点校验: 通过；同一法人主体: 需人工确认"},
		{At: submitted, ActorName: "system", Action: approval.ActionAssign, FromState: approval.StateSubmitted, ToState: approval.StateSubmitted},
		{At: joined, ActorUserID: &eco, ActorName: ecoName, Action: approval.ActionApprove, FromState: approval.StateSubmitted,
			ToState: approval.StateApproved, Comment: "公司信息与营业执照一致，审核通过。"},
	} {
		ev.ApplicationID = app.ID
		if err := tx.Create(&ev).Error; err != nil {
			return err
		}
	}

	// Messages of sp_admin: the onboarding result (read) and two notices (unread).
	msgs := []struct {
		subj, body string
		params     map[string]any
		link       string
		at         time.Time
		read       bool
	}{
		{"onboarding.msg.approved.subject", "onboarding.msg.approved.body", map[string]any{"Title": sp.Name, "TypeKey": approval.TypeLabel(onboarding.TypeKey)},
			"/applications/" + strconv.FormatInt(app.ID, 10), joined, true},
		{"messages.notice.policy.subject", "messages.notice.policy.body", map[string]any{"Year": now.In(clock.China).Year()}, "", now.AddDate(0, 0, -3), false},
		{"messages.notice.maintenance.subject", "messages.notice.maintenance.body",
			map[string]any{"Date": now.AddDate(0, 0, 5).In(clock.China).Format("2006-01-02")}, "", now.Add(-5 * time.Hour), false},
	}
	for _, m := range msgs {
		if err := notify.Send(ctx, tx, notify.Note{To: spAdmin, Partner: w.SP, Subject: m.subj, Body: m.body, Params: m.params, Link: m.link, At: now}); err != nil {
			return err
		}
		upd := map[string]any{"created_at": m.at}
		if m.read {
			upd["read_at"] = m.at.Add(time.Hour)
		}
		if err := tx.Table("messages").Where("id = (SELECT max(id) FROM messages WHERE user_id = ?)", spAdmin).Updates(upd).Error; err != nil {
			return err
		}
	}
	return nil
}

package demo

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/customer"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
)

// Customer console demo accounts (password DemoPassword).
const (
	// CustZhang is associated with 示例云科技 in resale mode, managed by
	// sp_manager1, with no pending request.
	CustZhang = "cust_zhang"
	// CustNew registered today, is associated with no partner and holds a
	// valid online invitation from 示例云科技 (its link is on the partner's
	// 线上拓展 page; the token is printed nowhere).
	CustNew = "cust_new"
	// CustWang (示例云科技, consulting) has asked to unbind: sp_admin decides.
	CustWang = "cust_wang"
	// CustLi (示例云科技, resale) has a switch to consulting to consent to.
	CustLi = "cust_li"
)

func init() { seeders = append(seeders, seedCustomers) }

// demoCustomers runs the customer service with a clock it moves back and
// forth, so every row has a plausible date and went through the rules.
type demoCustomers struct {
	ctx    context.Context
	tx     *gorm.DB
	w      *World
	now    time.Time
	svc    *customer.Service
	seq    int
	eco    map[int64]*access.Principal // partner → its ecosystem manager (reviewer)
	logins map[string]int64
}

func (d *demoCustomers) at(daysAgo float64) {
	d.svc.Clock = clock.NewFixed(d.now.Add(-time.Duration(daysAgo * float64(24*time.Hour))))
}

func (d *demoCustomers) next() int { d.seq++; return d.seq }

func (d *demoCustomers) mobile() string { return fmt.Sprintf("1365%07d", d.next()) }

func admin(w *World, login string, pid int64) *access.Principal {
	p := access.Member(w.Users[login], pid, true)
	p.Name = login
	return p
}

// ecoManager is the principal of a demo ecosystem manager.
func ecoManager(userID int64, login string) *access.Principal {
	p := access.VendorStaff(userID, "eco_manager")
	p.Name = login
	return p
}

// console is the principal of a customer signed in to its console.
func console(c *customer.Customer, login string) *access.Principal {
	p := access.CustomerUser(*c.UserID)
	p.Name = login
	return p
}

// demoContacts are the contacts of individual customers' reports: people's
// names, as a partner's staff would type them.
var demoContacts = []string{"王芳", "李娜", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "孙丽", "周杰", "吴迪", "徐敏", "朱琳", "胡军", "郭婷", "何鹏", "高翔"}

// report reports a customer daysAgo.
func (d *demoCustomers) report(p *access.Principal, name, kind, mobile, email string, daysAgo float64) (*customer.Report, error) {
	d.at(daysAgo)
	in := customer.ReportInput{CustomerName: name, Kind: kind, ContactName: demoContacts[d.seq%len(demoContacts)], Mobile: mobile, Email: email,
		Industry: "互联网", Region: "华东"}
	if kind == customer.KindEnterprise {
		in.CreditCode = partner.USCCWithCheck(fmt.Sprintf("91310000MA%07d", d.next()))
		in.ContactName = []string{"陈晨", "周敏", "黄磊", "吴婷", "郑浩", "林静"}[d.seq%6]
	}
	r, err := d.svc.CreateReport(d.ctx, p, in)
	if err != nil {
		return nil, fmt.Errorf("demo report %s: %w", name, err)
	}
	return r, nil
}

// register creates a customer account daysAgo.
func (d *demoCustomers) register(login, name, kind, mobile, email string, daysAgo float64) (*customer.Customer, error) {
	d.at(daysAgo)
	in := customer.RegisterInput{LoginName: login, Password: DemoPassword, Name: name, Kind: kind, Mobile: mobile, Email: email}
	if kind == customer.KindEnterprise {
		in.RealName = customer.RealNameEnterprise
		in.CreditCode = partner.USCCWithCheck(fmt.Sprintf("91440300MA%07d", d.next()))
	} else {
		in.RealName = customer.RealNamePersonal
	}
	c, err := d.svc.Register(d.ctx, in)
	if err != nil {
		return nil, fmt.Errorf("demo customer %s: %w %v", login, err, fieldsOf(err))
	}
	d.logins[login] = *c.UserID
	d.w.Users[login] = *c.UserID
	return c, nil
}

// assoc is an associated customer of a partner.
type assoc struct {
	login, name, kind, mode, channel string
	daysAgo                          float64
	manager                          string // login of its customer manager, "" for none
}

// associate reports, invites, registers and accepts: the customer is
// associated daysAgo through the given channel.
func (d *demoCustomers) associate(p *access.Principal, a assoc) (*customer.Customer, error) {
	mobile := d.mobile()
	email := a.login + "@demo-customer.cn"
	r, err := d.report(p, a.name, a.kind, mobile, email, a.daysAgo+1)
	if err != nil {
		return nil, err
	}
	var inv *customer.Invitation
	if a.channel == customer.ChannelOffline {
		inv, err = d.svc.InviteOffline(d.ctx, p, r.ID, a.mode)
	} else {
		inv, err = d.svc.InviteOnline(d.ctx, p, r.ID, email, a.mode)
	}
	if err != nil {
		return nil, err
	}
	d.at(a.daysAgo + 0.5)
	if _, err := d.svc.OpenInvitation(d.ctx, inv.Token); err != nil {
		return nil, err
	}
	c, err := d.register(a.login, a.name, a.kind, mobile, email, a.daysAgo+0.2)
	if err != nil {
		return nil, err
	}
	d.at(a.daysAgo)
	if _, err := d.svc.Accept(d.ctx, console(c, a.login), inv.Token, true); err != nil {
		return nil, fmt.Errorf("demo accept %s: %w", a.login, err)
	}
	if a.manager != "" {
		if _, err := d.svc.Assign(d.ctx, p, []int64{c.ID}, d.w.Users[a.manager]); err != nil {
			return nil, fmt.Errorf("demo assign %s: %w", a.login, err)
		}
	}
	return c, nil
}

// prospects are reports in every state before association.
func (d *demoCustomers) prospects(p *access.Principal, names [8]string, tag string) error {
	mk := func(i int, kind string, daysAgo float64) (*customer.Report, error) {
		return d.report(p, names[i], kind, d.mobile(), fmt.Sprintf("%s.p%d@demo-prospect.cn", tag, i), daysAgo)
	}
	// Protected, not yet invited.
	if _, err := mk(0, customer.KindEnterprise, 12); err != nil {
		return err
	}
	// Online invitation sent (still valid).
	r, err := mk(1, customer.KindEnterprise, 3)
	if err != nil {
		return err
	}
	d.at(2)
	if _, err := d.svc.InviteOnline(d.ctx, p, r.ID, r.Email, customer.ModeResale); err != nil {
		return err
	}
	// Online invitation opened.
	if r, err = mk(2, customer.KindPersonal, 4); err != nil {
		return err
	}
	d.at(3)
	inv, err := d.svc.InviteOnline(d.ctx, p, r.ID, r.Email, customer.ModeConsulting)
	if err != nil {
		return err
	}
	d.at(2.5)
	if _, err := d.svc.OpenInvitation(d.ctx, inv.Token); err != nil {
		return err
	}
	// Online invitation expired (sent 10 days ago, R10).
	if r, err = mk(3, customer.KindEnterprise, 12); err != nil {
		return err
	}
	d.at(10)
	if _, err := d.svc.InviteOnline(d.ctx, p, r.ID, r.Email, customer.ModeResale); err != nil {
		return err
	}
	// Offline link and QR code (no expiry).
	if r, err = mk(4, customer.KindEnterprise, 6); err != nil {
		return err
	}
	d.at(5)
	if _, err := d.svc.InviteOffline(d.ctx, p, r.ID, customer.ModeConsulting); err != nil {
		return err
	}
	// Expired report (reported 100 days ago, validity 90 days).
	if _, err := mk(5, customer.KindEnterprise, 100); err != nil {
		return err
	}
	// In manual review: an account registered 40 days ago (seed 001).
	mobile := d.mobile()
	if _, err := d.register(tag+"_review", names[6], customer.KindEnterprise, mobile, "", 40); err != nil {
		return err
	}
	if _, err := d.report(p, names[6], customer.KindEnterprise, mobile, "", 2); err != nil {
		return err
	}
	// Rejected after manual review: an unassociated account with cash.
	mobile = d.mobile()
	c, err := d.register(tag+"_cash", names[7], customer.KindEnterprise, mobile, "", 60)
	if err != nil {
		return err
	}
	if err := d.tx.Exec(`UPDATE customers SET cash_balance = 2680.00 WHERE id = ?`, c.ID).Error; err != nil {
		return err
	}
	rep, err := d.report(p, names[7], customer.KindEnterprise, mobile, "", 20)
	if err != nil {
		return err
	}
	if rep.ApplicationID != nil {
		d.at(18)
		eng := approval.Engine{DB: d.tx, Clock: d.svc.Clock}
		if _, err := eng.Reject(d.ctx, d.eco[p.PartnerID], *rep.ApplicationID, "该客户存在现金消费且已由华为云直销团队跟进，不予报备。"); err != nil {
			return err
		}
	}
	return nil
}

// lifecycle gives a partner associated customers in both modes, a
// completed switch, two ended associations, a pending customer-initiated
// unbinding and a pending partner-initiated switch.
func (d *demoCustomers) lifecycle(p *access.Principal, list []assoc, switched, endedByCustomer, endedByPartner, pendingUnbind, pendingSwitch string) error {
	ids := map[string]*customer.Customer{}
	for _, a := range list {
		c, err := d.associate(p, a)
		if err != nil {
			return err
		}
		ids[a.login] = c
	}
	uid := func(login string) *access.Principal { return console(ids[login], login) }
	if switched != "" {
		d.at(20)
		req, err := d.svc.RequestSwitch(d.ctx, p, ids[switched].ID, "客户希望自行支付并由华为云开票")
		if err != nil {
			return err
		}
		d.at(19)
		if _, err := d.svc.Consent(d.ctx, uid(switched), req.ID, true); err != nil {
			return err
		}
	}
	if endedByCustomer != "" {
		d.at(15)
		req, err := d.svc.CustomerRequestUnbind(d.ctx, uid(endedByCustomer), "业务调整，改由公司总部统一采购")
		if err != nil {
			return err
		}
		d.at(14)
		if _, err := d.svc.Decide(d.ctx, p, req.ID, true, "同意解除关联"); err != nil {
			return err
		}
	}
	if endedByPartner != "" {
		d.at(12)
		req, err := d.svc.RequestUnbind(d.ctx, p, ids[endedByPartner].ID, "客户已停止使用云服务")
		if err != nil {
			return err
		}
		d.at(11)
		if _, err := d.svc.Consent(d.ctx, uid(endedByPartner), req.ID, true); err != nil {
			return err
		}
	}
	if pendingUnbind != "" {
		d.at(1)
		if _, err := d.svc.CustomerRequestUnbind(d.ctx, uid(pendingUnbind), "希望更换服务商"); err != nil {
			return err
		}
	}
	if pendingSwitch != "" {
		d.at(2)
		if _, err := d.svc.RequestSwitch(d.ctx, p, ids[pendingSwitch].ID, "客户业务扩大，改为顾问销售模式由客户自行付费"); err != nil {
			return err
		}
	}
	return nil
}

// seedCustomers gives 示例云科技, 华东数智分销 and its cloud reseller
// 杭州云启 customers in every state (tens per partner), and the console
// accounts cust_zhang, cust_new, cust_wang and cust_li.
func seedCustomers(ctx context.Context, tx *gorm.DB, w *World) error {
	d := &demoCustomers{ctx: ctx, tx: tx, w: w, now: w.Now, logins: map[string]int64{},
		eco: map[int64]*access.Principal{w.SP: ecoManager(w.Users[EcoManager], EcoManager), w.MD: ecoManager(w.Users[EcoManager], EcoManager),
			w.CR: ecoManager(w.EcoManager2, "eco_manager2")}}
	d.svc = &customer.Service{DB: tx, Clock: clock.NewFixed(d.now)}
	sp, md, cr := admin(w, SPAdmin, w.SP), admin(w, MDAdmin, w.MD), admin(w, CRAdmin, w.CR)

	// 示例云科技 (solution provider).
	if err := d.prospects(sp, [8]string{"上海明德教育科技有限公司", "杭州青禾农业科技有限公司", "赵磊", "南京知行咨询有限公司",
		"宁波海纳贸易有限公司", "合肥启明软件有限公司", "北京博远信息技术有限公司", "深圳星河电子商务有限公司"}, "sp"); err != nil {
		return err
	}
	E, P := customer.KindEnterprise, customer.KindPersonal
	R, C := customer.ModeResale, customer.ModeConsulting
	on, off := customer.ChannelOnline, customer.ChannelOffline
	if err := d.lifecycle(sp, []assoc{
		{CustZhang, "张伟", P, R, on, 28, SPManager1},
		{"yunfeng_net", "上海云峰网络科技有限公司", E, R, on, 60, SPManager1},
		{CustWang, "王芳", P, C, on, 45, SPManager1},
		{"wanxiang_media", "上海万象文化传媒有限公司", E, C, off, 50, SPManager2},
		{"xinhang_edu", "无锡新航教育咨询有限公司", E, R, on, 35, SPManager2},
		{"suzhou_zhizao", "苏州工业园区智造科技有限公司", E, C, on, 25, ""},
		{CustLi, "李娜", P, R, on, 22, ""},
		{"hengtong_jx", "常州恒通机械有限公司", E, C, on, 70, ""},
		{"lanhai_ec", "嘉兴蓝海电商有限公司", E, R, off, 65, SPManager2},
	}, "wanxiang_media", "lanhai_ec", "hengtong_jx", CustWang, CustLi); err != nil {
		return err
	}
	// cust_new: registered today, associated with nobody, with a valid
	// online invitation from 示例云科技 sent an hour ago.
	mobile := d.mobile()
	r, err := d.report(sp, "陈新", P, mobile, "cust_new@demo-customer.cn", 1)
	if err != nil {
		return err
	}
	d.at(1.0 / 24)
	if _, err := d.svc.InviteOnline(ctx, sp, r.ID, r.Email, R); err != nil {
		return err
	}
	if _, err := d.register(CustNew, "陈新", P, mobile, "cust_new@demo-customer.cn", 0.5/24); err != nil {
		return err
	}

	// 华东数智分销 (master distributor).
	if err := d.prospects(md, [8]string{"杭州西溪数码有限公司", "绍兴柯桥纺织进出口有限公司", "钱芳", "温州瓯江鞋业有限公司",
		"金华义乌小商品贸易有限公司", "湖州南浔木业有限公司", "台州路桥汽配有限公司", "舟山海洋渔业科技有限公司"}, "md"); err != nil {
		return err
	}
	if err := d.lifecycle(md, []assoc{
		{"md_xixi_cloud", "杭州西湖云计算服务有限公司", E, R, on, 40, ""},
		{"md_qiantang", "钱塘智慧城市科技有限公司", E, C, off, 33, ""},
		{"md_sunhua", "孙华", P, R, on, 55, ""},
		{"md_liangzhu", "良渚文创设计有限公司", E, C, on, 48, ""},
		{"md_fuchun", "富春江旅游开发有限公司", E, R, on, 30, ""},
	}, "md_liangzhu", "md_sunhua", "", "md_xixi_cloud", "md_fuchun"); err != nil {
		return err
	}

	// 杭州云启 (cloud reseller of 华东数智分销: its customers show on the
	// distributor's 我的客户 tab).
	if err := d.prospects(cr, [8]string{"滨江物联科技有限公司", "萧山跨境电商有限公司", "周杰", "临安山核桃食品有限公司",
		"桐庐快递服务有限公司", "建德新材料有限公司", "余杭未来科技城孵化器有限公司", "淳安千岛湖旅游有限公司"}, "cr"); err != nil {
		return err
	}
	if err := d.lifecycle(cr, []assoc{
		{"cr_binjiang", "滨江智能硬件有限公司", E, R, on, 26, ""},
		{"cr_xiaoshan", "萧山纺织科技有限公司", E, C, on, 38, ""},
		{"cr_wujing", "吴静", P, R, off, 44, ""},
		{"cr_linping", "临平新能源有限公司", E, C, on, 52, ""},
		{"cr_fuyang", "富阳造纸机械有限公司", E, R, on, 31, ""},
	}, "cr_xiaoshan", "cr_wujing", "", "cr_binjiang", "cr_fuyang"); err != nil {
		return err
	}

	// The sweep catches up with expired reports and links.
	d.at(0)
	_, _, err = d.svc.Expire(ctx, d.now)
	return err
}

func fieldsOf(err error) map[string]string {
	if e, ok := apperr.As(err); ok {
		return e.Fields
	}
	return nil
}

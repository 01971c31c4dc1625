package demo

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/files"
	"partnercenter/internal/mdf"
	"partnercenter/internal/platform/clock"
)

func init() { seeders = append(seeders, seedMDF) }

// seedMDF gives 市场发展基金 every state on 示例云科技 (a core solution
// provider with certified business information: ¥500,000): usage
// applications in review, approved with the activity ahead, rejected and
// withdrawn; claims as a draft, in review, approved awaiting the invoice,
// invoiced awaiting payment, paid, and rejected (the usage closed). 华东数智
// (business information not certified) shows 前往商业信息认证. Runs after
// the business information and the programmes.
func seedMDF(ctx context.Context, tx *gorm.DB, w *World) error {
	now := w.Now
	at := func(days int) clock.Clock { return clock.NewFixed(now.Add(-time.Duration(days*24) * time.Hour)) }
	svc := func(days int) mdf.Service { return mdf.Service{DB: tx, Clock: at(days)} }
	eng := func(days int) approval.Engine { return approval.Engine{DB: tx, Clock: at(days)} }
	eco := access.VendorStaff(w.Users[EcoManager], "eco_manager")
	eco.Name = EcoManager
	fin := access.VendorStaff(w.Users[VendorFinance], "finance")
	fin.Name = VendorFinance
	sp := access.Member(w.Users[SPAdmin], w.SP, true)
	sp.Name, sp.PartnerActive = SPAdmin, true
	sp.Identities = []string{access.IdentitySolutionProvider}

	day := func(days int) string { return now.AddDate(0, 0, days).In(clock.China).Format(time.DateOnly) }
	type plan struct {
		ago      int // submitted that many days ago
		at       int // the event, days from now
		typ      string
		name     string
		budget   string
		decision string // approve | reject | withdraw | ""
	}
	apply := func(p plan) (*mdf.Usage, error) {
		in := mdf.UsageInput{ActivityType: p.typ, Name: p.name, Audience: "华东区制造业客户IT负责人", Department: "华东生态发展部",
			Location: "上海", Format: "线下研讨会", Solutions: "示例云数据中台（联营产品）", Budget: p.budget,
			Starts: []string{day(p.at)}, Ends: []string{day(p.at)}, Acknowledged: true}
		// Within 10 working days of the submission: the reason.
		in.LateReason = "客户高层日程临时确定"
		u, err := svc(p.ago).Apply(ctx, sp, in)
		if err != nil {
			return nil, fmt.Errorf("demo MDF %s: %w", p.name, err)
		}
		switch p.decision {
		case "approve":
			_, err = eng(p.ago-1).Approve(ctx, eco, *u.ApplicationID, "活动方案合理")
		case "reject":
			_, err = eng(p.ago-1).Reject(ctx, eco, *u.ApplicationID, "活动类型与目标受众不符，请调整后重新申请")
		case "withdraw":
			_, err = eng(p.ago-1).Withdraw(ctx, sp, *u.ApplicationID)
		}
		return u, err
	}
	pdf := func(name string) []files.Upload {
		return []files.Upload{{Name: name, Data: []byte("%PDF-1.4\n% demo " + name + "\n%%EOF\n")}}
	}
	mats := map[string][]files.Upload{mdf.MatProof: pdf("现场照片.pdf"), mdf.MatReceipt: pdf("盖章水单.pdf"),
		mdf.MatInvoice: pdf("发票扫描件.pdf"), mdf.MatSummary: pdf("活动总结与签到表.pdf")}
	claim := func(u *mdf.Usage, days int, amount string, submit bool) (*mdf.Claim, error) {
		c, err := svc(days).SaveClaim(ctx, sp, u.ID, mdf.ClaimInput{Amount: amount, Summary: "活动按计划举行，到场客户42人。", Uploads: mats})
		if err != nil || !submit {
			return c, err
		}
		return svc(days).SubmitClaim(ctx, sp, c.ID)
	}

	if _, err := apply(plan{ago: 2, at: 20, typ: "customer_seminar", name: "金融行业云原生研讨会", budget: "60000"}); err != nil {
		return err
	}
	if _, err := apply(plan{ago: 5, at: 25, typ: "exhibition", name: "华东数字经济展", budget: "120000", decision: "approve"}); err != nil {
		return err
	}
	if _, err := apply(plan{ago: 30, at: 10, typ: "advertising", name: "地铁灯箱广告", budget: "200000", decision: "reject"}); err != nil {
		return err
	}
	if _, err := apply(plan{ago: 12, at: 15, typ: "collateral", name: "解决方案宣传彩页", budget: "8000", decision: "withdraw"}); err != nil {
		return err
	}
	// Activities that took place: a draft claim, one in review, one to
	// invoice, one to pay, one paid, one rejected.
	draft, err := apply(plan{ago: 40, at: -20, typ: "partner_enablement", name: "渠道伙伴赋能训练营", budget: "30000", decision: "approve"})
	if err != nil {
		return err
	}
	if _, err := svc(5).SaveClaim(ctx, sp, draft.ID, mdf.ClaimInput{Amount: "26000", Uploads: map[string][]files.Upload{mdf.MatProof: pdf("照片.pdf")}}); err != nil {
		return err
	}
	review, err := apply(plan{ago: 50, at: -30, typ: "cxo_visit", name: "客户CXO走进华为（深圳）", budget: "50000", decision: "approve"})
	if err != nil {
		return err
	}
	if _, err := claim(review, 3, "48500", true); err != nil {
		return err
	}
	for i, p := range []plan{
		{ago: 80, at: -60, typ: "joint_marketing", name: "联合营销巡展（杭州站）", budget: "80000", decision: "approve"},
		{ago: 90, at: -70, typ: "customer_seminar", name: "制造业数字化转型沙龙", budget: "40000", decision: "approve"},
		{ago: 100, at: -75, typ: "success_case", name: "标杆客户成功案例制作", budget: "20000", decision: "approve"},
		{ago: 110, at: -80, typ: "digital_marketing", name: "线上直播推广", budget: "15000", decision: "approve"},
	} {
		u, err := apply(p)
		if err != nil {
			return err
		}
		amount := []string{"72600.50", "40000", "18800", "15000"}[i]
		c, err := claim(u, -p.at-10, amount, i != 3)
		if err != nil {
			return err
		}
		if i == 3 {
			// 数媒营销 needs the media summary too.
			if _, err := svc(-p.at-10).SaveClaim(ctx, sp, u.ID, mdf.ClaimInput{Amount: amount, Uploads: map[string][]files.Upload{
				mdf.MatMedia: pdf("媒体宣传总结.pdf")}}); err != nil {
				return err
			}
			if c, err = svc(-p.at-10).SubmitClaim(ctx, sp, c.ID); err != nil {
				return err
			}
			if _, err := eng(-p.at-12).Reject(ctx, eco, *c.ApplicationID, "盖章水单费用类别与实际发生不一致，且未提供确认邮件"); err != nil {
				return err
			}
			continue
		}
		if _, err := eng(-p.at-12).Approve(ctx, eco, *c.ApplicationID, "材料齐全"); err != nil {
			return err
		}
		if i == 0 {
			continue // awaiting the invoice
		}
		inv := pdf("增值税发票.pdf")[0]
		if err := svc(-p.at-15).RegisterInvoice(ctx, sp, c.ID, mdf.InvoiceInput{No: fmt.Sprintf("0440012%04d", i), Amount: amount, File: &inv}); err != nil {
			return err
		}
		if i == 2 {
			if err := svc(-p.at-20).Pay(ctx, fin, c.ID, "CMB-MDF-"+day(p.at+20), fmt.Sprintf("demo-mdf-pay-%012d", c.ID)); err != nil {
				return err
			}
		}
	}
	return nil
}

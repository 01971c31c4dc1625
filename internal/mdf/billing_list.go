package mdf

import (
	"time"

	"partnercenter/internal/platform/money"
	"partnercenter/internal/platform/pdf"
)

// PDF draws the 开票清单 of an approved claim: the company title, tax id,
// bank account and currency from the certified business information and
// the approved amount, which the partner's invoice must match exactly
// (§10.5.14).
func (bl *BillingList) PDF(at time.Time) (name string, data []byte, err error) {
	c, u, info := bl.Claim, bl.Usage, bl.Info
	sh, err := pdf.NewSheet(pdf.Info{Title: "MDF开票清单 " + u.No, Author: "华为云伙伴中心", Subject: "MDF开票清单"}, "MDF 开票清单", at)
	if err != nil {
		return "", nil, err
	}
	sh.Fields([][2]string{
		{"使用申请单号", u.No},
		{"活动名称", u.Name},
		{"开票单位（发票抬头）", info.InvoiceTitle},
		{"纳税人识别号", info.TaxID},
		{"开户银行及账号", info.BankName + " " + info.BranchName + " " + info.AccountNo},
		{"币种", info.Currency},
		{"兑现金额（含税，元）", money.Grouped(c.Amount, 2)},
		{"付款方式", "银行转账至商业信息认证的银行账户"},
	})
	sh.Y += 18
	sh.Notes(10, 15,
		"发票上的公司抬头、税号、金额、币种等必须与本清单保持一致，如不一致将无法进行报销。",
		"MDF额度包含税率；兑现申报金额不得超过使用申请预算，超出部分由合作伙伴自行承担。",
		"同一场营销活动不可以拆开报销，包括但不限于以下场景：多人报销/多次报销/在多个计划中报销。",
		"发票号：____________________________",
	)
	data, err = sh.Bytes()
	return "MDF开票清单-" + u.No + ".pdf", data, err
}

package contract

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/files"
	"partnercenter/internal/ledger"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
)

// AgreementName is the name of the online payment agreement.
const AgreementName = "华为云付款协议"

// Verified reports whether a partner counts as real-name verified for
// signing online (see the package comment): an active tenant with a valid
// credit code.
func Verified(p *partner.Partner) bool {
	return p != nil && p.Status == partner.StatusActive && partner.ValidCreditCode(p.CreditCode)
}

// EntityAt is the partner's signing entity at instant t (§12.1.9.4): the
// new entity from signing_entity_changed_at on.
func EntityAt(changedAt *time.Time, t time.Time) string {
	if changedAt != nil && !changedAt.After(t) {
		return EntityCloud
	}
	return EntitySoftware
}

// Parties are the facts the agreement's terms are written from.
type Parties struct {
	Company    string
	CreditCode string
	Address    string
	Entity     string // EntitySoftware | EntityCloud
	AccountNo  string // the partner's dedicated recharge account (R18)
	Date       time.Time
}

// Terms is the text of the 华为云付款协议 for the parties: a heading line per
// article followed by its paragraphs. It is the document (Chinese is the
// binding language), not interface text.
func Terms(pt Parties) []string {
	entity := EntityName(pt.Entity)
	return []string{
		"甲方（付款方）：" + pt.Company,
		"统一社会信用代码：" + pt.CreditCode,
		"乙方（收款方）：" + entity,
		"",
		"鉴于甲方作为华为云合作伙伴，在华为云伙伴中心为自身及其名下代售类客户购买华为云服务并支付款项，双方经友好协商，就付款事宜达成如下协议：",
		"第一条 付款方式",
		"1.1 甲方通过银行转账汇款方式将款项支付至乙方为甲方开立的专属汇款账号：" + pt.AccountNo + "。该账号仅用于甲方向乙方付款，款项到账后计入甲方在华为云的账户余额。",
		"1.2 甲方汇款时应以甲方名义（" + pt.Company + "）付款，付款账户名称与甲方实名认证主体不一致的，乙方有权退回款项。",
		"第二条 款项用途",
		"2.1 甲方账户余额可用于支付甲方自身的云服务消费，以及向甲方名下代售类客户拨款。拨款后的余额计入客户账户，由客户消费使用。",
		"2.2 甲方申请提现的，乙方按原路退回的规则将款项退回至与充值来源一致的账户。",
		"第三条 账单与发票",
		"3.1 乙方按月出具伙伴账单，计费金额按应付金额截断至分，分以下金额抹零。账单仅通知消费金额，实际交易主体以发票、合同为准。",
		"3.2 乙方就甲方实际现金消费部分向甲方开具增值税发票，开票主体为" + entity + "。",
		"第四条 签约主体",
		"4.1 本协议的签约主体为" + entity + "。华为云签约主体发生变更的，以伙伴中心公告及双方签署的新协议为准，变更前已发生的消费仍由原签约主体开票。",
		"第五条 保密与合规",
		"5.1 双方对在履行本协议过程中知悉的对方商业信息负有保密义务，并遵守《合作伙伴行为准则》与《合作伙伴廉洁诚信承诺书》。",
		"第六条 协议生效与终止",
		"6.1 本协议经甲方在伙伴中心在线勾选“我已阅读并同意本协议”并提交后生效，与书面签署具有同等法律效力。",
		"6.2 本协议长期有效；任何一方违反本协议约定的，守约方有权书面通知终止本协议。协议终止不影响终止前已发生的款项结算。",
		"第七条 争议解决",
		"7.1 本协议适用中华人民共和国法律。因本协议产生的争议，双方应友好协商解决；协商不成的，提交乙方所在地有管辖权的人民法院诉讼解决。",
		"",
		"甲方地址：" + orDash(pt.Address),
		"签署日期：" + pt.Date.In(clock.China).Format("2006年01月02日"),
	}
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

// Draft is what the 华为云付款协议 page shows before signing.
type Draft struct {
	Parties  Parties
	Terms    []string
	Verified bool
	// Current is the payment agreement in effect with the current signing
	// entity, if any (signing again is refused).
	Current *Contract
}

// Draft prepares the agreement for the member's tenant at the current
// instant.
func (s Service) Draft(ctx context.Context, p *access.Principal) (_ *Draft, err error) {
	defer apperr.Wrap(&err, "contract.Draft")
	partnerID, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	return s.draft(ctx, s.DB, partnerID)
}

func (s Service) draft(ctx context.Context, g *gorm.DB, partnerID int64) (*Draft, error) {
	p, err := partner.Store{DB: g}.Get(ctx, partnerID)
	if err != nil {
		return nil, err
	}
	now := s.Clock.Now().UTC()
	pt := Parties{Company: p.Name, CreditCode: p.CreditCode, Address: p.Address,
		Entity: EntityAt(p.SigningEntityChangedAt, now), AccountNo: ledger.RechargeAccountNo(partnerID), Date: now}
	d := &Draft{Parties: pt, Terms: Terms(pt), Verified: Verified(p)}
	cur, err := s.take(baseOn(ctx, g).Where(`c.partner_id = ? AND c.kind = 'online'
		AND c.contract_type = 'payment_agreement' AND c.status = 'active' AND c.signing_entity = ?`, partnerID, pt.Entity))
	if err != nil && !apperr.Is(err, apperr.KindNotFound) {
		return nil, err
	}
	d.Current = cur
	return d, nil
}

// SignPaymentAgreement generates and signs the 华为云付款协议 for the
// principal's tenant (§12.1.9.4 申请线上合同, §12.1.9.6 step 4): only the
// main account of a real-name verified partner, only after ticking 我已阅读
// 并同意本协议, and only when no payment agreement is in effect with the
// current signing entity. It stores the terms, the generated PDF and an
// audit row in one transaction.
func (s Service) SignPaymentAgreement(ctx context.Context, pr *access.Principal, agreed bool) (_ *Contract, err error) {
	defer apperr.Wrap(&err, "contract.SignPaymentAgreement")
	partnerID, err := pr.Tenant()
	if err != nil {
		return nil, err
	}
	if !pr.IsMain {
		return nil, apperr.Forbidden()
	}
	var out Contract
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		// Serialize signings of one tenant: the check below and the insert
		// see the same state (the partial unique index backs it up).
		if err := (partner.Store{DB: tx}).Lock(ctx, partnerID, "UPDATE"); err != nil {
			return err
		}
		d, err := s.draft(ctx, tx, partnerID)
		if err != nil {
			return err
		}
		if !d.Verified {
			return apperr.Invalid("contract.err.not_verified")
		}
		if d.Current != nil {
			return apperr.Conflict("contract.err.already_signed", map[string]any{"Code": d.Current.Code})
		}
		if !agreed {
			return apperr.FieldError("agree", "contract.err.agree_required")
		}
		var seq int64
		if err := tx.Raw(`SELECT nextval('contract_code_seq')`).Scan(&seq).Error; err != nil {
			return err
		}
		now := d.Parties.Date
		code := fmt.Sprintf("HWCP-%s-%06d", now.In(clock.China).Format("20060102"), seq%1000000)
		c := Contract{PartnerID: partnerID, Kind: KindOnline, Code: code, Name: AgreementName,
			ContractType: TypePaymentAgreement, SigningEntity: d.Parties.Entity, Status: StateActive,
			SignedAt: &now, SignedBy: &pr.UserID, Terms: strings.Join(d.Terms, "\n"), CreatedBy: &pr.UserID, CreatedAt: now}
		start := clock.ChinaDate(now)
		c.StartsOn = &start
		pdfBytes, err := AgreementPDF(c, d.Parties, d.Terms)
		if err != nil {
			return err
		}
		fid, _, err := files.Save(ctx, tx, files.Upload{PartnerID: partnerID, UserID: pr.UserID, Name: code + ".pdf",
			Data: pdfBytes, At: now}, []string{files.PDF}, files.MaxSize, "agree")
		if err != nil {
			return err
		}
		c.FileID = &fid
		if err := tx.Omit("State", "PartnerName", "PartnerCode", "FileName").Create(&c).Error; err != nil {
			if _, dup := db.IsUniqueViolation(err); dup {
				return apperr.Conflict("contract.err.already_signed", map[string]any{"Code": ""})
			}
			return err
		}
		if err := audit.Record(ctx, tx, audit.Change{PartnerID: partnerID, Action: "contract.sign", ObjectType: "contract",
			ObjectID: c.ID, After: map[string]any{"code": c.Code, "name": c.Name, "signing_entity": c.SigningEntity,
				"recharge_account_no": d.Parties.AccountNo, "file_id": fid, "status": c.Status}}); err != nil {
			return err
		}
		c.State = StateActive
		out = c
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

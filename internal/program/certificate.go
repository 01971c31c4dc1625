package program

import (
	"context"
	"fmt"
	"sort"
	"time"

	"partnercenter/internal/access"
	"partnercenter/internal/contract"
	"partnercenter/internal/onboarding"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/pdf"
)

// certificateTitles are the certificates' titles (§5.1.5, §5.2.3).
var certificateTitles = map[string]string{
	SolutionProvider:  "华为云解决方案提供商证书",
	MasterDistributor: "华为云分销计划（总经销商）证书",
	CloudReseller:     "华为云分销计划（云经销商）证书",
}

// Certificate draws the certificate of an active membership of the
// actor's tenant (下载证书, §5.1.5): its file name and PDF bytes. An
// ended membership has none (404).
func (s Service) Certificate(ctx context.Context, p *access.Principal, id int64) (name string, data []byte, err error) {
	defer apperr.Wrap(&err, "program.Certificate(%d)", id)
	m, err := s.Membership(ctx, p, id)
	if err != nil {
		return "", nil, err
	}
	if m.Status != StateActive || m.CertificateNo == nil {
		return "", nil, apperr.NotFound()
	}
	pt, err := partner.Store{DB: s.DB}.Get(ctx, m.PartnerID)
	if err != nil {
		return "", nil, err
	}
	data, err = CertificatePDF(m, pt, s.now())
	return *m.CertificateNo + ".pdf", data, err
}

// CertificatePDF draws a membership's certificate: title, holder, credit
// code, program details, number and validity.
func CertificatePDF(m *Membership, pt *partner.Partner, at time.Time) ([]byte, error) {
	title := certificateTitles[m.Program]
	d, err := pdf.New(pdf.Info{Title: title + " " + pt.Name, Author: "华为云伙伴中心", Subject: title})
	if err != nil {
		return nil, err
	}
	d.SetCreated(at)
	page := d.AddPage()
	const margin = 48.0
	page.Rect(margin, margin, pdf.PageWidth-2*margin, 700, 1.2)
	page.Rect(margin+6, margin+6, pdf.PageWidth-2*margin-12, 688, 0.4)
	y := 150.0
	page.TextCenter(pdf.PageWidth/2, y, 24, title)
	y += 60
	page.TextCenter(pdf.PageWidth/2, y, 12, "兹证明")
	y += 40
	page.TextCenter(pdf.PageWidth/2, y, 18, pt.Name)
	y += 28
	page.TextCenter(pdf.PageWidth/2, y, 10, "统一社会信用代码："+pt.CreditCode)
	y += 44
	body := "已加入" + programName(m) + "，特发此证。"
	for _, line := range d.Wrap(12, pdf.PageWidth-2*margin-80, body) {
		page.TextCenter(pdf.PageWidth/2, y, 12, line)
		y += 20
	}
	y += 40
	left := margin + 90
	rows := [][2]string{{"证书编号", deref(m.CertificateNo)}}
	if m.Level != "" {
		rows = append(rows, [2]string{"等级", map[string]string{"core": "核心级", "leading": "领先级"}[m.Level]})
	}
	if m.Program == MasterDistributor {
		kind := map[string]string{MDNational: "全国型", MDRegional: "区域型"}[m.MDType]
		if m.RegionClass != nil {
			kind += "（" + [...]string{"", "一类", "二类", "三类"}[*m.RegionClass] + "区域）"
		}
		rows = append(rows, [2]string{"总经销商类型", kind})
	}
	if m.JoinedAt != nil {
		rows = append(rows, [2]string{"加入日期", m.JoinedAt.In(clock.China).Format("2006年01月02日")})
	}
	if m.ValidUntil != nil {
		rows = append(rows, [2]string{"有效期至", m.ValidUntil.Format("2006年01月02日")})
	}
	for _, r := range rows {
		page.Text(left, y, 11, r[0]+"：")
		page.Text(left+110, y, 11, r[1])
		y += 24
	}
	page.TextRight(pdf.PageWidth-margin-40, 680, 11, "华为云计算技术有限公司")
	page.TextRight(pdf.PageWidth-margin-40, 700, 10, "签发日期："+at.In(clock.China).Format("2006年01月02日"))
	return d.Bytes()
}

func programName(m *Membership) string {
	switch m.Program {
	case SolutionProvider:
		return "华为云解决方案提供商计划"
	case MasterDistributor:
		return "华为云分销计划（总经销商）"
	}
	return "华为云分销计划（云经销商）"
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// Agreement is a row of 已签署协议 (§12.3.11, G§4.6).
type Agreement struct {
	Code     string
	NameKey  string // catalog key of the agreement's name
	Entity   string // the signing entity's legal name
	Active   bool   // 生效中, else 已终止
	SignedAt time.Time
	// Link opens its detail ("" when it has none); LinkRoute is the route
	// key the link needs (the page shows it only to who may open it).
	Link, LinkRoute string
}

// agreementNames are the program agreements (inferred names).
var agreementNames = map[string]string{
	SolutionProvider:  "program.agreement.solution_provider",
	MasterDistributor: "program.agreement.master_distributor",
	CloudReseller:     "program.agreement.cloud_reseller",
	PCE:               "program.agreement.pce",
}

// Agreements lists every agreement the actor's tenant accepted: the four
// onboarding agreements (§3.2) at its joining of HCPN, its program
// agreements (one per membership that was ever active), and its online
// payment agreement (contracts), newest first.
func (s Service) Agreements(ctx context.Context, p *access.Principal) (_ []Agreement, err error) {
	defer apperr.Wrap(&err, "program.Agreements")
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	pt, err := partner.Store{DB: s.DB}.Get(ctx, pid)
	if err != nil {
		return nil, err
	}
	entityAt := func(t time.Time) string {
		if pt.SigningEntityChangedAt != nil && !t.Before(*pt.SigningEntityChangedAt) {
			return contract.EntityName(contract.EntityCloud)
		}
		return contract.EntityName(contract.EntitySoftware)
	}
	var out []Agreement
	list, err := contract.Service{DB: s.DB, Clock: s.Clock}.ForPartner(ctx, p, contract.Filter{Kind: contract.KindOnline, Per: 100})
	if err != nil && !apperr.Is(err, apperr.KindForbidden) {
		return nil, err
	}
	if list != nil {
		for _, c := range list.Rows {
			if c.SignedAt == nil {
				continue
			}
			out = append(out, Agreement{Code: c.Code, NameKey: "contract.type." + c.ContractType, Entity: contract.EntityName(c.SigningEntity),
				Active: c.State == contract.StateActive, SignedAt: *c.SignedAt,
				Link: fmt.Sprintf("/billing/contracts/%d", c.ID), LinkRoute: "GET /billing/contracts/:id"})
		}
	}
	ms, err := memberships(ctx, s.DB, pid)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		if m.JoinedAt == nil || m.CertificateNo == nil {
			continue
		}
		out = append(out, Agreement{Code: *m.CertificateNo, NameKey: agreementNames[m.Program], Entity: entityAt(*m.JoinedAt),
			Active: m.Status == StateActive, SignedAt: *m.JoinedAt,
			Link: "/plans?tab=joined", LinkRoute: "GET /plans"})
	}
	if pt.JoinedHCPNAt != nil {
		for i, a := range onboarding.Agreements {
			out = append(out, Agreement{Code: agreementCode(pt.ID, i+1), NameKey: "onboarding.agreement." + a,
				Entity: entityAt(*pt.JoinedHCPNAt), Active: pt.Status == partner.StatusActive, SignedAt: *pt.JoinedHCPNAt})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].SignedAt.After(out[j].SignedAt) })
	return out, nil
}

func agreementCode(partnerID int64, n int) string { return fmt.Sprintf("HCPN-%08d-%02d", partnerID, n) }

package web

import (
	"context"
	"fmt"
	"net/url"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/demo"
	"partnercenter/internal/files"
)

var (
	oldBusinessOnce sync.Once
	oldBusiness     int64
)

// oldBusinessInfo is a past (superseded) submission of 示例云科技 with a
// bank-letter draft: downloadable by its tenant, and a state no vendor
// action applies to (the actions answer 409 and change nothing).
func oldBusinessInfo(t *testing.T, env *testEnv) int64 {
	t.Helper()
	oldBusinessOnce.Do(func() {
		err := env.DB.Transaction(func(tx *gorm.DB) error {
			fid, _, err := files.Save(context.Background(), tx, files.Upload{PartnerID: env.World.SP, UserID: env.World.Users[demo.SPAdmin],
				Name: "银行函草稿.pdf", Data: []byte("%PDF-1.4 old draft"), At: time.Now()}, []string{files.PDF}, files.MaxSize, "letter")
			if err != nil {
				return err
			}
			return tx.Raw(`INSERT INTO business_infos (partner_id, status, supplier_name, bank_name, account_no, branch_name, branch_no,
				account_name, taxpayer_type, invoice_title, tax_id, invoice_address, invoice_phone, finance_name, finance_mobile,
				finance_email, random_amount, letter_draft_file_id, submitted_at, updated_at)
				SELECT id, 'superseded', name, '旧银行', '6222000011112222', '旧分行', '102100000001', name, 'general', name, credit_code,
				       '旧地址', '010-1234567', '旧联系人', '13800000000', 'old@example.cn', 0.11, ?, now() - interval '400 days', now()
				FROM partners WHERE id = ? RETURNING id`, fid, env.World.SP).Scan(&oldBusiness).Error
		})
		if err != nil {
			t.Fatal(err)
		}
	})
	return oldBusiness
}

// 伙伴信息 > 商业信息: the main accounts (every item); members hold no
// 商业信息 item by default (seed 003 §7.1.1). 财务 > 商业信息审核: vendor
// finance only, which the matrix's accounts do not include.
func init() {
	foreign := []string{demo.MDAdmin, demo.CRAdmin}
	matrixRow("GET /profile/business", matrixCase{allow: partnerAdmins})
	matrixRow("POST /profile/business", matrixCase{allow: partnerAdmins}) // nothing filled in: refused as input
	matrixRow("POST /profile/business/letter", matrixCase{allow: partnerAdmins})
	matrixRow("GET /profile/business/:id/files/:which", matrixCase{target: func(t *testing.T, env *testEnv, _ string) string {
		return fmt.Sprintf("/profile/business/%d/files/draft", oldBusinessInfo(t, env))
	}, allow: []string{demo.SPAdmin}, notFound: foreign})

	vendorOnly := "only vendor finance holds the item, and it reviews every partner's business information"
	matrixRow("GET /finance/business-infos", matrixCase{})
	target := func(suffix string) func(*testing.T, *testEnv, string) string {
		return func(t *testing.T, env *testEnv, _ string) string {
			return fmt.Sprintf("/finance/business-infos/%d%s", oldBusinessInfo(t, env), suffix)
		}
	}
	matrixRow("GET /finance/business-infos/:id", matrixCase{target: target(""), unscoped: vendorOnly})
	matrixRow("GET /finance/business-infos/:id/files/:which", matrixCase{target: target("/files/draft"), unscoped: vendorOnly})
	matrixRow("POST /finance/business-infos/:id/decide", matrixCase{target: target("/decide"), unscoped: vendorOnly,
		form: url.Values{"decision": {"certify"}}})
	matrixRow("POST /finance/business-infos/:id/letter-draft", matrixCase{target: target("/letter-draft"), unscoped: vendorOnly})
	matrixRow("POST /finance/business-infos/:id/letter", matrixCase{target: target("/letter"), unscoped: vendorOnly,
		form: url.Values{"decision": {"accept"}}})
	matrixRow("POST /finance/business-infos/:id/taxpayer", matrixCase{target: target("/taxpayer"), unscoped: vendorOnly,
		form: url.Values{"taxpayer_type": {"general"}}})
}

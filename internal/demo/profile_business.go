package demo

import (
	"context"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"partnercenter/internal/bizinfo"
	"partnercenter/internal/files"
	"partnercenter/internal/partner"
)

func init() { seeders = append(seeders, seedBusinessInfo) }

// seedBusinessInfo shows 商业信息认证 (build-plan 1.B) in its states:
// 示例云科技 certified (after a superseded first certification and a failed
// attempt), 华东数智 waiting to upload its bank letter (its bank details
// differ from the vendor's supplier record), 杭州云启 with its stamped
// letter under review, and 示例云科技's service-path sibling account with
// an account name that needs a person (pending manual review). The
// transient states (verifying automatically, bank letter to be drafted)
// appear a minute after any submission.
func seedBusinessInfo(ctx context.Context, tx *gorm.DB, w *World) error {
	now := w.Now
	pt := func(id int64) (*partner.Partner, error) { return partner.Store{DB: tx}.Get(ctx, id) }
	info := func(p *partner.Partner, status, bank, account string, at time.Time) *bizinfo.Info {
		main := w.Users[SPAdmin]
		switch p.ID {
		case w.MD:
			main = w.Users[MDAdmin]
		case w.CR:
			main = w.Users[CRAdmin]
		}
		return &bizinfo.Info{PartnerID: p.ID, Status: status, SupplierName: p.Name, BankName: bank, AccountNo: account,
			BranchName: bank + "上海分行", BranchNo: "308290003020", AccountName: p.Name, Currency: "CNY",
			TaxpayerType: bizinfo.TaxpayerGeneral, InvoiceTitle: p.Name, TaxID: p.CreditCode, InvoiceAddress: p.Address,
			InvoicePhone: "021-50001234", FinanceName: "赵会计", FinanceMobile: "13800000099", FinanceEmail: "finance@example.cn",
			RandomAmount: decimal.RequireFromString("0.37"), SubmittedBy: &main, SubmittedAt: at, UpdatedAt: at}
	}
	sp, err := pt(w.SP)
	if err != nil {
		return err
	}
	first := info(sp, bizinfo.StateSuperseded, "中国工商银行", "1001234509876543", now.AddDate(-1, -6, 0))
	first.CertifiedAt = &first.SubmittedAt
	failed := info(sp, bizinfo.StateFailed, "招商银行", "755900001111", now.AddDate(0, -7, 0))
	failed.FailureReason = "开户银行与分行号不匹配，请核对后重新认证。"
	current := info(sp, bizinfo.StateCertified, "招商银行", "755912345678901", now.AddDate(0, -6, -20))
	certified := now.AddDate(0, -6, -20).Add(2 * time.Hour)
	current.CertifiedAt = &certified
	for _, i := range []*bizinfo.Info{first, failed, current} {
		i.InvoiceAddress = "上海市浦东新区张江高科技园区博云路2号"
		if err := tx.Create(i).Error; err != nil {
			return err
		}
	}

	// 华东数智: a vendor supplier whose record names another account.
	md, err := pt(w.MD)
	if err != nil {
		return err
	}
	if err := tx.Exec(`INSERT INTO supplier_bank_records (credit_code, supplier_name, bank_name, account_no, branch_no, account_name)
		VALUES (?, ?, '中国银行', '601234567890', '104331000013', ?)`, md.CreditCode, md.Name, md.Name).Error; err != nil {
		return err
	}
	mdInfo := info(md, bizinfo.StateLetterPending, "杭州银行", "3301040160001234567", now.AddDate(0, 0, -3))
	mdInfo.InvoiceAddress, mdInfo.FailureKey = "浙江省杭州市西湖区文三路90号", "bizinfo.fail.supplier_mismatch"
	draft, err := bizinfo.LetterPDF(mdInfo, md, now.AddDate(0, 0, -2))
	if err != nil {
		return err
	}
	fid, _, err := files.Save(ctx, tx, files.Upload{PartnerID: md.ID, UserID: w.Users[VendorFinance], Name: "银行函草稿-" + md.Name + ".pdf",
		Data: draft, At: now.AddDate(0, 0, -2)}, []string{files.PDF}, files.MaxSize, "letter")
	if err != nil {
		return err
	}
	mdInfo.LetterDraftFileID = &fid
	if err := tx.Create(mdInfo).Error; err != nil {
		return err
	}

	// 杭州云启: its stamped letter under review, due in 3 working days.
	cr, err := pt(w.CR)
	if err != nil {
		return err
	}
	crInfo := info(cr, bizinfo.StateLetterReview, "中国建设银行", "33050161000000001234", now.AddDate(0, 0, -6))
	crInfo.InvoiceAddress = "浙江省杭州市滨江区网商路599号"
	letter, _, err := files.Save(ctx, tx, files.Upload{PartnerID: cr.ID, UserID: w.Users[CRAdmin], Name: "银行函（盖章）.pdf",
		Data: demoPDF, At: now.AddDate(0, 0, -2)}, files.Documents, files.MaxSize, "letter")
	if err != nil {
		return err
	}
	due := now.AddDate(0, 0, 3)
	crInfo.LetterFileID, crInfo.LetterDueAt = &letter, &due
	if err := tx.Create(crInfo).Error; err != nil {
		return err
	}

	// The service-path sibling: an account name with a space, equal to the
	// company's only once normalised — a person decides.
	if sib := w.Users[SPServiceAdmin]; sib != 0 {
		var sibling int64
		if err := tx.Raw(`SELECT partner_id FROM users WHERE id = ?`, sib).Scan(&sibling).Error; err != nil {
			return err
		}
		sp2, err := pt(sibling)
		if err != nil {
			return err
		}
		manual := info(sp2, bizinfo.StatePendingManual, "交通银行", "310066726018800012345", now.Add(-5*time.Hour))
		manual.AccountName, manual.SubmittedBy = "示例云科技 有限公司", &sib
		manual.InvoiceAddress = "上海市浦东新区张江高科技园区博云路2号"
		if err := tx.Create(manual).Error; err != nil {
			return err
		}
	}
	return nil
}

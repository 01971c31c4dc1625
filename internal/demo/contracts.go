package demo

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/contract"
	"partnercenter/internal/identity"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/pdf"
)

func init() { seeders = append(seeders, seedContracts) }

// seedContracts gives 账务 > 合同商务 every state: 示例云科技 has signed the
// 华为云付款协议 (online, 生效中, with its PDF); the master distributor 华东数智
// has offline contracts of its own and its cloud reseller 杭州云启 has some
// too (§12.3.11), in effect, expired and terminated, one with a scanned PDF.
// The distributor has no payment agreement (the browser journey signs
// one); the second account of 示例云科技 (sp_service_admin) has no contract.
func seedContracts(ctx context.Context, tx *gorm.DB, w *World) error {
	now := w.Now
	signedAt := now.AddDate(0, 0, -40).Truncate(time.Hour).Add(-2 * time.Hour)
	s := contract.Service{DB: tx, Clock: clock.NewFixed(signedAt)}
	sp := &access.Principal{UserID: w.Users[SPAdmin], PartnerID: w.SP, IsMain: true, PartnerActive: true}
	if _, err := s.SignPaymentAgreement(ctx, sp, true); err != nil {
		return fmt.Errorf("demo payment agreement: %w", err)
	}

	vendor := access.VendorStaff(w.Users[VendorAdmin], identity.VendorAdmin)
	staff := contract.Service{DB: tx, Clock: clock.NewFixed(now.AddDate(0, 0, -30))}
	today := now.In(clock.China)
	day := func(years, months, days int) string { return today.AddDate(years, months, days).Format(time.DateOnly) }
	scan, err := demoScan()
	if err != nil {
		return err
	}
	rows := []struct {
		pid                     int64
		code, name, typ, entity string
		amount, start, end      string
		scan                    bool
		terminate               string
	}{
		{w.MD, "HDSZ-2025-FZ-001", "华为云经销商发展合作协议", contract.TypeResellerDevelopment, contract.EntityCloud, "", day(0, -6, 0), day(1, 6, 0), true, ""},
		{w.MD, "HDSZ-2025-QK-007", "华为云请款合同（2025年第一季度）", contract.TypePaymentRequest, contract.EntityCloud, "500,000.00", day(0, -8, 0), day(0, -2, 0), false, ""},
		{w.MD, "HDSZ-2024-KJ-002", "华为云分销框架协议", contract.TypeFramework, contract.EntitySoftware, "2,000,000.00", day(-1, -3, 0), day(1, 0, 0), false, "双方协商一致，由新框架协议替代"},
		{w.CR, "YQWL-2025-FZ-003", "华为云经销商发展合作协议（云经销商）", contract.TypeResellerDevelopment, contract.EntityCloud, "", day(0, -4, 0), day(1, 8, 0), true, ""},
		{w.CR, "YQWL-2025-QK-011", "华为云请款合同（杭州云启）", contract.TypePaymentRequest, contract.EntityCloud, "80,000.00", day(0, -5, 0), day(0, 0, -10), false, ""},
		{w.CR, "YQWL-2024-QT-004", "华为云联合营销补充协议", contract.TypeOther, contract.EntitySoftware, "12,500.50", day(-1, 0, 0), day(0, 10, 0), false, "云经销商业务调整"},
	}
	for _, r := range rows {
		in := contract.OfflineInput{PartnerID: fmt.Sprint(r.pid), Code: r.code, Name: r.name, Type: r.typ, Entity: r.entity,
			Amount: r.amount, StartsOn: r.start, EndsOn: r.end}
		if r.scan {
			in.Scan = &contract.Upload{Name: r.code + "-扫描件.pdf", Data: scan}
		}
		c, err := staff.CreateOffline(ctx, vendor, in)
		if err != nil {
			return fmt.Errorf("demo offline contract %s: %w", r.code, err)
		}
		if r.terminate != "" {
			if err := staff.Terminate(ctx, vendor, c.ID, r.terminate); err != nil {
				return err
			}
		}
	}
	return nil
}

// demoScan stands in for a scanned paper contract.
func demoScan() ([]byte, error) {
	d, err := pdf.New(pdf.Info{Title: "线下合同扫描件"})
	if err != nil {
		return nil, err
	}
	p := d.AddPage()
	p.TextCenter(pdf.PageWidth/2, 120, 20, "线下合同扫描件（演示）")
	p.Rect(72, 160, pdf.PageWidth-144, 500, 1)
	p.TextCenter(pdf.PageWidth/2, 420, 12, "此处为纸质合同扫描页")
	return d.Bytes()
}

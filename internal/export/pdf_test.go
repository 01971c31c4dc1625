package export

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"partnercenter/internal/bill/billtest"
	"partnercenter/internal/platform/dbtest"
)

// longText repeats a Chinese phrase to n runes (product and resource types
// hold up to 100).
func longText(n int, tag string) string {
	r := []rune(strings.Repeat("弹性云服务器超大规格通用计算增强型实例", n/19+1))
	return tag + string(r[:n-len([]rune(tag))])
}

// TestPDFBillTextNeverOverlaps: a bill with the largest amounts of every
// sign (±9999999999.99 in every column, 欠费金额 and 折扣优惠 included),
// an 8-decimal 抹零, the longest product and resource types and enough
// lines to break pages: no two texts overlap, none leaves the page or its
// cell, in Chinese and in English, and the Chinese reads back.
func TestPDFBillTextNeverOverlaps(t *testing.T) {
	g := dbtest.DB(t)
	tn := billtest.NewTenant(t, g, 1)
	const period = "2024-06"
	row := func(typ, tag, lp, disc, arrears string) billtest.Row {
		return billtest.Row{Customer: tn.Customers[0], Period: period, Type: typ, Product: longText(100, tag), Resource: longText(100, tag),
			BillingMode: "yearly_monthly", ListPrice: lp, Discount: disc, Arrears: arrears}
	}
	billtest.Insert(t, g, tn.ID,
		row("consumption", "C", "19999999999.98", "9999999999.99", "9999999999.99"),
		row("refund", "R", "-19999999999.98", "-9999999999.99", "-9999999999.99"),
		row("adjustment", "A", "-9999999999.12345678", "0", "0"),
	)
	for i := 0; i < 70; i++ { // more lines than a page holds
		billtest.Insert(t, g, tn.ID, row("consumption", fmt.Sprintf("P%02d", i), "9999999.12345678", "0.00000001", "0"))
	}
	now := time.Date(2024, 7, 1, 10, 0, 0, 0, time.UTC)
	for _, lang := range []string{"zh-CN", "en-US"} {
		t.Run(lang, func(t *testing.T) {
			task := &Task{PartnerID: tn.ID, UserID: tn.UserID, Kind: KindBillPDF,
				ParamsJSON: []byte(fmt.Sprintf(`{"period":%q,"lang":%q}`, period, lang))}
			doc, err := billDoc(context.Background(), g, task, time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC), now)
			if err != nil {
				t.Fatal(err)
			}
			if err := doc.CheckLayout(); err != nil {
				t.Error(err)
			}
			if doc.PageCount() < 2 {
				t.Errorf("73 tall lines should need more than one page, got %d", doc.PageCount())
			}
			for _, want := range []*regexp.Regexp{
				regexp.MustCompile(`^-9999999999\.99$`),  // a refund line's amounts
				regexp.MustCompile(`^9999999999\.99$`),   // 欠费金额 and 折扣优惠 of the consumption line
				regexp.MustCompile(`^¥-9999999999\.99$`), // 退款金额 in the overview
				regexp.MustCompile(`^¥-?\d+\.\d{8}$`),    // 抹零 with 8 decimals
			} {
				n := 0
				for _, b := range doc.Boxes() {
					if want.MatchString(b.Text) {
						n++
					}
				}
				if n == 0 {
					t.Errorf("no text matching %s drawn (amounts must shrink, not wrap, at this size)", want)
				}
			}
			if lang != "zh-CN" {
				return
			}
			b, err := doc.Bytes()
			if err != nil {
				t.Fatal(err)
			}
			f := filepath.Join(t.TempDir(), "bill.pdf")
			if err := os.WriteFile(f, b, 0o600); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command("pdftotext", "-enc", "UTF-8", f, "-").CombinedOutput()
			if err != nil {
				t.Fatalf("pdftotext (poppler-utils; .ci/run and make setup install it): %v\n%s", err, out)
			}
			for _, want := range []string{"伙伴账单 2024-06", tn.Name, "欠费金额", "折扣优惠", "9999999999.99"} {
				if !strings.Contains(string(out), want) {
					t.Errorf("PDF text lacks %q:\n%.2000s", want, out)
				}
			}
		})
	}
}

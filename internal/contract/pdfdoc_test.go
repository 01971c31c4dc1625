package contract

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"partnercenter/internal/ledger"
)

// TestAgreementTextNeverOverlaps: with the longest company name a partner
// can have (200 characters) and address, the parties table, the articles
// and the signing record wrap instead of running into each other or off
// the page, the footers stay clear of the text on every page, and the
// Chinese reads back through pdftotext.
func TestAgreementTextNeverOverlaps(t *testing.T) {
	long := func(n int) string {
		r := []rune(strings.Repeat("新疆维吾尔自治区乌鲁木齐云计算科技股份有限公司", n/20+1))
		return string(r[:n])
	}
	signed := time.Date(2025, 12, 31, 15, 59, 59, 0, time.UTC)
	for _, company := range []string{"示例云科技有限公司", long(200)} {
		pt := Parties{Company: company, CreditCode: "91110000MA01ABCD2X", Address: long(200), Entity: EntityCloud,
			AccountNo: ledger.RechargeAccountNo(99999999999), Date: signed}
		c := Contract{Code: "HWCP-20260101-999999", SigningEntity: EntityCloud, SignedAt: &signed}
		d, err := agreementDoc(c, pt, Terms(pt))
		if err != nil {
			t.Fatal(err)
		}
		if err := d.CheckLayout(); err != nil {
			t.Errorf("company of %d runes: %v", len([]rune(company)), err)
		}
		b, err := d.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		f := filepath.Join(t.TempDir(), "a.pdf")
		if err := os.WriteFile(f, b, 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("pdftotext", "-enc", "UTF-8", f, "-").CombinedOutput()
		if err != nil {
			t.Fatalf("pdftotext (poppler-utils; .ci/run and make setup install it): %v\n%s", err, out)
		}
		text := strings.ReplaceAll(string(out), "\n", "")
		for _, want := range []string{"华为云付款协议", "华为云计算技术有限公司", pt.AccountNo, c.Code, "我已阅读并同意本协议", "签署时间：2025-12-31 23:59:59", "page 1"} {
			if !strings.Contains(text, want) {
				t.Errorf("PDF text lacks %q:\n%s", want, out)
			}
		}
		if company == "示例云科技有限公司" && !strings.Contains(text, "甲方（盖章）：示例云科技有限公司") {
			t.Errorf("PDF text lacks the signing party:\n%s", out)
		}
	}
}

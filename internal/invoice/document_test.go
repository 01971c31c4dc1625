package invoice

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestCapitalsAsOnInvoices(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"212.00", "贰佰壹拾贰圆整"}, {"10005.30", "壹万零伍圆叁角整"}, {"1010.05", "壹仟零壹拾圆零伍分"},
		{"100000", "壹拾万圆整"}, {"100000005", "壹亿零伍圆整"}, {"0.50", "伍角整"}, {"0.07", "柒分"}, {"88.88", "捌拾捌圆捌角捌分"},
		{"0", "零圆整"},
	} {
		if got := Capitals(d(c.in)); got != c.want {
			t.Errorf("Capitals(%s) = %s, want %s", c.in, got, c.want)
		}
	}
}

// The e-invoice is a valid PDF whose text (Chinese included) reads back.
func TestEInvoicePDFCarriesNumberBuyerSellerAndAmounts(t *testing.T) {
	n := "26440000100000001"
	at := time.Date(2025, 7, 3, 2, 0, 0, 0, time.UTC)
	inv := &Invoice{No: "FP20250703100001", SigningEntity: EntityCloud, InvoiceType: TypeGeneral, Medium: MediumElectronic,
		Amount: d("212.00"), TaxAmount: d("12.00"), Title: "示例云科技有限公司", TaxpayerID: "91310115MA1K4A2B3A", Remark: "项目编号 SH-2025-018",
		InvoiceNumber: &n, IssuedAt: &at}
	b, err := renderPDF(inv, "示例云科技有限公司")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), "%PDF-1.") || !strings.Contains(string(b[len(b)-10:]), "%%EOF") {
		t.Fatal("not a PDF")
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext is needed to read the e-invoice back: install poppler-utils (.ci/run and make setup do)")
	}
	f := filepath.Join(t.TempDir(), "e.pdf")
	if err := os.WriteFile(f, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, want := range []string{"电子发票（普通发票）", n, "示例云科技有限公司", "华为云计算技术有限公司", "云服务费", "200.00", "12.00", "贰佰壹拾贰圆整", "2025年07月03日"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q:\n%s", want, text)
		}
	}
}

// longest repeats a Chinese phrase to n runes: the longest names and
// addresses the forms accept.
func longest(n int) string {
	r := []rune(strings.Repeat("新疆维吾尔自治区乌鲁木齐云计算科技股份有限公司", n/20+1))
	return string(r[:n])
}

// TestEInvoiceTextNeverOverlaps: with the largest amounts (both signs)
// and the longest title, address, remark and partner name, no two texts of
// the e-invoice overlap, none leaves the page or its cell, and it is still
// one page whose text reads back.
func TestEInvoiceTextNeverOverlaps(t *testing.T) {
	n := "26440000100000001234"
	at := time.Date(2025, 12, 31, 15, 59, 59, 0, time.UTC)
	for _, c := range []struct{ amount, tax string }{
		{"9999999999.99", "566037735.84"},
		{"-9999999999.99", "-9999999999.99"},
		{"0.01", "0.00"},
	} {
		t.Run(c.amount, func(t *testing.T) {
			inv := &Invoice{No: "FP20251231999999", SigningEntity: EntitySoftware, InvoiceType: TypeGeneral, Medium: MediumElectronic,
				Amount: d(c.amount), TaxAmount: d(c.tax), Title: longest(TitleMaxBytes / 2), TaxpayerID: "91310115MA1K4A2B3AXX",
				RegAddress: longest(200), RegPhone: "+86-010-88888888-8888", Remark: longest(RemarkMax),
				InvoiceNumber: &n, IssuedAt: &at}
			doc, err := invoiceDoc(inv, longest(200))
			if err != nil {
				t.Fatal(err)
			}
			if err := doc.CheckLayout(); err != nil {
				t.Error(err)
			}
			if doc.PageCount() != 1 {
				t.Errorf("the e-invoice is one page, got %d", doc.PageCount())
			}
			b, err := doc.Bytes()
			if err != nil {
				t.Fatal(err)
			}
			f := filepath.Join(t.TempDir(), "e.pdf")
			if err := os.WriteFile(f, b, 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command("pdftotext", "-enc", "UTF-8", f, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			// Shrunk amounts stay whole; wrapped names may break across lines.
			text := strings.ReplaceAll(string(out), "\n", "")
			for _, want := range []string{inv.Amount.StringFixed(2), Capitals(inv.Amount), fmt.Sprint("¥", inv.TaxAmount.StringFixed(2))} {
				if !strings.Contains(text, want) {
					t.Errorf("PDF text lacks %q:\n%s", want, out)
				}
			}
		})
	}
}

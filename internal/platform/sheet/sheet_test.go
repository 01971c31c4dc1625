package sheet

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func table(rows [][]string) *Table {
	return &Table{Sheet: "明细", Header: []string{"名称", "金额"}, Numeric: []bool{false, true},
		Rows: func(_ context.Context, each func([]string) error) error {
			for _, r := range rows {
				if err := each(r); err != nil {
					return err
				}
			}
			return nil
		}}
}

// TestCSVGuardsEveryTextCellAndNoAmount: formulas in text cells are
// defused by the sink itself (the one CSV-injection guard); numeric cells
// keep their sign; the file starts with a BOM and reads back.
func TestCSVGuardsEveryTextCellAndNoAmount(t *testing.T) {
	var buf bytes.Buffer
	n, err := Write(context.Background(), CSV, &buf, table([][]string{{"=HYPERLINK(\"x\")", "-12.50"}, {"@SUM(A1)", "3"}, {"云启\xff科技", "0"}}), nil)
	if err != nil || n != 3 {
		t.Fatalf("write: %d %v", n, err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\xEF\xBB\xBF")) {
		t.Fatal("no BOM")
	}
	recs, err := csv.NewReader(bytes.NewReader(buf.Bytes()[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"名称", "金额"}, {"'=HYPERLINK(\"x\")", "-12.50"}, {"'@SUM(A1)", "3"}, {"云启\uFFFD科技", "0"}}
	for i := range want {
		if strings.Join(recs[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d = %q, want %q", i, recs[i], want[i])
		}
	}
}

// TestXLSXStreamsAWorkbookThatOpensWithNumbersAsNumbers: the streamed
// worksheet opens in excelize with the header, text as text and amounts
// as numbers.
func TestXLSXStreamsAWorkbookThatOpensWithNumbersAsNumbers(t *testing.T) {
	var buf bytes.Buffer
	if _, err := Write(context.Background(), XLSX, &buf, table([][]string{{"=1+1", "-9999999999.99"}}), nil); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("明细")
	if err != nil || len(rows) != 2 || rows[0][0] != "名称" || rows[1][0] != "=1+1" {
		t.Fatalf("rows %q %v", rows, err)
	}
	typ, _ := f.GetCellType("明细", "B2")
	if typ == excelize.CellTypeInlineString || typ == excelize.CellTypeSharedString {
		t.Fatalf("amount stored as text (%v)", typ)
	}
	formula, _ := f.GetCellFormula("明细", "A2")
	if formula != "" {
		t.Fatalf("text became a formula %q", formula)
	}
}

// TestOpenReadsGBKCSVAndRefusesOtherFiles: a CSV saved as GBK by Excel
// reads as UTF-8; an unknown extension is ErrFileType.
func TestOpenReadsGBKCSVAndRefusesOtherFiles(t *testing.T) {
	gbk := []byte{0xd4, 0xc6, 0x2c, 0x31, 0x0a} // "云,1\n" in GBK
	r, err := Open("a.csv", bytes.NewReader(gbk))
	if err != nil {
		t.Fatal(err)
	}
	rec, err := r.Next()
	if err != nil || rec[0] != "云" || rec[1] != "1" {
		t.Fatalf("%q %v", rec, err)
	}
	if _, err := Open("a.txt", bytes.NewReader(nil)); err != ErrFileType {
		t.Fatalf("txt: %v", err)
	}
}

func TestCSVCellsStartingWithFormulaCharactersAreDefused(t *testing.T) {
	for in, want := range map[string]string{"=1+1": "'=1+1", "+1": "'+1", "-2": "'-2", "@SUM": "'@SUM", "\tx": "'\tx", "ok": "ok", "": ""} {
		if got := Safe(in); got != want {
			t.Errorf("Safe(%q) = %q, want %q", in, got, want)
		}
	}
}

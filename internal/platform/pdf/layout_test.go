package pdf

import (
	"strings"
	"testing"
)

// The longest values the documents show: amounts near the 10-digit limit,
// 8-decimal prices, and long company names.
const (
	longAmount = "¥-9,999,999,999.99"
	longPrice  = "-9,999,999,999.12345678"
	longName   = "新疆维吾尔自治区乌鲁木齐市天山区超长名称示例云计算科技股份有限公司（北京分公司）第二十三营业部"
)

// TestCheckLayoutFindsOverlaps: the checker itself fails on text drawn on
// top of other text, off the page, or outside its cell — otherwise the
// document tests below would prove nothing.
func TestCheckLayoutFindsOverlaps(t *testing.T) {
	d := newDoc(t, Info{})
	p := d.AddPage()
	p.Text(40, 100, 7.5, "欠费金额")
	p.TextRight(80, 100, 7.5, longAmount) // the old bill's columns, too close
	if err := d.CheckLayout(); err == nil || !strings.Contains(err.Error(), "overlap") {
		t.Errorf("overlap not found: %v", err)
	}
	d = newDoc(t, Info{})
	d.AddPage().Text(PageWidth-20, 100, 10, longAmount)
	if err := d.CheckLayout(); err == nil || !strings.Contains(err.Error(), "off the page") {
		t.Errorf("text off the page not found: %v", err)
	}
	d = newDoc(t, Info{})
	d.AddPage().text(40, 100, 10, longAmount, Rect{X: 40, Y: 80, W: 20, H: 30})
	if err := d.CheckLayout(); err == nil || !strings.Contains(err.Error(), "outside its cell") {
		t.Errorf("text outside its cell not found: %v", err)
	}
	// Boxes on different pages, and lines that merely touch, are fine.
	d = newDoc(t, Info{})
	d.AddPage().Text(40, 100, 10, longAmount)
	d.AddPage().Text(40, 100, 10, longAmount)
	p = d.AddPage()
	p.Text(40, 100, 10, "甲")
	p.Text(40+d.TextWidth(10, "甲"), 100, 10, "乙")
	if err := d.CheckLayout(); err != nil {
		t.Errorf("false alarm: %v", err)
	}
}

// TestCellWrapsAndShrinks: Wrap grows the cell downwards; Shrink keeps an
// amount on one line at a smaller size down to MinSize, then wraps; no
// line is ever wider than the cell.
func TestCellWrapsAndShrinks(t *testing.T) {
	d := newDoc(t, Info{})
	p := d.AddPage()
	h := p.Cell(40, 40, 100, Style{Size: 10}, longName)
	if h < 4*13 {
		t.Errorf("a long name in 100 pt should take several lines, height %v", h)
	}
	full := d.TextWidth(10, longAmount)
	lines, size := d.fit(full*0.8, Style{Size: 10, Fit: Shrink}, longAmount)
	if len(lines) != 1 || size >= 10 || size < 7 || d.TextWidth(size, longAmount) > full*0.8 {
		t.Errorf("shrink to 80%%: %q at %v", lines, size)
	}
	lines, size = d.fit(full*0.4, Style{Size: 10, Fit: Shrink, MinSize: 8}, longAmount)
	if len(lines) < 2 || size != 8 {
		t.Errorf("below MinSize it wraps at MinSize: %q at %v", lines, size)
	}
	for _, l := range lines {
		if d.TextWidth(size, l) > full*0.4 {
			t.Errorf("line %q wider than the cell", l)
		}
	}
	if got := p.Cell(40, 300, 200, Style{Size: 10, Fit: Shrink}, "12.00"); got != 13 {
		t.Errorf("short text: one line of 1.3 × size, got %v", got)
	}
	if err := d.CheckLayout(); err != nil {
		t.Error(err)
	}
}

// TestTableColumnsNeverOverlap: a table with the longest amounts, prices
// and names in narrow columns, over several rows and a page break, lays
// every text inside its cell and apart from every other.
func TestTableColumnsNeverOverlap(t *testing.T) {
	d := newDoc(t, Info{})
	amount := Column{Width: 52, Style: Style{Align: Right, Fit: Shrink, MinSize: 5.5}}
	tb := Table{X: 40, Size: 7.5, PadX: 2, PadY: 2, Grid: 0.4, Columns: []Column{
		{Width: 80}, {Width: 70}, {Width: 45}, amount, amount, amount, amount, amount, amount,
	}}
	if w := tb.Width(); w > PageWidth-80 {
		t.Fatalf("table %v wider than the page", w)
	}
	p := d.AddPage()
	y := 60.0
	y += tb.FilledRow(p, y, 0.92, "产品类型", "资源类型", "计费模式", "应付金额", "现金支付", "代金券", "现金券", "欠费金额", "折扣优惠")
	row := []string{longName, longName, "包年/包月", longAmount, longPrice, longAmount, longAmount, longAmount, longAmount}
	for i := 0; i < 30; i++ {
		if y+tb.Height(d, row...) > PageHeight-50 {
			p = d.AddPage()
			y = 60
		}
		y += tb.Row(p, y, row...)
	}
	if d.PageCount() < 2 {
		t.Errorf("30 tall rows should break pages, got %d", d.PageCount())
	}
	if err := d.CheckLayout(); err != nil {
		t.Error(err)
	}
	// Every character is still there, in order, cell by cell.
	var got strings.Builder
	for _, b := range d.Boxes() {
		got.WriteString(b.Text)
	}
	if !strings.Contains(got.String(), strings.Join(row, "")) {
		t.Errorf("cells lost text: %q", got.String()[:200])
	}
}

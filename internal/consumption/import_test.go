package consumption

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/ledger"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var seq atomic.Int64

func uniq() int64 { return seq.Add(1)*1000 + time.Now().UnixNano()%1000 }

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

var vendor = &access.Principal{UserID: 0, IsVendor: true}

type world struct {
	partner  int64
	resale   string // account names
	consult  string
	stranger string // a customer without any partner
	resaleID int64
}

func fixture(t *testing.T, g *gorm.DB, funded string) *world {
	t.Helper()
	n := uniq()
	w := &world{}
	if err := g.Raw(`INSERT INTO partners (name, credit_code, status) VALUES (?, ?, 'active') RETURNING id`,
		fmt.Sprintf("消费测试伙伴%d", n), fmt.Sprintf("%018d", n)).Scan(&w.partner).Error; err != nil {
		t.Fatal(err)
	}
	cust := func(name, mode string) int64 {
		var id int64
		if err := g.Raw(`INSERT INTO customers (account_name, name, kind, registered_at) VALUES (?, ?, 'enterprise', '2024-01-01') RETURNING id`,
			name, "客户"+name).Scan(&id).Error; err != nil {
			t.Fatal(err)
		}
		if mode != "" {
			if err := g.Exec(`INSERT INTO associations (partner_id, customer_id, mode, status, associated_at) VALUES (?, ?, ?, 'active', '2024-01-01')`,
				w.partner, id, mode).Error; err != nil {
				t.Fatal(err)
			}
		}
		return id
	}
	w.resale, w.consult, w.stranger = fmt.Sprintf("Resale_%d", n), fmt.Sprintf("consult_%d", n), fmt.Sprintf("stranger_%d", n)
	w.resaleID = cust(w.resale, "resale")
	cust(w.consult, "consulting")
	cust(w.stranger, "")
	if funded != "" {
		ctx := context.Background()
		acct, err := ledger.CustomerFunded(ctx, g, w.partner, w.resaleID)
		if err != nil {
			t.Fatal(err)
		}
		bank, err := ledger.Vendor(ctx, g, "vendor_bank")
		if err != nil {
			t.Fatal(err)
		}
		// Fund through the partner's cash account, as a recharge then a transfer.
		cash, err := ledger.PartnerCash(ctx, g, w.partner)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ledger.Post(ctx, g, ledger.Move{PartnerID: w.partner, Kind: "recharge", Source: "bank_transfer", Amount: dec(funded),
			Legs: []ledger.Leg{{AccountID: bank.ID, Amount: dec(funded).Neg()}, {AccountID: cash.ID, Amount: dec(funded)}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := ledger.Post(ctx, g, ledger.Move{PartnerID: w.partner, CustomerID: w.resaleID, Kind: "transfer", Amount: dec(funded),
			Legs: []ledger.Leg{{AccountID: cash.ID, Amount: dec(funded).Neg()}, {AccountID: acct.ID, Amount: dec(funded)}}}); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

const head = "流水号,客户账号,账单类型,账期,交易时间,订单号,产品类型,产品名称,资源类型,资源ID,区域,计费模式,官网价,优惠金额,单价,用量,时长(秒),代金券抵扣,储值卡抵扣\n"

func csvOf(lines ...string) *strings.Reader {
	return strings.NewReader(head + strings.Join(lines, "\n") + "\n")
}

func run(t *testing.T, g *gorm.DB, name string, r interface{ Read([]byte) (int, error) }) *Import {
	t.Helper()
	imp, err := Importer{DB: g}.Run(context.Background(), vendor, name, r)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return imp
}

func balance(t *testing.T, g *gorm.DB, pid, cid int64) decimal.Decimal {
	t.Helper()
	a, err := ledger.FindCustomerFunded(context.Background(), g, pid, cid)
	if err != nil || a == nil {
		t.Fatalf("funded account: %v", err)
	}
	return a.Balance
}

func consistent(t *testing.T, g *gorm.DB) {
	t.Helper()
	fs, err := ledger.Check(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		t.Errorf("ledger inconsistent: %s", f)
	}
}

// R61 (seed 003 §12.1.9.14): 10 GB of on-demand EVS at ¥0.00064000 per
// GB-hour for 25,874 s rates 0.04599822; the charge is 0.04 and the
// 抹零 0.00599822 is recorded on the line and on the import.
func TestImportRatesUsageAndTruncatesTheChargeToTheFen(t *testing.T) {
	g := dbtest.DB(t)
	w := fixture(t, g, "")
	ref := fmt.Sprintf("evs-%d", uniq())
	imp := run(t, g, "usage.csv", csvOf(
		ref+","+w.consult+",消费,2025-06,2025-06-15 10:00:00,,云硬盘 EVS,高IO 10GB,evs.volume,vol-1,cn-north-4,按需,,,0.00064000,10,25874,,"))
	if imp.Status != "done" || imp.RowsAccepted != 1 || imp.RowsRejected != 0 {
		t.Fatalf("import %+v", imp)
	}
	var r struct {
		AmountPayable, ChargedAmount, RoundingOff, CashPaid decimal.Decimal
		SigningEntity, Mode                                 string
	}
	g.Raw(`SELECT amount_payable, charged_amount, rounding_off, cash_paid, signing_entity, mode FROM consumption_records WHERE source_ref = ?`, ref).Scan(&r)
	if !r.AmountPayable.Equal(dec("0.04599822")) || !r.ChargedAmount.Equal(dec("0.04")) || !r.RoundingOff.Equal(dec("0.00599822")) {
		t.Errorf("payable %s charged %s 抹零 %s, want 0.04599822 / 0.04 / 0.00599822", r.AmountPayable, r.ChargedAmount, r.RoundingOff)
	}
	if !r.CashPaid.Equal(dec("0.04")) || r.Mode != "consulting" || r.SigningEntity != "software" {
		t.Errorf("cash %s mode %s entity %s", r.CashPaid, r.Mode, r.SigningEntity)
	}
	if !imp.RoundingOff.Equal(dec("0.00599822")) {
		t.Errorf("import 抹零 %s", imp.RoundingOff)
	}
}

// §12.1.3.4: a resale customer's spending draws its partner-funded
// balance (not the partner's); what the balance cannot cover is arrears;
// a cash refund returns to the balance; the ledger stays consistent.
func TestImportDrawsDownResaleBalanceWithArrearsAndRefunds(t *testing.T) {
	g := dbtest.DB(t)
	w := fixture(t, g, "100.00")
	n := uniq()
	imp := run(t, g, "bill.csv", csvOf(
		fmt.Sprintf("a-%d,%s,消费,2025-06,2025-06-01 08:00:00,CS1,弹性云服务器 ECS,s6.large,ecs,i-1,cn-north-4,包年/包月,80.12345678,0,,,,,", n, strings.ToUpper(w.resale)),
		fmt.Sprintf("b-%d,%s,消费,2025-06,2025-06-02 08:00:00,CS2,对象存储 OBS,标准存储,obs,b-1,cn-north-4,按需,50,5,,,,10.00,", n, w.resale),
		fmt.Sprintf("c-%d,%s,退款,2025-06,2025-06-03 08:00:00,CS1,弹性云服务器 ECS,s6.large,ecs,i-1,cn-north-4,包年/包月,-20.5,0,,,,,", n, w.resale),
	))
	if imp.RowsAccepted != 3 {
		t.Fatalf("import %+v", imp)
	}
	// Line a: charge 80.12 covered. Line b: charge 45.00, voucher 10, cash 35,
	// 19.88 left → 19.88 cash, 15.12 arrears. Line c: refund 20.50 credited.
	var rows []struct {
		SourceRef          string
		CashPaid, Arrears  decimal.Decimal
		VoucherPaid, Total decimal.Decimal
	}
	g.Raw(`SELECT source_ref, cash_paid, arrears, voucher_paid, charged_amount AS total FROM consumption_records WHERE import_id = ? ORDER BY source_ref`, imp.ID).Scan(&rows)
	want := [][3]string{{"80.12", "0", "80.12"}, {"19.88", "15.12", "45.00"}, {"-20.50", "0", "-20.50"}}
	for i, r := range rows {
		if !r.CashPaid.Equal(dec(want[i][0])) || !r.Arrears.Equal(dec(want[i][1])) || !r.Total.Equal(dec(want[i][2])) {
			t.Errorf("%s: cash %s arrears %s charged %s, want %v", r.SourceRef, r.CashPaid, r.Arrears, r.Total, want[i])
		}
	}
	if b := balance(t, g, w.partner, w.resaleID); !b.Equal(dec("20.50")) {
		t.Errorf("funded balance %s, want 20.50 (100 − 80.12 − 19.88 + 20.50)", b)
	}
	var kinds []string
	g.Raw(`SELECT kind FROM ledger_transactions WHERE consumption_import_id = ? ORDER BY kind`, imp.ID).Scan(&kinds)
	if strings.Join(kinds, ",") != "consumption,consumption_refund" {
		t.Errorf("ledger transactions %v", kinds)
	}
	consistent(t, g)
}

// A source id repeated in one file keeps its first line wherever each
// copy went (straight in, or staged for the draw-down): only the first
// line is stored, drawn from the balance and credited.
func TestRepeatedSourceIdsKeepTheFirstLineWhereverItWent(t *testing.T) {
	g := dbtest.DB(t)
	w := fixture(t, g, "100.00")
	n := uniq()
	imp := run(t, g, "repeat.csv", csvOf(
		// A resale debit (staged), repeated as a resale debit and as a consulting line.
		fmt.Sprintf("d-%d,%s,消费,2025-06,2025-06-01 08:00:00,,ECS,,,,,按需,30,0,,,,,", n, w.resale),
		fmt.Sprintf("d-%d,%s,消费,2025-06,2025-06-01 07:00:00,,ECS,,,,,按需,40,0,,,,,", n, w.resale),
		fmt.Sprintf("d-%d,%s,消费,2025-06,2025-06-01 09:00:00,,ECS,,,,,按需,1,0,,,,,", n, w.consult),
		// A resale refund (straight in), repeated as a refund and as a debit.
		fmt.Sprintf("r-%d,%s,退款,2025-06,2025-06-02 08:00:00,,ECS,,,,,按需,-5,0,,,,,", n, w.resale),
		fmt.Sprintf("r-%d,%s,退款,2025-06,2025-06-02 08:00:00,,ECS,,,,,按需,-7,0,,,,,", n, w.resale),
		fmt.Sprintf("r-%d,%s,消费,2025-06,2025-06-02 09:00:00,,ECS,,,,,按需,9,0,,,,,", n, w.resale),
	))
	if imp.RowsAccepted != 2 || imp.RowsRejected != 4 {
		t.Fatalf("import %+v", imp)
	}
	var got []string
	g.Raw(`SELECT line_no || ':' || column_name || ':' || message_key FROM consumption_import_rejects
		WHERE import_id = ? ORDER BY line_no`, imp.ID).Scan(&got)
	want := []string{"3:source_ref:" + ErrDuplicate, "4:source_ref:" + ErrDuplicate, "6:source_ref:" + ErrDuplicate, "7:source_ref:" + ErrDuplicate}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("rejects %v, want %v", got, want)
	}
	if b := balance(t, g, w.partner, w.resaleID); !b.Equal(dec("75.00")) {
		t.Errorf("funded balance %s, want 75.00 (100 − 30 + 5)", b)
	}
	consistent(t, g)
}

// A file larger than one resolution chunk: customers cached across
// chunks, every line stored once, the draw-down over the whole file.
func TestImportOverSeveralChunksDrawsDownInTimeOrder(t *testing.T) {
	g := dbtest.DB(t)
	w := fixture(t, g, "1000.00")
	n := uniq()
	var lines []string
	total := chunkLines*2 + 17
	for i := 0; i < total; i++ {
		acct := w.consult
		if i%2 == 0 {
			acct = w.resale
		}
		// Later lines in the file carry earlier times: the draw-down follows time, not file order.
		at := time.Date(2025, 6, 28, 0, 0, 0, 0, time.UTC).Add(-time.Duration(i) * time.Minute).Format("2006-01-02 15:04:05")
		lines = append(lines, fmt.Sprintf("k-%d-%d,%s,消费,2025-06,%s,,ECS,,,,,按需,0.50000000,0,,,,,", n, i, acct, at))
	}
	imp := run(t, g, "chunks.csv", csvOf(lines...))
	if imp.RowsAccepted != total || imp.RowsRejected != 0 {
		t.Fatalf("import %+v", imp)
	}
	// 5,009 resale lines of 0.50: the first 2,000 in time are covered
	// (1,000.00), the rest are arrears — the lines last in the file.
	var covered, arrears decimal.Decimal
	var latestCovered string
	g.Raw(`SELECT coalesce(sum(cash_paid), 0) FROM consumption_records WHERE import_id = ? AND mode = 'resale'`, imp.ID).Scan(&covered)
	g.Raw(`SELECT coalesce(sum(arrears), 0) FROM consumption_records WHERE import_id = ?`, imp.ID).Scan(&arrears)
	g.Raw(`SELECT source_ref FROM consumption_records WHERE import_id = ? AND mode = 'resale' AND cash_paid > 0
		ORDER BY transaction_at DESC LIMIT 1`, imp.ID).Scan(&latestCovered)
	resaleLines := (total + 1) / 2
	if !covered.Equal(dec("1000.00")) || !arrears.Equal(decimal.NewFromInt(int64(resaleLines)).Mul(dec("0.5")).Sub(dec("1000.00"))) {
		t.Errorf("covered %s arrears %s over %d resale lines", covered, arrears, resaleLines)
	}
	if want := fmt.Sprintf("k-%d-%d", n, total-1-(total-1)%2-2*1999); latestCovered != want {
		t.Errorf("latest covered line %s, want %s (the 2,000 earliest resale lines are covered)", latestCovered, want)
	}
	consistent(t, g)
}

// Bad lines are listed with their line and column and change nothing; a
// re-imported file is all duplicates and changes nothing.
func TestImportRejectsBadLinesAndDuplicates(t *testing.T) {
	g := dbtest.DB(t)
	w := fixture(t, g, "10.00")
	n := uniq()
	file := func() *strings.Reader {
		return csvOf(
			fmt.Sprintf("ok-%d,%s,消费,2025-06,2025-06-01 08:00:00,,ECS,,,,,按需,1.005,0,,,,,", n, w.consult),
			fmt.Sprintf("x1-%d,%s,消费,2025-13,2025-06-01 08:00:00,,ECS,,,,,按需,1,0,,,,,", n, w.consult),           // bad period
			fmt.Sprintf("x2-%d,%s,消费,2025-06,yesterday,,ECS,,,,,按需,1.123456789,0,,,,,", n, w.consult),           // bad time, 9 decimals
			fmt.Sprintf("x3-%d,%s,消费,2025-06,2025-06-01 08:00:00,,ECS,,,,,按需,-1,0,,,,,", n, w.consult),          // negative consumption
			fmt.Sprintf("x4-%d,%s,消费,2025-06,2025-06-01 08:00:00,,ECS,,,,,按需,1,0,,,,,", n, "nobody_"+w.consult), // unknown account
			fmt.Sprintf("x5-%d,%s,消费,2025-06,2025-06-01 08:00:00,,ECS,,,,,按需,1,0,,,,,", n, w.stranger),          // no partner
			fmt.Sprintf("x6-%d,%s,罚款,2025-06,2025-06-01 08:00:00,,ECS,,,,,按需,1,0,,,,5.00,", n, w.consult),       // bad type
			fmt.Sprintf("x7-%d,%s,消费,2025-06,2025-06-01 08:00:00,,ECS,,,,,按需,1,0,,,,5.00,", n, w.consult),       // voucher > charge
			fmt.Sprintf("ok-%d,%s,消费,2025-06,2025-06-01 09:00:00,,ECS,,,,,按需,2,0,,,,,", n, w.consult),           // duplicate id in file
		)
	}
	imp := run(t, g, "mixed.csv", file())
	if imp.RowsTotal != 9 || imp.RowsAccepted != 1 || imp.RowsRejected != 8 {
		t.Fatalf("import %+v", imp)
	}
	var got []string
	g.Raw(`SELECT line_no || ':' || column_name || ':' || message_key FROM consumption_import_rejects WHERE import_id = ? ORDER BY line_no, column_name`, imp.ID).Scan(&got)
	want := []string{
		"3:billing_period:" + ErrPeriod, "4:list_price:money.err.places_8", "4:transaction_time:" + ErrTime,
		"5:list_price:" + ErrAmountSign, "6:customer_account:" + ErrNoCustomer, "7:customer_account:" + ErrNoPartner,
		"8:bill_type:" + ErrBillType, "9:voucher_paid:" + ErrPaidTooMuch, "10:source_ref:" + ErrDuplicate,
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("rejects\n got %v\nwant %v", got, want)
	}
	before := count(t, g, imp.ID)
	again := run(t, g, "mixed.csv", file())
	if again.RowsAccepted != 0 || again.RowsRejected != 9 {
		t.Errorf("re-import %+v", again)
	}
	if count(t, g, imp.ID) != before {
		t.Error("re-import changed the records")
	}
}

func count(t *testing.T, g *gorm.DB, importID int64) int64 {
	var n int64
	g.Raw(`SELECT count(*) FROM consumption_records`).Scan(&n)
	return n
}

// A file without the required columns is refused whole, recording nothing.
func TestImportRefusesAFileWithoutRequiredColumns(t *testing.T) {
	g := dbtest.DB(t)
	var before int64
	g.Raw(`SELECT count(*) FROM consumption_imports`).Scan(&before)
	_, err := Importer{DB: g}.Run(context.Background(), vendor, "x.csv", strings.NewReader("流水号,客户账号\n1,a\n"))
	if keyOf(err) != ErrHeaderMissing {
		t.Fatalf("err %v", err)
	}
	_, err = Importer{DB: g}.Run(context.Background(), vendor, "x.pdf", strings.NewReader("%PDF"))
	if keyOf(err) != ErrFileType {
		t.Fatalf("pdf: err %v", err)
	}
	var after int64
	g.Raw(`SELECT count(*) FROM consumption_imports`).Scan(&after)
	if after != before {
		t.Error("a refused file left an import row")
	}
}

// Excel files import the same way (first sheet, same headers), and GBK
// CSV as saved by Excel on Chinese Windows is read correctly.
func TestImportReadsXlsxAndGBKCSV(t *testing.T) {
	g := dbtest.DB(t)
	w := fixture(t, g, "")
	f := excelize.NewFile()
	hdr := strings.Split(strings.TrimSpace(head), ",")
	ref := fmt.Sprintf("xl-%d", uniq())
	vals := []any{ref, w.consult, "消费", "2025-07", "2025-07-03 12:00:00", "CS9", "弹性云服务器 ECS", "", "", "", "", "包年/包月", "199.99999999", "0", "", "", "", "", ""}
	for i, h := range hdr {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		_ = f.SetCellValue("Sheet1", cell, h)
		cell, _ = excelize.CoordinatesToCellName(i+1, 2)
		_ = f.SetCellValue("Sheet1", cell, vals[i])
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	imp := run(t, g, "账单.xlsx", &buf)
	if imp.RowsAccepted != 1 {
		t.Fatalf("xlsx import %+v", imp)
	}
	var charged, rounding decimal.Decimal
	g.Raw(`SELECT charged_amount FROM consumption_records WHERE source_ref = ?`, ref).Scan(&charged)
	g.Raw(`SELECT rounding_off FROM consumption_records WHERE source_ref = ?`, ref).Scan(&rounding)
	if !charged.Equal(dec("199.99")) || !rounding.Equal(dec("0.00999999")) {
		t.Errorf("charged %s 抹零 %s", charged, rounding)
	}

	gbk := gbkEncode(t, head+fmt.Sprintf("gbk-%d,%s,消费,2025-07,2025-07-03 12:00:00,,云数据库 RDS,,,,,按需,3.5,0,,,,,\n", uniq(), w.consult))
	if imp := run(t, g, "gbk.csv", bytes.NewReader(gbk)); imp.RowsAccepted != 1 {
		t.Fatalf("gbk import %+v", imp)
	}
	var product string
	g.Raw(`SELECT product_type FROM consumption_records WHERE source_ref LIKE 'gbk-%' ORDER BY id DESC LIMIT 1`).Scan(&product)
	if product != "云数据库 RDS" {
		t.Errorf("product %q", product)
	}
}

func gbkEncode(t *testing.T, s string) []byte {
	t.Helper()
	b, _, err := transform.Bytes(simplifiedchinese.GBK.NewEncoder(), []byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func keyOf(err error) string {
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return ae.Key
	}
	return ""
}

// The consistency check finds nothing after imports and names a line
// whose draw-down is missing from the ledger.
func TestCheckReconcilesLinesWithTheLedger(t *testing.T) {
	g := dbtest.DB(t)
	w := fixture(t, g, "50.00")
	run(t, g, "c.csv", csvOf(fmt.Sprintf("chk-%d,%s,消费,2025-06,2025-06-01 08:00:00,,ECS,,,,,按需,10,0,,,,,", uniq(), w.resale)))
	if fs, err := Check(context.Background(), g); err != nil || len(fs) > 0 {
		t.Fatalf("check after a clean import: %v %v", err, fs)
	}
	// A line written behind the importer's back (no draw-down, unknown customer).
	if err := g.Exec(`INSERT INTO consumption_records (partner_id, customer_id, mode, bill_type, billing_period, transaction_at,
		signing_entity, product_type, billing_mode, list_price, amount_payable, charged_amount, rounding_off, cash_paid, import_id, source_ref)
		VALUES (?, -1, 'resale', 'consumption', '2025-06-01', now(), 'software', 'ECS', 'on_demand', 5, 5, 5, 0, 5,
		(SELECT max(id) FROM consumption_imports), ?)`, w.partner, fmt.Sprintf("rogue-%d", uniq())).Error; err != nil {
		t.Fatal(err)
	}
	fs, err := Check(context.Background(), g)
	if err != nil || len(fs) != 2 {
		t.Fatalf("check: %v %v, want 2 findings (orphan customer, cash without draw-down)", err, fs)
	}
}

// The rejected-lines file has the template's columns as the lines had them,
// then the reasons and the line number; fixed, it imports again.
func TestRejectedLinesDownloadAsTheFileHadThemAndImportAgainOnceFixed(t *testing.T) {
	g := dbtest.DB(t)
	w := fixture(t, g, "")
	n := uniq()
	bad := fmt.Sprintf("r1-%d,%s,消费,2025-13,2025-06-01 08:00:00,O-1,ECS,云服务器,vm,i-1,cn-north-4,按需,1.5,0.5,,,,,", n, w.consult)
	imp := run(t, g, "rejects.csv", csvOf(
		bad,
		fmt.Sprintf("r2-%d,%s,退款,2025-06,2025-06-02 09:30:00,O-2,OBS,,,,,包年/包月,-3,0,,,,,", n, "nobody_"+w.consult),
	))
	if imp.RowsRejected != 2 {
		t.Fatalf("import %+v", imp)
	}
	tbl, err := Importer{DB: g}.RejectsTable(context.Background(), access.VendorStaff(1, "finance"), imp.ID, "zh-CN")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(tbl.Header, ","); got != strings.TrimSuffix(head, "\n")+",不计业绩现金券抵扣,严选商城,原因,原文件行号" {
		t.Fatalf("header %s", got)
	}
	var rows [][]string
	if err := tbl.Rows(context.Background(), func(r []string) error { rows = append(rows, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("rows %q", rows)
	}
	// The file had no coupon or curated-mall column: both cells empty.
	if got := strings.Join(rows[0][:len(Columns)], ","); got != bad+",," {
		t.Errorf("validation reject keeps the cells read:\n got %s\nwant %s", got, bad)
	}
	if got := rows[0][len(Columns):]; !strings.HasPrefix(got[0], "账期：") || got[1] != "2" {
		t.Errorf("reason and line %q", got)
	}
	wantLate := fmt.Sprintf("r2-%d,nobody_%s,refund,2025-06,2025-06-02 09:30:00,O-2,OBS,,,,,yearly_monthly,-3,0,,,,0,0,0,否", n, strings.ToLower(w.consult))
	if got := strings.Join(rows[1][:len(Columns)], ","); got != wantLate {
		t.Errorf("resolution reject keeps the staged cells:\n got %s\nwant %s", got, wantLate)
	}
	if !strings.HasPrefix(rows[1][len(Columns)], "客户账号：") || rows[1][len(Columns)+1] != "3" {
		t.Errorf("reason and line %q", rows[1][len(Columns):])
	}

	// An import from before the cells were kept still shows the refused values.
	if err := g.Exec(`DELETE FROM consumption_import_reject_lines WHERE import_id = ?`, imp.ID).Error; err != nil {
		t.Fatal(err)
	}
	var old [][]string
	if err := tbl.Rows(context.Background(), func(r []string) error { old = append(old, append([]string(nil), r...)); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(old) != 2 || old[0][3] != "2025-13" || old[1][1] != "nobody_"+strings.ToLower(w.consult) {
		t.Errorf("older import's rejected values: %q", old)
	}

	// Fixed (period and account) and imported again, with the two extra columns.
	rows[0][3] = "2025-06"
	rows[1][1] = w.consult
	var b strings.Builder
	b.WriteString(strings.Join(tbl.Header, ",") + "\n")
	for _, r := range rows {
		b.WriteString(strings.Join(r, ",") + "\n")
	}
	again := run(t, g, "fixed.csv", strings.NewReader(b.String()))
	if again.RowsAccepted != 2 || again.RowsRejected != 0 {
		t.Errorf("fixed file %+v", again)
	}
}

// A file that breaks after lines were already COPYed (past the first
// chunk, straight into consumption_records and into the stage) fails
// whole: the import is marked failed with the line, no line of it stays,
// the stage is empty and the balances did not move.
func TestAFileThatBreaksMidwayLeavesNothing(t *testing.T) {
	g := dbtest.DB(t)
	w := fixture(t, g, "100.00")
	n := uniq()
	before := balance(t, g, w.partner, w.resaleID)
	var lines []string
	for i := 0; i < chunkLines+10; i++ {
		acct := w.consult
		if i%2 == 0 {
			acct = w.resale
		}
		lines = append(lines, fmt.Sprintf("m-%d-%d,%s,消费,2025-06,2025-06-02 08:00:00,,ECS,,,,,按需,0.50000000,0,,,,,", n, i, acct))
	}
	lines = append(lines, `bad-1,"unterminated,消费,2025-06`)
	imp, err := Importer{DB: g}.Run(context.Background(), vendor, "broken.csv", csvOf(lines...))
	if err == nil {
		t.Fatalf("a broken file imported: %+v", imp)
	}
	var status string
	var stored, staged int64
	g.Raw(`SELECT status FROM consumption_imports WHERE file_name = 'broken.csv' ORDER BY id DESC LIMIT 1`).Scan(&status)
	g.Raw(`SELECT count(*) FROM consumption_records WHERE source_ref LIKE ?`, fmt.Sprintf("m-%d-%%", n)).Scan(&stored)
	g.Raw(`SELECT count(*) FROM consumption_import_stage`).Scan(&staged)
	if status != "failed" || stored != 0 || staged != 0 {
		t.Fatalf("after the failure: status %q, %d lines stored, %d staged", status, stored, staged)
	}
	if after := balance(t, g, w.partner, w.resaleID); !after.Equal(before) {
		t.Fatalf("balance moved: %s → %s", before, after)
	}
	consistent(t, g)
}

// The optional columns 不计业绩现金券抵扣 and 严选商城 (issue 12, §12.1.5.1–2,
// §12.1.5.37): read into coupon_paid (not cash) and curated_mall, for a
// resale customer too (a coupon is not drawn from its balance); a
// curated-mall cell other than 是/否 is refused.
func TestImportReadsCouponsAndCuratedMall(t *testing.T) {
	g := dbtest.DB(t)
	w := fixture(t, g, "500.00")
	n := uniq()
	h := strings.TrimSuffix(head, "\n") + ",不计业绩现金券抵扣,严选商城\n"
	imp := run(t, g, "coupons.csv", strings.NewReader(h+
		fmt.Sprintf("cp-%d,%s,消费,2025-06,2025-06-15 10:00:00,,ECS,,,,,按需,100.00,,,,,,,40.00,否\n", n, w.resale)+
		fmt.Sprintf("ml-%d,%s,消费,2025-06,2025-06-15 11:00:00,,严选商品,,,,,包年/包月,80.00,,,,,,,,是\n", n, w.consult)+
		fmt.Sprintf("bd-%d,%s,消费,2025-06,2025-06-15 12:00:00,,ECS,,,,,按需,1.00,,,,,,,,也许\n", n, w.consult)))
	if imp.RowsAccepted != 2 || imp.RowsRejected != 1 {
		t.Fatalf("import %+v", imp)
	}
	var rows []struct {
		SourceRef            string
		CashPaid, CouponPaid decimal.Decimal
		CuratedMall          bool
	}
	g.Raw(`SELECT source_ref, cash_paid, coupon_paid, curated_mall FROM consumption_records WHERE source_ref IN (?, ?) ORDER BY source_ref`,
		fmt.Sprintf("cp-%d", n), fmt.Sprintf("ml-%d", n)).Scan(&rows)
	if len(rows) != 2 || !rows[0].CashPaid.Equal(dec("60")) || !rows[0].CouponPaid.Equal(dec("40")) || rows[0].CuratedMall ||
		!rows[1].CuratedMall || !rows[1].CashPaid.Equal(dec("80")) {
		t.Fatalf("lines %+v", rows)
	}
	// Only the 60.00 of cash was drawn from the funded balance.
	acct, err := ledger.FindCustomerFunded(context.Background(), g, w.partner, w.resaleID)
	if err != nil || acct == nil || !acct.Balance.Equal(dec("440")) {
		t.Fatalf("funded balance after the coupon line: %+v %v", acct, err)
	}
}

// Renewals count for the partner associated at renewal time (seed 003
// §12.1.5.25, 000:L22; issue 12): a customer that moved from one partner
// to another has its lines before the move imported for the first and
// its renewal after the move for the second. (The formation credits each
// line's partner: TestFormationRuleAndTiming in internal/performance.)
func TestRenewalCountsForThePartnerAssociatedAtItsTime(t *testing.T) {
	g := dbtest.DB(t)
	first := fixture(t, g, "")
	second := fixture(t, g, "")
	// 客户 of the first partner until 2025-03-01, then of the second.
	if err := g.Exec(`UPDATE associations SET status = 'ended', ended_at = '2025-03-01 00:00:00+08' WHERE partner_id = ? AND customer_id = ?`,
		first.partner, first.resaleID).Error; err != nil {
		t.Fatal(err)
	}
	if err := g.Exec(`INSERT INTO associations (partner_id, customer_id, mode, status, associated_at) VALUES (?, ?, 'resale', 'active', '2025-03-01 00:00:00+08')`,
		second.partner, first.resaleID).Error; err != nil {
		t.Fatal(err)
	}
	before, renewal := fmt.Sprintf("rn-%d-a", uniq()), fmt.Sprintf("rn-%d-b", uniq())
	imp := run(t, g, "renewal.csv", csvOf(
		before+","+first.resale+",消费,2025-02,2025-02-10 10:00:00,CS1,弹性云服务器,s6.large,ecs,i-1,cn-north-4,包年/包月,1200.00,0,,,,,",
		renewal+","+first.resale+",消费,2025-04,2025-04-10 10:00:00,CS2,弹性云服务器,s6.large,ecs,i-1,cn-north-4,包年/包月,1200.00,0,,,,,"))
	if imp.Status != "done" || imp.RowsAccepted != 2 {
		t.Fatalf("import %s: %d accepted, %d rejected", imp.Status, imp.RowsAccepted, imp.RowsRejected)
	}
	for ref, want := range map[string]int64{before: first.partner, renewal: second.partner} {
		var got int64
		if err := g.Raw(`SELECT partner_id FROM consumption_records WHERE source_ref = ?`, ref).Scan(&got).Error; err != nil || got != want {
			t.Fatalf("line %s is partner %d's, want %d (%v)", ref, got, want, err)
		}
	}
}

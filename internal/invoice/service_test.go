package invoice

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/funds"
	"partnercenter/internal/ledger"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var seq atomic.Int64

func uniq() int64 { return seq.Add(1)*1000 + time.Now().UnixNano()%1000 }

type tenant struct {
	ID     int64
	Main   *access.Principal
	Resale int64
	Consul int64
}

func fixtureTenant(t *testing.T, g *gorm.DB, changed *time.Time) *tenant {
	t.Helper()
	n := uniq()
	tn := &tenant{}
	if err := g.Raw(`INSERT INTO partners (name, credit_code, status, signing_entity_changed_at) VALUES (?, ?, 'active', ?) RETURNING id`,
		fmt.Sprintf("发票测试伙伴%d", n), fmt.Sprintf("%018d", n), changed).Scan(&tn.ID).Error; err != nil {
		t.Fatal(err)
	}
	var uid int64
	if err := g.Raw(`INSERT INTO users (kind, partner_id, login_name, password_hash, is_main) VALUES ('partner', ?, ?, 'x', true) RETURNING id`,
		tn.ID, fmt.Sprintf("inv%d", n)).Scan(&uid).Error; err != nil {
		t.Fatal(err)
	}
	tn.Main = &access.Principal{UserID: uid, PartnerID: tn.ID, IsMain: true, PartnerActive: true, Items: map[access.Item]bool{}}
	tn.Resale = fixtureCustomer(t, g, tn.ID, "resale")
	tn.Consul = fixtureCustomer(t, g, tn.ID, "consulting")
	return tn
}

// fixtureStaff: a vendor finance user, the principal of the desk.
func fixtureStaff(t *testing.T, g *gorm.DB) *access.Principal {
	t.Helper()
	var uid int64
	if err := g.Raw(`INSERT INTO users (kind, vendor_role, login_name, password_hash) VALUES ('vendor', 'finance', ?, 'x') RETURNING id`,
		fmt.Sprintf("istaff%d", uniq())).Scan(&uid).Error; err != nil {
		t.Fatal(err)
	}
	return access.VendorStaff(uid, "finance")
}

func fixtureCustomer(t *testing.T, g *gorm.DB, partnerID int64, mode string) int64 {
	t.Helper()
	n := uniq()
	var id int64
	if err := g.Raw(`INSERT INTO customers (account_name, name, kind, registered_at) VALUES (?, ?, 'enterprise', now()) RETURNING id`,
		fmt.Sprintf("inv_cust_%d", n), fmt.Sprintf("发票客户%d", n)).Scan(&id).Error; err != nil {
		t.Fatal(err)
	}
	if err := g.Exec(`INSERT INTO associations (partner_id, customer_id, mode, status, associated_at) VALUES (?, ?, ?, 'active', now())`,
		partnerID, id, mode).Error; err != nil {
		t.Fatal(err)
	}
	return id
}

// line inserts a consumption record paid by cash and voucher (negative
// for a refund).
func line(t *testing.T, g *gorm.DB, pid, cid int64, mode, period, entity, billType, cash, voucher string) {
	t.Helper()
	p, ok := ParsePeriod(period)
	if !ok {
		t.Fatalf("period %s", period)
	}
	total := d(cash).Add(d(voucher))
	if err := g.Exec(`INSERT INTO consumption_records (partner_id, customer_id, mode, bill_type, billing_period, transaction_at,
		signing_entity, product_type, billing_mode, list_price, discount_amount, amount_payable, charged_amount, rounding_off,
		cash_paid, voucher_paid, source_ref) VALUES (?, ?, ?, ?, ?, ?, ?, '弹性云服务器', 'on_demand', ?, 0, ?, ?, 0, ?, ?, ?)`,
		pid, cid, mode, billType, p, p.Add(48*time.Hour), entity, total, total, total, d(cash), d(voucher),
		fmt.Sprintf("test-inv-%d", uniq())).Error; err != nil {
		t.Fatal(err)
	}
}

func saveInfo(t *testing.T, s Service, tn *tenant, complete bool) *Info {
	t.Helper()
	in := InfoInput{Title: "发票测试伙伴有限公司", TaxpayerID: partner.USCCWithCheck("91310115MA1K4A2B3")}
	if complete {
		in.BankName, in.BankAccount, in.Address, in.Phone = "招商银行上海张江支行", "121908765410001", "上海市浦东新区碧波路690号", "021-50801234"
	}
	info, err := s.SaveInfo(context.Background(), tn.Main, in)
	if err != nil {
		t.Fatal(err)
	}
	return info
}

func fieldErr(err error) string {
	if ae, ok := apperr.As(err); ok {
		for _, v := range ae.Fields {
			if strings.HasPrefix(v, "invoice.err.field.") {
				return ae.Key // the field points at the summary, which gives the reason
			}
			return v
		}
		return ae.Key
	}
	if err == nil {
		return ""
	}
	return err.Error()
}

func count(t *testing.T, g *gorm.DB, table, where string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := g.Table(table).Where(where, args...).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// R21: only the cash consumed by resale customers is invoiceable:
// vouchers and consulting customers' consumption are not.
func TestInvoiceableIsResaleCashOnly(t *testing.T) {
	g := dbtest.DB(t)
	s := Service{DB: g, Clock: clock.System{}}
	tn := fixtureTenant(t, g, nil)
	line(t, g, tn.ID, tn.Resale, "resale", "2025-03", EntitySoftware, "consumption", "120.50", "30.00")
	line(t, g, tn.ID, tn.Resale, "resale", "2025-03", EntitySoftware, "refund", "-20.50", "0")
	line(t, g, tn.ID, tn.Consul, "consulting", "2025-03", EntitySoftware, "consumption", "999.00", "0")
	bs, err := s.Bills(context.Background(), tn.Main, EntitySoftware)
	if err != nil {
		t.Fatal(err)
	}
	if len(bs) != 1 || !bs[0].Invoiceable.Equal(d("100")) || !bs[0].HasRefund {
		t.Fatalf("bills %+v", bs)
	}
	ents, _, _ := s.Entities(context.Background(), tn.Main)
	if len(ents) != 1 || ents[0] != EntitySoftware {
		t.Fatalf("a partner that never changed has only 华为软件: %v", ents)
	}
}

// R25: one valid invoice info per account; a second is refused, editing
// replaces it and the audit keeps the old values; a title over 100 bytes
// is refused and nothing changes.
func TestInvoiceInfoIsOnePerAccountAndTitleIsLimited(t *testing.T) {
	g := dbtest.DB(t)
	s := Service{DB: g, Clock: clock.System{}}
	ctx := context.Background()
	tn := fixtureTenant(t, g, nil)
	info := saveInfo(t, s, tn, false)
	_, err := s.SaveInfo(ctx, tn.Main, InfoInput{Title: "另一个抬头", TaxpayerID: info.TaxpayerID})
	if fieldErr(err) != "invoice.err.info_exists" {
		t.Fatalf("second record: %v", err)
	}
	long := strings.Repeat("云", 51) // 102 GBK bytes
	_, err = s.SaveInfo(ctx, tn.Main, InfoInput{ID: info.ID, Title: long, TaxpayerID: info.TaxpayerID})
	if fieldErr(err) != "invoice.err.title_long" {
		t.Fatalf("long title: %v", err)
	}
	// 50 Chinese characters are 100 GBK bytes: allowed, and the database
	// agrees (its check counts GBK bytes too).
	if _, err = s.SaveInfo(ctx, tn.Main, InfoInput{ID: info.ID, Title: strings.Repeat("云", 50), TaxpayerID: info.TaxpayerID}); err != nil {
		t.Fatalf("50 Chinese characters: %v", err)
	}
	_, err = s.SaveInfo(ctx, tn.Main, InfoInput{ID: info.ID, Title: "新抬头有限公司", TaxpayerID: "91310115MA1K4A2B3X"})
	if fieldErr(err) != "invoice.err.taxpayer_id" {
		t.Fatalf("bad USCC: %v", err)
	}
	if _, err := s.SaveInfo(ctx, tn.Main, InfoInput{ID: info.ID, Title: "新抬头有限公司", TaxpayerID: info.TaxpayerID}); err != nil {
		t.Fatal(err)
	}
	if n := count(t, g, "invoice_infos", "partner_id = ?", tn.ID); n != 1 {
		t.Fatalf("%d records", n)
	}
	cur, _ := s.CurrentInfo(ctx, tn.Main)
	if cur.Title != "新抬头有限公司" {
		t.Fatalf("title %q", cur.Title)
	}
	if n := count(t, g, "audit_log", "action = 'invoice.info.update' AND object_id = ? AND before::text LIKE ?", fmt.Sprint(info.ID), "%发票测试伙伴有限公司%"); n != 1 {
		t.Fatalf("audit history rows %d", n)
	}
	// Another tenant cannot edit it.
	other := fixtureTenant(t, g, nil)
	if _, err := s.SaveInfo(ctx, other.Main, InfoInput{ID: info.ID, Title: "盗用", TaxpayerID: info.TaxpayerID}); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("foreign edit: %v", err)
	}
	// The schema holds it too.
	if err := g.Exec(`INSERT INTO invoice_infos (partner_id, title, taxpayer_id) VALUES (?, 'x', 'y')`, tn.ID).Error; err == nil {
		t.Fatal("the schema allowed a second valid record")
	}
}

// R22: several periods on one invoice; a bill already on a live invoice
// is refused; R20 tax and R23 postage are stored; R24 special invoices
// are paper only and need complete info.
func TestApplyByPeriodsNeverSplitsABill(t *testing.T) {
	g := dbtest.DB(t)
	s := Service{DB: g, Clock: clock.System{}}
	ctx := context.Background()
	tn := fixtureTenant(t, g, nil)
	line(t, g, tn.ID, tn.Resale, "resale", "2025-01", EntitySoftware, "consumption", "40.00", "0")
	line(t, g, tn.ID, tn.Resale, "resale", "2025-02", EntitySoftware, "consumption", "50.00", "0")
	line(t, g, tn.ID, tn.Resale, "resale", "2025-03", EntitySoftware, "consumption", "500.00", "0")
	paper := ApplyInput{Entity: EntitySoftware, Mode: ModePeriods, Type: TypeGeneral, Medium: MediumPaper,
		Recipient: "刘洋", Phone: "13800000001", Address: "上海市浦东新区碧波路690号"}

	in := paper
	in.Periods = []string{"2025-01"}
	if _, err := s.Apply(ctx, tn.Main, in); fieldErr(err) != "invoice.err.no_info" {
		t.Fatalf("no info: %v", err)
	}
	saveInfo(t, s, tn, false)
	in.Type, in.Medium = TypeSpecial, MediumElectronic
	if _, err := s.Apply(ctx, tn.Main, in); fieldErr(err) != "invoice.err.special_electronic" {
		t.Fatalf("special electronic: %v", err)
	}
	in.Medium = MediumPaper
	if _, err := s.Apply(ctx, tn.Main, in); fieldErr(err) != "invoice.err.info_incomplete" {
		t.Fatalf("special with incomplete info: %v", err)
	}
	in = paper
	in.Periods = []string{"2025-01", "2025-02"}
	inv, err := s.Apply(ctx, tn.Main, in)
	if err != nil {
		t.Fatal(err)
	}
	if !inv.Amount.Equal(d("90")) || !inv.TaxAmount.Equal(d("5.09")) || inv.Postage != PostageCollect || inv.State != StateApplied || inv.No == "" {
		t.Fatalf("invoice %+v", inv)
	}
	in.Periods = []string{"2025-02", "2025-03"}
	before := count(t, g, "invoices", "partner_id = ?", tn.ID)
	if _, err := s.Apply(ctx, tn.Main, in); fieldErr(err) != "invoice.err.bill_invoiced" {
		t.Fatalf("a bill on two invoices: %v", err)
	}
	if count(t, g, "invoices", "partner_id = ?", tn.ID) != before {
		t.Fatal("a refused application changed something")
	}
	in.Periods = []string{"2025-03"}
	big, err := s.Apply(ctx, tn.Main, in)
	if err != nil || big.Postage != PostageVendor {
		t.Fatalf("≥ ¥100 vendor pays postage: %v %+v", err, big)
	}
	// The schema refuses a second live claim of a bill even without the service.
	if err := g.Exec(`INSERT INTO invoice_bills (invoice_id, partner_id, signing_entity, billing_period, amount) VALUES (?, ?, 'software', '2025-01-01', 40)`,
		big.ID, tn.ID).Error; err == nil {
		t.Fatal("schema allowed a bill on two live invoices")
	}
}

func TestApplyBySpecifiedAmountRefusesSplitAndExcess(t *testing.T) {
	g := dbtest.DB(t)
	s := Service{DB: g, Clock: clock.System{}}
	ctx := context.Background()
	tn := fixtureTenant(t, g, nil)
	saveInfo(t, s, tn, true)
	line(t, g, tn.ID, tn.Resale, "resale", "2025-01", EntitySoftware, "consumption", "100.00", "0")
	line(t, g, tn.ID, tn.Resale, "resale", "2025-02", EntitySoftware, "consumption", "200.00", "0")
	in := ApplyInput{Entity: EntitySoftware, Mode: ModeAmount, Type: TypeGeneral, Medium: MediumElectronic}
	in.Amount = "300.01"
	if _, err := s.Apply(ctx, tn.Main, in); fieldErr(err) != "invoice.err.exceeds" {
		t.Fatalf("above invoiceable: %v", err)
	}
	in.Amount = "150"
	if _, err := s.Apply(ctx, tn.Main, in); fieldErr(err) != "invoice.err.would_split" {
		t.Fatalf("split: %v", err)
	}
	in.Amount = "100.00"
	inv, err := s.Apply(ctx, tn.Main, in)
	if err != nil || inv.Postage != PostageNone {
		t.Fatalf("%v %+v", err, inv)
	}
	var period time.Time
	g.Raw(`SELECT billing_period FROM invoice_bills WHERE invoice_id = ?`, inv.ID).Scan(&period)
	if PeriodKey(period) != "2025-01" {
		t.Fatalf("oldest first: matched %s", PeriodKey(period))
	}
}

// Two applications for the same bill at the same time: one invoice, one
// refusal.
func TestConcurrentApplicationsForTheSameBillOneWins(t *testing.T) {
	g := dbtest.DB(t)
	s := Service{DB: g, Clock: clock.System{}}
	tn := fixtureTenant(t, g, nil)
	saveInfo(t, s, tn, true)
	line(t, g, tn.ID, tn.Resale, "resale", "2025-04", EntitySoftware, "consumption", "321.00", "0")
	in := ApplyInput{Entity: EntitySoftware, Mode: ModePeriods, Periods: []string{"2025-04"}, Type: TypeGeneral, Medium: MediumElectronic}
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, errs[i] = s.Apply(context.Background(), tn.Main, in)
		}(i)
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case fieldErr(err) != "invoice.err.bill_invoiced":
			t.Errorf("unexpected error %v", err)
		}
	}
	if ok != 1 || count(t, g, "invoices", "partner_id = ?", tn.ID) != 1 {
		t.Fatalf("%d applications won", ok)
	}
}

// The whole life: issue electronically (PDF), 退票 with a remark of at most
// 128 characters that cannot be withdrawn, accepted by finance; the bill
// is free again. Another tenant sees nothing.
func TestInvoiceLifeIssueReturnFreesTheBill(t *testing.T) {
	g := dbtest.DB(t)
	s := Service{DB: g, Clock: clock.System{}}
	desk := Desk{Service: s}
	staff := fixtureStaff(t, g)
	ctx := context.Background()
	tn := fixtureTenant(t, g, nil)
	saveInfo(t, s, tn, true)
	line(t, g, tn.ID, tn.Resale, "resale", "2025-05", EntitySoftware, "consumption", "88.80", "0")
	in := ApplyInput{Entity: EntitySoftware, Mode: ModePeriods, Periods: []string{"2025-05"}, Type: TypeGeneral, Medium: MediumElectronic}
	inv, err := s.Apply(ctx, tn.Main, in)
	if err != nil {
		t.Fatal(err)
	}
	other := fixtureTenant(t, g, nil)
	if _, _, err := s.Get(ctx, other.Main, inv.ID); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("isolation: %v", err)
	}
	ret := ReturnInput{Reason: "退款", Courier: "顺丰", TrackingNo: "SF1234567890", Remark: "退款"}
	if err := s.RequestReturn(ctx, tn.Main, inv.ID, ret); !apperr.Is(err, apperr.KindConflict) {
		t.Fatalf("return before issue: %v", err)
	}
	if err := desk.Mail(ctx, staff, inv.ID, "顺丰", "SF1"); err == nil {
		t.Fatal("mailed an applied electronic invoice")
	}
	if err := desk.Issue(ctx, staff, inv.ID, "12ab"); fieldErr(err) != "invoice.err.number" {
		t.Fatalf("bad number: %v", err)
	}
	if err := desk.Issue(ctx, staff, inv.ID, ""); err != nil {
		t.Fatal(err)
	}
	if err := desk.Issue(ctx, staff, inv.ID, ""); !apperr.Is(err, apperr.KindConflict) {
		t.Fatalf("issued twice: %v", err)
	}
	doc, err := s.Document(ctx, tn.Main, inv.ID)
	if err != nil || !strings.HasPrefix(string(doc.Content), "%PDF-") {
		t.Fatalf("document: %v", err)
	}
	if _, err := s.Document(ctx, other.Main, inv.ID); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("foreign document: %v", err)
	}
	long := ret
	long.Remark = strings.Repeat("退", 129)
	if err := s.RequestReturn(ctx, tn.Main, inv.ID, long); fieldErr(err) != "invoice.err.return_remark_long" {
		t.Fatalf("remark 129: %v", err)
	}
	if err := s.RequestReturn(ctx, other.Main, inv.ID, ret); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("foreign return: %v", err)
	}
	ret.Remark = strings.Repeat("退", 128)
	if err := s.RequestReturn(ctx, tn.Main, inv.ID, ret); err != nil {
		t.Fatal(err)
	}
	// Cannot be withdrawn or submitted again.
	if err := s.RequestReturn(ctx, tn.Main, inv.ID, ret); !apperr.Is(err, apperr.KindConflict) {
		t.Fatalf("second return: %v", err)
	}
	bs, _ := s.Bills(ctx, tn.Main, EntitySoftware)
	if bs[0].Free() {
		t.Fatal("a bill being returned is free already")
	}
	if err := desk.AcceptReturn(ctx, staff, inv.ID); err != nil {
		t.Fatal(err)
	}
	bs, _ = s.Bills(ctx, tn.Main, EntitySoftware)
	if !bs[0].Free() {
		t.Fatal("a returned invoice did not free its bill")
	}
	if _, err := s.Apply(ctx, tn.Main, in); err != nil {
		t.Fatalf("re-apply after return: %v", err)
	}
	if n := count(t, g, "audit_log", "object_type = 'invoice' AND object_id = ?", fmt.Sprint(inv.ID)); n != 4 {
		t.Fatalf("audit rows %d, want apply, issue, return request, accept", n)
	}
}

// Paper invoices are mailed with courier and tracking number.
func TestPaperInvoiceIsMailed(t *testing.T) {
	g := dbtest.DB(t)
	s := Service{DB: g, Clock: clock.System{}}
	desk := Desk{Service: s}
	staff := fixtureStaff(t, g)
	ctx := context.Background()
	tn := fixtureTenant(t, g, nil)
	saveInfo(t, s, tn, true)
	line(t, g, tn.ID, tn.Resale, "resale", "2025-06", EntitySoftware, "consumption", "1000.00", "0")
	inv, err := s.Apply(ctx, tn.Main, ApplyInput{Entity: EntitySoftware, Mode: ModePeriods, Periods: []string{"2025-06"},
		Type: TypeSpecial, Medium: MediumPaper, Recipient: "刘洋", Phone: "13800000001", Address: "上海市浦东新区碧波路690号"})
	if err != nil {
		t.Fatal(err)
	}
	if err := desk.Issue(ctx, staff, inv.ID, "04400000123456"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Document(ctx, tn.Main, inv.ID); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatal("a paper invoice has no e-invoice to download")
	}
	if err := desk.Mail(ctx, staff, inv.ID, "顺丰速运", "SF1029384756"); err != nil {
		t.Fatal(err)
	}
	got, _, _ := s.Get(ctx, tn.Main, inv.ID)
	if got.State != StateMailed || got.TrackingNo != "SF1029384756" || got.Number() != "04400000123456" {
		t.Fatalf("%+v", got)
	}
}

// After the signing-entity change both tabs exist; the owed amount comes
// from the recorded lines and invoices (R53 ex2 on real rows).
func TestChangedPartnerHasBothEntitiesAndOwedAmount(t *testing.T) {
	g := dbtest.DB(t)
	s := Service{DB: g, Clock: clock.NewFixed(time.Date(2025, 6, 10, 2, 0, 0, 0, time.UTC))}
	ctx := context.Background()
	change := time.Date(2025, 6, 30, 16, 0, 0, 0, time.UTC)
	tn := fixtureTenant(t, g, &change)
	saveInfo(t, s, tn, true)
	ents, _, _ := s.Entities(ctx, tn.Main)
	if len(ents) != 2 {
		t.Fatalf("entities %v", ents)
	}
	line(t, g, tn.ID, tn.Resale, "resale", "2025-05", EntitySoftware, "consumption", "100.00", "0")
	if _, err := s.Apply(ctx, tn.Main, ApplyInput{Entity: EntitySoftware, Mode: ModePeriods, Periods: []string{"2025-05"},
		Type: TypeGeneral, Medium: MediumElectronic}); err != nil {
		t.Fatal(err)
	}
	line(t, g, tn.ID, tn.Resale, "resale", "2025-07", EntitySoftware, "refund", "-80.00", "0")
	line(t, g, tn.ID, tn.Resale, "resale", "2025-08", EntityCloud, "consumption", "50.00", "0")
	pos, err := s.Position(ctx, tn.Main)
	if err != nil {
		t.Fatal(err)
	}
	if !pos.Owed.Equal(d("30")) || !pos.Invoiceable[EntityCloud].IsZero() {
		t.Fatalf("owed %s cloud %s", pos.Owed, pos.Invoiceable[EntityCloud])
	}
}

// A principal of the wrong kind is refused and changes nothing: vendor
// staff and a customer account (even carrying the tenant id) cannot use a
// tenant's 发票管理 — before the actor rule a vendor principal's empty
// tenant read every partner's invoices there — and a partner member, even
// the main account, cannot use vendor finance's desk.
func TestWrongKindOfPrincipalIsRefused(t *testing.T) {
	g := dbtest.DB(t)
	s := Service{DB: g, Clock: clock.System{}}
	desk := Desk{Service: s}
	staff := fixtureStaff(t, g)
	ctx := context.Background()
	tn := fixtureTenant(t, g, nil)
	saveInfo(t, s, tn, true)
	line(t, g, tn.ID, tn.Resale, "resale", "2025-05", EntitySoftware, "consumption", "88.80", "0")
	line(t, g, tn.ID, tn.Resale, "resale", "2025-06", EntitySoftware, "consumption", "11.20", "0")
	issued, err := s.Apply(ctx, tn.Main, ApplyInput{Entity: EntitySoftware, Mode: ModePeriods, Periods: []string{"2025-05"},
		Type: TypeGeneral, Medium: MediumElectronic})
	if err != nil {
		t.Fatal(err)
	}
	if err := desk.Issue(ctx, staff, issued.ID, ""); err != nil {
		t.Fatal(err)
	}
	applied, err := s.Apply(ctx, tn.Main, ApplyInput{Entity: EntitySoftware, Mode: ModePeriods, Periods: []string{"2025-06"},
		Type: TypeSpecial, Medium: MediumPaper, Recipient: "刘洋", Phone: "13800000001", Address: "上海市浦东新区碧波路690号"})
	if err != nil {
		t.Fatal(err)
	}
	state := func() string {
		var out string
		g.Raw(`SELECT concat_ws('|',
			(SELECT string_agg(id || ':' || state, ',' ORDER BY id) FROM invoices WHERE partner_id = ?),
			(SELECT count(*) FROM invoice_bills WHERE partner_id = ? AND active),
			(SELECT string_agg(title || updated_at::text, ',') FROM invoice_infos WHERE partner_id = ?),
			(SELECT count(*) FROM audit_log WHERE partner_id = ?),
			(SELECT count(*) FROM messages WHERE user_id = ?))`, tn.ID, tn.ID, tn.ID, tn.ID, tn.Main.UserID).Scan(&out)
		return out
	}
	before := state()
	forbidden := func(what string, err error) {
		t.Helper()
		if !apperr.Is(err, apperr.KindForbidden) {
			t.Errorf("%s: %v, want forbidden", what, err)
		}
	}
	vendor := *staff
	vendor.PartnerID, vendor.IsMain = tn.ID, true // a stray tenant on a vendor principal grants nothing
	customer := access.CustomerUser(tn.Main.UserID)
	customer.PartnerID, customer.IsMain = tn.ID, true
	info := InfoInput{Title: "越权抬头有限公司", TaxpayerID: partner.USCCWithCheck("91310115MA1K4A2B3")}
	ret := ReturnInput{Reason: "退款", Courier: "顺丰", TrackingNo: "SF1234567890", Remark: "越权退票"}
	for name, p := range map[string]*access.Principal{"vendor": &vendor, "customer": customer, "system": access.System} {
		_, _, err := s.Entities(ctx, p)
		forbidden(name+" Entities", err)
		_, err = s.Bills(ctx, p, EntitySoftware)
		forbidden(name+" Bills", err)
		_, err = s.Summarize(ctx, p, EntitySoftware, nil)
		forbidden(name+" Summarize", err)
		_, err = s.Position(ctx, p)
		forbidden(name+" Position", err)
		_, err = s.List(ctx, p, Filter{})
		forbidden(name+" List", err)
		_, _, err = s.Get(ctx, p, issued.ID)
		forbidden(name+" Get", err)
		_, err = s.Document(ctx, p, issued.ID)
		forbidden(name+" Document", err)
		_, err = s.CurrentInfo(ctx, p)
		forbidden(name+" CurrentInfo", err)
		_, err = s.SaveInfo(ctx, p, info)
		forbidden(name+" SaveInfo", err)
		_, err = s.Apply(ctx, p, ApplyInput{Entity: EntitySoftware, Mode: ModeAmount, Amount: "1.00", Type: TypeGeneral, Medium: MediumElectronic})
		forbidden(name+" Apply", err)
		forbidden(name+" RequestReturn", s.RequestReturn(ctx, p, issued.ID, ret))
	}
	for name, p := range map[string]*access.Principal{"partner": tn.Main, "customer": customer, "system": access.System} {
		_, err := desk.Queue(ctx, p, Filter{})
		forbidden(name+" Queue", err)
		_, _, err = desk.Get(ctx, p, issued.ID)
		forbidden(name+" Desk.Get", err)
		_, err = desk.Document(ctx, p, issued.ID)
		forbidden(name+" Desk.Document", err)
		forbidden(name+" Issue", desk.Issue(ctx, p, applied.ID, ""))
		forbidden(name+" Mail", desk.Mail(ctx, p, issued.ID, "顺丰速运", "SF1029384756"))
		forbidden(name+" AcceptReturn", desk.AcceptReturn(ctx, p, issued.ID))
	}
	if after := state(); after != before {
		t.Fatalf("state changed: %s → %s", before, after)
	}
}

// §12.1.4.21: an entity with only a negative consumption (a refund) is
// merged into the other entity's tab; an incentive credited with its
// invoice owed (返华为云账户-记欠票) counts as invoiced on real rows, so
// the consumption it pays for is not invoiceable.
func TestOwedOnlyEntityIsMergedAndOwedCreditsCount(t *testing.T) {
	g := dbtest.DB(t)
	s := Service{DB: g, Clock: clock.NewFixed(time.Date(2025, 9, 10, 2, 0, 0, 0, time.UTC))}
	ctx := context.Background()
	change := time.Date(2025, 6, 30, 16, 0, 0, 0, time.UTC)
	tn := fixtureTenant(t, g, &change)
	line(t, g, tn.ID, tn.Resale, "resale", "2025-07", EntitySoftware, "refund", "-39.40", "0")
	line(t, g, tn.ID, tn.Resale, "resale", "2025-08", EntityCloud, "consumption", "50.00", "0")
	ts, err := s.Tabs(ctx, tn.Main)
	if err != nil || len(ts.Tabs) != 1 || ts.Tabs[0] != EntityCloud || len(ts.Merged) != 1 || ts.Merged[0] != EntitySoftware ||
		len(ts.Bills[EntitySoftware]) != 1 || len(ts.Bills[EntityCloud]) != 1 {
		t.Fatalf("tab set %+v %v", ts, err)
	}
	line(t, g, tn.ID, tn.Resale, "resale", "2025-05", EntitySoftware, "consumption", "100.00", "0")
	if ts, err := s.Tabs(ctx, tn.Main); err != nil || len(ts.Tabs) != 2 || len(ts.Merged) != 0 {
		t.Fatalf("with a software bill to invoice: %+v %v", ts, err)
	}

	// 100 of incentive credited on 5 July with the invoice owed; the 50
	// consumed in August draws it down instead of becoming invoiceable.
	cash, err := ledger.PartnerCash(ctx, g, tn.ID)
	if err != nil {
		t.Fatal(err)
	}
	bank, err := ledger.Vendor(ctx, g, ledger.KindVendorBank)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ledger.Post(ctx, g, ledger.Move{PartnerID: tn.ID, Kind: ledger.TxRecharge, Amount: d("100"), Source: funds.SourceIncentiveOwed,
		PayerName: "华为云激励", At: time.Date(2025, 7, 5, 0, 0, 0, 0, time.UTC),
		Legs: []ledger.Leg{{AccountID: bank.ID, Amount: d("-100")}, {AccountID: cash.ID, Amount: d("100")}}}); err != nil {
		t.Fatal(err)
	}
	pos, err := s.Position(ctx, tn.Main)
	if err != nil {
		t.Fatal(err)
	}
	if !pos.Owed.Equal(d("50")) || !pos.Invoiceable[EntityCloud].IsZero() {
		t.Fatalf("owed %s cloud invoiceable %s", pos.Owed, pos.Invoiceable[EntityCloud])
	}
}

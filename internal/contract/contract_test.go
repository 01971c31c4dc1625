package contract

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"partnercenter/internal/platform/money"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
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
	ID   int64
	Name string
	Main *access.Principal
}

// fixtureTenant: an active partner with a valid USCC and a main account.
func fixtureTenant(t *testing.T, g *gorm.DB, parent int64) *tenant {
	t.Helper()
	n := uniq()
	tn := &tenant{Name: fmt.Sprintf("合同测试伙伴%d有限公司", n)}
	code := partner.USCCWithCheck(fmt.Sprintf("91310115%09d", n%1_000_000_000))
	var par any
	if parent != 0 {
		par = parent
	}
	if err := g.Raw(`INSERT INTO partners (name, credit_code, status, address, parent_partner_id) VALUES (?, ?, 'active', '上海市浦东新区碧波路1号', ?) RETURNING id`,
		tn.Name, code, par).Scan(&tn.ID).Error; err != nil {
		t.Fatal(err)
	}
	var uid int64
	if err := g.Raw(`INSERT INTO users (kind, partner_id, login_name, password_hash, is_main) VALUES ('partner', ?, ?, 'x', true) RETURNING id`,
		tn.ID, fmt.Sprintf("contract%d", n)).Scan(&uid).Error; err != nil {
		t.Fatal(err)
	}
	tn.Main = &access.Principal{UserID: uid, PartnerID: tn.ID, IsMain: true, PartnerActive: true, Items: map[access.Item]bool{}}
	return tn
}

// fixtureStaff: a vendor finance user, as the principal of the vendor's
// contract entry.
func fixtureStaff(t *testing.T, g *gorm.DB) *access.Principal {
	t.Helper()
	var uid int64
	if err := g.Raw(`INSERT INTO users (kind, vendor_role, login_name, password_hash) VALUES ('vendor', 'finance', ?, 'x') RETURNING id`,
		fmt.Sprintf("cstaff%d", uniq())).Scan(&uid).Error; err != nil {
		t.Fatal(err)
	}
	return access.VendorStaff(uid, "finance")
}

func count(t *testing.T, g *gorm.DB, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := g.Raw(q, args...).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func kindOf(err error) apperr.Kind {
	if ae, ok := apperr.As(err); ok {
		return ae.Kind
	}
	return -1
}

func keyOf(err error) string {
	if ae, ok := apperr.As(err); ok {
		if len(ae.Fields) > 0 {
			var out []string
			for k, v := range ae.Fields {
				out = append(out, k+"="+v)
			}
			return strings.Join(out, ",")
		}
		return ae.Key
	}
	return fmt.Sprint(err)
}

// TestSignPaymentAgreement: the partner's main account signs the 华为云付款协议
// (§12.1.9.6 step 4): a contract HWCP-YYYYMMDD-NNNNNN in effect with the
// software entity (no change instant), the terms naming the company, USCC,
// entity and dedicated recharge account, a stored PDF, and an audit row.
func TestSignPaymentAgreement(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	tn := fixtureTenant(t, g, 0)
	clk := clock.NewFixed(time.Date(2025, 3, 1, 17, 30, 0, 0, time.UTC)) // 2025-03-02 01:30 in China
	s := Service{DB: g, Clock: clk}
	d, err := s.Draft(ctx, tn.Main)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(d.Terms, "\n")
	acct := ledger.RechargeAccountNo(tn.ID)
	for _, want := range []string{tn.Name, d.Parties.CreditCode, "华为软件技术有限公司", acct, "2025年03月02日"} {
		if !strings.Contains(text, want) {
			t.Errorf("terms lack %q", want)
		}
	}
	if !d.Verified || d.Current != nil {
		t.Fatalf("draft: verified %v current %v", d.Verified, d.Current)
	}
	c, err := s.SignPaymentAgreement(ctx, tn.Main, true)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^HWCP-20250302-\d{6}$`).MatchString(c.Code) {
		t.Errorf("code %q", c.Code)
	}
	if c.Status != StateActive || c.SigningEntity != EntitySoftware || c.Kind != KindOnline || c.SignedAt == nil {
		t.Errorf("contract %+v", c)
	}
	got, err := s.Get(ctx, tn.Main, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != StateActive || got.Terms != text || got.FileName != c.Code+".pdf" {
		t.Errorf("stored: state %s file %q terms equal %v", got.State, got.FileName, got.Terms == text)
	}
	f, err := s.File(ctx, tn.Main, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if f.ContentType != "application/pdf" || !bytes.HasPrefix(f.Data, []byte("%PDF-1.")) {
		t.Fatalf("file %s %q", f.ContentType, f.Data[:8])
	}
	if n := count(t, g, `SELECT count(*) FROM audit_log WHERE action = 'contract.sign' AND object_id = ? AND partner_id = ?`,
		fmt.Sprint(c.ID), tn.ID); n != 1 {
		t.Errorf("audit rows %d", n)
	}
	if bin, err := exec.LookPath("pdftotext"); err == nil {
		p := filepath.Join(t.TempDir(), "a.pdf")
		_ = os.WriteFile(p, f.Data, 0o600)
		out, err := exec.Command(bin, "-enc", "UTF-8", p, "-").CombinedOutput()
		if err != nil {
			t.Fatalf("pdftotext: %v %s", err, out)
		}
		for _, want := range []string{"华为云付款协议", tn.Name, acct, c.Code, "华为软件技术有限公司", "我已阅读并同意本协议"} {
			if !strings.Contains(string(out), want) {
				t.Errorf("PDF text lacks %q:\n%s", want, out)
			}
		}
	}
}

// TestSigningAgainWhileInEffectIsRefused: one payment agreement in effect
// per partner and signing entity; the second submit says so, stores nothing.
func TestSigningAgainWhileInEffectIsRefused(t *testing.T) {
	g := dbtest.DB(t)
	staff := fixtureStaff(t, g)
	ctx := context.Background()
	tn := fixtureTenant(t, g, 0)
	s := Service{DB: g, Clock: clock.System{}}
	first, err := s.SignPaymentAgreement(ctx, tn.Main, true)
	if err != nil {
		t.Fatal(err)
	}
	files0 := count(t, g, `SELECT count(*) FROM files WHERE partner_id = ?`, tn.ID)
	_, err = s.SignPaymentAgreement(ctx, tn.Main, true)
	if kindOf(err) != apperr.KindConflict || keyOf(err) != "contract.err.already_signed" {
		t.Fatalf("second signing: %v", err)
	}
	if ae, _ := apperr.As(err); ae.Args["Code"] != first.Code {
		t.Errorf("message should name the agreement in effect: %v", ae.Args)
	}
	if n := count(t, g, `SELECT count(*) FROM contracts WHERE partner_id = ?`, tn.ID); n != 1 {
		t.Errorf("contracts %d", n)
	}
	if n := count(t, g, `SELECT count(*) FROM files WHERE partner_id = ?`, tn.ID); n != files0 {
		t.Errorf("files %d → %d", files0, n)
	}
	// Once vendor staff terminate it, a new one may be signed.
	if err := s.Terminate(ctx, staff, first.ID, "测试终止"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SignPaymentAgreement(ctx, tn.Main, true); err != nil {
		t.Fatalf("after termination: %v", err)
	}
}

// TestConcurrentSigningsLeaveOneAgreement: ten simultaneous submits (a
// double click, several tabs) create one agreement; the others are refused.
func TestConcurrentSigningsLeaveOneAgreement(t *testing.T) {
	g := dbtest.DB(t)
	tn := fixtureTenant(t, g, 0)
	s := Service{DB: g, Clock: clock.System{}}
	var ok, conflict atomic.Int64
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.SignPaymentAgreement(context.Background(), tn.Main, true)
			switch {
			case err == nil:
				ok.Add(1)
			case kindOf(err) == apperr.KindConflict:
				conflict.Add(1)
			default:
				t.Errorf("unexpected: %v", err)
			}
		}()
	}
	wg.Wait()
	if ok.Load() != 1 || conflict.Load() != 9 {
		t.Errorf("ok %d conflict %d", ok.Load(), conflict.Load())
	}
	if n := count(t, g, `SELECT count(*) FROM contracts WHERE partner_id = ?`, tn.ID); n != 1 {
		t.Errorf("contracts %d", n)
	}
}

// TestSigningNeedsTheCheckbox: without 我已阅读并同意本协议 nothing is stored.
func TestSigningNeedsTheCheckbox(t *testing.T) {
	g := dbtest.DB(t)
	tn := fixtureTenant(t, g, 0)
	_, err := Service{DB: g, Clock: clock.System{}}.SignPaymentAgreement(context.Background(), tn.Main, false)
	if keyOf(err) != "agree=contract.err.agree_required" {
		t.Fatalf("got %v", err)
	}
	if n := count(t, g, `SELECT count(*) FROM contracts WHERE partner_id = ?`, tn.ID) +
		count(t, g, `SELECT count(*) FROM files WHERE partner_id = ?`, tn.ID) +
		count(t, g, `SELECT count(*) FROM audit_log WHERE partner_id = ?`, tn.ID); n != 0 {
		t.Errorf("%d rows written", n)
	}
}

// TestUnverifiedPartnerCannotSign: a partner whose credit code is not a
// valid USCC (not real-name verified) and a member who is not the main
// account cannot sign.
func TestUnverifiedPartnerCannotSign(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	tn := fixtureTenant(t, g, 0)
	// A well-formed but wrong check character: not a valid code.
	var code string
	g.Raw(`SELECT credit_code FROM partners WHERE id = ?`, tn.ID).Scan(&code)
	bad := code[:17] + map[bool]string{true: "1", false: "0"}[code[17] == '0']
	if err := g.Exec(`UPDATE partners SET credit_code = ? WHERE id = ?`, bad, tn.ID).Error; err != nil {
		t.Fatal(err)
	}
	s := Service{DB: g, Clock: clock.System{}}
	d, err := s.Draft(ctx, tn.Main)
	if err != nil || d.Verified {
		t.Fatalf("draft verified=%v err=%v", d != nil && d.Verified, err)
	}
	if _, err := s.SignPaymentAgreement(ctx, tn.Main, true); keyOf(err) != "contract.err.not_verified" {
		t.Fatalf("unverified: %v", err)
	}
	member := *tn.Main
	member.IsMain = false
	if _, err := s.SignPaymentAgreement(ctx, &member, true); kindOf(err) != apperr.KindForbidden {
		t.Fatalf("member: %v", err)
	}
	if n := count(t, g, `SELECT count(*) FROM contracts WHERE partner_id = ?`, tn.ID); n != 0 {
		t.Errorf("contracts %d", n)
	}
}

// TestSigningEntityFollowsTheChangeInstant: before the partner's change
// instant the counterparty is 华为软件, from it 华为云计算 (§12.1.9.4 申请
// 线上合同); the software agreement in effect does not block signing with
// the new entity.
func TestSigningEntityFollowsTheChangeInstant(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	tn := fixtureTenant(t, g, 0)
	change := time.Date(2025, 7, 1, 0, 0, 0, 0, clock.China)
	if err := g.Exec(`UPDATE partners SET signing_entity_changed_at = ? WHERE id = ?`, change, tn.ID).Error; err != nil {
		t.Fatal(err)
	}
	clk := clock.NewFixed(change.Add(-time.Second))
	s := Service{DB: g, Clock: clk}
	c1, err := s.SignPaymentAgreement(ctx, tn.Main, true)
	if err != nil || c1.SigningEntity != EntitySoftware {
		t.Fatalf("before the change: %v %+v", err, c1)
	}
	clk.Advance(time.Second)
	d, _ := s.Draft(ctx, tn.Main)
	if d.Parties.Entity != EntityCloud || d.Current != nil || !strings.Contains(strings.Join(d.Terms, ""), "华为云计算技术有限公司") {
		t.Fatalf("draft after change: %+v", d.Parties)
	}
	c2, err := s.SignPaymentAgreement(ctx, tn.Main, true)
	if err != nil || c2.SigningEntity != EntityCloud {
		t.Fatalf("after the change: %v %+v", err, c2)
	}
	if _, err := s.SignPaymentAgreement(ctx, tn.Main, true); kindOf(err) != apperr.KindConflict {
		t.Fatalf("third: %v", err)
	}
}

func validOffline(pid int64) OfflineInput {
	return OfflineInput{PartnerID: fmt.Sprint(pid), Code: fmt.Sprintf("XS-%d", uniq()), Name: "华为云经销商发展合作协议",
		Type: TypeResellerDevelopment, Entity: EntityCloud, Amount: "1,200,000.00", StartsOn: "2025-01-01", EndsOn: "2025-12-31"}
}

// TestCreateOfflineRefusesBadInput: every bad field answers its error and
// nothing is stored (no contract, no file, no audit row).
func TestCreateOfflineRefusesBadInput(t *testing.T) {
	g := dbtest.DB(t)
	staff := fixtureStaff(t, g)
	ctx := context.Background()
	tn := fixtureTenant(t, g, 0)
	s := Service{DB: g, Clock: clock.System{}}
	existing, err := s.CreateOffline(ctx, staff, validOffline(tn.ID))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		edit  func(*OfflineInput)
		field string
		key   string
	}{
		{"unknown partner", func(in *OfflineInput) { in.PartnerID = "999999999" }, "partner_id", "contract.err.partner"},
		{"no partner", func(in *OfflineInput) { in.PartnerID = "" }, "partner_id", "contract.err.partner"},
		{"empty code", func(in *OfflineInput) { in.Code = " " }, "code", "contract.err.code_required"},
		{"code with spaces", func(in *OfflineInput) { in.Code = "A B" }, "code", "contract.err.code_format"},
		{"code reserved for online agreements", func(in *OfflineInput) { in.Code = "hwcp-20250101-000001" }, "code", "contract.err.code_reserved"},
		{"duplicate code (case-insensitive)", func(in *OfflineInput) { in.Code = strings.ToLower(existing.Code) }, "code", "contract.err.code_taken"},
		{"name too long", func(in *OfflineInput) { in.Name = strings.Repeat("合", 101) }, "name", "contract.err.name"},
		{"payment agreement is online only", func(in *OfflineInput) { in.Type = TypePaymentAgreement }, "type", "contract.err.type"},
		{"unknown entity", func(in *OfflineInput) { in.Entity = "huawei" }, "entity", "contract.err.entity"},
		{"negative amount", func(in *OfflineInput) { in.Amount = "-5" }, "amount", "money.err.negative"},
		{"three decimals", func(in *OfflineInput) { in.Amount = "1.234" }, "amount", money.ErrPlaces + "2"},
		{"float syntax", func(in *OfflineInput) { in.Amount = "1e6" }, "amount", "money.err.format"},
		{"bad date", func(in *OfflineInput) { in.StartsOn = "2025-02-30" }, "starts_on", "contract.err.date"},
		{"end before start", func(in *OfflineInput) { in.EndsOn = "2024-12-31" }, "ends_on", "contract.err.end_before_start"},
		{"scan not a PDF", func(in *OfflineInput) { in.Scan = &Upload{Name: "a.pdf", Data: []byte("GIF89a…")} }, "scan", "files.err.type_hint"},
		{"scan over 10 MB", func(in *OfflineInput) {
			in.Scan = &Upload{Name: "a.pdf", Data: append([]byte("%PDF-1.4\n"), make([]byte, 10<<20)...)}
		}, "scan", "files.err.too_large"},
	}
	before := count(t, g, `SELECT count(*) FROM contracts`) + count(t, g, `SELECT count(*) FROM files`) + count(t, g, `SELECT count(*) FROM audit_log`)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := validOffline(tn.ID)
			c.edit(&in)
			_, err := s.CreateOffline(ctx, staff, in)
			ae, ok := apperr.As(err)
			if !ok || ae.Fields[c.field] != c.key {
				t.Fatalf("got %v (%s), want %s=%s", err, keyOf(err), c.field, c.key)
			}
		})
	}
	after := count(t, g, `SELECT count(*) FROM contracts`) + count(t, g, `SELECT count(*) FROM files`) + count(t, g, `SELECT count(*) FROM audit_log`)
	if after != before {
		t.Errorf("rows changed on bad input: %d → %d", before, after)
	}
}

// TestOfflineStatesAndFilters: 生效中, 已到期 (computed from the end date in
// China time) and 已终止 (by staff, once); the lists filter on them and on
// the type; the amount is optional and kept to the fen.
func TestOfflineStatesAndFilters(t *testing.T) {
	g := dbtest.DB(t)
	staff := fixtureStaff(t, g)
	ctx := context.Background()
	tn := fixtureTenant(t, g, 0)
	clk := clock.NewFixed(time.Date(2025, 6, 30, 16, 30, 0, 0, time.UTC)) // 2025-07-01 00:30 China
	s := Service{DB: g, Clock: clk}
	mk := func(end string, typ string, amount string) *Contract {
		in := validOffline(tn.ID)
		in.EndsOn, in.Type, in.Amount = end, typ, amount
		c, err := s.CreateOffline(ctx, staff, in)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	active := mk("2025-07-01", TypePaymentRequest, "")
	expired := mk("2025-06-30", TypeFramework, "88.5")
	term := mk("2026-12-31", TypeResellerDevelopment, "1000")
	if err := s.Terminate(ctx, staff, term.ID, "合作结束"); err != nil {
		t.Fatal(err)
	}
	if err := s.Terminate(ctx, staff, term.ID, ""); kindOf(err) != apperr.KindConflict {
		t.Fatalf("terminating twice: %v", err)
	}
	for state, want := range map[string]int64{StateActive: active.ID, StateExpired: expired.ID, StateTerminated: term.ID} {
		l, err := s.ForPartner(ctx, tn.Main, Filter{Kind: KindOffline, State: state})
		if err != nil {
			t.Fatal(err)
		}
		if l.Total != 1 || l.Rows[0].ID != want || l.Rows[0].State != state {
			t.Errorf("state %s: %+v", state, l.Rows)
		}
	}
	l, _ := s.ForPartner(ctx, tn.Main, Filter{Kind: KindOffline, Type: TypeFramework})
	if l.Total != 1 || !l.Rows[0].Amount.Valid || l.Rows[0].Amount.Decimal.StringFixed(2) != "88.50" {
		t.Errorf("type filter / amount: %+v", l.Rows)
	}
	l, _ = s.ForPartner(ctx, tn.Main, Filter{Code: strings.ToLower(active.Code)})
	if l.Total != 1 || l.Rows[0].Amount.Valid {
		t.Errorf("code search / no amount: %+v", l.Rows)
	}
	if n := count(t, g, `SELECT count(*) FROM audit_log WHERE partner_id = ? AND action IN ('contract.offline.create', 'contract.terminate')`, tn.ID); n != 4 {
		t.Errorf("audit rows %d, want 4", n)
	}
}

// TestMasterDistributorSeesResellerOfflineContracts (§12.3.11): a master
// distributor lists and downloads its cloud resellers' offline contracts,
// not their online agreements; another partner sees none of them (not found).
func TestMasterDistributorSeesResellerOfflineContracts(t *testing.T) {
	g := dbtest.DB(t)
	staff := fixtureStaff(t, g)
	ctx := context.Background()
	md := fixtureTenant(t, g, 0)
	cr := fixtureTenant(t, g, md.ID)
	other := fixtureTenant(t, g, 0)
	s := Service{DB: g, Clock: clock.System{}}
	in := validOffline(cr.ID)
	in.Scan = &Upload{Name: "扫描件.pdf", Data: []byte("%PDF-1.4\n%%EOF\n")}
	crOff, err := s.CreateOffline(ctx, staff, in)
	if err != nil {
		t.Fatal(err)
	}
	crOnline, err := s.SignPaymentAgreement(ctx, cr.Main, true)
	if err != nil {
		t.Fatal(err)
	}
	mdOff, err := s.CreateOffline(ctx, staff, validOffline(md.ID))
	if err != nil {
		t.Fatal(err)
	}
	l, err := s.ForPartner(ctx, md.Main, Filter{Kind: KindOffline})
	if err != nil {
		t.Fatal(err)
	}
	if l.Total != 2 {
		t.Fatalf("md sees %d offline contracts", l.Total)
	}
	for _, r := range l.Rows {
		if r.ID == crOff.ID && r.PartnerName != cr.Name {
			t.Errorf("reseller column: %q", r.PartnerName)
		}
	}
	f, err := s.File(ctx, md.Main, crOff.ID)
	if err != nil || f.Name != "扫描件.pdf" {
		t.Fatalf("md downloads reseller scan: %v", err)
	}
	if _, err := s.Get(ctx, md.Main, crOnline.ID); kindOf(err) != apperr.KindNotFound {
		t.Errorf("md sees reseller's online agreement: %v", err)
	}
	if l, _ := s.ForPartner(ctx, md.Main, Filter{Kind: KindOnline}); l.Total != 0 {
		t.Errorf("md online tab lists %d", l.Total)
	}
	for _, id := range []int64{crOff.ID, crOnline.ID, mdOff.ID} {
		if _, err := s.Get(ctx, other.Main, id); kindOf(err) != apperr.KindNotFound {
			t.Errorf("other tenant Get(%d): %v", id, err)
		}
		if _, err := s.File(ctx, other.Main, id); kindOf(err) != apperr.KindNotFound {
			t.Errorf("other tenant File(%d): %v", id, err)
		}
	}
	// The reseller does not see its master distributor's contracts.
	if _, err := s.Get(ctx, cr.Main, mdOff.ID); kindOf(err) != apperr.KindNotFound {
		t.Errorf("reseller sees md's contract: %v", err)
	}
	// A contract without a file answers not found on download.
	if _, err := s.File(ctx, md.Main, mdOff.ID); kindOf(err) != apperr.KindNotFound {
		t.Errorf("no file: %v", err)
	}
}

// TestWrongKindOfPrincipalIsRefused: vendor staff and a customer account
// cannot use the partner methods (even carrying a tenant id), a partner
// member and a customer account cannot use the vendor's; each is refused
// (Forbidden) and nothing is stored, terminated or returned.
func TestWrongKindOfPrincipalIsRefused(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	tn := fixtureTenant(t, g, 0)
	staff := fixtureStaff(t, g)
	s := Service{DB: g, Clock: clock.System{}}
	off, err := s.CreateOffline(ctx, staff, validOffline(tn.ID))
	if err != nil {
		t.Fatal(err)
	}
	customer := access.CustomerUser(tn.Main.UserID)
	customer.PartnerID = tn.ID
	vendor := *staff
	vendor.PartnerID = tn.ID // a stray tenant on a vendor principal grants nothing
	rows := func() int64 {
		return count(t, g, `SELECT count(*) FROM contracts WHERE partner_id = ?`, tn.ID) +
			count(t, g, `SELECT count(*) FROM contracts WHERE partner_id = ? AND status = 'terminated'`, tn.ID) +
			count(t, g, `SELECT count(*) FROM files WHERE partner_id = ?`, tn.ID) +
			count(t, g, `SELECT count(*) FROM audit_log WHERE partner_id = ?`, tn.ID)
	}
	before := rows()
	forbidden := func(what string, err error) {
		t.Helper()
		if kindOf(err) != apperr.KindForbidden {
			t.Errorf("%s: %v, want forbidden", what, err)
		}
	}
	for name, p := range map[string]*access.Principal{"vendor": &vendor, "customer": customer, "system": access.System} {
		_, err := s.ForPartner(ctx, p, Filter{})
		forbidden(name+" ForPartner", err)
		_, err = s.Get(ctx, p, off.ID)
		forbidden(name+" Get", err)
		_, err = s.File(ctx, p, off.ID)
		forbidden(name+" File", err)
		_, err = s.Draft(ctx, p)
		forbidden(name+" Draft", err)
		_, err = s.HasResellers(ctx, p)
		forbidden(name+" HasResellers", err)
		_, err = s.SignPaymentAgreement(ctx, p, true)
		forbidden(name+" SignPaymentAgreement", err)
	}
	for name, p := range map[string]*access.Principal{"partner": tn.Main, "customer": customer, "system": access.System} {
		in := validOffline(tn.ID)
		_, err := s.CreateOffline(ctx, p, in)
		forbidden(name+" CreateOffline", err)
		forbidden(name+" Terminate", s.Terminate(ctx, p, off.ID, "越权终止"))
		_, err = s.Vendor(ctx, p, Filter{})
		forbidden(name+" Vendor", err)
		_, err = s.VendorGet(ctx, p, off.ID)
		forbidden(name+" VendorGet", err)
		_, err = s.VendorFile(ctx, p, off.ID)
		forbidden(name+" VendorFile", err)
		_, err = s.PartnerOptions(ctx, p, "", tn.ID)
		forbidden(name+" PartnerOptions", err)
	}
	if after := rows(); after != before {
		t.Errorf("rows changed: %d → %d", before, after)
	}
	if got, err := s.VendorGet(ctx, staff, off.ID); err != nil || got.Status != StateActive || got.TerminatedBy != nil {
		t.Errorf("the contract changed: %v %+v", err, got)
	}
}

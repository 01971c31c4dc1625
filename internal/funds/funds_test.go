package funds

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"partnercenter/internal/access"
	"partnercenter/internal/ledger"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/dbtest"
)

func transfer(cid int64, amount string) MoveInput {
	return MoveInput{Op: OpTransfer, Items: []MoveItem{{CustomerID: cid, Amount: amount}}, Key: newKey()}
}

func TestRechargeCreditsTheDedicatedAccountAndMessagesTheMainAccount(t *testing.T) {
	g := dbtest.DB(t)
	tn := fixtureTenant(t, g, 0)
	recharge(t, g, tn.ID, "1,000.50")
	if b := cashOf(t, g, tn.ID); !b.Equal(dec("1000.5")) {
		t.Fatalf("balance %s", b)
	}
	if n := count(t, g, "messages", "user_id = ? AND subject_key = 'billing.msg.recharged.subject'", tn.Main.UserID); n != 1 {
		t.Errorf("%d recharge messages", n)
	}
	// A mistyped account number is a field error and moves nothing.
	no := []byte(ledger.RechargeAccountNo(tn.ID))
	no[14] = '0' + (no[14]-'0'+1)%10
	_, err := Recharges{DB: g, Clock: clock.System{}}.Confirm(context.Background(), fixtureFinance(t, g), RechargeInput{AccountNo: string(no), Amount: "5",
		Source: SourceBankTransfer, PayerName: "x", Key: newKey()})
	if ae, ok := apperr.As(err); !ok || ae.Fields["account_no"] != "billing.err.account_no_unknown" {
		t.Fatalf("mistyped number: %v", err)
	}
	mustConsistent(t, g)
}

func TestTransferAndRecoverMoveMoneyBetweenPartnerAndResaleCustomer(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	s := Service{DB: g, Clock: clock.System{}}
	tn := fixtureTenant(t, g, 2)
	recharge(t, g, tn.ID, "500")
	in := MoveInput{Op: OpTransfer, Key: newKey(), Memo: "项目预付",
		Items: []MoveItem{{CustomerID: tn.Resale[0], Amount: "120.50"}, {CustomerID: tn.Resale[1], Amount: "79.50"}}}
	plan, err := s.Preview(ctx, tn.Main, in)
	if err != nil {
		t.Fatal(err)
	}
	if !plan.Total.Equal(dec("200")) || !plan.BalanceAfter.Equal(dec("300")) || len(plan.Items) != 2 {
		t.Fatalf("plan %+v", plan)
	}
	if b := cashOf(t, g, tn.ID); !b.Equal(dec("500")) {
		t.Fatalf("preview moved money: %s", b)
	}
	res, err := s.Move(ctx, tn.Main, in)
	if err != nil {
		t.Fatal(err)
	}
	if res.Count != 2 || len(res.TransactionIDs) != 2 {
		t.Fatalf("result %+v", res)
	}
	if b := cashOf(t, g, tn.ID); !b.Equal(dec("300")) {
		t.Errorf("cash %s", b)
	}
	if b := fundedOf(t, g, tn.ID, tn.Resale[0]); !b.Equal(dec("120.5")) {
		t.Errorf("customer %s", b)
	}
	if _, err := s.Move(ctx, tn.Main, MoveInput{Op: OpRecover, Key: newKey(),
		Items: []MoveItem{{CustomerID: tn.Resale[0], Amount: "20.50"}}}); err != nil {
		t.Fatal(err)
	}
	if b := cashOf(t, g, tn.ID); !b.Equal(dec("320.5")) {
		t.Errorf("cash after recovery %s", b)
	}
	adj, err := s.Adjustments(ctx, tn.Main, AdjustmentFilter{Kind: OpRecover})
	if err != nil || adj.Total != 1 || !adj.Rows[0].Amount.Equal(dec("20.5")) {
		t.Fatalf("调账记录 filtered by 回收: %+v %v", adj, err)
	}
	if n := count(t, g, "audit_log", "partner_id = ? AND action IN ('billing.transfer', 'billing.recover')", tn.ID); n != 3 {
		t.Errorf("%d audit rows", n)
	}
	mustConsistent(t, g)
}

// R17 (seed 003 §12.1.3.3): there is no limit on how often a partner
// allocates to a resale customer.
func TestTransfersToOneCustomerHaveNoLimitOnTheirNumber(t *testing.T) {
	g := dbtest.DB(t)
	s := Service{DB: g, Clock: clock.System{}}
	tn := fixtureTenant(t, g, 1)
	recharge(t, g, tn.ID, "100")
	for i := 0; i < 40; i++ {
		if _, err := s.Move(context.Background(), tn.Main, transfer(tn.Resale[0], "0.01")); err != nil {
			t.Fatalf("transfer %d: %v", i, err)
		}
	}
	if b := fundedOf(t, g, tn.ID, tn.Resale[0]); !b.Equal(dec("0.4")) {
		t.Errorf("customer %s", b)
	}
}

func TestInsufficientFundsGiveAClearMessageAndMoveNothing(t *testing.T) {
	g := dbtest.DB(t)
	s := Service{DB: g, Clock: clock.System{}}
	tn := fixtureTenant(t, g, 2)
	recharge(t, g, tn.ID, "100")
	in := MoveInput{Op: OpTransfer, Key: newKey(),
		Items: []MoveItem{{CustomerID: tn.Resale[0], Amount: "60"}, {CustomerID: tn.Resale[1], Amount: "40.01"}}}
	_, err := s.Move(context.Background(), tn.Main, in)
	if ae, ok := apperr.As(err); !ok || ae.Kind != apperr.KindConflict || ae.Key != "billing.err.insufficient" {
		t.Fatalf("insufficient: %v", err)
	}
	if b := cashOf(t, g, tn.ID); !b.Equal(dec("100")) {
		t.Errorf("cash %s", b)
	}
	if n := count(t, g, "ledger_transactions", "partner_id = ? AND kind = 'transfer'", tn.ID); n != 0 {
		t.Errorf("%d transfers written", n)
	}
	// The key was not used up: the same request succeeds once funded.
	recharge(t, g, tn.ID, "0.01")
	if _, err := s.Move(context.Background(), tn.Main, in); err != nil {
		t.Fatalf("retry after funding: %v", err)
	}
	mustConsistent(t, g)
}

func TestReplayingAMoveWithTheSameKeyReturnsTheFirstResultAndMovesNothing(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	s := Service{DB: g, Clock: clock.System{}}
	tn := fixtureTenant(t, g, 1)
	recharge(t, g, tn.ID, "100")
	in := transfer(tn.Resale[0], "30")
	first, err := s.Move(ctx, tn.Main, in)
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.Move(ctx, tn.Main, in)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Replayed || again.TransactionIDs[0] != first.TransactionIDs[0] || !again.Total.Equal(first.Total) {
		t.Fatalf("replay %+v, first %+v", again, first)
	}
	if b := cashOf(t, g, tn.ID); !b.Equal(dec("70")) {
		t.Errorf("cash %s after a replay", b)
	}
	other := in
	other.Items = []MoveItem{{CustomerID: tn.Resale[0], Amount: "31"}}
	if _, err := s.Move(ctx, tn.Main, other); !apperr.Is(err, apperr.KindConflict) {
		t.Fatalf("same key, other amount: %v", err)
	}
	if _, err := s.Move(ctx, tn.Main, MoveInput{Op: OpTransfer, Items: in.Items}); !apperr.Is(err, apperr.KindInvalid) {
		t.Fatalf("no key: %v", err)
	}
	mustConsistent(t, g)
}

func TestAnotherTenantsCustomerIsNotFoundAndNothingMoves(t *testing.T) {
	g := dbtest.DB(t)
	s := Service{DB: g, Clock: clock.System{}}
	a, b := fixtureTenant(t, g, 1), fixtureTenant(t, g, 1)
	recharge(t, g, a.ID, "100")
	in := MoveInput{Op: OpTransfer, Key: newKey(),
		Items: []MoveItem{{CustomerID: a.Resale[0], Amount: "10"}, {CustomerID: b.Resale[0], Amount: "10"}}}
	if _, err := s.Move(context.Background(), a.Main, in); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("foreign customer: %v", err)
	}
	if _, err := s.Preview(context.Background(), a.Main, in); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("foreign customer in a preview: %v", err)
	}
	if bal := cashOf(t, g, a.ID); !bal.Equal(dec("100")) {
		t.Errorf("cash %s", bal)
	}
	if n := count(t, g, "ledger_transactions", "customer_id IN ?", []int64{a.Resale[0], b.Resale[0]}); n != 0 {
		t.Errorf("%d rows moved", n)
	}
}

func TestOnlyResaleCustomersTakePartnerMoney(t *testing.T) {
	g := dbtest.DB(t)
	s := Service{DB: g, Clock: clock.System{}}
	tn := fixtureTenant(t, g, 0)
	recharge(t, g, tn.ID, "100")
	_, err := s.Move(context.Background(), tn.Main, transfer(tn.Consul, "10"))
	if ae, ok := apperr.As(err); !ok || ae.Fields["amount_"+strconv.FormatInt(tn.Consul, 10)] != "billing.err.not_resale" {
		t.Fatalf("consulting customer: %v", err)
	}
	// An ended association no longer takes money either.
	cid := fixtureCustomer(t, g, tn.ID, modeResale)
	g.Exec(`UPDATE associations SET status = 'ended', ended_at = now() WHERE customer_id = ?`, cid)
	if _, err := s.Move(context.Background(), tn.Main, transfer(cid, "10")); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("ended association: %v", err)
	}
}

func TestStepUpRequiresTheCurrentPasswordAndAWrongOneMovesNothing(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	s := Service{DB: g, Clock: clock.System{}}
	tn := fixtureTenant(t, g, 1)
	recharge(t, g, tn.ID, "100")
	if err := s.SetStepUp(ctx, tn.Main, true); err != nil {
		t.Fatal(err)
	}
	in := transfer(tn.Resale[0], "10")
	if _, err := s.Move(ctx, tn.Main, in); !apperr.Is(err, apperr.KindInvalid) {
		t.Fatalf("no password: %v", err)
	}
	in.Password = "wrong-password"
	_, err := s.Move(ctx, tn.Main, in)
	if ae, ok := apperr.As(err); !ok || ae.Fields["password"] != "billing.err.password_wrong" {
		t.Fatalf("wrong password: %v", err)
	}
	if b := cashOf(t, g, tn.ID); !b.Equal(dec("100")) {
		t.Errorf("cash %s after a refused step-up", b)
	}
	in.Password = testPassword
	if _, err := s.Move(ctx, tn.Main, in); err != nil {
		t.Fatalf("right password: %v", err)
	}
	member := *tn.Main
	member.IsMain = false
	if err := s.SetStepUp(ctx, &member, false); !apperr.Is(err, apperr.KindForbidden) {
		t.Errorf("a member turned step-up off: %v", err)
	}
}

func TestBalanceAlertMessagesTheMainAccountWhenATransferCrossesIt(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	s := Service{DB: g, Clock: clock.System{}}
	tn := fixtureTenant(t, g, 1)
	recharge(t, g, tn.ID, "100")
	if err := s.SetAlert(ctx, tn.Main, "50.00"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetAlert(ctx, tn.Main, "-1"); !apperr.Is(err, apperr.KindInvalid) {
		t.Fatalf("negative threshold: %v", err)
	}
	alerts := func() int64 {
		return count(t, g, "messages", "user_id = ? AND subject_key = 'billing.msg.alert.subject'", tn.Main.UserID)
	}
	for _, amt := range []string{"40", "20", "10"} { // 60 (above), 40 (crossed), 30 (still below)
		if _, err := s.Move(ctx, tn.Main, transfer(tn.Resale[0], amt)); err != nil {
			t.Fatal(err)
		}
	}
	if n := alerts(); n != 1 {
		t.Errorf("%d alerts, want exactly one for the crossing", n)
	}
	if err := s.SetAlert(ctx, tn.Main, ""); err != nil {
		t.Fatal(err)
	}
	ov, err := s.Overview(ctx, tn.Main)
	if err != nil || ov.Settings.AlertThreshold.Valid || !ov.Balance.Equal(dec("30")) || !ov.CustomersFunded.Equal(dec("70")) {
		t.Fatalf("overview %+v %v", ov, err)
	}
}

func TestUnbindingRecoversTheRemainingBalanceAsUnbindRecovery(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	s := Service{DB: g, Clock: clock.System{}}
	tn := fixtureTenant(t, g, 1)
	recharge(t, g, tn.ID, "100")
	if _, err := s.Move(ctx, tn.Main, transfer(tn.Resale[0], "64.32")); err != nil {
		t.Fatal(err)
	}
	tx := g.Begin()
	amt, err := RecoverOnUnbind(ctx, tx, tn.ID, tn.Resale[0], 0, time.Time{})
	if err != nil {
		tx.Rollback()
		t.Fatal(err)
	}
	tx.Commit()
	if !amt.Equal(dec("64.32")) {
		t.Errorf("recovered %s", amt)
	}
	if b := cashOf(t, g, tn.ID); !b.Equal(dec("100")) {
		t.Errorf("cash %s", b)
	}
	adj, err := s.Adjustments(ctx, tn.Main, AdjustmentFilter{Kind: ledger.TxUnbindRecover})
	if err != nil || adj.Total != 1 {
		t.Fatalf("解除关联回收 rows: %+v %v", adj, err)
	}
	// Nothing left: a second call recovers nothing and writes nothing.
	if amt, err := RecoverOnUnbind(ctx, g, tn.ID, tn.Resale[0], 0, time.Time{}); err != nil || !amt.IsZero() {
		t.Errorf("second recovery %s %v", amt, err)
	}
	mustConsistent(t, g)
}

func TestLinesFilterAndExportStreamEveryLine(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	s := Service{DB: g, Clock: clock.System{}}
	tn := fixtureTenant(t, g, 2)
	recharge(t, g, tn.ID, "100")
	s.Move(ctx, tn.Main, transfer(tn.Resale[0], "10"))
	s.Move(ctx, tn.Main, transfer(tn.Resale[1], "5"))
	all, err := s.Lines(ctx, tn.Main, LineFilter{})
	if err != nil || all.Total != 3 || !all.Lines[0].BalanceAfter.Equal(dec("85")) {
		t.Fatalf("lines %+v %v", all, err)
	}
	out, _ := s.Lines(ctx, tn.Main, LineFilter{Direction: "out"})
	if out.Total != 2 || !out.Lines[0].Amount.IsNegative() {
		t.Errorf("outgoing %+v", out)
	}
	var acct string
	g.Raw(`SELECT account_name FROM customers WHERE id = ?`, tn.Resale[1]).Scan(&acct)
	byCust, _ := s.Lines(ctx, tn.Main, LineFilter{Customer: acct})
	if byCust.Total != 1 {
		t.Errorf("by customer account: %d", byCust.Total)
	}
	n := 0
	if err := s.ExportLines(ctx, tn.Main, LineFilter{}, func(Line) error { n++; return nil }); err != nil || n != 3 {
		t.Errorf("export %d %v", n, err)
	}
}

// TestConcurrentTransfersAndRecoveriesNeverOverdraw: 50 simultaneous
// transfers and recoveries (run with -race) on one partner and three
// resale customers: no deadlock, no negative balance, a consistent ledger
// and money conserved.
func TestConcurrentTransfersAndRecoveriesNeverOverdraw(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	s := Service{DB: g, Clock: clock.System{}}
	tn := fixtureTenant(t, g, 3)
	recharge(t, g, tn.ID, "200")
	var wg sync.WaitGroup
	var ok, refused atomic.Int64
	errs := make(chan error, 60)
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			in := transfer(tn.Resale[i%3], "12.34")
			if i%4 == 3 {
				in.Op = OpRecover
			}
			if i%10 == 0 { // a batch touching every customer
				in.Items = []MoveItem{{tn.Resale[2], "1.00"}, {tn.Resale[0], "1.00"}, {tn.Resale[1], "1.00"}}
			}
			_, err := s.Move(ctx, tn.Main, in)
			switch {
			case err == nil:
				ok.Add(1)
			case apperr.Is(err, apperr.KindConflict) || apperr.Is(err, apperr.KindInvalid):
				refused.Add(1)
			default:
				errs <- err
			}
			if i%5 == 0 { // a double click: the same key again
				if _, err := s.Move(ctx, tn.Main, in); err != nil && !apperr.Is(err, apperr.KindConflict) && !apperr.Is(err, apperr.KindInvalid) {
					errs <- err
				}
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("unexpected: %v", err)
	}
	if ok.Load() == 0 {
		t.Fatal("nothing moved")
	}
	total := cashOf(t, g, tn.ID)
	if total.IsNegative() {
		t.Errorf("cash %s", total)
	}
	for _, c := range tn.Resale {
		b := fundedOf(t, g, tn.ID, c)
		if b.IsNegative() {
			t.Errorf("customer %d: %s", c, b)
		}
		total = total.Add(b)
	}
	if !total.Equal(dec("200")) {
		t.Errorf("money not conserved: %s", total)
	}
	var moved int64
	g.Raw(`SELECT count(*) FROM ledger_transactions WHERE partner_id = ? AND kind IN ('transfer', 'recover')`, tn.ID).Scan(&moved)
	var expected int64
	if err := g.Raw(`SELECT coalesce(sum(jsonb_array_length(result->'TransactionIDs')), 0) FROM ledger_requests
		WHERE partner_id = ? AND jsonb_typeof(result->'TransactionIDs') = 'array'`, tn.ID).Scan(&expected).Error; err != nil {
		t.Fatal(err)
	}
	if moved != expected || moved == 0 {
		t.Errorf("%d movements for %d recorded results: a replay moved money", moved, expected)
	}
	mustConsistent(t, g)
}

// TestCustomerManagerScopeIncludesSupervisedManagersCustomers: the funded
// customer list applies the one R57 definition (access.Principal
// .ManagerCondition) — a scoped 客户经理 sees its own customers and those
// of the managers it supervises, never another manager's.
func TestCustomerManagerScopeIncludesSupervisedManagersCustomers(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	tn := fixtureTenant(t, g, 3)
	member := func(login string, supervisor *int64) int64 {
		var id int64
		if err := g.Raw(`INSERT INTO users (kind, partner_id, login_name, password_hash, supervisor_id) VALUES ('partner', ?, ?, 'x', ?) RETURNING id`,
			tn.ID, login, supervisor).Scan(&id).Error; err != nil {
			t.Fatal(err)
		}
		return id
	}
	boss := member(tn.Login+"_boss", nil)
	report := member(tn.Login+"_report", &boss)
	other := member(tn.Login+"_other", nil)
	for i, m := range []int64{boss, report, other} {
		if err := g.Exec(`UPDATE associations SET manager_user_id = ? WHERE partner_id = ? AND customer_id = ?`, m, tn.ID, tn.Resale[i]).Error; err != nil {
			t.Fatal(err)
		}
	}
	seen := func(uid int64) map[int64]bool {
		p := &access.Principal{UserID: uid, PartnerID: tn.ID, PartnerActive: true, CustomerScope: access.ScopeAssigned, Items: map[access.Item]bool{}}
		list, err := Service{DB: g, Clock: clock.System{}}.Customers(ctx, p, CustomerFilter{})
		if err != nil {
			t.Fatal(err)
		}
		out := map[int64]bool{}
		for _, r := range list.Rows {
			out[r.CustomerID] = true
		}
		return out
	}
	if got := seen(boss); len(got) != 2 || !got[tn.Resale[0]] || !got[tn.Resale[1]] {
		t.Errorf("supervisor sees %v, want its own and its report's customers %v", got, tn.Resale[:2])
	}
	if got := seen(report); len(got) != 1 || !got[tn.Resale[1]] {
		t.Errorf("report sees %v, want only %d", got, tn.Resale[1])
	}
	if got := seen(other); len(got) != 1 || !got[tn.Resale[2]] {
		t.Errorf("other manager sees %v, want only %d", got, tn.Resale[2])
	}
}

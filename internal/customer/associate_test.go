package customer

import (
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"partnercenter/internal/access"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/i18n"
)

// R10 (seed 003 §12.1.2.4): an online invitation link is valid 7 days.
func TestOnlineLinkExpiresAfter7Days(t *testing.T) {
	f := setup(t)
	a := f.tenant(t, 0)
	r, inv := f.invite(t, a, ChannelOnline, ModeConsulting)
	if !inv.ExpiresAt.Equal(f.clk.Now().AddDate(0, 0, 7)) {
		t.Fatalf("expires at %v", inv.ExpiresAt)
	}
	uid, _ := f.register(t, r.Mobile, nil)
	f.clk.Advance(7*24*time.Hour - time.Minute)
	pc, err := f.svc.Precheck(ctx, access.CustomerUser(uid), inv.Token)
	if err != nil || !pc.OK || pc.Landing.Expired {
		t.Fatalf("still valid: %+v %v", pc, err)
	}
	f.clk.Advance(2 * time.Minute)
	l, err := f.svc.LookupInvitation(ctx, inv.Token)
	if err != nil || !l.Expired || l.Usable {
		t.Fatalf("landing: %+v %v", l, err)
	}
	_, err = f.svc.Accept(ctx, access.CustomerUser(uid), inv.Token, true)
	wantKey(t, err, apperr.KindConflict, ErrLinkExpired)
	if _, n, _ := f.svc.Expire(ctx, f.clk.Now()); n < 1 {
		t.Fatal("sweep did not expire the link")
	}
	list, _ := f.svc.ListInvitations(ctx, a.Main, InvitationFilter{Channel: ChannelOnline, Status: InvitationExpired})
	if list.Total != 1 {
		t.Fatalf("expired filter: %d", list.Total)
	}
}

// R10 (seed 003 §12.1.2.4, §12.4.14): an offline link never expires.
func TestOfflineLinkNeverExpires(t *testing.T) {
	f := setup(t)
	a := f.tenant(t, 0)
	r, inv := f.invite(t, a, ChannelOffline, ModeConsulting)
	if inv.ExpiresAt != nil {
		t.Fatal("offline link with an expiry")
	}
	f.clk.Advance(400 * 24 * time.Hour)
	f.svc.Expire(ctx, f.clk.Now())
	uid, _ := f.register(t, r.Mobile, nil) // a new account, created today
	if _, err := f.svc.Accept(ctx, access.CustomerUser(uid), inv.Token, true); err != nil {
		t.Fatalf("offline link after 400 days: %v", err)
	}
}

// R11 (seed 003 §12.4.6): through an offline link only an account
// created within 7 days may associate, with the seed's exact message.
func TestOfflineLinkWithAccountOlderThan7DaysGivesSeedMessage(t *testing.T) {
	f := setup(t)
	a := f.tenant(t, 0)
	r, inv := f.invite(t, a, ChannelOffline, ModeResale)
	uid, c := f.register(t, r.Mobile, nil)
	f.clk.Advance(7*24*time.Hour + time.Minute)
	_, err := f.svc.Accept(ctx, access.CustomerUser(uid), inv.Token, true)
	wantKey(t, err, apperr.KindConflict, ErrOfflineAccountOld)
	const seed = "无法进行关联，请联系您的华为云合作伙伴重新提交注册（关联合作伙伴的账号必须是7天内创建的新账号）"
	if got := i18n.TL(i18n.ZhCN, ErrOfflineAccountOld); got != seed {
		t.Fatalf("message %q", got)
	}
	if f.assoc(t, c.ID) != nil {
		t.Fatal("associated anyway")
	}
}

// R9 (seed 003 §12.1.2.3): one partner at a time.
func TestSecondAssociationIsRefused(t *testing.T) {
	f := setup(t)
	a, b := f.tenant(t, 0), f.tenant(t, 0)
	uid, cid := f.associated(t, a, ModeConsulting)
	var mobile string
	f.db.Raw(`SELECT mobile FROM customers WHERE id = ?`, cid).Scan(&mobile)
	// b reports the same person under another name after a's report... a's
	// report now is 'associated', so b may report it.
	rb, err := f.svc.CreateReport(ctx, b.Main, ReportInput{CustomerName: "同一客户", Kind: KindPersonal, Mobile: mobile})
	if err != nil {
		t.Fatal(err)
	}
	if rb.Status != ReportProtected {
		t.Fatalf("report status %s", rb.Status)
	}
	inv, err := f.svc.InviteOnline(ctx, b.Main, rb.ID, "same@example.com", ModeConsulting)
	if err != nil {
		t.Fatal(err)
	}
	pc, _ := f.svc.Precheck(ctx, access.CustomerUser(uid), inv.Token)
	if pc.OK {
		t.Fatal("precheck passes")
	}
	_, err = f.svc.Accept(ctx, access.CustomerUser(uid), inv.Token, true)
	wantKey(t, err, apperr.KindConflict, ErrAlreadyAssociated)
	if n := f.count(t, `SELECT count(*) FROM associations WHERE customer_id = ?`, cid); n != 1 {
		t.Fatalf("associations: %d", n)
	}
}

// R9: two accepts at once (two partners' links): only one wins.
func TestConcurrentAcceptsOnlyOneWins(t *testing.T) {
	f := setup(t)
	a, b := f.tenant(t, 0), f.tenant(t, 0)
	mobile := mobileOf(uniq())
	ra, err := f.svc.CreateReport(ctx, a.Main, ReportInput{CustomerName: "并发客户A", Kind: KindPersonal, Mobile: mobile})
	if err != nil {
		t.Fatal(err)
	}
	ia, _ := f.svc.InviteOffline(ctx, a.Main, ra.ID, ModeConsulting)
	// b's claim was made by another channel before (a direct insert: the
	// report rules would refuse it).
	var rbID int64
	f.db.Raw(`INSERT INTO customer_reports (partner_id, customer_name, mobile, status, expires_at) VALUES (?, '并发客户B', ?, 'protected', ?) RETURNING id`,
		b.ID, mobile, f.clk.Now().AddDate(0, 0, 90)).Scan(&rbID)
	ib, err := f.svc.InviteOffline(ctx, b.Main, rbID, ModeConsulting)
	if err != nil {
		t.Fatal(err)
	}
	uid, c := f.register(t, mobile, nil)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, tok := range []string{ia.Token, ib.Token} {
		wg.Add(1)
		go func(i int, tok string) {
			defer wg.Done()
			_, errs[i] = f.svc.Accept(ctx, access.CustomerUser(uid), tok, true)
		}(i, tok)
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else {
			wantKey(t, err, apperr.KindConflict, ErrAlreadyAssociated)
		}
	}
	if ok != 1 {
		t.Fatalf("winners: %d (%v)", ok, errs)
	}
	if n := f.count(t, `SELECT count(*) FROM associations WHERE customer_id = ? AND status = 'active'`, c.ID); n != 1 {
		t.Fatalf("active associations: %d", n)
	}
}

// R12 (seed 003 §12.1.2.11): resale needs a zero cash balance.
func TestResaleAssociationNeedsZeroBalance(t *testing.T) {
	f := setup(t)
	a := f.tenant(t, 0)
	r, inv := f.invite(t, a, ChannelOnline, ModeResale)
	uid, c := f.register(t, r.Mobile, nil)
	f.db.Model(&Customer{}).Where("id = ?", c.ID).Update("cash_balance", decimal.RequireFromString("35.50"))
	_, err := f.svc.Accept(ctx, access.CustomerUser(uid), inv.Token, true)
	wantKey(t, err, apperr.KindConflict, ErrResaleBalance)
	e, _ := apperr.As(err)
	if e.Args["Amount"] != "35.50" {
		t.Fatalf("args %v", e.Args)
	}
	f.db.Model(&Customer{}).Where("id = ?", c.ID).Update("cash_balance", 0)
	if _, err := f.svc.Accept(ctx, access.CustomerUser(uid), inv.Token, true); err != nil {
		t.Fatalf("after withdrawal: %v", err)
	}
}

// R13 (seed 003 §12.1.2.12): a finance-hosted enterprise sub-account cannot
// associate in consulting mode; a non-hosted sub can; resale is allowed.
func TestFinanceHostedSubCannotTakeConsultingMode(t *testing.T) {
	f := setup(t)
	a := f.tenant(t, 0)
	_, master := f.register(t, mobileOf(uniq()), nil)
	r, inv := f.invite(t, a, ChannelOnline, ModeConsulting)
	uid, _ := f.register(t, r.Mobile, func(in *RegisterInput) { in.EnterpriseMaster, in.FinanceHosted = master.AccountName, true })
	pc, _ := f.svc.Precheck(ctx, access.CustomerUser(uid), inv.Token)
	var failed []string
	for _, c := range pc.Checks {
		if !c.OK {
			failed = append(failed, c.Name)
		}
	}
	if len(failed) != 1 || failed[0] != CheckHostedSub {
		t.Fatalf("failed checks %v", failed)
	}
	_, err := f.svc.Accept(ctx, access.CustomerUser(uid), inv.Token, true)
	wantKey(t, err, apperr.KindConflict, ErrHostedSubConsult)

	r2, inv2 := f.invite(t, a, ChannelOnline, ModeConsulting)
	uid2, _ := f.register(t, r2.Mobile, func(in *RegisterInput) { in.EnterpriseMaster = master.AccountName })
	if _, err := f.svc.Accept(ctx, access.CustomerUser(uid2), inv2.Token, true); err != nil {
		t.Fatalf("non-hosted sub in consulting: %v", err)
	}
	r3, inv3 := f.invite(t, a, ChannelOnline, ModeResale)
	uid3, _ := f.register(t, r3.Mobile, func(in *RegisterInput) { in.EnterpriseMaster, in.FinanceHosted = master.AccountName, true })
	if _, err := f.svc.Accept(ctx, access.CustomerUser(uid3), inv3.Token, true); err != nil {
		t.Fatalf("hosted sub in resale: %v", err)
	}
}

// Seed 003 §4.4 step 3: the customer registers with the reported mobile;
// the agreement 《客户关联华为云合作伙伴须知》 must be accepted.
func TestAcceptNeedsReportedMobileAndTheAgreement(t *testing.T) {
	f := setup(t)
	a := f.tenant(t, 0)
	_, inv := f.invite(t, a, ChannelOnline, ModeConsulting)
	uid, _ := f.register(t, mobileOf(uniq()), nil)
	_, err := f.svc.Accept(ctx, access.CustomerUser(uid), inv.Token, true)
	wantKey(t, err, apperr.KindConflict, ErrMobileMismatch)

	r2, inv2 := f.invite(t, a, ChannelOnline, ModeConsulting)
	uid2, _ := f.register(t, r2.Mobile, nil)
	_, err = f.svc.Accept(ctx, access.CustomerUser(uid2), inv2.Token, false)
	wantField(t, err, ErrAgreementFieldName, ErrAgreementRequired)
}

// Unknown and revoked links are not found; an accepted link is used.
func TestUnknownRevokedAndUsedLinks(t *testing.T) {
	f := setup(t)
	a := f.tenant(t, 0)
	r, inv := f.invite(t, a, ChannelOnline, ModeConsulting)
	uid, _ := f.register(t, r.Mobile, nil)
	if _, err := f.svc.Accept(ctx, access.CustomerUser(uid), "no-such-token", true); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("unknown: %v", err)
	}
	newInv, err := f.svc.Reinvite(ctx, a.Main, inv.ID, "new.address@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.LookupInvitation(ctx, inv.Token); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("revoked lookup: %v", err)
	}
	if _, err := f.svc.Accept(ctx, access.CustomerUser(uid), inv.Token, true); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("revoked accept: %v", err)
	}
	if _, err := f.svc.Accept(ctx, access.CustomerUser(uid), newInv.Token, true); err != nil {
		t.Fatal(err)
	}
	uid2, _ := f.register(t, mobileOf(uniq()), nil)
	_, err = f.svc.Accept(ctx, access.CustomerUser(uid2), newInv.Token, true)
	wantKey(t, err, apperr.KindConflict, ErrLinkUsed)
}

// Seed 003 §12.1.2.6: re-invite with a new email revokes the old link and
// sends a new one, valid 7 days from now; the "email" is recorded.
func TestReinviteRevokesOldLinkAndSendsANewOne(t *testing.T) {
	f := setup(t)
	a := f.tenant(t, 0)
	r, inv := f.invite(t, a, ChannelOnline, ModeResale)
	f.clk.Advance(8 * 24 * time.Hour)
	newInv, err := f.svc.Reinvite(ctx, a.Main, inv.ID, "changed@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if newInv.Email != "changed@example.com" || newInv.Mode != ModeResale || !newInv.ExpiresAt.Equal(f.clk.Now().AddDate(0, 0, 7)) {
		t.Fatalf("new invitation %+v", newInv)
	}
	got, _ := f.svc.GetInvitation(ctx, a.Main, inv.ID)
	if got.Status != InvitationRevoked {
		t.Fatalf("old status %s", got.Status)
	}
	rep, _ := f.svc.GetReport(ctx, a.Main, r.ID)
	if rep.Email != "changed@example.com" {
		t.Fatalf("report email %s", rep.Email)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'customer.invitation.email' AND object_id = ?`, itoa(newInv.ID)); n != 1 {
		t.Fatalf("email not recorded: %d", n)
	}
	_, err = f.svc.Reinvite(ctx, a.Main, inv.ID, "again@example.com")
	wantKey(t, err, apperr.KindConflict, "customer.err.invitation_revoked")
	off, _ := f.svc.InviteOffline(ctx, a.Main, r.ID, ModeResale)
	_, err = f.svc.Reinvite(ctx, a.Main, off.ID, "x@example.com")
	wantKey(t, err, apperr.KindConflict, "customer.err.reinvite_offline")
	b := f.tenant(t, 0)
	_, err = f.svc.Reinvite(ctx, b.Main, newInv.ID, "evil@example.com")
	wantKey(t, err, apperr.KindNotFound, "")
	if _, err := f.svc.GetInvitation(ctx, b.Main, newInv.ID); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatal("other tenant sees the invitation")
	}
}

func TestOpeningMarksOpenedOnce(t *testing.T) {
	f := setup(t)
	a := f.tenant(t, 0)
	_, inv := f.invite(t, a, ChannelOnline, ModeConsulting)
	l, err := f.svc.OpenInvitation(ctx, inv.Token)
	if err != nil || l.Status != InvitationOpened || !l.Usable || l.PartnerName == "" || l.Mode != ModeConsulting {
		t.Fatalf("%+v %v", l, err)
	}
	first, _ := f.svc.GetInvitation(ctx, a.Main, inv.ID)
	f.clk.Advance(time.Hour)
	if _, err := f.svc.OpenInvitation(ctx, inv.Token); err != nil {
		t.Fatal(err)
	}
	again, _ := f.svc.GetInvitation(ctx, a.Main, inv.ID)
	if again.OpenedAt == nil || !again.OpenedAt.Equal(*first.OpenedAt) {
		t.Fatal("opened_at moved")
	}
}

// Seed 003 §4.4 step 5, R16 (§12.4.19): on accept the association is
// active in the invitation's mode, the invitation accepted, the report
// associated, an 'associate' record completed, the grace period raised to
// 1 day in resale mode with the previous value recorded, and the partner's
// main account told.
func TestAcceptCompletesEverythingAndRaisesResaleGracePeriod(t *testing.T) {
	f := setup(t)
	a := f.tenant(t, 0)
	r, inv := f.invite(t, a, ChannelOnline, ModeResale)
	uid, c := f.register(t, r.Mobile, nil)
	as, err := f.svc.Accept(ctx, access.CustomerUser(uid), inv.Token, true)
	if err != nil {
		t.Fatal(err)
	}
	if as.Mode != ModeResale || as.Status != AssociationActive || as.PartnerID != a.ID {
		t.Fatalf("%+v", as)
	}
	got := f.assoc(t, c.ID)
	if got.GraceDaysBefore == nil || *got.GraceDaysBefore != 0 {
		t.Fatalf("grace before %v", got.GraceDaysBefore)
	}
	if cu := f.customer(t, c.ID); cu.GraceDays != 1 || cu.AgreementVersion != AgreementVersion {
		t.Fatalf("customer %+v", cu)
	}
	gi, _ := f.svc.GetInvitation(ctx, a.Main, inv.ID)
	rep, _ := f.svc.GetReport(ctx, a.Main, r.ID)
	if gi.Status != InvitationAccepted || rep.Status != ReportAssociated || rep.CustomerID == nil || *rep.CustomerID != c.ID {
		t.Fatalf("invitation %s report %s", gi.Status, rep.Status)
	}
	if n := f.count(t, `SELECT count(*) FROM association_requests WHERE customer_id = ? AND type = 'associate' AND status = 'completed' AND initiator = 'customer'`, c.ID); n != 1 {
		t.Fatalf("records %d", n)
	}
	if n := f.count(t, `SELECT count(*) FROM messages WHERE user_id = ? AND subject_key = 'customer.msg.associated.subject'`, a.MainID); n != 1 {
		t.Fatalf("partner messages %d", n)
	}
	mp, err := f.svc.MyPartners(ctx, access.CustomerUser(uid))
	if err != nil || mp.Current == nil || mp.Current.PartnerID != a.ID || len(mp.Log) != 1 || mp.UnbindsLeft != 3 {
		t.Fatalf("my partners %+v %v", mp, err)
	}
	// A consulting association does not touch the grace period.
	r2, inv2 := f.invite(t, a, ChannelOnline, ModeConsulting)
	uid2, c2 := f.register(t, r2.Mobile, nil)
	if _, err := f.svc.Accept(ctx, access.CustomerUser(uid2), inv2.Token, true); err != nil {
		t.Fatal(err)
	}
	if cu := f.customer(t, c2.ID); cu.GraceDays != 0 {
		t.Fatalf("consulting grace %d", cu.GraceDays)
	}
}

func TestRegisterChecksAccountFields(t *testing.T) {
	f := setup(t)
	mobile := mobileOf(uniq())
	_, c := f.register(t, mobile, nil)
	_, err := f.svc.Register(ctx, RegisterInput{LoginName: c.AccountName, Password: "short", Name: "", Kind: "x", Mobile: mobile})
	wantField(t, err, "login_name", "identity.err.login_taken")
	wantField(t, err, "password", "identity.err.password_length")
	wantField(t, err, "name", "customer.err.name_required")
	wantField(t, err, "mobile", "identity.err.mobile_taken")
	_, err = f.svc.Register(ctx, RegisterInput{LoginName: "hostedsub" + itoa(uniq()), Password: testPassword, Name: "子账号",
		Kind: KindEnterprise, Mobile: mobileOf(uniq()), FinanceHosted: true})
	wantField(t, err, "enterprise_master", "customer.err.hosted_needs_master")
	acc, err := f.svc.Account(ctx, access.CustomerUser(*c.UserID))
	if err != nil || acc.LoginName != c.AccountName || acc.Partner != nil {
		t.Fatalf("%+v %v", acc, err)
	}
}

package notify

import (
	"context"
	"fmt"
	"gorm.io/gorm"
	"testing"
	"time"

	"partnercenter/internal/access"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/dbtest"
	"partnercenter/internal/platform/i18n"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var bg = context.Background()

func mkUser(t *testing.T, n int) int64 {
	g := dbtest.DB(t)
	var id int64
	if err := g.Raw(`INSERT INTO users (kind, vendor_role, login_name, password_hash) VALUES ('vendor', 'eco_manager', ?, 'x') RETURNING id`,
		fmt.Sprintf("n_user_%d_%d", n, time.Now().UnixNano()%1000000)).Scan(&id).Error; err != nil {
		t.Fatal(err)
	}
	return id
}

func TestMessagesAreListedReadAndCountedPerUser(t *testing.T) {
	g := dbtest.DB(t)
	aliceID, bobID := mkUser(t, 1), mkUser(t, 2)
	for i := 0; i < 3; i++ {
		if err := Send(bg, g, Note{To: aliceID, Subject: "approval.msg.approved.subject", Body: "approval.msg.approved.body",
			Params: map[string]any{"Title": fmt.Sprint("申请", i), "TypeKey": "approval.type.hcpn_onboarding"}, Link: "/applications/1"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := Send(bg, g, Note{To: bobID, Subject: "approval.msg.assigned.subject", Body: "approval.msg.assigned.body", Link: "https://evil.example/"}); err != nil {
		t.Fatal(err)
	}
	s := Service{DB: g, Clock: clock.System{}}
	// alice and bob are vendor staff (mkUser), reading as themselves.
	alice, bob := access.VendorStaff(aliceID, "eco_manager"), access.VendorStaff(bobID, "eco_manager")
	if n, _ := s.UnreadCount(bg, alice); n != 3 {
		t.Fatalf("unread %d", n)
	}
	list, total, err := s.List(bg, alice, Filter{PerPage: 2})
	if err != nil || total != 3 || len(list) != 2 || list[0].ID < list[1].ID {
		t.Fatalf("list %d %d %v", total, len(list), err)
	}
	// Bob cannot open or mark Alice's message.
	if _, err := s.Open(bg, bob, list[0].ID); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatal("another user's message must be not found")
	}
	if err := s.MarkRead(bg, bob, list[0].ID); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatal("another user's message marked")
	}
	m, err := s.Open(bg, alice, list[0].ID)
	if err != nil || m.ReadAt == nil {
		t.Fatalf("open: %v", err)
	}
	if n, _ := s.UnreadCount(bg, alice); n != 2 {
		t.Fatalf("unread after open %d", n)
	}
	unread, total, _ := s.List(bg, alice, Filter{UnreadOnly: true})
	if total != 2 || len(unread) != 2 {
		t.Fatal("unread filter")
	}
	if n, _ := s.MarkAllRead(bg, alice); n != 2 {
		t.Fatalf("mark all %d", n)
	}
	if n, _ := s.UnreadCount(bg, bob); n != 1 {
		t.Fatal("marking all read touches only the reader's messages")
	}
	bm, _, _ := s.List(bg, bob, Filter{})
	if bm[0].Link != "" {
		t.Fatal("an off-site link must be dropped")
	}
}

func TestMessagesRenderInTheReadersLanguage(t *testing.T) {
	m := Message{Params: `{"Title":"X","TypeKey":"approval.type.hcpn_onboarding"}`}
	zh, en := m.Data(i18n.ZhCN, nil), m.Data(i18n.EnUS, nil)
	if zh["Type"] == en["Type"] || zh["Type"] == "approval.type.hcpn_onboarding" {
		t.Fatalf("type not translated: %v / %v", zh["Type"], en["Type"])
	}
}

// Messages are a signed-in user's own (issue 8, "One actor, first"): any
// kind of user reads its messages through its principal; the system
// principal and an empty one are refused and mark nothing read.
func TestMessagesRefuseAPrincipalWithoutAUserAndChangeNothing(t *testing.T) {
	g := dbtest.DB(t)
	uid := mkUser(t, 3)
	if err := Send(bg, g, Note{To: uid, Subject: "approval.msg.assigned.subject", Body: "approval.msg.assigned.body", Link: "/approvals/1",
		At: time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	s := Service{DB: g, Clock: clock.System{}}
	var id int64
	g.Model(&Message{}).Where("user_id = ?", uid).Pluck("id", &id)
	for name, p := range map[string]*access.Principal{"system": access.System, "nobody": nil} {
		for op, err := range map[string]error{
			"list":     func() error { _, _, err := s.List(bg, p, Filter{}); return err }(),
			"unread":   func() error { _, err := s.UnreadCount(bg, p); return err }(),
			"get":      func() error { _, err := s.Get(bg, p, id); return err }(),
			"open":     func() error { _, err := s.Open(bg, p, id); return err }(),
			"mark":     s.MarkRead(bg, p, id),
			"mark all": func() error { _, err := s.MarkAllRead(bg, p); return err }(),
		} {
			if !apperr.Is(err, apperr.KindForbidden) {
				t.Errorf("%s by %s: %v, want forbidden", op, name, err)
			}
		}
	}
	// A customer account or a partner member with another user id does
	// not reach it either: messages are bound to the reader's user id.
	for _, p := range []*access.Principal{access.CustomerUser(uid + 100000), access.Member(uid+100000, 1, false)} {
		if _, err := s.Open(bg, p, id); !apperr.Is(err, apperr.KindNotFound) {
			t.Errorf("another user's message: %v, want not found", err)
		}
	}
	if n, _ := s.UnreadCount(bg, access.VendorStaff(uid, "eco_manager")); n != 1 {
		t.Fatal("a refused principal marked the message read")
	}
}

// A message is dated by the caller's clock (the time of the change it
// announces), or by the database's transaction time — never the server's
// wall clock behind the caller's back.
func TestMessagesAreDatedByTheCallersClockOrTheTransaction(t *testing.T) {
	g := dbtest.DB(t)
	uid := mkUser(t, 4)
	at := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	var dbNow time.Time
	err := g.Transaction(func(tx *gorm.DB) error {
		if err := Send(bg, tx, Note{To: uid, Subject: "approval.msg.assigned.subject", Body: "approval.msg.assigned.body", At: at}); err != nil {
			return err
		}
		if err := Send(bg, tx, Note{To: uid, Subject: "approval.msg.assigned.subject", Body: "approval.msg.assigned.body"}); err != nil {
			return err
		}
		return tx.Raw(`SELECT now()`).Scan(&dbNow).Error
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []time.Time
	g.Model(&Message{}).Where("user_id = ?", uid).Order("id").Pluck("created_at", &got)
	if len(got) != 2 || !got[0].Equal(at) || !got[1].Equal(dbNow) {
		t.Errorf("dated %v, want %v and the transaction's %v", got, at, dbNow)
	}
}

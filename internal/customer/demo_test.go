package customer_test

import (
	"context"
	"testing"

	"partnercenter/internal/access"
	"partnercenter/internal/customer"
	"partnercenter/internal/demo"
	"partnercenter/internal/identity"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/dbtest"
)

// The demo world has customers in every state for sp, md and cr, and the
// console accounts the issue names.
func TestDemoCustomersCoverEveryState(t *testing.T) {
	ctx := context.Background()
	g := dbtest.DB(t)
	w, err := demo.Seed(ctx, g)
	if err != nil {
		t.Fatal(err)
	}
	svc := &customer.Service{DB: g, Clock: clock.System{}}
	load := func(login string) *access.Principal {
		var u identity.User
		if err := g.Where("login_name = ?", login).First(&u).Error; err != nil {
			t.Fatal(err)
		}
		p, err := access.Load(ctx, g, access.Subject{UserID: u.ID, PartnerID: u.TenantID(), IsMain: u.IsMain, PartnerStatus: "active", Customer: u.IsCustomer()})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, login := range []string{demo.SPAdmin, demo.MDAdmin, demo.CRAdmin} {
		p := load(login)
		reports := map[string]bool{}
		rl, _ := svc.ListReports(ctx, p, customer.ReportFilter{Per: 200})
		for _, r := range rl.Rows {
			reports[r.Effective] = true
		}
		for _, st := range customer.ReportStatuses {
			if !reports[st] {
				t.Errorf("%s: no report %s", login, st)
			}
		}
		invs := map[string]bool{}
		il, _ := svc.ListInvitations(ctx, p, customer.InvitationFilter{Per: 200})
		for _, i := range il.Rows {
			invs[i.Channel+"/"+i.Effective] = true
		}
		for _, k := range []string{"online/sent", "online/opened", "online/expired", "online/accepted", "offline/sent", "offline/accepted"} {
			if !invs[k] {
				t.Errorf("%s: no invitation %s (%v)", login, k, invs)
			}
		}
		modes := map[string]bool{}
		l, _ := svc.List(ctx, p, customer.Filter{State: "all", Per: 200})
		for _, r := range l.Rows {
			modes[r.State+"/"+r.Mode] = true
		}
		for _, k := range []string{"active/resale", "active/consulting"} {
			if !modes[k] {
				t.Errorf("%s: no %s customer", login, k)
			}
		}
		if !modes["ended/resale"] && !modes["ended/consulting"] {
			t.Errorf("%s: no ended association", login)
		}
		rec, _ := svc.Records(ctx, p, customer.RecordFilter{Status: customer.RequestPending})
		var decidable, awaits int
		for _, r := range rec.Rows {
			if r.Decidable {
				decidable++
			}
			if r.AwaitsCustomer {
				awaits++
			}
		}
		if decidable == 0 || awaits == 0 {
			t.Errorf("%s: pending unbind %d, pending switch %d", login, decidable, awaits)
		}
		if l.Total > 60 {
			t.Errorf("%s: %d customers, keep it modest", login, l.Total)
		}
	}
	// sp_manager1 sees at least one customer sp_manager2 does not.
	m1, _ := svc.List(ctx, load(demo.SPManager1), customer.Filter{})
	m2, _ := svc.List(ctx, load(demo.SPManager2), customer.Filter{})
	seen2 := map[int64]bool{}
	for _, r := range m2.Rows {
		seen2[r.CustomerID] = true
	}
	only1 := 0
	for _, r := range m1.Rows {
		if !seen2[r.CustomerID] {
			only1++
		}
	}
	if only1 == 0 || m2.Total == 0 {
		t.Fatalf("manager1 %d, manager2 %d, only1 %d", m1.Total, m2.Total, only1)
	}
	// The distributor sees its reseller's customers.
	if res, _ := svc.List(ctx, load(demo.MDAdmin), customer.Filter{Resellers: true}); res.Total == 0 {
		t.Fatal("md_admin sees no reseller customers")
	}
	// cust_zhang: associated with sp in resale mode, nothing pending.
	zp, err := svc.MyPartners(ctx, access.CustomerUser(w.Users[demo.CustZhang]))
	if err != nil || zp.Current == nil || zp.Current.PartnerID != w.SP || zp.Current.Mode != customer.ModeResale || len(zp.Pending)+len(zp.Own) != 0 {
		t.Fatalf("cust_zhang %+v %v", zp, err)
	}
	// cust_new: registered today, not associated, a valid online invitation
	// from sp that passes every pre-check.
	np, _ := svc.MyPartners(ctx, access.CustomerUser(w.Users[demo.CustNew]))
	if np.Current != nil {
		t.Fatal("cust_new is associated")
	}
	il, _ := svc.ListInvitations(ctx, load(demo.SPAdmin), customer.InvitationFilter{Channel: customer.ChannelOnline, Q: "cust_new@"})
	if il.Total != 1 || il.Rows[0].Effective != customer.InvitationSent {
		t.Fatalf("cust_new invitation %+v", il.Rows)
	}
	pc, err := svc.Precheck(ctx, access.CustomerUser(w.Users[demo.CustNew]), il.Rows[0].Token)
	if err != nil || !pc.OK {
		t.Fatalf("cust_new precheck %+v %v", pc, err)
	}
	// cust_wang's unbinding waits for sp_admin; cust_li has a switch to handle.
	if wp, _ := svc.MyPartners(ctx, access.CustomerUser(w.Users[demo.CustWang])); len(wp.Own) != 1 {
		t.Fatal("cust_wang has no pending unbinding")
	}
	if lp, _ := svc.MyPartners(ctx, access.CustomerUser(w.Users[demo.CustLi])); len(lp.Pending) != 1 {
		t.Fatal("cust_li has no pending switch")
	}
}
